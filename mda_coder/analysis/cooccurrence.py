"""Code co-occurrence on distinct units, with the measures analysts compare side by side.

Counts are of units, never of pairs of codings: a turn coded twice with A and three times with B
is one turn with both. For overlapping codings there are no given units; there a co-occurrence is
one stretch of text where the two codes' codings overlap (see `overlap_counts`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np

from mda_coder.analysis.units import INT, Passages, stride

Measure = Literal["count", "jaccard", "dice", "conditional", "lift", "phi"]
MEASURES: tuple[Measure, ...] = ("count", "jaccard", "dice", "conditional", "lift", "phi")
"""``jaccard`` is ATLAS.ti's c-coefficient, n12 / (n1 + n2 − n12); ``conditional`` is P(column | row)."""

SKEW = 5
"""A pair is marked when one code is more than this many times as frequent as the other: the
c-coefficient (and Jaccard, Dice) then reads low even where the rarer code nearly always occurs
with the other (ATLAS.ti manual, "Distortion due to unequal frequencies")."""

NO_UNITS = "overlapping codings have no fixed number of units, so there is no expected co-occurrence"
NEITHER = "neither code occurs on these units"
ROW_ABSENT = "the first code occurs on no unit"
ABSENT = "a code that occurs on no unit has no expected co-occurrence"
CONSTANT = "φ needs each code present on some units and absent from others"


@dataclass(frozen=True, slots=True)
class Value:
    """A measure's value, or why it has none (never a silent 0 or NaN)."""

    value: float | None
    undefined: str | None = None


@dataclass(frozen=True, slots=True)
class Pair:
    """Two codes (indexes into the caller's code list) and every measure of their co-occurrence."""

    a: int
    b: int
    n_a: int
    n_b: int
    n_ab: int
    jaccard: Value
    dice: Value
    b_given_a: Value
    a_given_b: Value
    lift: Value
    phi: Value
    skewed: bool
    """One code is more than `SKEW` times as frequent as the other (both occur)."""


@dataclass(frozen=True, slots=True)
class CoOccurrence:
    """How often each code occurs and each pair co-occurs, on ``n_units`` units (None: on passages)."""

    n_units: int | None
    counts: np.ndarray
    """Units with each code."""
    joint: np.ndarray
    """codes × codes: units with both; the diagonal equals ``counts``."""

    def pair(self, a: int, b: int) -> Pair:
        return pair(a, b, int(self.counts[a]), int(self.counts[b]), int(self.joint[a, b]), self.n_units)

    def pairs(self) -> list[Pair]:
        """Every pair of distinct codes once (a before b)."""
        k = len(self.counts)
        return [self.pair(a, b) for a in range(k) for b in range(a + 1, k)]

    def cell(self, measure: Measure, row: int, column: int) -> Value:
        """One cell of a code × code table: the measure of ``row`` with ``column``."""
        if measure == "count":
            return Value(float(self.joint[row, column]))
        p = self.pair(row, column)
        return {"jaccard": p.jaccard, "dice": p.dice, "conditional": p.b_given_a, "lift": p.lift, "phi": p.phi}[measure]


def pair(a: int, b: int, n_a: int, n_b: int, n_ab: int, n: int | None) -> Pair:
    """Every measure for one pair from its four counts (n: units in all, None when there is no such number)."""
    union = n_a + n_b - n_ab
    jaccard = Value(n_ab / union) if union else Value(None, NEITHER)
    dice = Value(2 * n_ab / (n_a + n_b)) if n_a + n_b else Value(None, NEITHER)
    b_given_a = Value(n_ab / n_a) if n_a else Value(None, ROW_ABSENT)
    a_given_b = Value(n_ab / n_b) if n_b else Value(None, ROW_ABSENT)
    if n is None:
        lift = phi = Value(None, NO_UNITS)
    else:
        lift = Value(n_ab * n / (n_a * n_b)) if n_a and n_b else Value(None, ABSENT)
        spread = n_a * n_b * (n - n_a) * (n - n_b)
        phi = Value((n_ab * n - n_a * n_b) / math.sqrt(spread)) if spread else Value(None, CONSTANT)
    skewed = bool(n_a and n_b and max(n_a, n_b) > SKEW * min(n_a, n_b))
    return Pair(a, b, n_a, n_b, n_ab, jaccard, dice, b_given_a, a_given_b, lift, phi, skewed)


def presence(n_units: int, n_codes: int, unit: np.ndarray, code: np.ndarray) -> np.ndarray:
    """units × codes booleans: True where a code hit the unit at least once."""
    out = np.zeros((n_units, n_codes), dtype=bool)
    out[unit, code] = True
    return out


def unit_counts(present: np.ndarray) -> CoOccurrence:
    """Co-occurrence on units from a units × codes presence matrix (one matrix product)."""
    as_float = present.astype(np.float64)  # exact for counts below 2**53; BLAS does the work
    joint = np.rint(as_float.T @ as_float).astype(INT)
    return CoOccurrence(int(present.shape[0]), np.diag(joint).copy(), joint)


def windows(present: np.ndarray, doc: np.ndarray, k: int) -> np.ndarray:
    """Presence on windows: each turn with the ``k`` turns after it in its document is one unit.

    Two codes at most ``k`` turns apart share a window; with ``k`` = 0 a window is the turn
    itself. ``present`` rows are turns in document order; a window stops at its document's end.
    """
    n = present.shape[0]
    if n == 0 or k <= 0:
        return present.copy()
    k = min(k, n)  # a window past the last turn is the rest of the document; rows + k must not overflow
    rows = np.arange(n, dtype=INT)
    last = np.empty(n, dtype=INT)  # the last row of each row's document
    breaks = np.flatnonzero(np.diff(doc)) if n > 1 else np.zeros(0, dtype=INT)
    ends = np.append(breaks, n - 1)
    last[:] = np.repeat(ends, np.diff(np.concatenate(([-1], ends))))
    stop = np.minimum(rows + k, last)
    running = np.vstack([np.zeros((1, present.shape[1]), dtype=INT), np.cumsum(present, axis=0, dtype=INT)])
    near: np.ndarray = (running[stop + 1] - running[rows]) > 0
    return near


def overlap_counts(found: Passages, n_codes: int, block: int = 1 << 21) -> CoOccurrence:
    """Co-occurrence of overlapping codings, one count per stretch of text the two codes share.

    Each code's codings are first merged into passages (`units.passages`), so one code's
    overlapping codings count once. A co-occurrence of A and B is then a connected stretch of
    A's and B's passages that overlap each other: a long A passage overlapping three short B
    passages is one co-occurrence, not three. Passages of one code are disjoint, so the overlap
    graph between A's and B's passages is a forest, and its connected parts number
    (passages of A touching B) + (passages of B touching A) − (overlapping passage pairs).
    ``counts`` are the passages per code, so n12 never exceeds either count.

    Dense coding makes many overlapping pairs (every passage of a turn with every other), so the
    pairs are made ``block`` at a time; what is kept between blocks is a passages × codes bitmap.
    """
    spans = found.spans
    n = len(spans)
    counts = np.bincount(found.group, minlength=n_codes).astype(INT)
    joint = np.zeros((n_codes, n_codes), dtype=INT)
    if n:
        order = np.lexsort((spans.start, spans.doc))
        k = stride(spans)
        s_key = (spans.doc * k + spans.start)[order]
        e_key = (spans.doc * k + spans.end)[order]
        code = found.group[order]
        # Each pair once: the passages after i in start order that start before i ends.
        rank = np.arange(n, dtype=INT)
        later = np.maximum(np.searchsorted(s_key, e_key, side="left") - rank - 1, 0)
        touches = np.zeros((n, n_codes), dtype=bool)  # rows in `found` order, which is grouped by code
        edges = np.zeros(n_codes * n_codes, dtype=INT)
        ends = np.cumsum(later)
        first = 0
        while first < n:
            last = int(np.searchsorted(ends, (ends[first - 1] if first else 0) + block, side="right"))
            last = max(last, first + 1)
            sizes = later[first:last]
            p = np.repeat(rank[first:last], sizes)
            q = p + 1 + np.arange(len(p), dtype=INT) - np.repeat(np.cumsum(sizes) - sizes, sizes)
            cp, cq = code[p], code[q]
            edges += np.bincount(cp * n_codes + cq, minlength=n_codes * n_codes)
            touches[order[p], cq] = True
            touches[order[q], cp] = True
            first = last
        square = edges.reshape(n_codes, n_codes)
        touching = np.zeros((n_codes, n_codes), dtype=INT)
        used = np.flatnonzero(counts)
        heads = np.searchsorted(found.group, used)
        touching[used] = np.add.reduceat(touches, heads, axis=0, dtype=INT)
        joint = touching + touching.T - (square + square.T)
    np.fill_diagonal(joint, counts)
    return CoOccurrence(None, counts, joint)
