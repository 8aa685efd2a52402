"""The excerpts behind a report cell: worked out by hand on FG9, and as many as the report's count on the sample."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mda_coder.core.errors import MdaError
from mda_coder.core.spans import Span
from mda_coder.services import reports
from mda_coder.services.project import open_project
from mda_coder.services.reports import Scope
from mda_coder.store.engine import Database
from tests.support.report_project import build
from tests.support.tui import sample_copy

T, J = "tilltro", "jobbfokus"


@pytest.fixture
def db(tmp_path: Path, mini_codebook: Path, transcript: Path) -> Iterator[Database]:
    database = build(tmp_path / "studie.mda", mini_codebook, transcript)
    yield database
    database.close()


def labels(found: reports.Excerpts) -> list[str]:
    return [e.label for e in found.items]


# FG9 by hand (tests/support/report_project.py): T on turns 1, 2, 3; J on turns 2, 3, 5.


def test_turns_sentences_and_windows_with_both_codes(db: Database) -> None:
    assert labels(reports.units_with(db, Scope(), [J, T])) == ["turn 2", "turn 3"]
    # sentences: T on 1, 2, 3, 4, 6; J on 4, 5, 6, 7, 9
    both = reports.units_with(db, Scope(), [J, T], "sentence")
    assert labels(both) == ["turn 2, sentence 4", "turn 3, sentence 6"]
    assert [e.selection for e in both.items] == [Span(99, 122), Span(131, 162)]  # selected in their turns
    # windows of a turn and the next: {1,2} T J, {2,3} T J, {3,4} T J
    assert labels(reports.units_with(db, Scope(), [J, T], "turn", within=1)) == ["turns 1–2", "turns 2–3", "turns 3–4"]
    assert labels(reports.units_with(db, Scope(), [J, T], "document")) == ["document"]


def test_overlapping_codings_are_listed_as_the_stretches_they_share(db: Database) -> None:
    # T passages 29-66, 71-122, 131-162; J 99-122, 127-174, 200-210, 215-225: two shared stretches.
    found = reports.units_with(db, Scope(), [J, T], "overlap")
    assert [e.span for e in found.items] == [Span(71, 122), Span(127, 174)]
    assert [e.turn for e in found.items] == [2, 3]
    # tilltro/uttryckt 197-230 over both short J codings: one co-occurrence, the whole turn 5 (nothing to select)
    one = reports.units_with(db, Scope(), [J, "tilltro/uttryckt"], "overlap").items
    assert [(e.span, e.selection) for e in one] == [(Span(197, 230), None)]


def test_codings_once_each_and_cut_to_the_turns_kept(db: Database) -> None:
    assert labels(reports.codings_of(db, Scope(), T)) == [
        "turn 1, 29–66, erik",
        "turn 2, 71–122, anna",
        "turn 2, 75–90, anna",
        "turn 3, 131–162, anna",
    ]
    with_sub = reports.codings_of(db, Scope(), T, include_subcodes=True)
    assert len(with_sub.items) == 6  # and tvivel's sentence 5, uttryckt's turn 5
    assert labels(reports.codings_of(db, Scope(no_moderator=True), T))[0] == "turn 2, 71–122, anna"


def test_turn_pairs_follow_the_kept_turns(db: Database) -> None:
    # T → J: turns 1 → 2 and 2 → 3, both a change of speaker (I to R1, R1 to R2)
    assert labels(reports.transitions_of(db, Scope(), T, J)) == ["turns 1 → 2", "turns 2 → 3"]
    assert labels(reports.transitions_of(db, Scope(), T, J, speakers="same")) == []
    # without the moderator the turns are 2, 3, 5: turn 3 is followed by turn 5
    assert labels(reports.transitions_of(db, Scope(no_moderator=True), T, J)) == ["turns 2 → 3", "turns 3 → 5"]
    assert labels(reports.transitions_of(db, Scope(), T, None)) == ["turns 1 → 2", "turns 2 → 3", "turns 3 → 4"]


def test_a_code_outside_the_scope_is_a_clear_error(db: Database) -> None:
    with pytest.raises(MdaError, match="code 'tilltro' is not in this report's scope"):
        reports.units_with(db, Scope(codes=(J,)), [T])


def test_as_many_excerpts_as_the_reports_count_on_the_sample(tmp_path: Path) -> None:
    db = open_project(sample_copy(tmp_path))
    try:
        scope = Scope(no_moderator=True)
        freq = {r[0]: r for r in reports.frequencies(db, scope).rows if r[1]}
        code = max(freq, key=lambda c: freq[c][1])
        assert len(reports.codings_of(db, scope, code).items) == freq[code][1]
        assert len(reports.units_with(db, scope, [code]).items) == freq[code][2]
        for unit, within in (("turn", None), ("sentence", None), ("overlap", None), ("turn", 2)):
            pair = reports.cooccurrence(db, scope, unit, within).rows[0]  # type: ignore[arg-type]
            assert len(reports.units_with(db, scope, [pair[0], pair[1]], unit, within).items) == pair[4]  # type: ignore[arg-type]
        matrix = reports.matrix(db, scope, "speaker-role")
        row = matrix.rows[0]
        for j, column in enumerate(matrix.columns[1:-1], 1):
            assert len(reports.units_with(db, scope, [str(row[0])], column=("role", column)).items) == row[j]
        step = reports.sequences(db, scope).rows[0]
        assert len(reports.transitions_of(db, scope, str(step[0]), str(step[1])).items) == step[2]
    finally:
        db.close()
