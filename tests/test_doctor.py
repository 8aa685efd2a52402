"""mda-coder doctor: each check finds a problem planted with raw SQL, --repair fixes what it says it fixes."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli.app import cli
from mda_coder.services import history, importing
from mda_coder.services.coding import Target, apply_code, remove_code
from mda_coder.services.doctor import examine
from mda_coder.services.memos import add_memo
from mda_coder.services.project import create_project
from mda_coder.services.sample import build_sample_project


@pytest.fixture
def coded(tmp_path: Path, mini_codebook: Path, transcript: Path) -> Path:
    """A small project with two coders' codings, an undone and a redone step, a removal and a memo."""
    path = tmp_path / "studie.mda"
    db = create_project(path, "sv", mini_codebook, actor="test")
    importing.import_files(db, [transcript])
    apply_code(db, coder="anna", code="tilltro", document="FG9", target=Target(turn=2))
    apply_code(db, coder="anna", code="jobbfokus", document="FG9", target=Target(turn=3))
    apply_code(db, coder="erik", code="tilltro", document="FG9", target=Target(span=(70, 90)))
    apply_code(db, coder="erik", code="jobbfokus", document="FG9", target=Target(turn=5))
    remove_code(db, coder="erik", code="jobbfokus", document="FG9", target=Target(turn=5))
    history.undo(db, "anna")
    history.redo(db, "anna")
    add_memo(db, "Tilltro återkommer.", document="FG9", coder="anna")
    db.close()
    return path


@pytest.fixture
def raw(coded: Path) -> Iterator[sqlite3.Connection]:
    """The project file opened as any SQLite tool would: no foreign keys, no CHECKs, so anything can be planted."""
    con = sqlite3.connect(coded, isolation_level=None)
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("PRAGMA ignore_check_constraints=ON")
    yield con
    con.close()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["doctor", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def checks(path: Path, *args: str) -> tuple[int, dict[str, dict[str, object]]]:
    code, out = run(str(path), "--json", *args)
    return code, {c["check"]: c for c in json.loads(out)["checks"]}


def test_a_coded_project_is_clean(coded: Path) -> None:
    code, out = run(str(coded))
    assert code == 0
    assert "No problems: the project is sound." in out
    assert "codings inside their document's text" in out


def test_the_sample_project_is_clean(tmp_path: Path) -> None:
    build_sample_project(tmp_path / "exempel.mda").close()
    found = examine(tmp_path / "exempel.mda")
    assert found.problems == 0
    assert {c.name for c in found.checks} == {
        "integrity",
        "foreign_keys",
        "codings",
        "turns",
        "sentences",
        "journal",
        "memos",
        "flags",
        "search_index",
        "code_tree",
        "identity",
    }
    assert next(c for c in found.checks if c.name == "codings").checked > 100


def test_json_says_clean_for_scripts(coded: Path) -> None:
    code, out = run(str(coded), "--json")
    data = json.loads(out)
    assert code == 0 and data["clean"] is True and data["problems"] == 0
    assert all(c["problems"] == 0 and c["skipped"] is False for c in data["checks"])


def test_a_missing_project_is_one_line(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["doctor", str(tmp_path / "nej.mda")])
    assert result.exit_code == 1
    assert result.output.strip().count("\n") == 0
    assert "nej.mda: no such project" in result.output


def test_a_file_that_is_no_database_is_one_line(tmp_path: Path) -> None:
    path = tmp_path / "trasig.mda"
    path.write_bytes(b"nothing like SQLite " * 300)
    result = CliRunner().invoke(cli, ["doctor", str(path)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.strip().count("\n") == 0 and "trasig.mda" in result.output


def test_a_coding_outside_its_text_is_named_and_never_removed(coded: Path, raw: sqlite3.Connection) -> None:
    length = raw.execute("SELECT length(text) FROM documents").fetchone()[0]
    raw.execute("UPDATE codings SET end_offset = ? WHERE id = (SELECT min(id) FROM codings)", (length + 5,))
    code, out = run(str(coded))
    assert code == 1
    assert f"is not inside the text ({length} characters)" in out
    assert "1 problem found." in out
    code, found = checks(coded, "--repair")
    assert code == 1 and found["codings"]["problems"] == 1 and found["codings"]["repaired"] == []
    assert raw.execute("SELECT count(*) FROM codings WHERE end_offset = ?", (length + 5,)).fetchone()[0] == 1


def test_an_empty_span_is_found(coded: Path, raw: sqlite3.Connection) -> None:
    raw.execute("UPDATE codings SET end_offset = start_offset WHERE id = (SELECT max(id) FROM codings)")
    code, found = checks(coded)
    assert code == 1 and found["codings"]["problems"] == 1


def test_overlapping_turns_and_a_gap_in_their_numbers(coded: Path, raw: sqlite3.Connection) -> None:
    raw.execute("UPDATE turns SET start_offset = start_offset - 8 WHERE position = 3")
    raw.execute("UPDATE turns SET position = 9 WHERE position = 5")
    code, found = checks(coded)
    assert code == 1 and found["turns"]["problems"] == 2
    said = " ".join(found["turns"]["examples"])
    assert "FG9 turn 3:" in said and "overlaps the one before" in said
    assert "turn numbers jump from 4 to 9" in said


def test_a_turn_past_the_end_of_the_text(coded: Path, raw: sqlite3.Connection) -> None:
    raw.execute("UPDATE turns SET end_offset = end_offset + 1000 WHERE position = (SELECT max(position) FROM turns)")
    code, found = checks(coded)
    assert code == 1 and "is not inside the text" in found["turns"]["examples"][0]


def test_a_sentence_outside_its_turn(coded: Path, raw: sqlite3.Connection) -> None:
    raw.execute("UPDATE sentences SET turn_id = (SELECT id FROM turns WHERE position = 1) WHERE position = 4")
    code, found = checks(coded)
    assert code == 1 and found["sentences"]["problems"] == 1
    assert (
        "sentence 4" in found["sentences"]["examples"][0]
        and "is not inside its turn 1" in found["sentences"]["examples"][0]
    )


def test_orphans_are_removed_or_cleared_and_each_coding_is_named(coded: Path, raw: sqlite3.Connection) -> None:
    raw.execute("INSERT INTO turns (document_id, position, start_offset, end_offset) VALUES (77, 1, 0, 5)")
    raw.execute("UPDATE turns SET speaker_id = 999 WHERE position = 2")
    raw.execute(
        "INSERT INTO codings (uuid, coder_id, code_id, document_id, start_offset, end_offset, created_at, modified_at) "
        "SELECT 'e0d9a7c2-1f3b-4c5d-8e6f-7a8b9c0d1e2f', coder_id, code_id, 77, 0, 5, created_at, modified_at "
        "FROM codings LIMIT 1"
    )
    raw.execute("UPDATE codings SET code_id = 555 WHERE id = (SELECT min(id) FROM codings)")
    code, found = checks(coded)
    assert code == 1 and found["foreign_keys"]["problems"] == 4
    assert any("document_id = 77 names no row in documents" in e for e in found["foreign_keys"]["examples"])

    code, out = run(str(coded), "--repair")
    assert code == 1  # the coding whose code is gone waits for a person
    assert "repaired: removed coding" in out and "document 77, 0-5" in out  # named, not silent
    assert "repaired: turns row" in out and "speaker_id cleared" in out
    assert "left for you to decide" in out
    assert raw.execute("SELECT count(*) FROM turns WHERE document_id = 77").fetchone()[0] == 0
    assert raw.execute("SELECT count(*) FROM codings WHERE document_id = 77").fetchone()[0] == 0
    assert raw.execute("SELECT speaker_id FROM turns WHERE position = 2").fetchone()[0] is None
    assert raw.execute("SELECT count(*) FROM codings WHERE code_id = 555").fetchone()[0] == 1
    code, found = checks(coded)
    assert found["foreign_keys"]["problems"] == 1


def test_a_repair_is_all_or_nothing_and_a_check_alone_changes_nothing(coded: Path, raw: sqlite3.Connection) -> None:
    raw.execute("INSERT INTO turns (document_id, position, start_offset, end_offset) VALUES (77, 1, 0, 5)")
    run(str(coded))
    run(str(coded), "--json")
    assert raw.execute("SELECT count(*) FROM turns WHERE document_id = 77").fetchone()[0] == 1
    code, out = run(str(coded), "--repair")
    assert code == 0 and "No problems left after the repair." in out


def test_a_repair_keeps_a_snapshot_of_the_project_as_it_was(coded: Path, raw: sqlite3.Connection) -> None:
    raw.execute("INSERT INTO turns (document_id, position, start_offset, end_offset) VALUES (77, 1, 0, 5)")
    run(str(coded))
    assert not (coded.parent / "studie.mda.backups").exists()  # a check alone takes no snapshot
    code, _ = run(str(coded), "--repair")
    assert code == 0
    [snapshot] = (coded.parent / "studie.mda.backups").glob("*-repair.mda")
    before = sqlite3.connect(snapshot)
    try:
        assert before.execute("SELECT count(*) FROM turns WHERE document_id = 77").fetchone()[0] == 1
    finally:
        before.close()
    assert raw.execute("SELECT count(*) FROM turns WHERE document_id = 77").fetchone()[0] == 0


def test_a_cycle_in_the_code_tree(coded: Path, raw: sqlite3.Connection) -> None:
    raw.execute("UPDATE codes SET parent_id = (SELECT id FROM codes WHERE name = 'uttryckt') WHERE name = 'tilltro'")
    code, found = checks(coded)
    assert code == 1 and found["code_tree"]["problems"] == 1
    assert (
        "tilltro → uttryckt → tilltro" in found["code_tree"]["examples"][0]
        or "uttryckt → tilltro → uttryckt" in found["code_tree"]["examples"][0]
    )


def test_an_undo_that_names_nothing_and_one_undone_twice(coded: Path, raw: sqlite3.Connection) -> None:
    raw.execute(
        "INSERT INTO events (at, actor, action, entity, entity_id, data) VALUES "
        "('2026-01-01 00:00:00', 'anna', 'history.undo', 'event', 9999, '{\"event\": 9999}')"
    )
    target = raw.execute("SELECT entity_id FROM events WHERE action = 'history.redo'").fetchone()[0]
    raw.execute(
        "INSERT INTO events (at, actor, action, entity, entity_id, data) VALUES "
        "('2026-01-01 00:00:00', 'anna', 'history.redo', 'event', ?, '{}')",
        (target,),
    )
    code, found = checks(coded)
    said = found["journal"]["examples"]
    assert code == 1 and found["journal"]["problems"] == 2, said
    assert any("names entry 9999, which does not exist" in e for e in said)
    assert any("repeats the step before it" in e for e in said)


def test_an_undo_by_someone_else_is_found(coded: Path, raw: sqlite3.Connection) -> None:
    anna = raw.execute("SELECT max(id) FROM events WHERE actor = 'anna' AND action = 'coding.apply'").fetchone()[0]
    raw.execute(
        "INSERT INTO events (at, actor, action, entity, entity_id, data) VALUES "
        "('2026-01-01 00:00:00', 'erik', 'history.undo', 'event', ?, '{}')",
        (anna,),
    )
    code, found = checks(coded)
    assert code == 1 and "which is anna's, not erik's" in found["journal"]["examples"][0]


def test_a_removed_coding_that_is_still_there(coded: Path, raw: sqlite3.Connection) -> None:
    data = json.loads(raw.execute("SELECT data FROM events WHERE action = 'coding.remove'").fetchone()[0])
    raw.execute(
        "INSERT INTO codings (uuid, coder_id, code_id, document_id, start_offset, end_offset, created_at, modified_at) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            "4b2e8f10-9c3d-4e7a-a1b2-c3d4e5f60718",
            data["coder_id"],
            data["code_id"],
            data["document_id"],
            data["start"],
            data["end"],
            data["created"].replace("T", " ").split("+")[0],
            "2026-01-01 00:00:00",
        ),
    )
    code, found = checks(coded)
    assert code == 1 and "removed a coding that is still there" in found["journal"]["examples"][0]


def test_a_journal_open_to_changes_is_closed_again(coded: Path, raw: sqlite3.Connection) -> None:
    raw.execute("DROP TRIGGER events_no_delete")
    code, out = run(str(coded))
    assert code == 1 and "its trigger events_no_delete is missing" in out
    code, out = run(str(coded), "--repair")
    assert code == 0 and "the journal is append-only again" in out
    with pytest.raises(sqlite3.IntegrityError, match="append-only"):
        raw.execute("DELETE FROM events")


def test_a_damaged_index_is_found_by_the_integrity_check(coded: Path, raw: sqlite3.Connection) -> None:
    # Rows changed behind an index's back (writable_schema lets a tool rename it out of the way for a moment).
    raw.execute("PRAGMA writable_schema=ON")
    raw.execute(
        "UPDATE sqlite_master SET sql = replace(sql, 'start_offset, end_offset)', 'end_offset, start_offset)') "
        "WHERE name = 'ix_codings_document_span'"
    )
    raw.execute("PRAGMA writable_schema=OFF")
    raw.close()
    code, found = checks(coded)
    assert code == 1 and found["integrity"]["problems"] >= 1
    assert "restore a backup" in found["integrity"]["note"]
    code, found = checks(coded, "--quick")
    assert found["integrity"]["checked"] == 1


def test_swedish_words(coded: Path, raw: sqlite3.Connection, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MDA_CODER_LANG", "sv")
    raw.execute("UPDATE codes SET parent_id = (SELECT id FROM codes WHERE name = 'uttryckt') WHERE name = 'tilltro'")
    code, out = run(str(coded))
    assert code == 1 and "1 problem hittades." in out


def test_a_damaged_table_is_reported_not_a_traceback(coded: Path) -> None:
    con = sqlite3.connect(coded)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root, size = con.execute(
        "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_master WHERE name = 'codings'"
    ).fetchone()
    con.close()
    data = bytearray(coded.read_bytes())
    data[(root - 1) * size : (root - 1) * size + 8] = b"\x0d\x00\x00\x00\xff\xff\xff\xff"  # a leaf claiming 255 cells
    coded.write_bytes(bytes(data))
    result = CliRunner().invoke(cli, ["doctor", str(coded)])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "problems found." in result.output and "restore a backup" in result.output


def test_a_file_damaged_where_the_tables_are_named_is_one_line(coded: Path) -> None:
    data = bytearray(coded.read_bytes())
    data[100:4096] = bytes((i * 37) % 251 for i in range(3996))  # the first page: the schema itself
    coded.write_bytes(bytes(data))
    result = CliRunner().invoke(cli, ["doctor", str(coded)])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert result.output.startswith("Error:") and result.output.strip().count("\n") == 0


def test_a_memo_on_a_turn_that_is_gone_is_named_and_kept(coded: Path, raw: sqlite3.Connection) -> None:
    raw.execute(
        "INSERT INTO memos (uuid, target_kind, target_id, coder_id, title, text, created_at, modified_at) "
        "VALUES ('9d8c7b6a-5f4e-4d3c-b2a1-0f9e8d7c6b5a', 'turn', 4242, NULL, '', 'Återkom till detta i analysen, det är viktigt för tilltron.', "
        "'2026-01-01 00:00:00', '2026-01-01 00:00:00')"
    )
    code, found = checks(coded, "--repair")
    assert code == 1 and found["memos"]["problems"] == 1 and found["memos"]["checked"] == 2
    assert (
        "is on turn 4242, which does not exist: “Återkom till detta i analysen, det är v…”"
        in found["memos"]["examples"][0]
    )
    assert raw.execute("SELECT count(*) FROM memos").fetchone()[0] == 2


def test_a_coding_with_two_dangling_references_is_one_problem(coded: Path, raw: sqlite3.Connection) -> None:
    raw.execute("UPDATE codings SET code_id = 555, document_id = 77 WHERE id = (SELECT min(id) FROM codings)")
    code, found = checks(coded)
    assert code == 1 and found["foreign_keys"]["problems"] == 1
    assert "(and 1 more of its references)" in found["foreign_keys"]["examples"][0]
    code, out = run(str(coded), "--repair")  # its document is gone: it would have gone with it, and is named
    assert code == 0 and "repaired: removed coding" in out and "(anna, ?, document 77," in out


def test_an_undo_whose_stack_top_names_nothing(coded: Path, raw: sqlite3.Connection) -> None:
    erik = raw.execute("SELECT min(id) FROM events WHERE actor = 'erik' AND action = 'coding.apply'").fetchone()[0]
    state = json.dumps({"event": erik, "state": {"undo": [8888, None], "redo": [erik, -1]}})
    raw.execute(
        "INSERT INTO events (at, actor, action, entity, entity_id, data) VALUES "
        "('2026-01-01 00:00:00', 'erik', 'history.undo', 'event', ?, ?)",
        (erik, state),
    )
    code, found = checks(coded)
    assert code == 1 and found["journal"]["problems"] == 1, found["journal"]["examples"]
    assert "its undo stack top names entry 8888, which does not exist" in found["journal"]["examples"][0]


def test_a_damaged_file_is_not_repaired_on_top_of_its_damage(coded: Path, raw: sqlite3.Connection) -> None:
    raw.execute("INSERT INTO turns (document_id, position, start_offset, end_offset) VALUES (77, 1, 0, 5)")
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    root, size = raw.execute(
        "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_master WHERE name = 'codes'"
    ).fetchone()
    raw.close()
    data = bytearray(coded.read_bytes())
    data[(root - 1) * size : (root - 1) * size + 8] = b"\x0d\x00\x00\x00\xff\xff\xff\xff"
    coded.write_bytes(bytes(data))
    result = CliRunner().invoke(cli, ["doctor", str(coded), "--repair"])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "--repair changed nothing: a damaged file is not repaired on top of its damage" in result.output
    con = sqlite3.connect(coded)
    assert con.execute("SELECT count(*) FROM turns WHERE document_id = 77").fetchone()[0] == 1
    con.close()


def test_a_repair_that_cannot_write_a_row_changes_nothing(coded: Path, raw: sqlite3.Connection) -> None:
    raw.execute("UPDATE turns SET speaker_id = 999 WHERE position = 2")
    raw.execute("INSERT INTO turns (document_id, position, start_offset, end_offset) VALUES (77, 1, 0, 5)")
    raw.execute("CREATE TRIGGER keep_turns BEFORE DELETE ON turns BEGIN SELECT RAISE(ABORT, 'turns are kept'); END")
    result = CliRunner().invoke(cli, ["doctor", str(coded), "--repair"])
    assert (result.exit_code == 1 and result.exception is None) or isinstance(result.exception, SystemExit)
    assert "not repaired, nothing was changed (turns are kept)" in result.output
    assert result.output.strip().count("\n") == 0
    assert raw.execute("SELECT speaker_id FROM turns WHERE position = 2 AND document_id <> 77").fetchone()[0] == 999
    assert raw.execute("SELECT count(*) FROM turns WHERE document_id = 77").fetchone()[0] == 1
