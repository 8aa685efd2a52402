"""Projects made by every released schema version open in this one with nothing lost (``tests/fixtures/schemas``)."""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli.app import cli
from mda_coder.services.coding import list_codings
from mda_coder.services.doctor import examine_open
from mda_coder.services.memos import list_memos
from mda_coder.services.project import open_project, summary
from mda_coder.services.queries import documents, doubts, turns
from mda_coder.store.migrations import MIGRATIONS, latest_version
from mda_coder.store.models import IDENTIFIED
from tests.conftest import ROOT

FIXTURES = ROOT / "tests" / "fixtures" / "schemas"
VERSIONS = [m.version for m in MIGRATIONS]
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}")
V6_MEMO_UUID = "3f1c2b9e-7a44-4d51-9c1e-5b0d8e6a2f17"  # as tools/schema_fixtures.py writes it
CODED = {  # (coder, code, document, the coded words): what every version's fixture holds
    ("anna", "tilltro", "FG1_Norrvik", "Att jag tror på deltagaren."),
    ("erik", "tilltro", "FG1_Norrvik", "Att jag tror på deltagaren."),
    ("anna", "jobbfokus", "FG1_Norrvik", "Mm. Och att vi fokuserar på jobb, hela tiden."),
    ("erik", "jobbfokus", "FG1_Norrvik", "vi fokuserar på jobb"),
    ("anna", "tilltro/tvivel", "Intervju_Älvdala", "Det är trögt ibland."),
    ("anna", "hållning/positiv", "Intervju_Älvdala", "Den är stark."),
    ("erik", "hållning/positiv", "Intervju_Älvdala", "Den är stark."),
}


def copied(tmp_path: Path, version: int) -> Path:
    path = tmp_path / f"v{version}.mda"
    shutil.copyfile(FIXTURES / f"v{version}.mda", path)
    return path


def schema_version(path: Path) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
    finally:
        con.close()


def test_every_released_schema_has_a_fixture() -> None:
    """A new migration needs its fixture: run tools/schema_fixtures.py --version N and commit tests/fixtures/schemas/vN.mda."""
    assert sorted(int(p.stem[1:]) for p in FIXTURES.glob("v*.mda")) == VERSIONS
    for version in VERSIONS:
        assert schema_version(FIXTURES / f"v{version}.mda") == version


@pytest.mark.parametrize("version", VERSIONS)
def test_each_fixture_has_the_tables_of_its_own_version(version: int) -> None:
    """What each migration adds is absent before it: the fixtures are old projects, not today's schema stamped old."""
    con = sqlite3.connect(FIXTURES / f"v{version}.mda")
    names = {row[0] for row in con.execute("SELECT name FROM sqlite_master")}
    columns = {row[1] for row in con.execute("PRAGMA table_info(documents)")}
    coding_columns = {row[1] for row in con.execute("PRAGMA table_info(codings)")}
    con.close()
    assert ("ix_events_actor" in names) == (version >= 2)
    assert ("consensus_decisions" in names) == (version >= 3)
    assert ({"guessed", "doubts"} <= columns) == (version >= 4) and ("guessed" in columns) == (version >= 4)
    assert ({"coder_places", "open_windows"} <= names) == (version >= 5) and ("coder_places" in names) == (version >= 5)
    assert ("uuid" in columns) == (version >= 6) and ("uq_codings_uuid" in names) == (version >= 6)
    assert ("suggestions" in names) == (version >= 9) and ("suggestion_id" in coding_columns) == (version >= 9)
    assert ({"search_index", "search_vocab"} <= names) == (version >= 10) and ("search_index" in names) == (
        version >= 10
    )
    assert {"events_no_update", "events_no_delete"} <= names


@pytest.mark.parametrize("version", VERSIONS)
def test_a_project_of_every_version_opens_with_its_work_intact(tmp_path: Path, version: int) -> None:
    path = copied(tmp_path, version)
    db = open_project(path)  # the normal way in: migrates what it has not had
    try:
        assert schema_version(path) == latest_version()
        about = summary(db)
        # Schema 4's release imported a third transcript, with the importer's doubts about it.
        assert (about.documents, about.turns, about.sentences, about.codes) == (
            (2, 9, 14, 7) if version < 4 else (3, 11, 17, 7)
        )
        assert {"anna", "erik"} <= set(about.coders)
        codings = {(c.coder, c.code_path, c.document, c.text) for c in list_codings(db) if c.coder != "consensus"}
        assert codings == CODED  # the same words, by the same coders, under the same codes
        memo = next(c for c in list_codings(db, coder="erik", code="tilltro"))
        assert memo.memo == "Tydlig tilltro – även när det är trögt."
        said = [t.text for t in turns(db, "FG1_Norrvik")]
        assert said[1] == "Att jag tror på deltagaren. Även när det går trögt."
        assert [t.speaker for t in turns(db, "FG1_Norrvik")][:3] == ["I", "Åsa", "Örjan"]
        memos = {m.text for m in list_memos(db)}
        assert {
            "Intervjun i Älvdala spelades in på distans.",
            "Åsa säger det två gånger.",
            "Tilltro: både uttryckt och ifrågasatt.",
            "Fokusgrupper med handläggare; kodas av två kodare.",
        } <= memos
        guessed = {d.name: (d.guessed, d.doubts) for d in documents(db)}
        assert guessed["FG1_Norrvik"] == (False, 0)  # imported before doubts were kept: none, and no guess
        if version >= 4:
            assert guessed["FG3_Öje"] == (True, 1)
            [doubt] = doubts(db, "FG3_Öje")
            assert (doubt.line, doubt.text) == (2, "Öje: Vi har inte hunnit börja.")
        found = examine_open(db)
        assert found.problems == 0, [(c.name, c.examples) for c in found.checks if c.problems]
    finally:
        db.close()
    con = sqlite3.connect(path)
    try:  # every row that a merge or a REFI-QDA exchange matches carries its own uuid
        for table in IDENTIFIED:
            ids = con.execute(f"SELECT uuid FROM {table}").fetchall()
            assert all(UUID.fullmatch(u) for (u,) in ids) and len(set(ids)) == len(ids), table
        [(project,)] = con.execute("SELECT value FROM settings WHERE key = 'project_uuid'").fetchall()
        assert UUID.fullmatch(project)
        if version >= 6:  # a uuid the project already had is kept
            assert con.execute("SELECT text FROM memos WHERE uuid = ?", (V6_MEMO_UUID,)).fetchone() == (
                "Jobbfokus: ofta i samma tur som tilltro.",
            )
    finally:
        con.close()


def test_an_exported_project_keeps_its_guids_as_uuids(tmp_path: Path) -> None:
    """A project exported to REFI-QDA before schema 6 gets, as uuids, the GUIDs that export gave its rows."""
    path = copied(tmp_path, 5)
    con = sqlite3.connect(path)
    con.execute("INSERT INTO settings VALUES ('project_id', 'b7c1f0de-0000-4000-8000-00000000abcd')")
    con.commit()
    con.close()
    open_project(path).close()
    con = sqlite3.connect(path)
    try:
        namespace = uuid.uuid5(uuid.NAMESPACE_URL, "urn:mda-coder:refi-qda")
        for table, kind in (("codes", "code"), ("documents", "source"), ("coders", "user"), ("codings", "coding")):
            for ident, known in con.execute(f"SELECT id, uuid FROM {table}"):
                assert known == str(uuid.uuid5(namespace, f"b7c1f0de-0000-4000-8000-00000000abcd/{kind}/{ident}"))
        assert con.execute("SELECT value FROM settings WHERE key = 'project_uuid'").fetchone() == (
            "b7c1f0de-0000-4000-8000-00000000abcd",
        )
    finally:
        con.close()


@pytest.mark.parametrize("version", VERSIONS)
def test_undo_works_on_the_journal_an_older_version_wrote(tmp_path: Path, version: int) -> None:
    path = copied(tmp_path, version)
    result = CliRunner().invoke(cli, ["undo", str(path), "--as", "anna"])
    assert result.exit_code == 0 and "Undone: apply hållning/positiv to Intervju_Älvdala" in result.output
    result = CliRunner().invoke(cli, ["redo", str(path), "--as", "erik"])
    if version == 1:
        assert result.exit_code == 0 and "nothing to redo for erik" in result.output
    else:  # the undo schema 2 wrote, redone
        assert result.exit_code == 0 and "Redone: apply tilltro/uttryckt to FG1_Norrvik turn 5" in result.output
        result = CliRunner().invoke(cli, ["undo", str(path), "--as", "erik"])
        assert "Undone: apply tilltro/uttryckt to FG1_Norrvik turn 5" in result.output
    result = CliRunner().invoke(cli, ["undo", str(path), "--as", "erik"])  # a coding as schema 1 journalled it
    assert result.exit_code == 0 and "Undone: apply hållning/positiv to Intervju_Älvdala" in result.output
    result = CliRunner().invoke(cli, ["redo", str(path), "--as", "erik"])
    assert result.exit_code == 0 and "Redone: apply hållning/positiv to Intervju_Älvdala" in result.output
    result = CliRunner().invoke(cli, ["doctor", str(path)])
    assert result.exit_code == 0, result.output


@pytest.mark.slow  # three commands, each in a process of its own
def test_a_project_from_a_newer_version_is_refused_in_one_line(tmp_path: Path) -> None:
    path = copied(tmp_path, latest_version())
    con = sqlite3.connect(path)
    con.execute(
        "INSERT INTO schema_migrations VALUES (?, 'from the future', '2027-01-01 00:00:00')", (latest_version() + 1,)
    )
    con.commit()
    con.close()
    for command in (["info"], ["doctor"], ["documents"]):
        done = subprocess.run(
            [sys.executable, "-m", "mda_coder", *command, str(path)],
            capture_output=True,
            text=True,
            env={**os.environ, "MDA_CODER_LANG": "en"},
            timeout=60,
        )
        assert done.returncode == 1 and done.stdout == ""
        assert done.stderr.count("\n") == 1 and "Traceback" not in done.stderr
        assert (
            f"made by a newer mda-coder (schema {latest_version() + 1}, this version knows up to {latest_version()})"
            in done.stderr
        )
    assert schema_version(path) == latest_version() + 1  # untouched


def test_the_tool_makes_the_stored_fixtures(tmp_path: Path) -> None:
    """The stored files are what tools/schema_fixtures.py makes (compared row by row, not byte by byte)."""
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "schema_fixtures.py"), "--out", str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    for version in VERSIONS:
        made, stored = (sqlite3.connect(p) for p in (tmp_path / f"v{version}.mda", FIXTURES / f"v{version}.mda"))
        assert list(made.iterdump()) == list(stored.iterdump()), version
        made.close()
        stored.close()


def test_an_upgrade_that_fails_half_way_leaves_the_project_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A migration is one transaction with its CREATE and ALTER statements, on SQLite too (whose Python
    driver would otherwise commit each of them at once): a migration that fails after its DDL, as a
    killed one would, leaves no table or column of it behind, and the next open does it whole."""
    from mda_coder.store import migrations
    from mda_coder.store.engine import Database

    last = next(m for m in reversed(MIGRATIONS) if m.version != 8)  # 8, the change feed, is the server's alone
    path = copied(tmp_path, last.version - 1)

    def schema() -> list[tuple[str, str]]:
        con = sqlite3.connect(path)
        try:
            return con.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()
        finally:
            con.close()

    before = schema()

    def half(conn: object) -> None:
        last.apply(conn)  # type: ignore[arg-type]  # the real migration, then the failure
        raise RuntimeError("killed here")

    monkeypatch.setattr(
        migrations,
        "MIGRATIONS",
        [*MIGRATIONS[: MIGRATIONS.index(last)], migrations.Migration(last.version, last.description, half)],
    )
    with pytest.raises(RuntimeError, match="killed here"):
        Database.open(path)
    assert schema() == before and schema_version(path) == last.version - 1
    monkeypatch.undo()
    Database.open(path).close()
    assert schema_version(path) == latest_version() and schema() != before


def test_doctor_finds_a_row_without_a_uuid_and_repair_gives_it_one(tmp_path: Path) -> None:
    """On an upgraded SQLite project the column allows NULL: a row another tool wrote without one is found and fixed."""
    path = copied(tmp_path, 5)
    open_project(path).close()
    con = sqlite3.connect(path)
    con.execute("UPDATE codings SET uuid = NULL WHERE id = (SELECT min(id) FROM codings)")
    con.commit()
    con.close()
    found = CliRunner().invoke(cli, ["doctor", str(path), "--json"])
    assert found.exit_code == 1 and "codings row 1 has no uuid" in found.output
    repaired = CliRunner().invoke(cli, ["--no-backup", "doctor", str(path), "--repair"])
    assert repaired.exit_code == 0, repaired.output
    assert "gave codings row 1 a new uuid" in repaired.output
    con = sqlite3.connect(path)
    [(given,)] = con.execute("SELECT uuid FROM codings WHERE id = 1").fetchall()
    con.close()
    assert UUID.fullmatch(given)
    assert CliRunner().invoke(cli, ["doctor", str(path)]).exit_code == 0
