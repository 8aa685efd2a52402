"""The workspace on a project on a read-only disk: it opens and reads, and a change says why it cannot be made."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mda_coder.tui.app import build_app
from mda_coder.tui.widgets.transcript import TranscriptView
from tests.support.disks import read_only_copy
from tests.support.tui import said, sample_copy, wait_for, workspace_ready


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """The sample project on a tmpfs mounted read-only (root only: anyone else is skipped)."""
    with read_only_copy(sample_copy(tmp_path), tmp_path / "media") as project:
        yield project


async def test_the_workspace_reads_a_read_only_project_and_says_why_a_code_is_not_applied(read_only: Path) -> None:
    app = build_app(read_only, "tester")
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for(pilot, lambda: workspace_ready(pilot.app))
        view = pilot.app.screen.query_one(TranscriptView)
        await pilot.press("j", "1")
        await wait_for(pilot, lambda: "read-only" in said(app.screen))
        assert (
            said(app.screen) == f"{read_only} is read-only: it is on a read-only disk; it can be read but not changed"
        )
        assert view.marks_of(1) == []
