"""Teamwork, measured: merging two coders' copies (against an INSERT … SELECT floor) and eight coders on one PostgreSQL server.

Each half prints its own table of medians with ratios to a floor measured in the same run:

- ``team_merge``: two 100-document copies with 50,000 new codings each merged into the master,
  next to copying the same codings with one ``INSERT … SELECT`` per copy. Target: ≤ 5× the floor.
- ``team_server``: eight coder processes, each its own database role under row-level security,
  applying codings at once; codings per second and p50/p95 from the service call to its commit,
  next to a bare single-row INSERT+COMMIT on the same server. Target: p95 under 50 ms.

    .venv/bin/python bench/bench_team.py [POSTGRES_URL] [--quick] [--no-server]

The server half needs a PostgreSQL server where the URL's role may create databases and roles
(default: $MDA_CODER_TEST_POSTGRES); without one it is left out and said so.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import team_merge
import team_server


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("url", nargs="?", help="a PostgreSQL URL (default: $MDA_CODER_TEST_POSTGRES)")
    parser.add_argument("--quick", action="store_true", help="the smoke sizes of both halves")
    parser.add_argument("--no-server", action="store_true", help="only the merge half")
    args = parser.parse_args()

    print("merge of two coders' copies (SQLite)")
    print(f"{'stage':<60} {'median ms':>10} {'max ms':>8} {'x floor':>8}")
    merge_ratio = None
    for row in team_merge.run(args.quick):
        print(f"{row.stage:<60} {row.median_ms:>10.1f} {row.max_ms:>8.1f} {row.x_floor:>8.1f}")
        if row.stage.startswith("merge ("):
            merge_ratio = row.x_floor
    if merge_ratio is not None:
        print(f"target merge <= 5x floor: {'met' if merge_ratio <= 5 else 'NOT met'} ({merge_ratio:.1f}x)")

    url = args.url or os.environ.get("MDA_CODER_TEST_POSTGRES")
    if args.no_server or not url:
        print("\n8 coders on one PostgreSQL server: left out (give a URL or set MDA_CODER_TEST_POSTGRES)")
        return
    print("\n8 coders on one PostgreSQL server")
    print(f"{'stage':<46} {'per s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p95 x floor':>12}")
    rows = team_server.run(args.quick, url)
    for name, rate, p50, p95, ratio in rows:
        print(f"{name:<46} {rate:>8.0f} {p50:>8.1f} {p95:>8.1f} {ratio:>12.1f}")
    paced = rows[2][3]  # eight coders keying at a person's pace: what the target is about
    print(f"target p95 < 50 ms with 8 coders keying: {'met' if paced < 50 else 'NOT met'} ({paced:.1f} ms)")


if __name__ == "__main__":
    main()
