"""Import throughput: parsing, sentence splitting and storing, against a bare spaCy floor.

The floor is what no importer can beat: spaCy's blank Swedish pipeline with a
sentencizer run over the very turn texts the importer feeds it. Every stage is
timed in the same run, on the same corpus, so the ratios hold on any machine.

    .venv/bin/python bench/bench_import.py            # 40 documents x 10,000 words, 3 runs
    .venv/bin/python bench/bench_import.py --quick    # a smoke run of a few seconds

Pipeline loading (``import spacy`` and ``spacy.blank``, ~0.7 s) is done once,
before anything is timed, as it is in a running application after the first import.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_transcripts

from mda_coder.core.transcript import ParsedTranscript
from mda_coder.ingest import read_transcript

if TYPE_CHECKING:  # spaCy is imported inside _load_pipelines, where its cost is measured
    from spacy.language import Language

LANGUAGE = "sv"
BATCH_SIZE = 256
"""The batch size ``mda_coder.nlp.sentences.split_sentences`` uses."""


@dataclass(frozen=True)
class Stage:
    name: str
    what: str
    seconds: list[float]
    """Wall-clock time of each run."""
    cpu: list[float]
    """CPU time of each run: steadier than wall time when other work shares the cores."""

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def median_cpu(self) -> float:
        return statistics.median(self.cpu)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--documents", type=int, default=40)
    parser.add_argument("--words", type=int, default=10_000, help="words per document")
    parser.add_argument("--repeat", type=int, default=3, help="runs per stage; the median is reported")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quick", action="store_true", help="4 documents x 2,000 words, 2 runs")
    parser.add_argument("--rss-child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rss_child is not None:
        return _rss_child(args.rss_child)
    if args.quick:
        args.documents, args.words, args.repeat = 4, 2_000, 2

    with tempfile.TemporaryDirectory(prefix="mda-bench-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        paths = generate_transcripts(
            work / "corpus", documents=args.documents, words_per_document=args.words, seed=args.seed
        )
        generated = time.perf_counter() - started
        texts = [_turn_texts(read_transcript(p)) for p in paths]
        flat = [t for doc in texts for t in doc]
        words = sum(len(t.split()) for t in flat)

        floor_nlp, load_seconds = _load_pipelines()
        # Untimed warm-up of both pipelines (spaCy fills its tokenizer cache on first use);
        # the floor's pass also counts the sentences.
        sentences = _floor(floor_nlp, flat)
        _warm_importer_pipeline(flat)

        load_before = os.getloadavg()[0]
        stages = _measure(args.repeat, paths, texts, flat, floor_nlp, work)
        load_after = os.getloadavg()[0]
        rss_end = _rss_mb()
        child = _child_rss(work / "corpus")

        _print_report(
            args=args,
            paths=paths,
            words=words,
            turns=len(flat),
            sentences=sentences,
            generated=generated,
            load_seconds=load_seconds,
            stages=stages,
            rss_end=rss_end,
            child=child,
            load=(load_before, load_after),
        )
    return 0


def _turn_texts(parsed: ParsedTranscript) -> list[str]:
    """The texts the importer hands to the sentence splitter, one per turn."""
    return [parsed.text[t.span.start : t.span.end] for t in parsed.turns]


def _load_pipelines() -> tuple[Language, float]:
    """The floor's bare pipeline and the importer's cached one, loaded before any timing."""
    started = time.perf_counter()
    import spacy
    from spacy.pipeline.sentencizer import Sentencizer

    from mda_coder.nlp.pipeline import EXTRA_SENTENCE_ENDS, load, trained_pipeline_name

    if trained_pipeline_name(LANGUAGE) is not None:
        print(f"note: the importer uses the trained pipeline {trained_pipeline_name(LANGUAGE)}, not the blank one")
    nlp = spacy.blank(LANGUAGE)
    punct = list(dict.fromkeys([*Sentencizer.default_punct_chars, *EXTRA_SENTENCE_ENDS]))
    nlp.add_pipe("sentencizer", config={"punct_chars": punct})
    load(LANGUAGE)  # lru_cached: import_files reuses it
    return nlp, time.perf_counter() - started


def _warm_importer_pipeline(texts: list[str]) -> None:
    from mda_coder.nlp.sentences import split_sentences

    for _ in split_sentences(texts, LANGUAGE):
        pass


def _floor(nlp: Language, texts: list[str]) -> int:
    """spaCy alone: tokenise, mark sentence starts, read each sentence's offsets."""
    count = 0
    for doc in nlp.pipe(texts, batch_size=BATCH_SIZE):
        for sent in doc.sents:
            sent.start_char, sent.end_char  # noqa: B018 - the offsets are the product
            count += 1
    return count


def _measure(
    repeat: int,
    paths: list[Path],
    texts: list[list[str]],
    flat: list[str],
    floor_nlp: Language,
    work: Path,
) -> list[Stage]:
    """Each stage ``repeat`` times, interleaved, so that drift hits every stage alike."""
    from mda_coder.nlp.sentences import split_sentences
    from mda_coder.services.importing import import_files
    from mda_coder.services.project import create_project

    def sentences() -> None:
        # As import_files calls it: one split_sentences call per document.
        for doc in texts:
            for _ in split_sentences(doc, LANGUAGE):
                pass

    def parse() -> None:
        for path in paths:
            read_transcript(path)

    runs = 0

    def full_import() -> None:
        nonlocal runs
        runs += 1
        db = create_project(work / f"project-{runs}.mda", LANGUAGE, actor="bench")
        try:
            import_files(db, paths, group="bench", actor="bench")
        finally:
            db.close()

    def shown_import() -> None:
        # As `mda-coder import` runs on a terminal: each file's lines printed as it is stored, above a live bar.
        import io

        from rich.console import Console

        from mda_coder.cli.import_report import print_report
        from mda_coder.cli.progress import progress_shown

        nonlocal runs
        runs += 1
        out = Console(file=io.StringIO(), force_terminal=True, width=100, markup=False, emoji=False, highlight=False)
        db = create_project(work / f"project-{runs}.mda", LANGUAGE, actor="bench")
        try:
            with progress_shown(out) as progress:
                import_files(
                    db,
                    paths,
                    group="bench",
                    actor="bench",
                    progress=progress,
                    stored=lambda r: print_report(out, r, preview=False, project="bench.mda"),
                )
        finally:
            db.close()

    plan: list[tuple[str, str, Callable[[], object]]] = [
        (
            "floor",
            "spaCy blank sv + sentencizer over the turn texts, sentence offsets read",
            lambda: _floor(floor_nlp, flat),
        ),
        ("sentences", "split_sentences per document (the importer's adapter)", sentences),
        ("parse", "read_transcript over all files", parse),
        ("full import", "create_project + import_files, fresh project", full_import),
        ("import, bar", "the same, each file's lines printed above a live progress bar (a terminal)", shown_import),
    ]
    wall: dict[str, list[float]] = {name: [] for name, _, _ in plan}
    cpu: dict[str, list[float]] = {name: [] for name, _, _ in plan}
    for _ in range(repeat):
        for name, _, run in plan:
            gc.collect()
            started, started_cpu = time.perf_counter(), time.process_time()
            run()
            wall[name].append(time.perf_counter() - started)
            cpu[name].append(time.process_time() - started_cpu)
    return [Stage(name, what, wall[name], cpu[name]) for name, what, _ in plan]


def _rss_mb() -> float:
    """Peak resident set size of this process so far, in MB.

    ``VmHWM`` first: ``ru_maxrss`` survives ``exec``, so a child started from a big
    parent would report the parent's peak.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux


def _child_rss(corpus: Path) -> dict[str, float] | None:
    """Peak RSS of a fresh process importing the corpus once: the import's own footprint."""
    done = subprocess.run(
        [sys.executable, __file__, "--rss-child", str(corpus)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        print(f"note: the RSS child failed: {done.stderr.strip().splitlines()[-1:]}")
        return None
    return json.loads(done.stdout.strip().splitlines()[-1])


def _rss_child(corpus: Path) -> int:
    from mda_coder.nlp.pipeline import load
    from mda_coder.services.importing import import_files
    from mda_coder.services.project import create_project

    load(LANGUAGE)
    before = _rss_mb()
    paths = sorted(corpus.iterdir())
    with tempfile.TemporaryDirectory(prefix="mda-bench-rss-") as tmp:
        db = create_project(Path(tmp) / "rss.mda", LANGUAGE, actor="bench")
        import_files(db, paths, actor="bench")
        db.close()
    print(json.dumps({"before": before, "peak": _rss_mb()}))
    return 0


def _machine() -> list[tuple[str, str]]:
    import spacy
    import sqlalchemy

    from mda_coder.nlp.pipeline import load

    return [
        ("cores", f"{os.cpu_count()} (affinity {len(os.sched_getaffinity(0))})"),
        ("platform", platform.platform()),
        ("Python", platform.python_version()),
        ("spaCy", spacy.__version__),
        ("importer pipeline", f"{LANGUAGE}: {' + '.join(load(LANGUAGE).pipe_names)}"),
        ("SQLAlchemy", sqlalchemy.__version__),
        ("SQLite", sqlite3.sqlite_version),
    ]


def _print_report(
    *,
    args: argparse.Namespace,
    paths: list[Path],
    words: int,
    turns: int,
    sentences: int,
    generated: float,
    load_seconds: float,
    stages: list[Stage],
    rss_end: float,
    child: dict[str, float] | None,
    load: tuple[float, float],
) -> None:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    console = Console()
    info = Table(show_header=False, box=None, pad_edge=False)
    for key, value in _machine():
        info.add_row(key, value)
    size = sum(p.stat().st_size for p in paths)
    file_words = sum(len(p.read_text(encoding="utf-8").split()) for p in paths)
    info.add_row(
        "corpus",
        f"{len(paths)} documents x ~{args.words:,} words (seed {args.seed}): {words:,} utterance words"
        f" ({file_words:,} in the files), {turns:,} turns, {sentences:,} sentences, {size / 1e6:.1f} MB",
    )
    info.add_row("untimed", f"generating {generated:.1f} s; pipeline load {load_seconds:.2f} s (excluded)")
    info.add_row("load average", f"{load[0]:.2f} before timing, {load[1]:.2f} after (other work on the cores)")
    console.print(info)

    by_name = {s.name: s for s in stages}
    floor = by_name["floor"].median
    floor_cpu = by_name["floor"].median_cpu
    table = Table(title=f"Import throughput, median of {args.repeat} run(s)", box=box.SIMPLE_HEAD)
    table.add_column("stage", no_wrap=True)
    table.add_column("median s", justify="right")
    table.add_column("min–max", justify="right", no_wrap=True)
    table.add_column("k words/s", justify="right")
    table.add_column("× floor", justify="right")
    table.add_column("CPU s", justify="right")
    table.add_column("CPU × floor", justify="right")
    for stage in stages:
        m = stage.median
        table.add_row(
            stage.name,
            f"{m:.2f}",
            f"{min(stage.seconds):.2f}–{max(stage.seconds):.2f}",
            f"{words / m / 1000:,.0f}",
            f"{m / floor:.2f}",
            f"{stage.median_cpu:.2f}",
            f"{stage.median_cpu / floor_cpu:.2f}",
        )
    store = by_name["full import"].median - by_name["parse"].median - by_name["sentences"].median
    store_cpu = by_name["full import"].median_cpu - by_name["parse"].median_cpu - by_name["sentences"].median_cpu
    table.add_row(
        "store (derived)",
        f"{store:.2f}",
        "",
        f"{words / store / 1000:,.0f}" if store > 0 else "",
        f"{store / floor:.2f}",
        f"{store_cpu:.2f}",
        f"{store_cpu / floor_cpu:.2f}",
    )
    console.print(table)
    for stage in stages:
        console.print(f"  {stage.name}: {stage.what}", style="dim")
    console.print("  store (derived): full import - parse - sentences: SQLite, hashing, journal", style="dim")
    bar = by_name["import, bar"]
    console.print(
        f"progress bar: import, bar / full import = {bar.median / by_name['full import'].median:.3f} wall, "
        f"{bar.median_cpu / by_name['full import'].median_cpu:.3f} CPU"
    )
    memory = f"peak RSS: this process {rss_end:.0f} MB"
    if child is not None:
        memory += (
            f"; a fresh process importing the corpus once {child['peak']:.0f} MB"
            f" ({child['before']:.0f} MB with the pipeline loaded, before importing)"
        )
    console.print(memory)


if __name__ == "__main__":
    sys.exit(main())
