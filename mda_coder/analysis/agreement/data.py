"""The reliability data matrix (units × coders) encoded once as integer codes, and the pair counts every coefficient starts from."""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

import numpy as np

from mda_coder.analysis.agreement.result import Label, Table

MISSING = -1
"""The code of a missing value: the coder did not code that unit (not "coded it as absent")."""


def _is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _is_number(value: object) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, np.datetime64)


def _present(value: float) -> Label:
    """Numbers come back as ints when they are whole, so labels read as the coders wrote them."""
    return int(value) if float(value).is_integer() else float(value)


@dataclass(frozen=True, eq=False)
class ReliabilityData:
    """A units × coders matrix of category codes; build it once and compute every coefficient on it.

    Encoding labels to small integers once is what makes the coefficients vectorisable: each one is
    then a handful of numpy passes over an int array, not a Python loop over units.
    """

    codes: np.ndarray
    """int64, shape (units, coders); an index into `labels`, or MISSING."""
    labels: tuple[Label, ...]
    """The categories, in order (the order ordinal α ranks them in)."""
    numeric: bool
    """Whether every label is a number, as interval and ratio α need."""

    def __post_init__(self) -> None:
        if self.codes.ndim != 2:
            raise ValueError("reliability data must be a units × coders matrix")
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
            return cls._from_numbers(rows.astype(float, copy=False))
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
        return self.codes != MISSING

    @cached_property
    def values_per_unit(self) -> np.ndarray:
        """m_u: how many coders coded each unit."""
        return self.present.sum(axis=1)

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
    def coincidences(self) -> np.ndarray:
        """Krippendorff's o_ck = Σ_u (number of c–k pairs of values in u, ordered, between different coders) / (m_u − 1).

        Built one coder pair at a time with bincount, so memory is O(units + categories²) rather than
        a units × categories count matrix.
        """
        k = self.n_categories
        m = self.values_per_unit
        # Weights of 0 stand in for masks: a unit with m_u < 2 or a missing value adds nothing, and
        # bincount over whole columns avoids the copies boolean indexing would make.
        weight = np.where(m >= 2, 1.0 / np.maximum(m - 1, 1), 0.0)
        flat = np.zeros(k * k)
        for a in range(self.n_coders):
            for b in range(a + 1, self.n_coders):
                first, second = self.codes[:, a], self.codes[:, b]
                both = (first != MISSING) & (second != MISSING)
                cell = np.where(both, first * k + second, 0)
                flat += np.bincount(cell, weights=weight * both, minlength=k * k)
        upper = flat.reshape(k, k)
        return upper + upper.T

    @cached_property
    def agreeing_pairs(self) -> np.ndarray:
        """Per unit, the ordered pairs of coders who gave the same value: Σ_k n_uk (n_uk − 1)."""
        counts = np.zeros(self.n_units, dtype=np.int64)
        for a in range(self.n_coders):
            for b in range(a + 1, self.n_coders):
                counts += 2 * ((self.codes[:, a] == self.codes[:, b]) & (self.codes[:, a] != MISSING))
        return counts

    def coincidence_table(self) -> Table:
        return _table("coincidence", self.labels, self.coincidences)

    def contingency(self) -> np.ndarray:
        """Two coders only: units coded by both, rows the first coder's category, columns the second's."""
        first, second = self.codes[:, 0], self.codes[:, 1]
        both = (first != MISSING) & (second != MISSING)
        k = self.n_categories
        return np.bincount(first[both] * k + second[both], minlength=k * k).reshape(k, k).astype(float)


def _table(kind: str, labels: tuple[Label, ...], counts: np.ndarray) -> Table:
    return Table(kind, labels, tuple(tuple(float(x) for x in row) for row in counts.tolist()))  # type: ignore[arg-type]


def contingency_table(data: ReliabilityData) -> Table:
    return _table("contingency", data.labels, data.contingency())
