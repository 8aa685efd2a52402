"""Codes × categories of units (documents, speakers, roles, groups, attribute values): counts and shares.

Each unit belongs to exactly one category (the caller names a category for turns without a
speaker, say), so a code's counts over the categories add up to the units it is on, and a
category's units are the denominator of "how much of this speaker's talk carries the code".
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

import numpy as np

from mda_coder.analysis.cooccurrence import Value
from mda_coder.analysis.units import INT

Values = Literal["count", "row-share", "unit-share"]
VALUES: tuple[Values, ...] = ("count", "row-share", "unit-share")
"""``row-share``: of the units the code is on, the share in each category; ``unit-share``: of a
category's units, the share the code is on."""

UNUSED = "the code is on no unit here, so it has no shares"
EMPTY = "the category has no units"


@dataclass(frozen=True, slots=True)
class CodeMatrix:
    """Coded units per code and category, with the totals the shares divide by."""

    counts: np.ndarray
    """codes × categories: distinct units in the category the code is on."""
    code_units: np.ndarray
    """Per code: units it is on (the row total)."""
    category_units: np.ndarray
    """Per category: its units, coded or not."""

    def cell(self, values: Values, code: int, category: int) -> Value:
        n = int(self.counts[code, category])
        if values == "count":
            return Value(float(n))
        if values == "row-share":
            total = int(self.code_units[code])
            return Value(n / total) if total else Value(None, UNUSED)
        units = int(self.category_units[category])
        return Value(n / units) if units else Value(None, EMPTY)

    def total(self, values: Values, code: int) -> Value:
        """The row's total column: its units, 100% of them, or the share of all units it is on."""
        n = int(self.code_units[code])
        if values == "count":
            return Value(float(n))
        if values == "row-share":
            return Value(1.0) if n else Value(None, UNUSED)
        units = int(self.category_units.sum())
        return Value(n / units) if units else Value(None, EMPTY)


def code_matrix(present: np.ndarray, category: np.ndarray, n_categories: int) -> CodeMatrix:
    """From units × codes presence and each unit's category index to the codes × categories table."""
    category = np.asarray(category, dtype=INT)
    onehot = np.zeros((n_categories, len(category)), dtype=np.float64)
    onehot[category, np.arange(len(category))] = 1.0
    counts = np.rint(onehot @ present.astype(np.float64)).astype(INT).T
    return CodeMatrix(
        counts, present.sum(axis=0).astype(INT), np.bincount(category, minlength=n_categories).astype(INT)
    )
