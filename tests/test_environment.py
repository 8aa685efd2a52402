"""The user's environment, not their data, going wrong: a lock held by another program, a full disk, a read-only
project, a damaged archive, a killed command. Each is one line naming the file and the cause, never a traceback,
and leaves the project as it was (or no half-made project at all)."""

from __future__ import annotations

import hashlib
import os
import signal
import struct
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

from mda_coder.core.errors import ProjectError
from mda_coder.services import importing
from mda_coder.services.coding import Target, apply_code
from mda_coder.services.project import create_project
from mda_coder.store.engine import Database
from tests.support.cli import ok, one_line_error, run
from tests.support.disks import full_disk
from tests.support.snapshot import dump


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def coded(project: Database, transcript: Path, tmp_path: Path) -> Path:
    importing.import_files(project, [transcript], group="FG9")
    apply_code(project, coder="anna", code="tilltro", document="FG9", target=Target(turn=2))
    project.close()
    return tmp_path / "studie.mda"


@pytest.fixture
def exported(coded: Path, tmp_path: Path) -> Path:
    out = tmp_path / "studie.qdpx"
    ok("export", coded, "qdpx", out)
    return out


# -- a damaged .qdpx ----------------------------------------------------------------------------


def damaged(archive: Path, out: Path, entry: str, how: str) -> Path:
    """``archive`` with one entry's compressed bytes garbled (``deflate``) or its checksum wrong (``crc``)."""
    data = bytearray(archive.read_bytes())
    with zipfile.ZipFile(archive) as z:
        info = z.getinfo(entry)
    local = info.header_offset
    name_length, extra_length = struct.unpack("<HH", data[local + 26 : local + 30])
    start = local + 30 + name_length + extra_length
    if how == "deflate":
        for i in range(start + info.compress_size // 3, start + info.compress_size // 3 + 16):
            data[i] ^= 0x55
    else:
        wrong = struct.pack("<I", (info.CRC + 1) & 0xFFFFFFFF)
        data[local + 14 : local + 18] = wrong
        central = bytes(data).find(b"PK\x01\x02")
        while central != -1:
            (n,) = struct.unpack("<H", data[central + 28 : central + 30])
            if data[central + 46 : central + 46 + n].decode() == entry:
                data[central + 16 : central + 20] = wrong
            central = bytes(data).find(b"PK\x01\x02", central + 4)
    out.write_bytes(bytes(data))
    return out


@pytest.mark.parametrize("how", ["deflate", "crc"])
@pytest.mark.parametrize("entry", ["project.qde", "source"])
def test_a_damaged_qdpx_entry_is_one_line_and_leaves_no_project(
    exported: Path, tmp_path: Path, how: str, entry: str
) -> None:
    with zipfile.ZipFile(exported) as z:
        name = "project.qde" if entry == "project.qde" else next(n for n in z.namelist() if n.startswith("sources/"))
    bad = damaged(exported, tmp_path / "trasig.qdpx", name, how)
    new = tmp_path / "ny.mda"
    message = one_line_error("import-qdpx", new, bad)
    assert message.startswith(f"Error: {bad}: entry '{name}' is damaged and cannot be read")
    assert not new.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".ny.mda")]


def test_a_damaged_qdpx_into_an_existing_project_changes_nothing(coded: Path, exported: Path, tmp_path: Path) -> None:
    before = dump(coded)  # the rows, not the bytes: SQLite may move committed pages from its -wal into the file
    bad = damaged(exported, tmp_path / "trasig.qdpx", "project.qde", "deflate")
    assert "is damaged and cannot be read" in one_line_error("import-qdpx", coded, bad)
    assert dump(coded) == before


# -- another program writing ---------------------------------------------------------------------

HOLD = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("ROLLBACK")
"""


@pytest.fixture
def holder(coded: Path) -> Iterator[callable]:
    started: list[subprocess.Popen[str]] = []

    def hold(seconds: float) -> None:
        process = subprocess.Popen(
            [sys.executable, "-c", HOLD, str(coded), str(seconds)], stdout=subprocess.PIPE, text=True
        )
        started.append(process)
        assert process.stdout is not None and process.stdout.readline().strip() == "holding"

    yield hold
    for process in started:
        process.kill()
        process.wait()


def test_a_command_waits_for_another_writer_and_says_so(
    coded: Path, holder: callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MDA_CODER_LOCK_WAIT", "30")
    holder(3)
    out = ok("codings", "apply", coded, "FG9", "--coder", "erik", "--code", "jobbfokus", "--turn", "3")
    assert f"waiting for another program to finish writing {coded}…" in out
    assert "applied: jobbfokus by erik" in out


def test_a_lock_held_past_the_wait_is_one_line_and_changes_nothing(
    coded: Path, holder: callable, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MDA_CODER_LOCK_WAIT", "1.5")
    holder(30)
    before = dump(coded)
    status, out = run("codings", "apply", coded, "FG9", "--coder", "erik", "--code", "jobbfokus", "--turn", "3")
    assert status == 1 and "Traceback" not in out
    assert out.strip().splitlines()[-1] == (
        f"Error: {coded}: another program is writing to this project; try again when it is done"
    )
    assert dump(coded) == before


def test_the_library_says_busy_in_one_line_too(coded: Path, holder: callable) -> None:
    from mda_coder.core import waiting

    waiting.wait_for_writers(0.5)
    try:
        holder(30)
        db = Database.open(coded)
        with pytest.raises(ProjectError, match="another program is writing to this project"):
            apply_code(db, coder="erik", code="jobbfokus", document="FG9", target=Target(turn=3))
        db.close()
    finally:
        waiting.wait_for_writers(5.0)


# -- a full disk ----------------------------------------------------------------------------------


@pytest.fixture
def full_database() -> Iterator[None]:
    """Every SQLite connection opened from now on may not grow its file: SQLite then reports SQLITE_FULL,
    "database or disk is full", as on a full disk (a simulation: ``PRAGMA max_page_count``)."""

    def cap(dbapi_conn: object, _record: object) -> None:
        cursor = dbapi_conn.cursor()  # type: ignore[attr-defined]
        pages = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count={max(pages, 1)}")
        cursor.close()

    event.listen(Pool, "connect", cap)
    yield
    event.remove(Pool, "connect", cap)


def test_a_full_disk_while_importing_says_so_and_changes_nothing(
    coded: Path, tmp_path: Path, full_database: None
) -> None:
    before = dump(coded)
    big = tmp_path / "FG8.txt"
    big.write_text(
        "".join(
            f"R{i % 3 + 1}: Det här är en ganska lång tur nummer {i} om arbete och tilltro.\n" for i in range(3000)
        ),
        encoding="utf-8",
    )
    message = one_line_error("import", coded, big)
    assert message == f"Error: {coded}: the disk is full; free some space and try again (nothing was changed)"
    assert dump(coded) == before


def test_a_full_disk_while_creating_leaves_no_project(tmp_path: Path) -> None:
    """A real full disk where one can be made (a small tmpfs, as root); skipped elsewhere."""
    with full_disk(tmp_path / "disk") as disk:
        message = one_line_error("init", disk / "ny.mda")
        assert "the disk is full" in message and "not an mda-coder project" not in message
        assert sorted(p.name for p in disk.iterdir()) == ["filler"]


# -- a read-only project --------------------------------------------------------------------------


@pytest.fixture
def read_only(coded: Path, tmp_path: Path) -> Iterator[Path]:
    """The project on a read-only disk (a tmpfs mounted read-only, as root), else in a folder and file
    the user may not write (as anyone else: root may write to any file whatever its permissions)."""
    media = tmp_path / "media"
    media.mkdir()
    if os.geteuid() == 0:
        if subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(media)], capture_output=True
        ).returncode:
            pytest.skip("cannot mount a file system here, and root may write to any file")
        (media / coded.name).write_bytes(coded.read_bytes())
        subprocess.run(["mount", "-o", "remount,ro", str(media)], check=True)
        yield media / coded.name
        subprocess.run(["umount", "--lazy", str(media)], check=True)  # lazy: the runner may still hold a connection
    else:
        (media / coded.name).write_bytes(coded.read_bytes())
        (media / coded.name).chmod(0o444)
        media.chmod(0o555)
        yield media / coded.name
        media.chmod(0o755)


def test_a_read_only_project_can_be_read_and_exported_elsewhere(read_only: Path, tmp_path: Path) -> None:
    assert "1 codings" in ok("info", read_only)
    assert "FG9" in ok("documents", read_only)
    assert "tilltro" in ok("codings", "list", read_only)
    assert "tilltro" in ok("report", read_only, "frequencies")
    ok("export", read_only, "csv", tmp_path / "kodningar.csv")
    assert "tilltro" in (tmp_path / "kodningar.csv").read_text(encoding="utf-8")
    assert sorted(p.name for p in read_only.parent.iterdir()) == [read_only.name]


def test_a_read_only_project_can_be_copied_to_where_it_can_be_changed(read_only: Path, tmp_path: Path) -> None:
    ok("copy", read_only, tmp_path / "min.mda")
    assert "1 codings" in ok("info", tmp_path / "min.mda")
    ok("codings", "apply", tmp_path / "min.mda", "FG9", "--coder", "erik", "--code", "jobbfokus", "--turn", "3")
    assert sorted(p.name for p in read_only.parent.iterdir()) == [read_only.name]


def test_changing_a_read_only_project_says_so_in_one_line(read_only: Path) -> None:
    before = digest(read_only)
    message = one_line_error(
        "codings", "apply", read_only, "FG9", "--coder", "erik", "--code", "jobbfokus", "--turn", "3"
    )
    assert message.startswith(f"Error: {read_only} is read-only: ")
    assert message.endswith("; it can be read but not changed")
    assert "not an mda-coder project" not in message
    assert digest(read_only) == before


def test_no_project_can_be_made_where_nothing_can_be_written(read_only: Path) -> None:
    message = one_line_error("init", read_only.parent / "ny.mda")
    assert message.startswith(f"Error: cannot create {read_only.parent / 'ny.mda'}: ")
    assert "not an mda-coder project" not in message


# -- a killed command leaves no half-made project -------------------------------------------------

KILLED_WHILE_CREATING = """
import sys, time
from mda_coder.store.engine import Database
with Database.creating(sys.argv[1]) as db:
    print("creating", flush=True)
    time.sleep(60)
"""


def test_a_project_killed_while_being_made_leaves_no_project_and_the_next_attempt_cleans_up(tmp_path: Path) -> None:
    target = tmp_path / "ny.mda"
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_WHILE_CREATING, str(target)], stdout=subprocess.PIPE, text=True
    )
    assert process.stdout is not None and process.stdout.readline().strip() == "creating"
    process.send_signal(signal.SIGKILL)
    process.wait()
    assert not target.exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".ny.mda.partial-")]
    assert "created" in ok("init", target)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ny.mda"]


def test_a_partial_project_being_made_by_another_program_is_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "ny.mda"
    process = subprocess.Popen(
        [sys.executable, "-c", KILLED_WHILE_CREATING, str(target)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert process.stdout is not None and process.stdout.readline().strip() == "creating"
        (partial,) = [p for p in tmp_path.iterdir() if p.name.startswith(".ny.mda.partial-") and "-" not in p.name[-4:]]
        create_project(tmp_path / "ny.mda", "sv").close()
        assert partial.exists()
    finally:
        process.kill()
        process.wait()


def test_import_qdpx_killed_midway_leaves_no_project(exported: Path, tmp_path: Path) -> None:
    target = tmp_path / "ny.mda"
    command = [sys.executable, "-m", "mda_coder", "import-qdpx", str(target), str(exported)]
    for delay in (0.0, 0.3, 0.8):
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while not any(p.name.startswith(".ny.mda.partial-") for p in tmp_path.iterdir()) and process.poll() is None:
            assert time.monotonic() < deadline
            time.sleep(0.01)
        time.sleep(delay)
        process.send_signal(signal.SIGKILL)
        process.wait()
        if target.exists():  # finished before the kill: then it is the whole project
            assert "1 documents" in ok("info", target)
            return
    ok("import-qdpx", target, exported)
    assert "1 codings" in ok("info", target)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".ny.mda")) == []


def test_opening_a_project_on_a_full_disk_says_the_disk_is_full(coded: Path, tmp_path: Path) -> None:
    """SQLite says "disk I/O error" when it finds no room for its -shm file; the user is told the disk is full."""
    with full_disk(
        tmp_path / "disk", "1m", before=lambda disk: (disk / coded.name).write_bytes(coded.read_bytes())
    ) as disk:
        message = one_line_error("info", disk / coded.name)
        assert (
            message
            == f"Error: {disk / coded.name}: the disk is full; free some space and try again (nothing was changed)"
        )


def test_the_command_lines_long_wait_ends_with_the_command(coded: Path) -> None:
    """A command waits minutes and says so on stderr; the library (and the workspace) afterwards waits seconds, silently."""
    from mda_coder.core import waiting

    ok("info", coded)
    assert (waiting.WAIT.seconds, waiting.WAIT.notice) == (5.0, None)


def test_a_server_url_without_the_postgres_extra_is_one_line() -> None:
    """The base install has no PostgreSQL driver: a server URL says how to get it (a password never shown)."""
    script = (
        "import sys; sys.modules['psycopg'] = None; "  # as on an install without the postgres extra
        "sys.argv = ['mda-coder', 'info', 'postgresql://anna:hemligt@127.0.0.1/studie']; "
        "from mda_coder.cli.app import main; main()"
    )
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env={**os.environ, "MDA_CODER_LANG": "en"},
        timeout=60,
    )
    assert done.returncode == 1 and done.stdout == "" and "Traceback" not in done.stderr
    assert done.stderr == (
        "Error: postgresql://anna:***@127.0.0.1/studie: a PostgreSQL project needs the PostgreSQL driver: "
        "pip install 'mda-coder[postgres]' (in a checkout: pip install -e '.[postgres]')\n"
    )
