"""The agreement benchmark runs on small data: every case is timed, checked against the package, and measured for memory."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from mda_coder.analysis.agreement import MISSING
from tests.support.bench import load_bench


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_bench("bench_agreement", "bench_agreement")


def test_small_run_prints_every_case(bench: ModuleType, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["--units", "3000", "--pair-units", "5000", "--codes", "4", "--categories", "6", "--no-memory"]
    assert bench.main(argv) == 0
    out = capsys.readouterr().out
    for case in (
        "binary per code: 4 codes × 3,000 units × 3 coders",
        "nominal: 6 categories",
        "two coders: 5,000 binary units",
    ):
        assert case in out
    assert out.count("largest |ours − package|") == 3


def test_data_is_seeded_and_has_missing_documents(bench: ModuleType) -> None:
    first = bench.binary_codes(np.random.default_rng(3), 5, 4000, 3)
    again = bench.binary_codes(np.random.default_rng(3), 5, 4000, 3)
    assert first.dtype == np.int8 and first.shape == (5, 4000, 3)
    assert np.array_equal(first, again)
    # A skipped document is missing for every code: whole 1,000-unit blocks of one coder.
    skipped = (first == MISSING).all(axis=0)
    blocks = skipped.reshape(4, 1000, 3)
    assert np.array_equal(blocks.all(axis=1), blocks.any(axis=1))
    assert 0 < (first == 1).mean() < 0.2


def test_memory_child_reports_a_peak(bench: ModuleType, tmp_path: Path) -> None:
    np.save(tmp_path / "stack.npy", bench.binary_codes(np.random.default_rng(1), 3, 5000, 3))
    peak = bench.child_peak("ours_batch", tmp_path / "stack.npy")
    assert peak is not None and 0 <= peak < 100
