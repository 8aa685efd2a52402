"""Assisted coding through the services: proposals never code, review is journalled and undoable, figures are honest.

The project is built for the tests: three focus groups of invented caseworker talk in which anna
codes ``tilltro`` exactly on the turns that say ``förtroende`` (in the first two groups; the third
she has not touched). A model of that rule has a known answer: every held-out figure is 1.0.
"""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from mda_coder.core.errors import MdaError
from mda_coder.core.spans import Span
from mda_coder.services import history, importing
from mda_coder.services import suggest as suggesting
from mda_coder.services.coding import Target, apply_code, list_codings
from mda_coder.services.search import find_in_document
from mda_coder.store.engine import Database
from tests.support.snapshot import dump

WORD = "förtroende"
SUBJECTS = ("Handläggaren", "Jobbcoachen", "Chefen", "Kommunen", "Tolken", "Deltagaren", "Kollegan", "Socialtjänsten")
VERBS = ("ringer", "skriver till", "träffar", "väntar på", "pratar med", "planerar med", "följer upp", "hjälper")
OBJECTS = (
    "arbetsgivaren",
    "vårdcentralen",
    "praktikplatsen",
    "familjen",
    "skolan",
    "a-kassan",
    "hyresvärden",
    "banken",
)
WHEN = ("på tisdag", "varje vecka", "i slutet av månaden", "efter lunch", "i morgon", "ibland", "varannan dag", "nu")


def _group(name: str, seed: int, turns: int) -> tuple[str, list[int]]:
    """A transcript and the numbers of its turns that say ``förtroende``."""
    rng = random.Random(seed)
    lines, trusting = [f"Fokusgrupp {name}", ""], []

    def sentence() -> str:
        return f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(WHEN)}."

    for n in range(1, turns + 1):
        said = [sentence() for _ in range(2)]
        if n % 3 == 0:
            said.insert(rng.randrange(3), f"Allt hänger på {WORD}.")
            trusting.append(n)
        lines.append(f"{'I' if n % 2 else 'R1'}: {' '.join(said)}")
    return "\n".join(lines) + "\n", trusting


@pytest.fixture
def studied(project: Database, tmp_path: Path) -> tuple[Database, dict[str, list[int]]]:
    """Three groups of 24 turns; anna codes tilltro on every ``förtroende`` turn of A and B (and jobbfokus once)."""
    trusting = {}
    paths = []
    for i, name in enumerate(("A", "B", "C")):
        text, turns = _group(name, i, 24)
        path = tmp_path / f"FG{name}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
        trusting[f"FG{name}"] = turns
    importing.import_files(project, paths)
    for document in ("FGA", "FGB"):
        for turn in trusting[document]:
            apply_code(project, coder="anna", code="tilltro", document=document, target=Target(turn=turn))
    apply_code(project, coder="anna", code="jobbfokus", document="FGA", target=Target(turn=1))
    return project, trusting


def _path(db: Database) -> Path:
    return Path(db.location)


def test_suggest_stores_proposals_and_never_codes(studied: tuple[Database, dict[str, list[int]]]) -> None:
    db, trusting = studied
    before = list_codings(db)
    done = suggesting.suggest(db, coder="anna", code="tilltro", unit="turn", limit=8)
    assert list_codings(db) == before  # the codings table is unchanged
    assert done.model.positives == 16 and done.model.negatives == 32 and done.model.codings == 16
    top = done.proposals[:8]
    # the untouched group's förtroende turns come first, each explained by the word itself
    assert {(p.document, p.turn) for p in top} == {("FGC", t) for t in trusting["FGC"]}
    assert all(p.score > 0.5 and p.status == "open" and p.source == "model" for p in top)
    assert all(any(w.word == WORD for w in p.words) for p in top)
    assert all(WORD in p.text for p in top)
    assert "trained on 16 codings by anna" in top[0].provenance
    listed = suggesting.proposals(db, coder="anna", code="tilltro")
    assert [p.id for p in listed] == [
        p.id for p in sorted(done.proposals, key=lambda p: (-p.score, p.document, p.span.start))
    ]


def test_the_same_project_gives_the_same_proposals(studied: tuple[Database, dict[str, list[int]]]) -> None:
    db, _ = studied
    first = suggesting.suggest(db, coder="anna", code="tilltro", limit=20)
    again = suggesting.suggest(db, coder="anna", code="tilltro", limit=20)
    assert again.replaced == len(first.proposals)  # the open proposals were replaced, not added to
    shape = [[(p.document, p.span, p.score, p.words) for p in run.proposals] for run in (first, again)]
    assert shape[0] == shape[1]
    assert len(suggesting.proposals(db, coder="anna", code="tilltro")) == len(first.proposals)


def test_accept_codes_with_provenance_undo_reopens_redo_codes_again(
    studied: tuple[Database, dict[str, list[int]]],
) -> None:
    db, _ = studied
    first = suggesting.suggest(db, coder="anna", code="tilltro", limit=3).proposals[0]
    [accepted] = suggesting.decide(db, [first.id], "accepted", coder="anna")
    assert accepted.status == "accepted" and accepted.decided_by == "anna"
    made = [c for c in list_codings(db, coder="anna", code="tilltro") if c.span == first.span]
    assert len(made) == 1 and made[0].id == accepted.coding_id and made[0].document == first.document
    assert made[0].suggested is not None
    assert made[0].suggested.startswith("suggested by a logistic regression trained on 16 codings by anna")
    assert made[0].suggested.endswith("accepted by anna")
    step = history.undo(db, "anna")
    assert (
        step is not None and step.description == f"accept the proposal of tilltro on {first.document} turn {first.turn}"
    )
    assert not [c for c in list_codings(db, coder="anna", code="tilltro") if c.span == first.span]
    assert [p.status for p in suggesting.proposals(db, coder="anna", status=None) if p.id == first.id] == ["open"]
    assert history.redo(db, "anna") is not None
    [again] = [c for c in list_codings(db, coder="anna", code="tilltro") if c.span == first.span]
    assert again.suggested == made[0].suggested
    assert [p.status for p in suggesting.proposals(db, coder="anna", status="accepted")] == ["accepted"]


def test_rejected_spans_are_never_proposed_again_and_count_as_negatives(
    studied: tuple[Database, dict[str, list[int]]],
) -> None:
    db, _ = studied
    done = suggesting.suggest(db, coder="anna", code="tilltro", limit=2)
    rejected = done.proposals[0]
    suggesting.decide(db, [rejected.id], "rejected", coder="anna")
    suggesting.decide(db, [done.proposals[1].id], "skipped", coder="anna")
    later = suggesting.suggest(db, coder="anna", code="tilltro", limit=100)
    assert rejected.span not in {p.span for p in later.proposals if p.document == rejected.document}
    assert later.model.negatives == done.model.negatives + 1 and later.model.rejected == 1
    again = suggesting.suggest(db, coder="anna", code="tilltro", from_search=WORD)
    assert (rejected.document, rejected.span) not in {(p.document, p.span) for p in again.proposals}
    with pytest.raises(MdaError, match=f"proposal {rejected.id} was rejected already"):
        suggesting.decide(db, [rejected.id], "accepted", coder="anna")


def test_too_few_codings_are_refused_saying_how_many(studied: tuple[Database, dict[str, list[int]]]) -> None:
    db, _ = studied
    before = dump(_path(db))
    with pytest.raises(MdaError) as caught:
        suggesting.suggest(db, coder="anna", code="jobbfokus")
    said = str(caught.value)
    assert "\n" not in said
    assert "anna has coded 1 turns with it" in said and "at least 5 coded and 5 uncoded" in said
    assert dump(_path(db)) == before


def test_evaluate_a_code_that_is_one_word_scores_one(studied: tuple[Database, dict[str, list[int]]]) -> None:
    db, _ = studied
    result = suggesting.evaluate(db, coder="anna", unit="turn")
    figures = {f.code: f for f in result.codes}
    trust = figures["tilltro"]
    assert (trust.positives, trust.negatives, trust.folds) == (16, 32, 5)
    assert (trust.precision, trust.recall, trust.alpha) == (1.0, 1.0, 1.0)
    assert (trust.true_positives, trust.false_positives, trust.false_negatives) == (16, 0, 0)
    few = figures["jobbfokus"]
    assert (few.precision, few.recall, few.alpha) == (None, None, None)
    assert few.undefined is not None and "too few codings: 1 coded" in few.undefined
    assert suggesting.evaluate(db, coder="anna", code="tilltro").codes[0] == trust  # seeded: the same again


def test_proposals_from_a_search_and_from_the_definition(
    studied: tuple[Database, dict[str, list[int]]],
) -> None:
    db, trusting = studied
    found = suggesting.suggest(db, coder="anna", code="tilltro", from_search=WORD)
    assert {(p.document, p.turn) for p in found.proposals} == {("FGC", t) for t in trusting["FGC"]}
    assert all(p.source == "search" and p.reason == f"the search '{WORD}' found it (exact)" for p in found.proposals)
    with pytest.raises(MdaError, match="has no examples"):
        suggesting.suggest(db, coder="anna", code="jobbfokus", from_definition=True)
    hits = find_in_document(db, "FGC", "banken")
    queued = suggesting.queue(
        db,
        coder="anna",
        code="jobbfokus",
        spans=[("FGC", h.span) for h in hits] * 2,
        source="search",
        reason="banken",
    )
    assert len(queued) == len(hits) > 0 and all(p.unit == "span" and p.text == "banken" for p in queued)
    assert list_codings(db, coder="anna", code="jobbfokus")[0].document == "FGA"  # still only the one coding


def test_a_proposal_of_another_coders_queue_is_refused(studied: tuple[Database, dict[str, list[int]]]) -> None:
    db, _ = studied
    done = suggesting.suggest(db, coder="anna", code="tilltro", limit=1)
    apply_code(db, coder="erik", code="tilltro", document="FGA", target=Target(turn=1))
    with pytest.raises(MdaError, match="another coder's queue"):
        suggesting.decide(db, [done.proposals[0].id, 99999], "accepted", coder="erik")
    assert suggesting.proposals(db, coder="anna")[0].status == "open"


def test_sentences_are_units_too(studied: tuple[Database, dict[str, list[int]]]) -> None:
    db, _ = studied
    done = suggesting.suggest(db, coder="anna", code="tilltro", unit="sentence", limit=4)
    assert all(p.unit == "sentence" and WORD in p.text for p in done.proposals)
    assert all(p.span.end - p.span.start < 60 for p in done.proposals)
    assert isinstance(done.proposals[0].span, Span)


def test_every_hit_of_a_search_is_queued_at_its_sentence_once(studied: tuple[Database, dict[str, list[int]]]) -> None:
    """What ``*`` on the search screen does: the hits of the search as it is filtered, each at its sentence."""
    from mda_coder.services.corpus_search import SearchRequest

    db, trusting = studied
    before = list_codings(db)
    request = SearchRequest(WORD, documents=("FGC",), limit=1)  # the screen's limit does not limit the queue
    done = suggesting.queue_hits(db, coder="anna", code="tilltro", request=request)
    assert (done.hits, done.units, done.queued) == (len(trusting["FGC"]),) * 3
    queued = suggesting.proposals(db, coder="anna", code="tilltro", source="search")
    assert {(p.document, p.turn) for p in queued} == {("FGC", t) for t in trusting["FGC"]}
    assert all(p.unit == "sentence" and p.text == f"Allt hänger på {WORD}." for p in queued)
    again = suggesting.queue_hits(db, coder="anna", code="tilltro", request=request)
    assert (again.hits, again.queued) == (len(trusting["FGC"]), 0)  # already waiting: not queued twice
    assert list_codings(db) == before  # queueing codes nothing
    coded = suggesting.queue_hits(db, coder="anna", code="tilltro", request=SearchRequest(WORD, documents=("FGA",)))
    assert (coded.hits, coded.queued) == (len(trusting["FGA"]), 0)  # each hit lies in a turn anna coded tilltro


def test_transcription_marks_are_not_words_to_learn_from() -> None:
    """``[skratt]`` and ``(paus)`` are the transcriber's: laughter after a few coded turns is no sign of the code."""
    from mda_coder.analysis.suggest.features import featurize

    texts = ["Ja [skratt] nej.", "Nej (paus) ja.", "Ja, [skratt] det tror jag.", "Nej (paus) tror jag inte."] * 3
    names = featurize(texts).names
    assert not any("skratt" in n or "paus" in n for n in names)
    assert "w:tror" in names
