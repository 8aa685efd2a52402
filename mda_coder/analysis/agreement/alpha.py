"""Krippendorff's α on the coincidence matrix, at the nominal, ordinal, interval and ratio levels."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np

from mda_coder.analysis.agreement.data import ReliabilityData
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
        return np.square(np.abs(span))
    if level not in ("interval", "ratio"):
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    if not all(isinstance(v, (int, float)) for v in labels):
        raise ValueError(f"{level} α needs numeric categories; got {[v for v in labels if not isinstance(v, (int, float))]!r}")
    values = np.asarray(labels, dtype=float)
    diff = values[:, None] - values[None, :]
    if level == "interval":
        return np.square(diff)
    if (values < 0).any():
        raise ValueError("ratio α needs values that are zero or more")
    total = values[:, None] + values[None, :]
    with np.errstate(invalid="ignore", divide="ignore"):
        ratio = np.where(total == 0, 0.0, diff / np.where(total == 0, 1.0, total))
    return np.square(ratio)


def disagreements(data: ReliabilityData, level: Level) -> tuple[float, float, np.ndarray]:
    """Observed and expected disagreement D_o, D_e (per pairable value) and the δ² matrix used."""
    coincidence = data.coincidences
    marginals = coincidence.sum(axis=1)
    n = marginals.sum()
    delta = differences(level, data.labels, marginals)
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
    if level not in LEVELS:
        raise ValueError(f"unknown level {level!r}; expected one of {', '.join(LEVELS)}")
    data = ReliabilityData.from_rows(data)
    fields: dict[str, Any] = {"basis": "disagreement", "n_units": data.n_units, "level": level}
    if data.coders_with_values < 2:
        return undefined("krippendorff_alpha", FEWER_THAN_TWO_CODERS, observed=None, expected=None,
                         n_pairable=0, n_values=0, table=None, **fields)
    n_pairable = data.n_pairable
    if n_pairable == 0:
        return undefined("krippendorff_alpha", NO_PAIRS, observed=None, expected=None,
                         n_pairable=0, n_values=0, table=None, **fields)
    observed, expected, _ = disagreements(data, level)
    fields.update(observed=observed, expected=expected, n_pairable=n_pairable,
                  n_values=int(data.values_per_unit[data.pairable].sum()), table=data.coincidence_table())
    if expected == 0:
        return undefined("krippendorff_alpha", ONE_CATEGORY, **fields)
    return defined("krippendorff_alpha", 1.0 - observed / expected, **fields)
