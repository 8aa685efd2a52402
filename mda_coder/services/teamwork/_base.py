"""What a coder's copy records about itself, and the shared reading of tables as plain rows."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Boolean, Connection, Select, Table, select

from mda_coder.store.models import Base
from mda_coder.store.settings import PROJECT_UUID

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


def raw(conn: Connection, query: Select[Any]) -> list[Row]:
    """The query's rows as the driver gives them (times as SQLite's text): no per-value processing.

    A merge reads and writes tens of thousands of codings; converting each time to ``datetime`` and
    back would cost more than the database's own work. Bound values are written into the SQL (ids).
    """
    sql = str(query.compile(dialect=conn.dialect, compile_kwargs={"literal_binds": True}))
    result = conn.exec_driver_sql(sql)
    names = list(result.keys())
    return [dict(zip(names, r, strict=True)) for r in result.fetchall()]


def rows(conn: Connection, name: str, *where: Any) -> list[Row]:
    """Every row of the table (as the master's schema knows its columns), in id order; one SELECT.

    JSON columns come back decoded and booleans as ``bool`` on every backend; times stay as the driver gives them.
    """
    t = table(name)
    query = select(t).where(*where)
    if "id" in t.c:
        query = query.order_by(t.c.id)
    found = raw(conn, query)
    for column in t.columns:
        if isinstance(column.type, JSON):
            for row in found:
                if isinstance(row[column.name], str):
                    row[column.name] = json.loads(row[column.name])
        elif isinstance(column.type, Boolean):
            for row in found:
                if row[column.name] is not None:
                    row[column.name] = bool(row[column.name])
    return found


def when(value: object) -> datetime | None:
    """A time as ``datetime`` (UTC when it has no zone), from a driver's value or the journal's text."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if not isinstance(value, datetime):
        return None
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


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
