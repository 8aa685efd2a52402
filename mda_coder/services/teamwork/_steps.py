"""A merge's row operations applied, taken back (undo) and applied again (redo), inside the caller's transaction.

An operation inserts or deletes rows (``{"op", "table", "columns", "values"}``, column-wise, with
their ids) or updates one row (``{"op": "update", "table", "id", "before", "after"}``). The same
list, times as text, is the journal entry's data: undo runs it backwards, redo forwards.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Column, DateTime, delete, insert, select, update
from sqlalchemy.orm import Session

from mda_coder.core.errors import MdaError
from mda_coder.i18n import Message
from mda_coder.services.teamwork._base import MERGE, Row, table, when
from mda_coder.store import search_index

Data = dict[str, Any]
_CHUNK = 500


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def _sqlite_time(value: object) -> object:
    """A time as SQLAlchemy keeps it in SQLite (``2026-12-03 15:04:05.123456``, UTC, no zone)."""
    if type(value) is str and len(value) == 26 and value[10] == " ":
        return value  # already so: read from a copy as it is stored
    moment = when(value)
    if moment is None:
        return value
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _for_sqlite(column: Column[Any]) -> Any:
    if isinstance(column.type, DateTime):
        return _sqlite_time
    if isinstance(column.type, JSON):
        return lambda v: None if v is None else json.dumps(v, ensure_ascii=False)
    if isinstance(column.type, Boolean):
        return lambda v: None if v is None else int(bool(v))
    return None


def _typed(column: Column[Any], value: object) -> object:
    """A value as SQLAlchemy's own type wants it (times as ``datetime``)."""
    return when(value) if isinstance(column.type, DateTime) and value is not None else value


def _insert(s: Session, name: str, columns: list[str], values: Sequence[Sequence[Any]]) -> None:
    if not values:
        return
    t = table(name)
    keep = [i for i, c in enumerate(columns) if c in t.c]
    if len(keep) < len(columns):  # journal data from before a column was dropped
        columns = [columns[i] for i in keep]
        values = [[row[i] for i in keep] for row in values]
    conn = s.connection()
    if conn.dialect.name == "sqlite":
        # Straight to the driver: SQLAlchemy's per-value processing would cost more than SQLite's work.
        converters = [(i, f) for i, f in enumerate(_for_sqlite(t.c[c]) for c in columns) if f is not None]
        params: list[tuple[Any, ...]] = [tuple(row) for row in values]
        if converters:
            changed = [list(row) for row in params]
            for i, f in converters:
                for row in changed:
                    row[i] = f(row[i])
            params = [tuple(row) for row in changed]
        marks = ", ".join("?" for _ in columns)
        conn.exec_driver_sql(f"INSERT INTO {name} ({', '.join(columns)}) VALUES ({marks})", params)
        return
    typed = [t.c[c] for c in columns]
    s.execute(insert(t), [{c.name: _typed(c, v) for c, v in zip(typed, row, strict=False)} for row in values])


def _delete(s: Session, name: str, ids: Iterable[int]) -> None:
    t = table(name)
    for chunk in _chunks(sorted(ids)):
        s.execute(delete(t).where(t.c.id.in_(chunk)))


def _update(s: Session, name: str, row_id: int, values: Row) -> None:
    t = table(name)
    s.execute(update(t).where(t.c.id == row_id).values({k: _typed(t.c[k], v) for k, v in values.items()}))


def _ids(op: Data) -> list[int]:
    at = op["columns"].index("id")
    return [row[at] for row in op["values"]]


def forward(s: Session, ops: list[Data]) -> None:
    """Apply the operations in order (rows with their ids)."""
    for op in ops:
        if op["op"] == "insert":
            _insert(s, op["table"], op["columns"], op["values"])
        elif op["op"] == "delete":
            _delete(s, op["table"], _ids(op))
        else:
            _update(s, op["table"], op["id"], op["after"])
    _reindex(s, ops)
    s.expire_all()


def backward(s: Session, ops: list[Data]) -> None:
    """Take the operations back, newest first."""
    for op in reversed(ops):
        if op["op"] == "insert":
            _delete(s, op["table"], _ids(op))
        elif op["op"] == "delete":
            _insert(s, op["table"], op["columns"], op["values"])
        else:
            _update(s, op["table"], op["id"], op["before"])
    _reindex(s, ops)
    s.expire_all()


def _reindex(s: Session, ops: list[Data]) -> None:
    """Keep the search index in step with the documents and turns the operations brought in or took away."""
    touched: set[int] = set()
    for op in ops:
        if op["op"] == "update" or op["table"] not in ("documents", "turns"):
            continue
        at = op["columns"].index("id" if op["table"] == "documents" else "document_id")
        touched.update(int(row[at]) for row in op["values"])
    conn = s.connection()
    for doc_id in sorted(touched):
        documents = table("documents")
        if s.scalar(select(documents.c.id).where(documents.c.id == doc_id)) is None:
            search_index.drop_document(conn, doc_id)
        else:
            search_index.index_document(conn, doc_id)


def _text(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def stored(ops: list[Data]) -> list[Data]:
    """The operations as journal data: times as text (the rest is JSON already)."""
    out = []
    for op in ops:
        if op["op"] == "update":
            out.append(
                {
                    **op,
                    "before": {k: _text(v) for k, v in op["before"].items()},
                    "after": {k: _text(v) for k, v in op["after"].items()},
                }
            )
            continue
        t = table(op["table"])
        times = [i for i, c in enumerate(op["columns"]) if c in t.c and isinstance(t.c[c].type, DateTime)]
        values = op["values"]
        if any(isinstance(row[i], datetime) for row in values for i in times):
            values = [[_text(v) for v in row] for row in values]
        out.append({**op, "values": values})
    return out


def _check_undo(s: Session, ops: list[Data]) -> None:
    """Refuse when work made since depends on what the merge brought in (codings on its documents or codes)."""
    merged = {i for op in ops if op["op"] == "insert" and op["table"] == "codings" for i in _ids(op)}
    codings = table("codings")
    for op in ops:
        if op["op"] != "insert" or op["table"] not in ("documents", "codes"):
            continue
        column = codings.c.document_id if op["table"] == "documents" else codings.c.code_id
        for chunk in _chunks(_ids(op)):
            since = s.scalars(select(codings.c.id).where(column.in_(chunk))).all()
            if any(i not in merged for i in since):
                raise MdaError(Message("codings were made since on what the merge brought in; remove them first"))


def undo_step(s: Session, data: Data) -> Data:
    _check_undo(s, data["ops"])
    backward(s, data["ops"])
    return data


def redo_step(s: Session, data: Data) -> Data:
    forward(s, data["ops"])
    return data


def describe(data: Data) -> str:
    """The journal entry as undo names it: ``merge anna.mda (120 codings)``."""
    n = data.get("counts", {}).get("codings", 0)
    codings = Message("{n} coding", n=n) if n == 1 else Message("{n} codings", n=n)
    return Message("merge {copies} ({codings})", copies=", ".join(data.get("copies", [])), codings=codings)


STEPS = {MERGE: (undo_step, redo_step)}
