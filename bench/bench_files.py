"""What writing safely costs: the atomic writer, a project made under a temporary name, and the lock-wait notice.

Each stage against a floor measured in the same run:

- ``write_file`` (temporary file, fsync, permissions, no-clobber rename, folder sync) against a
  plain ``open(path, "wb").write`` of the same bytes, for a small, a medium and a large file;
- a project made as ``.NAME.partial-XXXX``, checkpointed, renamed and opened against making the
  schema in place;
- applying codings one transaction each with the command line's lock-wait notice armed (a probe
  for another writer before each transaction's first write) against the same without it.

    .venv/bin/python bench/bench_files.py            # 5 runs
    .venv/bin/python bench/bench_files.py --quick    # 2 runs, fewer codings
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_transcripts

from mda_coder.core import files, waiting
from mda_coder.services import importing
from mda_coder.services.coding import Target, apply_code, remove_code
from mda_coder.services.project import create_project
from mda_coder.store import settings
from mda_coder.store.engine import Database, remove_files

CODEBOOK = Path(__file__).resolve().parents[1] / "codebooks" / "mda.yaml"


def timed(work: Callable[[], object], repeat: int) -> float:
    runs = []
    for _ in range(repeat):
        started = time.perf_counter()
        work()
        runs.append(time.perf_counter() - started)
    return statistics.median(runs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--codings", type=int, default=200)
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    repeat, codings = (2, 40) if args.quick else (args.repeat, args.codings)
    rows: list[tuple[str, float, float]] = []
    with tempfile.TemporaryDirectory() as folder_name:
        folder = Path(folder_name)
        for label, size in (("10 KB", 10_000), ("1 MB", 1_000_000), ("20 MB", 20_000_000)):
            data = b"x" * size
            plain, safe = folder / "plain.bin", folder / "safe.bin"
            floor = timed(lambda plain=plain, data=data: plain.write_bytes(data), repeat)
            cost = timed(
                lambda safe=safe, data=data: files.write_file(safe, lambda out: out.write(data), force=True), repeat
            )
            rows.append((f"write {label}: write_file vs open().write", floor, cost))

        def fill(db: Database) -> None:
            with db.transaction() as s:
                settings.put(s, "language", "sv")
                settings.put(s, "name", "bench")

        def in_place() -> None:
            target = folder / "in-place.mda"
            remove_files(target)
            db = Database._made(target, str(target))  # the schema where it will stay, as before
            fill(db)
            db.close()

        def staged() -> None:
            target = folder / "staged.mda"
            remove_files(target)
            with Database.creating(target) as db:
                fill(db)
            Database.open(target).close()

        rows.append(
            ("make a project: temporary name + rename vs in place", timed(in_place, repeat), timed(staged, repeat))
        )

        [transcript] = generate_transcripts(folder / "t", documents=1, words_per_document=max(codings * 50, 2_000))
        db = create_project(folder / "quiet.mda", "sv", CODEBOOK, actor="bench")
        importing.import_files(db, [transcript])
        db.close()
        shutil.copy(folder / "quiet.mda", folder / "told.mda")
        document = transcript.stem
        quiet_db = Database.open(folder / "quiet.mda")
        waiting.wait_for_writers(120, lambda location: None)
        told_db = Database.open(folder / "told.mda")  # the notice is armed on the engines made from now on
        waiting.wait_for_writers(5.0)

        def code_and_uncode(db: Database) -> Callable[[], None]:
            def work() -> None:
                for turn in range(1, codings + 1):
                    apply_code(db, coder="bench", code="tilltro", document=document, target=Target(turn=turn))
                for turn in range(1, codings + 1):
                    remove_code(db, coder="bench", code="tilltro", document=document, target=Target(turn=turn))

            return work

        quiet, told = [], []
        for _ in range(repeat):  # alternated, so that a busy moment of the machine hits both alike
            quiet.append(timed(code_and_uncode(quiet_db), 1))
            told.append(timed(code_and_uncode(told_db), 1))
        quiet_db.close()
        told_db.close()
        rows.append(
            (
                f"{2 * codings} one-coding transactions: notice armed vs not",
                statistics.median(quiet),
                statistics.median(told),
            )
        )

    width = max(len(r[0]) for r in rows)
    print(f"{'stage':<{width}}  {'floor s':>9}  {'median s':>9}  {'ratio':>6}")
    for name, floor, cost in rows:
        print(f"{name:<{width}}  {floor:>9.4f}  {cost:>9.4f}  {cost / floor:>6.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
