"""Undo and redo from the journal: every action type, many levels, per coder, across restarts, and refusals."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from mda_coder.core.errors import MdaError
from mda_coder.core.spans import Span
from mda_coder.services import importing
from mda_coder.services.codebook import add_code, edit_code, list_codes, merge_codes, move_code, rename_code
from mda_coder.services.coding import (
    Target,
    apply_code,
    change_coding_span,
    list_codings,
    remove_code,
    remove_coding,
    set_coding_memo,
)
from mda_coder.services.history import history_state, redo, undo
from mda_coder.services.memos import add_memo, journal_entries, list_memos
from mda_coder.services.project import open_project
from mda_coder.services.queries import turns
from mda_coder.store.engine import Database
from tests.support.snapshot import dump


@pytest.fixture
def coded(project: Database, transcript: Path) -> Database:
    importing.import_files(project, [transcript], group="FG9")
    return project


def state(db: Database) -> list[str]:
    """The whole project but the journal, which undo only ever appends to."""
    return [line for line in dump(Path(db.location)) if not line.startswith('INSERT INTO "events"')]


def codings(db: Database) -> list[tuple[str, str, Span, str | None]]:
    return [(c.coder, c.code_path, c.span, c.memo) for c in list_codings(db)]


def code_tree(db: Database) -> list[tuple[str, str | None, str | None, str]]:
    return [(r.code.path, r.code.color, r.code.key, r.code.definition) for r in list_codes(db)]


def apply(db: Database, code: str, turn: int, coder: str = "anna", memo: str | None = None) -> int:
    return apply_code(db, coder=coder, code=code, document="FG9", target=Target(turn=turn), memo=memo)[0].id


ACTIONS: dict[str, Callable[[Database, int], object]] = {
    "apply": lambda db, cid: apply(db, "jobbfokus", 3),
    "memo": lambda db, cid: set_coding_memo(db, cid, "stark", coder="anna"),
    "span": lambda db, cid: change_coding_span(db, cid, 75, 90, coder="anna"),
    "add code": lambda db, cid: add_code(db, "kontroll", parent="tilltro", color="#123456", coder="anna"),
    "rename code": lambda db, cid: rename_code(db, "tilltro/tvivel", "misstro", coder="anna"),
    "move code": lambda db, cid: move_code(db, "tilltro/tvivel", "jobbfokus", coder="anna"),
    "edit code": lambda db, cid: edit_code(db, "jobbfokus", definition="Jobb först.", key="j", coder="anna"),
    "merge codes": lambda db, cid: merge_codes(db, "tilltro", "jobbfokus", coder="anna"),
}


@pytest.mark.parametrize("action", list(ACTIONS))
def test_undo_restores_the_project_exactly_and_redo_repeats_the_action(coded: Database, action: str) -> None:
    coding_id = apply(coded, "tilltro", 2, memo="första")
    apply(coded, "tilltro/tvivel", 2)
    before = state(coded)
    ACTIONS[action](coded, coding_id)
    after_codings, after_tree = codings(coded), code_tree(coded)
    step = undo(coded, "anna")
    assert step is not None and step.direction == "undo"
    assert state(coded) == before
    again = redo(coded, "anna")
    assert again is not None and again.description == step.description
    assert (codings(coded), code_tree(coded)) == (after_codings, after_tree)
    undo(coded, "anna")
    assert state(coded) == before


def test_undo_of_a_removal_brings_the_coding_back_with_its_memo_and_time(coded: Database) -> None:
    apply(coded, "tilltro", 2, memo="tydlig tilltro")
    [original] = list_codings(coded)
    remove_code(coded, coder="anna", code="tilltro", document="FG9", target=Target(turn=2))
    assert list_codings(coded) == []
    step = undo(coded, "anna")
    assert step is not None and step.description == "remove tilltro from FG9 turn 2"
    [back] = list_codings(coded)
    assert (back.memo, back.created, back.span, back.code_path) == (
        "tydlig tilltro",
        original.created,
        original.span,
        "tilltro",
    )
    remove_coding(coded, back.id, coder="anna")  # the re-created row, whatever its id, is the coding
    undo(coded, "anna")
    assert [c.memo for c in list_codings(coded)] == ["tydlig tilltro"]
    redo(coded, "anna")
    assert list_codings(coded) == []


def test_many_levels_back_and_forth_with_labels(coded: Database) -> None:
    assert history_state(coded, "anna") == (None, None)
    for turn in range(1, 6):
        apply(coded, "tilltro", turn)
        apply(coded, "jobbfokus", turn)
    full = codings(coded)
    assert history_state(coded, "anna") == ("apply jobbfokus to FG9 turn 5", None)
    for _ in range(10):
        assert undo(coded, "anna") is not None
    assert codings(coded) == [] and undo(coded, "anna") is None
    assert history_state(coded, "anna") == (None, "apply tilltro to FG9 turn 1")
    for _ in range(4):
        redo(coded, "anna")
    assert history_state(coded, "anna") == ("apply jobbfokus to FG9 turn 2", "apply tilltro to FG9 turn 3")
    while redo(coded, "anna") is not None:
        pass
    assert codings(coded) == full
    assert history_state(coded, "anna") == ("apply jobbfokus to FG9 turn 5", None)


def test_a_new_action_clears_the_redo_stack(coded: Database) -> None:
    apply(coded, "tilltro", 2)
    apply(coded, "tilltro", 3)
    undo(coded, "anna")
    assert history_state(coded, "anna")[1] == "apply tilltro to FG9 turn 3"
    apply(coded, "jobbfokus", 4)
    assert history_state(coded, "anna") == ("apply jobbfokus to FG9 turn 4", None)
    assert redo(coded, "anna") is None
    undo(coded, "anna")
    undo(coded, "anna")
    assert codings(coded) == [] and undo(coded, "anna") is None  # turn 3's coding was undone before


def test_each_coder_has_their_own_stack(coded: Database) -> None:
    apply(coded, "tilltro", 2, coder="anna")
    apply(coded, "tilltro", 2, coder="erik")
    apply(coded, "jobbfokus", 3, coder="anna")
    step = undo(coded, "erik")
    assert step is not None and step.description == "apply tilltro to FG9 turn 2"
    assert codings(coded) == [
        ("anna", "tilltro", turns(coded, "FG9")[1].span, None),
        ("anna", "jobbfokus", turns(coded, "FG9")[2].span, None),
    ]
    assert undo(coded, "erik") is None
    assert history_state(coded, "anna") == ("apply jobbfokus to FG9 turn 3", None)
    assert history_state(coded, "erik") == (None, "apply tilltro to FG9 turn 2")


def test_undo_and_redo_survive_closing_the_project(coded: Database) -> None:
    location = coded.location
    apply(coded, "tilltro", 2)
    apply(coded, "jobbfokus", 3)
    coded.close()
    db = open_project(location)
    try:
        step = undo(db, "anna")
        assert step is not None and step.description == "apply jobbfokus to FG9 turn 3"
    finally:
        db.close()
    db = open_project(location)
    try:
        assert history_state(db, "anna") == ("apply tilltro to FG9 turn 2", "apply jobbfokus to FG9 turn 3")
        redo(db, "anna")
        assert [c.code_path for c in list_codings(db)] == ["tilltro", "jobbfokus"]
    finally:
        db.close()


def test_the_step_says_where_to_look(coded: Database) -> None:
    turn2 = turns(coded, "FG9")[1].span
    coding_id = apply(coded, "tilltro", 2)
    change_coding_span(coded, coding_id, turn2.start, turn2.start + 3, coder="anna")
    step = undo(coded, "anna")
    assert step is not None
    assert (step.action, step.document, step.turn, step.code) == ("coding.span", "FG9", 2, "tilltro")
    assert step.span == turn2
    assert step.description == f"change the span of tilltro on FG9 turn 2 ({turn2.start}-{turn2.start + 3})"
    rename_code(coded, "tilltro", "förtroende", coder="anna")
    step = undo(coded, "anna")
    assert step is not None and (step.description, step.document, step.code) == (
        "rename tilltro to förtroende",
        None,
        "tilltro",
    )


def test_undo_of_a_merge_restores_codes_codings_memos_and_sub_codes(coded: Database) -> None:
    apply(coded, "tilltro/tvivel", 2, memo="tvekan")
    apply(coded, "tilltro/uttryckt", 2, memo="tydlig")
    apply(coded, "tilltro/tvivel", 4)
    apply(coded, "tilltro/tvivel", 2, coder="erik")
    add_code(coded, "djup", parent="tilltro/tvivel", key="d", coder="anna")
    add_memo(coded, "Tvivel är sällsynt", code="tilltro/tvivel", coder="anna")
    before = state(coded)
    merge_codes(coded, "tilltro/tvivel", "tilltro/uttryckt", coder="anna")
    merged_codings, merged_tree = codings(coded), code_tree(coded)
    step = undo(coded, "anna")
    assert step is not None and step.description == "merge tilltro/tvivel into tilltro/uttryckt"
    assert step.code == "tilltro/tvivel"
    assert state(coded) == before  # the code row and its id, coding ids, memos, times, sub-codes, code memos
    assert [m.about for m in list_memos(coded)] == [
        "code tilltro/tvivel",
        "tilltro/tvivel on FG9 turn 2",
        "tilltro/uttryckt on FG9 turn 2",
    ]
    redo(coded, "anna")
    assert (codings(coded), code_tree(coded)) == (merged_codings, merged_tree)
    assert "tilltro/tvivel" not in [path for path, *_ in merged_tree]


def test_a_step_no_longer_possible_is_refused_and_changes_nothing(coded: Database) -> None:
    apply(coded, "tilltro/tvivel", 2)
    merge_codes(coded, "tilltro/tvivel", "tilltro", coder="erik")
    before = dump(Path(coded.location))
    with pytest.raises(
        MdaError, match=r"^cannot undo 'apply tilltro/tvivel to FG9 turn 2': that coding is no longer there"
    ):
        undo(coded, "anna")
    assert dump(Path(coded.location)) == before
    assert history_state(coded, "anna")[0] == "apply tilltro/tvivel to FG9 turn 2"


def test_undo_of_an_added_code_that_is_now_used_is_refused(coded: Database) -> None:
    add_code(coded, "kontroll", coder="anna")
    apply(coded, "kontroll", 2, coder="erik")
    before = dump(Path(coded.location))
    with pytest.raises(MdaError, match="cannot undo 'add code kontroll': 'kontroll' has 1 coding now"):
        undo(coded, "anna")
    assert dump(Path(coded.location)) == before


def test_redo_is_refused_when_the_place_was_taken(project: Database) -> None:
    add_code(project, "kontroll", coder="anna")
    undo(project, "anna")
    add_code(project, "kontroll", coder="erik")
    before = dump(Path(project.location))
    with pytest.raises(
        MdaError, match="cannot redo 'add code kontroll': code 'kontroll' already exists under 'the top level'"
    ):
        redo(project, "anna")
    assert dump(Path(project.location)) == before


def test_undo_and_redo_are_journalled(coded: Database) -> None:
    apply(coded, "tilltro", 2)
    undo(coded, "anna")
    redo(coded, "anna")
    actions = [(e.actor, e.action) for e in journal_entries(coded, limit=3)]
    assert actions == [("anna", "coding.apply"), ("anna", "history.undo"), ("anna", "history.redo")]
    undo_entry = journal_entries(coded, limit=2)[0]
    apply_id = undo_entry.data["event"]
    assert undo_entry.entity_id == apply_id and undo_entry.data["action"] == "coding.apply"


def test_a_merge_is_undone_after_its_codings_were_removed_and_restored(coded: Database) -> None:
    first = apply(coded, "tilltro/tvivel", 2, memo="först")
    apply(coded, "tilltro/tvivel", 4)
    before = codings(coded)
    merge_codes(coded, "tilltro/tvivel", "tilltro/uttryckt", coder="anna")
    remove_coding(coded, first, coder="anna")
    undo(coded, "anna")  # the coding comes back as a new row, with a new id
    assert [c.id for c in list_codings(coded) if c.memo == "först"] != [first]
    undo(coded, "anna")
    assert codings(coded) == before


def test_the_recorded_stack_tops_agree_with_reading_the_journal(coded: Database) -> None:
    """A random walk of two coders applying, undoing and redoing, checked against plain stacks."""
    import random

    # The journal scan is an internal step, tested here on purpose against plain stacks.
    from mda_coder.services.history._undo import _scan, _tops

    rng = random.Random(7)
    keys = [(code, turn) for code in ("tilltro", "jobbfokus", "tilltro/tvivel") for turn in range(1, 6)]
    model = {coder: ([], []) for coder in ("anna", "erik")}  # (undo stack, redo stack) of (code, turn)
    for _ in range(70):
        coder = rng.choice(["anna", "erik"])
        done, undone = model[coder]
        move = rng.choice(["apply", "apply", "undo", "undo", "redo"])
        if move == "apply":
            key = rng.choice([k for k in keys if k not in done])
            apply(coded, key[0], key[1], coder=coder)
            done.append(key)
            undone.clear()
        elif move == "undo":
            assert (undo(coded, coder) is None) == (not done)
            if done:
                undone.append(done.pop())
        else:
            assert (redo(coded, coder) is None) == (not undone)
            if undone:
                done.append(undone.pop())
        turn_of = {t.span: t.index for t in turns(coded, "FG9")}
        for name, (d, _) in model.items():
            present = sorted((c.code_path, turn_of[c.span]) for c in list_codings(coded) if c.coder == name)
            assert present == sorted(d)
        with coded.transaction() as s:
            for name in model:
                assert _tops(s, name) == _scan(s, name)
