"""The re-anchoring benchmark runs on small data and prints every row, the target line and what became of the spans."""

from __future__ import annotations

import pytest

from tests.support.bench import load_bench


def test_quick_run_prints_every_row(capsys: pytest.CaptureFixture[str]) -> None:
    bench = load_bench("bench_reanchor")
    assert bench.main(["--quick"]) == 0
    out = capsys.readouterr().out
    for row in (
        "bare line diff (floor)",
        "diff: lines, words, letters",
        "move every span",
        "re-anchoring, diff and spans",
    ):
        assert row in out
    assert "200 turns" in out and "target: re-anchoring under 1 s" in out and "kept" in out
