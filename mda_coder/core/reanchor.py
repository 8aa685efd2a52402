"""Spans carried through a change of text: where each coding, turn or anchor is in the corrected text.

A document's text changes after coding has begun (a typo fixed, a name replaced, a passage
re-transcribed). :func:`diff` finds what changed, as a few replaced regions; :func:`reanchor` moves
every span through them and says how much of its text survived, so that a span whose words changed
beyond a threshold is flagged for review, never silently kept on other words or dropped.

Offsets are code points, as everywhere (``core/spans.py``); an emoji is one code point, a flag or a
family emoji several, and a change inside one is a change like any other.

The rules at a boundary, where a change touches a span's edge without entering it:

- text inserted exactly at a span's start or end stays outside the span (it is new text, not the
  span's words), but letters added to a word at its edge belong to the word (``tilltro`` →
  ``tilltrons``): a span never ends in the middle of a word it ended with;
- a span starting or ending inside a replaced or deleted region grows to the whole of what replaced
  that region, so no replacing word is cut in half; its survival figure says what happened.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from mda_coder.core.spans import Span

_TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
"""Words, runs of white space, and single other characters: what a correction replaces."""


@dataclass(frozen=True, slots=True)
class Edit:
    """One changed region: the old text's ``[old_start, old_end)`` became the new text's ``[new_start, new_end)``.

    Either side may be empty (an insertion, a deletion).
    """

    old_start: int
    old_end: int
    new_start: int
    new_end: int

    @property
    def delta(self) -> int:
        return (self.new_end - self.new_start) - (self.old_end - self.old_start)


KEPT, EDITED, DOUBTFUL, GONE = "kept", "edited", "doubtful", "gone"
"""What became of a span: untouched (perhaps moved); changed a little; changed beyond the threshold (to
review); or its text is gone entirely."""
DOUBT_BELOW = 0.5
"""A span of which less than this share of its text survived (in the longer of old and new) is doubtful."""


@dataclass(frozen=True, slots=True)
class Moved:
    """Where a span is in the new text, how much of its text is unchanged, and what that means."""

    old: Span
    new: Span | None
    """None when the span's text is gone."""
    kept: float
    """The share of its characters unchanged, of the longer of its old and new text: 1.0 for an untouched span."""
    status: str
    """``kept``, ``edited``, ``doubtful`` or ``gone``."""


def diff(old: str, new: str) -> list[Edit]:
    """The regions that differ between ``old`` and ``new``, in order, none touching another.

    Lines first (a transcript's turns are lines, mostly unique), then the words of a changed block of
    lines, then the letters of a single replaced word (a typo: ``tiltro`` → ``tilltro``). Fast for the
    usual case of a few scattered corrections in a long text.
    """
    if old == new:
        return []
    # What both share at the start and the end, cut back to whole lines: a word is never split between
    # the shared part and the changed one (else ``tilltro`` → ``tilltrons`` would read as ``ns`` inserted).
    prefix = _common_prefix(old, new)
    suffix = _common_suffix(old, new, prefix)
    prefix = old.rfind("\n", 0, prefix) + 1
    cut = old.find("\n", len(old) - suffix)
    suffix = 0 if cut == -1 else len(old) - (cut + 1)
    edits: list[Edit] = []
    _lines(old, new, prefix, len(old) - suffix, prefix, len(new) - suffix, edits)
    return _joined(edits)


def reanchor(spans: Iterable[Span], edits: Sequence[Edit], doubt_below: float = DOUBT_BELOW) -> list[Moved]:
    """Each span moved through ``edits`` (from :func:`diff`), with the share of its text that survived."""
    starts = [e.old_start for e in edits]
    ends = [e.old_end for e in edits]
    shift = [0]
    for e in edits:
        shift.append(shift[-1] + e.delta)
    result = []
    for span in spans:
        start = _position(span.start, edits, starts, ends, shift, at_start=True)
        end = _position(span.end, edits, starts, ends, shift, at_start=False)
        changed_old, added = _changed_inside(span, edits, starts, ends)
        if end <= start:
            result.append(Moved(span, None, 0.0, GONE))
            continue
        moved = Span(start, end)
        unchanged = len(span) - changed_old
        kept = unchanged / max(len(span), len(moved))
        if changed_old == 0 and added == 0 and len(moved) == len(span):
            status = KEPT
        else:
            status = DOUBTFUL if kept < doubt_below else EDITED
        result.append(Moved(span, moved, round(kept, 6), status))
    return result


def _position(
    x: int, edits: Sequence[Edit], starts: list[int], ends: list[int], shift: list[int], *, at_start: bool
) -> int:
    """Where old offset ``x`` (a span's start, or its end) is in the new text."""
    # the edits that end at or before x shift it as a whole
    k = bisect_right(ends, x)
    # an edit that x lies strictly inside: the span's edge goes to that edit's new region's far side
    if k < len(edits) and edits[k].old_start < x < edits[k].old_end:
        e = edits[k]
        return e.new_start if at_start else e.new_end
    # an insertion exactly at x (old_start == old_end == x) is counted in ``k`` (its end <= x): text inserted
    # at a span's start stays before it (already shifted past), at its end stays after it (undo that shift)
    if not at_start:
        j = k - 1
        while j >= 0 and edits[j].old_start == edits[j].old_end == x:
            j -= 1
        return x + shift[j + 1]
    return x + shift[k]


def _changed_inside(span: Span, edits: Sequence[Edit], starts: list[int], ends: list[int]) -> tuple[int, int]:
    """How many of the span's old characters lie in edited regions, and how many new ones replaced or joined them."""
    lo = bisect_right(ends, span.start)  # the first edit ending after the span's start
    hi = bisect_left(starts, span.end)  # edits starting before the span's end
    removed = added = 0
    for e in edits[lo:hi]:
        inside = min(e.old_end, span.end) - max(e.old_start, span.start)
        if inside > 0:
            removed += inside
            added += e.new_end - e.new_start
        elif e.old_start == e.old_end and span.start < e.old_start < span.end:  # an insertion inside the span
            added += e.new_end - e.new_start
    return removed, added


def _common_prefix(a: str, b: str) -> int:
    n = min(len(a), len(b))
    lo, hi = 0, n
    while lo < hi:  # binary search on slices: C-speed comparisons, not a Python loop per character
        mid = (lo + hi + 1) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _common_suffix(a: str, b: str, prefix: int) -> int:
    n = min(len(a), len(b)) - prefix
    lo, hi = 0, n
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if a[len(a) - mid :] == b[len(b) - mid :]:
            lo = mid
        else:
            hi = mid - 1
    return lo


def _pieces(text: str, start: int, end: int, pattern: re.Pattern[str] | None) -> tuple[list[str], list[int]]:
    """The pieces of ``text[start:end]`` (lines when ``pattern`` is None) and the offset each begins at."""
    part = text[start:end]
    pieces = part.splitlines(keepends=True) if pattern is None else pattern.findall(part)
    offsets = [start]
    for piece in pieces:
        offsets.append(offsets[-1] + len(piece))
    return pieces, offsets


def _lines(old: str, new: str, a0: int, a1: int, b0: int, b1: int, out: list[Edit]) -> None:
    a, ao = _pieces(old, a0, a1, None)
    b, bo = _pieces(new, b0, b1, None)
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b).get_opcodes():
        if tag != "equal":
            _words(old, new, ao[i1], ao[i2], bo[j1], bo[j2], out)


def _words(old: str, new: str, a0: int, a1: int, b0: int, b1: int, out: list[Edit]) -> None:
    a, ao = _pieces(old, a0, a1, _TOKEN)
    b, bo = _pieces(new, b0, b1, _TOKEN)
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, a, b).get_opcodes():
        if tag == "equal":
            continue
        if tag == "replace" and i2 - i1 == j2 - j1:  # as many pieces for as many: each for its own, by letters
            for i, j in zip(range(i1, i2), range(j1, j2)):
                _letters(old, new, ao[i], ao[i + 1], bo[j], bo[j + 1], out)
        else:
            out.append(Edit(ao[i1], ao[i2], bo[j1], bo[j2]))


def _letters(old: str, new: str, a0: int, a1: int, b0: int, b1: int, out: list[Edit]) -> None:
    matcher = SequenceMatcher(None, old[a0:a1], new[b0:b1], autojunk=False)
    if matcher.ratio() < 0.5:  # another word, not a respelling: replaced whole
        out.append(Edit(a0, a1, b0, b1))
        return
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        # Letters added at a word's edge belong to the word (tilltro → tilltrons, självtilltro): the edit takes
        # in the word's letter beside them, so that a span ending or starting with the word grows with it.
        if i1 == i2 == a1 - a0 and i1 > 0:
            i1, j1 = i1 - 1, j1 - 1
        elif i1 == i2 == 0 and a1 > a0:
            i2, j2 = 1, j2 + 1
        out.append(Edit(a0 + i1, a0 + i2, b0 + j1, b0 + j2))


def _joined(edits: list[Edit]) -> list[Edit]:
    """Edits in order with touching ones merged, so that no two share a boundary."""
    joined: list[Edit] = []
    for e in sorted(edits, key=lambda e: (e.old_start, e.new_start)):
        if joined and joined[-1].old_end == e.old_start and joined[-1].new_end == e.new_start:
            last = joined.pop()
            e = Edit(last.old_start, e.old_end, last.new_start, e.new_end)
        joined.append(e)
    return joined
