"""Rows as journal data and back: what undo needs to put a deleted code or coding back exactly."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Table, select
from sqlalchemy.orm import Session

from mda_coder.store.codings import as_dict
from mda_coder.store.models import CodeRow, CodingRow, ExclusiveGroupRow

CODE_TEXT_FIELDS = ("definition", "use_when", "dont_use_when", "example")


def iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def parse_time(value: object) -> datetime | None:
    return datetime.fromisoformat(value) if isinstance(value, str) else None


def _keep_uuid(
    session: Session, model: type[CodingRow] | type[CodeRow], row: CodingRow | CodeRow, data: dict[str, Any]
) -> None:
    """Give a row put back by undo or redo the uuid it had (journal data from before schema 6 has none: a new one)."""
    known = data.get("uuid")
    if known is not None and session.scalar(select(model.id).where(model.uuid == known)) is None:
        row.uuid = known


def coding_snapshot(row: CodingRow) -> dict[str, Any]:
    """A coding with its id and both times: ``as_dict`` (the journal's coding shape) plus what exact restoring needs."""
    return {**as_dict(row), "id": row.id, "uuid": row.uuid, "modified": iso(row.modified_at)}


def find_coding(
    session: Session, data: dict[str, Any], start: int | None = None, end: int | None = None
) -> CodingRow | None:
    """The coding with the natural key in ``data`` (coder, code, document, span), at ``start``-``end`` if given.

    Undo finds codings this way, never by row id: undoing a removal re-creates a row with a new id.
    """
    return session.scalar(
        select(CodingRow).where(
            CodingRow.coder_id == data["coder_id"],
            CodingRow.code_id == data["code_id"],
            CodingRow.document_id == data["document_id"],
            CodingRow.start_offset == (data["start"] if start is None else start),
            CodingRow.end_offset == (data["end"] if end is None else end),
        )
    )


def insert_coding(session: Session, data: dict[str, Any], *, keep_id: bool = False) -> CodingRow:
    """Insert a coding from journal data, keeping its memo and times (and its id when asked and still free)."""
    row = CodingRow(
        coder_id=data["coder_id"],
        code_id=data["code_id"],
        document_id=data["document_id"],
        start_offset=data["start"],
        end_offset=data["end"],
        memo=data.get("memo"),
        suggestion_id=data.get("suggestion_id"),
    )
    if keep_id and data.get("id") is not None and session.get(CodingRow, data["id"]) is None:
        row.id = data["id"]
    _keep_uuid(session, CodingRow, row, data)
    created = parse_time(data.get("created"))
    if created is not None:
        row.created_at = created
        row.modified_at = parse_time(data.get("modified")) or created
    session.add(row)
    session.flush()
    return row


def _copy(texts: dict[str, Any] | None) -> dict[str, Any] | None:
    return dict(texts) if texts is not None else None


def code_snapshot(row: CodeRow) -> dict[str, Any]:
    """Every column of a code, so that undo can put it back with the same id."""
    return {
        "id": row.id,
        "uuid": row.uuid,
        "parent_id": row.parent_id,
        "name": row.name,
        "position": row.position,
        "color": row.color,
        "key": row.shortcut,
        # As stored: codes from a codebook file may hold JSON null rather than {}.
        **{f: _copy(getattr(row, f)) for f in CODE_TEXT_FIELDS},
        "exclusive_group_id": row.exclusive_group_id,
        "created": iso(row.created_at),
    }


def insert_code(session: Session, data: dict[str, Any]) -> CodeRow:
    """Insert a code from a snapshot, with its id (the caller checks the id, name and key are free)."""
    group_id = data.get("exclusive_group_id")
    if group_id is not None and session.get(ExclusiveGroupRow, group_id) is None:
        group_id = None
    row = CodeRow(
        id=data["id"],
        parent_id=data["parent_id"],
        name=data["name"],
        position=data["position"],
        color=data["color"],
        shortcut=data["key"],
        exclusive_group_id=group_id,
        **{f: _copy(data.get(f)) for f in CODE_TEXT_FIELDS},
    )
    _keep_uuid(session, CodeRow, row, data)
    created = parse_time(data.get("created"))
    if created is not None:
        row.created_at = created
    session.add(row)
    session.flush()
    return row


def stored_rows(stored: dict[str, Any] | None, table: Table) -> list[dict[str, Any]]:
    """Rows kept as ``{"columns": [...], "values": [[...], ...]}``, as values to insert into ``table``.

    Columns the table no longer has are dropped, times parsed back (a journal entry or a snapshot
    may be older than the schema it is read back into).
    """
    if not stored:
        return []
    keep = [(i, table.c[name]) for i, name in enumerate(stored["columns"]) if name in table.c]
    rows = []
    for values in stored["values"]:
        row = {}
        for i, column in keep:
            value = values[i]
            if isinstance(column.type, DateTime) and isinstance(value, str):
                value = datetime.fromisoformat(value)
            row[column.name] = value
        rows.append(row)
    return rows
