"""A merge's row operations applied, taken back (undo) and applied again (redo), inside the caller's transaction."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.orm import Session

from mda_coder.core.errors import MdaError
from mda_coder.i18n import Message
from mda_coder.services.teamwork._base import MERGE, Row, columnar, from_columnar, table

Data = dict[str, Any]
_CHUNK = 500


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def _insert(s: Session, name: str, values: list[Row]) -> None:
    if values:
        s.execute(insert(table(name)), values)


def _delete(s: Session, name: str, ids: Iterable[int]) -> None:
    t = table(name)
    for chunk in _chunks(sorted(ids)):
        s.execute(delete(t).where(t.c.id.in_(chunk)))


def _update(s: Session, name: str, row_id: int, values: Row) -> None:
    s.execute(update(table(name)).where(table(name).c.id == row_id).values(**values))


def _sequences(s: Session, names: Iterable[str]) -> None:
    """On PostgreSQL, move each table's id sequence past the ids given explicitly (SQLite needs nothing)."""
    if s.get_bind().dialect.name != "postgresql":
        return
    for name in sorted(set(names)):
        s.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), GREATEST(coalesce(max(id), 0), 1)) FROM {name}"
            )
        )


def forward(s: Session, ops: list[Data]) -> None:
    """Apply the operations in order (rows with their ids)."""
    for op in ops:
        if op["op"] == "insert":
            _insert(s, op["table"], op["rows"])
        elif op["op"] == "delete":
            _delete(s, op["table"], (r["id"] for r in op["rows"]))
        else:
            _update(s, op["table"], op["id"], op["after"])
    _sequences(s, (op["table"] for op in ops if op["op"] == "insert"))
    s.expire_all()


def backward(s: Session, ops: list[Data]) -> None:
    """Take the operations back, newest first."""
    for op in reversed(ops):
        if op["op"] == "insert":
            _delete(s, op["table"], (r["id"] for r in op["rows"]))
        elif op["op"] == "delete":
            _insert(s, op["table"], op["rows"])
        else:
            _update(s, op["table"], op["id"], op["before"])
    _sequences(s, (op["table"] for op in ops if op["op"] == "delete"))
    s.expire_all()


def stored(ops: list[Data]) -> list[Data]:
    """The operations as journal data: rows column-wise, times as text."""
    out = []
    for op in ops:
        if op["op"] in ("insert", "delete"):
            out.append({"op": op["op"], **columnar(op["table"], op["rows"])})
        else:
            out.append({**op, "before": _plain_row(op["before"]), "after": _plain_row(op["after"])})
    return out


def _plain_row(row: Row) -> Row:
    return {k: (v.isoformat() if hasattr(v, "isoformat") else v) for k, v in row.items()}


def loaded(data: list[Data]) -> list[Data]:
    """The operations back from journal data."""
    out = []
    for op in data:
        if op["op"] in ("insert", "delete"):
            out.append({"op": op["op"], "table": op["table"], "rows": from_columnar(op)})
        else:
            t = table(op["table"])
            out.append({**op, "before": _typed(t.name, op["before"]), "after": _typed(t.name, op["after"])})
    return out


def _typed(name: str, row: Row) -> Row:
    return from_columnar({"table": name, "columns": list(row), "values": [list(row.values())]})[0]


def _check_undo(s: Session, ops: list[Data]) -> None:
    """Refuse when work made since depends on what the merge brought in (codings on its documents or codes)."""
    for op in ops:
        if op["op"] != "insert" or op["table"] not in ("documents", "codes"):
            continue
        ids = [r["id"] for r in op["rows"]]
        column = table("codings").c.document_id if op["table"] == "documents" else table("codings").c.code_id
        merged = {r["id"] for o in ops if o["op"] == "insert" and o["table"] == "codings" for r in o["rows"]}
        for chunk in _chunks(ids):
            since = s.scalars(select(table("codings").c.id).where(column.in_(chunk))).all()
            if any(i not in merged for i in since):
                raise MdaError(Message("codings were made since on what the merge brought in; remove them first"))


def undo_step(s: Session, data: Data) -> Data:
    ops = loaded(data["ops"])
    _check_undo(s, ops)
    backward(s, ops)
    return data


def redo_step(s: Session, data: Data) -> Data:
    forward(s, loaded(data["ops"]))
    return data


def describe(data: Data) -> str:
    """The journal entry as undo names it: ``merge anna.mda (120 codings)``."""
    n = data.get("counts", {}).get("codings", 0)
    codings = Message("{n} coding", n=n) if n == 1 else Message("{n} codings", n=n)
    return Message("merge {copies} ({codings})", copies=", ".join(data.get("copies", [])), codings=codings)


def count_rows(s: Session, name: str) -> int:
    return s.scalar(select(func.count()).select_from(table(name))) or 0


STEPS = {MERGE: (undo_step, redo_step)}
