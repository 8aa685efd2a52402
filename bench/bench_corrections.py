"""Correcting a stored document: ``correct_text`` on a real project against a bare diff and a bare UPDATE.

A 2,000-turn focus group with 20,000 codings (two coders) on a SQLite project file, corrected in 100
scattered places (``bench_reanchor``'s texts). Prints, as medians of N runs on fresh copies of the
project: the bare line diff (``difflib`` on the lines, nothing else), a bare ``UPDATE`` of every
coding's offsets in one transaction (what any stored re-anchoring must at least write), and the whole
correction (diff, turns, re-split sentences of the changed turns, every coding moved and flagged, the
search index, the journal entry holding what undo needs), with the journal entry's size. Target
(issue 16): under 1 s.

    .venv/bin/python bench/bench_corrections.py            # 2,000 turns, 20,000 codings, 100 edits, 5 runs
    .venv/bin/python bench/bench_corrections.py --quick    # 200 turns, 2,000 codings, 10 edits, 3 runs
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
from difflib import SequenceMatcher
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_reanchor import spans_in, texts

from mda_coder.services import corrections, history, importing
from mda_coder.services.project import create_project
from mda_coder.store.engine import Database

CODEBOOK = Path(__file__).resolve().parents[1] / "codebooks" / "mda.yaml"


def build(folder: Path, turns: int, codings: int, edits: int, seed: int) -> tuple[Path, str]:
    """The project (one document, ``codings`` codings by two coders) and the corrected text."""
    old, new = texts(turns, edits, seed)
    source = folder / "FG_lång.txt"
    source.write_text(old, encoding="utf-8")
    project = folder / "bench.mda"
    db = create_project(project, "sv", CODEBOOK, actor="bench")
    importing.import_files(db, [source], actor="bench")
    db.close()
    con = sqlite3.connect(project)
    with con:
        codes = [r[0] for r in con.execute("SELECT id FROM codes ORDER BY id")]
        now = "2026-12-01 10:00:00.000000"
        for name in ("anna", "erik"):
            con.execute("INSERT INTO coders (uuid, name, created_at) VALUES (?, ?, ?)", (str(uuid.uuid4()), name, now))
        coders = [r[0] for r in con.execute("SELECT id FROM coders ORDER BY id")]
        rng = random.Random(seed)
        rows = {(rng.choice(coders), rng.choice(codes), span.start, span.end) for span in spans_in(old, codings, seed)}
        con.executemany(
            "INSERT INTO codings (uuid, coder_id, code_id, document_id, start_offset, end_offset, created_at, "
            "modified_at) VALUES (?, ?, ?, 1, ?, ?, ?, ?)",
            [(str(uuid.uuid4()), coder, code, start, end, now, now) for coder, code, start, end in sorted(rows)],
        )
    con.close()
    return project, new


def median(values: list[float]) -> float:
    return statistics.median(values)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=2000)
    parser.add_argument("--codings", type=int, default=20000)
    parser.add_argument("--edits", type=int, default=100)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="200 turns, 2,000 codings, 10 edits, 3 runs")
    args = parser.parse_args(argv)
    if args.quick:
        args.turns, args.codings, args.edits, args.runs = 200, 2000, 10, 3
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project, new = build(folder, args.turns, args.codings, args.edits, args.seed)
        con = sqlite3.connect(project)
        old = con.execute("SELECT text FROM documents").fetchone()[0]
        codings = con.execute("SELECT count(*) FROM codings").fetchone()[0]
        con.close()
        bare_diff, bare_update, whole, undo, sizes = [], [], [], [], []
        counts: dict[str, int] = {}
        for run in range(args.runs):
            copy = folder / f"run{run}.mda"
            shutil.copy(project, copy)
            started = time.perf_counter()
            SequenceMatcher(None, old.splitlines(keepends=True), new.splitlines(keepends=True)).get_opcodes()
            bare_diff.append(time.perf_counter() - started)
            con = sqlite3.connect(copy)
            rows = con.execute("SELECT start_offset + 1, end_offset + 1, id FROM codings").fetchall()
            started = time.perf_counter()
            with con:
                con.executemany("UPDATE codings SET start_offset = ?, end_offset = ? WHERE id = ?", rows)
            bare_update.append(time.perf_counter() - started)
            con.close()
            shutil.copy(project, copy)
            db = Database.open(copy)
            try:
                started = time.perf_counter()
                report = corrections.correct_text(db, "FG_lång", new, actor="bench")
                whole.append(time.perf_counter() - started)
                counts = report.counts
                started = time.perf_counter()
                history.undo(db, "bench")
                undo.append(time.perf_counter() - started)
            finally:
                db.close()
            con = sqlite3.connect(copy)
            data = con.execute("SELECT data FROM events WHERE action = 'document.correct'").fetchone()[0]
            sizes.append(len(data.encode("utf-8")))
            con.close()
    floor = median(bare_diff)
    print(
        f"{args.turns:,} turns ({len(old):,} characters), {codings:,} codings, {args.edits} corrections; "
        f"SQLite project file; medians of {args.runs} runs"
    )
    print(f"{'row':<44}{'ms':>10}{'× bare diff':>14}{'× bare UPDATE':>15}")
    update = median(bare_update)
    for name, seconds in (
        ("bare line diff (floor)", floor),
        ("bare UPDATE of every coding's offsets", update),
        ("correct_text: the whole correction, saved", median(whole)),
        ("undo of it", median(undo)),
    ):
        print(f"{name:<44}{seconds * 1000:>10.1f}{seconds / floor:>14.1f}{seconds / update:>15.1f}")
    met = "met" if median(whole) < 1 else "MISSED"
    print(f"target: a stored correction under 1 s: {met} ({median(whole):.2f} s)")
    print(f"journal entry: {median(sizes) / 1024:.1f} KB")
    print("codings: " + ", ".join(f"{status} {n:,}" for status, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
