"""Editing one coding by its id: memo, span, removal, and that only its coder may do it."""

from __future__ import annotations

from pathlib import Path

import pytest

from mda_coder.core.errors import MdaError, NotFoundError
from mda_coder.core.spans import Span
from mda_coder.services import importing
from mda_coder.services.coding import (
    Target,
    apply_code,
    change_coding_span,
    list_codings,
    remove_code,
    remove_coding,
    set_coding_memo,
)
from mda_coder.services.memos import journal_entries
from mda_coder.services.queries import sentences, turns
from mda_coder.store.engine import Database
from tests.support.snapshot import dump


@pytest.fixture
def coded(project: Database, transcript: Path) -> Database:
    importing.import_files(project, [transcript], group="FG9")
    return project


def _last(db: Database) -> tuple[str, str, dict[str, object]]:
    entry = journal_entries(db, limit=1)[0]
    return entry.actor, entry.action, entry.data


def test_memo_is_set_cleared_and_journalled_with_before_and_after(coded: Database) -> None:
    coding, _ = apply_code(coded, coder="anna", code="tilltro", document="FG9", target=Target(turn=2))
    changed = set_coding_memo(coded, coding.id, "  stark tilltro  ", coder="anna")
    assert changed.memo == "stark tilltro" and changed.id == coding.id
    actor, action, data = _last(coded)
    assert (actor, action, data["before"], data["after"]) == ("anna", "coding.memo", None, "stark tilltro")
    events = len(journal_entries(coded))
    assert set_coding_memo(coded, coding.id, "stark tilltro", coder="anna").memo == "stark tilltro"
    assert len(journal_entries(coded)) == events  # nothing changed, nothing journalled
    assert set_coding_memo(coded, coding.id, "   ", coder="anna").memo is None
    assert _last(coded)[2]["before"] == "stark tilltro"
    assert list_codings(coded)[0].memo is None


def test_span_moves_to_new_text_and_is_journalled(coded: Database) -> None:
    coding, _ = apply_code(coded, coder="anna", code="tilltro", document="FG9", target=Target(turn=2))
    first = sentences(coded, "FG9", turn=2)[0]
    moved = change_coding_span(coded, coding.id, first.span.start, first.span.end, coder="anna")
    assert moved.text == "Att jag tror på deltagaren." and moved.span == first.span and moved.id == coding.id
    actor, action, data = _last(coded)
    assert (actor, action) == ("anna", "coding.span")
    assert data["before"] == [coding.span.start, coding.span.end] and data["after"] == [
        first.span.start,
        first.span.end,
    ]
    assert [c.span for c in list_codings(coded)] == [first.span]


@pytest.mark.parametrize(
    ("span", "message"),
    [
        ((10, 5), "span 10-5 is not inside the text"),
        ((0, 10**6), "is not inside the text"),
        ((7, 7), r"span 7-7 is not inside the text \(0-\d+\) or is empty"),
    ],
)
def test_a_bad_span_is_refused_and_changes_nothing(coded: Database, span: tuple[int, int], message: str) -> None:
    coding, _ = apply_code(coded, coder="anna", code="tilltro", document="FG9", target=Target(turn=2))
    before = dump(Path(coded.location))
    with pytest.raises(MdaError, match=message):
        change_coding_span(coded, coding.id, *span, coder="anna")
    assert dump(Path(coded.location)) == before


def test_span_change_refuses_a_duplicate_and_an_exclusive_clash(coded: Database) -> None:
    turn2, turn3 = (t.span for t in turns(coded, "FG9")[1:3])
    whole, _ = apply_code(coded, coder="anna", code="tilltro", document="FG9", target=Target(turn=2))
    part, _ = apply_code(coded, coder="anna", code="tilltro", document="FG9", target=Target(sentence=3))
    before = dump(Path(coded.location))
    with pytest.raises(MdaError, match=f"anna already coded {turn2.start}-{turn2.end} of 'FG9' with 'tilltro'"):
        change_coding_span(coded, part.id, turn2.start, turn2.end, coder="anna")
    apply_code(coded, coder="anna", code="hållning/positiv", document="FG9", target=Target(turn=2))
    negative, _ = apply_code(coded, coder="anna", code="hållning/negativ", document="FG9", target=Target(turn=3))
    before = dump(Path(coded.location))
    with pytest.raises(MdaError, match="mutually exclusive"):
        change_coding_span(coded, negative.id, turn2.end - 5, turn3.end, coder="anna")
    assert dump(Path(coded.location)) == before
    assert whole.span == turn2


def test_remove_coding_journals_what_remove_code_journals(coded: Database) -> None:
    coding, _ = apply_code(coded, coder="anna", code="tilltro", document="FG9", target=Target(turn=2), memo="m")
    removed = remove_coding(coded, coding.id, coder="anna")
    assert removed.text == coding.text and removed.memo == "m"
    assert list_codings(coded) == []
    by_id = _last(coded)
    apply_code(coded, coder="anna", code="tilltro", document="FG9", target=Target(turn=2), memo="m")
    remove_code(coded, coder="anna", code="tilltro", document="FG9", target=Target(turn=2))
    by_target = _last(coded)
    assert by_id[1] == by_target[1] == "coding.remove"
    assert set(by_id[2]) == set(by_target[2])
    assert {k: v for k, v in by_id[2].items() if k != "created"} == {
        k: v for k, v in by_target[2].items() if k != "created"
    }


def test_a_coder_changes_only_their_own_codings(coded: Database) -> None:
    coding, _ = apply_code(coded, coder="erik", code="tilltro", document="FG9", target=Target(turn=2))
    before = dump(Path(coded.location))
    message = f"coding {coding.id} belongs to erik; switch coder to change it"
    with pytest.raises(MdaError, match=message):
        set_coding_memo(coded, coding.id, "min", coder="anna")
    with pytest.raises(MdaError, match=message):
        change_coding_span(coded, coding.id, 0, 5, coder="anna")
    with pytest.raises(MdaError, match=message):
        remove_coding(coded, coding.id, coder="anna")
    assert dump(Path(coded.location)) == before


def test_an_unknown_coding_is_not_found(coded: Database) -> None:
    with pytest.raises(NotFoundError, match="no coding 99"):
        remove_coding(coded, 99, coder="anna")
    with pytest.raises(NotFoundError, match="no coding 99"):
        change_coding_span(coded, 99, 0, 4, coder="anna")


def test_values_carry_the_coded_text(coded: Database) -> None:
    coding, _ = apply_code(coded, coder="anna", code="jobbfokus", document="FG9", target=Target(turn=3))
    moved = change_coding_span(coded, coding.id, coding.span.start + 4, coding.span.end, coder="anna")
    assert moved.span == Span(coding.span.start + 4, coding.span.end)
    assert moved.text == coding.text[4:]
