"""Two windows, one coder: opening the project twice warns, and undo never takes back what the screen has not shown."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from mda_coder.services import presence
from mda_coder.services.coding import Target, apply_code, list_codings
from mda_coder.services.project import open_project
from mda_coder.tui.app import build_app
from mda_coder.tui.screens.window_actions import WindowActions
from mda_coder.tui.widgets.transcript import TranscriptView
from tests.support.tui import said, sample_copy, screen_lines, wait_for, workspace_ready

SIZE = (120, 40)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return sample_copy(tmp_path)


@pytest.fixture
def slow_watch(monkeypatch: pytest.MonkeyPatch) -> None:
    """The screen looks for others' changes only when it must (before an undo), not every 3 s."""
    monkeypatch.setattr(WindowActions, "WATCH_SECONDS", 3600.0)


def in_other_window(project: Path, code: str, turn: int, coder: str = "tester") -> None:
    db = open_project(project)
    try:
        apply_code(db, coder=coder, code=code, document="FG1_Norrvik", target=Target(turn=turn))
    finally:
        db.close()


def codes(project: Path) -> list[tuple[str, int]]:
    db = open_project(project)
    try:
        from mda_coder.services.workspace import load_document

        starts = {t.span.start: t.index for t in load_document(db, "FG1_Norrvik").turns}
        return sorted((c.code_path, starts[c.span.start]) for c in list_codings(db, coder="tester"))
    except Exception:  # no such coder yet
        return []
    finally:
        db.close()


async def test_opening_the_project_twice_as_one_coder_warns(project: Path) -> None:
    db = open_project(project)
    try:
        other, _ = presence.arrive(db, "tester")  # a workspace already open, in this very process
        presence.arrive(db, "erik", host="kontor-3", pid=4242)  # another coder's: no concern of tester's
    finally:
        db.close()
    app = build_app(project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: workspace_ready(app))
        await wait_for(pilot, lambda: "already has this project open" in said(app.screen))
        message = said(app.screen)
        assert message.startswith("tester already has this project open in another window (on this computer (process")
        assert "this window refreshes before it undoes" in message
        await pilot.pause()
        assert any(row.strip().startswith("tester already has this project open") for row in screen_lines(app))
        await pilot.press("q")
    db = open_project(project)
    try:
        # Closing took this window off the list; the other is still open.
        _, others = presence.arrive(db, "tester", host="check", pid=2)
        assert [w.host for w in others] == [presence.this_host()]
        presence.leave(db, other, "tester")
    finally:
        db.close()


async def test_a_window_that_stopped_beating_long_ago_is_not_mentioned(project: Path) -> None:
    db = open_project(project)
    try:
        presence.arrive(db, "tester", host="kontor-3", pid=4242, now=time.time() - presence.STALE_SECONDS - 60)
    finally:
        db.close()
    app = build_app(project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: workspace_ready(app))
        await wait_for(pilot, lambda: app.screen.window is not None)
        await pilot.pause()
        assert "already has this project open" not in said(app.screen)


async def test_undo_shows_what_another_window_did_before_it_takes_it_back(project: Path, slow_watch: None) -> None:
    app = build_app(project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: workspace_ready(app))
        view = app.screen.query_one(TranscriptView)
        await pilot.press("j", "c", *"jobbfokus", "enter")  # this window: turn 2
        await wait_for(pilot, lambda: view.marks_of(1) != [])
        in_other_window(project, "samverkan", 5)  # the same coder's other window: turn 5
        assert view.marks_of(4) == []  # not shown here yet
        await pilot.press("u")
        await wait_for(pilot, lambda: said(app.screen).startswith("not undone"))
        assert said(app.screen) == (
            "not undone: 'apply samverkan to FG1_Norrvik turn 5' was done in another window since this one last "
            "refreshed. It is shown now; press u again to undo it."
        )
        assert codes(project) == [("jobbfokus", 2), ("samverkan", 5)]  # nothing was undone
        await wait_for(pilot, lambda: [m.code_path for m in view.marks_of(4)] == ["samverkan"])
        assert view.current is not None and view.current.index == 5  # and the place is in view
        await pilot.press("u")
        await wait_for(pilot, lambda: codes(project) == [("jobbfokus", 2)])
        assert said(app.screen).startswith("undone: apply samverkan to FG1_Norrvik turn 5")
        await pilot.press("u")
        await wait_for(pilot, lambda: codes(project) == [])


async def test_this_windows_own_action_undoes_at_once_and_the_refresh_after_it_shows_the_others(
    project: Path,
    slow_watch: None,
) -> None:
    app = build_app(project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: workspace_ready(app))
        view = app.screen.query_one(TranscriptView)
        in_other_window(project, "samverkan", 5)  # unshown here
        await pilot.press("j", "c", *"jobbfokus", "enter")  # then this window codes turn 2
        await wait_for(pilot, lambda: view.marks_of(1) != [])
        assert view.marks_of(4) == []
        await pilot.press("u")  # this window's own coding, the newest: undone at once
        await wait_for(pilot, lambda: codes(project) == [("samverkan", 5)])
        assert said(app.screen).startswith("undone: apply jobbfokus to FG1_Norrvik turn 2")
        # The screen refreshed after the undo: the other window's coding is drawn now, so u may take it back.
        await wait_for(pilot, lambda: [m.code_path for m in view.marks_of(4)] == ["samverkan"])
        await pilot.press("u")
        await wait_for(pilot, lambda: codes(project) == [])
        assert view.current is not None and view.current.index == 5
