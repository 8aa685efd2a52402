"""The corrections benchmark runs on a small stored project and prints every row, the target and the journal's size."""

from __future__ import annotations

import pytest

from tests.support.bench import load_bench


@pytest.mark.slow  # it imports a 200-turn transcript (spaCy) before it measures
def test_quick_run_prints_every_row(capsys: pytest.CaptureFixture[str]) -> None:
    bench = load_bench("bench_corrections")
    assert bench.main(["--quick"]) == 0
    out = capsys.readouterr().out
    for row in (
        "bare line diff (floor)",
        "bare UPDATE of every coding's offsets",
        "correct_text: the whole correction, saved",
        "undo of it",
    ):
        assert row in out
    assert "200 turns" in out and "target: a stored correction under 1 s" in out and "journal entry:" in out
    assert "kept" in out
