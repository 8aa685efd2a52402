"""Eight coders on one PostgreSQL server at once: codings per second and key-to-committed latency, against a bare INSERT+COMMIT.

Each coder is its own process logged in as its own role (row-level security on), applying codes
with the same service call the workspace makes on a key press; the latency is from the call's
start to its return, which is after the commit. The coders key once every ``PACE`` seconds each
(what a person feels), and then flat out (the throughput; here all eight clients share the
machine's cores with the server, which on a small machine makes the clients the bottleneck). The floor is measured in the same run on the
same server by eight processes each doing a bare single-row ``INSERT`` + ``COMMIT`` with psycopg.
Target: p95 under 50 ms.

    .venv/bin/python bench/team_server.py                   # 8 coders x 150 codings, 20 x 5,000 words
    .venv/bin/python bench/team_server.py --quick           # 8 coders x 25 codings, 4 x 2,000 words
    .venv/bin/python bench/team_server.py postgresql://postgres@127.0.0.1:55439/postgres

The URL (default: $MDA_CODER_TEST_POSTGRES) must be a role that may create databases and roles;
a scratch database and roles named ``bench_<hex>_*`` are made and dropped again.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import psycopg
from generate import generate_transcripts

from mda_coder.services import importing, server
from mda_coder.services.coding import Target, apply_code
from mda_coder.services.project import create_project, open_project
from mda_coder.services.queries import documents, turns

CODEBOOK = Path(__file__).resolve().parents[1] / "codebooks" / "mda.yaml"
CODERS = 8
CODES = ("tilltro", "jobbfokus", "arbetslinjen", "samverkan")
PACE = 0.25
"""Seconds between one coder's keys in the paced run: quicker than anyone codes, but with time to read."""
Row = tuple[str, float, float, float, float]
"""(stage, codings or inserts per second, p50 ms, p95 ms, p95 × the floor's p95)."""


def _wait_until(moment: float) -> None:
    time.sleep(max(0.0, moment - time.time()))


Timed = tuple[list[float], float, float]
"""One worker's seconds per action, and when (``time.time()``) it began and ended."""


def _floor_worker(url: str, count: int, start_at: float) -> Timed:
    """A bare single-row INSERT and COMMIT, ``count`` times: what one commit on this server costs."""
    took = []
    with psycopg.connect(url) as conn:
        _wait_until(start_at)
        began = time.time()
        for n in range(count):
            started = time.perf_counter()
            conn.execute("INSERT INTO bench_floor (n) VALUES (%s)", (n,))
            conn.commit()
            took.append(time.perf_counter() - started)
    return took, began, time.time()


def _coder_worker(
    url: str, coder: str, work: list[tuple[str, int, str]], pace: float, phase: float, start_at: float
) -> Timed:
    """Apply each (document, turn, code) as ``coder`` through the service; each call's seconds, start to commit.

    With ``pace`` the coder presses a key every ``pace`` seconds, ``phase`` seconds after the first
    coder (people do not key in step); without, flat out.
    """
    took = []
    db = open_project(url)
    try:
        apply_code(db, coder=coder, code=work[0][2], document=work[0][0], target=Target(turn=work[0][1]))  # warm
        _wait_until(start_at)
        began = time.time()
        for n, (document, turn, code) in enumerate(work[1:]):
            if pace:
                _wait_until(began + phase + n * pace)
            started = time.perf_counter()
            apply_code(db, coder=coder, code=code, document=document, target=Target(turn=turn))
            took.append(time.perf_counter() - started)
    finally:
        db.close()
    return took, began, time.time()


def _p95(seconds: list[float]) -> float:
    return statistics.quantiles(seconds, n=20)[-1]


def _row(name: str, workers: list[Timed], floor_p95: float | None) -> Row:
    every = [s for took, _, _ in workers for s in took]
    wall = max(end for _, _, end in workers) - min(began for _, began, _ in workers)
    p95 = _p95(every)
    return (name, len(every) / wall, statistics.median(every) * 1000, p95 * 1000, p95 / (floor_p95 or p95))


def _concurrently(target: object, jobs: list[tuple[object, ...]]) -> list[Timed]:
    """Run the jobs in as many processes at once; they start their actions together, once all are connected."""
    start_at = time.time() + 6.0  # time for every process to start, import and connect
    with multiprocessing.get_context("spawn").Pool(len(jobs)) as pool:
        return pool.starmap(target, [(*job, start_at) for job in jobs])  # type: ignore[arg-type]


def _url(base: str, role: str | None, database: str) -> str:
    head, _, _ = base.rpartition("/")
    if role is not None:
        scheme, _, rest = head.partition("://")
        head = f"{scheme}://{role}@{rest.rpartition('@')[2]}"
    return f"{head}/{database}"


def run(quick: bool, url: str | None = None) -> list[Row]:
    """The floor and the coders' rows, measured now on the server at ``url``."""
    base = url or os.environ.get("MDA_CODER_TEST_POSTGRES")
    if not base:
        raise SystemExit("team_server: give a PostgreSQL URL or set MDA_CODER_TEST_POSTGRES")
    per_coder = 25 if quick else 150
    name = f"bench_{uuid.uuid4().hex[:8]}"
    prefix = name + "_"
    with psycopg.connect(base, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            files = generate_transcripts(
                folder, documents=4 if quick else 20, words_per_document=2000 if quick else 5000
            )
            db = create_project(folder / "bench.mda", "sv", CODEBOOK, actor="bench")
            importing.import_files(db, files)
            spots = [(d.name, t.index) for d in documents(db) for t in turns(db, d.name)]
            db.close()
            coders = [f"k{n}" for n in range(CODERS)]
            server.init_server(
                _url(base, None, name),
                folder / "bench.mda",
                coders=coders,
                role_prefix=prefix,
                lead_role=prefix + "lead",
            )
        with psycopg.connect(_url(base, None, name), autocommit=True) as admin:
            admin.execute("CREATE TABLE bench_floor (id serial PRIMARY KEY, n integer NOT NULL)")
            admin.execute(f"GRANT INSERT ON bench_floor TO {', '.join(prefix + c for c in coders)}")
            admin.execute(f"GRANT USAGE ON SEQUENCE bench_floor_id_seq TO {', '.join(prefix + c for c in coders)}")
        floor = _concurrently(_floor_worker, [(_url(base, prefix + c, name), per_coder) for c in coders])
        work = {
            c: [
                (
                    spots[(n * CODERS + i) % len(spots)][0],
                    spots[(n * CODERS + i) % len(spots)][1],
                    CODES[n % len(CODES)],
                )
                for n in range(per_coder + 1)
            ]
            for i, c in enumerate(coders)
        }
        work["solo"] = [(d, t, "samverkan") for d, t in spots[: per_coder + 1]]
        work["paced"] = [(d, t, "arbetslinjen") for d, t in spots[: per_coder + 1]]
        alone = _concurrently(
            _coder_worker, [(_url(base, prefix + coders[0], name), coders[0], work["solo"], 0.0, 0.0)]
        )
        flat_out = _concurrently(_coder_worker, [(_url(base, prefix + c, name), c, work[c], 0.0, 0.0) for c in coders])
        paced = _concurrently(
            _coder_worker,
            [(_url(base, prefix + c, name), c, work["paced"], PACE, i * PACE / CODERS) for i, c in enumerate(coders)],
        )
    finally:
        with psycopg.connect(base, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            for (role,) in admin.execute(
                "SELECT rolname FROM pg_roles WHERE rolname LIKE %s", (prefix + "%",)
            ).fetchall():
                admin.execute(f'DROP ROLE "{role}"')
    floor_row = _row(f"floor: bare INSERT+COMMIT, {CODERS} writers", floor, None)
    return [
        floor_row,
        _row("apply_code, 1 coder alone, flat out", alone, floor_row[3] / 1000),
        _row(f"apply_code, {CODERS} coders, a key each {PACE:g} s", paced, floor_row[3] / 1000),
        _row(f"apply_code, {CODERS} coders, flat out", flat_out, floor_row[3] / 1000),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("url", nargs="?", help="a PostgreSQL URL (default: $MDA_CODER_TEST_POSTGRES)")
    parser.add_argument("--quick", action="store_true", help="25 codings per coder on 4 small documents")
    args = parser.parse_args()
    rows = run(args.quick, args.url)
    print(f"{'stage':<42} {'per s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p95 x floor':>12}")
    for name, rate, p50, p95, ratio in rows:
        print(f"{name:<42} {rate:>8.0f} {p50:>8.1f} {p95:>8.1f} {ratio:>12.1f}")
    paced, flat_out = rows[2][3], rows[3][3]
    print(f"target p95 < 50 ms with {CODERS} coders keying: {'met' if paced < 50 else 'NOT met'} ({paced:.1f} ms)")
    print(f"flat out, {CODERS} client processes share this machine's cores with the server: p95 {flat_out:.1f} ms")


if __name__ == "__main__":
    main()
