"""The workspace opened by a coder's role on a team server: it codes, undoes and shows only what the role may see."""

from __future__ import annotations

import pytest
from textual.message import Message

from mda_coder.tui.app import build_app
from mda_coder.tui.messages import ActionFailed, CodingChanged
from mda_coder.tui.widgets.transcript import TranscriptView
from tests.support.tui import wait_for, workspace_ready
from tests.test_server_access import TeamServer, codings_of, team

pytestmark = [pytest.mark.postgres, pytest.mark.tui]
__all__ = ["team"]  # the fixture, from the access tests

SIZE = (160, 48)


async def test_a_blind_coder_codes_and_undoes_in_the_workspace(team: TeamServer) -> None:
    seen: list[Message] = []
    app = build_app(team.as_("bo"), "bo")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await wait_for(pilot, lambda: workspace_ready(app))
        view = app.screen.query_one(TranscriptView)
        assert all(not view.marks_of(i) for i in range(len(view.turns)))  # anna's and erik's are not shown
        await pilot.press("j", "1")
        await wait_for(pilot, lambda: any(isinstance(m, CodingChanged) for m in seen))
        with team.sql("lead") as lead:
            assert codings_of(lead, "bo") == 1
        await pilot.press("u")
        await wait_for(pilot, lambda: sum(isinstance(m, CodingChanged) for m in seen) >= 2)
        assert not [m for m in seen if isinstance(m, ActionFailed)]
        await pilot.press("q")
    with team.sql("lead") as lead:
        assert codings_of(lead, "bo") == 0
        assert lead.execute("SELECT count(*) FROM open_windows").fetchone() == (0,)
