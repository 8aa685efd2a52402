"""Merge one code into another and undo it exactly: codings, duplicates, memos, sub-codes and the code row."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mda_coder.core.coding import CodeInfo
from mda_coder.core.errors import MdaError
from mda_coder.core.spans import Span
from mda_coder.services.codebook import _tree as code_tree
from mda_coder.services.coding._apply import check_exclusive
from mda_coder.store.models import CodeRow, CodingRow, MemoRow
from mda_coder.store.snapshots import code_snapshot, coding_snapshot, find_coding, insert_coding, iso, parse_time

MEMO_JOINER = "\n"
"""Between the two memos of codings that collapse into one."""


@dataclass(frozen=True, slots=True)
class MergeSummary:
    """What a merge did, for the message the user sees."""

    source: str
    """The merged code's path, which no longer exists."""
    target: CodeInfo
    codings_moved: int
    duplicates_collapsed: int
    """Codings of the source on text the same coder had coded with the target: one coding each now."""
    children_moved: int


def _joined(first: str | None, second: str | None) -> str | None:
    if not second or (first and second in first):
        return first
    if not first:
        return second
    return f"{first}{MEMO_JOINER}{second}"


def _place(row: CodingRow) -> dict[str, Any]:
    """A coding's natural key but its code, and its id: undo finds it by the key (the id may change)."""
    return {
        "id": row.id,
        "coder_id": row.coder_id,
        "document_id": row.document_id,
        "start": row.start_offset,
        "end": row.end_offset,
    }


def merge_in(session: Session, source_id: int, target_id: int) -> dict[str, Any]:
    """Merge ``source`` into ``target`` in the caller's transaction; returns the journal data that undoes it."""
    source = code_tree.get(session, source_id)
    target = code_tree.get(session, target_id)
    source_path = code_tree.path_of(session, source.id) or source.name
    target_path = code_tree.path_of(session, target.id) or target.name
    if source.id == target.id:
        raise MdaError(f"cannot merge '{source_path}' into itself")
    ancestor: int | None = target.id
    while ancestor is not None:
        if ancestor == source.id:
            raise MdaError(f"cannot merge '{source_path}' into its own sub-code '{target_path}'")
        ancestor = session.scalar(select(CodeRow.parent_id).where(CodeRow.id == ancestor))
    kids = list(
        session.scalars(select(CodeRow).where(CodeRow.parent_id == source.id).order_by(CodeRow.position, CodeRow.id))
    )
    target_kids = set(session.scalars(select(CodeRow.name).where(CodeRow.parent_id == target.id)))
    for kid in kids:
        if kid.name in target_kids:
            raise MdaError(
                f"'{source_path}' and '{target_path}' both have a sub-code '{kid.name}': merge or rename those first"
            )
    data: dict[str, Any] = {
        "source": code_snapshot(source),
        "source_path": source_path,
        "target_id": target.id,
        "target_path": target_path,
        "moved": [],
        "collapsed": [],
        "joined": [],
        "children": [],
        "memos": [],
    }
    moved_rows: list[CodingRow] = []
    for row in list(session.scalars(select(CodingRow).where(CodingRow.code_id == source.id).order_by(CodingRow.id))):
        duplicate = find_coding(
            session,
            {
                "coder_id": row.coder_id,
                "code_id": target.id,
                "document_id": row.document_id,
                "start": row.start_offset,
                "end": row.end_offset,
            },
        )
        if duplicate is None:
            data["moved"].append({**_place(row), "modified": iso(row.modified_at)})
            moved_rows.append(row)
            continue
        data["collapsed"].append(coding_snapshot(row))
        memo = _joined(duplicate.memo, row.memo)
        if memo != duplicate.memo:
            data["joined"].append({**_place(duplicate), "memo": duplicate.memo, "modified": iso(duplicate.modified_at)})
            duplicate.memo = memo
        session.delete(row)
    session.flush()
    for row in moved_rows:
        row.code_id = target.id
    session.flush()
    _check_group(session, moved_rows, target)
    position = code_tree.next_position(session, target.id)
    for offset, kid in enumerate(kids):
        data["children"].append({"id": kid.id, "position": kid.position})
        kid.parent_id, kid.position = target.id, position + offset
    for memo_row in session.scalars(
        select(MemoRow).where(MemoRow.target_kind == "code", MemoRow.target_id == source.id)
    ):
        data["memos"].append({"id": memo_row.id, "modified": iso(memo_row.modified_at)})
        memo_row.target_id = target.id
    session.flush()
    session.delete(source)
    session.flush()
    return data


def unmerge_in(session: Session, data: dict[str, Any]) -> None:
    """Undo ``merge_in`` exactly: the code with its id, its codings with their ids, memos and times, its sub-codes."""
    target_id = data["target_id"]
    if session.get(CodeRow, target_id) is None:
        raise MdaError(f"'{data['target_path']}' is no longer in the codebook")
    source = code_tree.restore_code(session, data["source"])
    changed = "a coding merged into it has been removed or changed since"
    restored: list[CodingRow] = []
    for item in data["moved"]:
        row = find_coding(session, {**item, "code_id": target_id})
        if row is None:
            raise MdaError(changed)
        row.code_id = source.id
        row.modified_at = parse_time(item["modified"]) or row.modified_at
        restored.append(row)
    for item in data["joined"]:
        row = find_coding(session, {**item, "code_id": target_id})
        if row is None:
            raise MdaError(changed)
        row.memo = item["memo"]
        row.modified_at = parse_time(item["modified"]) or row.modified_at
    session.flush()
    for item in data["collapsed"]:
        restored.append(insert_coding(session, item, keep_id=True))
    _check_group(session, restored, source)
    for item in data["children"]:
        kid = session.get(CodeRow, item["id"])
        if kid is None or kid.parent_id != target_id:
            raise MdaError("a sub-code it had has been moved or merged since")
        kid.parent_id, kid.position = source.id, item["position"]
    for item in data["memos"]:
        memo_row = session.get(MemoRow, item["id"])
        if memo_row is not None and memo_row.target_kind == "code" and memo_row.target_id == target_id:
            memo_row.target_id = source.id
            memo_row.modified_at = parse_time(item["modified"]) or memo_row.modified_at
    session.flush()


def summary(session: Session, data: dict[str, Any]) -> MergeSummary:
    return MergeSummary(
        source=data["source_path"],
        target=code_tree.info(session, data["target_id"]),
        codings_moved=len(data["moved"]),
        duplicates_collapsed=len(data["collapsed"]),
        children_moved=len(data["children"]),
    )


def _check_group(session: Session, rows: list[CodingRow], code: CodeRow) -> None:
    """Codings that change code must not clash with the new code's mutually exclusive group."""
    if code.exclusive_group_id is not None:
        for row in rows:
            check_exclusive(session, row.coder, code, row.document, Span(row.start_offset, row.end_offset))
