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
        return list(con.iterdump())
    finally:
        con.close()


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
                for row in conn.execute(text(f'SELECT * FROM "{table}" ORDER BY 1')):
                    lines.append(f'INSERT INTO "{table}" VALUES({",".join(_literal(v) for v in row)});')
            return lines
    finally:
        engine.dispose()
