"""The suggestion benchmark runs on small data: every row is timed, and the held-out figures are printed."""

from __future__ import annotations

import pytest

from tests.support.bench import load_bench


@pytest.mark.slow  # the benchmark's small run
def test_quick_run_prints_every_row_and_the_figures(capsys: pytest.CaptureFixture[str]) -> None:
    bench = load_bench("bench_suggest", "bench_suggest")
    assert bench.main(["--quick"]) == 0
    out = capsys.readouterr().out
    for row in (
        "read units (floor)",
        "featurize",
        "bare fit (floor)",
        "suggest, 20 proposals",
        "target: suggest under 5 s",
    ):
        assert row in out
    assert "1,000 turns" in out and "evaluate tilltro (5-fold, held-out turns)" in out
