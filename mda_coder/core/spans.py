"""Half-open character spans: the one place offset arithmetic lives.

Every offset in mda-coder counts Unicode code points (Python ``str`` indices)
into a document's stored text, and every span is half-open ``[start, end)``.
Importers convert foreign offsets (UTF-16 units, bytes, CRLF) once, at the boundary.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True, order=True)
class Span:
    """A non-empty half-open range ``[start, end)`` of code points."""

    start: int
    end: int

    def __post_init__(self) -> None:
        if self.start < 0 or self.end <= self.start:
            raise ValueError(f"invalid span [{self.start}, {self.end}): need 0 <= start < end")

    def __len__(self) -> int:
        return self.end - self.start

    def overlaps(self, other: Span) -> bool:
        """True when the spans share at least one code point (touching is not overlapping)."""
        return self.start < other.end and other.start < self.end

    def contains(self, other: Span) -> bool:
        return self.start <= other.start and other.end <= self.end

    def intersection(self, other: Span) -> Span | None:
        start, end = max(self.start, other.start), min(self.end, other.end)
        return Span(start, end) if start < end else None

    def cover(self, other: Span) -> Span:
        """The smallest span containing both."""
        return Span(min(self.start, other.start), max(self.end, other.end))

    def shifted(self, delta: int) -> Span:
        return Span(self.start + delta, self.end + delta)

    def of(self, text: str) -> str:
        """The slice of ``text`` this span covers."""
        return text[self.start : self.end]


def check_span(start: int, end: int, text_length: int) -> Span:
    """A span validated against a text of ``text_length`` code points.

    Raises ``ValueError`` with a message fit for the user when it does not fit.
    """
    if start < 0 or end > text_length or start >= end:
        raise ValueError(f"span {start}-{end} is not inside the text (0-{text_length}) or is empty")
    return Span(start, end)


def strip_span(text: str, start: int, end: int) -> Span | None:
    """Shrink ``[start, end)`` so that it neither begins nor ends with white space.

    Returns ``None`` when nothing but white space is left.
    """
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return Span(start, end) if start < end else None
