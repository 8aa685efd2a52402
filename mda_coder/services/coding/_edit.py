"""Edit one coding by its id: change its memo or its span, or remove it; each step journalled for undo.

The in-transaction steps (``create_coding``, ``delete_coding``, ``move_span``, ``put_memo``) are
shared with ``services.history``, which replays them backwards and forwards from the journal.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from mda_coder.core.coding import Coding
from mda_coder.core.errors import MdaError, NotFoundError
from mda_coder.core.spans import Span, check_span
from mda_coder.services.coding._apply import check_exclusive
from mda_coder.store import codes as code_repo
from mda_coder.store import codings as coding_repo
from mda_coder.store import journal
from mda_coder.store.engine import Database
from mda_coder.store.models import Coder, CodeRow, CodingRow, Document
from mda_coder.store.snapshots import coding_snapshot, find_coding, insert_coding, iso, parse_time


def _owned(session: Session, coding_id: int, coder: str) -> CodingRow:
    """The coding, if it is ``coder``'s: coders change only their own codings (agreement needs that)."""
    row = session.get(CodingRow, coding_id)
    if row is None:
        raise NotFoundError(f"no coding {coding_id} (it may have been removed)")
    owner = row.coder.name
    if owner != coder.strip():
        raise MdaError(f"coding {coding_id} belongs to {owner}; switch coder to change it")
    return row


def _value(session: Session, row: CodingRow) -> Coding:
    doc = row.document
    return coding_repo.to_value(row, doc.text, code_repo.paths(session)[row.code_id], row.coder.name, doc.name)


def _clean_memo(memo: str | None) -> str | None:
    return memo.strip() or None if memo is not None else None


def _key(row: CodingRow) -> dict[str, Any]:
    return {"coder_id": row.coder_id, "code_id": row.code_id, "document_id": row.document_id}


def set_coding_memo(db: Database, coding_id: int, memo: str | None, *, coder: str) -> Coding:
    """Set (or with None or blank text, clear) the memo of one of ``coder``'s codings."""
    with db.transaction() as s:
        row = _owned(s, coding_id, coder)
        new = _clean_memo(memo)
        if new != row.memo:
            data = {
                **_key(row),
                "start": row.start_offset,
                "end": row.end_offset,
                "before": row.memo,
                "after": new,
                "modified": iso(row.modified_at),
            }
            row.memo = new
            s.flush()
            journal.record(s, row.coder.name, "coding.memo", "coding", row.id, data)
        return _value(s, row)


def change_coding_span(db: Database, coding_id: int, start: int, end: int, *, coder: str) -> Coding:
    """Move one of ``coder``'s codings to ``start``-``end`` of its document (e.g. to widen it to a sentence)."""
    with db.transaction() as s:
        row = _owned(s, coding_id, coder)
        try:
            span = check_span(start, end, len(row.document.text))
        except ValueError as exc:
            raise MdaError(f"document '{row.document.name}': {exc}") from exc
        before = Span(row.start_offset, row.end_offset)
        if span != before:
            data = {
                **_key(row),
                "before": [before.start, before.end],
                "after": [span.start, span.end],
                "modified": iso(row.modified_at),
            }
            move_span(s, row, span)
            journal.record(s, row.coder.name, "coding.span", "coding", row.id, data)
        return _value(s, row)


def remove_coding(db: Database, coding_id: int, *, coder: str) -> Coding:
    """Remove one of ``coder``'s codings; returns it as it was."""
    with db.transaction() as s:
        row = _owned(s, coding_id, coder)
        value = _value(s, row)
        # The same shape services.coding.remove_code writes, so undo treats both alike.
        journal.record(s, row.coder.name, "coding.remove", "coding", row.id, coding_repo.as_dict(row))
        s.delete(row)
        s.flush()
        return value


def move_span(session: Session, row: CodingRow, span: Span) -> None:
    """Give a coding a new span, refusing a duplicate coding or an exclusive-group clash."""
    path = code_repo.paths(session)[row.code_id]
    if coding_repo.find(session, row.coder_id, row.code_id, row.document_id, span) is not None:
        raise MdaError(f"{row.coder.name} already coded {span.start}-{span.end} of '{row.document.name}' with '{path}'")
    check_exclusive(session, row.coder, row.code, row.document, span)
    row.start_offset, row.end_offset = span.start, span.end
    session.flush()


def create_coding(session: Session, data: dict[str, Any], *, keep_id: bool = False) -> CodingRow:
    """Put a coding (journal data: natural key, memo, times) into the project, checking it still fits."""
    code = session.get(CodeRow, data["code_id"])
    doc = session.get(Document, data["document_id"])
    coder = session.get(Coder, data["coder_id"])
    if code is None:
        raise MdaError("its code has been deleted or merged into another")
    if doc is None or coder is None:
        raise MdaError("its document is no longer in the project")
    span = Span(data["start"], data["end"])
    if find_coding(session, data) is not None:
        path = code_repo.paths(session)[code.id]
        raise MdaError(f"{coder.name} has coded {span.start}-{span.end} of '{doc.name}' with '{path}' again since")
    check_exclusive(session, coder, code, doc, span)
    return insert_coding(session, data, keep_id=keep_id)


def delete_coding(session: Session, data: dict[str, Any]) -> dict[str, Any]:
    """Remove the coding with the natural key in ``data``; returns it as data that ``create_coding`` restores."""
    row = find_coding(session, data)
    if row is None:
        raise MdaError("that coding is no longer there (removed, moved, or its code merged since)")
    snapshot = coding_snapshot(row)
    session.delete(row)
    session.flush()
    return snapshot


def find_or_fail(session: Session, data: dict[str, Any], start: int, end: int) -> CodingRow:
    row = find_coding(session, data, start, end)
    if row is None:
        raise MdaError("that coding is no longer there (removed, moved, or its code merged since)")
    return row


def put_memo(session: Session, data: dict[str, Any], memo: str | None, modified: str | None) -> CodingRow:
    """Set the memo of the coding at the natural key in ``data``, and its modified time when given."""
    row = find_or_fail(session, data, data["start"], data["end"])
    row.memo = memo
    restored = parse_time(modified)
    if restored is not None:
        row.modified_at = restored
    session.flush()
    return row


def put_span(session: Session, data: dict[str, Any], old: list[int], new: list[int], modified: str | None) -> CodingRow:
    """Move the coding at ``old`` (natural key in ``data``) to ``new``, as undo and redo of a span change do."""
    row = find_or_fail(session, data, old[0], old[1])
    if new[1] > len(row.document.text):
        raise MdaError(f"{new[0]}-{new[1]} is no longer inside '{row.document.name}'")
    move_span(session, row, Span(new[0], new[1]))
    restored = parse_time(modified)
    if restored is not None:
        row.modified_at = restored
        session.flush()
    return row
