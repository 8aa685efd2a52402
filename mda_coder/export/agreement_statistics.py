"""The twelve agreement statistics, declared once: what each is called where, how it is shown, where it applies.

The command line's tables, the agreement screen, the Markdown report and the tidy CSV all read
this table, so a statistic is named, ordered and formatted alike everywhere. A heading that is a
`Phrase` is said in the interface's language (``REPORTS.text``); a plain string is a symbol that
no language changes (``α``, ``AC1``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from mda_coder.i18n import Phrase

Coders = Literal["any", "two", "more"]
Continuum = Literal["units", "characters"]


@dataclass(frozen=True, slots=True)
class Statistic:
    """One coefficient and how reports present it."""

    key: str
    """The coefficient's name in results, JSON and the tidy CSV (``krippendorff_alpha``)."""
    field: str
    """The attribute of a report value that holds its result (``alpha``); "" when none does."""
    column: str
    """Its heading in the command line's tables (``κ Cohen``)."""
    short: str
    """Its heading in the agreement screen's table, which has room for fewer letters (``% pair``)."""
    name: str
    """Its full name: the Markdown report's heading, the screen's detail panel (``Cohen's κ``)."""
    percent: bool = False
    """A share (0–1) shown as a percentage to one decimal; other values are shown to three decimals."""
    coders: Coders = "any"
    """The numbers of coders a table shows it for: Cohen's κ and its kin need exactly two; Fleiss' κ
    takes the κ column for more (for two it equals Scott's π, so tables leave it out)."""
    nominal: bool = True
    """Whether it only applies at the nominal level (it counts equal values, which says nothing about order)."""
    continuum: Continuum = "units"
    """What it is computed over: given units (turns, sentences, rows) or the characters of free spans."""
    verdict: bool = False
    """Whether Krippendorff's verdict (reliable, tentative, unreliable) goes with it."""

    def shown_for(self, coders: int) -> bool:
        """Whether a table with ``coders`` coders has a column for it."""
        return self.coders == "any" or (self.coders == "two") == (coders == 2)

    def text(self, value: float) -> str:
        """The value as every report prints it: ``0.664``, or ``98.8`` for a percentage."""
        return f"{100 * value:.1f}" if self.percent else f"{value:.3f}"


ALPHA = Statistic("krippendorff_alpha", "alpha", "α", "α", "α", nominal=False, verdict=True)
COHEN = Statistic("cohen_kappa", "cohen_kappa", "κ Cohen", "κ Cohen", Phrase("Cohen's κ"), coders="two")
SCOTT = Statistic("scott_pi", "scott_pi", "π Scott", "π Scott", Phrase("Scott's π"), coders="two")
FLEISS = Statistic("fleiss_kappa", "fleiss_kappa", "κ Fleiss", "κ Fleiss", Phrase("Fleiss' κ"), coders="more")
BRENNAN_PREDIGER = Statistic("brennan_prediger", "brennan_prediger", "BP", "BP", "Brennan–Prediger")
AC1 = Statistic("gwet_ac1", "gwet_ac1", "AC1", "AC1", Phrase("Gwet's AC1"))
PAIRWISE = Statistic(
    "percent_agreement_pairwise",
    "percent_agreement",
    Phrase("% agree"),
    Phrase("% pair"),
    Phrase("% agree (pairwise)"),
    percent=True,
)
ALL_AGREE = Statistic(
    "percent_agreement_all", "percent_all", Phrase("% all"), Phrase("% all"), Phrase("% all agree"), percent=True
)
HOLSTI = Statistic("percent_agreement_holsti", "holsti", "Holsti", "% Holsti", "% Holsti", percent=True, coders="two")
UNITIZING_ALPHA = Statistic(
    "unitizing_alpha", "alpha", "α_U", "α_U", "α_U", nominal=False, continuum="characters", verdict=True
)
SEGMENTS = Statistic(
    "segment_agreement",
    "",
    Phrase("% agree"),
    Phrase("% segments matched"),
    Phrase("% segments matched"),
    percent=True,
    coders="two",
    continuum="characters",
)
SEGMENT_KAPPA = Statistic(
    "segment_kappa",
    "",
    Phrase("segment κ"),
    Phrase("segment κ"),
    Phrase("segment κ (Brennan–Prediger)"),
    coders="two",
    continuum="characters",
)

STATISTICS: tuple[Statistic, ...] = (
    ALPHA,
    COHEN,
    SCOTT,
    FLEISS,
    BRENNAN_PREDIGER,
    AC1,
    PAIRWISE,
    ALL_AGREE,
    HOLSTI,
    UNITIZING_ALPHA,
    SEGMENTS,
    SEGMENT_KAPPA,
)
"""Every statistic, in the order reports show them: α first (the figure to report), percentages last."""

BY_KEY = {s.key: s for s in STATISTICS}

ON_UNITS = tuple(s for s in STATISTICS if s.continuum == "units")
"""The statistics computed on given units, in report order; each is a field of `analysis.figures.Figures`."""

MAIN = (ALPHA, COHEN, FLEISS, AC1, PAIRWISE)
"""The command line's first table; the rest of `ON_UNITS` follow in its table of more coefficients."""


def statistic(key: str) -> Statistic:
    """The statistic named ``key``; an unknown one is shown by its key, as a plain figure."""
    return BY_KEY.get(key) or Statistic(key, "", key, key, key)


def shown(statistics: Sequence[Statistic], coders: int) -> tuple[Statistic, ...]:
    """Those of ``statistics`` that a table of ``coders`` coders has a column for, in their order."""
    return tuple(s for s in statistics if s.shown_for(coders))


def number(value: float | None, coefficient: str = "") -> str:
    """A coefficient's value as reports print it; "–" for none."""
    if value is None:
        return "–"
    return statistic(coefficient).text(value)
