"""Code co-occurrence on a million codings, against the floor of SQLite answering it with a bare self-join.

The project: ``--turns`` turns in documents of 500, ``--codes`` codes and ``--codings`` codings by
three coders, written straight into a real project file (untimed). Codings are spans inside one
turn, and about one in twenty runs on into the next turn. Rows, each timed in the same run:

  fetch rows        fetch (code, coder, document, start, end) of every coding with the bare
                    sqlite3 module, one Python tuple per coding: the obvious way to read them
  SQLite self-join  the floor: the per-turn pair counts in SQL, as a bare self-join of a table
                    of distinct (turn, code) rows joined on the turn and grouped by code pair.
                    That table (codings joined to the turns they overlap) is made once before
                    timing and its time printed: it takes SQLite far longer than the join
  report, turn      `services.reports.cooccurrence(unit="turn")`: the whole use case, from opening
                    a transaction to the finished table with every measure
  report, overlap   the same with ``unit="overlap"``
  report, within 2  the same on windows of three turns

    .venv/bin/python bench/bench_reports.py            # 1,000,000 codings, 10,000 turns, 50 codes (~2 min)
    .venv/bin/python bench/bench_reports.py --quick    # a tenth of the codings and turns (~15 s)

The report's counts are checked against the self-join's before anything is printed.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
from sqlalchemy import insert

from mda_coder.services import reports
from mda_coder.services.project import create_project
from mda_coder.services.reports import Scope
from mda_coder.store import search_index
from mda_coder.store.engine import Database
from mda_coder.store.models import Coder, Document, Speaker, TurnRow

TURNS_PER_DOCUMENT = 500
TURN_LENGTH = 300
"""Characters per turn, with 2 between turns (a label's worth of text that belongs to no turn)."""
CODERS = ("anna", "erik", "lisa")

SELF_JOIN = """
WITH hit AS (
    SELECT DISTINCT t.id AS turn, c.code_id AS code
    FROM codings AS c
    JOIN turns AS t
      ON t.document_id = c.document_id AND t.start_offset < c.end_offset AND c.start_offset < t.end_offset
)
SELECT a.code, b.code, count(*)
FROM hit AS a JOIN hit AS b ON a.turn = b.turn AND a.code < b.code
GROUP BY a.code, b.code
"""
"""Distinct turns per code pair: the question `report cooccurrence --unit turn` answers, in SQL."""


# --- the project --------------------------------------------------------------------------------


def build(folder: Path, turns: int, codes: int, codings: int, seed: int) -> Database:
    """A project file with the turns, codes and codings asked for, written in bulk."""
    codebook = folder / "codes.yaml"
    codebook.write_text(
        "name: bench\ncodes:\n" + "".join(f"  - name: kod{i:02d}\n" for i in range(codes)), encoding="utf-8"
    )
    db = create_project(folder / "bench.mda", "sv", codebook, actor="bench")
    n_docs = -(-turns // TURNS_PER_DOCUMENT)
    step = TURN_LENGTH + 2
    with db.transaction() as s:
        s.execute(
            insert(Document),
            [
                {
                    "name": f"FG{d:03d}",
                    "text": "x" * (TURNS_PER_DOCUMENT * step),
                    "content_hash": f"{d:064d}",
                    "source_file": f"FG{d:03d}.txt",
                    "format": "txt",
                    "layout": "label-colon",
                    "encoding": "utf-8",
                    "group_name": f"G{d % 4}",
                    "attributes": {},
                }
                for d in range(n_docs)
            ],
        )
        doc_ids = [
            i for (i,) in s.execute(Document.__table__.select().with_only_columns(Document.id).order_by(Document.id))
        ]
        s.execute(
            insert(Speaker),
            [
                {
                    "document_id": d,
                    "label": label,
                    "role": "moderator" if label == "I" else "deltagare",
                    "attributes": {},
                }
                for d in doc_ids
                for label in ("I", "R1", "R2", "R3")
            ],
        )
        speakers = {
            (d, label): i
            for i, d, label in s.execute(
                Speaker.__table__.select().with_only_columns(Speaker.id, Speaker.document_id, Speaker.label)
            )
        }
        s.execute(
            insert(TurnRow),
            [
                {
                    "document_id": doc_ids[t // TURNS_PER_DOCUMENT],
                    "position": t % TURNS_PER_DOCUMENT + 1,
                    "speaker_id": speakers[doc_ids[t // TURNS_PER_DOCUMENT], ("I", "R1", "R2", "R3")[t % 4]],
                    "start_offset": (t % TURNS_PER_DOCUMENT) * step + 2,
                    "end_offset": (t % TURNS_PER_DOCUMENT) * step + 2 + TURN_LENGTH,
                }
                for t in range(turns)
            ],
        )
        s.execute(insert(Coder), [{"name": name} for name in CODERS])
        search_index.rebuild(s.connection())  # the rows went in bulk, past the import that indexes them
    rng = np.random.default_rng(seed)
    turn = rng.integers(0, turns, codings)
    # Codes by a Zipf-like law: the commonest about 25 times as frequent as the rarest.
    weights = 1.0 / np.arange(1, codes + 1) ** 0.8
    code = rng.choice(codes, size=codings, p=weights / weights.sum())
    start = rng.integers(0, TURN_LENGTH - 20, codings)
    length = rng.integers(5, 120, codings)
    runs_on = rng.random(codings) < 0.05  # into the next turn, within the document
    local = turn % TURNS_PER_DOCUMENT
    end = np.where(
        runs_on & (local < TURNS_PER_DOCUMENT - 1), step + 2 + start // 4, np.minimum(start + length, TURN_LENGTH)
    )
    rows = np.column_stack(
        [
            rng.integers(1, len(CODERS) + 1, codings),
            code + 1,
            np.array(doc_ids)[turn // TURNS_PER_DOCUMENT],
            local * step + 2 + start,
            local * step + 2 + end,
        ]
    )
    rows = np.unique(rows, axis=0)  # one coding per coder, code and span
    stamp = datetime(2026, 1, 1, tzinfo=UTC).isoformat(" ")
    with sqlite3.connect(folder / "bench.mda") as raw:
        raw.executemany(
            "INSERT INTO codings (uuid, coder_id, code_id, document_id, start_offset, end_offset, created_at,"
            " modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            ((str(uuid.uuid4()), *r, stamp, stamp) for r in rows.tolist()),
        )
    return db


# --- timing -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    name: str
    seconds: list[float]
    cpu: list[float]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def measure(plan: list[tuple[str, Callable[[], object]]], repeat: int) -> tuple[list[Row], dict[str, object]]:
    """Every row `repeat` times, interleaved round by round so that drift hits every row alike."""
    wall: dict[str, list[float]] = {name: [] for name, _ in plan}
    cpu: dict[str, list[float]] = {name: [] for name, _ in plan}
    last: dict[str, object] = {}
    for _ in range(repeat):
        for name, run in plan:
            gc.collect()
            started, started_cpu = time.perf_counter(), time.process_time()
            last[name] = run()
            wall[name].append(time.perf_counter() - started)
            cpu[name].append(time.process_time() - started_cpu)
    return [Row(name, wall[name], cpu[name]) for name, _ in plan], last


def read_floor(path: Path) -> int:
    with sqlite3.connect(path) as raw:
        return len(
            raw.execute("SELECT code_id, coder_id, document_id, start_offset, end_offset FROM codings").fetchall()
        )


def bare_join(raw: sqlite3.Connection) -> dict[tuple[int, int], int]:
    rows = raw.execute(
        "SELECT a.code, b.code, count(*) FROM hit AS a JOIN hit AS b"
        " ON a.turn = b.turn AND a.code < b.code GROUP BY a.code, b.code"
    ).fetchall()
    return {(a, b): n for a, b, n in rows}


def check(report: object, sql: dict[tuple[int, int], int]) -> int:
    """The report's n_ab per pair equals the self-join's; returns the number of pairs compared."""
    ours = {tuple(sorted((int(r[0][3:]) + 1, int(r[1][3:]) + 1))): r[4] for r in report.rows}  # type: ignore[attr-defined]
    if ours != sql:
        wrong = next(k for k in set(ours) | set(sql) if ours.get(k) != sql.get(k))
        raise SystemExit(f"the report and the self-join differ on codes {wrong}: {ours.get(wrong)} vs {sql.get(wrong)}")
    return len(ours)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--codings", type=int, default=1_000_000)
    parser.add_argument("--turns", type=int, default=10_000)
    parser.add_argument("--codes", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3, help="runs per row; the median is reported (at least 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="a tenth of the codings and turns")
    args = parser.parse_args(argv)
    if args.quick:
        args.codings, args.turns = args.codings // 10, args.turns // 10
    args.repeat = max(3, args.repeat)

    with tempfile.TemporaryDirectory(prefix="mda-bench-reports-") as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        db = build(folder, args.turns, args.codes, args.codings, args.seed)
        built = time.perf_counter() - started
        raw = sqlite3.connect(folder / "bench.mda")
        started = time.perf_counter()
        # The per-turn (turn, code) table the bare self-join reads: made once, untimed but reported.
        raw.execute(
            "CREATE TEMP TABLE hit AS SELECT DISTINCT t.id AS turn, c.code_id AS code FROM codings AS c"
            " JOIN turns AS t ON t.document_id = c.document_id"
            " AND t.start_offset < c.end_offset AND c.start_offset < t.end_offset"
        )
        raw.execute("CREATE INDEX temp.hit_turn ON hit (turn, code)")
        materialised = time.perf_counter() - started
        n_codings, n_hits = (
            raw.execute(q).fetchone()[0] for q in ("SELECT count(*) FROM codings", "SELECT count(*) FROM hit")
        )
        scope = Scope()
        plan: list[tuple[str, Callable[[], object]]] = [
            ("fetch every coding as rows (sqlite3)", lambda: read_floor(folder / "bench.mda")),
            ("floor: SQLite self-join on (turn, code)", lambda: bare_join(raw)),
            ("report cooccurrence --unit turn", lambda: reports.cooccurrence(db, scope, "turn")),
            ("report cooccurrence --within 2", lambda: reports.cooccurrence(db, scope, "turn", 2)),
            ("report cooccurrence --unit overlap", lambda: reports.cooccurrence(db, scope, "overlap")),
        ]
        for _, run in plan[2:]:  # untimed warm-up: imports, the page cache
            run()
        load_before = os.getloadavg()[0]
        rows, last = measure(plan, args.repeat)
        load_after = os.getloadavg()[0]
        pairs = check(last[plan[2][0]], last[plan[1][0]])  # type: ignore[arg-type]
        raw.close()
        db.close()
    report(
        args,
        rows,
        {
            "codings": n_codings,
            "distinct (turn, code)": n_hits,
            "pairs checked": pairs,
            "built in": f"{built:.1f} s",
            "(turn, code) table made in": f"{materialised:.1f} s",
        },
        (load_before, load_after),
    )
    return 0


def report(args: argparse.Namespace, rows: list[Row], facts: dict[str, object], load: tuple[float, float]) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if Console().is_terminal else 110)
    info = Table(show_header=False, box=None, pad_edge=False)
    for key, value in (
        ("cores", f"{os.cpu_count()} (affinity {len(os.sched_getaffinity(0))})"),
        ("platform", platform.platform()),
        ("Python", platform.python_version()),
        ("numpy / SQLite", f"{np.__version__} / {sqlite3.sqlite_version}"),
        ("data", f"{args.turns:,} turns, {args.codes} codes, seed {args.seed}"),
        *((k, f"{v:,}" if isinstance(v, int) else str(v)) for k, v in facts.items()),
        ("load average", f"{load[0]:.2f} before timing, {load[1]:.2f} after (other work on the cores)"),
    ):
        info.add_row(key, value)
    console.print(info)
    floor = next(r for r in rows if r.name.startswith("floor"))
    table = Table(title=f"median of {args.repeat} runs", box=box.SIMPLE_HEAD)
    for column in ("row", "median s", "min–max s", "CPU s", "× self-join"):
        table.add_column(column, justify="left" if column == "row" else "right", no_wrap=True)
    for row in rows:
        table.add_row(
            row.name,
            f"{row.median:.3f}",
            f"{min(row.seconds):.3f}–{max(row.seconds):.3f}",
            f"{statistics.median(row.cpu):.3f}",
            f"{row.median / floor.median:.2f}",
        )
    console.print(table)


if __name__ == "__main__":
    sys.exit(main())
