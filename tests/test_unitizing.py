"""Unitizing α and segment matching: published α examples through uα's one-character case, hand-derived cases, edges."""

from __future__ import annotations

import random
import time
from fractions import Fraction

import numpy as np
import pytest

from mda_coder.analysis.agreement import (
    Unitization,
    krippendorff_alpha,
    segment_kappa,
    segment_matching,
    unitizing_alpha,
)
from mda_coder.analysis.agreement import result as reasons
from mda_coder.analysis.agreement import segments as segment_reasons
from mda_coder.analysis.agreement import unitizing as unitizing_reasons

N = None

# uα is Krippendorff, Mathet, Bouvry & Widlöcher (2016), "On the reliability of unitizing textual
# continua: further developments", Quality & Quantity 50, 2347–2364. No worked example of that
# definition with its numbers could be found to copy here, so its known answers come from two places:
#
# 1. When every unit is one character long, uα is nominal α with the characters as units. Observed
#    coincidences are the same sums (per character, Σ_{i≠j} over ordered coder pairs / (m − 1)), and
#    the self-pairings uα leaves out are l² = 1 per unit and l per gap, so Σ_c S_c = l.. and
#    e_ck = l.. l_c l_k / (l..² − l..) = l_c l_k / (l.. − 1), which is α's expected coincidence
#    n_c n_k / (n.. − 1) (Krippendorff 2011, "Computing Krippendorff's Alpha-Reliability"). So the
#    published α examples, written as one-character segments, are published answers for uα.
# 2. Small continua whose uα is worked out by hand in the comments below.


def one_character_units(table: list[list], per_text: bool = False) -> tuple[list, list, list]:
    """Krippendorff's coders × units table as segments: unit u is character u (or text u), value its code.

    With `per_text`, every unit is a text of one character and a missing value means the coder did not
    cover that text, which is how α's missing values become uα's missing coders.
    """
    values = sorted({v for row in table for v in row if v is not None}, key=str)
    code = {v: i + 1 for i, v in enumerate(values)}
    units = len(table[0])
    segments = []
    covered = [[False] * len(table) for _ in range(units)] if per_text else None
    for coder, row in enumerate(table):
        for unit, value in enumerate(row):
            if value is None:
                continue
            if per_text:
                segments.append((unit, coder, 0, 1, code[value]))
                covered[unit][coder] = True  # type: ignore[index]
            else:
                segments.append((0, coder, unit, unit + 1, code[value]))
    lengths = [1] * units if per_text else [units]
    return lengths, segments, covered if per_text else None  # type: ignore[return-value]


class TestPublishedAlphaAsOneCharacterUnits:
    def test_example_a_binary_two_observers(self) -> None:
        # Krippendorff (2011), example A: α = 0.095. Value 1 is a one-character segment, 0 is gap.
        first = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
        second = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
        segments = [(0, c, i, i + 1) for c, row in enumerate((first, second)) for i, v in enumerate(row) if v]
        data = Unitization.from_segments([10], segments)
        # The second coder's touching one-character segments at 0, 1, 2 stay three units, not one of length 3.
        assert len(data.segments) == 6
        result = unitizing_alpha(data)
        assert round(result.value, 3) == 0.095  # type: ignore[arg-type]
        assert result.value == pytest.approx(krippendorff_alpha([list(u) for u in zip(first, second)]).value)
        assert result.n_values == 20 and result.table is not None and result.table.cell("coded", "coded") == 2

    def test_example_b_nominal_two_observers(self) -> None:
        # Krippendorff (2011), example B: α = 0.692; values a–e, no gaps.
        table = [list("aabbdcccedda"), list("babbbcccdddd")]
        table[1][8] = "e"
        lengths, segments, _ = one_character_units(table)
        data = Unitization.from_segments(lengths, segments, labels=("gap", "a", "b", "c", "d", "e"))
        assert round(unitizing_alpha(data).value, 3) == 0.692  # type: ignore[arg-type]

    def test_example_c_four_observers_with_missing_values(self) -> None:
        # Krippendorff (2011), example C: four observers, twelve units, values 1–5, nominal α = 0.743,
        # n.. = 40; unit 12 has one value and is not pairable. Each unit is a text of one character.
        table = [
            [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
            [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
            [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
            [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
        ]
        lengths, segments, covered = one_character_units(table, per_text=True)
        result = unitizing_alpha(Unitization.from_segments(lengths, segments, covered, labels=("gap", 1, 2, 3, 4, 5)))
        assert round(result.value, 3) == 0.743  # type: ignore[arg-type]
        assert (result.n_units, result.n_pairable, result.n_values) == (12, 11, 40)
        assert result.observed == pytest.approx(8 / 40)  # as for α: 8 off-diagonal coincidences of 40


def two_segments_alpha(length: int, first: tuple[int, int], second: tuple[int, int]) -> Fraction:
    """uα for two coders with one segment each on one text, from the definition in exact arithmetic."""
    both = max(0, min(first[1], second[1]) - max(first[0], second[0]))
    la, lb = first[1] - first[0], second[1] - second[0]
    total, coded = 2 * length, la + lb
    gap = total - coded
    off_observed = 2 * (la - both + lb - both)  # l_01 + l_10: each coder-only character, from both sides
    off_expected = Fraction(total * 2 * gap * coded, total**2 - (la**2 + lb**2 + gap))
    return 1 - off_observed / off_expected


class TestHandDerived:
    def test_shifted_segments(self) -> None:
        # L = 10; A marks [2, 6), B marks [3, 7). Characters 3–5 both (3), 2 only A, 6 only B, 5 neither.
        # l_11 = 2·3 = 6, l_01 = l_10 = 1 + 1 = 2, l_00 = 2·5 = 10; l.. = 20, l_1. = 8, l_0. = 12.
        # Self-pairings: units 4² + 4² = 32, gaps 6 + 6 = 12; l..² − ΣS = 400 − 44 = 356.
        # e_01 + e_10 = 2 · 20 · 12 · 8 / 356 = 3840/356; uα = 1 − 4 · 356/3840 = 151/240 = .6292.
        # (Nominal α on the same characters would be 1 − 4 · 19/(2 · 12 · 8) = .6042: uα does not
        # treat a unit's characters as independent draws.)
        result = unitizing_alpha(Unitization.from_segments([10], [(0, 0, 2, 6), (0, 1, 3, 7)]))
        assert result.value == pytest.approx(151 / 240)
        assert result.observed == pytest.approx(4 / 20)
        assert result.expected == pytest.approx(3840 / 356 / 20)
        assert result.table is not None and result.table.counts == ((10.0, 2.0), (2.0, 6.0))
        assert two_segments_alpha(10, (2, 6), (3, 7)) == Fraction(151, 240)

    def test_three_coders_one_missing_on_the_second_text(self) -> None:
        # Text 0 (L = 10), all three cover it: A and B mark [0, 4), C marks nothing. m = 3, weight 1/2.
        #   characters 0–3: n_1 = 2, n_0 = 1 → per character l_11 += (4 − 2)/2 = 1, l_01 = l_10 += 2/2 = 1;
        #   characters 4–9: n_0 = 3 → l_00 += (9 − 3)/2 = 3. Totals: l_11 4, l_01 4, l_10 4, l_00 18.
        # Text 1 (L = 10), C missing: A [2, 6), B [3, 7), m = 2: l_11 6, l_01 2, l_10 2, l_00 10.
        # Pooled: l_11 = 10, l_01 = l_10 = 6, l_00 = 28; l.. = 50, l_1. = 16, l_0. = 34.
        # Self-pairings: units 4 · 4² = 64, gaps 34; l..² − ΣS = 2500 − 98 = 2402.
        # e_01 + e_10 = 2 · 50 · 16 · 34 / 2402 = 54400/2402; uα = 1 − 12 · 2402/54400 = 3197/6800 = .4701.
        segments = [(0, 0, 0, 4), (0, 1, 0, 4), (1, 0, 2, 6), (1, 1, 3, 7)]
        covered = [[True, True, True], [True, True, False]]
        result = unitizing_alpha(Unitization.from_segments([10, 10], segments, covered))
        assert result.value == pytest.approx(3197 / 6800)
        assert (result.n_units, result.n_pairable, result.n_values) == (2, 2, 50)
        # Had C been counted as coding text 1 all gap, C would disagree with both there.
        assert unitizing_alpha(Unitization.from_segments([10, 10], segments, [[True] * 3] * 2)).value != result.value

    def test_overlapping_segments_of_one_coder_merge(self) -> None:
        # A's [0, 4) and [2, 6) are one unit [0, 6): the same as if A had marked it once.
        merged = Unitization.from_segments([10], [(0, 0, 0, 4), (0, 0, 2, 6), (0, 1, 1, 6)])
        single = Unitization.from_segments([10], [(0, 0, 0, 6), (0, 1, 1, 6)])
        assert merged.segments.tolist() == single.segments.tolist()
        assert unitizing_alpha(merged).value == pytest.approx(float(two_segments_alpha(10, (0, 6), (1, 6))))
        # Touching segments are two units the coder marked apart.
        assert len(Unitization.from_segments([10], [(0, 0, 0, 3), (0, 0, 3, 6)]).segments) == 2

    def test_two_values_in_one_exclusive_group(self) -> None:
        # Values 1 and 2 on L = 4: A = [1 1 2 2], B = [1 2 2 _] (character 3 a gap for B).
        # Ordered-pair coincidences (m = 2): l_11 = 2, l_12 = l_21 = 1, l_22 = 2, l_20 = l_02 = 1.
        # l.. = 8; l_0. = 1, l_1. = 3, l_2. = 4. Self-pairings: S_1 = 2² (A's [0,2)) + 1² (B's [0,1)) = 5,
        # S_2 = 2² (A's [2,4)) + 2² (B's [1,3)) = 8, S_0 = 1 (B's gap); l..² − ΣS = 64 − 14 = 50.
        # Σ_{c≠k} e_ck = 8 · (l_0 l_1 + l_0 l_2 + l_1 l_2) · 2 / 50 = 8 · 19 · 2/50 = 6.08.
        # D_o · l.. = 4; uα = 1 − 4/6.08 = .3421.
        segments = [(0, 0, 0, 2, 1), (0, 0, 2, 4, 2), (0, 1, 0, 1, 1), (0, 1, 1, 3, 2)]
        result = unitizing_alpha(Unitization.from_segments([4], segments, labels=("gap", "positiv", "negativ")))
        assert result.value == pytest.approx(1 - 4 / 6.08)
        assert result.table is not None and result.table.cell("positiv", "negativ") == 1

    def test_no_loop_over_characters(self) -> None:
        # A trillion characters: only the boundaries are visited. A marks [0, 10^11), B [5·10^10, 2·10^11).
        big = 10**12
        data = Unitization.from_segments([big], [(0, 0, 0, 10**11), (0, 1, 5 * 10**10, 2 * 10**11)])
        started = time.perf_counter()
        result = unitizing_alpha(data)
        assert time.perf_counter() - started < 1.0
        assert result.value == pytest.approx(float(two_segments_alpha(big, (0, 10**11), (5 * 10**10, 2 * 10**11))))


class TestEdgeCases:
    def test_all_gap_is_undefined(self) -> None:
        result = unitizing_alpha(Unitization.from_segments([10, 5], [], [[True, True], [True, True]]))
        assert result.value is None and result.undefined == unitizing_reasons.ALL_GAP
        assert result.observed == 0 and result.expected == 0 and result.n_values == 30

    def test_one_value_filling_everything_is_undefined(self) -> None:
        result = unitizing_alpha(Unitization.from_segments([10], [(0, 0, 0, 10), (0, 1, 0, 10)]))
        assert result.value is None and result.undefined == reasons.ONE_CATEGORY

    def test_all_missing(self) -> None:
        result = unitizing_alpha(Unitization.from_segments([10], [], [[False, False]]))
        assert result.value is None and result.undefined == reasons.FEWER_THAN_TWO_CODERS

    def test_single_coder(self) -> None:
        result = unitizing_alpha(Unitization.from_segments([10], [(0, 0, 2, 5)]))
        assert result.value is None and result.undefined == reasons.FEWER_THAN_TWO_CODERS

    def test_coders_who_never_covered_the_same_text(self) -> None:
        data = Unitization.from_segments([10, 10], [(0, 0, 2, 5), (1, 1, 2, 5)], [[True, False], [False, True]])
        result = unitizing_alpha(data)
        assert result.value is None and result.undefined == unitizing_reasons.NO_SHARED_CONTINUUM
        assert result.n_pairable == 0

    def test_perfect_agreement(self) -> None:
        segments = [(d, c, s, e) for d, s, e in ((0, 2, 5), (0, 7, 9), (1, 0, 3)) for c in range(3)]
        result = unitizing_alpha(Unitization.from_segments([10, 4], segments))
        assert result.value == 1.0 and result.observed == 0

    def test_systematic_disagreement(self) -> None:
        # L = 10, A marks [0, 5), B marks [5, 10): every character disagrees. l_01 = l_10 = 10,
        # l_0. = l_1. = 10, ΣS = 25 + 25 + 10 = 60; Σ_{c≠k} e = 2 · 20 · 10 · 10/340; uα = 1 − 20 · 340/4000 = −.7.
        result = unitizing_alpha(Unitization.from_segments([10], [(0, 0, 0, 5), (0, 1, 5, 10)]))
        assert result.value == pytest.approx(-0.7)

    @pytest.mark.parametrize(
        ("segments", "covered", "message"),
        [
            ([(0, 0, 5, 11)], None, "need 0 <= start < end <= 10"),
            ([(0, 0, 5, 5)], None, "need 0 <= start < end"),
            ([(1, 0, 0, 1)], None, "out of range"),
            ([(0, 0, 0, 1, 3)], None, "out of range"),
            ([(0, 1, 0, 1)], [[True, False]], "not covering"),
            ([(0, 0, 0, 4, 1), (0, 0, 3, 6, 2)], None, "overlaps a segment of another value"),
        ],
    )
    def test_bad_segments_are_refused(self, segments: list, covered: list | None, message: str) -> None:
        with pytest.raises(ValueError, match=message):
            Unitization.from_segments([10], segments, covered, labels=("gap", "a", "b"))


def slow_unitizing_alpha(
    lengths: list[int],
    per_coder: dict[tuple[int, int], list[tuple[int, int, int]]],
    covered: list[list[bool]],
    n_values: int,
) -> float | None:
    """The definition character by character and pair by pair, for checking the sweep on small data."""
    v = n_values + 1
    observed = np.zeros((v, v))
    self_pairs = np.zeros(v)
    for d, length in enumerate(lengths):
        coders = [i for i, c in enumerate(covered[d]) if c]
        if len(coders) < 2:
            continue
        label = {}
        for i in coders:
            row = np.zeros(length, dtype=int)
            units = sorted(per_coder.get((d, i), []))
            merged: list[list[int]] = []
            for s, e, value in units:  # union of overlapping segments of one value
                if merged and merged[-1][2] == value and s < merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], e)
                else:
                    merged.append([s, e, value])
            for s, e, value in merged:
                row[s:e] = value
                self_pairs[value] += (e - s) ** 2
            self_pairs[0] += int((row == 0).sum())
            label[i] = row
        for i in coders:
            for j in coders:
                if i != j:
                    for x in range(length):
                        observed[label[i][x], label[j][x]] += 1 / (len(coders) - 1)
    total = observed.sum()
    marginals = observed.sum(axis=1)
    if total == 0 or (marginals > 0).sum() < 2:
        return None
    expected = total * (np.outer(marginals, marginals) - np.diag(self_pairs)) / (total**2 - self_pairs.sum())
    return 1 - (total - np.trace(observed)) / (total - np.trace(expected))


def test_sweep_matches_the_slow_definition() -> None:
    rng = random.Random(7)
    for _ in range(60):
        n_texts, n_coders, n_values = rng.randint(1, 3), rng.randint(2, 4), rng.randint(1, 2)
        lengths = [rng.randint(1, 40) for _ in range(n_texts)]
        covered = [[rng.random() < 0.8 for _ in range(n_coders)] for _ in range(n_texts)]
        rows, per_coder = [], {}
        for d, length in enumerate(lengths):
            for i in range(n_coders):
                if not covered[d][i]:
                    continue
                position = 0
                while position < length and rng.random() < 0.7:  # a partition for several values;
                    s = rng.randint(position, length - 1)  # overlaps of one value when V = 1
                    e = rng.randint(s + 1, min(length, s + 12))
                    value = rng.randint(1, n_values)
                    rows.append((d, i, s, e, value))
                    per_coder.setdefault((d, i), []).append((s, e, value))
                    position = e if n_values > 1 else max(0, s - 2)
        data = Unitization.from_segments(
            lengths, rows or np.zeros((0, 5)), covered, labels=("gap", *tuple(range(1, n_values + 1)))
        )
        expected = slow_unitizing_alpha(lengths, per_coder, covered, n_values)
        got = unitizing_alpha(data).value
        if expected is None:
            assert got is None
        else:
            assert got == pytest.approx(expected, abs=1e-12)


class TestSegmentMatching:
    def data(self, segments: list, covered: list | None = None, lengths: tuple[int, ...] = (100, 100)) -> Unitization:
        return Unitization.from_segments(list(lengths), segments, covered or [[True, True]] * len(lengths))

    def test_the_table_counts_each_coders_segments(self) -> None:
        # A: [0,10) [20,30) [60,70); B: [1,10) [25,30) [40,50).
        # [0,10)~[1,10): 9/10 = 90% → both sides agree (2). [20,30)~[25,30): 5/10 → neither (A-only,
        # B-only). A's [60,70) and B's [40,50) touch nothing. Table: agreements 2, A-only 2, B-only 2.
        data = self.data([(0, 0, 0, 10), (0, 1, 1, 10), (0, 0, 20, 30), (0, 1, 25, 30), (0, 0, 60, 70), (0, 1, 40, 50)])
        m = segment_matching(data)
        assert (m.agreements, m.first_only, m.second_only) == (2, 2, 2)
        assert m.result.value == pytest.approx(2 / 6) and m.result.coefficient == "segment_agreement"
        assert m.result.table is not None and m.result.table.counts == ((2.0, 2.0), (2.0, 0.0))
        assert [(u.coder, u.start, u.end, u.best_overlap) for u in m.unmatched] == [
            (0, 20, 30, 0.5),
            (0, 60, 70, 0.0),
            (1, 25, 30, 0.5),
            (1, 40, 50, 0.0),
        ]
        # At a 50% threshold the second pair agrees too.
        assert segment_matching(data, 0.5).agreements == 4

    def test_identical_coding_is_full_agreement(self) -> None:
        m = segment_matching(self.data([(0, c, s, s + 5) for s in (0, 10, 30) for c in (0, 1)]))
        assert (m.agreements, m.first_only, m.second_only, m.result.value) == (6, 0, 0, 1.0)

    def test_one_segment_against_two_halves(self) -> None:
        # A [0, 20); B [0, 10) and [10, 20) (two touching codings). Each half overlaps A by 10/20 = 50%.
        m = segment_matching(self.data([(0, 0, 0, 20), (0, 1, 0, 10), (0, 1, 10, 20)]), 0.5)
        assert (m.agreements, m.first_only, m.second_only) == (3, 0, 0)
        m = segment_matching(self.data([(0, 0, 0, 20), (0, 1, 0, 10), (0, 1, 10, 20)]), 0.6)
        assert (m.agreements, m.first_only, m.second_only) == (0, 1, 2)

    def test_texts_one_coder_did_not_cover_are_left_out(self) -> None:
        data = self.data([(0, 0, 0, 10), (0, 1, 0, 10), (1, 0, 5, 9)], [[True, True], [True, False]])
        m = segment_matching(data)
        assert (m.agreements, m.first_only, m.second_only) == (2, 0, 0)

    def test_no_segments_is_undefined(self) -> None:
        m = segment_matching(self.data([]))
        assert m.result.value is None and m.result.undefined == segment_reasons.NO_SEGMENTS

    def test_threshold_must_be_a_share(self) -> None:
        with pytest.raises(ValueError, match="at most 1"):
            segment_matching(self.data([]), 90)

    def test_kappa_after_brennan_and_prediger(self) -> None:
        # Two codes: tables (2, 2, 2) and (6, 0, 0) pool to 8 agreements of 12 segments: p_o = 2/3.
        # q = 2 codes: p_c = 1/2, κ_n = (2/3 − 1/2)/(1/2) = 1/3.
        first = segment_matching(
            self.data([(0, 0, 0, 10), (0, 1, 1, 10), (0, 0, 20, 30), (0, 1, 25, 30), (0, 0, 60, 70), (0, 1, 40, 50)])
        )
        second = segment_matching(self.data([(0, c, s, s + 5) for s in (0, 10, 30) for c in (0, 1)]))
        kappa = segment_kappa([first, second])
        assert kappa.value == pytest.approx(1 / 3)
        assert (kappa.observed, kappa.expected) == (pytest.approx(2 / 3), 0.5)
        # MAXQDA's q is the number of codes compared, whether or not each had segments.
        assert segment_kappa([first, second], n_codes=4).value == pytest.approx((2 / 3 - 1 / 4) / (3 / 4))
        assert segment_kappa([first]).undefined == segment_reasons.ONE_CODE
        assert segment_kappa([]).undefined == segment_reasons.NO_SEGMENTS


def test_a_realistic_project_is_fast() -> None:
    # Five focus groups of 600,000 characters, three coders, 2,000 codings each of one code.
    rng = np.random.default_rng(1)
    lengths = [600_000] * 5
    starts = rng.integers(0, 599_000, size=6000)
    rows = np.column_stack(
        (rng.integers(0, 5, 6000), np.repeat(np.arange(3), 2000), starts, starts + rng.integers(20, 900, 6000))
    )
    started = time.perf_counter()
    data = Unitization.from_segments(lengths, rows, [[True] * 3] * 5)
    alpha = unitizing_alpha(data)
    matching = segment_matching(data)
    elapsed = time.perf_counter() - started
    assert alpha.value is not None and matching.result.value is not None
    assert elapsed < 2.0, f"{elapsed:.2f} s"
