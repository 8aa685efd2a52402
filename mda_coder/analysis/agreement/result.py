"""What an agreement coefficient reports: its value or why it has none, and the counts behind it."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from mda_coder.i18n import Phrase

Label = str | int | float
"""A category as the coders wrote it: a code name, or a number for ordinal, interval and ratio data."""

Basis = Literal["agreement", "disagreement"]

TableKind = Literal["coincidence", "contingency"]

# Why a coefficient is undefined: Phrases, said in the interface's language where shown (English in files).
ONE_CATEGORY = Phrase("only one category was used: expected disagreement is 0")
ONE_CATEGORY_CHANCE = Phrase("only one category was used: chance agreement is 1")
FEWER_THAN_TWO_CODERS = Phrase("fewer than two coders coded any unit")
NO_PAIRS = Phrase("no unit was coded by two or more coders: there are no pairs of values to compare")
NO_SHARED_UNITS = Phrase("no unit was coded by both coders")


@dataclass(frozen=True, slots=True)
class Table:
    """A square table of counts over category labels: the evidence a coefficient was computed from.

    Reports print it next to the coefficient so a reader can see where the (dis)agreement lies,
    which a single number hides.
    """

    kind: TableKind
    """Coincidences (Krippendorff: pairs of values within units, each unit weighted 1/(m_u - 1), symmetric)
    or a contingency table (rows: the first coder's category, columns: the second's; counts of units)."""
    labels: tuple[Label, ...]
    counts: tuple[tuple[float, ...], ...]

    def cell(self, row: Label, column: Label) -> float:
        return self.counts[self.labels.index(row)][self.labels.index(column)]

    @property
    def total(self) -> float:
        return math.fsum(math.fsum(r) for r in self.counts)


@dataclass(frozen=True, slots=True)
class Result:
    """One coefficient on one reliability data matrix.

    Exactly one of `value` and `undefined` is set: a coefficient that cannot be computed says why
    instead of passing off 0, 1 or NaN as a finding.
    """

    coefficient: str
    """For example "krippendorff_alpha", "cohen_kappa", "percent_agreement"."""
    value: float | None
    undefined: str | None
    """The reason `value` is None, in words a report can print."""
    basis: Basis
    """Whether `observed` and `expected` are disagreements (α) or agreements (the κ family)."""
    observed: float | None
    expected: float | None
    """The chance term; None for statistics that have none (percent agreement)."""
    n_units: int
    """Rows of the reliability data matrix (units, whether or not anyone coded them)."""
    n_pairable: int
    """Units that entered the comparison: coded by two or more coders (by both, for two-coder statistics)."""
    n_values: int
    """Values in those units (n.. for α)."""
    table: Table | None
    level: str = "nominal"
    """The metric the differences were taken on: nominal, ordinal, interval or ratio."""

    def __post_init__(self) -> None:
        if (self.value is None) == (self.undefined is None):
            raise ValueError("a Result has either a value or the reason it has none")
        if self.value is not None and not math.isfinite(self.value):
            raise ValueError(f"{self.coefficient}: non-finite value {self.value!r}")


def defined(coefficient: str, value: float, **fields: Any) -> Result:
    return Result(coefficient=coefficient, value=float(value), undefined=None, **fields)


def undefined(coefficient: str, reason: str, **fields: Any) -> Result:
    return Result(coefficient=coefficient, value=None, undefined=reason, **fields)


RELIABLE = 0.800
TENTATIVE = 0.667


def verdict(alpha: float | Result | None) -> str:
    """Krippendorff's (2004, p. 241) conventions for α: rely on variables with α ≥ .800, draw only
    tentative conclusions from .667 ≤ α < .800, and discard data below .667.

    Returns "reliable", "tentative", "unreliable", or "undefined" when there is no α to judge.
    The comparison is made on α rounded to 12 decimals, so that a value that is .800 in exact
    arithmetic is not failed by a floating-point hair.
    """
    value = alpha.value if isinstance(alpha, Result) else alpha
    if value is None:
        return "undefined"
    rounded = round(value, 12)
    if rounded >= RELIABLE:
        return "reliable"
    if rounded >= TENTATIVE:
        return "tentative"
    return "unreliable"
