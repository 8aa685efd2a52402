"""The review queue of suggested codings (Q), driven by keyboard through Pilot and checked in the project file."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import OptionList

from mda_coder.services import suggest as suggesting
from mda_coder.services.coding import Target, apply_code, list_codings
from mda_coder.services.project import open_project
from mda_coder.tui.app import build_app
from mda_coder.tui.dialogs.suggest_setup import SuggestSetup
from mda_coder.tui.screens.help import binding_rows
from mda_coder.tui.screens.suggestions import SuggestionsScreen
from mda_coder.tui.screens.workspace import WorkspaceScreen
from tests.support.tui import sample_copy, text_of, wait_for, workspace_ready

SIZE = (160, 48)
CODED = {"FG1_Norrvik": (7, 21, 27, 33, 44, 51, 55, 67, 77, 96, 104, 105), "FG2_Sjöstad": (18, 24, 52, 57, 60, 71, 76)}
"""The turns anna codes with tilltro before asking for suggestions: the words tilltro, tro, lita."""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    path = sample_copy(tmp_path)
    db = open_project(path)
    for document, turns in CODED.items():
        for turn in turns:
            apply_code(db, coder="anna", code="tilltro", document=document, target=Target(turn=turn))
    db.close()
    return path


def statuses(project: Path) -> dict[int, str]:
    db = open_project(project)
    try:
        return {p.id: p.status for p in suggesting.proposals(db, coder="anna", status=None)}
    finally:
        db.close()


def suggested_codings(project: Path) -> list[tuple[str, int | None]]:
    db = open_project(project)
    try:
        return [(c.document, c.span.start) for c in list_codings(db, coder="anna", code="tilltro") if c.suggested]
    finally:
        db.close()


async def test_the_queue_accepts_rejects_skips_undoes_and_teaches(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: workspace_ready(app))
        assert any(keys == "Q" for _, keys, _ in binding_rows(app.screen))  # in the ? help
        await pilot.press("Q")
        await wait_for(pilot, lambda: isinstance(app.screen, SuggestSetup))
        codes = app.screen.query_one("#suggest-codes", OptionList)
        codes.highlighted = next(i for i in range(codes.option_count) if codes.get_option_at_index(i).id == "tilltro")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SuggestionsScreen) and not app.screen.busy)
        queue = app.screen
        assert isinstance(queue, SuggestionsScreen)
        assert len(queue.proposals) == 20 and suggested_codings(project) == []  # proposals, and no coding
        assert "from a model trained on 20 codings by anna" in text_of(queue, "#suggest-status")
        first, second, third = queue.proposals[:3]
        assert "score" in text_of(queue, "#suggest-head") and first.document in text_of(queue, "#suggest-head")

        await pilot.press("a")
        await wait_for(pilot, lambda: not queue.busy)
        assert statuses(project)[first.id] == "accepted"
        assert suggested_codings(project) == [(first.document, first.span.start)]
        assert queue.current is not None and queue.current.id == second.id
        await pilot.press("r")
        await wait_for(pilot, lambda: not queue.busy)
        await pilot.press("s")
        await wait_for(pilot, lambda: not queue.busy)
        assert (statuses(project)[second.id], statuses(project)[third.id]) == ("rejected", "skipped")
        assert queue.proposals[-1].id == third.id  # skipped: to the back of the queue
        await pilot.press("u")
        await wait_for(pilot, lambda: not queue.busy)
        assert statuses(project)[third.id] == "open" and "Undone: skip the proposal" in text_of(
            queue, "#suggest-status"
        )

        await pilot.press("t")
        await wait_for(pilot, lambda: not queue.busy)
        assert queue.teach and "most uncertain first" in text_of(queue, "#suggest-head")
        gaps = [p.uncertainty for p in queue.proposals]
        assert gaps == sorted(gaps)
        shown = queue.current
        assert shown is not None
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        await wait_for(pilot, lambda: "from the suggestions" in text_of(app.screen, "#message"))
        assert f"{shown.document} turn {shown.turn}" in text_of(app.screen, "#message")
