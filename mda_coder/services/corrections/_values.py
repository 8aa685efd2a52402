"""What a text correction did: the report every use case returns, one line per coding that did not stay untouched."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class MovedSpan:
    """One line of a report: a coding (or consensus decision) whose words the correction touched."""

    kind: str
    """``coding`` or ``consensus``."""
    coder: str | None
    code: str
    """The code's path."""
    turn: int | None
    """The 1-based turn it is in now (where it was, when gone)."""
    status: str
    """``edited``, ``doubtful`` or ``gone`` (the statuses of ``core.reanchor``)."""
    kept: float
    """The share of its text unchanged."""
    old_text: str
    new_text: str | None
    """None when gone."""
    flag_id: int | None
    """The row in ``anchor_flags`` when doubtful or gone (None in a dry run)."""


@dataclass(frozen=True, slots=True)
class CorrectionReport:
    """How one change of a document's text moved its turns, codings and decisions."""

    document: str
    dry_run: bool
    regions: int
    """Changed regions of text."""
    turns_before: int
    turns_after: int
    counts: dict[str, int]
    """Codings per status: ``kept``, ``edited``, ``doubtful``, ``gone``."""
    moved: tuple[MovedSpan, ...]
    """Every coding or consensus decision not kept, in text order."""
    notes: tuple[str, ...]
    """Other things the user must hear (a memo moved to another turn, a speaker added, proposals dropped)."""


@dataclass(frozen=True, slots=True)
class FlagInfo:
    """A flagged coding as ``document flags`` lists it."""

    id: int
    document: str
    kind: str
    coder: str | None
    code: str
    status: str
    kept: float
    turn: int | None
    old_text: str
    new_text: str | None
    resolved_by: str | None
