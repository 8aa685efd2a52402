"""The fast ways to α (pattern counts, coder pairs, whole-number encoding, many variables at once) give the same answers as the slow ones."""

from __future__ import annotations

import krippendorff  # a development dependency: missing, these cross-checks fail rather than skip
import numpy as np
import pytest

from mda_coder.analysis.agreement import (
    LEVELS,
    MISSING,
    ReliabilityData,
    coincidence,
    krippendorff_alpha,
)
from mda_coder.analysis.agreement import result as reasons
from mda_coder.analysis.agreement.alpha import krippendorff_alphas
from tests.test_reliability import KRIPPENDORFF_C, by_unit, slow_alpha


def random_codes(
    rng: np.random.Generator, units: int, coders: int, categories: int, missing: float = 0.2
) -> np.ndarray:
    """Coders who mostly agree on a true category, with missing values; units × coders codes."""
    truth = rng.integers(0, categories, size=units)
    codes = np.where(rng.random((units, coders)) < 0.6, truth[:, None], rng.integers(0, categories, (units, coders)))
    codes[rng.random(codes.shape) < missing] = MISSING
    return codes.astype(np.int64)


def as_floats(codes: np.ndarray, values: np.ndarray) -> np.ndarray:
    """The coders × units float matrix with NaN for missing, as the krippendorff package takes it."""
    return np.where(codes == MISSING, np.nan, values[np.maximum(codes, 0)]).T


CASES = [(coders, categories) for coders in (2, 3, 4, 5) for categories in (2, 3, 7, 30)]


@pytest.mark.parametrize(("coders", "categories"), CASES)
def test_both_counting_paths_give_the_same_coincidences(coders: int, categories: int) -> None:
    rng = np.random.default_rng(coders * 100 + categories)
    stack = np.stack([random_codes(rng, 300, coders, categories) for _ in range(3)])
    by_pattern = coincidence._from_patterns(stack, categories)
    by_pair = coincidence._from_coder_pairs(stack, categories)
    np.testing.assert_allclose(by_pattern.coincidences, by_pair.coincidences, rtol=0, atol=1e-9)
    for name in ("n_pairable", "n_values", "coders_with_values"):
        assert getattr(by_pattern, name).tolist() == getattr(by_pair, name).tolist()


@pytest.mark.parametrize("level", LEVELS)
@pytest.mark.parametrize(("coders", "categories"), CASES)
def test_alpha_matches_the_krippendorff_package(level: str, coders: int, categories: int) -> None:
    # 5 coders × 30 categories has 31^5 patterns: that case goes through the coder-pair path.
    rng = np.random.default_rng(coders * 1000 + categories)
    values = np.sort(rng.choice(np.arange(1, 100), size=categories, replace=False)).astype(float)
    compared = 0
    for units in (2, 15, 400):
        codes = random_codes(rng, units, coders, categories)
        floats = as_floats(codes, values)
        ours = krippendorff_alpha(floats.T, level)  # type: ignore[arg-type]
        present = floats[~np.isnan(floats)]
        pairable = (~np.isnan(floats)).sum(axis=0) >= 2
        if len(np.unique(present)) < 2 or not pairable.any():
            assert ours.value is None
            continue
        theirs = krippendorff.alpha(reliability_data=floats, level_of_measurement=level)
        if ours.value is None:
            assert ours.undefined == reasons.ONE_CATEGORY
            continue
        assert ours.value == pytest.approx(theirs, abs=1e-9)
        compared += 1
    assert compared >= 1


@pytest.mark.parametrize("level", LEVELS)
def test_alpha_matches_the_pairwise_definition_with_many_categories(level: str) -> None:
    rng = np.random.default_rng(5)
    for coders, categories in ((3, 30), (5, 30), (4, 12)):
        codes = random_codes(rng, 40, coders, categories, missing=0.3)
        rows = [[None if c == MISSING else int(c) + 1 for c in row] for row in codes.tolist()]
        expected = slow_alpha(rows, level)
        assert krippendorff_alpha(rows, level).value == pytest.approx(expected, abs=1e-9)  # type: ignore[arg-type]


class TestManyVariables:
    def test_published_examples_through_the_batch(self) -> None:
        # Krippendorff (2011), Computing Krippendorff's Alpha-Reliability: example A (binary, two
        # observers) α = 0.095; example C (four observers, values 1–5, missing data) nominal α = .743.
        example_a = np.array(by_unit([0, 1, 0, 0, 0, 0, 0, 0, 1, 0], [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]), dtype=np.int8)
        (alpha_a,) = krippendorff_alphas(example_a[None])
        assert round(alpha_a.value, 3) == 0.095
        example_c = ReliabilityData.from_rows(KRIPPENDORFF_C)
        for level, published in (("nominal", 0.743), ("interval", 0.849)):
            (alpha_c,) = krippendorff_alphas(example_c.codes[None], example_c.labels, level)  # type: ignore[arg-type]
            assert round(alpha_c.value, 3) == published
            assert alpha_c.n_pairable == 11 and alpha_c.n_values == 40

    @pytest.mark.parametrize("coders", [2, 3, 5])
    def test_each_result_equals_alpha_on_its_own_matrix(self, coders: int) -> None:
        rng = np.random.default_rng(coders)
        stack = np.stack([random_codes(rng, 500, coders, 2, missing=0.15) for _ in range(40)]).astype(np.int8)
        stack[1] = MISSING  # nobody coded anything: fewer than two coders
        stack[2, :, 1:] = MISSING  # one coder only
        stack[3] = np.where(stack[3] == MISSING, MISSING, 0)  # one category
        stack[4, :, :] = MISSING
        stack[4, np.arange(500), np.arange(500) % coders] = 1  # every unit has one value: no pairs
        batch = krippendorff_alphas(stack)
        for variable, result in enumerate(batch):
            assert result == krippendorff_alpha(ReliabilityData(stack[variable], (0, 1), True))
        assert [r.undefined for r in batch[1:5]] == [
            reasons.FEWER_THAN_TWO_CODERS,
            reasons.FEWER_THAN_TWO_CODERS,
            reasons.ONE_CATEGORY,
            reasons.NO_PAIRS,
        ]
        for variable in (0, 5, 39):
            floats = np.where(stack[variable] == MISSING, np.nan, stack[variable]).T
            theirs = krippendorff.alpha(reliability_data=floats, level_of_measurement="nominal", value_domain=[0, 1])
            assert batch[variable].value == pytest.approx(theirs, abs=1e-9)

    def test_chunks_do_not_change_the_answer(self) -> None:
        # 2,000 variables × 3,000 units × 3 coders are counted in many chunks of a few variables.
        rng = np.random.default_rng(9)
        stack = np.stack([random_codes(rng, 3000, 3, 2) for _ in range(6)]).astype(np.int8)
        stack = np.tile(stack, (334, 1, 1))
        batch = krippendorff_alphas(stack)
        assert len(batch) == 2004
        assert [r.value for r in batch[:6]] * 334 == [r.value for r in batch]

    def test_categories_beyond_two_and_all_levels(self) -> None:
        rng = np.random.default_rng(4)
        stack = np.stack([random_codes(rng, 200, 4, 5) for _ in range(5)])
        labels = (1, 2, 4, 8, 16)
        for level in LEVELS:
            for variable, result in enumerate(krippendorff_alphas(stack, labels, level)):  # type: ignore[arg-type]
                assert result == krippendorff_alpha(ReliabilityData(stack[variable], labels, True), level)  # type: ignore[arg-type]

    def test_bad_input_is_refused(self) -> None:
        with pytest.raises(ValueError, match="signed integer"):
            krippendorff_alphas(np.zeros((2, 3, 2)))
        with pytest.raises(ValueError, match="signed integer"):
            krippendorff_alphas(np.zeros((3, 2), dtype=np.int8))
        with pytest.raises(ValueError, match="indices into the 2 categories"):
            krippendorff_alphas(np.full((1, 3, 2), 2, dtype=np.int8))
        with pytest.raises(ValueError, match="indices into the 2 categories"):
            krippendorff_alphas(np.full((1, 3, 2), -2, dtype=np.int8))


class TestEncoding:
    """Numeric arrays are encoded by a lookup table when they can be; the result is what sorting gives."""

    @pytest.mark.parametrize(
        "values",
        [
            [[0, 1], [1, np.nan], [np.nan, np.nan]],
            [[3, 7], [-2, 3], [np.nan, 7]],  # negative values and gaps between categories
            [[1000, 1001], [1003, np.nan]],
            [[0.5, 1.5], [1.5, 2.0]],  # not whole: sorted instead
            [[0, 1e9], [1e9, 0]],  # too wide for a table
            [[2**60, 1], [1, 1]],
            [[np.nan, np.nan]],
        ],
    )
    def test_floats_encode_as_the_sorted_labels(self, values: list) -> None:
        array = np.array(values, dtype=float)
        data = ReliabilityData.from_rows(array)
        present = array[~np.isnan(array)]
        labels = np.unique(present).tolist()
        assert list(data.labels) == labels
        assert all(isinstance(v, int) for v in data.labels if float(v).is_integer())
        expected = np.where(np.isnan(array), MISSING, np.searchsorted(np.array(labels), np.nan_to_num(array)))
        assert data.codes.tolist() == expected.tolist()

    @pytest.mark.parametrize("dtype", [np.int8, np.uint8, np.int64, np.uint64, bool])
    def test_integer_arrays_have_no_missing_values(self, dtype: type) -> None:
        array = np.array([[1, 0], [1, 1], [0, 1]], dtype=dtype)
        data = ReliabilityData.from_rows(array)
        assert data.labels == (0, 1) and data.codes.tolist() == [[1, 0], [1, 1], [0, 1]]
        assert krippendorff_alpha(array).value == pytest.approx(krippendorff_alpha(array.astype(float)).value)

    def test_the_input_is_left_alone(self) -> None:
        array = np.array([[1.0, np.nan], [2.0, 1.0]])
        codes = ReliabilityData.from_rows(array).codes
        assert array.flags.writeable and np.isnan(array[0, 1]) and not codes.flags.writeable

    def test_a_transposed_view_keeps_coder_columns_contiguous(self) -> None:
        # The krippendorff package's layout (coders × units) passed as .T is encoded without a copy's reordering.
        coders_by_units = np.array([[0.0, 1.0, 1.0, np.nan], [0.0, 1.0, 0.0, 1.0]])
        codes = ReliabilityData.from_rows(coders_by_units.T).codes
        assert codes.flags.f_contiguous and codes[:, 0].flags.c_contiguous

    def test_infinity_is_refused(self) -> None:
        with pytest.raises(ValueError, match="infinite"):
            ReliabilityData.from_rows(np.array([[1.0, np.inf], [1.0, 1.0]]))
