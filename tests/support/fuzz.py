"""What every fuzz test asks of a command: a result, or one line on stderr and an unchanged project.

The budget: each property runs a fixed number of examples, derandomized, so CI sees the same
inputs every run and a failure reproduces. ``MDA_FUZZ_EXAMPLES=2000`` runs every property that
many times with fresh random inputs, to search longer on a developer's machine.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import tempfile
import traceback
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner, Result
from hypothesis import HealthCheck, settings

from mda_coder.cli import cli
from tests.support import snapshot

_LONGER = os.environ.get("MDA_FUZZ_EXAMPLES")


def budget(examples: int) -> settings:
    """Hypothesis settings for one property: ``examples`` in CI, or ``$MDA_FUZZ_EXAMPLES`` fresh ones."""
    return settings(
        max_examples=int(_LONGER) if _LONGER else examples,
        derandomize=not _LONGER,
        deadline=None,
        database=None,
        print_blob=True,
        suppress_health_check=[
            HealthCheck.too_slow,
            HealthCheck.data_too_large,
            HealthCheck.filter_too_much,
            HealthCheck.function_scoped_fixture,
        ],
    )


def dump(path: Path) -> list[str]:
    """The project's whole content (``snapshot.dump``), sorted: the same rows are the same project in any order."""
    return sorted(snapshot.dump(path))


def healthy(path: Path) -> list[str]:
    """What SQLite's own checks find wrong with a project file: nothing when it is sound."""
    con = sqlite3.connect(path)
    try:
        problems = [row[0] for row in con.execute("PRAGMA integrity_check") if row[0] != "ok"]
        problems += [f"foreign key: {row}" for row in con.execute("PRAGMA foreign_key_check")]
        return problems
    finally:
        con.close()


def copy_project(template: Path, folder: Path) -> Path:
    """A fresh copy of a closed project file (and its WAL, if one was left) to fuzz in."""
    target = folder / template.name
    shutil.copyfile(template, target)
    for suffix in ("-wal", "-shm"):
        side = template.with_name(template.name + suffix)
        if side.exists():
            shutil.copyfile(side, target.with_name(target.name + suffix))
    return target


@dataclass
class Outcome:
    exit_code: int
    stdout: str
    stderr: str


def run(*args: object) -> Outcome:
    """Run one command in-process and insist it ended as a user may see a command end.

    Exit 0; or exit 1 with one line on stderr; or click's own usage error (exit 2, ``Usage:``
    and one ``Error:`` line) for an option value of the wrong type. An exception escaping the
    command, a traceback in the output or any other exit fails the property with the traceback.
    """
    result: Result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise AssertionError(f"traceback from {args!r}:\n" + "".join(traceback.format_exception(result.exception)))
    out, err = result.stdout, result.stderr
    assert "Traceback" not in out + err, (args, out, err)
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, out, err)
    if result.exit_code == 1:
        lines = err.strip("\n").splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), (args, err)
    if result.exit_code == 2:
        assert err.startswith("Usage:") and err.count("Error: ") == 1, (args, err)
    return Outcome(result.exit_code, out, err)


def run_on(project: Path, *args: object) -> Outcome:
    """``run`` a command that may change ``project``; when it fails, the project must be as it was."""
    before = dump(project)
    outcome = run(*args)
    if outcome.exit_code != 0:
        assert dump(project) == before, (args, outcome.stderr)
    assert healthy(project) == [], args
    return outcome


def mutate(data: bytes, edits: list[tuple[int, int, int]]) -> bytes:
    """``data`` with each edit applied: (kind, where, byte) — 0 flips a byte, 1 deletes one, 2 inserts one, 3 cuts the rest."""
    buf = bytearray(data)
    for kind, where, value in edits:
        if not buf:
            break
        at = where % len(buf)
        if kind == 0:
            buf[at] ^= value or 1
        elif kind == 1:
            del buf[at]
        elif kind == 2:
            buf.insert(at, value)
        else:
            del buf[at:]
    return bytes(buf)


class Scratch:
    """A fresh copy of a template project, and a folder for the example's input files; gone afterwards."""

    def __init__(self, template: Path | None) -> None:
        self._dir = tempfile.TemporaryDirectory()
        self.folder = Path(self._dir.name)
        self.project = copy_project(template, self.folder) if template else self.folder / "studie.mda"

    @classmethod
    def empty(cls) -> Scratch:
        """A folder without a project in it yet."""
        return cls(None)

    def file(self, name: str, data: bytes | str) -> Path:
        path = self.folder / name
        if isinstance(data, str):
            path.write_text(data, encoding="utf-8", newline="")
        else:
            path.write_bytes(data)
        return path

    def __enter__(self) -> Scratch:
        return self

    def __exit__(self, *exc: object) -> None:
        self._dir.cleanup()
