"""Snapshots before risky operations: what they hold, how many are kept, listing, restoring, and unsafe folders."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path, PurePath

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from mda_coder.i18n import Message
from mda_coder.services import backups
from mda_coder.services.codebook import merge_codes
from mda_coder.services.project import open_project
from mda_coder.store import backups as store
from mda_coder.store.migrations import latest_version
from mda_coder.store.places import mounts_table, unsafe_place
from tests.conftest import ROOT

SECOND = """\
Fokusgrupp 10

I: Vad är viktigast?
R1: Att vi har tid.
R2: Och att någon lyssnar.
"""


def run(*args: object, ok: bool = True) -> tuple[str, str]:
    """stdout and stderr of one command, run in-process as a user would run it."""
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert (result.exit_code == 0) == ok, result.output + result.stderr
    return result.stdout, result.stderr


def query(path: Path, sql: str) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def documents(path: Path) -> list[str]:
    return [r[0] for r in query(path, "SELECT name FROM documents ORDER BY name")]


def listed(project: Path) -> list[dict[str, object]]:
    return json.loads(run("backups", "list", project, "--json")[0])


@pytest.fixture
def proj(tmp_path: Path, mini_codebook: Path, transcript: Path) -> Path:
    path = tmp_path / "studie.mda"
    run("init", path, "--codebook", mini_codebook)
    run("import", path, transcript)
    run("codings", "apply", path, "FG9", "-c", "anna", "--code", "tilltro/tvivel", "--turn", "2")
    return path


@pytest.fixture
def second(tmp_path: Path) -> Path:
    path = tmp_path / "FG10.txt"
    path.write_text(SECOND, encoding="utf-8")
    return path


def test_one_file_imported_takes_no_snapshot_two_files_do(proj: Path, second: Path, tmp_path: Path) -> None:
    assert listed(proj) == []  # init, one file, a coding: nothing risky yet
    third = tmp_path / "FG11.txt"
    third.write_text(SECOND.replace("tid", "ro"), encoding="utf-8")
    run("import", proj, second, third)
    [snap] = listed(proj)
    assert snap["operation"] == "import" and snap["schema"] == latest_version()
    assert Path(str(snap["path"])).parent == tmp_path / "studie.mda.backups"
    assert documents(Path(str(snap["path"]))) == ["FG9"]  # the project as it was before the import
    assert documents(proj) == ["FG10", "FG11", "FG9"]


def test_a_code_merge_snapshot_holds_the_code_and_its_codings(proj: Path) -> None:
    db = open_project(proj)
    merge_codes(db, "tilltro/tvivel", "tilltro/uttryckt", coder="anna")
    db.close()
    [snap] = store.snapshots(proj)
    assert snap.operation == "merge"
    before = "SELECT c.name FROM codings JOIN codes c ON c.id = codings.code_id"
    assert query(snap.path, before) == [("tvivel",)]
    assert query(proj, before) == [("uttryckt",)]


def test_a_document_removal_and_a_codebook_import_take_snapshots(proj: Path, mini_codebook: Path) -> None:
    run("documents", "remove", proj, "FG9", "--yes")
    run("codebook", "import", proj, mini_codebook)
    snaps = listed(proj)
    assert [s["operation"] for s in snaps] == ["remove", "codebook-import"]
    assert documents(Path(str(snaps[0]["path"]))) == ["FG9"]
    assert documents(Path(str(snaps[1]["path"]))) == []


def _as_version_4(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("DROP TABLE coder_places")  # what a project made before migration 5 looks like
    con.execute("DROP TABLE open_windows")
    con.execute("DELETE FROM schema_migrations WHERE version > 4")
    con.commit()
    con.close()


def test_a_schema_upgrade_takes_a_snapshot_of_the_old_schema_once(proj: Path) -> None:
    _as_version_4(proj)
    run("info", proj)
    run("info", proj)
    [snap] = listed(proj)
    assert (snap["operation"], snap["schema"]) == ("migration", 4)
    assert query(proj, "SELECT max(version) FROM schema_migrations") == [(latest_version(),)]


def test_a_failed_snapshot_refuses_the_operation_in_one_line_unless_no_backup(
    proj: Path, second: Path, tmp_path: Path
) -> None:
    (tmp_path / "studie.mda.backups").write_text("not a folder", encoding="utf-8")
    third = tmp_path / "FG11.txt"
    third.write_text(SECOND.replace("tid", "ro"), encoding="utf-8")
    _out, err = run("import", proj, second, third, ok=False)
    assert err.count("\n") == 1 and err.startswith("Error: ")
    assert "cannot take a snapshot: " in err and "studie.mda.backups is a file, not a folder" in err
    assert "the import is refused and the project is unchanged" in err
    assert "--no-backup" in err
    assert documents(proj) == ["FG9"]
    run("import", proj, second, third, "--no-backup")
    assert documents(proj) == ["FG10", "FG11", "FG9"]
    run("documents", "remove", proj, "FG11", "--yes", ok=False)
    run("--no-backup", "documents", "remove", proj, "FG11", "--yes")
    assert documents(proj) == ["FG10", "FG9"]


def test_a_schema_upgrade_is_refused_when_no_snapshot_can_be_taken(proj: Path, tmp_path: Path) -> None:
    _as_version_4(proj)
    (tmp_path / "studie.mda.backups").write_text("", encoding="utf-8")
    _, err = run("info", proj, ok=False)
    assert "the schema upgrade is refused and the project is unchanged" in err
    assert query(proj, "SELECT max(version) FROM schema_migrations") == [(4,)]
    run("--no-backup", "info", proj)
    assert query(proj, "SELECT max(version) FROM schema_migrations") == [(latest_version(),)]


def test_a_full_disk_refuses_the_import_and_leaves_no_snapshot(proj: Path, second: Path, tmp_path: Path) -> None:
    # A file-size limit below the project's size: the snapshot's write fails as on a full disk.
    third = tmp_path / "FG11.txt"
    third.write_text(SECOND.replace("tid", "ro"), encoding="utf-8")
    limit = proj.stat().st_size // 2
    script = (
        "import resource, signal, sys; signal.signal(signal.SIGXFSZ, signal.SIG_IGN); "
        f"resource.setrlimit(resource.RLIMIT_FSIZE, ({limit}, {limit})); "
        "from mda_coder.cli import cli; sys.argv[0] = 'mda-coder'; cli()"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, "import", str(proj), str(second), str(third)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "MDA_CODER_LANG": "en"},
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.count("\n") == 1 and "disk I/O error" in done.stderr and "the import is refused" in done.stderr
    assert "Traceback" not in done.stderr
    assert documents(proj) == ["FG9"]
    assert list((tmp_path / "studie.mda.backups").iterdir()) == []


def test_snapshots_are_kept_n_deep_the_oldest_removed(proj: Path) -> None:
    start = datetime(2020, 12, 3, 7, 0, tzinfo=UTC)
    for minute in range(12):
        store.take(proj, "manual", now=start + timedelta(minutes=minute))
    names = [s.name for s in store.snapshots(proj)]
    assert len(names) == store.KEEP == 10
    assert names[0] == "2020-12-03T07-02-00Z-manual.mda" and names[-1] == "2020-12-03T07-11-00Z-manual.mda"
    out, _ = run("backups", "take", proj, "--keep", "3")  # now, so the newest
    assert out.startswith("took ")
    assert [s["snapshot"][:16] for s in listed(proj)][:2] == ["2020-12-03T07-10", "2020-12-03T07-11"]
    store.take(proj, "manual", now=start + timedelta(hours=1))  # the project remembers --keep 3
    assert [s.name[:16] for s in store.snapshots(proj)][:2] == ["2020-12-03T07-11", "2020-12-03T08-00"]
    assert len(store.snapshots(proj)) == 3
    same_second = [store.take(proj, "merge", now=start + timedelta(hours=2)) for _ in range(2)]
    assert [s.name for s in same_second] == ["2020-12-03T09-00-00Z-merge.mda", "2020-12-03T09-00-00Z-2-merge.mda"]


def test_list_shows_when_what_size_and_schema(proj: Path) -> None:
    assert run("backups", "list", proj)[0].strip() == f"no snapshots of {proj} yet"
    store.take(proj, "merge", now=datetime(2026, 12, 3, 7, 30, 12, tzinfo=UTC))
    out, _ = run("backups", "list", proj)
    heading, row = out.splitlines()
    assert heading.split() == ["snapshot", "when", "operation", "size", "schema"]
    assert row.split()[:4] == ["2026-12-03T07-30-12Z-merge.mda", "2026-12-03", "07:30:12", "UTC"]
    assert "before a code merge" in row and row.endswith(str(latest_version())) and " kB" in row
    [snap] = listed(proj)
    assert (
        snap["taken"] == "2026-12-03T07:30:12+00:00"
        and snap["size"] == (proj.parent / "studie.mda.backups" / snap["snapshot"]).stat().st_size
    )


def test_restore_round_trip_and_the_restore_itself_undone(proj: Path) -> None:
    first, _ = run("backups", "take", proj)
    run("codings", "apply", proj, "FG9", "-c", "erik", "--code", "jobbfokus", "--turn", "3")
    coders = "SELECT c.name FROM codings JOIN coders c ON c.id = codings.coder_id ORDER BY 1"
    assert query(proj, coders) == [("anna",), ("erik",)]
    name = first.split("/")[-1].split()[0]
    out, _ = run("backups", "restore", proj, name)
    assert f"restored {proj} from {name}" in out
    assert query(proj, coders) == [("anna",)]
    saved = [s for s in listed(proj) if s["operation"] == "restore"]
    assert len(saved) == 1 and f"kept as {saved[0]['snapshot']}" in out
    run("backups", "restore", proj, saved[0]["path"])  # a path works as well as a name
    assert query(proj, coders) == [("anna",), ("erik",)]
    assert query(proj, "PRAGMA journal_mode") == [("wal",)]  # the project is still a WAL project
    out, err = run("backups", "restore", proj, "2020-01-01T00-00-00Z-manual", ok=False)
    assert "no snapshot '2020-01-01T00-00-00Z-manual'" in err


def test_restore_is_refused_while_another_program_writes(proj: Path) -> None:
    run("backups", "take", proj)
    [snap] = listed(proj)
    other = sqlite3.connect(proj, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("DELETE FROM codings")
    try:
        _, err = run("backups", "restore", proj, snap["snapshot"], "--no-backup", ok=False)
        assert "another program is writing to the project" in err and err.count("\n") == 1
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert query(proj, "SELECT count(*) FROM codings") == [(1,)]


def test_restore_brings_back_a_deleted_or_damaged_project(proj: Path) -> None:
    run("backups", "take", proj)
    [snap] = listed(proj)
    proj.write_bytes(b"garbage" * 1000)
    run("backups", "restore", proj, snap["snapshot"])
    assert documents(proj) == ["FG9"]
    assert [s["operation"] for s in listed(proj)] == ["manual", "damaged"]
    for suffix in ("", "-wal", "-shm"):
        Path(f"{proj}{suffix}").unlink(missing_ok=True)
    run("backups", "restore", proj, snap["snapshot"])
    assert documents(proj) == ["FG9"]


KILLER = """
import sys
from pathlib import Path
from mda_coder.store import backups
backups.STEP_PAGES = 16  # many small steps, so that a kill lands in the middle of the copy
print("start", flush=True)
backups.take(Path(sys.argv[1]), "manual", keep=1000)
print("done", flush=True)
"""


def _copied(folder: Path, earlier: set[Path]) -> int:
    """Bytes in the snapshot being written now (0 before it starts, or once it is renamed)."""
    sizes = [0]
    for partial in set(folder.glob(".*.partial")) - earlier if folder.exists() else ():
        try:
            sizes.append(partial.stat().st_size)
        except FileNotFoundError:
            pass
    return max(sizes)


def test_a_kill_during_a_snapshot_leaves_no_snapshot_that_looks_complete(tmp_path: Path) -> None:
    project = tmp_path / "big.mda"
    con = sqlite3.connect(project)
    con.execute("CREATE TABLE schema_migrations (version INTEGER)")
    con.execute("INSERT INTO schema_migrations VALUES (5)")
    con.execute("CREATE TABLE t (x BLOB)")
    con.executemany("INSERT INTO t VALUES (randomblob(4000))", [()] * 5000)  # about 20 MB
    con.commit()
    con.close()
    folder = tmp_path / "big.mda.backups"
    size = project.stat().st_size
    killed_mid_copy = 0
    for fraction in (0.1, 0.3, 0.5, 0.7, 0.9):
        earlier = set(folder.glob(".*.partial")) if folder.exists() else set()
        child = subprocess.Popen(
            [sys.executable, "-c", KILLER, str(project)], cwd=ROOT, stdout=subprocess.PIPE, text=True
        )
        assert child.stdout is not None and child.stdout.readline() == "start\n"
        # Kill once this copy has reached this fraction of the project (or when it has ended).
        while child.poll() is None and _copied(folder, earlier) < fraction * size:
            time.sleep(0.001)
        child.send_signal(signal.SIGKILL)
        killed_mid_copy += child.wait() == -signal.SIGKILL
        for snap in store.snapshots(project):  # every snapshot that looks complete is complete
            assert query(snap.path, "PRAGMA quick_check") == [("ok",)]
            assert query(snap.path, "SELECT count(*) FROM t") == [(5000,)]
    assert killed_mid_copy >= 1
    partials = list(folder.glob(".*.partial*"))
    assert partials  # left behind, never listed ...
    for partial in partials:
        os.utime(partial, (time.time() - 2 * store.STALE_PARTIAL_SECONDS,) * 2)
    store.take(project, "manual", keep=1000)
    assert list(folder.glob(".*.partial*")) == []  # ... and cleared by the next snapshot


@pytest.mark.parametrize(
    ("path", "mounts", "expected"),
    [
        ("/home/eva/Dropbox/studie/studie.mda", "", ("cloud", "Dropbox", "/home/eva/Dropbox")),
        (
            "/home/eva/Dropbox (Lunds universitet)/studie.mda",
            "",
            ("cloud", "Dropbox", "/home/eva/Dropbox (Lunds universitet)"),
        ),
        (
            "/Users/eva/OneDrive - Göteborgs universitet/x/studie.mda",
            "",
            ("cloud", "OneDrive", "/Users/eva/OneDrive - Göteborgs universitet"),
        ),
        (
            "/Users/eva/Library/Mobile Documents/com~apple~CloudDocs/studie.mda",
            "",
            ("cloud", "iCloud Drive", "/Users/eva/Library/Mobile Documents"),
        ),
        ("/Users/eva/Google Drive/My Drive/studie.mda", "", ("cloud", "Google Drive", "/Users/eva/Google Drive")),
        ("/home/eva/Nextcloud/studie.mda", "", ("cloud", "Nextcloud", "/home/eva/Nextcloud")),
        ("/home/eva/Box/studie.mda", "", ("cloud", "Box", "/home/eva/Box")),
        ("/home/eva/projekt/studie.mda", "", None),
        ("/home/eva/dropboxes/studie.mda", "", None),
        (
            "/mnt/inst/eva/studie.mda",
            "fs.uni.se:/home /mnt/inst nfs4 rw,relatime 0 0\n",
            ("network", "nfs4", "/mnt/inst"),
        ),
        ("/mnt/g/studie.mda", "//fs/grupp /mnt/g cifs rw 0 0\n", ("network", "cifs", "/mnt/g")),
        ("/mnt/my share/studie.mda", "//fs/x /mnt/my\\040share smb3 rw 0 0\n", ("network", "smb3", "/mnt/my share")),
        (
            "/home/eva/remote/studie.mda",
            "eva@host: /home/eva/remote fuse.sshfs rw 0 0\n",
            ("network", "fuse.sshfs", "/home/eva/remote"),
        ),
        ("/mnt/c/Users/eva/studie.mda", "drvfs /mnt/c 9p rw 0 0\n", ("network", "9p", "/mnt/c")),
        # the deepest mount decides: a local disk mounted inside a network share is local
        ("/net/home/local/studie.mda", "srv:/ /net nfs rw 0 0\n/dev/sdb1 /net/home/local ext4 rw 0 0\n", None),
        ("/home/eva/studie.mda", "/dev/sda1 / ext4 rw 0 0\nsrv:/x /home/evan nfs rw 0 0\n", None),
    ],
)
def test_cloud_synced_folders_and_network_mounts_are_recognised(
    path: str, mounts: str, expected: tuple[str, str, str] | None
) -> None:
    place = unsafe_place(PurePath(path), mounts_table(mounts))
    assert ((place.kind, place.name, place.where) if place else None) == expected


def test_a_project_in_a_synced_folder_is_warned_of_once_per_command(tmp_path: Path, mini_codebook: Path) -> None:
    synced = tmp_path / "Dropbox"
    synced.mkdir()
    project = synced / "studie.mda"
    _, err = run("init", project, "--codebook", mini_codebook)
    assert err.count("warning: ") == 1 and "synced by Dropbox" in err and "work on a copy in a local folder" in err
    out, err = run("info", project)
    assert err.count("\n") == 1 and "synced by Dropbox" in err and "warning" not in out


def test_a_postgresql_project_is_said_to_have_no_file_snapshots_once() -> None:
    said: list[Message] = []
    backups.start(notify=said.append)
    try:
        assert backups.before("postgresql://eva:secret@db.uni.se/studie", "merge") is None
        assert backups.before("postgresql://eva:secret@db.uni.se/studie", "import") is None
        assert backups.before(":memory:", "merge") is None
    finally:
        backups.start()
    assert [str(m) for m in said] == [
        "db.uni.se/studie: a PostgreSQL project is not copied to snapshots; back it up with the server's pg_dump"
    ]
    _, err = run("backups", "list", "postgresql://eva:secret@db.uni.se/studie", ok=False)
    assert "has no snapshots" in err and "secret" not in err


@pytest.mark.postgres
def test_a_postgresql_project_imports_several_files_without_a_snapshot(
    pg_url: str, mini_codebook: Path, transcript: Path, second: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    run("init", pg_url, "--codebook", mini_codebook)
    out, err = run("import", pg_url, transcript, second)
    assert "imported 2 of 2 files" in out
    assert err.count("is not copied to snapshots") == 1 and err.count("\n") == 1
    assert not list(tmp_path.glob("*.backups"))


def test_a_snapshot_of_an_open_project_holds_what_is_committed_also_in_the_wal(proj: Path) -> None:
    reader = sqlite3.connect(proj, isolation_level=None)  # an open workspace, say: the WAL is not folded in
    writer = sqlite3.connect(proj, isolation_level=None)
    try:
        reader.execute("SELECT count(*) FROM codings").fetchone()
        run("codings", "apply", proj, "FG9", "-c", "erik", "--code", "jobbfokus", "--turn", "3")
        assert Path(f"{proj}-wal").stat().st_size > 0
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO settings (key, value) VALUES ('half-done', 'not committed')")
        snap = store.take(proj, "manual")  # while another connection is in the middle of writing
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        reader.close()
    assert query(snap.path, "SELECT count(*) FROM codings") == [(2,)]
    assert query(snap.path, "SELECT value FROM settings WHERE key = 'half-done'") == []
    assert query(snap.path, "PRAGMA journal_mode") == [("delete",)]  # one file, no -wal beside it
    assert not Path(f"{snap.path}-wal").exists()


def test_import_qdpx_into_an_existing_project_takes_a_snapshot_into_a_new_one_none(proj: Path, tmp_path: Path) -> None:
    archive = tmp_path / "studie.qdpx"
    run("export", proj, "qdpx", archive)
    run("import-qdpx", tmp_path / "kopia.mda", archive)
    assert not (tmp_path / "kopia.mda.backups").exists()
    other = tmp_path / "annan.mda"
    run("init", other)
    run("import-qdpx", other, archive)
    assert [s["operation"] for s in listed(other)] == ["import-qdpx"]
    shown = CliRunner().invoke(cli, ["backups", "list", str(other)]).output
    assert "before a REFI-QDA import" in shown
    assert documents(Path(str(listed(other)[0]["path"]))) == []


@pytest.mark.postgres
def test_reading_a_postgresql_project_says_nothing_about_snapshots(pg_url: str, mini_codebook: Path) -> None:
    """The note is for commands that would take a snapshot, not for every command that opens the server."""
    run("init", pg_url, "--codebook", mini_codebook)
    for command in (["info"], ["codings", "list"], ["codebook", "list"]):
        _, err = run(*command, pg_url)
        assert err == "", command
