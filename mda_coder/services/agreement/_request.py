"""What to compare, as one value: `mda-coder agree` and the agreement screen both build it and pass it here.

The mapping from a request to the service that computes it (turns and sentences to `agreement`,
characters to `unitizing_agreement`) is written once, so the command line and the screen cannot
ask for different figures, and the report's files come from the same `AgreementDocument` builder.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from mda_coder.export.agreement_report import AgreementDocument
from mda_coder.services.agreement._export import report_document
from mda_coder.services.agreement._unitizing import DEFAULT_THRESHOLD, UnitizingReport, unitizing_agreement
from mda_coder.services.agreement._unitizing import UNIT as CHARACTER
from mda_coder.services.agreement._unitizing_report import unitizing_document
from mda_coder.services.agreement._units import agreement
from mda_coder.services.agreement._values import AgreementReport, Split, Unit
from mda_coder.store.engine import Database

__all__ = ["CHARACTER", "AgreementRequest", "compare", "document"]


@dataclass(frozen=True, slots=True)
class AgreementRequest:
    """A comparison of coders on a project, as `mda-coder agree PROJECT` and the agreement screen ask for it."""

    coders: tuple[str, ...]
    unit: Unit | Literal["character"] = "turn"
    """turn or sentence (given units), or character (free spans: α_U and segment matching)."""
    codes: tuple[str, ...] = ()
    """Code paths, each with its sub-codes; empty: every code."""
    documents: tuple[str, ...] = ()
    """Empty: every document."""
    by: Split | None = None
    """Also every figure per document or per speaker role (turns and sentences only)."""
    include_subcodes: bool = False
    """Whether a sub-code's codings count as codings of the codes above it too."""
    samples: int = 0
    """Bootstrap samples for 95% intervals of α (0: none; turns and sentences only)."""
    seed: int | None = 0
    threshold: float = DEFAULT_THRESHOLD
    """The least overlap (a share) at which two segments match (characters only)."""

    @property
    def on_characters(self) -> bool:
        return self.unit == CHARACTER


def compare(db: Database, request: AgreementRequest) -> AgreementReport | UnitizingReport:
    """The figures ``request`` asks for: per code and exclusive group, on the units or on the characters.

    On characters there are no units to split or to resample, so ``by``, ``samples`` and ``seed``
    are not used there (the command line refuses them; the screen says so).
    """
    unit = request.unit
    if unit == "character":
        return unitizing_agreement(
            db,
            request.coders,
            codes=list(request.codes) or None,
            documents=list(request.documents) or None,
            threshold=request.threshold,
            include_subcodes=request.include_subcodes,
        )
    return agreement(
        db,
        request.coders,
        unit,
        codes=list(request.codes) or None,
        documents=list(request.documents) or None,
        by=request.by,
        include_subcodes=request.include_subcodes,
        samples=request.samples,
        seed=request.seed,
    )


def document(report: AgreementReport | UnitizingReport) -> AgreementDocument:
    """The report as the Markdown and CSV writers take it (and the command line and the screen draw)."""
    if isinstance(report, UnitizingReport):
        return unitizing_document(report)
    return report_document(report)
