"""The reliability data matrix (units × coders) encoded once as integer codes, and the pair counts every coefficient starts from."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from mda_coder.analysis.agreement.coincidence import PairCounts, pair_counts
from mda_coder.analysis.agreement.result import Label, Table, TableKind

MISSING = -1
"""The code of a missing value: the coder did not code that unit (not "coded it as absent")."""


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, np.datetime64)


def _present(value: float) -> Label:
    """Numbers come back as ints when they are whole, so labels read as the coders wrote them."""
    return int(value) if float(value).is_integer() else float(value)


EXACT = 2**53
"""Below this, every whole number is a float and differences of two of them are exact."""

SPAN_LIMIT = 1 << 20
"""The widest range of whole numbers encoded by a lookup table instead of by sorting."""


def _code_dtype(low: int, high: int) -> np.dtype:
    """The narrowest signed integer type holding low..high: codes are read once per coefficient, so
    int8 instead of int64 is an eighth of the memory traffic."""
    for kind in (np.int8, np.int16, np.int32):
        info = np.iinfo(kind)
        if info.min <= low and high <= info.max:
            return np.dtype(kind)
    return np.dtype(np.int64)


def _encode_whole_numbers(values: np.ndarray) -> tuple[np.ndarray, tuple[Label, ...]] | None:
    """Codes and labels in a few linear passes when every value is a whole number in a narrow range.

    Category data usually is (0/1, 1–5, 1–30), and then this replaces the sort a general `np.unique`
    needs, which was most of the cost of encoding a million values. Returns None otherwise. The
    layout of `values` is kept (a transposed view stays column-major), so that the per-coder columns
    the coefficients read stay contiguous.
    """
    if values.size == 0:
        return None
    floating = values.dtype.kind == "f"
    if floating:
        low, high = np.fmin.reduce(values, axis=None), np.fmax.reduce(values, axis=None)
        if np.isnan(low):
            return np.full(values.shape, MISSING, dtype=np.int8), ()
        if np.isinf(low) or np.isinf(high):
            raise ValueError("infinite values cannot be categories")
    else:
        low, high = values.min(), values.max()
    if not (low > -EXACT and high < EXACT):
        return None
    low, high = math.floor(low), math.floor(high)
    span = high - low + 1
    if span > min(SPAN_LIMIT, 4 * values.size + 64):
        return None
    dtype = _code_dtype(min(low - 1, MISSING), max(high, span))
    codes = np.empty_like(values, dtype=dtype)
    if floating:
        # fmax passes the other operand where a value is NaN, so a missing value becomes low − 1 and,
        # after the shift below, MISSING; nothing else can (low is the smallest value, rounded down).
        np.fmax(values, float(low - 1), out=codes, casting="unsafe")
        # The cast truncates, so a value that is not whole differs from its code; a missing one always does.
        whole = np.count_nonzero(np.equal(codes, values)) + np.count_nonzero(codes == low - 1) == values.size
        if not whole:
            return None
    else:
        np.copyto(codes, values, casting="unsafe")
    if low:
        codes -= low
    # The smallest and largest values are present by definition: only wider ranges can have gaps.
    seen = np.ones(span, dtype=bool)
    if span > 2:
        seen = np.bincount(codes.ravel(order="K") + 1, minlength=span + 1)[1:] > 0
    if not seen.all():
        lookup = np.full(span + 1, MISSING, dtype=dtype)
        lookup[1:][seen] = np.arange(int(seen.sum()))
        codes = lookup[codes + 1]
    return codes, tuple(int(v) + low for v in np.flatnonzero(seen).tolist())


@dataclass(frozen=True, eq=False)
class ReliabilityData:
    """A units × coders matrix of category codes; build it once and compute every coefficient on it.

    Encoding labels to small integers once is what makes the coefficients vectorisable: each one is
    then a handful of numpy passes over an int array, not a Python loop over units.
    """

    codes: np.ndarray
    """Signed integers, shape (units, coders): an index into `labels`, or MISSING. Encoding picks the
    narrowest type that fits (int8 up to 127 categories); arithmetic on codes widens first."""
    labels: tuple[Label, ...]
    """The categories, in order (the order ordinal α ranks them in)."""
    numeric: bool
    """Whether every label is a number, as interval and ratio α need."""

    def __post_init__(self) -> None:
        if self.codes.ndim != 2:
            raise ValueError("reliability data must be a units × coders matrix")
        if self.codes.dtype.kind != "i":
            raise ValueError(f"codes must be signed integers, not {self.codes.dtype}")
        self.codes.setflags(write=False)

    @classmethod
    def from_rows(cls, rows: Any, categories: Iterable[Label] | None = None) -> ReliabilityData:
        """Encode a units × coders matrix whose cells are labels, or None (or NaN) for missing.

        `categories` declares the category set and its order: pass it for ordinal labels that do not
        sort by themselves ("low" < "mid" < "high"), and for statistics whose chance term depends on
        the number of categories (Brennan–Prediger, Gwet's AC1) when some categories went unused.
        Without it the categories are the values seen, sorted (numbers numerically).
        """
        if isinstance(rows, ReliabilityData):
            return rows if categories is None else cls.from_rows(rows.to_rows(), categories)
        if categories is None and isinstance(rows, np.ndarray) and rows.dtype.kind in "biuf":
            return cls._from_numbers(rows)
        cells = np.array(rows, dtype=object)
        if cells.ndim == 1 and cells.size == 0:
            cells = cells.reshape(0, 0)
        if cells.ndim != 2:
            raise ValueError("reliability data must be a rectangular units × coders matrix")
        flat = cells.ravel().tolist()
        seen = {v for v in set(flat) if not _is_missing(v)}
        if categories is None:
            if all(_is_number(v) for v in seen):
                return cls._from_numbers(cells.astype(float))
            try:
                labels = tuple(sorted(seen))
            except TypeError:
                labels = tuple(dict.fromkeys(v for v in flat if v in seen))
        else:
            labels = tuple(dict.fromkeys(categories))
            unknown = seen - set(labels)
            if unknown:
                raise ValueError(f"values not among the declared categories: {sorted(map(repr, unknown))}")
        index = {label: i for i, label in enumerate(labels)}
        codes = np.fromiter((index.get(v, MISSING) for v in flat), dtype=np.int64, count=len(flat))
        return cls(codes.reshape(cells.shape), labels, bool(labels) and all(_is_number(v) for v in labels))

    @classmethod
    def _from_numbers(cls, values: np.ndarray) -> ReliabilityData:
        if values.ndim != 2:
            raise ValueError("reliability data must be a rectangular units × coders matrix")
        if values.dtype.kind == "b":
            values = values.view(np.uint8)
        whole = _encode_whole_numbers(values)
        if whole is not None:
            return cls(whole[0], whole[1], True)
        values = values.astype(float, copy=False)
        present = ~np.isnan(values)
        if np.isinf(values[present]).any():
            raise ValueError("infinite values cannot be categories")
        distinct = np.unique(values[present])
        codes = np.full(values.shape, MISSING, dtype=np.int64)
        codes[present] = np.searchsorted(distinct, values[present])
        return cls(codes, tuple(_present(v) for v in distinct.tolist()), True)

    def to_rows(self) -> list[list[Label | None]]:
        return [[None if c == MISSING else self.labels[c] for c in row] for row in self.codes.tolist()]

    @property
    def n_units(self) -> int:
        return int(self.codes.shape[0])

    @property
    def n_coders(self) -> int:
        return int(self.codes.shape[1])

    @property
    def n_categories(self) -> int:
        return len(self.labels)

    @cached_property
    def present(self) -> np.ndarray:
        present: np.ndarray = self.codes != MISSING
        return present

    @cached_property
    def values_per_unit(self) -> np.ndarray:
        """m_u: how many coders coded each unit."""
        per_unit: np.ndarray = self.present.sum(axis=1)
        return per_unit

    @cached_property
    def pairable(self) -> np.ndarray:
        """Units with two or more values; the others carry no information about agreement."""
        return self.values_per_unit >= 2

    @property
    def n_pairable(self) -> int:
        return int(self.pairable.sum())

    @property
    def coders_with_values(self) -> int:
        return int(self.present.any(axis=0).sum())

    @cached_property
    def pair_counts(self) -> PairCounts:
        """The coincidences, pairable units and values, and coders with values: everything α needs."""
        return pair_counts(self.codes[None], self.n_categories)

    @property
    def coincidences(self) -> np.ndarray:
        """Krippendorff's o_ck = Σ_u (number of c–k pairs of values in u, ordered, between different coders) / (m_u − 1).

        Counted from how many units show each pattern of values (see `coincidence.pair_counts`), so
        memory is O(units + categories²) rather than a units × categories count matrix.
        """
        coincidences: np.ndarray = self.pair_counts.coincidences[0]
        return coincidences

    @cached_property
    def agreeing_pairs(self) -> np.ndarray:
        """Per unit, the ordered pairs of coders who gave the same value: Σ_k n_uk (n_uk − 1)."""
        counts = np.zeros(self.n_units, dtype=np.int64)
        for a in range(self.n_coders):
            for b in range(a + 1, self.n_coders):
                counts += 2 * ((self.codes[:, a] == self.codes[:, b]) & (self.codes[:, a] != MISSING))
        return counts

    def coincidence_table(self) -> Table:
        return coincidence_table(self.labels, self.coincidences)

    def contingency(self) -> np.ndarray:
        """Two coders only: units coded by both, rows the first coder's category, columns the second's."""
        first, second = self.codes[:, 0], self.codes[:, 1]
        both = (first != MISSING) & (second != MISSING)
        k = self.n_categories
        return np.bincount(first[both].astype(np.intp) * k + second[both], minlength=k * k).reshape(k, k).astype(float)


def _table(kind: TableKind, labels: tuple[Label, ...], counts: np.ndarray) -> Table:
    return Table(kind, labels, tuple(tuple(float(x) for x in row) for row in counts.tolist()))


def coincidence_table(labels: tuple[Label, ...], coincidences: np.ndarray) -> Table:
    return _table("coincidence", labels, coincidences)


def contingency_table(data: ReliabilityData) -> Table:
    return _table("contingency", data.labels, data.contingency())
