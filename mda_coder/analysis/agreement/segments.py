"""MAXQDA-style segment agreement: does the other coder have the same code on (nearly) the same segment?

This is its own statistic, not α: it counts segments, not characters, and MAXQDA's chance
correction (Brennan & Prediger with q = the number of codes compared) is a convention of that
program rather than a model of chance unitizing. Report it beside uα, not instead of it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mda_coder.analysis.agreement.result import Result, Table, defined, undefined
from mda_coder.analysis.agreement.unitizing import (
    CODER,
    CONTINUUM,
    END,
    START,
    VALUE,
    Unitization,
)
from mda_coder.i18n import Phrase

NO_SEGMENTS = Phrase("neither coder marked a segment in the texts both covered")
ONE_CODE = Phrase("only one code was compared: with q = 1, chance agreement 1/q is 1 and κ has no room")
DEFAULT_THRESHOLD = 0.9
"""MAXQDA's default minimum overlap for two segments to agree."""

LABELS = ("coded", "not coded")


@dataclass(frozen=True, slots=True)
class Unmatched:
    """A segment of one coder that the other coder did not match closely enough."""

    continuum: int
    coder: int
    """0 for the first coder of the comparison, 1 for the second."""
    start: int
    end: int
    best_overlap: float
    """The largest overlap (intersection / union) with any segment of the other coder; 0 if none touched it."""


@dataclass(frozen=True, slots=True)
class SegmentMatching:
    """The segment-level table for one code and two coders, and the percent agreement behind it.

    Every segment of either coder is one row of the evaluation, so a segment both coders drew
    alike counts twice, once from each side, as in MAXQDA's code-specific results table.
    """

    threshold: float
    agreements: int
    """Segments (of either coder) that the other coder matched at `threshold` or more."""
    first_only: int
    """The first coder's segments that the second did not match."""
    second_only: int
    """The second coder's segments that the first did not match."""
    result: Result
    """Percent agreement agreements / (agreements + first_only + second_only), as a share (0–1);
    `table` is MAXQDA's four-field table with the cell "neither coded" fixed at 0."""
    unmatched: tuple[Unmatched, ...]

    @property
    def segments(self) -> int:
        return self.agreements + self.first_only + self.second_only


def _best_overlap(own: np.ndarray, other: np.ndarray) -> np.ndarray:
    """Per segment of `own`, the largest intersection / union with a segment of `other`.

    Both are (start, end) on one axis, sorted, neither overlapping itself, so the segments of
    `other` that touch one of `own` form one contiguous run found by two binary searches.
    """
    best = np.zeros(len(own))
    if len(own) == 0 or len(other) == 0:
        return best
    first = np.searchsorted(other[:, 1], own[:, 0], side="right")
    stop = np.searchsorted(other[:, 0], own[:, 1], side="left")
    count = np.maximum(stop - first, 0)
    if count.sum() == 0:
        return best
    owner = np.repeat(np.arange(len(own)), count)
    partner = np.repeat(first, count) + np.arange(count.sum()) - np.repeat(np.cumsum(count) - count, count)
    a, b = own[owner], other[partner]
    inter = np.minimum(a[:, 1], b[:, 1]) - np.maximum(a[:, 0], b[:, 0])
    union = (a[:, 1] - a[:, 0]) + (b[:, 1] - b[:, 0]) - inter
    np.maximum.at(best, owner, inter / union)
    return best


def segment_matching(
    data: Unitization, threshold: float = DEFAULT_THRESHOLD, coders: tuple[int, int] = (0, 1), value: int = 1
) -> SegmentMatching:
    """MAXQDA's third level, "segment overlap", for one code (`value`) and two coders.

    A segment counts as an agreement when the other coder has a segment of the same value whose
    overlap with it, intersection / union in characters, is at least `threshold` (MAXQDA: 90%).
    Only texts both coders covered are compared: a segment in a text the other coder never coded
    is missing, not a disagreement (MAXQDA compares only documents both coders have). Overlapping
    segments of one coder were merged when `data` was built, as MAXQDA merges them on coding.
    """
    if not 0 < threshold <= 1:
        raise ValueError(f"the overlap threshold must be more than 0 and at most 1 (got {threshold})")
    both = data.covered[:, coders[0]] & data.covered[:, coders[1]]
    seg = data.segments
    seg = seg[(seg[:, VALUE] == value) & both[seg[:, CONTINUUM]]]
    offsets = data.offsets
    sides = []
    for coder in coders:
        own = seg[seg[:, CODER] == coder]
        base = offsets[own[:, CONTINUUM]]
        sides.append((own, np.column_stack((base + own[:, START], base + own[:, END]))))
    best = [_best_overlap(sides[0][1], sides[1][1]), _best_overlap(sides[1][1], sides[0][1])]
    # A hair of tolerance: a ratio that is 90% in exact arithmetic must not fail 0.9 by rounding.
    matched = [b >= threshold - 1e-12 for b in best]
    agreements = int(matched[0].sum() + matched[1].sum())
    first_only, second_only = int((~matched[0]).sum()), int((~matched[1]).sum())
    unmatched = tuple(
        Unmatched(int(row[CONTINUUM]), side, int(row[START]), int(row[END]), float(overlap))
        for side in (0, 1)
        for row, overlap in zip(sides[side][0][~matched[side]].tolist(), best[side][~matched[side]].tolist())
    )
    total = agreements + first_only + second_only
    table = Table("contingency", LABELS, ((float(agreements), float(first_only)), (float(second_only), 0.0)))
    fields: dict[str, Any] = {
        "basis": "agreement",
        "expected": None,
        "n_units": total,
        "n_pairable": total,
        "n_values": total,
        "table": table,
    }
    if total == 0:
        result = undefined("segment_agreement", NO_SEGMENTS, observed=None, **fields)
    else:
        share = agreements / total
        result = defined("segment_agreement", share, observed=share, **fields)
    return SegmentMatching(threshold, agreements, first_only, second_only, result, unmatched)


def segment_kappa(matchings: Sequence[SegmentMatching], n_codes: int | None = None) -> Result:
    """MAXQDA's chance-corrected segment agreement: Brennan & Prediger's (1981) κ_n over all codes.

    The four-field tables of the codes are added up; p_o = agreements / all segments evaluated
    (the cell "neither coder coded it" cannot be counted for free segments and is 0), and chance
    agreement is 1/q with q the number of codes compared (`n_codes`, default: one per matching).
    κ_n = (p_o − 1/q) / (1 − 1/q). Undefined for one code, or when no segment was drawn.
    """
    q = len(matchings) if n_codes is None else n_codes
    agreements = sum(m.agreements for m in matchings)
    first_only = sum(m.first_only for m in matchings)
    second_only = sum(m.second_only for m in matchings)
    total = agreements + first_only + second_only
    table = Table("contingency", LABELS, ((float(agreements), float(first_only)), (float(second_only), 0.0)))
    fields: dict[str, Any] = {
        "basis": "agreement",
        "n_units": total,
        "n_pairable": total,
        "n_values": total,
        "table": table,
    }
    if total == 0:
        return undefined("segment_kappa", NO_SEGMENTS, observed=None, expected=None, **fields)
    observed = agreements / total
    if q < 2:
        return undefined("segment_kappa", ONE_CODE, observed=observed, expected=1.0, **fields)
    chance = 1.0 / q
    return defined("segment_kappa", (observed - chance) / (1 - chance), observed=observed, expected=chance, **fields)
