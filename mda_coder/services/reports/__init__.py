"""Reports: frequencies, co-occurrence, code matrices and code sequences, each as one table; and the excerpts behind a cell.

The use cases and the values they take and return; the steps behind them are the private modules beside this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mda_coder.services._lazy import face

if TYPE_CHECKING:
    from mda_coder.services.reports._data import Scope
    from mda_coder.services.reports._request import KINDS, Kind, Measure, ReportRequest, Values, report
    from mda_coder.services.reports._tables import UNITS, Unit, cooccurrence, frequencies, matrix, sequences
    from mda_coder.services.reports._units import Excerpt, Excerpts, Speakers, codings_of, transitions_of, units_with

__all__ = [
    "KINDS",
    "UNITS",
    "Excerpt",
    "Excerpts",
    "Kind",
    "Measure",
    "ReportRequest",
    "Scope",
    "Speakers",
    "Unit",
    "Values",
    "codings_of",
    "cooccurrence",
    "frequencies",
    "matrix",
    "report",
    "sequences",
    "transitions_of",
    "units_with",
]

__getattr__ = face(
    __name__,
    {
        "_request": (
            "KINDS",
            "Kind",
            "Measure",
            "ReportRequest",
            "Values",
            "report",
        ),
        "_data": ("Scope",),
        "_tables": ("UNITS", "Unit", "cooccurrence", "frequencies", "matrix", "sequences"),
        "_units": ("Excerpt", "Excerpts", "Speakers", "codings_of", "transitions_of", "units_with"),
    },
)
