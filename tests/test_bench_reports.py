"""The reports benchmark runs on small data: every row is timed and the report's counts match SQLite's."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCH = Path(__file__).resolve().parents[1] / "bench" / "bench_reports.py"


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    # bench/ is scripts, not a package: load the file itself.
    spec = importlib.util.spec_from_file_location("bench_reports", BENCH)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


def test_small_run_checks_the_counts_and_prints_every_row(bench: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    assert bench.main(["--codings", "3000", "--turns", "600", "--codes", "8"]) == 0
    out = capsys.readouterr().out
    assert "pairs checked               28" in out
    for row in ("floor: SQLite self-join", "report cooccurrence --unit turn", "--within 2", "--unit overlap"):
        assert row in out
