"""Every agreement coefficient on one reliability data matrix at once, with the counts behind them."""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any

from mda_coder.analysis.agreement import (
    AlphaInterval,
    Level,
    ReliabilityData,
    Result,
    Table,
    bootstrap_alpha,
    brennan_prediger,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    scott_pi,
)


@dataclass(frozen=True, slots=True)
class Figures:
    """The coefficients of one matrix. Two-coder statistics are None for other numbers of coders,
    and the κ family and percentages are None at levels other than nominal (they only count equal
    values, which says nothing about ordered or metric data)."""

    alpha: Result
    """Krippendorff's α at the matrix's level."""
    alpha_interval: AlphaInterval | None
    """Bootstrap 95% interval of α (Hayes & Krippendorff 2007); None unless samples were asked for."""
    cohen_kappa: Result | None
    scott_pi: Result | None
    fleiss_kappa: Result | None
    """Fleiss' κ generalised to missing values (Gwet 2014)."""
    brennan_prediger: Result | None
    gwet_ac1: Result | None
    percent_agreement: Result | None
    """Pairwise percent agreement (a share, 0–1)."""
    percent_all: Result | None
    """Share of pairable units on which every coder who coded it agreed."""
    holsti: Result | None
    """Holsti's 2M / (N1 + N2): two coders only."""
    coincidence: Table
    """Krippendorff's coincidence matrix: the pairs of values α is computed from."""
    contingency: Table | None
    """Two coders only: units both coded, rows the first coder's value, columns the second's."""


def figures(data: ReliabilityData, level: Level = "nominal", samples: int = 0, seed: int | None = 0) -> Figures:
    """All coefficients that apply to ``data`` at ``level``.

    ``samples`` > 0 adds the bootstrap interval of α with that many samples; the same ``seed`` is used
    for every matrix, so one code's interval does not change with which other codes are reported.
    Declare the categories when building ``data`` (binary codes: 0 and 1) so that Brennan–Prediger
    and AC1 count the categories a coder could have chosen, not only those used.
    """
    two = data.n_coders == 2
    nominal = level == "nominal"
    cohen = cohen_kappa(data) if two and nominal else None
    return Figures(
        alpha=krippendorff_alpha(data, level),
        alpha_interval=bootstrap_alpha(data, level, samples, seed) if samples > 0 else None,
        cohen_kappa=cohen,
        scott_pi=scott_pi(data) if two and nominal else None,
        fleiss_kappa=fleiss_kappa(data) if nominal else None,
        brennan_prediger=brennan_prediger(data) if nominal else None,
        gwet_ac1=gwet_ac1(data) if nominal else None,
        percent_agreement=percent_agreement(data, "pairwise") if nominal else None,
        percent_all=percent_agreement(data, "all") if nominal else None,
        holsti=percent_agreement(data, "holsti") if two and nominal else None,
        coincidence=data.coincidence_table(),
        contingency=cohen.table if cohen is not None else None,
    )


def as_fields(value: Figures) -> dict[str, Any]:
    """The figures as keyword arguments, for report values that carry them as fields of their own."""
    return {f.name: getattr(value, f.name) for f in fields(value)}
