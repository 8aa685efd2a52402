"""The main workspace tests again, on the PostgreSQL server: the same keys, the same screen, the same project.

The tests are those of ``test_tui_workspace.py``, collected here a second time with ``project``
the sample project in a database of its own (``pg_sample``). Chosen for what a coder does every
day: open, move, code a turn with a key and with the picker, remove, memos, blind mode, undo and
redo across sessions, find. The rest (layout, help, filters) does not touch the database differently.
"""

from __future__ import annotations

import pytest

from tests import test_tui_workspace as on_sqlite

pytestmark = pytest.mark.postgres


@pytest.fixture
def project(pg_sample: str) -> str:
    return pg_sample


test_opens_the_first_document_turn_by_turn = on_sqlite.test_opens_the_first_document_turn_by_turn
test_a_code_key_pressed_at_first_paint_is_not_lost = on_sqlite.test_a_code_key_pressed_at_first_paint_is_not_lost
test_code_a_turn_with_the_picker = on_sqlite.test_code_a_turn_with_the_picker
test_digit_key_and_repeat_and_remove = on_sqlite.test_digit_key_and_repeat_and_remove
test_blind_mode_hides_other_coders_until_toggled = on_sqlite.test_blind_mode_hides_other_coders_until_toggled
test_memos_on_a_turn_and_on_a_coding = on_sqlite.test_memos_on_a_turn_and_on_a_coding
test_undo_and_redo_many_levels_and_across_restarts = on_sqlite.test_undo_and_redo_many_levels_and_across_restarts
test_edit_a_codings_span_by_keyboard = on_sqlite.test_edit_a_codings_span_by_keyboard
test_find_jumps_to_the_place = on_sqlite.test_find_jumps_to_the_place
