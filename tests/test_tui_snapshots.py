"""A few pictures of the workspace's layout: the bytes of the screen are the contract.

Regenerate after an intended change of layout with ``pytest tests/test_tui_snapshots.py --snapshot-update``
and look at the SVGs in ``tests/__snapshots__/`` before committing them. Two sizes: 160×48, where all
three panels show, and 100×30, an ordinary terminal, where the documents panel is hidden.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from mda_coder.tui.app import build_app
from mda_coder.tui.widgets.panels import CodebookTree
from mda_coder.tui.widgets.transcript import TranscriptView
from tests.support.tui import sample_copy, wait_for

SIZE = (160, 48)
NARROW = (100, 30)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return sample_copy(tmp_path)


async def _loaded(pilot: Pilot[None]) -> None:
    def ready() -> bool:
        screen = pilot.app.screen
        return (
            bool(screen.query(CodebookTree))  # the workspace, composed (not the opening screen)
            and bool(screen.query(TranscriptView))
            and screen.query_one(TranscriptView).turns != ()
            and screen.query_one(CodebookTree).root.children != []
        )

    await wait_for(pilot, ready)
    await pilot.pause()


def test_workspace_layout(project: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(build_app(project, "anna"), terminal_size=SIZE, run_before=_loaded, press=["j"])


def test_sentence_selection_and_two_coders(project: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def before(pilot: Pilot[None]) -> None:
        await _loaded(pilot)
        await pilot.press("b")
        await wait_for(pilot, lambda: pilot.app.screen.query_one(TranscriptView).coders == ["anna", "erik"])
        await pilot.pause()

    assert snap_compare(build_app(project, "anna"), terminal_size=SIZE, run_before=before, press=["j", "s"])


def test_code_picker(project: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(build_app(project, "anna"), terminal_size=SIZE, run_before=_loaded, press=["c", *"tilltro"])


def test_help_screen(project: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(build_app(project, "anna"), terminal_size=SIZE, run_before=_loaded, press=["question_mark"])


def test_span_editing_at_100_by_30(project: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    """The documents panel hidden, the transcript at two thirds, and the span-editing mode said in full."""
    assert snap_compare(build_app(project, "anna"), terminal_size=NARROW, run_before=_loaded, press=["j", "e"])


def test_agreement_setup_at_100_by_30(project: Path, snap_compare) -> None:  # type: ignore[no-untyped-def]
    assert snap_compare(build_app(project, "anna"), terminal_size=NARROW, run_before=_loaded, press=["I"])
