"""What a consensus review shows: the units to settle, each coder's codings there, and how a unit was settled."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mda_coder.core.coding import Coding
from mda_coder.core.spans import Span
from mda_coder.services.agreement import Unit


@dataclass(frozen=True, slots=True)
class UnitRef:
    """One unit to review: a code (or a code with its sub-codes) on a turn or sentence of a document."""

    code: str
    document: str
    unit: Unit
    number: int
    """The 1-based turn or sentence number."""
    family: bool = False
    """The code and its sub-codes are compared as one: each coder's codes of the family on the unit,
    so that a unit where one coder applied ``tilltro`` and another ``tilltro/tvivel`` comes up once."""

    def describe(self) -> str:
        what = f"{self.code} and its sub-codes" if self.family else self.code
        return f"{what} on {self.document} {self.unit} {self.number}"


@dataclass(frozen=True, slots=True)
class CoderCodings:
    coder: str
    value: int | None
    """1 applied the code (in a family: any code of it) to text overlapping the unit, 0 did not,
    None did not code the document at all."""
    codings: tuple[Coding, ...]
    """The coder's codings of the code (in a family: of any code of it) that overlap the unit (whole,
    also where they run past it)."""
    sub_codes: tuple[str, ...] = ()
    """Reviewing one code without its family: the code's sub-codes this coder applied to the unit, so that
    a coder who applied ``tilltro/tvivel`` is not said to have left ``tilltro`` out."""

    @property
    def codes(self) -> tuple[str, ...]:
        """The codes of the codings here, each once, in text order."""
        return tuple(dict.fromkeys(c.code_path for c in self.codings))


@dataclass(frozen=True, slots=True)
class Source:
    """A coding a consensus coding was copied from, as it was when the unit was settled."""

    coder: str
    coding_id: int
    span: Span


@dataclass(frozen=True, slots=True)
class SettledCoding:
    span: Span
    sources: tuple[Source, ...]
    code: str | None = None
    """The code of the consensus coding, in a family review (where it may be any code of the family)."""


@dataclass(frozen=True, slots=True)
class Settlement:
    """How a unit was settled: the provenance of its consensus codings."""

    decision: str
    """``take``, ``both``, ``neither``, ``span`` or ``agreed``; in a family whose codes were decided
    differently (one adopted as agreed, another settled), ``mixed``."""
    label: str
    """In a few words: ``take anna``, ``span 120-250``; in a mixed family, per code."""
    compared: tuple[str, ...]
    taken: tuple[str, ...]
    """The coders whose codings the consensus kept."""
    codings: tuple[SettledCoding, ...]
    reviewer: str
    at: datetime | None


@dataclass(frozen=True, slots=True)
class ReviewItem:
    ref: UnitRef
    span: Span
    turn: int
    """The turn the unit is (or lies in)."""
    speaker: str | None
    text: str
    """The unit's text; coding spans are offsets into the document, ``span.start`` is this text's 0."""
    coders: tuple[CoderCodings, ...]
    consensus: tuple[Coding, ...]
    """What the consensus coder has for the code (in a family: any code of it) on the unit now."""
    settlement: Settlement | None
    """None until settled; a family is settled once every code of it that a coder, the consensus or an
    earlier decision has on the unit is decided."""

    @property
    def settled(self) -> bool:
        return self.settlement is not None


@dataclass(frozen=True, slots=True)
class Review:
    coders: tuple[str, ...]
    unit: Unit
    code: str | None
    """The code reviewed (with its sub-codes), or None for every code."""
    items: tuple[ReviewItem, ...]
    """Every unit the coders disagree on, in document and text order, then by code."""
    agreed: int
    """Units every coder who coded the document applied the code to: no review needed."""
    adopted: int
    """Of those, the units the consensus has (adopt them with ``adopt_agreed``)."""

    @property
    def settled(self) -> int:
        return sum(1 for item in self.items if item.settled)

    @property
    def remaining(self) -> int:
        return len(self.items) - self.settled
