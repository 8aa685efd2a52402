"""Live on a team server: a coder's workspace, logged in with her own role, shows another role's coding as it is committed."""

from __future__ import annotations

import pytest

from mda_coder.services import changes
from mda_coder.services.coding import Target, apply_code
from mda_coder.services.project import open_project
from mda_coder.tui.app import build_app
from mda_coder.tui.screens.workspace import WorkspaceScreen
from mda_coder.tui.widgets.transcript import TranscriptView
from tests.support.tui import text_of, wait_for, workspace_ready
from tests.test_server_access import TeamServer, team

pytestmark = [pytest.mark.postgres, pytest.mark.tui]
__all__ = ["team"]  # the fixture, from the access tests

SIZE = (160, 48)


async def test_erik_codes_and_annas_workspace_shows_it_while_bos_blind_feed_carries_no_text(team: TeamServer) -> None:
    bo = open_project(team.as_("bo"))
    bo_feed = changes.open_feed(bo)
    bo_feed.connect()  # a blind coder may listen: what comes is ids, and re-reading shows bo only his own
    app = build_app(team.as_("anna"), "anna")
    erik = open_project(team.as_("erik"))
    try:
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceScreen) and app.screen.feed_live)
            await wait_for(pilot, lambda: workspace_ready(app))
            screen = app.screen
            view = screen.query_one(TranscriptView)
            await pilot.press("b")  # anna is not blind: she may see erik's codings
            await wait_for(pilot, lambda: "erik" in view.coders)
            await pilot.press("j", "j", "j")  # turn 4, which nobody has coded
            cursor = view.cursor
            assert "jobbfokus" not in text_of(screen, "#turn-codings")
            apply_code(erik, coder="erik", code="jobbfokus", document="FG9", target=Target(turn=4))
            await wait_for(pilot, lambda: "jobbfokus" in text_of(screen, "#turn-codings"), timeout=2.0)
            assert view.cursor == cursor
            [change] = bo_feed.wait(2.0)
            assert (change.table, change.op, change.rows) == ("codings", "insert", 1)
            assert "Vad" not in repr(change) and "jobbfokus" not in repr(change)
    finally:
        bo_feed.close()
        bo.close()
        erik.close()
