"""In-transaction steps on the code tree, shared by the codebook editor and by undo and redo.

Every step checks that the tree still allows it (names unique per parent, keys unique, no
cycles) and raises ``MdaError`` with the reason, so a refused step changes nothing.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mda_coder.core import code_rules
from mda_coder.core.coding import CodeInfo
from mda_coder.core.errors import MdaError
from mda_coder.store import codes as code_repo
from mda_coder.store import settings
from mda_coder.store.models import CodeRow, CodingRow, MemoRow
from mda_coder.store.snapshots import code_snapshot, insert_code


def project_language(session: Session) -> str:
    return settings.get(session, "language") or ""


def info(session: Session, code_id: int) -> CodeInfo:
    """The code as the code tree shows it, with its definition in the project language."""
    return next(i for i in code_repo.infos(session, project_language(session)) if i.id == code_id)


def path_of(session: Session, code_id: int | None) -> str | None:
    return None if code_id is None else code_repo.paths(session).get(code_id)


def get(session: Session, code_id: int) -> CodeRow:
    row = session.get(CodeRow, code_id)
    if row is None:
        raise MdaError("the code is no longer in the codebook (deleted or merged since)")
    return row


def check_name(session: Session, name: str, parent_id: int | None, code_id: int | None = None) -> str:
    """``name`` stripped, if a code may have it under ``parent_id``; the code itself may keep its name."""
    name = name.strip()
    problem = code_rules.name_problem(name)
    if problem:
        raise MdaError(problem)
    same_parent = CodeRow.parent_id.is_(None) if parent_id is None else CodeRow.parent_id == parent_id
    other = session.scalar(select(CodeRow.id).where(same_parent, CodeRow.name == name))
    if other is not None and other != code_id:
        raise MdaError(code_rules.name_taken(name, path_of(session, parent_id)))
    return name


def check_key(session: Session, key: str | None, code_id: int | None, path: str) -> None:
    if key is None:
        return
    problem = code_rules.key_problem(path, key)
    if problem:
        raise MdaError(problem)
    owner = session.scalar(select(CodeRow.id).where(CodeRow.shortcut == key))
    if owner is not None and owner != code_id:
        raise MdaError(code_rules.key_taken(key, path, path_of(session, owner) or "?"))


def check_color(color: str | None, path: str) -> None:
    problem = code_rules.color_problem(path, color) if color is not None else None
    if problem:
        raise MdaError(problem)


def check_parent(session: Session, code_id: int, parent_id: int | None) -> None:
    """Refuse to put a code under itself or under one of its own sub-codes."""
    current = parent_id
    while current is not None:
        if current == code_id:
            raise MdaError(
                f"cannot put '{path_of(session, code_id)}' under itself or its own sub-code "
                f"'{path_of(session, parent_id)}'"
            )
        current = session.scalar(select(CodeRow.parent_id).where(CodeRow.id == current))


def next_position(session: Session, parent_id: int | None) -> int:
    """A position after every sibling under ``parent_id`` (positions order siblings)."""
    same_parent = CodeRow.parent_id.is_(None) if parent_id is None else CodeRow.parent_id == parent_id
    last = session.scalar(select(func.max(CodeRow.position)).where(same_parent))
    return 0 if last is None else last + 1


def restore_code(session: Session, snapshot: dict[str, Any]) -> CodeRow:
    """Put a code back from its snapshot, with its id, if its parent, name, key and id are all still free."""
    parent_id = snapshot["parent_id"]
    if parent_id is not None and session.get(CodeRow, parent_id) is None:
        raise MdaError("the code it was under is no longer in the codebook")
    name = check_name(session, snapshot["name"], parent_id)
    parent = path_of(session, parent_id)
    path = f"{parent}/{name}" if parent else name
    check_key(session, snapshot["key"], None, path)
    if session.get(CodeRow, snapshot["id"]) is not None:
        raise MdaError(f"its place in the codebook (code id {snapshot['id']}) has been taken by a code added since")
    return insert_code(session, snapshot)


def drop_code(session: Session, code_id: int) -> dict[str, Any]:
    """Delete a code that nothing uses yet; returns its snapshot for ``restore_code``."""
    row = get(session, code_id)
    path = path_of(session, code_id)
    used = session.scalar(select(func.count()).select_from(CodingRow).where(CodingRow.code_id == code_id)) or 0
    if used:
        raise MdaError(f"'{path}' has {used} coding{'s' if used != 1 else ''} now")
    if session.scalar(select(CodeRow.id).where(CodeRow.parent_id == code_id).limit(1)) is not None:
        raise MdaError(f"'{path}' has sub-codes now")
    memo = select(MemoRow.id).where(MemoRow.target_kind == "code", MemoRow.target_id == code_id).limit(1)
    if session.scalar(memo) is not None:
        raise MdaError(f"'{path}' has memos now")
    snapshot = code_snapshot(row)
    session.delete(row)
    session.flush()
    return snapshot


def set_name(session: Session, code_id: int, name: str) -> None:
    row = get(session, code_id)
    row.name = check_name(session, name, row.parent_id, code_id)
    session.flush()


def set_parent(session: Session, code_id: int, parent_id: int | None, position: int) -> None:
    row = get(session, code_id)
    if parent_id is not None and session.get(CodeRow, parent_id) is None:
        raise MdaError("the code it would go under is no longer in the codebook")
    check_parent(session, code_id, parent_id)
    check_name(session, row.name, parent_id, code_id)
    row.parent_id, row.position = parent_id, position
    session.flush()


EDITABLE = ("definition", "use_when", "dont_use_when", "example", "color", "key")
"""The fields of a code that ``set_fields`` changes: the four texts (``{language: text}``), colour and key."""


def fields_of(row: CodeRow) -> dict[str, Any]:
    snapshot = code_snapshot(row)
    return {f: snapshot[f] for f in EDITABLE}


def set_fields(session: Session, code_id: int, fields: dict[str, Any]) -> None:
    """Set some of ``EDITABLE`` at once, checking the colour and that a key is free."""
    row = get(session, code_id)
    path = path_of(session, code_id) or row.name
    if "color" in fields:
        check_color(fields["color"], path)
        row.color = fields["color"]
    if "key" in fields:
        check_key(session, fields["key"], code_id, path)
        row.shortcut = fields["key"]
    for text_field in ("definition", "use_when", "dont_use_when", "example"):
        if text_field in fields:
            value = fields[text_field]
            setattr(row, text_field, dict(value) if value is not None else None)
    session.flush()
