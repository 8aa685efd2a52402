"""Copy a project's rows from its SQLite file into an empty PostgreSQL database, keeping every id.

The tables and their columns are read from the databases (reflected), not listed here: a column
a later migration adds (the uuids, say) travels without a change to this module. Both ends must
have the same schema version; the caller opens the file first, which brings it up to date.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

from sqlalchemy import Connection, MetaData, Table, delete, func, select, text

from mda_coder.store import search_index

BATCH = 2000
"""Rows sent to the server in one ``executemany``."""


def _parents_first(rows: Sequence[dict[str, Any]], column: str) -> list[dict[str, Any]]:
    """Rows of a table that refers to itself (codes under codes) ordered so that every parent comes before its children."""
    by_id = {row["id"]: row for row in rows}
    placed: set[Any] = set()
    ordered: list[dict[str, Any]] = []
    for row in rows:
        chain = []
        current: dict[str, Any] | None = row
        while current is not None and current["id"] not in placed:
            chain.append(current)
            placed.add(current["id"])
            parent = current.get(column)
            current = by_id.get(parent) if parent is not None else None
        ordered.extend(reversed(chain))
    return ordered


def _batches(rows: Sequence[dict[str, Any]]) -> Iterator[Sequence[dict[str, Any]]]:
    for start in range(0, len(rows), BATCH):
        yield rows[start : start + BATCH]


def copy_rows(source: Connection, target: Connection) -> dict[str, int]:
    """Copy every row of every table ``target`` has from ``source``; how many rows each table got.

    ``target`` holds the schema, freshly made: what making it wrote (the versions stamped, a new
    project's own settings) is replaced by the file's rows, so the server keeps the project's own
    history of versions and its identity. The sequences are then set past the highest ids, so the
    next row the server makes gets a new one.
    """
    have = MetaData()
    have.reflect(source)
    want = MetaData()
    want.reflect(target)
    target.exec_driver_sql("SET LOCAL TIME ZONE 'UTC'")  # the file's times are UTC, stored without a zone
    copied: dict[str, int] = {}
    for table in want.sorted_tables:
        origin = have.tables.get(table.name)
        if origin is None or table.name == search_index.TABLE:
            continue
        columns = [c.name for c in table.columns if c.name in origin.columns]
        rows = [dict(r._mapping) for r in source.execute(select(*(origin.columns[c] for c in columns)))]
        target.execute(delete(table))  # what making the schema wrote (versions, a new project uuid)
        rows = _in_order(table, rows)
        for batch in _batches(rows):
            target.execute(table.insert(), list(batch))
        copied[table.name] = len(rows)
    for table in want.sorted_tables:
        _set_sequences(target, table)
    # The index is made from the rows, not copied: the server's is the tsvector kind, the file's FTS5.
    copied[search_index.TABLE] = search_index.rebuild(target)
    return copied


def _in_order(table: Table, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    own = [fk.parent.name for fk in table.foreign_keys if fk.column.table.name == table.name]
    if not own or "id" not in table.columns:
        return rows
    return _parents_first(rows, own[0])


def _set_sequences(conn: Connection, table: Table) -> None:
    for column in table.columns:
        sequence = conn.scalar(text("SELECT pg_get_serial_sequence(:t, :c)"), {"t": table.name, "c": column.name})
        if sequence is None:
            continue
        highest = conn.scalar(select(func.max(column)))
        if highest is None:
            continue
        conn.execute(text("SELECT setval(CAST(:s AS regclass), :v, true)"), {"s": sequence, "v": int(highest)})
