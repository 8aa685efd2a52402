"""Coding workspace: first paint, key-to-committed latency and memory, against floors measured in the same run.

Three questions from the issue, each beside a floor that no application can beat:

- first paint of a ~2,000-turn transcript vs an empty Textual app's first paint (target ≤ 2×);
- key press to committed coding, 200 actions, vs a bare SQLite INSERT + COMMIT with the
  project's settings (WAL, synchronous=FULL) and vs the service call alone (target p95 < 50 ms);
- peak RSS with a 100-document project open vs Python with Textual imported (target < 300 MB).

    .venv/bin/python bench/bench_tui.py            # 2,000-turn document, 100 x 5,000 words, 5 runs, 200 actions
    .venv/bin/python bench/bench_tui.py --quick    # a smoke run: ~470 turns, 20 actions (~20 s)

Every measurement runs in a fresh child process (``--child``), so that no run starts with
caches (Textual's CSS and style caches, SQLAlchemy's statement cache) warmed by another,
and so that ``VmHWM`` is that measurement's own peak. The app runs headless through
``App.run_test``; a hook on ``App._display`` turns each frame into terminal escape codes
as a real terminal driver would (headless skips that step) and timestamps it.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import json
import os
import platform
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import tui_probes as probes

ROOT = Path(__file__).resolve().parent.parent
CODEBOOK = ROOT / "codebooks" / "mda.yaml"
PROFILE_ENV = "MDA_BENCH_PROFILE"
"""Set (by ``--profile``) to a folder: children write ``<stage>-<pid>.prof`` files there."""
PAINT_TARGET, LATENCY_TARGET_MS, MEMORY_TARGET_MB = 2.0, 50.0, 300.0


@dataclass
class Row:
    section: str
    name: str
    values: list[float]
    unit: str
    """"ms" or "MB"."""
    floor: str | None = None
    """The row this one is a ratio of."""
    target: str = ""
    passed: bool | None = None

    @property
    def median(self) -> float:
        return statistics.median(self.values)

    @property
    def p95(self) -> float | None:
        return _p95(self.values) if len(self.values) >= 20 else None

    def show(self, value: float) -> str:
        return f"{value:.1f} ms" if self.unit == "ms" else f"{value:.0f} {self.unit}"


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18]


# -- the orchestrating process --------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument(
        "--turn-words", type=int, default=90_000, help="words of the long document (90,000 gives 2,098 turns)"
    )
    parser.add_argument("--documents", type=int, default=100, help="documents in the memory project")
    parser.add_argument("--words", type=int, default=5_000, help="words per document of the memory project")
    parser.add_argument("--repeat", type=int, default=5, help="first-paint runs; the median is reported")
    parser.add_argument("--actions", type=int, default=200, help="coding actions timed")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="~470 turns, 10 x 2,000 words, 3 runs, 20 actions")
    parser.add_argument(
        "--profile",
        type=Path,
        metavar="DIR",
        help="write cProfile files of each child's main (UI) thread to DIR; timings get slower",
    )
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return _child(args.child)
    if args.profile is not None:
        args.profile.mkdir(parents=True, exist_ok=True)
        os.environ[PROFILE_ENV] = str(args.profile.resolve())
    if args.quick:
        args.turn_words, args.documents, args.words, args.repeat, args.actions = 20_000, 10, 2_000, 3, 20

    with tempfile.TemporaryDirectory(prefix="mda-bench-tui-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        long_project, turns = _build(work, "long", 1, args.turn_words, args.seed)
        many_project, _ = _build(work, "many", args.documents, args.words, args.seed)
        built = time.perf_counter() - started

        load_before = os.getloadavg()[0]
        paints: dict[str, list[dict[str, float]]] = {"floor": [], "app": [], "launch-floor": [], "launch-app": []}
        for _ in range(args.repeat):  # interleaved, so that drift hits floor and app alike
            paints["launch-floor"].append({"paint": probes.launch_floor()})
            paint, ready = probes.launch_app(long_project)
            paints["launch-app"].append({"paint": paint, "ready": ready})
            paints["floor"].append(_run_child("paint-floor"))
            paints["app"].append(_run_child("paint-app", long_project))
        for name in ("service", "ui"):
            shutil.copy(long_project, work / f"apply-{name}.mda")
        apply = _run_child("apply", str(work), str(args.actions))
        memory = {
            "bare": _run_child("rss-bare"),
            "floor": paints["floor"][0],
            "app": _run_child("rss-app", many_project),
        }
        load_after = os.getloadavg()[0]

    rows = _rows(paints, apply, memory, turns, args)
    _print_report(args, rows, turns, built, (load_before, load_after), apply)
    return 0


def _build(work: Path, name: str, documents: int, words: int, seed: int) -> tuple[str, int]:
    """A project with the real services: the MDA codebook and generated transcripts."""
    from generate import generate_transcripts

    from mda_coder.services.importing import import_files
    from mda_coder.services.project import create_project

    paths = generate_transcripts(work / name, documents=documents, words_per_document=words, seed=seed)
    target = work / f"{name}.mda"
    db = create_project(target, "sv", CODEBOOK, actor="bench")
    try:
        reports = import_files(db, paths, actor="bench")
    finally:
        db.close()  # the last connection closing checkpoints the WAL: the file can be copied
    return str(target), reports[0].turns


def _run_child(*argv: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, __file__, "--child", *argv], capture_output=True, text=True, check=False, cwd=ROOT
    )
    if done.returncode != 0:
        raise SystemExit(f"bench child {argv[0]} failed:\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


# -- children: each prints one JSON line ----------------------------------------------


@contextmanager
def _profiled(stage: str) -> Iterator[None]:
    """cProfile this thread while the block runs, if ``--profile`` asked for it.

    Only the calling thread is profiled: the writer thread's ``apply_code`` and the load
    worker's queries show up in the service stages, which run on the main thread.
    """
    folder = os.environ.get(PROFILE_ENV)
    if not folder:
        yield
        return
    profile = cProfile.Profile()
    profile.enable()
    try:
        yield
    finally:
        profile.disable()
        profile.dump_stats(Path(folder) / f"{stage}-{os.getpid()}.prof")


def _child(argv: list[str]) -> int:
    kind, *rest = argv
    if kind == "rss-bare":
        import textual.app  # noqa: F401 - the import is what is measured

        result: dict[str, Any] = {"rss": probes.rss_mb()}
    elif kind == "paint-floor":
        result = asyncio.run(probes.paint_floor())
    elif kind == "paint-app":
        with _profiled("paint"):
            result = asyncio.run(probes.paint_app(rest[0]))
    elif kind == "apply":
        folder, actions = Path(rest[0]), int(rest[1])
        result = {
            "sqlite": probes.apply_sqlite(folder / "floor.sqlite", actions),
            "sqlite_nosync": probes.apply_sqlite(folder / "floor-nosync.sqlite", actions, "OFF"),
        }
        with _profiled("apply-service"):
            result["service"] = probes.apply_service(folder / "apply-service.mda", actions)
        with _profiled("apply-ui"):
            result.update(asyncio.run(probes.apply_ui(folder / "apply-ui.mda", actions)))
    elif kind == "rss-app":
        result = asyncio.run(probes.rss_app(rest[0]))
    else:
        raise SystemExit(f"unknown child {kind}")
    print(json.dumps(result))
    return 0


# -- the report -----------------------------------------------------------------------


def _rows(
    paints: dict[str, list[dict[str, float]]],
    apply: dict[str, list[float]],
    memory: dict[str, dict[str, Any]],
    turns: int,
    args: argparse.Namespace,
) -> list[Row]:
    def ms(seconds: list[float]) -> list[float]:
        return [s * 1000 for s in seconds]

    app = paints["app"]
    launch = Row(
        "launch",
        f"`mda-coder open`: first words of a {turns:,}-turn transcript on the terminal",
        ms([r["paint"] for r in paints["launch-app"]]),
        "ms",
        floor="launch floor",
        target=f"≤ {PAINT_TARGET:.0f}× floor",
    )
    launch.passed = launch.median / statistics.median(ms([r["paint"] for r in paints["launch-floor"]])) <= PAINT_TARGET
    paint = Row(
        "first paint",
        f"app: {turns:,}-turn transcript painted",
        ms([r["paint"] for r in app]),
        "ms",
        floor="paint floor",
    )
    handled = Row(
        "apply",
        "UI: key → CodingChanged handled",
        ms(apply["handled"]),
        "ms",
        floor="apply floor",
        target=f"p95 < {LATENCY_TARGET_MS:.0f} ms",
    )
    handled.passed = _p95(handled.values) < LATENCY_TARGET_MS
    peak = Row(
        "memory",
        f"app: {memory['app']['documents']} documents open, one paged through",
        [memory["app"]["rss"]],
        "MB",
        floor="memory floor",
        target=f"< {MEMORY_TARGET_MB:.0f} MB",
    )
    peak.passed = peak.median < MEMORY_TARGET_MB
    return [
        Row(
            "launch",
            "floor: empty Textual app + one Static, run as a program",
            ms([r["paint"] for r in paints["launch-floor"]]),
            "ms",
            floor="launch floor",
        ),
        launch,
        Row(
            "launch",
            "`mda-coder open`: whole workspace drawn (document list filled)",
            ms([r["ready"] for r in paints["launch-app"]]),
            "ms",
            floor="launch floor",
        ),
        Row(
            "first paint",
            "floor: empty app + one Static",
            ms([r["paint"] for r in paints["floor"]]),
            "ms",
            floor="paint floor",
        ),
        Row(
            "first paint",
            "load_document + load_marks (service)",
            ms([r["service"] for r in app]),
            "ms",
            floor="paint floor",
        ),
        Row("first paint", "TranscriptView.show() (layout)", ms([r["show"] for r in app]), "ms", floor="paint floor"),
        Row("first paint", "app: first frame", ms([r["frame"] for r in app]), "ms", floor="paint floor"),
        paint,
        Row(
            "first paint",
            "app: WorkspaceReady (whole document, keys act)",
            ms([r["loaded"] for r in app]),
            "ms",
            floor="paint floor",
        ),
        Row("first paint", "import textual.app (not in paint)", ms([r["import"] for r in paints["floor"]]), "ms"),
        Row("first paint", "import mda_coder.tui.app (not in paint)", ms([r["import"] for r in app]), "ms"),
        Row("apply", "floor: sqlite3 INSERT + COMMIT (WAL, FULL)", ms(apply["sqlite"]), "ms", floor="apply floor"),
        Row(
            "apply",
            "sqlite3 as above, synchronous=OFF (no fsync)",
            ms(apply["sqlite_nosync"]),
            "ms",
            floor="apply floor",
        ),
        Row("apply", "service: apply_code, no UI", ms(apply["service"]), "ms", floor="apply floor"),
        Row("apply", "UI: key → committed (writer thread)", ms(apply["committed"]), "ms", floor="apply floor"),
        handled,
        Row("apply", "UI: key → code badge painted", ms(apply["painted"]), "ms", floor="apply floor"),
        Row("apply", "UI: j → status bar shows the new turn", ms(apply["move"]), "ms"),
        Row("memory", "floor: Python + import textual.app", [memory["bare"]["rss"]], "MB", floor="memory floor"),
        Row("memory", "empty Textual app, painted", [memory["floor"]["rss"]], "MB", floor="memory floor"),
        Row(
            "memory",
            f"app: {turns:,}-turn transcript painted",
            [statistics.median(r["rss"] for r in app)],
            "MB",
            floor="memory floor",
        ),
        peak,
    ]


def _machine() -> list[tuple[str, str]]:
    import sqlalchemy
    import textual

    return [
        ("cores", f"{os.cpu_count()} (affinity {len(os.sched_getaffinity(0))})"),
        ("platform", platform.platform()),
        ("Python", platform.python_version()),
        ("Textual", textual.__version__),
        ("SQLAlchemy", sqlalchemy.__version__),
        ("SQLite", sqlite3.sqlite_version),
    ]


def _print_report(
    args: argparse.Namespace,
    rows: list[Row],
    turns: int,
    built: float,
    load: tuple[float, float],
    apply: dict[str, list[float]],
) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console(width=max(Console().width, 130))
    info = Table(show_header=False, box=None, pad_edge=False)
    for key, value in _machine():
        info.add_row(key, value)
    info.add_row(
        "projects",
        f"1 document x ~{args.turn_words:,} words ({turns:,} turns); {args.documents} documents x ~{args.words:,} words (seed {args.seed})",
    )
    info.add_row(
        "runs",
        f"first paint x {args.repeat} (fresh process each, {probes.SIZE[0]}x{probes.SIZE[1]} headless); {args.actions} coding actions",
    )
    info.add_row("untimed", f"building both projects {built:.1f} s")
    info.add_row("load average", f"{load[0]:.2f} before timing, {load[1]:.2f} after (other work on the cores)")
    console.print(info)

    floors = {r.floor: r.median for r in rows if r.name.startswith("floor")}
    table = Table(title="Coding workspace: medians, against floors measured in this run", box=box.SIMPLE_HEAD)
    for column, justify in (
        ("stage", "left"),
        ("median", "right"),
        ("p95", "right"),
        ("max", "right"),
        ("× floor", "right"),
        ("target", "left"),
        ("result", "left"),
    ):
        table.add_column(column, justify=justify, no_wrap=column == "stage")  # type: ignore[arg-type]
    section = None
    for row in rows:
        if row.section != section:
            if section is not None:
                table.add_section()
            section = row.section
        ratio = f"{row.median / floors[row.floor]:.2f}" if row.floor in floors else ""
        result = "" if row.passed is None else "[green]pass[/green]" if row.passed else "[red]FAIL[/red]"
        table.add_row(
            f"[b]{row.name}[/b]" if row.target else row.name,
            row.show(row.median),
            row.show(row.p95) if row.p95 is not None else "",
            row.show(max(row.values)) if len(row.values) > 1 else "",
            ratio,
            row.target,
            result,
        )
    console.print(table)
    console.print(
        "  launch: from starting the program in a pty to the text on the terminal (interpreter, imports, real driver);"
        " the floor is the same empty app as below, run as a program.\n"
        "  first paint: from app construction (after imports) to the first frame showing the first turn's text;"
        " the floor, to the frame showing its Static.\n"
        "  apply: from the digit key sent to the moment named; each action on a new turn, the app idle before it.\n"
        "  memory: VmHWM of a fresh process (peak RSS).",
        style="dim",
    )
    console.print(
        f"  marks reloads seen during the actions: {apply['reloads']} for {len(apply['handled'])} actions",
        style="dim",
    )
    quarter = max(len(apply["handled"]) // 4, 1)
    console.print(
        "  growth with the number of codings, first vs last quarter of the actions (medians): "
        + ", ".join(
            f"{what} {statistics.median(apply[key][:quarter]) * 1000:.1f} → {statistics.median(apply[key][-quarter:]) * 1000:.1f} ms"
            for key, what in (("service", "service"), ("handled", "handled"), ("painted", "badge painted"))
        ),
        style="dim",
    )
    slow = sorted(range(len(apply["handled"])), key=lambda i: apply["handled"][i])[-3:]
    console.print(
        "  slowest actions (#: handled ms): "
        + ", ".join(f"{i + 1}: {apply['handled'][i] * 1000:.1f}" for i in reversed(slow)),
        style="dim",
    )


if __name__ == "__main__":
    sys.exit(main())
