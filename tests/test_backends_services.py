"""The coding, undo, memo and consensus service tests again, on the PostgreSQL server.

The tests are those of ``test_services_coding.py``, ``test_history.py``, ``test_memos_and_log.py``
and ``test_consensus.py``, collected here a second time with ``project`` the tests' mini project in
a database of its own (``pg_project``). The "whole project before and after" of ``dump`` is, on the
server, every row of every table (``tests/support/snapshot.py``). Left out, for the suite's time (a
database of its own costs the server about a second): the tables of refused requests, whose checks
run before the database is asked anything.
"""

from __future__ import annotations

import pytest

from mda_coder.store.engine import Database
from tests import test_consensus as consensus
from tests import test_history as history
from tests import test_memos_and_log as memos
from tests import test_services_coding as coding

pytestmark = pytest.mark.postgres


@pytest.fixture
def project(pg_project: Database) -> Database:
    return pg_project


coded = coding.coded
ten = consensus.ten

test_apply_to_turn_sentence_and_span = coding.test_apply_to_turn_sentence_and_span
test_csv_import_is_all_or_nothing_with_the_line = coding.test_csv_import_is_all_or_nothing_with_the_line
test_every_change_is_journalled = coding.test_every_change_is_journalled
test_exclusive_codes_cannot_overlap_for_one_coder = coding.test_exclusive_codes_cannot_overlap_for_one_coder
test_remove_takes_only_codings_inside_the_target = coding.test_remove_takes_only_codings_inside_the_target
test_export_then_import_reproduces_codings = coding.test_export_then_import_reproduces_codings

test_undo_restores_the_project_exactly_and_redo_repeats_the_action = (
    history.test_undo_restores_the_project_exactly_and_redo_repeats_the_action
)
test_undo_of_a_removal_brings_the_coding_back_with_its_memo_and_time = (
    history.test_undo_of_a_removal_brings_the_coding_back_with_its_memo_and_time
)
test_many_levels_back_and_forth_with_labels = history.test_many_levels_back_and_forth_with_labels
test_a_new_action_clears_the_redo_stack = history.test_a_new_action_clears_the_redo_stack
test_each_coder_has_their_own_stack = history.test_each_coder_has_their_own_stack
test_undo_and_redo_survive_closing_the_project = history.test_undo_and_redo_survive_closing_the_project
test_the_step_says_where_to_look = history.test_the_step_says_where_to_look
test_undo_of_a_merge_restores_codes_codings_memos_and_sub_codes = (
    history.test_undo_of_a_merge_restores_codes_codings_memos_and_sub_codes
)
test_a_step_no_longer_possible_is_refused_and_changes_nothing = (
    history.test_a_step_no_longer_possible_is_refused_and_changes_nothing
)
test_undo_of_an_added_code_that_is_now_used_is_refused = history.test_undo_of_an_added_code_that_is_now_used_is_refused
test_redo_is_refused_when_the_place_was_taken = history.test_redo_is_refused_when_the_place_was_taken
test_undo_and_redo_are_journalled = history.test_undo_and_redo_are_journalled
test_a_merge_is_undone_after_its_codings_were_removed_and_restored = (
    history.test_a_merge_is_undone_after_its_codings_were_removed_and_restored
)
test_the_recorded_stack_tops_agree_with_reading_the_journal = (
    history.test_the_recorded_stack_tops_agree_with_reading_the_journal
)

test_a_coding_memo_follows_its_coding_to_a_new_path_and_a_new_turn = (
    memos.test_a_coding_memo_follows_its_coding_to_a_new_path_and_a_new_turn
)

test_settling_every_disagreement_on_the_published_example = (
    consensus.test_settling_every_disagreement_on_the_published_example
)
test_take_copies_a_coders_coding_clipped_to_the_unit_with_its_provenance = (
    consensus.test_take_copies_a_coders_coding_clipped_to_the_unit_with_its_provenance
)
test_both_joins_the_coders_spans_and_neither_settles_with_no_coding = (
    consensus.test_both_joins_the_coders_spans_and_neither_settles_with_no_coding
)
test_an_edited_span_must_lie_inside_the_unit = consensus.test_an_edited_span_must_lie_inside_the_unit
test_settling_a_unit_again_replaces_the_decision_and_undo_brings_it_back = (
    consensus.test_settling_a_unit_again_replaces_the_decision_and_undo_brings_it_back
)
test_undo_and_redo_restore_the_project_exactly = consensus.test_undo_and_redo_restore_the_project_exactly
test_a_settled_unit_stays_settled_for_a_new_session = consensus.test_a_settled_unit_stays_settled_for_a_new_session
test_sentences_as_units = consensus.test_sentences_as_units
test_a_consensus_coding_running_past_the_unit_is_not_silently_cut = (
    consensus.test_a_consensus_coding_running_past_the_unit_is_not_silently_cut
)
