"""Agreement coefficients against published worked examples, edge cases, and a slow reference implementation."""

from __future__ import annotations

import itertools
import math
import random

import numpy as np
import pytest

from mda_coder.analysis.agreement import (
    LEVELS,
    ReliabilityData,
    Result,
    bootstrap_alpha,
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
    verdict,
)
from mda_coder.analysis.agreement import result as reasons

N = None


def by_unit(*coders: list) -> list[list]:
    """Published tables list one row per coder; the API takes one row per unit."""
    return [list(unit) for unit in zip(*coders)]


def from_counts(counts: list[list[int]], categories: list) -> list[list]:
    """Expand a subjects × categories count table (Fleiss's layout) into subjects × raters."""
    return [[c for c, k in zip(categories, row) for _ in range(k)] for row in counts]


# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
# Communication, University of Pennsylvania. Example C: four observers, twelve units, values 1–5,
# missing data. Gwet's Handbook (2014) uses the same table (irrCAC's cac.raw4raters).
KRIPPENDORFF_C = by_unit(
    [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N],
    [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3],
    [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N],
    [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N],
)

# Fleiss, J. L. (1971). Measuring nominal scale agreement among many raters. Psychological Bulletin,
# 76, 378–382, Table 1: 30 patients, 6 psychiatrists each, 5 diagnoses (1 depression, 2 personality
# disorder, 3 schizophrenia, 4 neurosis, 5 other), as distributed with R's irr package (diagnoses).
FLEISS_1971 = [
    [4, 4, 4, 4, 4, 4],
    [2, 2, 2, 5, 5, 5],
    [2, 3, 3, 3, 3, 5],
    [5, 5, 5, 5, 5, 5],
    [2, 2, 2, 4, 4, 4],
    [1, 1, 3, 3, 3, 3],
    [3, 3, 3, 3, 5, 5],
    [1, 1, 3, 3, 3, 4],
    [1, 1, 4, 4, 4, 4],
    [5, 5, 5, 5, 5, 5],
    [1, 4, 4, 4, 4, 4],
    [1, 2, 4, 4, 4, 4],
    [2, 2, 2, 3, 3, 3],
    [1, 4, 4, 4, 4, 4],
    [2, 2, 4, 4, 4, 5],
    [3, 3, 3, 3, 3, 5],
    [1, 1, 1, 4, 5, 5],
    [1, 1, 1, 1, 1, 2],
    [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 5, 5, 5],
    [5, 5, 5, 5, 5, 5],
    [2, 4, 4, 4, 4, 4],
    [2, 2, 4, 5, 5, 5],
    [1, 1, 4, 4, 4, 4],
    [1, 4, 4, 4, 4, 5],
    [2, 2, 2, 2, 2, 4],
    [1, 1, 1, 1, 5, 5],
    [2, 2, 4, 4, 4, 4],
    [1, 3, 3, 3, 3, 3],
    [5, 5, 5, 5, 5, 5],
]


def cohen_1960_units() -> list[list[int]]:
    # Cohen, J. (1960). A coefficient of agreement for nominal scales. Educational and Psychological
    # Measurement, 20, 37–46, Table 1: proportions for 200 items, three categories; p_o = .70,
    # p_c = .41, κ = .49. Counts are the proportions × 200 (rows: judge B, columns: judge A).
    table = [[88, 14, 18], [10, 40, 10], [2, 6, 12]]
    return [[b, a] for b in range(3) for a in range(3) for _ in range(table[b][a])]


# Hayes, A. F., & Krippendorff, K. (2007). Answering the call for a standard reliability measure for
# coding data. Communication Methods and Measures, 1(1), 77–89, Table 1 (p. 84): five observers judge
# 40 units on an ordinal scale 0–3, with missing values; KALPHA reports ordinal α = .7598. The matrix
# as transcribed in DKPro Statistics' HayesKrippendorff2007Test (which asserts .7598), checked value
# by value against a second, independent transcription in a public bootstrap module for the
# `krippendorff` package. One row per unit, observers A–E.
HAYES_KRIPPENDORFF_2007 = [
    [1, 1, 2, N, 2],
    [1, 1, 0, 1, N],
    [2, 3, 3, 3, N],
    [N, 0, 0, N, 0],
    [0, 0, 0, N, 0],
    [0, 0, 0, N, 0],
    [1, 0, 2, N, 1],
    [1, N, 2, 0, N],
    [2, 2, 2, N, 2],
    [2, 1, 1, 1, N],
    [N, 1, 0, 0, N],
    [0, 0, 0, 0, N],
    [1, 2, 2, 2, N],
    [3, 3, 2, 2, 3],
    [1, 1, 1, N, 1],
    [1, 1, 1, N, 1],
    [2, 1, 2, N, 2],
    [1, 2, 3, 3, N],
    [1, 1, 0, 1, N],
    [0, 0, 0, N, 0],
    [0, 0, 1, 1, N],
    [0, 0, N, 0, 0],
    [2, 3, 3, 3, N],
    [0, 0, 0, 0, N],
    [1, 2, N, 2, 2],
    [0, 1, 1, 1, N],
    [0, 0, 0, 1, 0],
    [1, 2, 1, 2, N],
    [1, 1, 2, 2, N],
    [1, 1, 2, N, 2],
    [1, 1, 0, N, 0],
    [2, 1, 2, 1, N],
    [2, 2, N, 2, 2],
    [3, 2, 2, 2, N],
    [2, 2, 2, N, 2],
    [2, 2, 3, N, 2],
    [2, 2, 2, N, 2],
    [2, 2, N, 1, 2],
    [2, 2, 2, 2, N],
    [1, 1, 1, N, 1],
]


class TestKrippendorffPublished:
    @pytest.mark.parametrize(
        ("level", "expected"),
        # .743 and .849 are printed in Krippendorff (2011); .815 (ordinal) and .797 (ratio) are the
        # values commonly cited for the table, and agree with the krippendorff package below.
        [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
    )
    def test_example_c_four_observers_with_missing_data(self, level: str, expected: float) -> None:
        result = krippendorff_alpha(KRIPPENDORFF_C, level)  # type: ignore[arg-type]
        assert round(result.value, 3) == expected
        assert result.n_units == 12
        assert result.n_pairable == 11  # unit 12 has one value and is dropped
        assert result.n_values == 40  # n.. in the paper

    def test_example_c_coincidence_matrix(self) -> None:
        table = krippendorff_alpha(KRIPPENDORFF_C).table
        assert table is not None and table.kind == "coincidence"
        assert table.labels == (1, 2, 3, 4, 5)
        # The paper's coincidence matrix, row 1 and its marginals n_c = 9, 13, 10, 5, 3.
        assert table.counts[0] == pytest.approx((7, 4 / 3, 1 / 3, 1 / 3, 0))
        assert [sum(row) for row in table.counts] == pytest.approx([9, 13, 10, 5, 3])
        assert table.total == pytest.approx(40)

    def test_example_c_nominal_disagreements(self) -> None:
        result = krippendorff_alpha(KRIPPENDORFF_C)
        # D_o: the 8 off-diagonal coincidences of 40 values; D_e: Σ_{c≠k} n_c n_k / (n.. (n.. − 1)).
        assert result.observed == pytest.approx(8 / 40)
        assert result.expected == pytest.approx((40 * 40 - (81 + 169 + 100 + 25 + 9)) / (40 * 39))
        assert result.basis == "disagreement"

    def test_example_a_binary_two_observers(self) -> None:
        # Krippendorff (2011), example A: α = 0.095.
        data = by_unit([0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0])
        assert round(krippendorff_alpha(data).value, 3) == 0.095

    def test_example_b_nominal_two_observers(self) -> None:
        # Krippendorff (2011), example B: α = 0.692.
        data = by_unit(
            ["a", "a", "b", "b", "d", "c", "c", "c", "e", "d", "d", "a"],
            ["b", "a", "b", "b", "b", "c", "c", "c", "e", "d", "d", "d"],
        )
        assert round(krippendorff_alpha(data).value, 3) == 0.692

    @pytest.mark.parametrize(("level", "expected"), [("nominal", 0.691), ("ordinal", 0.807), ("interval", 0.811)])
    def test_three_coders_fifteen_units(self, level: str, expected: float) -> None:
        # The reliability data on Krippendorff's web page used by the krippendorff package's README
        # and checked there against Hayes's KALPHA macro: nominal .691, interval .811 (ordinal .8067).
        data = by_unit(
            [N, N, N, N, N, 3, 4, 1, 2, 1, 1, 3, 3, N, 3],
            [1, N, 2, 1, 3, 3, 4, 3, N, N, N, N, N, N, N],
            [N, N, 2, 1, 3, 4, 4, N, 2, 1, 1, 3, 3, N, 4],
        )
        assert round(krippendorff_alpha(data, level).value, 3) == expected  # type: ignore[arg-type]

    def test_hayes_krippendorff_2007_ordinal(self) -> None:
        # KALPHA's output in the paper: ordinal α = .7598 (four decimals, as printed).
        result = krippendorff_alpha(HAYES_KRIPPENDORFF_2007, "ordinal")
        assert round(result.value, 4) == 0.7598
        # 35 units with four values, 3 with three, 2 with five: n.. = 159, all 40 units pairable.
        assert result.n_pairable == 40 and result.n_values == 159


class TestKappaPublished:
    def test_fleiss_1971(self) -> None:
        result = fleiss_kappa(FLEISS_1971)
        assert round(result.value, 3) == 0.430
        assert result.value == pytest.approx(0.4302445, abs=1e-7)  # irr::kappam.fleiss
        assert result.n_pairable == 30 and result.n_values == 180

    def test_fleiss_wikipedia_fourteen_raters(self) -> None:
        # The ten subjects × fourteen raters example of Wikipedia's "Fleiss' kappa": κ = 0.210.
        counts = [
            [0, 0, 0, 0, 14],
            [0, 2, 6, 4, 2],
            [0, 0, 3, 5, 6],
            [0, 3, 9, 2, 0],
            [2, 2, 8, 1, 1],
            [7, 7, 0, 0, 0],
            [3, 2, 6, 3, 0],
            [2, 5, 3, 2, 2],
            [6, 5, 2, 1, 0],
            [0, 2, 2, 3, 7],
        ]
        result = fleiss_kappa(from_counts(counts, [1, 2, 3, 4, 5]))
        assert round(result.value, 3) == 0.210
        assert round(result.observed, 3) == 0.378 and round(result.expected, 3) == 0.213

    def test_cohen_1960(self) -> None:
        result = cohen_kappa(cohen_1960_units())
        assert result.observed == pytest.approx(0.70)
        assert result.expected == pytest.approx(0.41)
        assert round(result.value, 2) == 0.49
        assert result.table is not None and result.table.kind == "contingency"
        assert result.table.cell(0, 2) == 18

    def test_cohen_sas_example(self) -> None:
        # SAS PROC FREQ documentation example (used in statsmodels' tests): simple κ = 0.4842.
        table = [[0, 4, 1], [0, 8, 0], [0, 1, 5]]
        units = [[r, c] for r in range(3) for c in range(3) for _ in range(table[r][c])]
        assert round(cohen_kappa(ReliabilityData.from_rows(units, categories=[0, 1, 2])).value, 4) == 0.4842

    def test_gwet_ac1_handbook(self) -> None:
        # Gwet (2014), Handbook of Inter-Rater Reliability, 4th ed.; irrCAC documentation for
        # cac.raw4raters (= Krippendorff's example C): p_a = 0.8181818, AC1 = 0.77544.
        result = gwet_ac1(KRIPPENDORFF_C)
        assert result.observed == pytest.approx(0.8181818, abs=1e-7)
        assert round(result.value, 5) == 0.77544


class TestKappaFamily:
    def test_scott_pi_equals_fleiss_for_two_complete_coders(self) -> None:
        data = [[r[0], r[1]] for r in FLEISS_1971]
        assert scott_pi(data).value == pytest.approx(fleiss_kappa(data).value, abs=1e-12)

    def test_scott_pi_by_hand(self) -> None:
        # p_o = 3/4; pooled shares a = 3/8, b = 5/8; p_e = 34/64.
        result = scott_pi([["a", "a"], ["a", "b"], ["b", "b"], ["b", "b"]])
        assert result.observed == 0.75 and result.expected == pytest.approx(34 / 64)
        assert result.value == pytest.approx((0.75 - 34 / 64) / (1 - 34 / 64))

    def test_brennan_prediger_binary_is_two_po_minus_one(self) -> None:
        data = by_unit([0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0])
        assert brennan_prediger(data).value == pytest.approx(2 * 0.6 - 1)

    def test_declared_categories_change_q(self) -> None:
        data = [["x", "x"], ["x", "y"], ["y", "y"]]
        assert brennan_prediger(data).expected == 0.5
        assert brennan_prediger(data, categories=["x", "y", "z", "w"]).expected == 0.25

    def test_two_coder_statistics_refuse_other_matrices(self) -> None:
        with pytest.raises(ValueError, match="exactly two coders"):
            cohen_kappa(FLEISS_1971)
        with pytest.raises(ValueError, match="exactly two coders"):
            percent_agreement(FLEISS_1971, "holsti")

    def test_cohen_uses_only_units_both_coded(self) -> None:
        result = cohen_kappa([[1, 1], [2, 2], [1, N], [N, 2], [N, N]])
        assert result.value == 1.0 and result.n_pairable == 2 and result.n_units == 5


class TestPercentAgreement:
    def test_pairwise_all_and_holsti(self) -> None:
        assert percent_agreement(KRIPPENDORFF_C).value == pytest.approx(0.8181818, abs=1e-7)
        # Units 1-5, 7, 9, 10 and 11 agree fully; 6 and 8 do not; 12 is not pairable.
        assert percent_agreement(KRIPPENDORFF_C, "all").value == pytest.approx(8 / 11)
        holsti = percent_agreement([[1, 1], [2, 1], [1, N], [N, N]], "holsti")
        assert holsti.value == pytest.approx(2 * 1 / (3 + 2))
        assert holsti.coefficient == "percent_agreement_holsti" and holsti.expected is None

    def test_unknown_method(self) -> None:
        with pytest.raises(ValueError):
            percent_agreement(KRIPPENDORFF_C, "mean")  # type: ignore[arg-type]


ALL_MULTI = [krippendorff_alpha, fleiss_kappa, brennan_prediger, gwet_ac1, percent_agreement]


class TestEdgeCases:
    def test_one_category_only(self) -> None:
        data = [["a", "a"], ["a", "a"], ["a", N]]
        alpha = krippendorff_alpha(data)
        assert alpha.value is None and alpha.undefined == reasons.ONE_CATEGORY
        assert alpha.observed == 0 and alpha.expected == 0  # the counts are still reported
        for function in (cohen_kappa, scott_pi, fleiss_kappa):
            assert function(data).undefined == reasons.ONE_CATEGORY_CHANCE
        assert (
            brennan_prediger(data).undefined
            == "only one category exists: with q = 1 there is nothing to agree on by chance or otherwise"
        )
        # With the category set declared, the chance term is known and agreement is perfect.
        assert brennan_prediger(data, categories=["a", "b"]).value == 1.0
        assert gwet_ac1(data, categories=["a", "b"]).value == 1.0
        assert percent_agreement(data).value == 1.0

    @pytest.mark.parametrize("function", ALL_MULTI)
    def test_all_missing(self, function) -> None:
        result = function([[N, N, N], [N, N, N]])
        assert result.value is None and result.undefined == reasons.FEWER_THAN_TWO_CODERS

    @pytest.mark.parametrize("function", ALL_MULTI)
    def test_single_coder(self, function) -> None:
        result = function([[1], [2], [1]])
        assert result.value is None and result.undefined == reasons.FEWER_THAN_TWO_CODERS

    @pytest.mark.parametrize("function", ALL_MULTI)
    def test_coders_who_never_coded_the_same_unit(self, function) -> None:
        result = function([[1, N], [N, 2], [1, N]])
        assert result.value is None and result.undefined == reasons.NO_PAIRS

    def test_empty_matrix(self) -> None:
        assert krippendorff_alpha([]).undefined == reasons.FEWER_THAN_TWO_CODERS
        assert cohen_kappa([[N, 1], [2, N]]).undefined == reasons.NO_SHARED_UNITS

    @pytest.mark.parametrize("level", LEVELS)
    def test_perfect_agreement(self, level: str) -> None:
        data = [[1, 1, 1], [2, 2, N], [3, 3, 3], [1, 1, 1]]
        assert krippendorff_alpha(data, level).value == 1.0  # type: ignore[arg-type]
        for function in (fleiss_kappa, brennan_prediger, gwet_ac1):
            assert function(data).value == pytest.approx(1.0)
        assert cohen_kappa([r[:2] for r in data]).value == 1.0

    def test_systematic_disagreement(self) -> None:
        units = 10
        data = [[0, 1], [1, 0]] * (units // 2)
        # o_01 = o_10 = N, n_0 = n_1 = N: D_o = 1, D_e = N / (2N − 1), α = −(N − 1)/N.
        assert krippendorff_alpha(data).value == pytest.approx(-(units - 1) / units)
        assert cohen_kappa(data).value == pytest.approx(-1.0)
        assert scott_pi(data).value == pytest.approx(-1.0)
        assert percent_agreement(data).value == 0.0
        # One coder always 0, the other always 1: no agreement, and none expected by chance.
        fixed = [[0, 1]] * units
        assert cohen_kappa(fixed).value == 0.0 and cohen_kappa(fixed).expected == 0.0

    def test_result_never_holds_nan_or_both(self) -> None:
        fields = {
            "basis": "agreement",
            "observed": None,
            "expected": None,
            "n_units": 0,
            "n_pairable": 0,
            "n_values": 0,
            "table": None,
        }
        with pytest.raises(ValueError):
            Result("x", value=None, undefined=None, **fields)  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            Result("x", value=math.nan, undefined=None, **fields)  # type: ignore[arg-type]
        with pytest.raises(ValueError):
            Result("x", value=0.5, undefined="why", **fields)  # type: ignore[arg-type]


class TestData:
    def test_labels_and_missing_from_numpy(self) -> None:
        data = ReliabilityData.from_rows(np.array([[1.0, np.nan], [2.0, 2.5]]))
        assert data.labels == (1, 2, 2.5)
        assert isinstance(data.labels[0], int)
        assert data.codes.tolist() == [[0, -1], [1, 2]]

    def test_strings_sort_and_nan_is_missing(self) -> None:
        data = ReliabilityData.from_rows([["b", float("nan")], ["a", "b"]])
        assert data.labels == ("a", "b") and data.codes.tolist() == [[1, -1], [0, 1]]
        assert not data.numeric

    def test_declared_order_drives_ordinal_alpha(self) -> None:
        names = {1: "low", 2: "mid", 3: "high", 4: "top", 5: "max"}
        named = [[names.get(v) if v else None for v in row] for row in KRIPPENDORFF_C]
        ordered = ReliabilityData.from_rows(named, categories=["low", "mid", "high", "top", "max"])
        assert krippendorff_alpha(ordered, "ordinal").value == pytest.approx(
            krippendorff_alpha(KRIPPENDORFF_C, "ordinal").value, abs=1e-12
        )

    def test_errors(self) -> None:
        with pytest.raises(ValueError, match="declared categories"):
            ReliabilityData.from_rows([["a", "b"]], categories=["a"])
        with pytest.raises(ValueError, match="rectangular"):
            ReliabilityData.from_rows([[1, 2], [3]])
        with pytest.raises(ValueError, match="numeric"):
            krippendorff_alpha([["a", "b"], ["a", "a"]], "interval")
        with pytest.raises(ValueError, match="zero or more"):
            krippendorff_alpha([[-1, 2], [2, 2]], "ratio")
        with pytest.raises(ValueError, match="unknown level"):
            krippendorff_alpha([[1, 2]], "cardinal")  # type: ignore[arg-type]


def test_verdict() -> None:
    assert verdict(0.8) == "reliable"
    assert verdict(0.7999999999999999) == "reliable"  # .800 up to rounding noise
    assert verdict(0.79) == "tentative"
    assert verdict(0.667) == "tentative"
    assert verdict(0.6669) == "unreliable"
    assert verdict(None) == "undefined"
    assert verdict(krippendorff_alpha(KRIPPENDORFF_C)) == "tentative"
    assert verdict(krippendorff_alpha([[1, 1]])) == "undefined"


# A slow implementation that follows the definition pair by pair, to check the vectorised one.
def slow_alpha(rows: list[list], level: str) -> float | None:
    units = [[v for v in row if v is not None] for row in rows]
    units = [u for u in units if len(u) >= 2]
    values = [v for u in units for v in u]
    n = len(values)
    ranks = sorted(set(values))
    count = {c: values.count(c) for c in ranks}

    def delta(c, k) -> float:
        if level == "nominal":
            return 0.0 if c == k else 1.0
        if level == "ordinal":
            lo, hi = sorted((ranks.index(c), ranks.index(k)))
            return (sum(count[ranks[g]] for g in range(lo, hi + 1)) - (count[c] + count[k]) / 2) ** 2
        if level == "interval":
            return float((c - k) ** 2)
        return 0.0 if c + k == 0 else ((c - k) / (c + k)) ** 2

    observed = (
        sum(sum(delta(u[i], u[j]) for i, j in itertools.permutations(range(len(u)), 2)) / (len(u) - 1) for u in units)
        / n
    )
    expected = sum(delta(values[i], values[j]) for i, j in itertools.permutations(range(n), 2)) / (n * (n - 1))
    return None if expected == 0 else 1 - observed / expected


def random_matrix(rng: random.Random) -> list[list]:
    units, coders, categories = rng.randint(2, 25), rng.randint(2, 5), rng.randint(2, 6)
    truth = [rng.randrange(categories) for _ in range(units)]
    return [
        [
            None if rng.random() < 0.25 else (t if rng.random() < 0.6 else rng.randrange(categories))
            for _ in range(coders)
        ]
        for t in truth
    ]


@pytest.mark.parametrize("level", LEVELS)
def test_alpha_matches_slow_pairwise_definition(level: str) -> None:
    rng = random.Random(20240521)
    checked = 0
    for _ in range(150):
        rows = random_matrix(rng)
        if level == "ratio":
            rows = [[None if v is None else v + 1 for v in row] for row in rows]
        expected = slow_alpha(rows, level)
        result = krippendorff_alpha(rows, level)  # type: ignore[arg-type]
        if expected is None:
            assert result.value is None
        else:
            assert result.value == pytest.approx(expected, abs=1e-9)
            checked += 1
    assert checked > 100


@pytest.mark.parametrize("level", LEVELS)
def test_alpha_matches_krippendorff_package(level: str) -> None:
    import krippendorff  # a development dependency: missing, the cross-check fails rather than skips

    rng = np.random.default_rng(7)
    for _ in range(40):
        units, coders = rng.integers(5, 200), rng.integers(2, 6)
        data = rng.integers(1, 8, size=(units, coders)).astype(float)
        data[rng.random(data.shape) < 0.2] = np.nan
        ours = krippendorff_alpha(data, level)  # type: ignore[arg-type]
        if ours.value is None:
            continue
        theirs = krippendorff.alpha(reliability_data=data.T, level_of_measurement=level)
        assert ours.value == pytest.approx(theirs, abs=1e-9)
    for level_c in LEVELS:
        arr = np.array([[np.nan if v is None else v for v in row] for row in KRIPPENDORFF_C]).T
        theirs = krippendorff.alpha(reliability_data=arr, level_of_measurement=level_c)
        assert krippendorff_alpha(KRIPPENDORFF_C, level_c).value == pytest.approx(theirs, abs=1e-12)


class TestBootstrap:
    def test_seeded_and_reproducible(self) -> None:
        first = bootstrap_alpha(KRIPPENDORFF_C, samples=1000, seed=11)
        again = bootstrap_alpha(KRIPPENDORFF_C, samples=1000, seed=11)
        other = bootstrap_alpha(KRIPPENDORFF_C, samples=1000, seed=12)
        assert first == again
        assert (first.low, first.high) != (other.low, other.high)
        low, high = first
        assert low is not None and high is not None
        assert low < first.alpha < high <= 1.0  # type: ignore[operator]

    def test_pairs_drawn_per_sample(self) -> None:
        # 17 non-empty coincidence cells: min(25 · 17, (4 coders − 1) · 40 / 2) = 60, as in KALPHA.
        assert bootstrap_alpha(KRIPPENDORFF_C).draws == 60

    @pytest.mark.parametrize("level", LEVELS)
    def test_distribution_is_centred_on_alpha(self, level: str) -> None:
        # E[mean δ² of drawn pairs] = D_o, so the bootstrap mean of α* is α (before KALPHA's corrections,
        # which are negligible here).
        interval = bootstrap_alpha(KRIPPENDORFF_C, level, samples=20000, seed=3)  # type: ignore[arg-type]
        assert interval.mean == pytest.approx(interval.alpha, abs=0.005)
        assert interval.low < interval.alpha < interval.high  # type: ignore[operator]
        q = dict(interval.below)
        assert list(q) == [0.9, 0.8, 0.7, 0.667, 0.6, 0.5]
        assert all(0.0 <= p <= 1.0 for p in q.values())
        assert q[0.9] >= q[0.8] >= q[0.7] >= q[0.667] >= q[0.6] >= q[0.5]

    def test_hayes_krippendorff_2007_pairs_drawn(self) -> None:
        # 14 of the 16 coincidence cells are filled (0 and 3 never meet): min(25 · 14, (5 − 1) · 159 / 2) = 318.
        interval = bootstrap_alpha(HAYES_KRIPPENDORFF_2007, "ordinal", samples=2000, seed=1)
        assert interval.draws == 318
        assert interval.low < interval.alpha < interval.high  # type: ignore[operator]

    def test_undefined_alpha_gives_undefined_interval(self) -> None:
        interval = bootstrap_alpha([[1, 1], [1, 1]])
        assert interval.undefined == reasons.ONE_CATEGORY
        assert tuple(interval) == (None, None)

    def test_perfect_agreement(self) -> None:
        assert tuple(bootstrap_alpha([[1, 1], [2, 2]] * 20)) == (1.0, 1.0)

    def test_needs_enough_samples(self) -> None:
        with pytest.raises(ValueError):
            bootstrap_alpha(KRIPPENDORFF_C, samples=10)
