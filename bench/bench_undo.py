"""Undo and redo on a project with a long journal, against the floor of committing one journal entry.

Undo reads the coder's journal backwards from the newest entry (index ``ix_events_actor``), so
its cost should not grow with the journal. The project: one generated focus group, ``--codings``
real codings by anna, and filler entries by three coders up to ``--events`` journal entries.

    .venv/bin/python bench/bench_undo.py                      # 100,000 entries, 2,000 codings
    .venv/bin/python bench/bench_undo.py --events 20000 --codings 300 --deep 100
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_transcripts
from sqlalchemy import insert

from mda_coder.services import history, importing
from mda_coder.services.coding import Target, apply_in
from mda_coder.services.project import create_project
from mda_coder.services.queries import turns
from mda_coder.store import journal
from mda_coder.store.engine import Database
from mda_coder.store.models import Event

CODEBOOK = Path(__file__).resolve().parents[1] / "codebooks" / "mda.yaml"


def build(folder: Path, events: int, codings: int) -> Database:
    [transcript] = generate_transcripts(folder, documents=1, words_per_document=10_000)
    db = create_project(folder / "bench.mda", "sv", CODEBOOK, actor="bench")
    importing.import_files(db, [transcript])
    rng = random.Random(1)
    filler = [
        {
            "actor": rng.choice(["erik", "lisa", "anna"]),
            "action": rng.choice(["coding.apply", "memo.add"]),
            "entity": "coding",
            "entity_id": i,
            "data": {"coder_id": 0, "code_id": 0, "document_id": 0, "start": 0, "end": 1},
        }
        for i in range(max(events - codings, 0))
    ]
    with db.transaction() as s:
        for start in range(0, len(filler), 10_000):
            s.execute(insert(Event), filler[start : start + 10_000])
    spans = [t.span for t in turns(db, transcript.stem)]
    codes = ["tilltro", "jobbfokus", "arbetslinjen", "samverkan"]
    with db.transaction() as s:  # the real codings come last, so they are what undo reaches
        for i in range(codings):
            turn, shorter = spans[i % len(spans)], i // len(spans)  # every coding a new span
            end = max(turn.end - shorter, turn.start + 1)
            apply_in(s, "anna", codes[i % len(codes)], transcript.stem, Target(span=(turn.start, end)), None)
    return db


def timed(action: Callable[[], object], repeat: int) -> list[float]:
    result = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        result.append(time.perf_counter() - started)
    return result


def floor(db: Database) -> None:
    with db.transaction() as s:
        journal.record(s, "bench", "bench.floor", "bench", None, {})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--codings", type=int, default=2_000)
    parser.add_argument("--deep", type=int, default=1_000, help="undo this many steps, then time one more")
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = build(Path(tmp), args.events, args.codings)
        rows = {
            "floor: commit one journal entry": timed(lambda: floor(db), args.repeat),
            "history_state": timed(lambda: history.history_state(db, "anna"), args.repeat),
            "undo": timed(lambda: history.undo(db, "anna"), args.repeat),
            "redo": timed(lambda: history.redo(db, "anna"), args.repeat),
        }
        for _ in range(args.deep):
            history.undo(db, "anna")
        rows[f"undo after {args.deep} undos in a row"] = timed(lambda: history.undo(db, "anna"), 5)
        with db.transaction() as s:
            total = s.query(Event).count()
        db.close()
    base = statistics.median(rows["floor: commit one journal entry"])
    print(f"journal entries: {total:,}; anna's real codings: {args.codings:,}")
    print(f"{'stage':<38} {'median ms':>10} {'max ms':>8} {'x floor':>8}")
    for name, seconds in rows.items():
        median = statistics.median(seconds)
        print(f"{name:<38} {median * 1000:>10.1f} {max(seconds) * 1000:>8.1f} {median / base:>8.1f}")


if __name__ == "__main__":
    main()
