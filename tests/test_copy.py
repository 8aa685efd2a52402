"""mda-coder copy: a whole, checked copy of a project file, or no file at all."""

from __future__ import annotations

import os
import sqlite3
import stat
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli.app import cli
from mda_coder.services import importing
from mda_coder.services.coding import Target, apply_code
from mda_coder.services.project import create_project


@pytest.fixture
def coded(tmp_path: Path, mini_codebook: Path, transcript: Path) -> Path:
    path = tmp_path / "studie.mda"
    db = create_project(path, "sv", mini_codebook, actor="test")
    importing.import_files(db, [transcript])
    apply_code(db, coder="anna", code="tilltro", document="FG9", target=Target(turn=2))
    apply_code(db, coder="erik", code="jobbfokus", document="FG9", target=Target(span=(70, 90)))
    db.close()
    return path


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def rows(path: Path) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(
            "SELECT c.start_offset, c.end_offset, k.name FROM codings c JOIN codes k ON k.id = c.code_id "
            "ORDER BY 1, 2, 3"
        ).fetchall()
    finally:
        con.close()


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if ".partial-" in p.name)


def test_a_copy_holds_the_same_work_in_one_file_readable_by_others(coded: Path, tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        code, out = run("copy", coded, tmp_path / "kopia.mda")
    finally:
        os.umask(old)
    assert code == 0 and "copied" in out and "2 codings" in out
    copy = tmp_path / "kopia.mda"
    assert rows(copy) == rows(coded) and len(rows(copy)) == 2
    assert stat.S_IMODE(copy.stat().st_mode) == 0o644
    assert not Path(f"{copy}-wal").exists() and leftovers(tmp_path) == []
    assert run("doctor", copy)[0] == 0


def test_an_existing_file_is_replaced_only_with_force(coded: Path, tmp_path: Path) -> None:
    target = tmp_path / "kopia.mda"
    target.write_text("mina anteckningar")
    code, out = run("copy", coded, target)
    assert code == 1 and f"{target} exists; add --force to replace it" in out
    assert target.read_text() == "mina anteckningar"
    assert run("copy", coded, target, "--force")[0] == 0
    assert rows(target) == rows(coded)


@pytest.mark.parametrize("case", ["not a project", "no folder", "onto itself"])
def test_a_copy_that_cannot_be_made_leaves_nothing(coded: Path, tmp_path: Path, case: str) -> None:
    source, target = coded, tmp_path / "kopia.mda"
    if case == "not a project":
        source = tmp_path / "anteckningar.txt"
        source.write_text("inte ett projekt")
    elif case == "no folder":
        target = tmp_path / "saknas" / "kopia.mda"
    else:
        target = coded
    before = coded.read_bytes()
    code, out = run("copy", source, target, "--force")
    assert code == 1 and len(out.strip().splitlines()) == 1 and out.startswith("Error: ")
    assert leftovers(tmp_path) == [] and coded.read_bytes() == before
    if case != "onto itself":
        assert not target.exists()


def test_a_killed_copy_leaves_only_a_hidden_file_that_the_next_copy_removes(coded: Path, tmp_path: Path) -> None:
    abandoned = tmp_path / ".kopia.mda.partial-abc123"
    abandoned.write_bytes(b"SQLite format 3\x00" + b"\x00" * 100)  # half a copy, nobody holding it
    assert not (tmp_path / "kopia.mda").exists()
    assert run("copy", coded, tmp_path / "kopia.mda")[0] == 0
    assert leftovers(tmp_path) == []


def test_a_copy_while_another_program_writes_holds_what_was_committed(coded: Path, tmp_path: Path) -> None:
    writer = sqlite3.connect(coded, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("DELETE FROM codings")  # not committed: the copy must not see it
        assert run("copy", coded, tmp_path / "kopia.mda")[0] == 0
        writer.execute("ROLLBACK")
    finally:
        writer.close()
    assert len(rows(tmp_path / "kopia.mda")) == 2


def test_a_server_project_is_not_copied_as_a_file(tmp_path: Path) -> None:
    code, out = run("copy", "postgresql://anna@127.0.0.1/studie", tmp_path / "kopia.mda")
    assert code == 1 and "pg_dump" in out and not (tmp_path / "kopia.mda").exists()
