"""The merge benchmark runs on small data: the floor, the merge, its dry run, undo and redo are each timed."""

from __future__ import annotations

import pytest

from tests.support.bench import load_bench

pytestmark = pytest.mark.slow  # builds a project and two copies, and merges them


def test_a_small_run_times_the_merge_against_its_floor() -> None:
    bench = load_bench("team_merge", "bench_team_merge")
    rows = bench.measured(2, 300, 200, 1)
    assert [r.stage.split(" (")[0] for r in rows] == [
        "floor: INSERT … SELECT",
        "merge --dry-run",
        "merge",
        "undo of the merge",
        "redo of the merge",
    ]
    assert rows[0].x_floor == 1.0
    assert all(r.median_ms > 0 for r in rows)
