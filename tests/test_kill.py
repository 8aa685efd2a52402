"""SIGKILL in the middle of the writing commands: the project is sound and each command is all or nothing.

Each operation runs once to the end, timed from the moment its process opens the project (the
``-wal`` file appears) to its exit; then it is run again and again on fresh copies and each run is
killed a seeded random time within that span after it opens the project. After each kill the project must pass SQLite's integrity and
foreign-key checks, and its content (every row, timestamps aside) must be the state before or the
state after the complete run, nothing between. A migration runs each version's step in a
transaction of its own, so for it every version on the way is a whole state too.

``MDA_KILL_SEED`` picks other kill moments; the total time is bounded by ``BUDGET`` whatever the
machine's speed (every operation gets at least ``MIN_POINTS`` kills); ``MDA_KILL_POINTS`` and
``MDA_KILL_SECONDS`` run more of them locally.
"""

from __future__ import annotations

import os
import random
import re
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import insert

from mda_coder.store import migrations
from mda_coder.store.engine import make_engine
from mda_coder.store.models import IDENTIFIED, SchemaInfo
from tests.conftest import MINI_CODEBOOK, TRANSCRIPT
from tests.support.fuzz import dump, healthy, run

pytestmark = pytest.mark.slow  # each test kills real child processes mid-write and reopens the project

ROOT = Path(__file__).resolve().parents[1]
SEED = int(os.environ.get("MDA_KILL_SEED", "12"))
POINTS = int(os.environ.get("MDA_KILL_POINTS", "12"))
"""Kill points per operation, when the budget allows (``MDA_KILL_POINTS=50`` and a larger budget locally)."""
CONCURRENT = 2
MIN_POINTS = 4
BUDGET = float(os.environ.get("MDA_KILL_SECONDS", "60"))
"""Seconds for the whole kill test (four operations), the complete runs included."""
SAID = [line.split(": ", 1)[1] for line in TRANSCRIPT.splitlines() if ": " in line]
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_TIME = re.compile(r"\d{4}-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:?\d\d|Z)?")
"""A timestamp, in a column or in a journal entry's JSON."""


def _healthy(project: Path) -> list[str]:
    """Integrity and foreign-key checks (what ``doctor`` will check first); an empty list when sound.

    Opening the file read-write also lets SQLite roll back what a killed process left in the WAL.
    """
    return healthy(project)


def _state(project: Path) -> list[str]:
    """The project's rows with timestamps and uuids blanked: two complete runs of one command give the same."""
    return [_TIME.sub("<time>", _UUID.sub("<uuid>", line)) for line in dump(project)]


def _command(*args: object) -> list[str]:
    return [sys.executable, "-m", "mda_coder", *(str(a) for a in args)]


def _env() -> dict[str, str]:
    return {**os.environ, "MDA_CODER_LANG": "en", "PYTHONPATH": str(ROOT)}


def _copy(project: Path, folder: Path) -> Path:
    """A copy of the project file alone, its WAL first written into it."""
    con = sqlite3.connect(project)
    try:
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    target = folder / project.name
    shutil.copyfile(project, target)
    return target


def _window(args: Callable[[Path], list[object]], base: Path, folder: Path) -> tuple[float, float, list[str]]:
    """Run the command to the end on copies, as many at once as the kills will: when it opened the
    project, when it ended (the later of the runs), and the state it left."""
    runs = []
    for n in range(CONCURRENT):
        project = _copy(base, folder / str(n))
        process = subprocess.Popen(
            _command(*args(project)), cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
        )
        runs.append((project, project.with_name(project.name + "-wal"), process))
    started = time.monotonic()
    opened: dict[int, float] = {}
    while any(process.poll() is None for _, _, process in runs):
        for n, (_, wal, _process) in enumerate(runs):
            if n not in opened and wal.exists():
                opened[n] = time.monotonic() - started
        time.sleep(0.002)
    ended = time.monotonic() - started
    states = []
    for project, _, process in runs:
        assert process.returncode == 0, process.stderr.read().decode() if process.stderr else ""
        assert _healthy(project) == []
        states.append(_state(project))
    assert all(state == states[0] for state in states[1:]), "two complete runs left different projects"
    return min(opened.values(), default=0.0), ended, states[0]


@dataclass
class Tally:
    """Where the kills landed."""

    before: int = 0
    between: int = 0
    settled: int = 0
    """Killed in a state the next run completed (a migration's DDL without its version stamp)."""
    after: int = 0
    finished: int = 0
    seconds: float = 0.0
    moments: list[float] = field(default_factory=list)
    window: tuple[float, float] = (0.0, 0.0)

    @property
    def points(self) -> int:
        return self.before + self.between + self.settled + self.after + self.finished


def _kill_test(
    name: str,
    args: Callable[[Path], list[object]],
    base: Path,
    folder: Path,
    deadline: float,
    between: tuple[list[str], ...] = (),
    settle: Callable[[Path], None] | None = None,
) -> Tally:
    """Kill the command at seeded moments of its window; every project left must be sound and whole.

    Two runs at a time (the machine's two cores); each is killed at its own moment after its own start.
    A state that is none of these is allowed only where ``settle`` (running the command again)
    completes it to the state after.
    """
    tally = Tally()
    started = time.monotonic()
    before = _state(base)
    opened, ended, after = _window(args, base, folder / "complete")
    assert after != before, f"{name}: the complete run changed nothing"
    rng = random.Random(f"{SEED}:{name}")

    def judge(project: Path, moment: float, finished: bool) -> None:
        assert _healthy(project) == [], f"{name}, killed {moment:.3f} s after opening the project"
        state = _state(project)
        if finished:
            assert state == after, f"{name}: a run to the end left another state"
            tally.finished += 1
        elif state == before:
            tally.before += 1
        elif state == after:
            tally.after += 1
        elif state in between:
            tally.between += 1
        elif settle is not None:
            settle(project)
            assert _healthy(project) == [] and _state(project) == after, (
                f"{name}, killed at {moment:.3f} s: not completed"
            )
            tally.settled += 1
        else:
            raise AssertionError(
                f"{name}, killed {moment:.3f} s after opening the project: it is neither before nor "
                f"after ({len(set(state) - set(before))} rows new, {len(set(before) - set(state))} gone)"
            )

    point = 0
    while point < POINTS and (point < MIN_POINTS or time.monotonic() < deadline):
        # Each run is killed a seeded time after *it* opens the project (its -wal file appears), so
        # that the start-up of Python, whose length varies with the machine's load, does not decide
        # where the kills land.
        running = []
        for _ in range(min(CONCURRENT, POINTS - point)):
            moment = rng.uniform(0.0, ended - opened)
            tally.moments.append(round(moment, 3))
            project = _copy(base, folder / f"kill{point}")
            process = subprocess.Popen(
                _command(*args(project)), cwd=ROOT, env=_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
            )
            running.append([moment, project, project.with_name(project.name + "-wal"), process, None])
            point += 1
        try:
            while running:
                now = time.monotonic()
                for item in list(running):
                    moment, project, wal, process, kill_at = item
                    if process.poll() is not None:
                        assert process.returncode == 0, f"{name}: exit {process.returncode} without a kill"
                        running.remove(item)
                        judge(project, moment, finished=True)
                    elif kill_at is None and wal.exists():
                        item[4] = now + moment
                    elif kill_at is not None and now >= kill_at:
                        os.kill(process.pid, signal.SIGKILL)
                        process.wait()
                        running.remove(item)
                        judge(project, moment, finished=False)
                time.sleep(0.001)
        finally:  # a failed check must not leave the other run going
            for _, _, _, process, _ in running:
                if process.poll() is None:
                    process.kill()
                    process.wait()
    tally.seconds = time.monotonic() - started
    tally.window = (round(opened, 2), round(ended, 2))
    return tally


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project with the mini codebook and many transcripts waiting to be imported."""
    folder = tmp_path_factory.mktemp("kill")
    (folder / "mini.yaml").write_text(MINI_CODEBOOK, encoding="utf-8")
    project = folder / "studie.mda"
    assert run("init", project, "--codebook", folder / "mini.yaml").exit_code == 0
    transcripts = folder / "transcripts"
    transcripts.mkdir()
    for n in range(1, 17):
        turns = "\n".join(
            f"{'I' if k % 4 == 0 else f'R{k % 3 + 1}'}: {SAID[k % len(SAID)]} Tur {k}." for k in range(60)
        )
        (transcripts / f"FG{n:02}.txt").write_text(f"Fokusgrupp {n}\n\n{turns}\n", encoding="utf-8")
    return project


@pytest.fixture(scope="module")
def tallies() -> Iterator[dict[str, Tally]]:
    found: dict[str, Tally] = {}
    yield found
    if found:  # the figures the closing note of issue 12 asks for, printed with -s or on failure
        for name, t in found.items():
            print(
                f"\nkill test {name}: {t.points} kill points ({t.before} before, {t.between} between, {t.settled} completed by the next run, {t.after} after, "
                f"{t.finished} ran to the end) in {t.seconds:.1f} s; a whole run opens the project at {t.window[0]} s "
                f"and ends at {t.window[1]} s"
            )


_STARTED = time.monotonic()


def _deadline(share: int) -> float:
    """The moment by which the ``share``-th of four operations should stop adding kill points."""
    return _STARTED + BUDGET * share / 4


def test_killing_an_import_of_many_files(base: Path, tmp_path: Path, tallies: dict[str, Tally]) -> None:
    files = sorted((base.parent / "transcripts").glob("*.txt"))
    tally = _kill_test("import", lambda p: ["import", p, *files], base, tmp_path, _deadline(1))
    tallies["import"] = tally
    assert tally.points >= MIN_POINTS


def _with_documents(base: Path, folder: Path) -> Path:
    project = _copy(base, folder)
    files = sorted((base.parent / "transcripts").glob("*.txt"))[:8]
    assert run("import", project, *files).exit_code == 0
    return project


def test_killing_a_codings_import(base: Path, tmp_path: Path, tallies: dict[str, Tally]) -> None:
    project = _with_documents(base, tmp_path / "base")
    rows = ["coder,document,code,turn,memo"]
    for n in range(1, 5):
        for turn in range(1, 61):
            for coder, code in (("anna", "tilltro"), ("erik", "jobbfokus"), ("lisa", "hållning/positiv")):
                rows.append(f"{coder},FG{n:02},{code},{turn},rad {turn}")
    table = tmp_path / "kodningar.csv"
    table.write_text("\n".join(rows) + "\n", encoding="utf-8")
    tally = _kill_test(
        "codings import", lambda p: ["codings", "import", p, table], project, tmp_path / "runs", _deadline(2)
    )
    tallies["codings import"] = tally
    assert tally.points >= MIN_POINTS


def test_killing_an_import_of_a_refi_project(base: Path, tmp_path: Path, tallies: dict[str, Tally]) -> None:
    source = _with_documents(base, tmp_path / "source")
    for turn in range(1, 40):
        assert run("codings", "apply", source, "FG01", "-c", "anna", "--code", "tilltro", "--turn", turn).exit_code == 0
    qdpx = tmp_path / "studie.qdpx"
    assert run("export", source, "qdpx", qdpx).exit_code == 0
    tally = _kill_test("import-qdpx", lambda p: ["import-qdpx", p, qdpx], base, tmp_path / "runs", _deadline(3))
    tallies["import-qdpx"] = tally
    assert tally.points >= MIN_POINTS


def _downgrade_to_3(project: Path) -> None:
    """What a version 3 project looks like: the columns, tables and settings of versions 4 to 7 and 9 to 11 not there
    yet (8, the change feed, adds nothing to a project file).

    Migration 1 builds today's models, so there is no way to rebuild an older version's exact tables
    from the code; this takes today's and removes what migrations 4 to 11 add, which is all they do.
    """
    con = sqlite3.connect(project)
    try:
        with con:
            con.execute("DROP TABLE anchor_flags")  # 11: flags of corrected text
            con.execute("DROP TABLE search_vocab")  # 10: the search index
            con.execute("DROP TABLE search_forms")
            con.execute("DROP TABLE search_index")
            con.execute("DROP INDEX ix_codings_suggestion_id")  # 9: proposed codings
            con.execute("ALTER TABLE codings DROP COLUMN suggestion_id")
            con.execute("DROP TABLE suggestions")
            con.execute("DROP INDEX ix_codings_merge_id")  # 7: merge provenance
            con.execute("ALTER TABLE codings DROP COLUMN merge_id")
            con.execute("DROP TABLE merges")
            for table in IDENTIFIED:  # 6: stable identity
                con.execute(f"DROP INDEX uq_{table}_uuid")
                con.execute(f"ALTER TABLE {table} DROP COLUMN uuid")
            con.execute("DELETE FROM settings WHERE key = 'project_uuid'")
            con.execute("DROP TABLE coder_places")  # 5
            con.execute("DROP TABLE open_windows")
            con.execute("ALTER TABLE documents DROP COLUMN guessed")  # 4
            con.execute("ALTER TABLE documents DROP COLUMN doubts")
            con.execute(f"DELETE FROM {SchemaInfo.__tablename__} WHERE version > 3")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def _upgraded_to(project: Path, version: int, folder: Path) -> list[str]:
    """The state of ``project`` after the migrations up to ``version``, applied as ``upgrade`` applies each."""
    copy = _copy(project, folder)
    engine = make_engine(copy)
    try:
        for migration in migrations.MIGRATIONS:
            if 3 < migration.version <= version:
                with engine.connect() as conn, conn.begin():
                    migration.apply(conn)
                    conn.execute(
                        insert(SchemaInfo), {"version": migration.version, "description": migration.description}
                    )
    finally:
        engine.dispose()
    return _state(copy)


def test_killing_a_migration(base: Path, tmp_path: Path, tallies: dict[str, Tally]) -> None:
    assert migrations.latest_version() == 11, "a new migration: extend _downgrade_to_3 and this test"
    project = _with_documents(base, tmp_path / "base")
    assert run("codings", "apply", project, "FG01", "-c", "anna", "--code", "tilltro", "--turn", 2).exit_code == 0
    _downgrade_to_3(project)
    assert _healthy(project) == []
    between = tuple(_upgraded_to(project, v, tmp_path / f"v{v}") for v in range(4, migrations.latest_version()))

    def reopen(killed: Path) -> None:
        assert run("info", killed).exit_code == 0

    # pysqlite runs DDL outside the transaction SQLAlchemy began, so a kill can leave a migration's
    # ALTER TABLE done and its version not yet stamped; the migrations are written to be rerun
    # (they check what is there), and the next open must finish the job.
    tally = _kill_test("migration", lambda p: ["info", p], project, tmp_path / "runs", _deadline(4), between, reopen)
    tallies["migration"] = tally
    assert tally.points >= MIN_POINTS
