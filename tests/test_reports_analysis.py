"""Reports on hand-computed projects: every co-occurrence unit and measure, frequencies, matrices, sequences."""

from __future__ import annotations

import math
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from mda_coder.analysis import cooccurrence as co
from mda_coder.analysis.units import Spans, passages
from mda_coder.core.errors import MdaError, NotFoundError
from mda_coder.export.report_tables import Cell, Marked, ReportTable, Undefined
from mda_coder.services import reports
from mda_coder.services.coding import Target, apply_code
from mda_coder.services.reports import Scope

# _coding_rows is tested on purpose: the packed and the plain rows of one scope must agree.
from mda_coder.services.reports._data import _coding_rows
from mda_coder.store.engine import Database
from tests.support.report_project import build

J, T, V, U = "jobbfokus", "tilltro", "tilltro/tvivel", "tilltro/uttryckt"


@pytest.fixture
def db(tmp_path: Path, mini_codebook: Path, transcript: Path) -> Iterator[Database]:
    database = build(tmp_path / "studie.mda", mini_codebook, transcript)
    yield database
    database.close()


def value(cell: Cell) -> object:
    return cell.value if isinstance(cell, Marked) else cell


def grid(table: ReportTable) -> dict[tuple[str, str], object]:
    """A code × something table as {(row, column): cell}."""
    return {(str(row[0]), col): value(cell) for row in table.rows for col, cell in zip(table.columns[1:], row[1:])}


def records(table: ReportTable) -> list[dict[str, object]]:
    return [dict(zip(table.columns, row)) for row in table.rows]


# --- the measures, and the known answer from the ATLAS.ti manual ----------------------------------


def test_c_coefficient_known_answer_and_the_five_times_marker() -> None:
    # ATLAS.ti 22 Windows manual, "Code Co-occurrence Coefficient": 100 quotations coded A, 10 coded B,
    # 5 co-occurrences give c = 5/(100 + 10 − 5) = 0.048, "although code B appears in 50% of all its
    # applications with code A"; a pair where one code is used more than 5 times as often is marked.
    present = np.zeros((200, 2), dtype=bool)
    present[:100, 0] = True
    present[95:105, 1] = True
    pair = co.unit_counts(present).pair(0, 1)
    assert (pair.n_a, pair.n_b, pair.n_ab) == (100, 10, 5)
    assert round(pair.jaccard.value or 0, 3) == 0.048
    assert pair.a_given_b.value == 0.5
    assert pair.skewed
    assert not co.pair(0, 1, 50, 10, 5, 200).skewed  # exactly 5 times is not "more than 5 times"


def test_measures_from_counts_and_undefined_reasons() -> None:
    p = co.pair(0, 1, 3, 3, 2, 5)
    assert p.jaccard.value == 0.5 and p.dice.value == pytest.approx(2 / 3)
    assert p.b_given_a.value == pytest.approx(2 / 3) and p.lift.value == pytest.approx(10 / 9)
    assert p.phi.value == pytest.approx((2 * 5 - 3 * 3) / math.sqrt(3 * 3 * 2 * 2))
    # Dice and Jaccard are tied by D = 2J / (1 + J) (Jaccard 1901; Dice 1945).
    assert p.dice.value == pytest.approx(2 * 0.5 / 1.5)
    nothing = co.pair(0, 1, 0, 0, 0, 5)
    assert nothing.jaccard == co.Value(None, co.NEITHER) and nothing.dice.undefined == co.NEITHER
    assert nothing.b_given_a.undefined == co.ROW_ABSENT and nothing.lift.undefined == co.ABSENT
    everywhere = co.pair(0, 1, 5, 2, 2, 5)
    assert everywhere.phi == co.Value(None, co.CONSTANT) and everywhere.lift.value == 1.0
    assert co.pair(0, 1, 2, 2, 1, None).phi.undefined == co.NO_UNITS


def test_windows_reach_k_turns_ahead_and_stop_at_the_document_end() -> None:
    present = np.array([[1, 0], [0, 0], [0, 1], [1, 0], [0, 1]], dtype=bool)
    doc = np.array([0, 0, 0, 1, 1])
    assert co.windows(present, doc, 1).astype(int).tolist() == [[1, 0], [0, 1], [0, 1], [1, 1], [0, 1]]
    assert co.windows(present, doc, 2).astype(int).tolist() == [[1, 1], [0, 1], [0, 1], [1, 1], [0, 1]]


@pytest.mark.parametrize(
    ("codes", "starts", "ends", "expected"),
    [
        # one long A overlapping three short B: one co-occurrence, not three
        ([0, 1, 1, 1], [0, 10, 30, 50], [100, 20, 40, 60], 1),
        # A, B, A chained by overlaps: one stretch
        ([0, 1, 0], [0, 5, 12], [10, 15, 20], 1),
        # two separate places
        ([0, 1, 0, 1], [0, 5, 50, 55], [10, 15, 60, 65], 2),
        # touching is not overlapping: [0, 10) and [10, 20) share no character
        ([0, 1], [0, 10], [10, 20], 0),
        # A coded twice over the same stretch by one coder (merged first) against one B
        ([0, 0, 1], [0, 2, 4], [8, 9, 6], 1),
    ],
)
def test_overlap_counts_stretches_of_text_not_pairs_of_codings(
    codes: list[int], starts: list[int], ends: list[int], expected: int
) -> None:
    found = passages(np.array(codes), Spans.of([0] * len(codes), starts, ends))
    result = co.overlap_counts(found, 2)
    assert result.joint[0, 1] == result.joint[1, 0] == expected
    assert result.joint[0, 1] <= min(result.counts)


def test_overlap_in_different_documents_is_no_overlap() -> None:
    found = passages(np.array([0, 1]), Spans.of([0, 1], [0, 0], [10, 10]))
    assert co.overlap_counts(found, 2).joint[0, 1] == 0


# --- co-occurrence on the hand-coded focus group (tests/support/report_project.py) -----------------

ORDER = (J, T, V, U)


@pytest.mark.parametrize(
    ("unit", "within", "n_units", "expected"),
    [
        # turns: T on 1,2,3; J on 2,3,5; V on 3; U on 5
        ("turn", None, 5, [[3, 2, 1, 1], [2, 3, 1, 0], [1, 1, 1, 0], [1, 0, 0, 1]]),
        # sentences: T on 1,2,3,4,6; J on 4,5,6,7,9; V on 5; U on 9
        ("sentence", None, 9, [[5, 2, 1, 1], [2, 5, 0, 0], [1, 0, 1, 0], [1, 0, 0, 1]]),
        # passages: T 29-66, 71-122, 131-162 (75-90 merged into 71-122); J 99-122, 127-174, 200-210, 215-225;
        # U 197-230 overlaps both short J codings: one co-occurrence; V 127-130 touches no T
        ("overlap", None, None, [[4, 2, 1, 1], [2, 3, 0, 0], [1, 0, 1, 0], [1, 0, 0, 1]]),
        ("document", None, 1, [[1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1], [1, 1, 1, 1]]),
        # windows of a turn and the next: {1,2} T J, {2,3} T J V, {3,4} T J V, {4,5} J U, {5} J U
        ("turn", 1, 5, [[5, 3, 2, 2], [3, 3, 2, 0], [2, 2, 2, 0], [2, 0, 0, 2]]),
        # windows of three: {1,2,3} T J V, {2,3,4} T J V, {3,4,5} T J V U, {4,5} J U, {5} J U
        ("turn", 2, 5, [[5, 3, 3, 3], [3, 3, 3, 1], [3, 3, 3, 1], [3, 1, 1, 3]]),
    ],
)
def test_cooccurrence_counts_per_unit(
    db: Database, unit: reports.Unit, within: int | None, n_units: int | None, expected: list[list[int]]
) -> None:
    table = reports.cooccurrence(db, Scope(), unit, within, "count")
    assert table.columns == ("code", *ORDER)
    cells = grid(table)
    assert [[cells[a, b] for b in ORDER] for a in ORDER] == expected
    assert f"units: {n_units if n_units is not None else 'passages of overlapping codings'}" in table.facts
    assert "4 codes not used here are left out" in table.facts


def test_every_measure_side_by_side_on_turns(db: Database) -> None:
    rows = {(r["code_a"], r["code_b"]): r for r in records(reports.cooccurrence(db, Scope(), "turn"))}
    assert list(rows) == [(J, T), (J, V), (J, U), (T, V)]  # most frequent first; pairs never together left out
    jt = rows[J, T]
    assert (jt["n_a"], jt["n_b"], jt["n_ab"]) == (3, 3, 2)
    assert jt["jaccard"] == 0.5 and jt["dice"] == pytest.approx(2 / 3)
    assert jt["p_b_given_a"] == pytest.approx(2 / 3) and jt["lift"] == pytest.approx(10 / 9)
    assert jt["phi"] == pytest.approx(1 / 6)  # (2·5 − 3·3) / √(3·3·2·2)
    jv = rows[J, V]
    assert (jv["jaccard"], jv["dice"], jv["p_b_given_a"], jv["p_a_given_b"]) == pytest.approx((1 / 3, 0.5, 1 / 3, 1.0))
    assert jv["lift"] == pytest.approx(5 / 3) and jv["phi"] == pytest.approx(2 / math.sqrt(24))
    assert jv["skewed"] is False


def test_measures_on_sentences_overlaps_and_documents(db: Database) -> None:
    jt = records(reports.cooccurrence(db, Scope(), "sentence"))[0]
    assert (jt["code_a"], jt["code_b"], jt["n_a"], jt["n_b"], jt["n_ab"]) == (J, T, 5, 5, 2)
    assert (jt["jaccard"], jt["dice"], jt["lift"]) == pytest.approx((0.25, 0.4, 0.72))  # 2/8, 4/10, 2·9/25
    assert jt["phi"] == pytest.approx(-0.35)  # (2·9 − 25) / √(5·5·4·4)
    overlap = records(reports.cooccurrence(db, Scope(), "overlap"))[0]
    assert overlap["jaccard"] == pytest.approx(2 / 5)  # 2 / (4 + 3 − 2)
    assert overlap["lift"] == Undefined(co.NO_UNITS) and overlap["phi"] == Undefined(co.NO_UNITS)
    document = records(reports.cooccurrence(db, Scope(), "document"))[0]
    assert document["lift"] == 1.0 and document["phi"] == Undefined(co.CONSTANT)


def test_conditional_table_reads_row_then_column(db: Database) -> None:
    cells = grid(reports.cooccurrence(db, Scope(), "turn", measure="conditional"))
    assert cells[J, T] == pytest.approx(2 / 3)  # of J's three turns, two have T
    assert cells[V, J] == 1.0 and cells[J, V] == pytest.approx(1 / 3)
    assert cells[J, J] is None  # the diagonal of a measure says nothing


def test_skewed_pairs_are_marked_in_the_table(db: Database) -> None:
    assert not any(
        isinstance(c, Marked) for r in reports.cooccurrence(db, Scope(), "sentence", measure="jaccard").rows for c in r
    )
    for sentence in (1, 2, 3):
        apply_code(db, coder="anna", code=J, document="FG9", target=Target(sentence=sentence))
    # jobbfokus now on sentences 1-7 and 9 (8), tvivel on sentence 5 only: 8 > 5 × 1
    table = reports.cooccurrence(db, Scope(), "sentence", measure="jaccard")
    cells = {(r[0], col): c for r in table.rows for col, c in zip(table.columns[1:], r[1:])}
    assert cells[J, V] == Marked(1 / 8, "*") and cells[V, J] == Marked(1 / 8, "*")
    assert not isinstance(cells[J, T], Marked)
    assert table.notes and table.notes[0].startswith("* one code of the pair is more than 5×")


def test_subcodes_can_count_as_their_parent(db: Database) -> None:
    cells = grid(reports.cooccurrence(db, Scope(), "turn", measure="count", include_subcodes=True))
    assert cells[T, T] == 4 and cells[J, T] == 3  # tilltro's family is on turns 1, 2, 3, 5


def test_filters_coders_speakers_and_codes(db: Database) -> None:
    erik = grid(reports.cooccurrence(db, Scope(coders=("erik",)), "turn", measure="count"))
    assert erik == {(T, T): 1, (T, V): 0, (V, T): 0, (V, V): 1}
    # without the moderator: turns 2, 3, 5 remain; erik's coding of turn 1 is gone
    cells = grid(reports.cooccurrence(db, Scope(no_moderator=True), "turn", measure="count"))
    assert (cells[T, T], cells[J, J], cells[J, T]) == (2, 3, 2)
    only = reports.cooccurrence(db, Scope(codes=("tilltro",)), "turn", measure="count")
    assert only.columns == ("code", T, V, U)


# --- frequencies ------------------------------------------------------------------------------------

FREQUENCIES = {
    # code: own (codings, turns, documents, speakers, words, characters), then with sub-codes
    J: (4, 3, 1, 2, 19, 90, 4, 3, 1, 2, 19, 90),
    # tilltro: anna's 71-122 and 75-90 overlap: two codings, one turn, 51 characters once
    T: (4, 3, 1, 3, 22, 119, 6, 4, 1, 3, 30, 155),
    V: (1, 1, 1, 1, 1, 3, 1, 1, 1, 1, 1, 3),
    U: (1, 1, 1, 1, 7, 33, 1, 1, 1, 1, 7, 33),
    "hållning": (0,) * 12,
}


def test_frequencies_by_hand(db: Database) -> None:
    table = reports.frequencies(db, Scope())
    assert table.columns[:7] == ("code", "codings", "turns", "documents", "speakers", "words", "characters")
    rows = {r[0]: r[1:] for r in table.rows}
    for code, expected in FREQUENCIES.items():
        assert rows[code] == expected, code


def test_frequencies_on_sentences_per_coder_and_for_one_speaker(db: Database) -> None:
    rows = {r[0]: r[1:] for r in reports.frequencies(db, Scope(), "sentence").rows}
    assert (rows[J][1], rows[T][1]) == (5, 5)
    per = {(r[0], r[1]): r[2:] for r in reports.frequencies(db, Scope(), per_coder=True).rows}
    assert per[T, "anna"] == (3, 2, 1, 2, 16, 82, 4, 3, 1, 2, 23, 115)
    assert per[T, "erik"] == (1, 1, 1, 1, 6, 37, 2, 2, 1, 2, 7, 40)
    assert (J, "erik") not in per
    # R1 speaks turns 2 and 5: codings are cut to them
    r1 = {r[0]: r[1:] for r in reports.frequencies(db, Scope(speakers=("R1",))).rows}
    assert r1[J] == (3, 2, 1, 1, 10, 43, 3, 2, 1, 1, 10, 43)
    assert r1[T] == (2, 1, 1, 1, 10, 51, 3, 2, 1, 1, 17, 84)


# --- matrices and sequences -------------------------------------------------------------------------


def test_code_by_speaker_counts_and_shares(db: Database) -> None:
    counts = reports.matrix(db, Scope(), "speaker")
    assert counts.columns == ("code", "I", "R1", "R2", "total")
    cells = grid(counts)
    assert [cells[J, c] for c in ("I", "R1", "R2", "total")] == [0, 2, 1, 3]
    assert [cells[T, c] for c in ("I", "R1", "R2", "total")] == [1, 1, 1, 3]
    assert counts.rows[-1] == ("(turns)", 2, 2, 1, 5)
    shares = grid(reports.matrix(db, Scope(), "speaker", "unit-share"))
    assert (shares[J, "R1"], shares[T, "I"], shares[J, "total"]) == (1.0, 0.5, 0.6)
    rows = grid(reports.matrix(db, Scope(), "speaker", "row-share"))
    assert rows[J, "R1"] == pytest.approx(2 / 3) and rows[J, "total"] == 1.0


def test_code_by_role_without_the_moderator(db: Database) -> None:
    with_moderator = grid(reports.matrix(db, Scope(), "speaker-role"))
    assert with_moderator[T, "moderator"] == 1 and with_moderator[T, "(no role)"] == 2
    table = reports.matrix(db, Scope(no_moderator=True), "speaker-role")
    assert table.columns == ("code", "(no role)", "total")
    assert [r[:2] for r in table.rows] == [(J, 3), (T, 2), (V, 1), (U, 1), ("(turns)", 3)]


def test_matrix_by_document_group_attribute_and_transposed(db: Database) -> None:
    assert grid(reports.matrix(db, Scope(), "document"))[J, "FG9"] == 3
    assert grid(reports.matrix(db, Scope(), "group"))[J, "(no group)"] == 3
    assert grid(reports.matrix(db, Scope(), "attr:kommun"))[J, "(kommun not set)"] == 3
    flipped = reports.matrix(db, Scope(), "speaker", transpose=True)
    assert flipped.columns[:3] == ("column", J, T) and flipped.rows[1][:2] == ("R1", 2)


def test_sequences_by_hand(db: Database) -> None:
    # turns 1 {T} → 2 {T, J} → 3 {T, J, V} → 4 {} → 5 {J, U}; every step changes speaker
    table = reports.sequences(db, Scope())
    got = {(r[0], r[1]): r[2:] for r in table.rows}
    assert got == {
        (T, J): (2, 2, 0, 3, pytest.approx(2 / 3)),
        (T, T): (2, 2, 0, 3, pytest.approx(2 / 3)),
        (J, J): (1, 1, 0, 2, 0.5),
        (J, T): (1, 1, 0, 2, 0.5),
        (J, V): (1, 1, 0, 2, 0.5),
        (T, V): (1, 1, 0, 3, pytest.approx(1 / 3)),
    }
    # without the moderator, turn 3 is followed by turn 5
    skipped = {(r[0], r[1]): r[2] for r in reports.sequences(db, Scope(no_moderator=True)).rows}
    assert skipped[V, U] == 1 and skipped[J, J] == 2


def test_codings_read_packed_or_plain_are_the_same(db: Database) -> None:
    with db.transaction() as s:
        packed, plain = _coding_rows(s, [], pack=True), _coding_rows(s, [], pack=False)
    assert len(plain) == 10
    assert sorted(map(tuple, packed.tolist())) == sorted(map(tuple, plain.tolist()))
    assert (75, 90) in {(r[3], r[4]) for r in plain.tolist()}


@pytest.mark.parametrize(
    ("scope", "message"),
    [
        (Scope(coders=("nobody",)), "unknown coder 'nobody' (coders: anna, erik)"),
        (Scope(speakers=("R9",)), "unknown speaker 'R9' (speakers: I, R1, R2)"),
        (Scope(roles=("chef",)), "unknown role 'chef' (roles: moderator)"),
        (Scope(groups=("FG1",)), "unknown group 'FG1' (groups: none yet)"),
        (Scope(documents=("FG1",)), "no document called 'FG1' (documents: FG9)"),
        (Scope(codes=("okänd",)), "okänd"),
    ],
)
def test_unknown_names_are_one_clear_error(db: Database, scope: Scope, message: str) -> None:
    with pytest.raises((MdaError, NotFoundError), match=message.replace("(", r"\(").replace(")", r"\)")):
        reports.cooccurrence(db, scope)


def _stretches_by_hand(codes: list[int], starts: list[int], ends: list[int], a: int, b: int) -> int:
    """Stretches of text where A's and B's codings overlap, by brute force: merge all of A's and
    B's codings into connected runs (overlap = a shared character) and count runs holding both."""
    spans = sorted((s, e, c) for c, s, e in zip(codes, starts, ends) if c in (a, b))
    runs: list[tuple[int, set[int]]] = []  # (end, codes) of each run so far
    for s, e, c in spans:
        if runs and s < runs[-1][0]:  # with two codes only, a run holding both has an A-B overlap
            end, members = runs[-1]
            runs[-1] = (max(end, e), members | {c})
        else:
            runs.append((e, {c}))
    return sum(1 for _, members in runs if members == {a, b})


@pytest.mark.parametrize("block", [1, 3, 1 << 21])
def test_overlap_counts_agree_with_brute_force_in_any_block_size(block: int) -> None:
    rng = np.random.default_rng(7)
    for _ in range(30):
        n = int(rng.integers(2, 25))
        codes = rng.integers(0, 2, n).tolist()
        starts = rng.integers(0, 100, n).tolist()
        ends = [s + int(rng.integers(1, 15)) for s in starts]
        result = co.overlap_counts(passages(np.array(codes), Spans.of([0] * n, starts, ends)), 2, block)
        assert result.joint[0, 1] == _stretches_by_hand(codes, starts, ends, 0, 1)
