"""Files mda-coder writes: all or nothing, readable like any file of the user's, never replaced without --force."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mda_coder.services import importing
from mda_coder.services.coding import Target, apply_code
from mda_coder.store.engine import Database
from tests.support.cli import one_line_error, run
from tests.support.disks import full_disk


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)
    yield
    os.umask(old)


@pytest.fixture
def coded(project: Database, transcript: Path, tmp_path: Path) -> Path:
    importing.import_files(project, [transcript], group="FG9")
    apply_code(project, coder="anna", code="tilltro", document="FG9", target=Target(turn=2))
    apply_code(project, coder="erik", code="jobbfokus", document="FG9", target=Target(turn=3))
    return tmp_path / "studie.mda"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def writings(coded: Path, out: Path) -> list[tuple[object, ...]]:
    """Every command that writes a file, writing ``out``."""
    return [
        ("export", coded, "markdown", out),
        ("export", coded, "csv", out),
        ("export", coded, "qdc", out),
        ("export", coded, "qdpx", out),
        ("codings", "export", coded, out),
        ("codebook", "export", coded, out),
        ("report", coded, "frequencies", "--csv", out),
        ("report", coded, "frequencies", "--md", out),
        ("report", coded, "frequencies", "--plot", out.with_suffix(".svg")),
        ("agree", coded, "--coder", "anna,erik", "--csv", out),
        ("agree", coded, "--coder", "anna,erik", "--md", out),
    ]


def test_every_written_file_has_the_users_normal_permissions(coded: Path, tmp_path: Path, umask_022: None) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    for i, command in enumerate(writings(coded, folder / "x.txt")):
        out = folder / f"{i}.txt"
        command = tuple(
            out if part == folder / "x.txt" else out.with_suffix(".svg") if part == folder / "x.svg" else part
            for part in command
        )
        status, said = run(*command)
        assert status == 0, (command, said)
        written = out if out.exists() else out.with_suffix(".svg")
        assert mode(written) == 0o644, command
    # nothing but the files asked for: no temporary file left beside them
    assert sorted(p.name for p in folder.iterdir()) == sorted(
        f"{i}.svg" if "--plot" in c else f"{i}.txt" for i, c in enumerate(writings(coded, folder / "x.txt"))
    )


def test_an_existing_file_is_refused_without_force_and_replaced_with_it(coded: Path, tmp_path: Path) -> None:
    out = tmp_path / "mine.txt"
    for command in writings(coded, out):
        target = out.with_suffix(".svg") if "--plot" in command else out
        target.write_text("my own notes\n", encoding="utf-8")
        message = one_line_error(*command)
        assert message == f"Error: {target} exists; add --force to replace it", command
        assert target.read_text(encoding="utf-8") == "my own notes\n"
        status, said = run(*command, "--force")
        assert status == 0, (command, said)
        assert target.read_text(encoding="utf-8", errors="replace") != "my own notes\n"
        target.unlink()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_report_is_refused_before_anything_is_written(coded: Path, tmp_path: Path) -> None:
    """With --csv new and --md existing, neither is written: the refusal comes before the work."""
    new, existing = tmp_path / "new.csv", tmp_path / "old.md"
    existing.write_text("old\n", encoding="utf-8")
    assert "exists; add --force" in one_line_error("report", coded, "frequencies", "--csv", new, "--md", existing)
    assert not new.exists() and existing.read_text(encoding="utf-8") == "old\n"


WRITE_LIMITED = """
import resource, signal, sys
from mda_coder.cli.app import main
signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails with EFBIG instead of killing the process
resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]), int(sys.argv[1])))
sys.argv = ["mda-coder", *sys.argv[2:]]
main()
"""


def test_a_write_that_fails_midway_leaves_the_old_file_and_no_temporary_file(coded: Path, tmp_path: Path) -> None:
    """A file size limit (RLIMIT_FSIZE) makes the write fail part-way, as a full disk would (EFBIG, not ENOSPC)."""
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "utdrag.md"
    out.write_text("the export of last week\n", encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", WRITE_LIMITED, "300", "export", str(coded), "markdown", str(out), "--force"],
        capture_output=True,
        text=True,
        env={**os.environ, "MDA_CODER_LANG": "en"},
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr.strip() == f"Error: cannot write {out}: the file would be larger than the system allows"
    assert out.read_text(encoding="utf-8") == "the export of last week\n"
    assert [p.name for p in folder.iterdir()] == ["utdrag.md"]


def test_a_full_disk_says_so(coded: Path, tmp_path: Path) -> None:
    """A real full disk where one can be made (a 64 KiB tmpfs, as root); skipped elsewhere."""
    with full_disk(tmp_path / "disk") as disk:
        out = disk / "kodningar.qdpx"
        message = one_line_error("export", coded, "qdpx", out)
        assert message == f"Error: cannot write {out}: the disk is full"
        assert sorted(p.name for p in disk.iterdir()) == ["filler"]


def test_a_dash_means_standard_output_and_writes_no_file(
    coded: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run("codings", "export", coded, "-")[1].startswith("coding_id,document,")
    assert run("codebook", "export", coded, "-")[1].startswith("name:")
    assert not (tmp_path / "-").exists()


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="no /dev/full here")
def test_standard_output_on_a_full_disk_is_one_line(coded: Path) -> None:
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            [sys.executable, "-m", "mda_coder", "codings", "export", str(coded)],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env={**os.environ, "MDA_CODER_LANG": "en"},
            timeout=120,
        )
    assert done.returncode == 1
    assert done.stderr.strip() == "Error: the disk is full"
