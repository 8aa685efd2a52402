"""Compare a project file's whole content before and after a failed operation."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from sqlalchemy import create_engine, inspect, text


def dump(path: Path) -> list[str]:
    """Every statement that would rebuild the database, i.e. its complete state."""
    if str(path).startswith("postgresql:"):  # a project on the server, as ``Path(db.location)`` spells its URL
        return _server_rows("postgresql+psycopg://" + str(path).split(":", 1)[1].lstrip("/"))
    con = sqlite3.connect(path)
    try:
        return _index_by_rows(list(con.iterdump()))
    finally:
        con.close()


_INDEX_ROW = 'INSERT INTO "search_index" '
_INDEX_INSIDES = ('INSERT INTO "search_index_', 'INSERT INTO "search_vocab" ')


def _index_by_rows(lines: list[str]) -> list[str]:
    """The search index as its rows, sorted, without FTS5's own pages and vocabulary.

    The index is the same when it holds the same rows: after a removal and its undo, FTS5 keeps them
    in other pages and in another order, which is no change a user could notice.
    """
    rows = sorted(line for line in lines if line.startswith(_INDEX_ROW))
    kept = [line for line in lines if not line.startswith(_INDEX_ROW) and not line.startswith(_INDEX_INSIDES)]
    return kept + rows


def _literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, str):
        return "'" + value.replace("'", "''") + "'"
    return repr(value)


def _server_rows(url: str) -> list[str]:
    """Every row of every table of a database on the server, in the form ``iterdump`` gives a file's."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            lines = []
            for table in sorted(inspect(conn).get_table_names()):
                # the search index's ids and tsvectors are its own: its rows are its text, in document order
                columns = (
                    "document_id, turn, start_offset, end_offset, text, lemmas" if table == "search_index" else "*"
                )
                order = {"search_index": "1, 3", "search_forms": "1, 2"}.get(table, "1")
                for row in conn.execute(text(f'SELECT {columns} FROM "{table}" ORDER BY {order}')):
                    lines.append(f'INSERT INTO "{table}" VALUES({",".join(_literal(v) for v in row)});')
            return lines
    finally:
        engine.dispose()
