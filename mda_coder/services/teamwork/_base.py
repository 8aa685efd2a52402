"""What a coder's copy records about itself, and the shared reading of tables as plain rows."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, DateTime, Table, select

from mda_coder.store.models import Base

PROJECT_UUID = "project_uuid"
COPY_UUID = "copy_uuid"
COPY_CODER = "copy_coder"
COPY_BLIND = "copy_blind"
COPY_MADE_AT = "copy_made_at"
COPY_BASE = "copy_base"
"""JSON: the codebook (uuid → name, parent uuid) and the memos (uuid → text) as they were when the copy was made.

The merge compares the master and the copy with this common base, so it can tell who changed a
code or a memo, whatever the journals hold (an undo in either changes the state, not the base)."""

COPY = "project.copy_for_coder"
MERGE = "project.merge"

Row = dict[str, Any]


def table(name: str) -> Table:
    return Base.metadata.tables[name]


def rows(conn: Connection, name: str, *where: Any) -> list[Row]:
    """Every row of the table (as the master's schema knows its columns), in id order; one SELECT."""
    t = table(name)
    query = select(t).where(*where)
    if "id" in t.c:
        query = query.order_by(t.c.id)
    return [dict(r._mapping) for r in conn.execute(query)]


def plain(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def columnar(name: str, values: Sequence[Row]) -> dict[str, Any]:
    """Rows as ``{"table", "columns", "values"}``, times as ISO text: compact journal data."""
    columns = [c.name for c in table(name).columns]
    return {"table": name, "columns": columns, "values": [[plain(r.get(c)) for c in columns] for r in values]}


def from_columnar(data: dict[str, Any]) -> list[Row]:
    """Rows back from ``columnar``, times parsed, columns the table no longer has dropped."""
    t = table(data["table"])
    keep = [(i, t.c[name]) for i, name in enumerate(data["columns"]) if name in t.c]
    out = []
    for values in data["values"]:
        row = {}
        for i, column in keep:
            value = values[i]
            if isinstance(column.type, DateTime) and isinstance(value, str):
                value = datetime.fromisoformat(value)
            row[column.name] = value
        out.append(row)
    return out


@dataclass(frozen=True, slots=True)
class CopyFacts:
    """What a coder's copy says it is."""

    project_uuid: str
    copy_uuid: str
    coder: str
    blind: bool
    made_at: datetime
    base: dict[str, Any]


def copy_facts(settings: dict[str, str]) -> CopyFacts | None:
    """The copy's facts from its settings; None when the file is not a coder's copy."""
    if COPY_UUID not in settings or PROJECT_UUID not in settings:
        return None
    return CopyFacts(
        settings[PROJECT_UUID],
        settings[COPY_UUID],
        settings.get(COPY_CODER, ""),
        settings.get(COPY_BLIND) == "yes",
        datetime.fromisoformat(settings[COPY_MADE_AT]),
        json.loads(settings.get(COPY_BASE) or "{}"),
    )
