"""Which units codings hit, and codings merged into passages: the span arithmetic every report shares, in numpy.

Reports count *distinct* units (a turn with three codings of a code counts once), so everything
here works on arrays of half-open character spans ``[start, end)`` tagged with a document index,
and never loops over codings in Python.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

INT = np.int64


@dataclass(frozen=True, slots=True)
class Spans:
    """Half-open character spans in documents, as parallel arrays."""

    doc: np.ndarray
    """Document index (0-based, dense) per span."""
    start: np.ndarray
    end: np.ndarray

    def __len__(self) -> int:
        return len(self.doc)

    @classmethod
    def of(cls, doc: object, start: object, end: object) -> Spans:
        return cls(np.asarray(doc, dtype=INT), np.asarray(start, dtype=INT), np.asarray(end, dtype=INT))

    def take(self, rows: np.ndarray) -> Spans:
        return Spans(self.doc[rows], self.start[rows], self.end[rows])


def stride(*spans: Spans) -> int:
    """One more than every offset: ``doc * stride + offset`` orders spans by document, then text."""
    return int(max((int(s.end.max(initial=0)) for s in spans), default=0)) + 1


def hits(units: Spans, spans: Spans) -> tuple[np.ndarray, np.ndarray]:
    """(span row, unit row) for every unit each span overlaps, i.e. shares at least one character with.

    ``units`` must be sorted by document, then start, and must not overlap within a document (turns
    and sentences do not); ``spans`` may be anything. One searchsorted per side: the units a span
    overlaps are those whose end is after its start and whose start is before its end.
    """
    if len(units) == 0 or len(spans) == 0:
        empty = np.zeros(0, dtype=INT)
        return empty, empty
    k = stride(units, spans)
    starts = units.doc * k + units.start
    ends = units.doc * k + units.end
    first = np.searchsorted(ends, spans.doc * k + spans.start, side="right")
    stop = np.searchsorted(starts, spans.doc * k + spans.end, side="left")
    lengths = np.maximum(stop - first, 0)
    row = np.repeat(np.arange(len(spans), dtype=INT), lengths)
    offsets = np.arange(int(lengths.sum()), dtype=INT) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return row, np.repeat(first, lengths) + offsets


def clip(spans: Spans, units: Spans) -> tuple[np.ndarray, Spans]:
    """The parts of ``spans`` inside ``units``: (span row, piece) per overlapping span × unit.

    A coding that runs over two kept turns becomes two pieces; text outside every unit is dropped.
    """
    row, unit = hits(units, spans)
    return row, Spans(
        spans.doc[row], np.maximum(spans.start[row], units.start[unit]), np.minimum(spans.end[row], units.end[unit])
    )


@dataclass(frozen=True, slots=True)
class Passages:
    """Each group's spans merged where they overlap: the text a code covers, each stretch once."""

    group: np.ndarray
    spans: Spans
    member: np.ndarray
    """For every input span, the row of the passage it went into."""


def passages(group: np.ndarray, spans: Spans) -> Passages:
    """Merge the spans of each group (e.g. each code) within each document where they overlap.

    Spans that only touch (``[0, 5)`` and ``[5, 9)``) share no character and stay apart. Keys are
    ``(group, doc, offset)`` packed into one integer, so a running maximum of the ends over the
    sorted spans finds every break at once, across groups and documents alike.
    """
    group = np.asarray(group, dtype=INT)
    n = len(spans)
    if n == 0:
        empty = np.zeros(0, dtype=INT)
        return Passages(empty, Spans(empty, empty, empty), empty)
    k = stride(spans)
    n_docs = int(spans.doc.max()) + 1
    base = (group * n_docs + spans.doc) * k
    order = np.lexsort((spans.start, base))
    s_key, e_key = (base + spans.start)[order], (base + spans.end)[order]
    reach = np.maximum.accumulate(e_key)
    new = np.ones(n, dtype=bool)
    new[1:] = s_key[1:] >= reach[:-1]
    heads = np.flatnonzero(new)
    tails = np.append(heads[1:], n) - 1
    member = np.empty(n, dtype=INT)
    member[order] = np.cumsum(new) - 1
    first = order[heads]
    return Passages(
        group[first],
        Spans(spans.doc[first], spans.start[first], reach[tails] - base[first]),
        member,
    )
