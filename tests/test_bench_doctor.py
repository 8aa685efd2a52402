"""The doctor benchmark runs on small data: the generated project is clean and every row is timed."""

from __future__ import annotations

import pytest

from tests.support.bench import load_bench


@pytest.mark.slow  # the benchmark's small run
def test_small_run_prints_every_row(capsys: pytest.CaptureFixture[str]) -> None:
    load_bench("bench_reports", "bench_reports")  # bench_doctor builds its project with it
    bench = load_bench("bench_doctor", "bench_doctor")
    assert bench.main(["--codings", "3000", "--turns", "600", "--codes", "8", "--events", "500"]) == 0
    out = capsys.readouterr().out
    for row in (
        "floor: PRAGMA integrity_check alone",
        "PRAGMA quick_check alone",
        "doctor (integrity_check",
        "doctor --quick",
    ):
        assert row in out
    assert "sentences        1,200" in out
