"""Agreement on reliability data from elsewhere: a units × coders CSV table, no project needed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from mda_coder.analysis.agreement import (
    LEVELS,
    MISSING,
    AlphaInterval,
    Label,
    Level,
    ReliabilityData,
    Result,
    Table,
    verdict,
)
from mda_coder.analysis.figures import as_fields, figures
from mda_coder.core.errors import InputError, MdaError
from mda_coder.ingest.ratings_csv import read_ratings_csv
from mda_coder.services.agreement._units import check_samples
from mda_coder.services.agreement._values import results_of


@dataclass(frozen=True, slots=True)
class MatrixDisagreement:
    """A unit on which the coders who rated it gave different values."""

    unit: str
    line: int
    """The unit's line in the file."""
    values: tuple[Label | None, ...]
    """Per coder, in the report's coder order; None where the cell was blank."""


@dataclass(frozen=True, slots=True)
class MatrixReport:
    """Krippendorff's α at one level on a table of ratings, and at the nominal level the κ family too."""

    source: str
    level: Level
    coders: tuple[str, ...]
    n_units: int
    labels: tuple[Label, ...]
    """The categories, in the order ordinal α ranks them."""
    alpha: Result
    alpha_interval: AlphaInterval | None
    cohen_kappa: Result | None
    scott_pi: Result | None
    fleiss_kappa: Result | None
    brennan_prediger: Result | None
    gwet_ac1: Result | None
    percent_agreement: Result | None
    percent_all: Result | None
    holsti: Result | None
    coincidence: Table | None
    contingency: Table | None
    disagreements: tuple[MatrixDisagreement, ...]
    samples: int = 0
    seed: int | None = None

    @property
    def verdict(self) -> str:
        return verdict(self.alpha)

    @property
    def results(self) -> tuple[Result, ...]:
        return results_of(self)


def matrix_agreement(
    path: Path,
    level: Level = "nominal",
    coders: Sequence[str] | None = None,
    categories: Sequence[str] | None = None,
    samples: int = 0,
    seed: int | None = 0,
) -> MatrixReport:
    """Agreement on the table in ``path`` (see `read_ratings_csv` for its shape).

    ``coders`` picks columns by name; ``categories`` declares the category set and its order (for
    ordinal text labels, and for the q of Brennan–Prediger and AC1 when some went unused).
    """
    if level not in LEVELS:
        raise MdaError(f"unknown level '{level}': use {', '.join(LEVELS)}")
    check_samples(samples)
    table = read_ratings_csv(path, level, categories)
    names = table.coders
    columns = list(range(len(names)))
    if coders:
        wanted = list(dict.fromkeys(c.strip() for c in coders if c.strip()))
        for name in wanted:
            if name not in names:
                raise InputError(f"{path}: no coder column '{name}' (columns: {', '.join(names)})")
        if len(wanted) < 2:
            raise MdaError("agreement needs at least two coders (e.g. --coder anna,erik)")
        columns = [names.index(n) for n in wanted]
        names = tuple(wanted)
    rows = [[row[i] for i in columns] for row in table.rows]
    try:
        data = ReliabilityData.from_rows(rows, table.categories)
        fig = figures(data, level, samples, seed)
    except ValueError as exc:
        raise InputError(f"{path}: {exc}") from None
    present = data.present
    lo = np.where(present, data.codes, data.n_categories).min(axis=1)
    hi = np.where(present, data.codes, -1).max(axis=1)
    differ = np.flatnonzero(data.pairable & (lo != hi)).tolist()
    return MatrixReport(
        source=str(path),
        level=level,
        coders=names,
        n_units=data.n_units,
        labels=data.labels,
        disagreements=tuple(
            MatrixDisagreement(
                table.units[u],
                table.lines[u],
                tuple(None if c == MISSING else data.labels[c] for c in data.codes[u].tolist()),
            )
            for u in differ
        ),
        samples=samples,
        seed=seed if samples else None,
        **as_fields(fig),
    )
