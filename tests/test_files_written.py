"""Files mda-coder writes: all or nothing, readable like any file of the user's, never replaced without --force."""

from __future__ import annotations

import ast
import os
import re
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

PACKAGE = Path(__file__).resolve().parents[1] / "mda_coder"


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


_MODE = re.compile(r"^[rwaxbt+]{1,4}$")
_TEMPORARY = ("mkstemp", "NamedTemporaryFile", "TemporaryFile", "SpooledTemporaryFile")
_OS_CALLS = ("replace", "rename", "renames", "link", "symlink", "truncate")


def _written(call: ast.Call) -> str | None:
    """What ``call`` writes a file with, or None: the calls that make, fill or rename a file.

    ``Path.replace`` cannot be told from ``str.replace`` by its look, so only ``os.replace`` is
    found; ``files.write_text`` is the writer itself.
    """
    f = call.func
    name = f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
    owner = f.value.id if isinstance(f, ast.Attribute) and isinstance(f.value, ast.Name) else None
    modes = [
        a.value
        for a in (*call.args[:2], *(k.value for k in call.keywords if k.arg == "mode"))
        if isinstance(a, ast.Constant) and isinstance(a.value, str) and _MODE.match(a.value)
    ]
    if name in ("write_text", "write_bytes"):
        return None if owner == "files" else name
    if name in ("savefig", "rename", *_TEMPORARY):
        return name
    if owner == "shutil" and name.startswith(("copy", "move")):
        return f"shutil.{name}"
    if owner == "os" and name in _OS_CALLS:
        return f"os.{name}"
    if owner == "os" and name == "open":
        flags = {n.attr for n in ast.walk(call) if isinstance(n, ast.Attribute)}
        return "os.open" if flags & {"O_WRONLY", "O_RDWR", "O_CREAT", "O_APPEND"} else None
    if owner == "sqlite3" and name == "connect":
        return "sqlite3.connect"
    if name in ("open", "fdopen", "ZipFile", "TarFile") and any(set(m) & set("wax+") for m in modes):
        return f"{name}({modes[0]!r})"
    return None


def file_writes(source: str, module: str) -> set[tuple[str, str, str]]:
    """Each (module, function, call) in ``source`` that writes a file."""
    found: set[tuple[str, str, str]] = set()

    def visit(node: ast.AST, where: str) -> None:
        for child in ast.iter_child_nodes(node):
            inner = where
            if isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                inner = f"{where}.{child.name}" if where else child.name
            if isinstance(child, ast.Call) and (what := _written(child)):
                found.add((module, inner or "<module>", what))
            visit(child, inner)

    visit(ast.parse(source), "")
    return found


OWN_WRITERS = {
    ("mda_coder.core.files", "write_file", "mkstemp"): "the writer itself",
    ("mda_coder.core.files", "write_file", "fdopen('wb')"): "the writer itself",
    ("mda_coder.core.files", "write_file", "os.replace"): "the writer itself",
    ("mda_coder.core.files", "_rename_new", "os.link"): "the writer itself",
    ("mda_coder.core.files", "_rename_new", "os.replace"): "the writer itself",
    ("mda_coder.export.heatmap", "_save.draw", "savefig"): "into the stream write_file gives it",
    ("mda_coder.export.refi_project", "write_qdpx", "ZipFile('w')"): "into the stream write_file gives it",
    # The project file is SQLite's: SQLite writes it (and its -wal), a new project or a copy is made
    # under a temporary name and renamed by _made_beside, and its errors are a ProjectError.
    ("mda_coder.store.engine", "make_engine", "sqlite3.connect"): "the project, read-only",
    ("mda_coder.store.engine", "_made_beside", "mkstemp"): "a new project or a copy",
    ("mda_coder.store.engine", "_made_beside", "os.replace"): "copy --force",
    ("mda_coder.store.engine", "_publish", "os.link"): "a new project takes its name",
    ("mda_coder.store.engine", "_publish", "os.replace"): "the same, without hard links",
    ("mda_coder.store.engine", "_read_for_copy", "sqlite3.connect"): "the project copied",
    ("mda_coder.store.environment", "tell_when_waiting.someone_writing", "sqlite3.connect"): "the lock probed",
    ("mda_coder.store.first_page", "read_first_page", "sqlite3.connect"): "the project, read-only",
    # Snapshots: checked SQLite copies in the project's backup folder, each under a temporary name
    # renamed when complete, their errors a BackupFailed or ProjectError naming the project.
    ("mda_coder.store.backups", "_connect", "sqlite3.connect"): "the project snapshotted",
    ("mda_coder.store.backups", "copy_checked", "sqlite3.connect"): "the snapshot made",
    ("mda_coder.store.backups", "describe", "sqlite3.connect"): "a snapshot, read-only",
    ("mda_coder.store.backups", "take", "os.replace"): "the snapshot named",
    ("mda_coder.store.backups", "keep_copy", "open('wb')"): "a damaged project kept byte for byte",
    ("mda_coder.store.backups", "keep_copy", "os.replace"): "the same, named",
    ("mda_coder.store.backups", "_replace_file", "open('wb')"): "a missing project restored",
    ("mda_coder.store.backups", "_replace_file", "os.replace"): "the same, named",
    ("mda_coder.store.backups", "restore", "sqlite3.connect"): "a snapshot restored in place",
}
"""The only calls in mda_coder/ that write files other than through ``core.files``, and what each writes."""


def test_every_file_is_written_by_the_one_writer() -> None:
    """Exports, reports and pictures go through core.files.write_file; only SQLite's own files are written otherwise."""
    found: set[tuple[str, str, str]] = set()
    for path in sorted(PACKAGE.rglob("*.py")):
        module = path.relative_to(PACKAGE.parent).with_suffix("").as_posix().replace("/", ".")
        found |= file_writes(path.read_text(encoding="utf-8"), module)
    assert sorted(found - OWN_WRITERS.keys()) == [], "write files with mda_coder.core.files.write_file"
    assert sorted(OWN_WRITERS.keys() - found) == []  # the list says what is there, nothing more


@pytest.mark.parametrize(
    ("line", "found"),
    [
        ("Path(out).write_text(text)", "write_text"),
        ("out.write_bytes(data)", "write_bytes"),
        ("open(out, 'w')", "open('w')"),
        ("open(out, mode='a', encoding='utf-8')", "open('a')"),
        ("out.open('wb')", "open('wb')"),
        ("shutil.copyfile(a, b)", "shutil.copyfile"),
        ("shutil.move(a, b)", "shutil.move"),
        ("figure.savefig(out)", "savefig"),
        ("zipfile.ZipFile(out, 'w')", "ZipFile('w')"),
        ("os.replace(a, b)", "os.replace"),
        ("os.open(out, os.O_WRONLY | os.O_CREAT)", "os.open"),
        ("tempfile.NamedTemporaryFile(dir=folder)", "NamedTemporaryFile"),
        ("files.write_text(out, render)", None),
        ("open(out)", None),
        ("out.open('rb')", None),
        ("zipfile.ZipFile(out)", None),
        ("name.replace('a', 'b')", None),
    ],
)
def test_the_scan_finds_a_file_written(line: str, found: str | None) -> None:
    assert file_writes(f"def f():\n    {line}\n", "m") == ({("m", "f", found)} if found else set())
