"""What the coding workspace reads: a document's turns, the codings drawn on them, and a first page to paint early."""

from __future__ import annotations

from dataclasses import dataclass

from mda_coder.core.spans import Span


@dataclass(frozen=True, slots=True)
class TurnItem:
    """One turn as the transcript shows it."""

    index: int
    """1-based turn number."""
    speaker: str | None
    role: str | None
    time: float | None
    span: Span
    sentences: tuple[Span, ...]
    """Absolute spans of the turn's sentences, in order."""


@dataclass(frozen=True, slots=True)
class DocumentView:
    name: str
    group: str | None
    text: str
    turns: tuple[TurnItem, ...]


@dataclass(frozen=True, slots=True)
class Mark:
    """A coding as the transcript draws it."""

    coding_id: int
    coder: str
    code_id: int
    code_path: str
    color: str | None
    span: Span
    memo: str | None
    suggested: bool = False
    """The coding is an accepted proposal (``mda-coder codings list --json`` says by what model, when, by whom)."""


@dataclass(frozen=True, slots=True)
class FirstPage:
    """The opening of a project's first document, enough to fill a screen while the rest loads.

    Read with the standard library's sqlite3 alone (``store/first_page.py``), so the workspace can
    paint text before SQLAlchemy has even been imported.
    """

    document: DocumentView
    """The first turns only (without sentences); the text runs to the end of the last of them."""
    marks: tuple[Mark, ...]
    """The coder's codings on those turns."""
    total_turns: int
    coded_turns: int
    """Turns of the whole document that the coder has coded."""
