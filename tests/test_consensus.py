"""Consensus coding on real project files: what is listed for review, how each decision settles a unit, provenance, undo."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mda_coder.core.errors import MdaError
from mda_coder.core.spans import Span
from mda_coder.services import importing
from mda_coder.services.agreement import agreement
from mda_coder.services.coding import Target, apply_code, list_codings
from mda_coder.services.consensus import (
    CONSENSUS,
    ReviewItem,
    adopt_agreed,
    default_coders,
    figures,
    reload,
    review,
    settle,
)
from mda_coder.services.history import redo, undo
from mda_coder.services.memos import journal_entries
from mda_coder.services.project import open_project
from mda_coder.services.queries import turns
from mda_coder.store.engine import Database
from tests.support.snapshot import dump
from tests.support.tui import sample_copy

TEN_TURNS = "".join(f"R{1 + i % 3}: Yttrande nummer {i + 1}. Det handlar om jobb och tilltro.\n" for i in range(10))

# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
# Communication, University of Pennsylvania. Example A, binary data, two observers, ten units:
# α = 0.095 (coincidences o_00 = 10, o_01 = o_10 = 4, o_11 = 2; α = 1 − 19·4/(14·6)).
EXAMPLE_A = {"anna": (0, 1, 0, 0, 0, 0, 0, 0, 1, 0), "erik": (1, 1, 1, 0, 0, 1, 0, 0, 0, 0)}


def state(db: Database) -> list[str]:
    """The whole project but the journal, which undo only ever appends to, and the consensus coder's
    name, which stays once made (as any coder's does after their first coding is undone)."""
    return [
        line
        for line in dump(Path(db.location))
        if not line.startswith('INSERT INTO "events"') and f"'{CONSENSUS}'" not in line
    ]


def consensus_codings(db: Database) -> list[tuple[str, Span, str | None]]:
    try:
        return [(c.code_path, c.span, c.memo) for c in list_codings(db, coder=CONSENSUS)]
    except MdaError:  # no consensus coder yet
        return []


def item(db: Database, number: int, code: str = "jobbfokus", **kwargs: object) -> ReviewItem:
    return next(i for i in review(db, **kwargs).items if i.ref.number == number and i.ref.code == code)  # type: ignore[arg-type]


@pytest.fixture
def ten(project: Database, tmp_path: Path) -> Database:
    """FG10: ten turns, jobbfokus coded turn by turn as in Krippendorff's example A."""
    path = tmp_path / "FG10.txt"
    path.write_text(TEN_TURNS, encoding="utf-8")
    importing.import_files(project, [path], group="FG10")
    for coder, values in EXAMPLE_A.items():
        for turn, value in enumerate(values, start=1):
            if value:
                apply_code(project, coder=coder, code="jobbfokus", document="FG10", target=Target(turn=turn))
    return project


def test_review_lists_each_disagreement_with_each_coders_codings_and_memos(tmp_path: Path) -> None:
    db = open_project(sample_copy(tmp_path))
    try:
        assert default_coders(db) == ["anna", "erik"]
        listed = review(db)
        report = agreement(db, ["anna", "erik"], "turn")
        assert len(listed.items) == sum(len(c.disagreements) for c in report.codes) == 99
        assert (listed.settled, listed.remaining) == (0, 99)
        for entry in listed.items:
            for coder in entry.coders:
                assert (coder.value == 1) == bool(coder.codings), (entry.ref, coder)
                assert all(c.span.overlaps(entry.span) and c.code_path == entry.ref.code for c in coder.codings)
            assert {c.value for c in entry.coders} == {0, 1}
        assert entry.text == turns(db, entry.ref.document)[entry.ref.number - 1].text
        # anna's memo on a borderline case comes along with her coding.
        memo = next(
            c for i in listed.items for k in i.coders for c in k.codings if c.memo and c.memo.startswith("gränsfall")
        )
        assert memo.coder == "anna"
    finally:
        db.close()


def test_settling_every_disagreement_on_the_published_example(ten: Database) -> None:
    listed = review(ten, ["anna", "erik"])
    assert [(i.ref.number, tuple(c.value for c in i.coders)) for i in listed.items] == [
        (1, (0, 1)),
        (3, (0, 1)),
        (6, (0, 1)),
        (9, (1, 0)),
    ]
    before = figures(ten, ["anna", "erik"], "turn", "jobbfokus")
    assert round(before.between.value or 0, 3) == 0.095
    assert [(name, a.undefined) for name, a in before.versus] == [
        ("anna", "nothing is settled into consensus yet"),
        ("erik", "nothing is settled into consensus yet"),
    ]
    for entry in listed.items:
        settle(ten, entry, "take", take="anna", reviewer="lisa")
    assert reload(ten, listed).remaining == 0
    assert adopt_agreed(ten, ["anna", "erik"], reviewer="lisa") == 1  # turn 2, which both coded
    # The consensus is now anna's coding: α(anna, consensus) = 1, α(erik, consensus) = example A's α.
    after = figures(ten, ["anna", "erik"], "turn", "jobbfokus")
    anna, erik = (a for _, a in after.versus)
    assert anna.value == pytest.approx(1.0)
    assert round(erik.value or 0, 3) == 0.095 and erik.n_pairable == 10
    assert round(after.between.value or 0, 3) == 0.095


def test_take_copies_a_coders_coding_clipped_to_the_unit_with_its_provenance(ten: Database) -> None:
    t3, t4 = (t.span for t in turns(ten, "FG10")[2:4])
    across = apply_code(
        ten, coder="anna", code="tilltro", document="FG10", target=Target(span=(t3.start + 4, t4.end)), memo="tvivel?"
    )[0]
    entry = item(ten, 3, "tilltro", coders=["anna", "erik"])
    settled = settle(ten, entry, "take", take="anna", reviewer="lisa")
    assert consensus_codings(ten) == [("tilltro", Span(t3.start + 4, t3.end), "anna: tvivel?")]
    assert settled.settled and settled.settlement is not None
    [made] = settled.settlement.codings
    assert made.span == Span(t3.start + 4, t3.end)
    assert [(s.coder, s.coding_id, s.span) for s in made.sources] == [("anna", across.id, across.span)]
    assert (settled.settlement.decision, settled.settlement.taken, settled.settlement.reviewer) == (
        "take",
        ("anna",),
        "lisa",
    )
    assert [c.span for c in settled.consensus] == [made.span]
    # The next turn, which the same coding runs into, is still to be reviewed.
    assert not item(ten, 4, "tilltro", coders=["anna", "erik"]).settled
    # The journal entry carries the provenance too, as the consensus coder's action.
    entry = journal_entries(ten)[-1]
    assert (entry.actor, entry.action) == (CONSENSUS, "consensus.settle")
    data = entry.data
    assert data["units"][0]["decision"]["codings"]["made"][0]["sources"][0]["coding_id"] == across.id
    json.dumps(data)  # plain data, as the journal stores it


def test_both_joins_the_coders_spans_and_neither_settles_with_no_coding(ten: Database) -> None:
    t1 = turns(ten, "FG10")[0].span
    apply_code(ten, coder="anna", code="tilltro", document="FG10", target=Target(span=(t1.start, t1.start + 10)))
    apply_code(ten, coder="erik", code="tilltro", document="FG10", target=Target(span=(t1.start + 5, t1.start + 20)))
    apply_code(ten, coder="erik", code="tilltro", document="FG10", target=Target(span=(t1.start + 30, t1.start + 40)))
    # Both applied tilltro to turn 1: no disagreement there. Make one on turn 2 for "neither".
    apply_code(ten, coder="anna", code="tilltro", document="FG10", target=Target(turn=2))
    assert [i.ref.number for i in review(ten, ["anna", "erik"], code="tilltro").items] == [2]
    settle(ten, item(ten, 2, "tilltro", coders=["anna", "erik"]), "neither", reviewer="lisa")
    assert consensus_codings(ten) == []
    assert review(ten, ["anna", "erik"], code="tilltro").remaining == 0
    # "both" on a unit everyone coded differently: the union, overlapping spans joined.
    entry = item(ten, 1, "jobbfokus", coders=["anna", "erik"])
    settle(ten, entry, "both", reviewer="lisa")
    assert consensus_codings(ten) == [("jobbfokus", t1, None)]
    assert adopt_agreed(ten, ["anna", "erik"], code="tilltro", reviewer="lisa") == 1
    assert [span for code, span, _ in consensus_codings(ten) if code == "tilltro"] == [
        Span(t1.start, t1.start + 20),
        Span(t1.start + 30, t1.start + 40),
    ]


def test_an_edited_span_must_lie_inside_the_unit(ten: Database) -> None:
    t1 = turns(ten, "FG10")[0].span
    entry = item(ten, 1, coders=["anna", "erik"])
    before = state(ten)
    wide = rf"span {t1.start}-{t1.end + 3} is not inside turn 1 of 'FG10' \({t1.start}-{t1.end}\)"
    with pytest.raises(MdaError, match=wide):
        settle(ten, entry, "span", span=(t1.start, t1.end + 3), reviewer="lisa")
    assert state(ten) == before
    settled = settle(ten, entry, "span", span=(t1.start + 4, t1.start + 12), reviewer="lisa")
    assert consensus_codings(ten) == [("jobbfokus", Span(t1.start + 4, t1.start + 12), None)]
    assert settled.settlement is not None and settled.settlement.label == f"span {t1.start + 4}-{t1.start + 12}"
    assert settled.settlement.taken == ("erik",)  # the coding the span was drawn from


def test_settling_a_unit_again_replaces_the_decision_and_undo_brings_it_back(ten: Database) -> None:
    entry = item(ten, 1, coders=["anna", "erik"])
    t1 = entry.span
    settle(ten, entry, "take", take="erik", reviewer="lisa")
    assert consensus_codings(ten) == [("jobbfokus", t1, None)]
    first = state(ten)
    again = settle(ten, entry, "take", take="anna", reviewer="lisa")
    assert consensus_codings(ten) == [] and again.settlement is not None and again.settlement.label == "take anna"
    step = undo(ten, CONSENSUS)
    assert step is not None and step.description == "settle jobbfokus on FG10 turn 1: take anna"
    assert step.document == "FG10" and step.turn == 1 and step.span == t1
    assert state(ten) == first
    assert item(ten, 1, coders=["anna", "erik"]).settlement.label == "take erik"  # type: ignore[union-attr]


def test_undo_and_redo_restore_the_project_exactly(ten: Database) -> None:
    before = state(ten)
    for entry in review(ten, ["anna", "erik"]).items[:2]:
        settle(ten, entry, "take", take="erik", reviewer="lisa")
    adopt_agreed(ten, ["anna", "erik"], reviewer="lisa")
    after = state(ten)
    assert undo(ten, CONSENSUS).description == "adopt 1 agreed units into consensus"  # type: ignore[union-attr]
    undo(ten, CONSENSUS)
    undo(ten, CONSENSUS)
    assert state(ten) == before
    assert review(ten, ["anna", "erik"]).settled == 0
    for _ in range(3):
        assert redo(ten, CONSENSUS) is not None
    assert state(ten) == after
    # The coders' own undo is untouched by the consensus coder's steps.
    assert undo(ten, "anna") is not None and undo(ten, CONSENSUS) is not None


def test_a_settled_unit_stays_settled_for_a_new_session(ten: Database) -> None:
    entries = review(ten, ["anna", "erik"]).items
    settle(ten, entries[0], "neither", reviewer="lisa")
    settle(ten, entries[2], "take", take="erik", reviewer="lisa")
    location = ten.location
    again = open_project(location)
    try:
        listed = review(again, ["anna", "erik"])
        assert [i.ref.number for i in listed.items if not i.settled] == [3, 9]
        assert (listed.settled, listed.remaining) == (2, 2)
    finally:
        again.close()


def test_sentences_as_units(ten: Database) -> None:
    listed = review(ten, ["anna", "erik"], unit="sentence")
    first = listed.items[0]
    assert first.ref.unit == "sentence" and first.turn == 1
    settled = settle(ten, first, "take", take="erik", reviewer="lisa")
    assert [c.span for c in settled.consensus] == [first.span]  # erik's turn coding, clipped to the sentence
    assert reload(ten, listed).settled == 1


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            lambda db: review(db, ["anna", CONSENSUS]),
            "'consensus' holds the settled codings and cannot be one of the coders",
        ),
        (lambda db: review(db, ["anna"]), r"reviewing needs two or more coders with codings \(have: anna\)"),
        (lambda db: review(db, ["anna", "olle"]), "unknown coder 'olle'"),
        (lambda db: review(db, ["anna", "erik"], code="okänd"), "okänd"),
        (
            lambda db: settle(db, item(db, 1, coders=["anna", "erik"]), "take", take="olle", reviewer="x"),
            r"'olle' is not one of the coders reviewed \(anna, erik\)",
        ),
        (
            lambda db: settle(db, item(db, 1, coders=["anna", "erik"]), "maybe", reviewer="x"),
            "unknown decision 'maybe'",
        ),
        (lambda db: settle(db, item(db, 1, coders=["anna", "erik"]), "span", reviewer="x"), "say which span"),
    ],
)
def test_mistakes_are_one_clear_line_and_change_nothing(ten: Database, call, message: str) -> None:  # type: ignore[no-untyped-def]
    before = dump(Path(ten.location))
    with pytest.raises(MdaError, match=message):
        call(ten)
    assert dump(Path(ten.location)) == before


def test_take_refuses_a_coder_who_did_not_code_the_document(ten: Database, tmp_path: Path) -> None:
    second = tmp_path / "FG11.txt"
    second.write_text("R1: Ett.\nR2: Två.\n", encoding="utf-8")
    importing.import_files(ten, [second], group="FG11")
    for coder in ("anna", "erik"):
        apply_code(ten, coder=coder, code="tilltro", document="FG11", target=Target(turn=1))
    apply_code(ten, coder="anna", code="jobbfokus", document="FG11", target=Target(turn=2))
    apply_code(ten, coder="lisa", code="jobbfokus", document="FG10", target=Target(turn=1))
    entry = next(i for i in review(ten, ["anna", "erik", "lisa"]).items if i.ref.document == "FG11")
    assert [(c.coder, c.value) for c in entry.coders] == [("anna", 1), ("erik", 0), ("lisa", None)]
    before = dump(Path(ten.location))
    with pytest.raises(MdaError, match="lisa did not code 'FG11' at all: take another coder, or settle with neither"):
        settle(ten, entry, "take", take="lisa", reviewer="x")
    assert dump(Path(ten.location)) == before


def test_a_consensus_coding_running_past_the_unit_is_not_silently_cut(ten: Database) -> None:
    t1, t2 = (t.span for t in turns(ten, "FG10")[:2])
    apply_code(ten, coder=CONSENSUS, code="jobbfokus", document="FG10", target=Target(span=(t1.start, t2.end)))
    before = dump(Path(ten.location))
    with pytest.raises(
        MdaError, match=f"consensus has a coding of 'jobbfokus' at {t1.start}-{t2.end} of 'FG10' that runs past turn 1"
    ):
        settle(ten, item(ten, 1, coders=["anna", "erik"]), "neither", reviewer="x")
    assert dump(Path(ten.location)) == before
