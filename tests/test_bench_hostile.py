"""The hostile-file benchmark runs its quick cases: every refusal is one line, exit 1, the project unchanged."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from tests.support.bench import load_bench


@pytest.fixture(scope="module")
def bench() -> ModuleType:
    return load_bench("bench_hostile")


def test_the_small_hostile_files_are_built_as_described(bench: ModuleType, tmp_path: Path) -> None:
    args = bench.billion_laughs(tmp_path, True)
    assert args[:2] == ["codebook", "import"]
    text = Path(args[-1]).read_text(encoding="utf-8")
    assert text.count("&a") == 9 and text.count("*a8") == 10
    args = bench.zip_bomb(tmp_path, True)
    assert Path(args[-1]).stat().st_size < 200_000


@pytest.mark.slow  # a child process per measurement
def test_a_refusal_is_measured_in_a_child_process(bench: ModuleType, tmp_path: Path) -> None:
    project = tmp_path / "p.mda"
    seconds, rss, status, said = bench.run(["init", str(project)], project)
    assert status == 0 and seconds > 0 and rss > 10 * 1024 * 1024
    seconds, rss, status, said = bench.run(bench.deep_yaml(tmp_path, True), project)
    assert status == 1 and said.strip().endswith("nested more than 100 levels deep: refused")
