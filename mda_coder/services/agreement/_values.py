"""What the agreement use case reports: per code, per exclusive group, per split, and overall."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mda_coder.analysis.agreement import AlphaInterval, Result, Table, verdict
from mda_coder.export.agreement_statistics import ON_UNITS

Unit = Literal["turn", "sentence"]
UNITS: tuple[Unit, ...] = ("turn", "sentence")

Split = Literal["document", "role"]
SPLITS: tuple[Split, ...] = ("document", "role")

NO_ROLE = "(no role)"
"""The role value of units whose speaker has no role, and of turns without a speaker."""

NONE_LABEL = "none"
"""An exclusive group's value for a unit a coder covered but gave none of the group's codes."""

COMBINED = "+"
"""Joins the labels of two or more group codes one coder gave to one unit ("positiv+negativ")."""


def results_of(value: object) -> tuple[Result, ...]:
    """The coefficients a report value carries (any object with the fields of `Figures`), in report order."""
    found = (getattr(value, s.field, None) for s in ON_UNITS)
    return tuple(r for r in found if isinstance(r, Result))


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A unit on which the coders who coded its document gave different values."""

    document: str
    unit: int
    """The turn or sentence number within the document (1-based)."""
    values: tuple[int | None, ...]
    """Per coder, in the report's coder order: 1 applied, 0 not applied, None document not covered."""


@dataclass(frozen=True, slots=True)
class CodeAgreement:
    """The coefficients for one code on the binary units × coders matrix."""

    code: str
    n_units: int
    alpha: Result
    """Krippendorff's α, nominal."""
    cohen_kappa: Result | None
    """None unless there are exactly two coders."""
    fleiss_kappa: Result
    gwet_ac1: Result
    percent_agreement: Result
    """Pairwise percent agreement (no chance correction)."""
    disagreements: tuple[Disagreement, ...]
    scott_pi: Result | None = None
    """None unless there are exactly two coders."""
    brennan_prediger: Result | None = None
    percent_all: Result | None = None
    """Share of pairable units on which all coders who coded them agreed."""
    holsti: Result | None = None
    """Holsti's percent agreement; None unless there are exactly two coders."""
    alpha_interval: AlphaInterval | None = None
    """Bootstrap 95% interval of α, when samples were asked for."""
    coincidence: Table | None = None
    """Krippendorff's coincidences of the values 0 and 1: the counts behind α."""
    contingency: Table | None = None
    """Two coders: units both coded, rows the first coder's value (0/1), columns the second's."""

    @property
    def verdict(self) -> str:
        return verdict(self.alpha)

    @property
    def results(self) -> tuple[Result, ...]:
        """Every coefficient computed, α first."""
        return results_of(self)


@dataclass(frozen=True, slots=True)
class GroupDisagreement:
    """A unit on which the coders gave different codes of a mutually exclusive group."""

    document: str
    unit: int
    values: tuple[str | None, ...]
    """Per coder: the code's label, "none", "A+B" for two codes of the group, None document not covered."""


@dataclass(frozen=True, slots=True)
class GroupAgreement:
    """Nominal agreement on a mutually exclusive group: each unit's value is the group code a coder gave it.

    A coder who gave a unit two codes of the group (on different parts of a turn, say) gives it a
    category of its own, "A+B": the data are kept as coded rather than refused, and `combined`
    counts how often it happened.
    """

    group: str
    codes: tuple[str, ...]
    """The group's code paths."""
    labels: tuple[str, ...]
    """The categories: "none", each code's name (its path where two share a name), and any "A+B" seen."""
    n_units: int
    alpha: Result
    cohen_kappa: Result | None
    scott_pi: Result | None
    fleiss_kappa: Result | None
    brennan_prediger: Result | None
    gwet_ac1: Result | None
    percent_agreement: Result | None
    percent_all: Result | None
    holsti: Result | None
    alpha_interval: AlphaInterval | None
    coincidence: Table | None
    contingency: Table | None
    combined: dict[str, int]
    """Per coder, the units to which they gave two or more codes of the group."""
    disagreements: tuple[GroupDisagreement, ...]

    @property
    def verdict(self) -> str:
        return verdict(self.alpha)

    @property
    def results(self) -> tuple[Result, ...]:
        return results_of(self)


@dataclass(frozen=True, slots=True)
class SplitAgreement:
    """The same figures on the units of one document, or of one speaker role."""

    by: Split
    value: str
    """The document's name, or the role (NO_ROLE for speakers without one)."""
    n_units: int
    codes: tuple[CodeAgreement, ...]
    """The codes used in these units by at least one of the coders."""
    groups: tuple[GroupAgreement, ...]
    pooled_alpha: Result
    pooled_interval: AlphaInterval | None
    skipped_unused: int


@dataclass(frozen=True, slots=True)
class AgreementReport:
    coders: tuple[str, ...]
    unit: Unit
    documents: tuple[str, ...]
    n_units: int
    """Turns or sentences in the documents compared."""
    covered: dict[str, tuple[str, ...]]
    """Per coder, the documents in which they made at least one coding (of any code)."""
    codes: tuple[CodeAgreement, ...]
    skipped_unused: int
    """Codes in scope that none of the coders applied in these documents: no table row for them."""
    pooled_alpha: Result
    """Pooled binary α: nominal α over the (unit, code) rows of every reported code stacked.

    Not the mean of the per-code α (a mean of ratios is no coefficient). Unused codes are left out
    of the pool: their all-zero rows would agree by construction and inflate it.
    """
    groups: tuple[GroupAgreement, ...] = ()
    """Nominal agreement on each mutually exclusive group whose codes are all in scope and used."""
    by: Split | None = None
    splits: tuple[SplitAgreement, ...] = ()
    """One per document or role when `by` is set, in document order or by role name."""
    include_subcodes: bool = False
    """Whether a sub-code's codings counted as codings of each of its ancestors too."""
    pooled_interval: AlphaInterval | None = None
    samples: int = 0
    """Bootstrap samples per α interval (0: none computed)."""
    seed: int | None = None
