"""Exports against their floors: 10,000 excerpts to Markdown, and a 100-document project to a .qdpx.

The project: ``--documents`` generated focus groups (see ``generate.py``) in groups FG 1, FG 2 …,
the MDA codebook, and ``--excerpts`` codings by anna, each a different (code, turn), of which
erik coded every third one too (one excerpt, two coders). Setup is untimed.

    .venv/bin/python bench/bench_export.py                    # 100 documents, 10,000 excerpts, 3 runs
    .venv/bin/python bench/bench_export.py --quick            # 10 documents, 1,000 excerpts, 2 runs
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_transcripts  # noqa: E402
from sqlalchemy import insert, select  # noqa: E402

from mda_coder.services import exporting, importing  # noqa: E402
from mda_coder.services.project import create_project  # noqa: E402
from mda_coder.store import codings as coding_repo  # noqa: E402
from mda_coder.store.engine import Database  # noqa: E402
from mda_coder.store.models import CodeRow, CodingRow, Document, TurnRow  # noqa: E402

CODEBOOK = Path(__file__).resolve().parents[1] / "codebooks" / "mda.yaml"


def build(folder: Path, documents: int, words: int, excerpts: int) -> Database:
    paths = generate_transcripts(folder / "in", documents=documents, words_per_document=words)
    db = create_project(folder / "bench.mda", "sv", CODEBOOK, actor="bench")
    for i, path in enumerate(paths, start=1):
        importing.import_files(db, [path], group=f"FG {i}")
    rng = random.Random(1)
    now = datetime(2026, 1, 1, tzinfo=UTC)
    with db.transaction() as s:
        anna, erik = coding_repo.coder(s, "anna").id, coding_repo.coder(s, "erik").id
        codes = list(s.scalars(select(CodeRow.id)))
        turns = s.execute(select(TurnRow.document_id, TurnRow.start_offset, TurnRow.end_offset)).all()
        if excerpts > len(codes) * len(turns):
            raise SystemExit(f"only {len(codes) * len(turns)} (code, turn) pairs: ask for fewer excerpts or more words")
        pairs = rng.sample(range(len(codes) * len(turns)), excerpts)
        rows = []
        for n, pair in enumerate(pairs):
            code, (doc, start, end) = codes[pair % len(codes)], turns[pair // len(codes)]
            for coder in (anna, erik) if n % 3 == 0 else (anna,):
                rows.append({"coder_id": coder, "code_id": code, "document_id": doc, "start_offset": start,
                             "end_offset": end, "memo": "memo" if n % 50 == 0 else None,
                             "created_at": now, "modified_at": now})
        s.execute(insert(CodingRow.__table__), rows)
    return db


def _codings(db: Database) -> tuple[dict[int, str], list[tuple[int, int, int]]]:
    """Every document's text and every coding's span, with one Core query each: the least any export reads."""
    with db.transaction() as s:
        texts = dict(s.execute(select(Document.id, Document.text)).all())
        spans = s.execute(select(CodingRow.document_id, CodingRow.start_offset, CodingRow.end_offset)).all()
    return texts, [tuple(r) for r in spans]


def floor_markdown(db: Database, out: Path) -> None:
    """Read every coding's text and write it as a quoted line: no grouping, labels, escaping, nor atomic write."""
    texts, spans = _codings(db)
    with open(out, "w", encoding="utf-8") as stream:
        stream.writelines(f"> {texts[doc][start:end]}\n\n" for doc, start, end in spans)


def floor_qdpx(db: Database, out: Path) -> None:
    """Read every document and coding and deflate the sources into a zip: what any .qdpx writer must do."""
    all_texts, _ = _codings(db)
    texts = list(all_texts.values())
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for i, text in enumerate(texts):
            archive.writestr(f"sources/{i}.txt", text.encode("utf-8"))


def timed(stages: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[tuple[float, float]]]:
    """Wall and CPU seconds per stage, the stages interleaved round by round so background load hits all alike."""
    result: dict[str, list[tuple[float, float]]] = {name: [] for name in stages}
    for _ in range(repeat):
        for name, action in stages.items():
            wall, cpu = time.perf_counter(), time.process_time()
            action()
            result[name].append((time.perf_counter() - wall, time.process_time() - cpu))
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--words", type=int, default=3_000, help="words per document")
    parser.add_argument("--excerpts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="10 documents, 1,000 excerpts, 2 runs")
    args = parser.parse_args()
    if args.quick:
        args.documents, args.excerpts, args.repeat = 10, 1_000, 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        db = build(folder, args.documents, args.words, args.excerpts)
        setup = time.perf_counter() - started
        out = folder / "out"
        out.mkdir()
        stages: dict[str, Callable[[], object]] = {
            "floor: codings to quoted lines": lambda: floor_markdown(db, out / "floor.md"),
            "export markdown": lambda: exporting.export_markdown(db, str(out / "utdrag.md")),
            "export markdown --context 1": lambda: exporting.export_markdown(db, str(out / "context.md"), context=1),
            "export csv": lambda: exporting.export_table(db, str(out / "codings.csv"), "csv"),
            "floor: sources zipped + codings read": lambda: floor_qdpx(db, out / "floor.zip"),
            "export qdpx": lambda: exporting.export_qdpx(db, str(out / "studie.qdpx")),
            "export qdc": lambda: exporting.export_qdc(db, str(out / "mda.qdc")),
        }
        exporting.export_qdc(db, str(out / "warm.qdc"))  # makes the project id once, outside the timing
        results = timed(stages, args.repeat)
        result = exporting.export_markdown(db, str(out / "utdrag.md"))
        with zipfile.ZipFile(out / "studie.qdpx") as archive:
            qde = len(archive.read("project.qde"))
        sizes = {name: (out / name).stat().st_size for name in ("utdrag.md", "context.md", "codings.csv", "studie.qdpx")}
        with db.transaction() as s:
            codings = s.query(CodingRow).count()
            turns = s.query(TurnRow).count()
        db.close()
    print(f"{args.documents} documents, {turns:,} turns, {codings:,} codings, {result.items:,} excerpts; setup {setup:.1f} s")
    print("sizes: " + ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in sizes.items()) + f", project.qde {qde / 1e6:.1f} MB")
    print(f"{'stage':<40} {'median s':>9} {'cpu s':>7} {'x floor':>8}")
    base = None
    for name, runs in results.items():
        wall = statistics.median(w for w, _ in runs)
        cpu = statistics.median(c for _, c in runs)
        if name.startswith("floor"):
            base = wall
        ratio = f"{wall / base:>8.1f}" if base and name != "export qdc" else f"{'':>8}"  # qdc has no floor of its own
        print(f"{name:<40} {wall:>9.3f} {cpu:>7.3f} {ratio}")


if __name__ == "__main__":
    main()
