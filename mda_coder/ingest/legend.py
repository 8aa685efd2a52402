"""The legend block at the top of a transcript: who ``I``, ``R1`` and ``R2`` are.

A legend looks exactly like turns (``R1: arbetskonsulent``), so it must be told
apart before turns are counted, or every focus group would open with three
one-word utterances.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from mda_coder.ingest.layouts import Candidate

# A legend sits near the top; looking further would mistake a run of short turns for one.
LEGEND_WINDOW = 40
MAX_VALUE_WORDS = 6

_HEADING = re.compile(
    r"[ \t]*(?:#{1,6}[ \t]*)?(?:\*\*|__)?[ \t]*"
    r"(?:Deltagare|Deltagere|Medverkande|Medvirkende|Teckenförklaring|Förklaring"
    r"|Forklaring|Tegnforklaring|Legend|Key|Participants|Speakers|Talare|Talere"
    r"|Närvarande|Til stede|Tilstede|Informanter|Intervjupersoner)"
    r"[ \t]*:?[ \t]*(?:\*\*|__)?[ \t]*:?[ \t]*",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Legend:
    """Labels and their descriptions, with the lines the legend occupies."""

    entries: tuple[tuple[str, str], ...]
    """``(label, description)`` in the legend's order."""
    first_line: int
    """0-based index of the legend's first line (its heading, when it has one)."""
    last_line: int
    headed: bool

    @property
    def labels(self) -> frozenset[str]:
        return frozenset(label for label, _ in self.entries)

    def description(self, label: str) -> str | None:
        for known, text in self.entries:
            if known == label:
                return text
        return None


def _value(lines: list[str], entry: Candidate) -> str:
    return lines[entry.line][entry.body - entry.pos :].strip()


def find_legend(
    lines: list[str],
    label_lines: Iterable[Candidate],
    last_seen: dict[str, int],
) -> Legend | None:
    """The legend block near the top of ``lines``, or ``None``.

    ``label_lines`` are the label-colon candidates; ``last_seen`` maps every
    candidate label of any layout to the last line it opens, so that a legend
    without a heading is only believed when its labels go on to speak.
    """
    window = min(len(lines), LEGEND_WINDOW)
    by_line: dict[int, Candidate] = {}
    for entry in label_lines:
        if entry.line >= window:
            break
        by_line[entry.line] = entry
    return _headed(lines, window, by_line) or _headless(lines, window, by_line, last_seen)


def _headed(lines: list[str], window: int, by_line: dict[int, Candidate]) -> Legend | None:
    """A heading (``Deltagare:``) followed by label lines up to a blank line."""
    for start in range(window):
        if not _HEADING.fullmatch(lines[start]):
            continue
        entries: list[tuple[str, str]] = []
        line = start + 1
        while line < len(lines) and line in by_line and (value := _value(lines, by_line[line])):
            entries.append((by_line[line].label or "", value))
            line += 1
        if entries:
            return Legend(tuple(entries), start, line - 1, headed=True)
    return None


def _headless(
    lines: list[str],
    window: int,
    by_line: dict[int, Candidate],
    last_seen: dict[str, int],
) -> Legend | None:
    """The first block with label lines, if its label lines read as a legend.

    Believed when the block's label lines (after any title lines) are at least
    two, have short values without sentence punctuation, name distinct labels,
    and every one of those labels opens a turn again further down.
    """
    first_label = next((line for line in range(window) if line in by_line), None)
    if first_label is None:
        return None
    block_end = first_label
    while block_end + 1 < len(lines) and lines[block_end + 1].strip():
        block_end += 1
    entries: list[tuple[str, str]] = []
    for line in range(first_label, block_end + 1):
        entry = by_line.get(line)
        if entry is None or entry.label is None:
            return None
        value = _value(lines, entry)
        if not value or len(value.split()) > MAX_VALUE_WORDS or value[-1] in ".?!":
            return None
        if last_seen.get(entry.label, -1) <= block_end:
            return None
        entries.append((entry.label, value))
    labels = [label for label, _ in entries]
    if len(entries) < 2 or len(set(labels)) != len(labels):
        return None
    return Legend(tuple(entries), first_label, block_end, headed=False)
