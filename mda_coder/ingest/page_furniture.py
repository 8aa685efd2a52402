"""Page numbers and running headers and footers: the lines a printed page adds that nobody said.

A PDF transcript is pages, and at the top or bottom of each the writer may have put a page
number ("3", "- 3 -", "Page 3 of 17", "Sida 3 av 17") or the same line every time (a title,
"Confidential"). Left in, they land in the middle of whichever turn runs across the page
break. They are taken out only when the pages agree: a page number must count up with the
pages on most of them, a running line must be the same on most of them, so a lone "5"
someone answered at the foot of a page stays.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from mda_coder.core.display import one_line

_ROUNDS = 3
"""Lines looked at per edge: e.g. a running footer above the page number under it."""

_NUMBER = (
    r"(?:(?:page|side|sida|seite|sivu|p\.|s\.)\s*)?"
    r"(?:[-–—]\s*)?(?P<n>\d{1,5})(?:\s*[-–—])?"
    r"(?:\s*(?:of|af|av|von|/)\s*\d{1,5})?"
)
_PAGE_NUMBER = re.compile(_NUMBER, re.IGNORECASE)
# A running line with the page number in it: "Interview A | Page 3", "3    Interview A".
_NUMBER_AFTER = re.compile(rf"(?P<rest>.*?\S)\s*[|·•–—-]?\s+{_NUMBER}", re.IGNORECASE)
_NUMBER_BEFORE = re.compile(rf"{_NUMBER}\s+[|·•–—-]?\s*(?P<rest>\S.*)", re.IGNORECASE)

TOP, BOTTOM = "header", "footer"


@dataclass
class Removed:
    """What was taken out of the pages, counted for the one line that reports it."""

    page_numbers: int = 0
    running: Counter[tuple[str, str]] = field(default_factory=Counter)
    """``(edge, line)`` → how many pages it was removed from."""

    def __bool__(self) -> bool:
        return bool(self.page_numbers or self.running)

    def summary(self) -> str:
        """E.g. ``17 page numbers, 17 running footers "Interview A"``."""
        parts = []
        if self.page_numbers:
            parts.append(_count(self.page_numbers, "page number"))
        for edge in (TOP, BOTTOM):
            for (where, line), count in self.running.items():
                if where == edge:
                    parts.append(f'{_count(count, f"running {edge}")} "{one_line(line, 40)}"')
        return ", ".join(parts)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


@dataclass(frozen=True)
class _Edge:
    """The first or last line with text on one page, and what it might be."""

    page: int
    """1-based page number: the place of the page in the file."""
    index: int
    """The line's index in the page's lines."""
    line: str
    number: int | None
    """The page number in the line, if it has one."""
    rest: str
    """The line without its page number; ``""`` when it is nothing but a page number."""


def remove_furniture(pages: list[list[str]]) -> Removed:
    """Delete page numbers and running headers and footers from ``pages`` in place."""
    removed = Removed()
    with_text = sum(1 for page in pages if any(line.strip() for line in page))
    for edge in (TOP, BOTTOM):
        for _ in range(_ROUNDS):
            if not _remove_round(pages, edge, with_text, removed):
                break
    return removed


def _remove_round(pages: list[list[str]], edge: str, with_text: int, removed: Removed) -> bool:
    """Remove one line at ``edge`` from the pages that agree on it; False when none do."""
    edges = [found for page, lines in enumerate(pages, 1) if (found := _edge(page, lines, edge))]
    offsets = Counter(e.number - e.page for e in edges if e.number is not None)
    offset: int | None = None
    if offsets:
        best, count = offsets.most_common(1)[0]
        if _most(count, with_text):
            offset = best
    running = Counter(_running_key(e, offset) for e in edges)
    doomed: list[_Edge] = []
    for e in edges:
        numbered = offset is not None and e.number is not None and e.number - e.page == offset
        key = _running_key(e, offset)
        is_running = (
            bool(key)
            and running[key] >= 2
            and _most(running[key], with_text)
            and not key.endswith(":")  # a speaker header on a line of its own, never furniture
        )
        if numbered and not e.rest:
            removed.page_numbers += 1
        elif is_running:
            removed.running[edge, key] += 1
            if numbered:
                removed.page_numbers += 1
        else:
            continue
        doomed.append(e)
    for e in doomed:
        del pages[e.page - 1][e.index]
    return bool(doomed)


def _running_key(e: _Edge, offset: int | None) -> str:
    """The text a running line must repeat: without its page number when that counts up."""
    if offset is not None and e.number is not None and e.number - e.page == offset:
        return e.rest
    return e.line


def _most(count: int, pages: int) -> bool:
    return count * 2 > pages


def _edge(page: int, lines: list[str], edge: str) -> _Edge | None:
    order = range(len(lines)) if edge == TOP else range(len(lines) - 1, -1, -1)
    index = next((i for i in order if lines[i].strip()), None)
    if index is None:
        return None
    line = " ".join(lines[index].split())
    if m := _PAGE_NUMBER.fullmatch(line):
        return _Edge(page, index, line, int(m["n"]), "")
    for pattern in (_NUMBER_AFTER, _NUMBER_BEFORE):
        if m := pattern.fullmatch(line):
            return _Edge(page, index, line, int(m["n"]), m["rest"])
    return _Edge(page, index, line, None, line)
