"""Keep transcription marks (``[skratt]``, ``(paus 3 sek.)``, ``[…]``) inside sentences, never between or as one.

A sentencizer sees ``[``, ``(`` and quotes as punctuation: after a full stop it hangs an opening
bracket on the sentence before (``Ja. [`` + ``skratt] Nej.``), and the full stop in ``(paus 3 sek.)``
or ``(.)`` ends a sentence. These functions repair the boundaries it found in one turn; they only
move or drop boundaries, never add one, so a turn's sentences still cover exactly its text.

The rule, for the stretch of white space and marks where a boundary falls (its *gap*):

- a mark is never a sentence end: when the words before the gap do not end a sentence and a mark in
  the gap holds the full stop (``Sen (paus 3 sek.) gick vi.``), there is no boundary; a full stop
  right after a mark does end one (``Det var sjovt (griner). Men …``), and goes with the mark;
- marks at the start of a turn go with its first sentence, marks at its end with its last;
- marks between two sentences go with the sentence before them: they record what happened after
  those words (laughter at them, a pause after them), as a mark at the end of a turn does. The
  exception is a next sentence that begins in lower case (``Ja. [De] sa nej.``): then the mark is
  read as its first words, as an editor's insertion is;
- an opening bracket or quote always begins the next sentence (``Bra.`` + ``"Vad menar du?"``).

Besides, a first sentence of nothing but stray punctuation (a turn opening ``… til halv fem``)
joins the sentence after it.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_right
from collections.abc import Sequence

from mda_coder.core.spans import Span, strip_span

MARK = re.compile(r"\(\([^()\n]{0,200}\)\)|\([^()\n]{0,200}\)|\[[^\[\]\n]{0,200}\]|\{[^{}\n]{0,200}\}")
"""A transcription mark: text in (( )), ( ), [ ] or { } on one line, up to 200 characters.

The length limit keeps a stray bracket from making a whole turn one mark.
"""
SENTENCE_ENDS = frozenset(".!?…")
"""Characters that end a sentence, before closing quotes (``nej."``); the pipeline passes its own."""
OPENING = frozenset("[({\"'“”„«»‘’‹›")
"""Characters that open a quote or a bracket when white space is before them."""
OPEN_BRACKETS = frozenset("[({")
CLOSING_QUOTES = frozenset("\"'”’»«›‹")
_STRAY = frozenset(".,;:!?…")
_UNIT = re.compile(rf"({MARK.pattern})[.,;:!?…]*")
_NEAR = frozenset(")]}") | OPENING


def respect_marks(text: str, spans: Sequence[Span], ends: frozenset[str] = SENTENCE_ENDS) -> list[Span]:
    """The sentences ``spans`` of one turn ``text``, with their boundaries moved or dropped as the rule says.

    ``spans`` are trimmed, in order and cover the text but for white space between them.
    A first sentence of nothing but stray punctuation (``…`` before ``til halv fem``) joins the next one.
    """
    if len(spans) < 2:
        return list(spans)
    spans = list(spans)
    # Chained ``in`` tests are the fastest way to see that a turn has none of these (most have none).
    if (
        "[" in text
        or "(" in text
        or "{" in text
        or '"' in text
        or "'" in text
        or "»" in text
        or "«" in text
        or "”" in text
        or "“" in text
        or "„" in text
        or "’" in text
        or "‘" in text
        or "›" in text
        or "‹" in text
    ):
        spans = _move_boundaries(text, spans, ends)
    if len(spans) > 1 and text[spans[0].start] in _STRAY and _is_stray(spans[0].of(text)):
        # Only a turn's first sentence can be stray punctuation: elsewhere the sentencizer hangs it on
        # the sentence before. Later ones come from marks, which carry the punctuation after them.
        spans = [spans[0].cover(spans[1]), *spans[2:]]
    return spans


def _move_boundaries(text: str, spans: Sequence[Span], ends: frozenset[str]) -> list[Span]:
    marks = _Marks(text, ends)
    result: list[Span] = []
    start = spans[0].start  # of the sentence being built
    for before, span in itertools.pairwise(spans):
        b, end = span.start, before.end
        # Most boundaries are nowhere near a mark or a bracket: only those are looked at closely.
        last = text[end - 1]
        if (
            last in _NEAR
            or text[b] in OPEN_BRACKETS
            or (last in _STRAY and end > 1 and text[end - 2] in _NEAR)
            or marks.inside(b)
        ):
            moved = _place(text, b, marks, ends)
        else:
            moved = b
        if moved is None or moved <= start:
            continue
        if moved == b and start == before.start:
            result.append(before)
        else:
            cut = strip_span(text, start, moved)
            if cut is not None:
                result.append(cut)
        start = moved
    last_span = spans[-1]
    result.append(last_span if start == last_span.start else Span(start, last_span.end))
    return result


class _Marks:
    """The marks of one turn, each with the punctuation right after it (``(griner).``), which goes with it."""

    __slots__ = ("by_end", "by_start", "ends", "spans", "starts", "text")

    def __init__(self, text: str, ends: frozenset[str]) -> None:
        self.text, self.ends = text, ends
        self.spans = [(m.start(), m.end(), m.end(1)) for m in _UNIT.finditer(text)]
        """``(start, end, end of the bracket)`` of each mark."""
        self.starts = [m[0] for m in self.spans]
        self.by_start = {m[0]: m for m in self.spans}
        self.by_end = {m[1]: m for m in self.spans}

    def around(self, b: int) -> tuple[int, int, int] | None:
        """The mark that ``b`` falls strictly inside, if any."""
        k = bisect_right(self.starts, b) - 1
        if k >= 0 and self.spans[k][0] < b < self.spans[k][1]:
            return self.spans[k]
        return None

    def inside(self, b: int) -> bool:
        return self.around(b) is not None

    def full_stop_inside(self, mark: tuple[int, int, int]) -> bool:
        return not self.ends.isdisjoint(self.text[mark[0] + 1 : mark[2] - 1])

    def full_stop_after(self, mark: tuple[int, int, int]) -> bool:
        return not self.ends.isdisjoint(self.text[mark[2] : mark[1]])


def _place(text: str, b: int, marks: _Marks, ends: frozenset[str]) -> int | None:
    """Where the boundary the pipeline put at ``b`` belongs, or ``None`` when there is none."""
    around = marks.around(b)
    gap = [around] if around is not None else []
    left, right = (around[0], around[1]) if around is not None else (_opening(text, b), b)
    # Widen the gap over white space and whole marks on either side.
    while True:
        i = left
        while i > 0 and text[i - 1].isspace():
            i -= 1
        mark = marks.by_end.get(i)
        if mark is None:
            left = i
            break
        gap.append(mark)
        left = mark[0]
    last_mark_end = max((m[1] for m in gap), default=-1)
    while True:
        i = right
        while i < len(text) and text[i].isspace():
            i += 1
        mark = marks.by_start.get(i)
        if mark is None:
            right = i
            break
        gap.append(mark)
        right = last_mark_end = mark[1]
    if left == 0 or right >= len(text):
        return None  # marks at a turn's start or end belong to its first or last sentence
    ended = _ends_sentence(text, left, ends) or any(map(marks.full_stop_after, gap))
    if not ended and any(map(marks.full_stop_inside, gap)):
        return None  # the full stop was the mark's own: (paus 3 sek.), (.)
    at = last_mark_end if gap and not _starts_lower(text, right) else left
    while text[at].isspace():
        at += 1
    return at


def _is_stray(sentence: str) -> bool:
    return all(c in _STRAY or c.isspace() for c in sentence)


def _opening(text: str, b: int) -> int:
    """Where the opening brackets or quotes just before ``b`` begin (``b`` when there are none).

    A bracket may stand apart from the word it opens (``( Nästa``); a quote must touch it,
    or it may be a closing quote typed with a space (``nej. "``).
    """
    j = b
    while j > 0 and text[j - 1].isspace():
        j -= 1
    k = j
    while k > 0 and text[k - 1] in OPEN_BRACKETS:
        k -= 1
    if k == j == b:
        while k > 0 and text[k - 1] in OPENING:
            k -= 1
    return k if k < j and (k == 0 or text[k - 1].isspace()) else b


def _ends_sentence(text: str, end: int, ends: frozenset[str]) -> bool:
    """Whether ``text[:end]`` ends with a sentence-final character, perhaps followed by closing quotes."""
    i = end
    while i > 0 and text[i - 1] in CLOSING_QUOTES:
        i -= 1
    return i > 0 and text[i - 1] in ends


def _starts_lower(text: str, start: int) -> bool:
    """Whether the first letter or digit from ``start`` on is a lower-case letter."""
    for ch in text[start : start + 40]:
        if ch.isalnum():
            return ch.islower()
    return False
