"""The workspace benchmark's probes still drive the app: the frames, messages and status text they wait for.

No timings are asserted (figures belong in ``bench/bench_tui.py``'s report); these tests
fail when the app changes in a way that would make the benchmark hang or measure nothing.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.support.bench import load_bench
from tests.support.tui import sample_copy


@pytest.fixture(scope="module")
def probes() -> ModuleType:
    return load_bench("tui_probes", "bench_tui_probes")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return sample_copy(tmp_path)


@pytest.mark.tui
async def test_the_floor_app_paints_its_text(probes: ModuleType) -> None:
    result = await probes.paint_floor()
    assert result["paint"] > 0 and result["rss"] > 0


@pytest.mark.tui
async def test_first_paint_waits_for_the_document_text(probes: ModuleType, project: Path) -> None:
    result = await probes.paint_app(str(project))
    # The first page is painted before the workspace has the whole document.
    assert 0 < result["frame"] <= result["paint"] <= result["loaded"]
    assert result["turns"] == 110  # FG1_Norrvik, the sample's first document


@pytest.mark.slow  # a real terminal
@pytest.mark.tui
def test_launch_waits_for_the_text_on_a_real_terminal(probes: ModuleType, project: Path) -> None:
    assert probes.launch_floor() > 0
    painted, ready = probes.launch_app(str(project))
    assert 0 < painted < ready
    with pytest.raises(TimeoutError, match="did not appear"):
        probes.launch([sys.executable, "-c", "print('something else')"], "never printed", timeout=5)


@pytest.mark.slow  # many workspace actions
@pytest.mark.tui
async def test_each_action_commits_a_new_coding_and_paints_its_badge(probes: ModuleType, project: Path) -> None:
    result = await probes.apply_ui(project, 3)  # it checks that 3 codings by 'bench' were stored
    for committed, handled, painted in zip(result["committed"], result["handled"], result["painted"], strict=True):
        assert 0 < committed <= handled <= painted
    # A new coding is drawn from its own message: the marks are not reloaded for every action.
    assert len(result["move"]) == 3 and result["reloads"] < 3


def test_the_sqlite_floor_commits_every_row(probes: ModuleType, tmp_path: Path) -> None:
    import sqlite3

    assert len(probes.apply_sqlite(tmp_path / "floor.sqlite", 5)) == 5
    with sqlite3.connect(tmp_path / "floor.sqlite") as conn:
        assert conn.execute("SELECT count(*) FROM codings").fetchone() == (5,)
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
