"""Snapshots of a project against the floor of copying its file: what a risky operation pays for its backup.

A snapshot is SQLite's online backup of the project into a new file, ``PRAGMA quick_check`` on
the copy, an fsync and a rename; the floor is copying the same bytes with ``shutil.copyfile``
and an fsync (which would not be safe while the project is open). Restore puts a snapshot back
with the online backup in one transaction.

    .venv/bin/python bench/bench_backups.py                       # 20 documents of 10,000 words
    .venv/bin/python bench/bench_backups.py --documents 3 --words 500 --repeat 1
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from generate import generate_transcripts

from mda_coder.services import backups, importing
from mda_coder.services.project import create_project
from mda_coder.store import backups as store

CODEBOOK = Path(__file__).resolve().parents[1] / "codebooks" / "mda.yaml"


def timed(work: Callable[[], object], repeat: int) -> float:
    """The median of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def copy_floor(project: Path, target: Path) -> None:
    shutil.copyfile(project, target)
    with target.open("rb") as f:
        os.fsync(f.fileno())
    target.unlink()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=20)
    parser.add_argument("--words", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = generate_transcripts(folder, documents=args.documents, words_per_document=args.words)
        project = folder / "bench.mda"
        db = create_project(project, "sv", CODEBOOK, actor="bench")
        backups.start(enabled=False)  # the import's own snapshot is not what is measured here
        importing.import_files(db, files)
        backups.start()
        with db.engine.connect() as conn:  # fold the WAL into the file, as after a while of work
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        size = project.stat().st_size
        floor = timed(lambda: copy_floor(project, folder / "copy.mda"), args.repeat)
        snapshot = timed(lambda: store.take(project, "manual", keep=1), args.repeat)
        [taken] = store.snapshots(project)
        restore = timed(lambda: store.restore(project, taken), args.repeat)
        db.close()
        print(
            f"project: {args.documents} documents of {args.words} words, {size / 1e6:.1f} MB; median of {args.repeat}"
        )
        print(f"{'step':<34}{'seconds':>10}{'MB/s':>10}{'× floor':>10}")
        for name, seconds in (
            ("floor: copy the file + fsync", floor),
            ("snapshot (backup, check, rename)", snapshot),
            ("restore (backup into the project)", restore),
        ):
            print(f"{name:<34}{seconds:>10.3f}{size / 1e6 / seconds:>10.1f}{seconds / floor:>10.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
