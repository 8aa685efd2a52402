"""The workspace's corrections of turns again, on the PostgreSQL server: T, B, J, W and u on the sample project there.

Collected from ``test_tui_turn_edits.py`` with ``project`` the sample project in a database of its
own (``pg_sample``). On the server another coder's correction reaches the window by the change
feed, not by the journal's head: the last test checks that the document is shown anew then too.
"""

from __future__ import annotations

import pytest

from tests import test_tui_turn_edits as on_sqlite

pytestmark = pytest.mark.postgres


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
