"""The reports benchmark runs on small data: every row is timed and the report's counts match SQLite's."""

from __future__ import annotations

from types import ModuleType

import pytest

from tests.support.bench import load_bench


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_bench("bench_reports", "bench_reports")


@pytest.mark.slow  # the benchmark's small run
def test_small_run_checks_the_counts_and_prints_every_row(
    bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bench.main(["--codings", "3000", "--turns", "600", "--codes", "8"]) == 0
    out = capsys.readouterr().out
    assert "pairs checked               28" in out
    for row in ("floor: SQLite self-join", "report cooccurrence --unit turn", "--within 2", "--unit overlap"):
        assert row in out
