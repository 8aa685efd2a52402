"""The exchange benchmark runs on small data: every stage is timed and every imported project is checked."""

from __future__ import annotations

import random
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.bench import load_bench


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_bench("bench_export", "bench_export")


def test_small_run_times_every_stage_and_checks_the_imports(
    bench: ModuleType, capsys: pytest.CaptureFixture[str]
) -> None:
    assert bench.main(["--documents", "3", "--words", "400", "--excerpts", "60", "--repeat", "1"]) == 0
    out = capsys.readouterr().out
    assert "3 documents" in out and "60 excerpts" in out
    # one warm-up .txt import and one timed import of each kind, each with every document
    assert "imports checked: 3 fresh projects, each with 3 documents (and the .qdpx ones 80 codings)" in out
    for stage in (
        "export markdown",
        "export qdpx",
        "floor: unzip + parse project.qde",
        "floor: import the sources as .txt",
        "import qdpx",
    ):
        assert f"\n{stage} " in out


def test_pairs_break_no_exclusive_group(bench: ModuleType) -> None:
    groups = (None, 7, 7, 7, None)
    pairs = bench._pairs(random.Random(1), groups, 20, 50)
    assert len(set(pairs)) == 50
    per_turn = [sum(1 for p in pairs if p // 5 == turn and groups[p % 5] == 7) for turn in range(20)]
    assert max(per_turn) == 1
    with pytest.raises(SystemExit, match="only 60"):
        bench._pairs(random.Random(1), groups, 20, 61)


def test_a_wrong_import_stops_the_bench(bench: ModuleType, tmp_path: Path) -> None:
    imports = bench.Imports(tmp_path)
    imports._fresh("qdpx").close()  # a project the import left empty
    with pytest.raises(SystemExit, match="0 documents and 0 codings imported, not 2 and 5"):
        bench.check_imports(imports, 2, 5)
