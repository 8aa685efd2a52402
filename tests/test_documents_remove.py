"""Removing a document that came in wrong: every row of it goes, nothing else changes, undo puts it back exactly."""

from __future__ import annotations

import json
import os
import pty
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from mda_coder.core.errors import MdaError
from mda_coder.services import document_removal, importing
from mda_coder.services.codebook import merge_codes
from mda_coder.services.coding import Target, apply_code, list_codings
from mda_coder.services.consensus import adopt_agreed
from mda_coder.services.history import redo, undo
from mda_coder.services.project import open_project
from mda_coder.store.models import Base
from mda_coder.store.removal import TABLES
from tests.conftest import MINI_CODEBOOK
from tests.support.snapshot import dump

SWEDISH = """\
I: Hur ser ni på deltagarnas möjligheter?
R1: Jag tror verkligen på dem. Alla kan nå ett jobb.
R2: Fast det tar tid. Ibland år.
I: Vad gör ni då?
R1: Vi fokuserar på arbete hela tiden.
"""

DANISH = """\
Moderator: Hvad tænker I om kravene?
Deltager 1: Jeg tror på borgerne. De kan godt.
Deltager 2: Men jobbet kommer først. Altid.
Moderator: Og rettighederne?
Deltager 1: Dem glemmer vi lidt.
"""

TRANSCRIPTS = {"FG1": SWEDISH, "FG2": DANISH}

ARROWS = "Moderator >> Hvad tænker I om arbejde?\nLise >> Det er svært at sige.\nOle >> Ja. Meget svært.\n"


def run(*args: object, ok: bool = True) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert (result.exit_code == 0) == ok, result.output
    return result.output


def rows(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def state(path: Path) -> list[str]:
    """The whole project but the journal, which removal, undo and redo only ever append to."""
    return [line for line in dump(path) if not line.startswith('INSERT INTO "events"')]


def rows_of(path: Path, name: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row that belongs to document ``name`` (memos: on it or its turns), table by table."""
    [(doc_id,)] = rows(path, "SELECT id FROM documents WHERE name = ?", name)
    found = {}
    for table in TABLES:
        if table.name == "memos":
            sql = (
                "SELECT * FROM memos WHERE (target_kind = 'document' AND target_id = ?) OR (target_kind = 'turn' "
                "AND target_id IN (SELECT id FROM turns WHERE document_id = ?)) ORDER BY id"
            )
            found[table.name] = rows(path, sql, doc_id, doc_id)
        else:
            column = "id" if table.name == "documents" else "document_id"
            found[table.name] = rows(path, f"SELECT * FROM {table.name} WHERE {column} = ? ORDER BY id", doc_id)
    return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two focus groups (Swedish, Danish), each coded by anna and erik, with consensus and memos."""
    folder = tmp_path_factory.mktemp("built")
    codebook = folder / "mini.yaml"
    codebook.write_text(MINI_CODEBOOK, encoding="utf-8")
    path = folder / "studie.mda"
    run("init", path, "--codebook", codebook)
    for name, text in TRANSCRIPTS.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        run("import", path, folder / f"{name}.txt", "--group", name)
        for coder, turns in (("anna", (2, 3)), ("erik", (2, 5))):
            for turn in turns:
                run("codings", "apply", path, name, "--coder", coder, "--code", "tilltro", "--turn", turn)
        run(
            "codings", "apply", path, name, "--coder", "anna", "--code", "jobbfokus", "--sentence", 2, "--memo", "stark"
        )
        run("memos", "add", path, f"Om {name}", "--document", name, "--coder", "anna")
        run("memos", "add", path, f"Tur 2 i {name}", "--document", name, "--turn", 2, "--coder", "erik")
    run("speaker", path, "FG1", "R1", "--person", "Lena")
    run("speaker", path, "FG2", "Deltager 1", "--person", "Lena")
    run("memos", "add", path, "Hela projektet")
    run("memos", "add", path, "Om tilltro", "--code", "tilltro")
    db = open_project(path)
    assert adopt_agreed(db, ["anna", "erik"], reviewer="anna") == 2  # turn 2 of each document
    db.close()
    return path


@pytest.fixture
def proj(built: Path, tmp_path: Path) -> Path:
    """A copy of the built project for one test, with the transcript files next to it."""
    for name, text in TRANSCRIPTS.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    for suffix in ("", "-wal", "-shm"):
        if Path(f"{built}{suffix}").exists():
            shutil.copyfile(f"{built}{suffix}", tmp_path / f"studie.mda{suffix}")
    return tmp_path / "studie.mda"


def test_remove_takes_every_row_of_the_document_and_nothing_else(proj: Path) -> None:
    other, before = rows_of(proj, "FG1"), state(proj)
    [(fg2,)] = rows(proj, "SELECT id FROM documents WHERE name = 'FG2'")
    removed = rows_of(proj, "FG2")
    assert all(removed[t] for t in ("speakers", "turns", "sentences", "codings", "memos", "consensus_decisions"))
    indexed = rows(proj, "SELECT * FROM search_index WHERE document_id = ?", fg2)
    indexed += rows(proj, "SELECT * FROM search_forms WHERE document_id = ?", fg2)
    turns_indexed = rows(proj, "SELECT count(*) FROM search_index WHERE document_id = ?", fg2)
    assert turns_indexed == [(len(removed["turns"]),)]  # the index goes with the document (made again on undo)
    out = run("documents", "remove", proj, "FG2", "--yes")
    assert out.splitlines() == [
        "removed FG2: 5 turns, 6 codings (anna 3, erik 2, consensus 1), 2 memos, 1 consensus decision",
        f"to take it back: mda-coder undo {proj}",
    ]
    assert rows_of(proj, "FG1") == other
    turn_ids = [r[0] for r in removed["turns"]]
    for table in Base.metadata.sorted_tables:
        if "document_id" in table.c:
            assert rows(proj, f"SELECT count(*) FROM {table.name} WHERE document_id = ?", fg2) == [(0,)], table.name
    marks = ",".join("?" * len(turn_ids))
    assert rows(
        proj, f"SELECT count(*) FROM memos WHERE target_kind = 'turn' AND target_id IN ({marks})", *turn_ids
    ) == [(0,)]
    assert rows(proj, "SELECT count(*) FROM memos WHERE target_kind = 'document' AND target_id = ?", fg2) == [(0,)]
    assert rows(proj, "SELECT name FROM persons") == [("Lena",)]  # people outlive one document
    assert rows(proj, "SELECT text FROM memos WHERE target_kind IN ('project', 'code') ORDER BY id") == [
        ("Hela projektet",),
        ("Om tilltro",),
    ]
    # Nothing else changed: the state now is the state before less FG2's rows.
    after = state(proj)
    assert set(after) <= set(before)
    assert len(before) - len(after) == sum(len(v) for v in removed.values()) + len(indexed)
    [(_actor, entity_id, data)] = rows(
        proj, "SELECT actor, entity_id, data FROM events WHERE action = 'document.remove'"
    )
    entry = json.loads(data)
    assert (entity_id, entry["name"], entry["turns"], entry["codings"]) == (fg2, "FG2", 5, 6)
    assert {t: len(v["values"]) for t, v in entry["snapshot"]["rows"].items()} == {
        t: len(v) for t, v in removed.items()
    }


def test_undo_restores_the_project_exactly_and_redo_removes_it_again(proj: Path) -> None:
    before = state(proj)
    run("documents", "remove", proj, "FG2", "--yes", "--as", "olof")
    removed = state(proj)
    assert run("undo", proj) == "nothing to undo\n"  # the default actor did not remove it
    assert run("undo", proj, "--as", "olof") == "Undone: remove document FG2 (5 turns, 6 codings)\n"
    assert state(proj) == before
    assert run("redo", proj, "--as", "olof") == "Redone: remove document FG2 (5 turns, 6 codings)\n"
    assert state(proj) == removed
    assert run("redo", proj, "--as", "olof") == "nothing to redo for olof\n"
    run("undo", proj, "--as", "olof")
    assert state(proj) == before
    # Older journal entries name the document by id: anna's own undo still reaches her coding on FG2.
    db = open_project(proj)
    step = undo(db, "anna")
    assert step is not None and step.description.startswith("apply jobbfokus to FG2 ")
    db.close()


def test_undo_puts_rows_back_whose_ids_were_taken_since(proj: Path, tmp_path: Path) -> None:
    db = open_project(proj)
    codings_before = sorted((c.coder, c.code_path, c.document, c.span, c.memo) for c in list_codings(db))
    document_removal.remove_document(db, "FG2", actor="olof")
    # New rows take the ids SQLite frees: a coding and a memo on FG1, and a third document.
    new, _ = apply_code(db, coder="erik", code="jobbfokus", document="FG1", target=Target(turn=4))
    (tmp_path / "FG3.txt").write_text(ARROWS, encoding="utf-8")
    importing.import_files(db, [tmp_path / "FG3.txt"])
    run("memos", "add", proj, "Efteråt", "--document", "FG3")
    step = undo(db, "olof")
    assert step is not None and step.document == "FG2"
    after = sorted((c.coder, c.code_path, c.document, c.span, c.memo) for c in list_codings(db))
    assert after == sorted([*codings_before, ("erik", "jobbfokus", "FG1", new.span, None)])
    assert "Efteråt" in run("memos", "list", proj) and "FG2 turn 2" in run("memos", "list", proj)
    # Every sentence of FG2 is in a turn of FG2, every turn's speaker is FG2's.
    assert rows(
        proj, "SELECT count(*) FROM sentences s JOIN turns t ON s.turn_id = t.id WHERE s.document_id != t.document_id"
    ) == [(0,)]
    assert rows(
        proj, "SELECT count(*) FROM turns t JOIN speakers p ON t.speaker_id = p.id WHERE p.document_id != t.document_id"
    ) == [(0,)]
    assert [
        r[0]
        for r in rows(
            proj,
            "SELECT label FROM speakers s JOIN documents d ON s.document_id = d.id WHERE d.name = 'FG2' ORDER BY s.id",
        )
    ] == [
        "Moderator",
        "Deltager 1",
        "Deltager 2",
    ]
    db.close()


def test_the_same_file_imports_again_after_removal_and_undo_then_refuses(proj: Path, tmp_path: Path) -> None:
    out = run("import", proj, tmp_path / "FG2.txt")
    assert "already imported as 'FG2', skipped" in out
    [(old_id,)] = rows(proj, "SELECT id FROM documents WHERE name = 'FG2'")
    run("documents", "remove", proj, "FG2", "--yes")
    out = run("import", proj, tmp_path / "FG2.txt", "--group", "FG2")
    assert "FG2.txt → FG2: 3 speakers, 5 turns" in out
    [(new_id,)] = rows(proj, "SELECT id FROM documents WHERE name = 'FG2'")
    assert new_id != old_id  # journal entries about the old FG2 must not reach the new one
    assert rows(proj, "SELECT count(*) FROM codings WHERE document_id = ?", new_id) == [(0,)]
    unchanged = dump(proj)
    out = run("undo", proj, ok=False)
    assert out == (
        "Error: cannot undo 'remove document FG2 (5 turns, 6 codings)': a document with the same file ('FG2') was "
        "imported since; remove it first with --as another name (undo would take back your own removal of it first)\n"
    )
    assert dump(proj) == unchanged
    # Done as the message says, undo brings the first FG2 back with its codings.
    run("documents", "remove", proj, "FG2", "--as", "städ")
    assert run("undo", proj).startswith("Undone: remove document FG2")
    assert rows(proj, "SELECT id FROM documents WHERE name = 'FG2'") == [(old_id,)]
    assert rows(proj, "SELECT count(*) FROM codings WHERE document_id = ?", old_id) == [(6,)]


def test_a_file_read_wrong_is_imported_again_with_a_speaker_pattern(proj: Path, tmp_path: Path) -> None:
    source = tmp_path / "FG3.txt"
    source.write_text(ARROWS, encoding="utf-8")
    assert "FG3: 0 speakers, 1 turns" in run("import", proj, source)
    assert run("documents", "remove", proj, "FG3").startswith("removed FG3: 1 turn, 0 codings, 0 memos")
    out = run("import", proj, source, "--speaker-pattern", r"^(?P<speaker>\w+) >> ")
    assert "FG3: 3 speakers, 3 turns" in out and "speakers: Moderator (moderator) 1 · Lise 1 · Ole 1" in out


def test_a_coders_redo_on_the_removed_document_does_not_land_on_a_new_one(proj: Path, tmp_path: Path) -> None:
    db = open_project(proj)
    [(old_id,)] = rows(proj, "SELECT id FROM documents WHERE name = 'FG2'")
    assert old_id == max(r[0] for r in rows(proj, "SELECT id FROM documents"))  # SQLite would reuse it
    undo(db, "anna")  # anna's jobbfokus on FG2 sentence 2 is now hers to redo
    document_removal.remove_document(db, "FG2", actor="olof")
    importing.import_files(db, [tmp_path / "FG2.txt"])
    with pytest.raises(MdaError, match="its document is no longer in the project"):
        redo(db, "anna")
    assert [c.document for c in list_codings(db, coder="anna")] == ["FG1", "FG1", "FG1"]
    db.close()


def test_removal_asks_first_and_refuses_without_a_terminal(proj: Path) -> None:
    unchanged = dump(proj)
    result = CliRunner().invoke(cli, ["documents", "remove", str(proj), "FG2"])
    assert result.exit_code == 1
    assert result.output == (
        "Error: 'FG2' has 5 turns, 6 codings (anna 3, erik 2, consensus 1), 2 memos, 1 consensus decision: "
        "add --yes to remove it (there is no terminal to ask)\n"
    )
    assert dump(proj) == unchanged


def test_unknown_document_names_the_documents_there_are(proj: Path) -> None:
    unchanged = dump(proj)
    out = run("documents", "remove", proj, "FG7", "--yes", ok=False)
    assert out == "Error: no document called 'FG7' (documents: FG1, FG2)\n"
    assert dump(proj) == unchanged


def test_json_for_scripts(proj: Path) -> None:
    data = json.loads(run("documents", "remove", proj, "FG1", "--yes", "--json", "--as", "anna"))
    assert data == {
        "name": "FG1",
        "turns": 5,
        "codings": {"anna": 3, "erik": 2, "consensus": 1},
        "memos": 2,
        "decisions": 1,
        "actor": "anna",
        "undo": f"mda-coder undo {proj} --as anna",
    }
    assert [d["name"] for d in json.loads(run("documents", proj, "--json"))] == ["FG2"]


def test_undo_refuses_when_a_code_of_its_codings_is_gone(proj: Path) -> None:
    db = open_project(proj)
    document_removal.remove_document(db, "FG2", actor="olof")
    merge_codes(db, "jobbfokus", "tilltro", coder="anna")
    unchanged = dump(proj)
    with pytest.raises(MdaError) as refused:
        undo(db, "olof")
    assert str(refused.value) == (
        "cannot undo 'remove document FG2 (5 turns, 6 codings)': the code 'jobbfokus' that its codings use is no "
        "longer in the codebook (deleted or merged since); add it back or undo the merge first"
    )
    assert dump(proj) == unchanged
    undo(db, "anna")  # the merge
    assert undo(db, "olof") is not None
    assert len(list_codings(db, document="FG2")) == 6
    db.close()


def test_the_snapshot_covers_every_table_that_refers_to_a_document() -> None:
    """A new table pointing at documents, turns, speakers or codings must be added to ``store.removal``."""
    held = {t.name for t in TABLES}
    for table in Base.metadata.sorted_tables:
        targets = {fk.column.table.name for fk in table.foreign_keys}
        if targets & {"documents", "turns", "speakers", "sentences", "codings"}:
            assert table.name in held, table.name
    assert "memos" in held  # memos point at documents and turns by target_id, without a foreign key


def test_undo_and_redo_from_the_command_line_walk_a_coders_steps(proj: Path) -> None:
    assert run("undo", proj, "--as", "anna").startswith("Undone: apply jobbfokus to FG2 ")
    assert run("redo", proj, "--as", "anna").startswith("Redone: apply jobbfokus to FG2 ")
    assert run("redo", proj, "--as", "anna") == "nothing to redo for anna\n"


@pytest.mark.parametrize(("answer", "removed"), [("n", False), ("y", True)])
def test_removal_in_a_terminal_shows_what_goes_and_asks(proj: Path, answer: str, removed: bool) -> None:
    unchanged = dump(proj)
    main, terminal = pty.openpty()
    try:
        os.write(main, f"{answer}\n".encode())
        done = subprocess.run(
            [sys.executable, "-m", "mda_coder", "documents", "remove", str(proj), "FG2"],
            stdin=terminal,
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        os.close(terminal)
        os.close(main)
    assert done.stderr.startswith(
        "Removing 'FG2' takes away 5 turns, 6 codings (anna 3, erik 2, consensus 1), 2 memos, 1 consensus decision.\n"
        "Remove it? [y/N]: "
    )
    if removed:
        assert done.returncode == 0 and done.stdout.startswith("removed FG2: 5 turns")
        assert [d for (d,) in rows(proj, "SELECT name FROM documents")] == ["FG1"]
    else:
        assert done.returncode == 1 and done.stdout == ""
        assert done.stderr.endswith("'FG2' was not removed\n")
        assert dump(proj) == unchanged
