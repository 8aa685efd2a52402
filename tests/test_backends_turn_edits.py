"""The workspace's corrections of turns again, on the PostgreSQL server: T, B, J, W and u on the sample project there.

Collected from ``test_tui_turn_edits.py`` with ``project`` the sample project in a database of its
own (``pg_sample``). On the server another coder's correction reaches the window by the change
feed, not by the journal's head: the document is shown anew then too. On a team server only the
lead corrects a text; a coder who tries is told so in one line.
"""

from __future__ import annotations

import pytest
from textual.widgets import TextArea

from mda_coder.services.workspace import load_document
from mda_coder.store.engine import Database
from mda_coder.tui.app import build_app
from mda_coder.tui.dialogs.turn_text import TurnTextEditor
from mda_coder.tui.widgets.transcript import TranscriptView
from tests import test_tui_turn_edits as on_sqlite
from tests.support.tui import said, wait_for, workspace_ready
from tests.test_server_access import TeamServer, team

pytestmark = [pytest.mark.postgres, pytest.mark.tui]
__all__ = ["team"]  # the fixture, from the access tests
SIZE = (160, 48)


@pytest.fixture
def project(pg_sample: str) -> str:
    return pg_sample


test_T_fixes_a_typo_in_a_coded_turn_and_u_brings_it_back = (
    on_sqlite.test_T_fixes_a_typo_in_a_coded_turn_and_u_brings_it_back
)
test_B_splits_a_turn_where_the_cursor_is_and_the_second_half_keeps_its_codings = (
    on_sqlite.test_B_splits_a_turn_where_the_cursor_is_and_the_second_half_keeps_its_codings
)
test_J_merges_a_turn_with_the_next_after_a_y_and_u_parts_them_again = (
    on_sqlite.test_J_merges_a_turn_with_the_next_after_a_y_and_u_parts_them_again
)
test_W_gives_a_turn_to_another_speaker_or_a_new_one = on_sqlite.test_W_gives_a_turn_to_another_speaker_or_a_new_one
test_a_turn_split_in_another_window_shows_here_with_the_codings_on_their_words = (
    on_sqlite.test_a_turn_split_in_another_window_shows_here_with_the_codings_on_their_words
)


async def test_on_a_team_server_a_coder_is_told_in_one_line_that_only_the_lead_corrects(team: TeamServer) -> None:
    app = build_app(team.as_("anna"), "anna")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: workspace_ready(app))
        view = app.screen.query_one(TranscriptView)
        await pilot.press("j", "T")
        await wait_for(pilot, lambda: isinstance(app.screen, TurnTextEditor))
        before = view.document.text
        area = app.screen.query_one(TextArea)
        area.text = area.text + " Eller hur?"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "only the project lead" in said(app.screen))
        assert "\n" not in said(app.screen) and view.document.text == before
    lead = Database.open(team.as_("lead"))
    try:
        assert "Eller hur?" not in load_document(lead, "FG9").text
    finally:
        lead.close()
