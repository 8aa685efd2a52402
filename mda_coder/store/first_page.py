"""The first page the workspace shows, read with the standard library's sqlite3 alone.

The page starts at the turn where the coder left off (``coder_places``), else at the first turn
of the first document.

The workspace paints this before SQLAlchemy is imported and the project is opened (together
about half a second on a 2-core machine), then replaces it with the whole document. It reads
the tables the ORM models in ``models.py`` define; ``tests/test_first_page.py`` checks that it
agrees with ``services.workspace`` on every turn and coding it returns.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from mda_coder.core.codebook import PATH_SEPARATOR
from mda_coder.core.reading import DocumentView, FirstPage, Mark, TurnItem
from mda_coder.core.spans import Span

TURNS = 60
"""Turns read: each is at least three lines, so 60 fill any terminal."""


def read_first_page(target: str | Path, coder: str, turns: int = TURNS) -> FirstPage | None:
    """``turns`` turns from where ``coder`` left off (else of the first document) in the SQLite project at ``target``.

    None whenever anything is unusual (a server URL, no such file, not a project, no documents,
    a schema this code does not know): the caller then opens the project the ordinary way,
    which reports the problem properly.
    """
    if "://" in str(target):
        return None
    path = Path(target)
    if not path.is_file():
        return None  # sqlite3.connect would create it
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=1.0)
    except sqlite3.Error:
        return None
    try:
        return _read(conn, coder, turns)
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def _place(conn: sqlite3.Connection, coder: str) -> tuple[tuple[int, str, str | None], int] | None:
    """The document and turn where ``coder`` left off (``services.workspace.last_place``), if any."""
    try:
        row = conn.execute(
            "SELECT d.id, d.name, d.group_name, p.turn FROM coder_places p JOIN documents d ON d.name = p.document "
            "WHERE p.coder = ?",
            (coder,),
        ).fetchone()
    except sqlite3.OperationalError:  # a project from before the table (schema 4): opening it adds it
        return None
    return None if row is None else ((row[0], row[1], row[2]), row[3])


def _read(conn: sqlite3.Connection, coder: str, limit: int) -> FirstPage | None:
    """The page from where ``coder`` left off (its turn first), else from the first turn of the first document."""
    place = _place(conn, coder)
    rows: list[tuple[int, int, int, float | None, str | None, str | None]] = []
    first: tuple[int, str, str | None] | None = None
    if place is not None:
        first, turn = place
        rows = _turns(conn, first[0], turn, limit)
    if not rows:
        first = conn.execute("SELECT id, name, group_name FROM documents ORDER BY id LIMIT 1").fetchone()
        if first is None:
            return None
        rows = _turns(conn, first[0], 1, limit)
    if not rows or first is None:
        return None
    doc_id, name, group = first
    end = rows[-1][2]
    (text,) = conn.execute("SELECT substr(text, 1, ?) FROM documents WHERE id = ?", (end, doc_id)).fetchone()
    items = tuple(
        TurnItem(index=position, speaker=label, role=role, time=time, span=Span(start, stop), sentences=())
        for position, start, stop, time, label, role in rows
    )
    (total,) = conn.execute("SELECT count(*) FROM turns WHERE document_id = ?", (doc_id,)).fetchone()
    coder_row = conn.execute("SELECT id FROM coders WHERE name = ?", (coder,)).fetchone()
    marks: tuple[Mark, ...] = ()
    coded = 0
    if coder_row is not None:
        coder_id = coder_row[0]
        paths = _code_paths(conn)
        marks = tuple(
            Mark(coding_id, coder, code_id, paths[code_id], color, Span(start, stop), memo)
            for coding_id, code_id, color, start, stop, memo in conn.execute(
                "SELECT c.id, c.code_id, k.color, c.start_offset, c.end_offset, c.memo "
                "FROM codings c JOIN codes k ON k.id = c.code_id "
                "WHERE c.document_id = ? AND c.coder_id = ? AND c.start_offset < ? "
                "ORDER BY c.start_offset, c.end_offset, c.id",
                (doc_id, coder_id, end),
            )
        )
        (coded,) = conn.execute(
            "SELECT count(*) FROM turns t WHERE t.document_id = ? AND EXISTS ("
            "SELECT 1 FROM codings c WHERE c.document_id = t.document_id AND c.coder_id = ? "
            "AND c.start_offset < t.end_offset AND c.end_offset > t.start_offset)",
            (doc_id, coder_id),
        ).fetchone()
    return FirstPage(DocumentView(name, group, text, items), marks, total, coded)


def _turns(
    conn: sqlite3.Connection, doc_id: int, start: int, limit: int
) -> list[tuple[int, int, int, float | None, str | None, str | None]]:
    return conn.execute(
        "SELECT t.position, t.start_offset, t.end_offset, t.time_start, s.label, s.role "
        "FROM turns t LEFT JOIN speakers s ON s.id = t.speaker_id "
        "WHERE t.document_id = ? AND t.position >= ? ORDER BY t.position LIMIT ?",
        (doc_id, start, limit),
    ).fetchall()


def _code_paths(conn: sqlite3.Connection) -> dict[int, str]:
    parent: dict[int, int | None] = {}
    names: dict[int, str] = {}
    for code_id, parent_id, name in conn.execute("SELECT id, parent_id, name FROM codes"):
        parent[code_id], names[code_id] = parent_id, name
    paths: dict[int, str] = {}

    def path(code_id: int) -> str:
        if code_id not in paths:
            up = parent[code_id]
            paths[code_id] = names[code_id] if up is None else f"{path(up)}{PATH_SEPARATOR}{names[code_id]}"
        return paths[code_id]

    return {code_id: path(code_id) for code_id in names}
