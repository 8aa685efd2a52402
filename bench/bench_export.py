"""Exchange against its floors: 10,000 excerpts to Markdown, a 100-document project to a .qdpx and back.

The project: ``--documents`` generated focus groups (see ``generate.py``) in groups FG 1, FG 2 …,
the MDA codebook, and ``--excerpts`` codings by anna, each a different (code, turn) that breaks
no mutually exclusive group, of which erik coded every third one too (one excerpt, two coders).
The .qdpx the export writes is then imported into fresh projects, next to the ordinary import
of the same texts as .txt files, and the imported project must hold every document and coding
of the original. Setup is untimed.

    .venv/bin/python bench/bench_export.py                    # 100 documents, 10,000 excerpts, 3 runs
    .venv/bin/python bench/bench_export.py --quick            # 10 documents, 1,000 excerpts, 2 runs
"""

from __future__ import annotations

import argparse
import os
import platform
import posixpath
import random
import sqlite3
import statistics
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import sqlalchemy
from generate import generate_transcripts
from sqlalchemy import func, insert, select

from mda_coder.services import exporting, importing
from mda_coder.services.importing import import_qdpx
from mda_coder.services.project import create_project, open_project
from mda_coder.store import codings as coding_repo
from mda_coder.store.engine import Database
from mda_coder.store.models import CodeRow, CodingRow, Document, TurnRow

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
        codes, groups = zip(*s.execute(select(CodeRow.id, CodeRow.exclusive_group_id)).all(), strict=True)
        turns = s.execute(select(TurnRow.document_id, TurnRow.start_offset, TurnRow.end_offset)).all()
        pairs = _pairs(rng, groups, len(turns), excerpts)
        rows = []
        for n, pair in enumerate(pairs):
            code, (doc, start, end) = codes[pair % len(codes)], turns[pair // len(codes)]
            for coder in (anna, erik) if n % 3 == 0 else (anna,):
                rows.append(
                    {
                        "coder_id": coder,
                        "code_id": code,
                        "document_id": doc,
                        "start_offset": start,
                        "end_offset": end,
                        "memo": "memo" if n % 50 == 0 else None,
                        "created_at": now,
                        "modified_at": now,
                    }
                )
        s.execute(insert(CodingRow.__table__), rows)
    return db


def _pairs(rng: random.Random, groups: tuple[int | None, ...], turns: int, excerpts: int) -> list[int]:
    """``excerpts`` distinct (code, turn) pairs as ``turn * codes + code``, at most one code of an exclusive group per turn.

    The import refuses a second code of a mutually exclusive group on the same text by the same
    coder, as coding does; data that breaks the rule would make the import drop codings.
    """
    taken: set[tuple[int, int]] = set()
    pairs = []
    for pair in rng.sample(range(len(groups) * turns), len(groups) * turns):
        group, turn = groups[pair % len(groups)], pair // len(groups)
        if group is not None:
            if (group, turn) in taken:
                continue
            taken.add((group, turn))
        pairs.append(pair)
        if len(pairs) == excerpts:
            return pairs
    raise SystemExit(f"only {len(pairs)} (code, turn) pairs: ask for fewer excerpts or more words")


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


def floor_unzip(archive: Path) -> None:
    """Inflate every entry of the .qdpx and parse ``project.qde``: the least any importer reads."""
    with zipfile.ZipFile(archive) as zipped:
        for name in zipped.namelist():
            data = zipped.read(name)
            if name.endswith(".qde"):
                ET.fromstring(data)


def write_sources(archive: Path, folder: Path) -> list[Path]:
    """The archive's source texts as .txt files (untimed): the ordinary import's input for the same documents."""
    folder.mkdir()
    paths = []
    with zipfile.ZipFile(archive) as zipped:
        for name in sorted(zipped.namelist()):
            if name.lower().startswith("sources/") and name.lower().endswith(".txt"):
                path = folder / posixpath.basename(name)
                path.write_bytes(zipped.read(name))
                paths.append(path)
    return paths


class Imports:
    """Fresh projects, one per run, each filled by an import; kept to be checked after the timing."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.made: dict[str, list[Path]] = {}

    def _fresh(self, kind: str) -> Database:
        made = self.made.setdefault(kind, [])
        made.append(self.folder / f"{kind}-{len(made)}.mda")
        return create_project(made[-1], "sv", actor="bench")

    def text_files(self, paths: list[Path]) -> None:
        db = self._fresh("txt")
        try:
            importing.import_files(db, paths, actor="bench")
        finally:
            db.close()

    def qdpx(self, archive: Path) -> None:
        db = self._fresh("qdpx")
        try:
            import_qdpx(db, archive, actor="bench")
        finally:
            db.close()


def counts(path: Path) -> tuple[int, int]:
    """Documents and codings in a project file."""
    db = open_project(path)
    try:
        with db.transaction() as s:
            return s.scalar(select(func.count(Document.id))) or 0, s.scalar(select(func.count(CodingRow.id))) or 0
    finally:
        db.close()


def check_imports(imports: Imports, documents: int, codings: int) -> None:
    """Stop unless every imported project holds what the original did: a wrong import must not look fast."""
    for kind, paths in imports.made.items():
        for path in paths:
            got = counts(path)
            wanted = (documents, codings if kind == "qdpx" else 0)
            if got != wanted:
                raise SystemExit(
                    f"{path.name}: {got[0]} documents and {got[1]} codings imported, not {wanted[0]} and {wanted[1]}"
                )


def machine() -> str:
    import spacy

    return (
        f"{os.cpu_count()} cores, Python {platform.python_version()}, spaCy {spacy.__version__}, "
        f"SQLAlchemy {sqlalchemy.__version__}, SQLite {sqlite3.sqlite_version}"
    )


def timed(stages: dict[str, Callable[[], object]], repeat: int) -> dict[str, list[tuple[float, float]]]:
    """Wall and CPU seconds per stage, the stages interleaved round by round so background load hits all alike."""
    result: dict[str, list[tuple[float, float]]] = {name: [] for name in stages}
    for _ in range(repeat):
        for name, action in stages.items():
            wall, cpu = time.perf_counter(), time.process_time()
            action()
            result[name].append((time.perf_counter() - wall, time.process_time() - cpu))
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100)
    parser.add_argument("--words", type=int, default=3_000, help="words per document")
    parser.add_argument("--excerpts", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="10 documents, 1,000 excerpts, 2 runs")
    args = parser.parse_args(argv)
    if args.quick:
        args.documents, args.excerpts, args.repeat = 10, 1_000, 2
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        db = build(folder, args.documents, args.words, args.excerpts)
        out = folder / "out"
        out.mkdir()
        exporting.export_qdc(db, str(out / "warm.qdc"))  # makes the project id once, outside the timing
        archive = out / "import.qdpx"
        exporting.export_qdpx(db, str(archive))  # the import's input: the same bytes every run
        sources = write_sources(archive, folder / "sources")
        imports = Imports(folder)
        imports.text_files(sources)  # loads and warms the spaCy pipeline, outside the timing
        setup = time.perf_counter() - started
        stages: dict[str, Callable[[], object]] = {
            "floor: codings to quoted lines": lambda: floor_markdown(db, out / "floor.md"),
            "export markdown": lambda: exporting.export_markdown(db, str(out / "utdrag.md"), force=True),
            "export markdown --context 1": lambda: exporting.export_markdown(
                db, str(out / "context.md"), context=1, force=True
            ),
            "export csv": lambda: exporting.export_table(db, str(out / "codings.csv"), "csv", force=True),
            "floor: sources zipped + codings read": lambda: floor_qdpx(db, out / "floor.zip"),
            "export qdpx": lambda: exporting.export_qdpx(db, str(out / "studie.qdpx"), force=True),
            "export qdc": lambda: exporting.export_qdc(db, str(out / "mda.qdc"), force=True),
            "floor: unzip + parse project.qde": lambda: floor_unzip(archive),
            "floor: import the sources as .txt": lambda: imports.text_files(sources),
            "import qdpx": lambda: imports.qdpx(archive),
        }
        floors = {
            "export markdown": "floor: codings to quoted lines",
            "export markdown --context 1": "floor: codings to quoted lines",
            "export csv": "floor: codings to quoted lines",
            "export qdpx": "floor: sources zipped + codings read",
            "floor: import the sources as .txt": "floor: unzip + parse project.qde",
            "import qdpx": "floor: import the sources as .txt",
        }
        load = [os.getloadavg()[0]]
        results = timed(stages, args.repeat)
        load.append(os.getloadavg()[0])
        result = exporting.export_markdown(db, str(out / "utdrag.md"), force=True)
        with zipfile.ZipFile(out / "studie.qdpx") as zipped:
            qde = len(zipped.read("project.qde"))
        sizes = {
            name: (out / name).stat().st_size for name in ("utdrag.md", "context.md", "codings.csv", "studie.qdpx")
        }
        with db.transaction() as s:
            codings = s.query(CodingRow).count()
            turns = s.query(TurnRow).count()
        db.close()
        check_imports(imports, args.documents, codings)
        checked = sum(len(paths) for paths in imports.made.values())
    print(machine())
    print(
        f"{args.documents} documents, {turns:,} turns, {codings:,} codings, {result.items:,} excerpts; setup {setup:.1f} s"
    )
    print(
        "sizes: "
        + ", ".join(f"{name} {size / 1e6:.1f} MB" for name, size in sizes.items())
        + f", project.qde {qde / 1e6:.1f} MB"
    )
    print(
        f"imports checked: {checked} fresh projects, each with {args.documents} documents (and the .qdpx ones {codings:,} codings)"
    )
    print(f"load average {load[0]:.2f} before timing, {load[1]:.2f} after; medians of {args.repeat} run(s)")
    print(f"{'stage':<40} {'median s':>9} {'cpu s':>7} {'x floor':>8}")
    medians = {name: statistics.median(w for w, _ in runs) for name, runs in results.items()}
    for name, runs in results.items():
        cpu = statistics.median(c for _, c in runs)
        base = medians.get(floors.get(name, ""))  # qdc has no floor of its own
        ratio = f"{medians[name] / base:>8.1f}" if base else f"{'':>8}"
        print(f"{name:<40} {medians[name]:>9.3f} {cpu:>7.3f} {ratio}")
    print(
        f"{'':<40} import qdpx is {medians['import qdpx'] / medians['floor: unzip + parse project.qde']:.1f}x the unzip + parse floor"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
