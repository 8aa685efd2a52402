"""Krippendorff's unitizing α (uα) on character continua, where coders draw their own segment boundaries."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from mda_coder.analysis.agreement.result import (
    FEWER_THAN_TWO_CODERS,
    ONE_CATEGORY,
    Label,
    Result,
    Table,
    defined,
    undefined,
)
from mda_coder.i18n import Phrase

NO_SHARED_CONTINUUM = Phrase(
    "no text was unitized by two or more coders: there are no two unitizations of one text to compare"
)
ALL_GAP = Phrase(
    "no coder marked any segment in the texts compared: all of it is gap, "
    "so there is no variation whose reproduction could be judged"
)

CONTINUUM, CODER, START, END, VALUE = range(5)
"""Columns of `Unitization.segments`."""


@dataclass(frozen=True, eq=False)
class Unitization:
    """Coders' segments on one or more continua (texts), checked, merged and encoded once.

    A continuum is a text of `lengths[d]` characters; each coder who covered it divides it into
    segments, half-open `[start, end)` with a value 1..V, and gaps (value 0) between them.
    `covered[d, i]` says whether coder i unitized continuum d at all: a coder who did not is
    missing there, which is not the same as leaving it all gap. Overlapping segments of one value
    by one coder are merged into one (their union); touching ones stay separate units, because the
    coder marked two. Segments of different values by one coder may not overlap (a unitization
    is a partition of the continuum), as in a mutually exclusive group of codes.
    """

    lengths: np.ndarray
    """int64, shape (continua,)."""
    covered: np.ndarray
    """bool, shape (continua, coders)."""
    segments: np.ndarray
    """int64, shape (segments, 5): continuum, coder, start, end, value; sorted in that column order
    except value, which breaks ties last."""
    labels: tuple[Label, ...]
    """labels[0] names the gaps, labels[v] the value v."""

    @property
    def n_coders(self) -> int:
        return int(self.covered.shape[1])

    @property
    def n_values(self) -> int:
        return len(self.labels) - 1

    @property
    def offsets(self) -> np.ndarray:
        """Where each continuum starts when all are laid end to end (one axis for every search)."""
        return np.concatenate(([0], np.cumsum(self.lengths)))

    @classmethod
    def from_segments(
        cls,
        lengths: Sequence[int] | np.ndarray,
        segments: Any,
        covered: Any = None,
        labels: Sequence[Label] = ("gap", "coded"),
    ) -> Unitization:
        """Check and encode segment rows `(continuum, coder, start, end)` or `(..., value)`.

        Without a value column every segment has value 1 (one code against its gaps). `covered`
        is a continua × coders matrix of booleans; without it, every coder covered every continuum
        and the number of coders is one more than the highest coder index in `segments`.
        Raises ValueError naming the first row that does not fit.
        """
        lengths_arr = np.asarray(lengths, dtype=np.int64).reshape(-1)
        if (lengths_arr < 0).any():
            raise ValueError("continuum lengths must be zero or more")
        rows = np.asarray(segments, dtype=np.int64)
        if rows.size == 0:
            rows = rows.reshape(0, 5)
        if rows.ndim != 2 or rows.shape[1] not in (4, 5):
            raise ValueError(
                "segments must be rows of (continuum, coder, start, end) or (continuum, coder, start, end, value)"
            )
        if rows.shape[1] == 4:
            rows = np.column_stack((rows, np.ones(len(rows), dtype=np.int64)))
        if covered is None:
            n_coders = int(rows[:, CODER].max(initial=-1)) + 1
            covered_arr = np.ones((len(lengths_arr), n_coders), dtype=bool)
        else:
            covered_arr = np.asarray(covered, dtype=bool)
            if covered_arr.ndim != 2 or covered_arr.shape[0] != len(lengths_arr):
                raise ValueError(f"covered must be a continua × coders matrix with {len(lengths_arr)} rows")
        _check(rows, lengths_arr, covered_arr, len(labels) - 1)
        merged = _merge(rows, int(lengths_arr.max(initial=0)) + 1)
        _check_partition(merged)
        lengths_arr.setflags(write=False)
        covered_arr.setflags(write=False)
        merged.setflags(write=False)
        return cls(lengths_arr, covered_arr, merged, tuple(labels))


def _check(rows: np.ndarray, lengths: np.ndarray, covered: np.ndarray, n_values: int) -> None:
    n_continua, n_coders = covered.shape
    bad = (
        (rows[:, CONTINUUM] < 0)
        | (rows[:, CONTINUUM] >= n_continua)
        | (rows[:, CODER] < 0)
        | (rows[:, CODER] >= n_coders)
        | (rows[:, VALUE] < 1)
        | (rows[:, VALUE] > n_values)
    )
    if bad.any():
        row = rows[np.flatnonzero(bad)[0]].tolist()
        raise ValueError(
            f"segment {row}: continuum, coder or value out of range "
            f"({n_continua} continua, {n_coders} coders, values 1–{n_values})"
        )
    length = lengths[rows[:, CONTINUUM]]
    bad = (rows[:, START] < 0) | (rows[:, END] <= rows[:, START]) | (rows[:, END] > length)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"segment {rows[i].tolist()}: need 0 <= start < end <= {int(length[i])}, the continuum's length"
        )
    bad = ~covered[rows[:, CONTINUUM], rows[:, CODER]]
    if bad.any():
        row = rows[np.flatnonzero(bad)[0]].tolist()
        raise ValueError(f"segment {row}: its coder is marked as not covering that continuum")


def _runs(keys_start: np.ndarray, keys_end: np.ndarray) -> np.ndarray:
    """For segments sorted by start within groups, True where a segment overlaps an earlier one of its group.

    Keys put each group on its own stretch of one axis, so one running maximum of the ends serves
    every group at once.
    """
    reach = np.maximum.accumulate(keys_end)
    overlaps = np.zeros(len(keys_start), dtype=bool)
    overlaps[1:] = keys_start[1:] < reach[:-1]
    return overlaps


def _merge(rows: np.ndarray, stride: int) -> np.ndarray:
    """Union the overlapping segments of one coder and one value in one continuum."""
    if len(rows) == 0:
        return rows.reshape(0, 5).copy()
    rows = rows[np.lexsort((rows[:, START], rows[:, VALUE], rows[:, CODER], rows[:, CONTINUUM]))]
    group_keys = rows[:, [CONTINUUM, CODER, VALUE]]
    new_group = np.ones(len(rows), dtype=bool)
    new_group[1:] = (group_keys[1:] != group_keys[:-1]).any(axis=1)
    group = np.cumsum(new_group) - 1
    base = group * stride
    overlaps = _runs(base + rows[:, START], base + rows[:, END])
    first = np.flatnonzero(~overlaps)
    merged = rows[first].copy()
    merged[:, END] = np.maximum.reduceat(rows[:, END], first)
    order = np.lexsort((merged[:, VALUE], merged[:, START], merged[:, CODER], merged[:, CONTINUUM]))
    return merged[order]


def _check_partition(merged: np.ndarray) -> None:
    if len(merged) < 2:
        return
    pair = merged[:, [CONTINUUM, CODER]]
    new_group = np.ones(len(merged), dtype=bool)
    new_group[1:] = (pair[1:] != pair[:-1]).any(axis=1)
    stride = int(merged[:, END].max()) + 1
    base = (np.cumsum(new_group) - 1) * stride
    overlaps = _runs(base + merged[:, START], base + merged[:, END])
    if overlaps.any():
        row = merged[np.flatnonzero(overlaps)[0]].tolist()
        raise ValueError(
            f"segment {row} overlaps a segment of another value by the same coder: "
            "a coder's values must not overlap (use one value, or one code at a time)"
        )


@dataclass(frozen=True, slots=True)
class Coincidences:
    """uα's observed coincidences l_ck and the self-pairings its expected coincidences leave out."""

    observed: np.ndarray
    """(V+1) × (V+1), float: lengths of intersecting segments of value c and k, over ordered pairs of
    different coders, each continuum weighted 1/(m_d − 1) for its m_d coders."""
    self_pairs: np.ndarray
    """(V+1,), float: per value, Σ l² over units (a unit cannot pair with any part of itself) and,
    for the gaps, Σ l (gaps are not units: each character pairs with all but itself)."""
    n_continua: int
    n_pairable: int


def coincidences(data: Unitization) -> Coincidences:
    """Sweep the boundaries of every segment once; between two boundaries all counts are constant.

    Σ_{i≠j} [coder i has c at x][coder j has k at x] = n_c(x) n_k(x) − [c = k] n_c(x), where n_c(x)
    counts the coders with value c at character x; so the coincidences are sums over the stretches
    between boundaries, never a loop over characters.
    """
    v = data.n_values + 1
    coders_per = data.covered.sum(axis=1)
    pairable = coders_per >= 2
    offsets = data.offsets
    seg = data.segments[pairable[data.segments[:, CONTINUUM]]]
    base = offsets[seg[:, CONTINUUM]]
    starts, ends = base + seg[:, START], base + seg[:, END]
    bounds = np.concatenate((offsets[:-1][pairable], offsets[1:][pairable]))
    points = np.unique(np.concatenate((starts, ends, bounds)))
    observed = np.zeros((v, v))
    self_pairs = np.zeros(v)
    if len(points) >= 2:
        delta = np.zeros((len(points), v))
        np.add.at(delta, (np.searchsorted(points, starts), seg[:, VALUE]), 1.0)
        np.add.at(delta, (np.searchsorted(points, ends), seg[:, VALUE]), -1.0)
        counts = np.cumsum(delta, axis=0)[:-1]
        width = np.diff(points).astype(float)
        continuum = np.searchsorted(offsets, points[:-1], side="right") - 1
        keep = pairable[continuum] & (width > 0)
        counts, width, m = counts[keep], width[keep], coders_per[continuum[keep]].astype(float)
        counts[:, 0] = m - counts[:, 1:].sum(axis=1)
        weighted = counts * (width / (m - 1))[:, None]
        observed = weighted.T @ counts - np.diag(weighted.sum(axis=0))
        length = (seg[:, END] - seg[:, START]).astype(float)
        self_pairs = np.bincount(seg[:, VALUE], weights=length * length, minlength=v).astype(float)
        self_pairs[0] = observed[0].sum()
    return Coincidences(observed, self_pairs, len(data.lengths), int(pairable.sum()))


def unitizing_alpha(data: Unitization) -> Result:
    """Krippendorff's uα after Krippendorff, Mathet, Bouvry & Widlöcher (2016).

    Observed coincidences l_ck are the intersection lengths of value-c segments of one coder with
    value-k segments of another (gaps are value 0), over ordered pairs of coders, divided by m − 1.
    Expected coincidences are e_ck = l.. (l_c. l_.k − [c = k] S_c) / (l..² − Σ_c S_c), with S_c the
    self-pairings of `Coincidences.self_pairs`; uα = 1 − (l.. − Σ_c l_cc) / (l.. − Σ_c e_cc).

    With one value (one code against its gaps) this is also the paper's binary |uα. The 2016
    definition replaces the positional one of Krippendorff (1995, 2004), which misbehaved with more
    than two coders. The paper has every coder unitize one whole continuum; for several texts and a
    coder missing on some, the coincidences are pooled over the texts and each text is weighted
    1/(m_d − 1) by the coders who covered it, as α weights a unit by its values (Krippendorff 2011);
    a text only one coder covered is not pairable. When every unit is one character long, uα equals
    nominal α with the characters as units. `observed` and `expected` are D_o and D_e as shares of
    l.., the pairable coder-characters (`n_values`); `table` holds the observed coincidences.
    """
    c = coincidences(data)
    total = float(c.observed.sum())
    fields: dict[str, Any] = {
        "basis": "disagreement",
        "n_units": c.n_continua,
        "n_pairable": c.n_pairable,
        "n_values": round(total),
        "level": "nominal",
    }
    if int((data.covered.sum(axis=0) > 0).sum()) < 2:
        return undefined("unitizing_alpha", FEWER_THAN_TWO_CODERS, observed=None, expected=None, table=None, **fields)
    if c.n_pairable == 0 or total == 0:
        return undefined("unitizing_alpha", NO_SHARED_CONTINUUM, observed=None, expected=None, table=None, **fields)
    marginals = c.observed.sum(axis=1)
    off_diagonal = ~np.eye(len(marginals), dtype=bool)
    # Σ_{c≠k} e_ck directly, not l.. − Σ e_cc: no cancellation when one value fills nearly everything.
    expected_off = total * float(marginals @ (total - marginals)) / (total**2 - float(c.self_pairs.sum()))
    observed_d = float(c.observed[off_diagonal].sum()) / total
    expected_d = expected_off / total
    table = Table("coincidence", data.labels, tuple(tuple(float(x) for x in row) for row in c.observed.tolist()))
    fields.update(observed=observed_d, expected=expected_d, table=table)
    if int((marginals > 0).sum()) < 2:
        reason = ALL_GAP if marginals[1:].sum() == 0 else ONE_CATEGORY
        return undefined("unitizing_alpha", reason, **fields)
    return defined("unitizing_alpha", 1.0 - observed_d / expected_d, **fields)
