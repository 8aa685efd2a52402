"""Merging two coders' copies into the master, against the floor of copying the same codings with one INSERT … SELECT.

The master: ``--documents`` generated focus groups and the shipped codebook. Two blind copies
(anna's, erik's), each given ``--codings`` new codings after it was made. Each run merges both
copies into a fresh copy of the master (snapshots off: the snapshot is timed in bench_backups);
the floor copies the same rows in the same run with one ``INSERT INTO codings … SELECT`` per copy
from the attached copy file, in one transaction, under the same pragmas. Target: merge ≤ 5x floor.

    .venv/bin/python bench/team_merge.py            # 100 documents, 2 x 50,000 codings, 3 runs
    .venv/bin/python bench/team_merge.py --quick    # 10 documents, 2 x 5,000 codings, 2 runs

``run(quick)`` returns the rows (``bench/bench_team.py`` prints them with the live-server figures).
"""

from __future__ import annotations

import argparse
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_transcripts

from mda_coder.services import backups, history, importing, teamwork
from mda_coder.services.project import create_project
from mda_coder.store.engine import Database

CODEBOOK = Path(__file__).resolve().parents[1] / "codebooks" / "mda.yaml"
COLUMNS = "uuid, coder_id, code_id, document_id, start_offset, end_offset, memo, created_at, modified_at"


@dataclass(frozen=True)
class Row:
    """One stage: its median and worst time, and its ratio to the floor measured in the same run."""

    stage: str
    median_ms: float
    max_ms: float
    x_floor: float


def _fill(copy: Path, coder: str, n: int, seed: int) -> None:
    """``n`` codings of ``coder`` made in the copy after it was made, on random spans of its documents."""
    con = sqlite3.connect(copy)
    try:
        coder_id = con.execute("SELECT id FROM coders WHERE name = ?", (coder,)).fetchone()
        if coder_id is None:
            coder_id = (
                con.execute(
                    "INSERT INTO coders (name, uuid, created_at) VALUES (?, ?, ?)",
                    (coder, str(uuid.uuid4()), datetime.now(UTC).isoformat()),
                ).lastrowid,
            )
        codes = [r[0] for r in con.execute("SELECT id FROM codes")]
        docs = con.execute("SELECT id, length(text) FROM documents").fetchall()
        later = (datetime.now(UTC) + timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
        rng = random.Random(seed)
        seen: set[tuple[int, int, int, int]] = set()
        rows = []
        while len(rows) < n:
            doc, length = rng.choice(docs)
            start = rng.randrange(length - 200)
            key = (rng.choice(codes), doc, start, start + rng.randrange(1, 200))
            if key not in seen:
                seen.add(key)
                rows.append((str(uuid.uuid4()), coder_id[0], *key, None, later, later))
        con.executemany(f"INSERT INTO codings ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        con.commit()
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def build(folder: Path, documents: int, words: int, codings: int) -> tuple[Path, list[Path]]:
    transcripts = generate_transcripts(folder / "in", documents=documents, words_per_document=words)
    master = folder / "studie.mda"
    with create_project(master, "sv", CODEBOOK, actor="lead") as db:
        importing.import_files(db, transcripts)
    copies = []
    for seed, coder in enumerate(("anna", "erik")):
        copy = folder / f"{coder}.mda"
        teamwork.copy_for_coder(master, copy, coder, blind=True, actor="lead")
        _fill(copy, coder, codings, seed)
        copies.append(copy)
    return master, copies


def _fresh(master: Path, folder: Path, n: int) -> Path:
    target = folder / f"run{n}.mda"
    shutil.copyfile(master, target)
    return target


def _floor(master: Path, copies: list[Path]) -> None:
    con = sqlite3.connect(master, isolation_level=None)
    try:
        for pragma in ("foreign_keys=ON", "journal_mode=WAL", "synchronous=FULL"):
            con.execute(f"PRAGMA {pragma}")
        con.execute("BEGIN IMMEDIATE")
        for n, copy in enumerate(copies):
            con.execute(f"ATTACH DATABASE ? AS c{n}", (str(copy),))
            # coders are matched by name, as the merge does; the codes and documents are the master's own ids
            con.execute(
                f"INSERT INTO codings ({COLUMNS}) SELECT c.uuid, m.id, c.code_id, c.document_id, c.start_offset, "
                f"c.end_offset, c.memo, c.created_at, c.modified_at FROM c{n}.codings c "
                f"JOIN c{n}.coders k ON k.id = c.coder_id JOIN coders m ON m.name = k.name"
            )
        con.execute("COMMIT")
    finally:
        con.close()


def _coders(master: Path, copies: list[Path]) -> None:
    """The copies' coders in the master first, so that the floor's INSERT … SELECT has them to join to."""
    con = sqlite3.connect(master)
    for copy in copies:
        other = sqlite3.connect(copy)
        for name, key, made in other.execute("SELECT name, uuid, created_at FROM coders"):
            con.execute("INSERT OR IGNORE INTO coders (name, uuid, created_at) VALUES (?, ?, ?)", (name, key, made))
        other.close()
    con.commit()
    con.close()


def _timed(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def measure(master: Path, copies: list[Path], folder: Path, repeat: int) -> dict[str, list[float]]:
    backups.disable()
    times: dict[str, list[float]] = {"floor": [], "dry run": [], "merge": [], "undo": [], "redo": []}
    try:
        _measure(master, copies, folder, repeat, times)
    finally:
        backups.start()  # as every command starts: snapshots on
    return times


def _measure(master: Path, copies: list[Path], folder: Path, repeat: int, times: dict[str, list[float]]) -> None:
    for n in range(repeat):
        floor_master = _fresh(master, folder, 2 * n)
        _coders(floor_master, copies)
        times["floor"].append(_timed(lambda: _floor(floor_master, copies)))  # noqa: B023 - called at once
        target = _fresh(master, folder, 2 * n + 1)
        with Database.open(target) as db:
            times["dry run"].append(_timed(lambda: teamwork.merge_copies(db, copies, actor="lead", dry_run=True)))
            times["merge"].append(_timed(lambda: teamwork.merge_copies(db, copies, actor="lead")))
            times["undo"].append(_timed(lambda: history.undo(db, "lead")))
            times["redo"].append(_timed(lambda: history.redo(db, "lead")))


def run(quick: bool) -> list[Row]:
    """Build the corpus and the copies, time merge, dry run, undo and redo against the floor; the rows."""
    return measured(*((10, 1_000, 5_000, 2) if quick else (100, 1_000, 50_000, 3)))


def measured(documents: int, words: int, codings: int, repeat: int) -> list[Row]:
    """``run`` at any size: ``documents`` of ``words`` words, two copies of ``codings`` new codings each."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        master, copies = build(folder, documents, words, codings)
        times = measure(master, copies, folder, repeat)
    floor = statistics.median(times["floor"])
    label = f"{documents} documents, 2 copies x {codings:,} codings"
    names = {
        "floor": f"floor: INSERT … SELECT ({label})",
        "merge": f"merge ({label})",
        "dry run": "merge --dry-run",
        "undo": "undo of the merge",
        "redo": "redo of the merge",
    }
    return [
        Row(names[key], statistics.median(s) * 1000, max(s) * 1000, statistics.median(s) / floor)
        for key, s in times.items()
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="10 documents, 2 x 5,000 codings, 2 runs")
    args = parser.parse_args()
    rows = run(args.quick)
    print(f"{'stage':<60} {'median ms':>10} {'max ms':>8} {'x floor':>8}")
    for row in rows:
        print(f"{row.stage:<60} {row.median_ms:>10.1f} {row.max_ms:>8.1f} {row.x_floor:>8.1f}")
    merge = next(r for r in rows if r.stage.startswith("merge ("))
    print(f"target merge <= 5x floor: {'met' if merge.x_floor <= 5 else 'NOT met'} ({merge.x_floor:.1f}x)")


if __name__ == "__main__":
    main()
