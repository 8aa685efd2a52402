"""Reviewing a code with its sub-codes: each unit once with each coder's codes of the family, and decisions kept per code."""

from __future__ import annotations

from pathlib import Path

import pytest

from mda_coder.core.errors import MdaError
from mda_coder.core.spans import Span
from mda_coder.services import importing
from mda_coder.services.agreement import agreement
from mda_coder.services.coding import Target, apply_code, list_codings
from mda_coder.services.consensus import CONSENSUS, ReviewItem, adopt_agreed, figures, review, settle
from mda_coder.services.history import redo, undo
from mda_coder.services.memos import journal_entries
from mda_coder.services.queries import turns
from mda_coder.store.engine import Database
from tests.support.snapshot import dump

CODERS = ["anna", "erik"]


def state(db: Database) -> list[str]:
    """The project but the journal (undo appends to it) and the consensus coder's row (it stays once made)."""
    return [
        line
        for line in dump(Path(db.location))
        if not line.startswith('INSERT INTO "events"') and f"'{CONSENSUS}'" not in line
    ]


def consensus_codings(db: Database) -> list[tuple[str, int]]:
    """The consensus coder's codings as (code, turn)."""
    try:
        rows = list_codings(db, coder=CONSENSUS)
    except MdaError:
        return []
    starts = [t.span.start for t in turns(db, "FG9")]
    return sorted((c.code_path, max(i for i, s in enumerate(starts, start=1) if s <= c.span.start)) for c in rows)


def apply(db: Database, coder: str, code: str, turn: int) -> None:
    apply_code(db, coder=coder, code=code, document="FG9", target=Target(turn=turn))


@pytest.fixture
def coded(project: Database, transcript: Path) -> Database:
    """FG9 (five turns) with tilltro and its sub-codes applied so that the coders differ on turns 2, 4 and 5."""
    importing.import_files(project, [transcript], group="FG9")
    apply(project, "anna", "tilltro", 2)
    apply(project, "erik", "tilltro/tvivel", 2)  # the same thought, one level finer
    apply(project, "anna", "tilltro/tvivel", 3)
    apply(project, "erik", "tilltro/tvivel", 3)  # agreed
    apply(project, "anna", "tilltro/uttryckt", 4)
    apply(project, "anna", "tilltro/tvivel", 4)
    apply(project, "erik", "tilltro/tvivel", 4)  # anna saw one code more
    apply(project, "anna", "tilltro", 5)
    apply(project, "erik", "jobbfokus", 5)  # erik coded the turn, with nothing of tilltro
    return project


def family_item(db: Database, turn: int) -> ReviewItem:
    return next(i for i in review(db, CODERS, code="tilltro").items if i.ref.number == turn)


def test_each_unit_comes_up_once_with_each_coders_codes_of_the_family(coded: Database) -> None:
    listed = review(coded, CODERS, code="tilltro")
    assert [(i.ref.code, i.ref.number, i.ref.family) for i in listed.items] == [
        ("tilltro", 2, True),
        ("tilltro", 4, True),
        ("tilltro", 5, True),
    ]
    seen = {i.ref.number: [(c.coder, c.value, c.codes) for c in i.coders] for i in listed.items}
    assert seen == {
        2: [("anna", 1, ("tilltro",)), ("erik", 1, ("tilltro/tvivel",))],
        4: [("anna", 1, ("tilltro/uttryckt", "tilltro/tvivel")), ("erik", 1, ("tilltro/tvivel",))],
        5: [("anna", 1, ("tilltro",)), ("erik", 0, ())],
    }
    assert listed.items[0].ref.describe() == "tilltro and its sub-codes on FG9 turn 2"


def test_without_sub_codes_the_review_is_code_by_code_as_before(coded: Database) -> None:
    every = review(coded, CODERS)
    report = agreement(coded, CODERS, "turn")
    assert len(every.items) == sum(len(c.disagreements) for c in report.codes)
    assert not any(i.ref.family for i in every.items)
    on_two = {i.ref.code: i for i in every.items if i.ref.number == 2}
    assert set(on_two) == {"tilltro", "tilltro/tvivel"}
    erik = on_two["tilltro"].coders[1]
    # erik did not apply tilltro itself on turn 2, and the item says which sub-code he applied instead.
    assert (erik.value, erik.codings, erik.sub_codes) == (0, (), ("tilltro/tvivel",))
    assert on_two["tilltro/tvivel"].coders[0].sub_codes == ()
    # A code without sub-codes chosen alone: a review of that code, as before.
    alone = review(coded, CODERS, code="jobbfokus")
    assert [(i.ref.code, i.ref.number, i.ref.family) for i in alone.items] == [("jobbfokus", 5, False)]


def test_settling_a_family_unit_decides_each_code_of_it_in_one_undoable_step(coded: Database) -> None:
    before = state(coded)
    settled = settle(coded, family_item(coded, 2), "take", take="erik", reviewer="lisa")
    assert consensus_codings(coded) == [("tilltro/tvivel", 2)]
    assert settled.settled and settled.settlement is not None
    assert (settled.settlement.label, settled.settlement.taken) == ("take erik", ("erik",))
    assert [(c.code, c.sources[0].coder) for c in settled.settlement.codings] == [("tilltro/tvivel", "erik")]
    assert [c.code_path for c in settled.consensus] == ["tilltro/tvivel"]
    # Kept per code, as any review keeps them: code by code, both codes read as decided.
    by_code = {
        (i.ref.code, i.settlement.label if i.settlement else None)
        for i in review(coded, CODERS).items
        if i.ref.number == 2
    }
    assert by_code == {("tilltro", "take erik"), ("tilltro/tvivel", "take erik")}
    assert review(coded, CODERS, code="tilltro").remaining == 2
    entry = journal_entries(coded)[-1]
    assert (entry.actor, entry.action, len(entry.data["units"])) == (CONSENSUS, "consensus.settle", 2)
    assert entry.description == "settle tilltro, tilltro/tvivel on FG9 turn 2: take erik (reviewed by lisa)"
    after = state(coded)
    step = undo(coded, CONSENSUS)
    assert step is not None and step.code == "tilltro" and step.turn == 2
    assert step.description == "settle tilltro, tilltro/tvivel on FG9 turn 2: take erik"
    assert state(coded) == before and not family_item(coded, 2).settled
    assert redo(coded, CONSENSUS) is not None
    assert state(coded) == after


def test_deciding_again_replaces_every_code_decided_before(coded: Database) -> None:
    settle(coded, family_item(coded, 2), "take", take="erik", reviewer="lisa")
    again = settle(coded, family_item(coded, 2), "take", take="anna", reviewer="lisa")
    assert consensus_codings(coded) == [("tilltro", 2)]
    assert again.settlement is not None and again.settlement.label == "take anna"
    both = settle(coded, family_item(coded, 2), "both", reviewer="lisa")
    assert consensus_codings(coded) == [("tilltro", 2), ("tilltro/tvivel", 2)]
    assert both.settlement is not None and both.settlement.taken == ("anna", "erik")
    settle(coded, family_item(coded, 2), "neither", reviewer="lisa")
    assert consensus_codings(coded) == []
    for _ in range(3):
        undo(coded, CONSENSUS)
    assert consensus_codings(coded) == [("tilltro/tvivel", 2)]


def test_a_span_goes_to_the_code_named_and_the_familys_other_codes_to_none(coded: Database) -> None:
    item = family_item(coded, 2)
    inside = (item.span.start + 4, item.span.start + 20)
    before = state(coded)
    with pytest.raises(
        MdaError, match=r"say which code of tilltro and its sub-codes the span gets \(tilltro, tilltro/tvivel\)"
    ):
        settle(coded, item, "span", span=inside, reviewer="lisa")
    with pytest.raises(MdaError, match="'jobbfokus' is not a code of tilltro and its sub-codes"):
        settle(coded, item, "span", span=inside, code="jobbfokus", reviewer="lisa")
    assert state(coded) == before
    settled = settle(coded, item, "span", span=inside, code="tvivel", reviewer="lisa")
    assert [(c.code_path, c.span) for c in list_codings(coded, coder=CONSENSUS)] == [("tilltro/tvivel", Span(*inside))]
    assert settled.settlement is not None
    assert settled.settlement.label == f"tilltro: neither; tilltro/tvivel: span {inside[0]}-{inside[1]}"
    assert settled.settlement.decision == "mixed"


def test_adopted_agreement_on_one_code_leaves_the_family_unit_open_until_settled(coded: Database) -> None:
    assert adopt_agreed(coded, CODERS, code="tilltro", reviewer="lisa") == 2  # tvivel on turns 3 and 4
    four = family_item(coded, 4)
    assert not four.settled and [c.code_path for c in four.consensus] == ["tilltro/tvivel"]
    settled = settle(coded, four, "take", take="anna", reviewer="lisa")
    assert consensus_codings(coded) == [("tilltro/tvivel", 3), ("tilltro/tvivel", 4), ("tilltro/uttryckt", 4)]
    assert settled.settlement is not None and settled.settlement.label == "take anna"


def test_a_mutually_exclusive_family_can_swap_one_code_for_another(coded: Database) -> None:
    apply(coded, "anna", "hållning/positiv", 2)
    apply(coded, "erik", "hållning/negativ", 2)
    item = next(i for i in review(coded, CODERS, code="hållning").items if i.ref.number == 2)
    assert [c.codes for c in item.coders] == [("hållning/positiv",), ("hållning/negativ",)]
    settle(coded, item, "take", take="erik", reviewer="lisa")
    settle(coded, item, "take", take="anna", reviewer="lisa")
    assert consensus_codings(coded) == [("hållning/positiv", 2)]
    before = state(coded)
    with pytest.raises(MdaError, match="hållning"):
        settle(coded, item, "both", reviewer="lisa")
    assert state(coded) == before


def test_figures_of_a_family_count_its_sub_codes_as_the_code(coded: Database) -> None:
    alone = figures(coded, CODERS, "turn", "tilltro")
    family = figures(coded, CODERS, "turn", "tilltro", include_subcodes=True)
    assert family.include_subcodes and not alone.include_subcodes
    # With sub-codes counted, both coders applied the family on turns 2, 3 and 4: only turn 5 differs.
    assert family.between.value is not None and alone.between.value is not None
    assert family.between.value > alone.between.value
