"""Bootstrap confidence intervals for Krippendorff's α after Hayes & Krippendorff (2007)."""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from mda_coder.analysis.agreement.alpha import Level, disagreements, krippendorff_alpha
from mda_coder.analysis.agreement.data import ReliabilityData

THRESHOLDS = (0.9, 0.8, 0.7, 0.667, 0.6, 0.5)
"""The α_min values KALPHA reports q = P(α < α_min) for; .800 and .667 are Krippendorff's conventions."""

METHOD = (
    "Hayes & Krippendorff (2007), as in the KALPHA macro 3.0: pairs of values drawn from the "
    "coincidence matrix with D_e held fixed; not a bootstrap over units"
)

_CELLS_PER_CHUNK = 2_000_000


@dataclass(frozen=True, slots=True)
class AlphaInterval:
    """A bootstrap 95% interval for α; unpacks as `(low, high)`.

    `below` gives, for each α_min in THRESHOLDS, the share of bootstrap α values under it: the
    probability of failing to reach that α_min, which is what a reader deciding whether to rely on
    the data needs more than the interval itself.
    """

    alpha: float | None
    low: float | None
    high: float | None
    undefined: str | None
    level: str
    samples: int
    draws: int
    """Pairs of values drawn per bootstrap sample: min(25 q, (coders − 1) n.. / 2), q the non-empty cells."""
    seed: int | None
    mean: float | None
    """The mean of the bootstrap α values (KALPHA prints it): close to α unless its corrections bit."""
    below: tuple[tuple[float, float], ...]
    method: str = METHOD

    def __iter__(self) -> Iterator[float | None]:
        yield self.low
        yield self.high


def bootstrap_alpha(data: Any, level: Level = "nominal", samples: int = 1000, seed: int | None = 0) -> AlphaInterval:
    """The 95% bootstrap interval of α by Hayes & Krippendorff's (2007) algorithm.

    Following Hayes's KALPHA macro (3.0, 2011), which implements the paper: the expected disagreement
    D_e is held at its value in the data; each bootstrap sample draws M pairs of values with
    replacement from the coincidence matrix (cell c≤k with probability o_cc/n.. on the diagonal and
    2·o_ck/n.. off it) and gives α* = 1 − (mean δ² of the drawn pairs) / D_e, with
    M = min(25·q, (coders − 1)·n.. / 2), q the number of non-empty coincidence cells. As in KALPHA,
    α* below −1 is set to −1; an α* of 1 is set to 0 when only one category ever agreed with itself;
    and as many α* = 1 as the chance of all n pairs agreeing by accident predicts
    (round(samples · Σ_c (o_cc/n..)^pairs)) are set to 0. The interval is the 2.5th and 97.5th
    percentiles in KALPHA's order statistics. The draws are a multinomial per sample, which is the
    same distribution as M single draws and costs O(cells) instead of O(M).

    `seed` defaults to 0 so that reports are reproducible; pass None for fresh randomness.
    """
    if samples < 40:
        raise ValueError("a 95% interval needs at least 40 bootstrap samples (KALPHA uses 1000 or more)")
    data = ReliabilityData.from_rows(data)
    result = krippendorff_alpha(data, level)
    if result.value is None:
        return AlphaInterval(None, None, None, result.undefined, level, samples, 0, seed, None, ())
    coincidence = data.coincidences
    n = float(coincidence.sum())
    _, expected, delta = disagreements(data, level)
    upper = np.triu_indices(data.n_categories)
    probability = np.where(upper[0] == upper[1], 1.0, 2.0) * coincidence[upper] / n
    keep = probability > 0
    probability, cell_delta = probability[keep] / probability[keep].sum(), delta[upper][keep]
    nonempty = int((coincidence > 0).sum())
    draws = max(1, int(min(25 * nonempty, (data.n_coders - 1) * n / 2)))

    rng = np.random.default_rng(seed)
    chunk = max(1, _CELLS_PER_CHUNK // len(probability))
    alphas = np.concatenate(
        [
            1.0
            - rng.multinomial(draws, probability, size=min(chunk, samples - start)) @ cell_delta / (expected * draws)
            for start in range(0, samples, chunk)
        ]
    )
    alphas = np.maximum(alphas, -1.0)
    diagonal = np.diag(coincidence) / n
    agreeing_categories = int((diagonal > 0).sum())
    perfect = alphas == 1.0
    if agreeing_categories == 1:
        alphas[perfect] = 0.0
    else:
        m = data.values_per_unit[data.pairable]
        pairs = float((m * (m - 1) / 2).sum())
        by_chance = math.floor(samples * float((diagonal**pairs).sum()) + 0.5)
        if by_chance > 0:
            alphas[np.flatnonzero(perfect)[:by_chance]] = 0.0
    alphas.sort()
    low = float(alphas[max(int(0.025 * samples) - 1, 0)])
    high = float(alphas[min(int(0.975 * samples), samples - 1)])
    below = tuple((t, float((alphas < t).mean())) for t in THRESHOLDS)
    return AlphaInterval(result.value, low, high, None, level, samples, draws, seed, float(alphas.mean()), below)
