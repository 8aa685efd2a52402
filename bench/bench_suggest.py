"""Suggested codings on 10,000 turns: training and proposing for one code, next to floors measured in the same run.

The project: ``--turns`` turns of synthetic caseworker talk (``generate.py``'s sentences, about 43
words a turn) in documents of 250 turns, written straight into a real project file (untimed). The
coder ``anna`` has coded the first half of the documents: ``tilltro`` on every turn saying
*tilltro*, *förtroendet* or *självförtroendet*, with noise (one such turn in ten left uncoded, one
other turn in fifty coded). The second half she has not touched: that is what is proposed on.
Rows, each timed in the same run (medians):

  read units        floor: the units, their texts and anna's labels read from the project
  featurize         the tf-idf rows of every turn (words, pairs, lemmas, 4-letter pieces)
  bare fit          floor: one logistic regression on the ready feature matrix of the labelled turns
  suggest           ``services.suggest.suggest``: the whole use case (read, featurize, a model and five
                    cross-fitted ones, score, explain, store 20 proposals), the figure with the 5 s target
  scikit-learn fit  the same fit by scikit-learn, when it is installed (it is not a dependency)

Then ``--evaluate``'s figures for the code (5-fold, held-out turns of anna's codings).

    .venv/bin/python bench/bench_suggest.py            # 10,000 turns, 5 runs (~1 min)
    .venv/bin/python bench/bench_suggest.py --quick    # 1,000 turns, 2 runs (~10 s)
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from sqlalchemy import insert, select

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import generate  # noqa: E402

from mda_coder.analysis.suggest import featurize, fit  # noqa: E402
from mda_coder.nlp.search import lemma_lookup  # noqa: E402
from mda_coder.services import suggest as suggesting  # noqa: E402
from mda_coder.services.project import create_project  # noqa: E402
from mda_coder.store.engine import Database  # noqa: E402
from mda_coder.store.models import Coder, CodeRow, CodingRow, Document, Speaker, TurnRow  # noqa: E402

TURNS_PER_DOCUMENT = 250
WORDS = ("tilltro", "förtroendet", "självförtroendet")
TARGET_SECONDS = 5.0
CODEBOOK = "name: Bench\nlanguage: sv\ncodes:\n  - name: tilltro\n  - name: jobbfokus\n"


def build(folder: Path, turns: int, seed: int = 1) -> Database:
    """A project of ``turns`` synthetic turns, anna's noisy codings of tilltro on the first half of the documents."""
    book = folder / "bench.yaml"
    book.write_text(CODEBOOK, encoding="utf-8")
    db = create_project(folder / "bench.mda", "sv", book, actor="bench")
    rng = random.Random(seed)
    documents = max(2, turns // TURNS_PER_DOCUMENT)
    with db.transaction() as s:
        anna = Coder(name="anna")
        s.add(anna)
        s.flush()
        code = s.scalar(select(CodeRow.id).where(CodeRow.name == "tilltro"))
        for d in range(documents):
            said: list[str] = []
            while len(said) < TURNS_PER_DOCUMENT:
                said.extend(t.text for t in generate._conversation(rng, 5, 8_000))
            said = said[:TURNS_PER_DOCUMENT]
            text, spans, at = "", [], 0
            for line in said:
                label = f"R{len(spans) % 5 + 1}: "
                spans.append((at + len(label), at + len(label) + len(line)))
                text += label + line + "\n"
                at = len(text)
            doc = Document(
                name=f"FG{d + 1:03d}",
                text=text,
                content_hash=hashlib.sha256(text.encode()).hexdigest(),
                source_file=f"fg{d + 1}.txt",
                format="txt",
                layout="label-colon",
                encoding="utf-8",
            )
            s.add(doc)
            s.flush()
            speakers = []
            for k in range(5):
                speaker = Speaker(document_id=doc.id, label=f"R{k + 1}")
                s.add(speaker)
                speakers.append(speaker)
            s.flush()
            s.execute(
                insert(TurnRow),
                [
                    {
                        "document_id": doc.id,
                        "position": i + 1,
                        "speaker_id": speakers[i % 5].id,
                        "start_offset": a,
                        "end_offset": b,
                    }
                    for i, (a, b) in enumerate(spans)
                ],
            )
            if d < documents // 2:
                coded = []
                for line, (a, b) in zip(said, spans):
                    says = any(w in line.lower() for w in WORDS)
                    if (says and rng.random() >= 0.1) or (not says and rng.random() < 0.02):
                        coded.append(
                            {
                                "coder_id": anna.id,
                                "code_id": code,
                                "document_id": doc.id,
                                "start_offset": a,
                                "end_offset": b,
                            }
                        )
                if coded:
                    s.execute(insert(CodingRow), coded)
    return db


def read(path: Path) -> tuple[list[str], np.ndarray, np.ndarray]:
    """The floor: every turn's text, whether anna coded it, and whether it is in a document she coded, by bare SQL."""
    con = sqlite3.connect(path)
    try:
        documents = dict(con.execute("SELECT id, text FROM documents"))
        turns = con.execute(
            "SELECT document_id, start_offset, end_offset FROM turns ORDER BY document_id, start_offset"
        )
        units = turns.fetchall()
        coded = set(
            con.execute(
                "SELECT c.document_id, c.start_offset FROM codings c JOIN coders k ON k.id = c.coder_id "
                "WHERE k.name = 'anna'"
            )
        )
    finally:
        con.close()
    touched = {d for d, _ in coded}
    texts = [documents[d][a:b] for d, a, b in units]
    positive = np.fromiter(((d, a) in coded for d, a, _ in units), dtype=bool, count=len(units))
    labelled = np.fromiter((d in touched for d, _, _ in units), dtype=bool, count=len(units))
    return texts, positive, labelled


def median_time(job: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        job()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--turns", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="1,000 turns, 2 runs: the smoke test")
    args = parser.parse_args(argv)
    if args.quick:
        args.turns, args.runs = 1_000, 2
    with tempfile.TemporaryDirectory() as tmp:
        db = build(Path(tmp), args.turns)
        try:
            path = Path(tmp) / "bench.mda"
            texts, positive, labelled_mask = read(path)
            lemmatize = lemma_lookup("sv")
            features = featurize(texts, lemmatize)
            labelled = np.flatnonzero(labelled_mask)
            x, y = features.matrix.take(labelled), positive[labelled]

            rows = [
                ("read units (floor)", median_time(lambda: read(path), args.runs)),
                ("featurize", median_time(lambda: featurize(texts, lemmatize), args.runs)),
                ("bare fit (floor)", median_time(lambda: fit(x, y), args.runs)),
                (
                    "suggest, 20 proposals",
                    median_time(lambda: suggesting.suggest(db, coder="anna", code="tilltro"), args.runs),
                ),
            ]
            try:
                from scipy.sparse import csr_matrix
                from sklearn.linear_model import LogisticRegression
            except ImportError:
                sklearn_note = "scikit-learn not installed: not compared"
            else:
                matrix = csr_matrix((x.data, x.indices, x.indptr), shape=(x.rows, x.columns))
                model = LogisticRegression(C=10.0, class_weight="balanced", max_iter=1000)
                rows.append(("scikit-learn fit", median_time(lambda: model.fit(matrix, y), args.runs)))
                sklearn_note = ""
            coded = int(positive.sum())
            print(
                f"{len(texts):,} turns, {coded:,} coded and {len(labelled) - coded:,} uncoded by anna, "
                f"{len(texts) - coded:,} to propose on; {features.matrix.columns:,} features, "
                f"{len(features.matrix.data):,} values; medians of {args.runs} runs"
            )
            floor = dict(rows)["bare fit (floor)"]
            print(f"{'row':<24}{'seconds':>10}{'× bare fit':>12}")
            for name, seconds in rows:
                print(f"{name:<24}{seconds:>10.3f}{seconds / floor:>12.1f}")
            total = dict(rows)["suggest, 20 proposals"]
            print(
                f"target: suggest under {TARGET_SECONDS:.0f} s: {'met' if total < TARGET_SECONDS else 'MISSED'} ({total:.2f} s)"
            )
            if sklearn_note:
                print(sklearn_note)
            figures = suggesting.evaluate(db, coder="anna", code="tilltro").codes[0]
            shown = {
                k: "undefined" if v is None else f"{v:.3f}"
                for k, v in (("precision", figures.precision), ("recall", figures.recall), ("alpha", figures.alpha))
            }
            print(
                f"evaluate tilltro (5-fold, held-out turns): {figures.positives} coded, {figures.negatives} uncoded; "
                f"precision {shown['precision']}, recall {shown['recall']}, α {shown['alpha']}"
            )
        finally:
            db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
