"""Krippendorff's α on the coincidence matrix, at the nominal, ordinal, interval and ratio levels."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

import numpy as np

from mda_coder.analysis.agreement.coincidence import PairCounts, pair_counts
from mda_coder.analysis.agreement.data import ReliabilityData, coincidence_table
from mda_coder.analysis.agreement.result import (
    FEWER_THAN_TWO_CODERS,
    NO_PAIRS,
    ONE_CATEGORY,
    Label,
    Result,
    defined,
    undefined,
)

Level = Literal["nominal", "ordinal", "interval", "ratio"]
LEVELS: tuple[Level, ...] = ("nominal", "ordinal", "interval", "ratio")


def differences(level: Level, labels: tuple[Label, ...], marginals: np.ndarray) -> np.ndarray:
    """The squared difference δ²_ck between every two categories (Krippendorff 2011, section E).

    nominal: 0 if c = k else 1. ordinal: (Σ_{g=c..k} n_g − (n_c + n_k)/2)², ranks taken from the
    order of `labels` and the marginal sums n_g of the coincidence matrix, so ordinal α depends on how
    often the categories between c and k were used, not on their numeric values. interval: (c − k)².
    ratio: ((c − k)/(c + k))², 0 when c = k = 0.
    """
    k = len(labels)
    if level == "nominal":
        return 1.0 - np.eye(k)
    if level == "ordinal":
        cumulative = np.cumsum(marginals)
        # For c ≤ k: Σ_{g=c..k} n_g − (n_c+n_k)/2 = cum[k] − cum[c] + (n_c − n_k)/2; symmetric in c, k.
        span = cumulative[None, :] - cumulative[:, None] + (marginals[:, None] - marginals[None, :]) / 2
        squared: np.ndarray = np.square(np.abs(span))
        return squared
    if level not in ("interval", "ratio"):
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    if not all(isinstance(v, (int, float)) for v in labels):
        raise ValueError(
            f"{level} α needs numeric categories; got {[v for v in labels if not isinstance(v, (int, float))]!r}"
        )
    values = np.asarray(labels, dtype=float)
    diff = values[:, None] - values[None, :]
    if level == "interval":
        interval: np.ndarray = np.square(diff)
        return interval
    if (values < 0).any():
        raise ValueError("ratio α needs values that are zero or more")
    total = values[:, None] + values[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(total == 0, 0.0, diff / np.where(total == 0, 1.0, total))
    return np.square(ratio)


def disagreements(data: ReliabilityData, level: Level) -> tuple[float, float, np.ndarray]:
    """Observed and expected disagreement D_o, D_e (per pairable value) and the δ² matrix used."""
    return _disagreements(data.coincidences, data.labels, level)


def _disagreements(coincidence: np.ndarray, labels: tuple[Label, ...], level: Level) -> tuple[float, float, np.ndarray]:
    marginals = coincidence.sum(axis=1)
    n = marginals.sum()
    delta = differences(level, labels, marginals)
    observed = float((coincidence * delta).sum() / n)
    expected = float(marginals @ delta @ marginals / (n * (n - 1)))
    return observed, expected, delta


def krippendorff_alpha(data: Any, level: Level = "nominal") -> Result:
    """Krippendorff's α = 1 − D_o / D_e for any number of coders, with missing values.

    `data` is a units × coders matrix (rows are units) of labels with None for missing, or a
    `ReliabilityData`. Units with fewer than two values are not pairable and do not count, as in
    Krippendorff (2011). α is undefined when fewer than two coders coded anything, when no unit has
    two values, or when all pairable values are one category (D_e = 0: there is no variation whose
    reproduction could be judged).
    """
    _check_level(level)
    data = ReliabilityData.from_rows(data)
    return _alpha(data.pair_counts, 0, data.labels, level, data.n_units)


def krippendorff_alphas(
    stack: np.ndarray, labels: Sequence[Label] = (0, 1), level: Level = "nominal"
) -> tuple[Result, ...]:
    """α for each of many variables coded by the same coders on the same units, in one vectorised pass.

    `stack` is a variables × units × coders array of signed integers (int8 is enough and keeps
    memory low): an index into `labels`, or MISSING. The per-code binary matrices of an agreement
    report are such a stack with labels (0, 1). Each Result equals `krippendorff_alpha` on that
    variable's units × coders matrix; computing them together reads the stack in a few cache-sized
    chunks instead of making a `ReliabilityData` and its arrays per variable.
    """
    _check_level(level)
    labels, stack = tuple(labels), np.asarray(stack)
    counts = pair_counts(stack, len(labels))
    return tuple(_alpha(counts, v, labels, level, stack.shape[1]) for v in range(stack.shape[0]))


def _check_level(level: str) -> None:
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")


def _alpha(counts: PairCounts, variable: int, labels: tuple[Label, ...], level: Level, n_units: int) -> Result:
    fields: dict[str, Any] = {"basis": "disagreement", "n_units": n_units, "level": level}
    if counts.coders_with_values[variable] < 2:
        return undefined(
            "krippendorff_alpha",
            FEWER_THAN_TWO_CODERS,
            observed=None,
            expected=None,
            n_pairable=0,
            n_values=0,
            table=None,
            **fields,
        )
    n_pairable = int(counts.n_pairable[variable])
    if n_pairable == 0:
        return undefined(
            "krippendorff_alpha", NO_PAIRS, observed=None, expected=None, n_pairable=0, n_values=0, table=None, **fields
        )
    coincidence = counts.coincidences[variable]
    observed, expected, _ = _disagreements(coincidence, labels, level)
    fields.update(
        observed=observed,
        expected=expected,
        n_pairable=n_pairable,
        n_values=int(counts.n_values[variable]),
        table=coincidence_table(labels, coincidence),
    )
    if expected == 0:
        return undefined("krippendorff_alpha", ONE_CATEGORY, **fields)
    return defined("krippendorff_alpha", 1.0 - observed / expected, **fields)
