"""The backup benchmark runs on small data: the floor, a snapshot and a restore are each timed."""

from __future__ import annotations

from types import ModuleType

import pytest

from tests.support.bench import load_bench


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_bench("bench_backups", "bench_backups")


def test_small_run_times_the_floor_a_snapshot_and_a_restore(
    bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bench.main(["--documents", "2", "--words", "300", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "project: 2 documents of 300 words" in out
    for step in (
        "floor: copy the file + fsync",
        "snapshot (backup, check, rename)",
        "restore (backup into the project)",
    ):
        assert f"\n{step} " in out
