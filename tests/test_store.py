"""The project file: schema, constraints, pragmas, append-only journal and ordered migrations."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import text

from mda_coder.core.errors import ProjectError
from mda_coder.store import migrations
from mda_coder.store.engine import Database


def test_new_project_is_stamped_with_the_latest_schema(tmp_path: Path) -> None:
    db = Database.create(tmp_path / "p.mda")
    with db.engine.connect() as conn:
        assert migrations.current_version(conn) == migrations.latest_version()
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    db.close()


def test_constraints_are_named_and_enforced(tmp_path: Path) -> None:
    db = Database.create(tmp_path / "p.mda")
    db.close()
    con = sqlite3.connect(tmp_path / "p.mda")
    ddl = con.execute("SELECT sql FROM sqlite_master WHERE name = 'codings'").fetchone()[0]
    assert "CONSTRAINT ck_codings_span CHECK (start_offset < end_offset)" in ddl
    assert "CONSTRAINT fk_codings_document_id_documents" in ddl
    con.execute("PRAGMA foreign_keys=ON")
    con.execute(
        "INSERT INTO coders (uuid, name, created_at) VALUES ('c0de0000-0000-4000-8000-000000000001', 'anna', '2024-01-01')"
    )
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        con.execute(
            "INSERT INTO codings (uuid, coder_id, code_id, document_id, start_offset, end_offset, created_at, modified_at)"
            " VALUES ('c0de0000-0000-4000-8000-000000000002', 1, 99, 99, 0, 5, '', '')"
        )
    con.execute(
        "INSERT INTO codes (uuid, name, position, definition, use_when, dont_use_when, example, created_at)"
        " VALUES ('c0de0000-0000-4000-8000-000000000003', 'a', 0, '{}', '{}', '{}', '{}', '')"
    )
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        con.execute(
            "INSERT INTO codes (uuid, name, position, definition, use_when, dont_use_when, example, created_at)"
            " VALUES ('c0de0000-0000-4000-8000-000000000004', 'a', 1, '{}', '{}', '{}', '{}', '')"
        )
    con.close()


def test_span_check_refuses_empty_or_reversed_spans(tmp_path: Path) -> None:
    db = Database.create(tmp_path / "p.mda")
    db.close()
    con = sqlite3.connect(tmp_path / "p.mda")
    con.execute(
        "INSERT INTO documents (uuid, name, text, content_hash, source_file, format, layout, encoding, attributes,"
        " imported_at) VALUES ('d0c00000-0000-4000-8000-000000000001', 'd', 'abc', 'h', 'd.txt', 'txt', 'x', 'utf-8',"
        " '{}', '')"
    )
    with pytest.raises(sqlite3.IntegrityError, match="ck_turns_span"):
        con.execute("INSERT INTO turns (document_id, position, start_offset, end_offset) VALUES (1, 1, 3, 3)")
    con.close()


def test_journal_is_append_only(tmp_path: Path) -> None:
    db = Database.create(tmp_path / "p.mda")
    with db.transaction() as s:
        s.execute(text("INSERT INTO events (at, actor, action, entity, data) VALUES ('t', 'anna', 'x', 'y', '{}')"))
    for statement in ("UPDATE events SET actor = 'erik'", "DELETE FROM events"):
        with pytest.raises(Exception, match="append-only"), db.transaction() as s:
            s.execute(text(statement))
    db.close()


def test_open_refuses_what_is_not_a_project(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="no such project"):
        Database.open(tmp_path / "missing.mda")
    junk = tmp_path / "junk.mda"
    junk.write_text("this is not a database at all, just words " * 100)
    with pytest.raises(ProjectError, match="not an mda-coder project"):
        Database.open(junk)
    other = tmp_path / "other.sqlite"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(ProjectError, match="not an mda-coder project"):
        Database.open(other)
    Database.create(tmp_path / "p.mda").close()
    with pytest.raises(ProjectError, match="already exists"):
        Database.create(tmp_path / "p.mda")


def test_migrations_apply_in_order_once(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    Database.create(tmp_path / "p.mda").close()
    applied: list[int] = []
    latest = migrations.latest_version()

    def add_column(conn) -> None:  # type: ignore[no-untyped-def]
        applied.append(latest + 1)
        conn.execute(text("ALTER TABLE documents ADD COLUMN language VARCHAR(10)"))

    def add_index(conn) -> None:  # type: ignore[no-untyped-def]
        applied.append(latest + 2)
        conn.execute(text("CREATE INDEX ix_documents_language ON documents (language)"))

    monkeypatch.setattr(
        migrations,
        "MIGRATIONS",
        [
            *migrations.MIGRATIONS,
            migrations.Migration(latest + 1, "language", add_column),
            migrations.Migration(latest + 2, "index", add_index),
        ],
    )
    Database.open(tmp_path / "p.mda").close()
    Database.open(tmp_path / "p.mda").close()
    assert applied == [latest + 1, latest + 2]
    con = sqlite3.connect(tmp_path / "p.mda")
    versions = [r[0] for r in con.execute("SELECT version FROM schema_migrations ORDER BY version")]
    assert versions == list(range(1, latest + 3))


def test_a_version_1_project_gets_the_journal_index_for_undo(tmp_path: Path) -> None:
    Database.create(tmp_path / "p.mda").close()
    con = sqlite3.connect(tmp_path / "p.mda")
    con.execute("DROP INDEX ix_events_actor")  # what a project made before migration 2 looks like
    con.execute("DELETE FROM schema_migrations WHERE version > 1")
    con.commit()
    con.close()
    Database.open(tmp_path / "p.mda").close()
    con = sqlite3.connect(tmp_path / "p.mda")
    indexes = [r[0] for r in con.execute("SELECT sql FROM sqlite_master WHERE name = 'ix_events_actor'")]
    assert indexes == ["CREATE INDEX ix_events_actor ON events (actor, id)"]
    assert con.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == migrations.latest_version()
    plan = " ".join(
        str(r)
        for r in con.execute("EXPLAIN QUERY PLAN SELECT id FROM events WHERE actor = 'anna' ORDER BY id DESC LIMIT 200")
    )
    assert "ix_events_actor" in plan
    con.close()


def test_a_version_2_project_gets_the_consensus_decisions_table(tmp_path: Path) -> None:
    Database.create(tmp_path / "new.mda").close()
    Database.create(tmp_path / "p.mda").close()
    con = sqlite3.connect(tmp_path / "p.mda")
    con.execute("DROP TABLE consensus_decisions")  # what a project made before migration 3 looks like
    con.execute("DELETE FROM schema_migrations WHERE version > 2")
    con.commit()
    con.close()
    Database.open(tmp_path / "p.mda").close()

    def schema(path: Path) -> list[tuple[str, str | None]]:
        con = sqlite3.connect(path)
        try:
            query = "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'consensus_decisions' ORDER BY name"
            return con.execute(query).fetchall()
        finally:
            con.close()

    # The migration builds exactly what a new project gets from the models.
    assert schema(tmp_path / "p.mda") == schema(tmp_path / "new.mda")
    assert "CONSTRAINT ck_consensus_decisions_decision CHECK" in schema(tmp_path / "p.mda")[0][1]
    con = sqlite3.connect(tmp_path / "p.mda")
    assert con.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == migrations.latest_version()
    con.execute(
        "INSERT INTO documents (uuid, name, text, content_hash, source_file, format, layout, encoding, attributes,"
        " imported_at) VALUES ('d0c00000-0000-4000-8000-000000000001', 'd', 'abc', 'h', 'd.txt', 'txt', 'x', 'utf-8',"
        " '{}', '')"
    )
    insert = (
        "INSERT INTO consensus_decisions (code_id, document_id, unit, position, start_offset, end_offset,"
        " decision, coders, codings, reviewer, created_at) VALUES (1, 1, 'turn', 1, 0, 3, ?, '{}', '{}', 'lisa', '')"
    )
    con.execute(insert, ("neither",))
    with pytest.raises(sqlite3.IntegrityError, match="ck_consensus_decisions_decision"):
        con.execute(insert.replace("1, 1, 'turn', 1,", "1, 1, 'turn', 2,"), ("maybe",))
    with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
        con.execute(insert, ("take",))  # one decision per code and unit
    con.close()


def test_a_project_from_a_newer_version_is_refused(tmp_path: Path) -> None:
    Database.create(tmp_path / "p.mda").close()
    con = sqlite3.connect(tmp_path / "p.mda")
    con.execute("INSERT INTO schema_migrations (version, description, applied_at) VALUES (99, 'future', '')")
    con.commit()
    con.close()
    with pytest.raises(ProjectError, match="made by a newer mda-coder"):
        Database.open(tmp_path / "p.mda")


def test_no_core_value_is_named_like_a_stored_row() -> None:
    """``core`` values and ``store.models`` classes never share a name: a ``TurnRow`` is always the stored row."""
    import inspect
    import pkgutil
    from importlib import import_module

    import mda_coder.core
    from mda_coder.store import models

    stored = {
        name for name, value in vars(models).items() if inspect.isclass(value) and value.__module__ == models.__name__
    }
    shared = {
        f"{module.name}.{name}"
        for module in pkgutil.iter_modules(mda_coder.core.__path__, "mda_coder.core.")
        for name, value in vars(import_module(module.name)).items()
        if inspect.isclass(value) and value.__module__ == module.name and name in stored
    }
    assert shared == set()
