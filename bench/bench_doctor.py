"""``mda-coder doctor`` on a large project, against the floor of SQLite's own ``PRAGMA integrity_check`` alone.

The project is the one ``bench_reports.py`` builds (``--codings`` codings by three coders on
``--turns`` turns of 300 characters, 500 to a document), with two sentences a turn and a journal
of ``--events`` entries (applied codings, undos and redos) added, so that every check has rows
to read. The integrity check reads every page of the file and is the floor: doctor must run it,
so it can take no less. Doctor's own checks run beside it in a second thread.

    .venv/bin/python bench/bench_doctor.py           # 1,000,000 codings, 10,000 turns (~3 min)
    .venv/bin/python bench/bench_doctor.py --quick   # a tenth of the codings and turns (~20 s)
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_reports import Row, build, measure

from mda_coder.services.doctor import examine_open


def add_sentences_and_journal(path: Path, events: int) -> None:
    """Two sentences per turn, and a journal: codings applied (a few removed once before), every tenth undone, every twentieth redone."""
    with sqlite3.connect(path) as raw:
        raw.execute("DROP TRIGGER IF EXISTS events_no_update")  # put back below: the bench writes history rows at once
        turns = raw.execute(
            "SELECT id, document_id, position, start_offset, end_offset FROM turns ORDER BY document_id, position"
        ).fetchall()
        rows, number, last_doc = [], 0, None
        for turn_id, doc, _position, start, end in turns:
            number = 0 if doc != last_doc else number
            last_doc = doc
            middle = (start + end) // 2
            rows += [(doc, turn_id, number + 1, start, middle), (doc, turn_id, number + 2, middle, end)]
            number += 2
        raw.executemany(
            "INSERT INTO sentences (document_id, turn_id, position, start_offset, end_offset) VALUES (?, ?, ?, ?, ?)",
            rows,
        )
        codings = raw.execute(
            "SELECT c.id, c.coder_id, c.code_id, c.document_id, c.start_offset, c.end_offset, "
            "coders.name FROM codings c JOIN coders ON coders.id = c.coder_id "
            f"ORDER BY c.id LIMIT {events}"
        ).fetchall()
        stamp = "2026-01-01 00:00:00.000000"
        entries = [
            (
                stamp,
                name,
                "coding.apply",
                "coding",
                ident,
                json.dumps(
                    {
                        "coder_id": coder,
                        "code_id": code,
                        "document_id": doc,
                        "start": s,
                        "end": e,
                        "memo": None,
                        "created": "2026-01-01T00:00:00+00:00",
                    }
                ),
            )
            for ident, coder, code, doc, s, e, name in codings
        ]
        # Every fiftieth coding was removed once before, and applied again since (a new creation time).
        removed = [
            (
                stamp,
                name,
                "coding.remove",
                "coding",
                ident,
                json.dumps(
                    {
                        "coder_id": coder,
                        "code_id": code,
                        "document_id": doc,
                        "start": s,
                        "end": e,
                        "memo": None,
                        "created": "2025-06-01T00:00:00+00:00",
                    }
                ),
            )
            for ident, coder, code, doc, s, e, name in codings[::50]
        ]
        raw.executemany(
            "INSERT INTO events (at, actor, action, entity, entity_id, data) VALUES (?, ?, ?, ?, ?, ?)",
            removed + entries,
        )
        applied = raw.execute("SELECT id, actor FROM events WHERE action = 'coding.apply' ORDER BY id").fetchall()
        history = []
        for i, (event, actor) in enumerate(applied):
            if i % 10 == 0:
                history.append((stamp, actor, "history.undo", "event", event, json.dumps({"event": event})))
                if i % 20 == 0:
                    history.append((stamp, actor, "history.redo", "event", event, json.dumps({"event": event})))
        raw.executemany(
            "INSERT INTO events (at, actor, action, entity, entity_id, data) VALUES (?, ?, ?, ?, ?, ?)", history
        )
        raw.execute(
            "CREATE TRIGGER events_no_update BEFORE UPDATE ON events "
            "BEGIN SELECT RAISE(ABORT, 'the event journal is append-only'); END"
        )


def report(args: argparse.Namespace, rows: list[Row], facts: dict[str, object], load: tuple[float, float]) -> None:
    import platform
    import statistics

    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console(width=None if Console().is_terminal else 110)
    info = Table(show_header=False, box=None, pad_edge=False)
    for key, value in (
        ("cores", f"{os.cpu_count()} (affinity {len(os.sched_getaffinity(0))})"),
        ("platform", platform.platform()),
        ("Python / SQLite", f"{platform.python_version()} / {sqlite3.sqlite_version}"),
        ("data", f"{args.turns:,} turns, {args.codes} codes, seed {args.seed}"),
        *((k, f"{v:,}" if isinstance(v, int) else str(v)) for k, v in facts.items()),
        ("load average", f"{load[0]:.2f} before timing, {load[1]:.2f} after (other work on the cores)"),
    ):
        info.add_row(key, value)
    console.print(info)
    floor = rows[0]
    table = Table(title=f"median of {args.repeat} runs", box=box.SIMPLE_HEAD)
    for column in ("row", "median s", "min–max s", "CPU s", "× integrity_check"):
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


def pragma(path: Path, name: str) -> str:
    with sqlite3.connect(path) as raw:
        return raw.execute(f"PRAGMA {name}").fetchone()[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--codings", type=int, default=1_000_000)
    parser.add_argument("--turns", type=int, default=10_000)
    parser.add_argument("--codes", type=int, default=50)
    parser.add_argument("--events", type=int, default=100_000, help="coding entries in the journal (plus undos, redos)")
    parser.add_argument("--repeat", type=int, default=3, help="runs per row; the median is reported (at least 3)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="a tenth of the codings, turns and journal")
    args = parser.parse_args(argv)
    if args.quick:
        args.codings, args.turns, args.events = args.codings // 10, args.turns // 10, args.events // 10
    args.repeat = max(3, args.repeat)

    with tempfile.TemporaryDirectory(prefix="mda-bench-doctor-") as tmp:
        folder = Path(tmp)
        path = folder / "bench.mda"
        started = time.perf_counter()
        db = build(folder, args.turns, args.codes, args.codings, args.seed)
        add_sentences_and_journal(path, args.events)
        built = time.perf_counter() - started
        with sqlite3.connect(path) as raw:
            counts = {
                table: raw.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
                for table in ("codings", "turns", "sentences", "events")
            }
        size = (
            path.stat().st_size + Path(f"{path}-wal").stat().st_size
            if Path(f"{path}-wal").exists()
            else path.stat().st_size
        )
        plan: list[tuple[str, Callable[[], object]]] = [
            ("floor: PRAGMA integrity_check alone", lambda: pragma(path, "integrity_check")),
            ("PRAGMA quick_check alone", lambda: pragma(path, "quick_check")),
            ("doctor (integrity_check and every check)", lambda: examine_open(db)),
            ("doctor --quick (quick_check and every check)", lambda: examine_open(db, quick=True)),
        ]
        for _, run in plan:  # untimed warm-up: imports, the page cache
            run()
        load_before = os.getloadavg()[0]
        rows, last = measure(plan, args.repeat)
        load_after = os.getloadavg()[0]
        found = last[plan[2][0]]
        problems = found.problems  # type: ignore[attr-defined]
        if problems or last[plan[0][0]] != "ok":
            raise SystemExit(f"the generated project is not clean: {problems} problems, integrity {last[plan[0][0]]}")
        db.close()
    facts: dict[str, object] = {**counts, "file": f"{size / 2**20:.0f} MiB", "built in": f"{built:.1f} s"}
    report(args, rows, facts, (load_before, load_after))
    return 0


if __name__ == "__main__":
    sys.exit(main())
