"""Which report, as one value: `mda-coder report` and the reports screen both build it and pass it here.

The mapping from a request to the report function that computes it is written once, so the
command line and the screen cannot ask for different tables.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, cast

from mda_coder.analysis.cooccurrence import Measure
from mda_coder.analysis.matrices import Values
from mda_coder.core.progress import SILENT, Progress
from mda_coder.export.report_tables import ReportTable
from mda_coder.services.reports import _tables as reports
from mda_coder.services.reports._data import Scope
from mda_coder.store.engine import Database

__all__ = ["KINDS", "Kind", "Measure", "ReportRequest", "Values", "report"]

Kind = Literal["frequencies", "cooccurrence", "matrix", "sequences"]
KINDS: tuple[Kind, ...] = ("frequencies", "cooccurrence", "matrix", "sequences")


@dataclass(frozen=True, slots=True)
class ReportRequest:
    """A report and its options, as `mda-coder report` takes them; each report reads the options it has."""

    kind: Kind
    scope: Scope
    unit: reports.Unit = "turn"
    """turn, sentence, overlap or document (the last two for co-occurrence only)."""
    within: int | None = None
    """Co-occurrence: codes at most this many turns apart co-occur."""
    measure: Measure | None = None
    """Co-occurrence: a code × code table of this measure; None: every measure per pair."""
    columns: str = "document"
    """Matrix: document, group, speaker, speaker-role or attr:KEY."""
    values: Values = "count"
    include_subcodes: bool = False
    """A sub-code's codings count as codings of the codes above it (co-occurrence, matrix, sequences)."""
    per_coder: bool = False
    """Frequencies: one row per code and coder."""
    transpose: bool = False
    """Matrix: codes as the columns."""


def report(db: Database, request: ReportRequest, progress: Progress = SILENT) -> ReportTable:
    """The table ``request`` names, from the one service call that computes it."""
    r = request
    if r.kind == "frequencies":
        return reports.frequencies(db, r.scope, _units(r.unit), r.per_coder, progress)
    if r.kind == "cooccurrence":
        return reports.cooccurrence(db, r.scope, r.unit, r.within, r.measure, r.include_subcodes, progress)
    if r.kind == "matrix":
        return reports.matrix(
            db,
            r.scope,
            r.columns,
            r.values,
            _units(r.unit),
            r.include_subcodes,
            transpose=r.transpose,
            progress=progress,
        )
    return reports.sequences(db, r.scope, r.include_subcodes, progress)


def _units(unit: reports.Unit) -> Literal["turn", "sentence"]:
    """Frequencies and matrices count turns or sentences: the command line refuses other units before asking,
    and the reports screen offers no others for them."""
    return cast('Literal["turn", "sentence"]', unit)
