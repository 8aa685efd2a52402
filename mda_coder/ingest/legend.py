"""The legend block at the top of a transcript: who ``I``, ``R1`` and ``R2`` are.

A legend looks much like turns (``R1: arbetskonsulent``), so it must be told apart before
turns are counted, or every focus group would open with three one-word utterances. Legends
come in several shapes: a line per speaker (``I1: Interviewer 1``, ``I = interviewer``),
several speakers on one line (``I1: Interviewer 1, I2: Interviewer 2; X: Informant``,
``Interviewer (I)  Informant (X)``), under a heading (``Deltagare:``), or Otter's
``SPEAKERS`` list of names.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mda_coder.ingest.layouts import label_ok

# A legend sits near the top; looking further would mistake a run of short turns for one.
LEGEND_WINDOW = 40
MAX_VALUE_WORDS = 6

_HEADING_WORDS = (
    r"(?:Deltagare|Deltagere|Medverkande|Medvirkende|Teckenförklaring|Förklaring"
    r"|Forklaring|Tegnforklaring|Legend|Key|Participants|Speakers|Talare|Talere"
    r"|Närvarande|Til stede|Tilstede|Informanter|Intervjupersoner)"
)
_HEADING = re.compile(
    rf"\s*(?:#{{1,6}}\s*)?(?:\*\*|__)?\s*{_HEADING_WORDS}\s*:?\s*(?:\*\*|__)?\s*:?\s*",
    re.IGNORECASE,
)
_HEADING_INLINE = re.compile(
    rf"\s*(?:#{{1,6}}\s*)?(?:\*\*|__)?\s*{_HEADING_WORDS}\s*(?:\*\*|__)?\s*:\s*(?:\*\*|__)?\s*(?P<rest>\S.*)",
    re.IGNORECASE,
)
"""A heading with its colon and the legend's entries on the same line."""
_KEYWORDS = re.compile(r"\s*SUMMARY KEYWORDS\s*", re.IGNORECASE)
"""Otter's header: ``SUMMARY KEYWORDS`` and a line of keywords, metadata rather than talk."""

_LABEL = r"[^\W_][\w.'’-]*(?:[ \t]*[+&][ \t]*[^\W_][\w.'’-]*|[ \t][^\W_][\w.'’-]*){0,3}"
_ENTRY_START = re.compile(rf"(?:^|(?<=[,;])|(?<=\s\s)|(?<=\t))\s*(?P<label>{_LABEL})\s*(?P<sep>[:=])\s*")
"""Where a ``LABEL: description`` or ``LABEL = description`` entry begins in a line."""
_PAREN_ENTRY = re.compile(r"\s*(?P<desc>[^(),;\t]{1,40}?)\s*\((?P<label>[^()\s]{1,10})\)\s*[,;]?")
"""``Interviewer (I)``: a description with the label after it in parentheses."""


@dataclass(frozen=True, slots=True)
class Legend:
    """Labels and their descriptions, with the lines the legend occupies."""

    entries: tuple[tuple[str, str | None], ...]
    """``(label, description)`` in the legend's order; Otter's name lists have no description."""
    first_line: int
    """0-based index of the legend's first line (its heading, when it has one)."""
    last_line: int
    headed: bool
    colon_form: bool = False
    """Written like turns (``R1: …``): believed only because its labels go on to speak."""
    extra_lines: tuple[int, ...] = ()
    """Other header lines that are metadata, not talk (Otter's keywords)."""

    @property
    def labels(self) -> frozenset[str]:
        return frozenset(label for label, _ in self.entries)

    @property
    def lines(self) -> frozenset[int]:
        return frozenset((*range(self.first_line, self.last_line + 1), *self.extra_lines))

    def description(self, label: str) -> str | None:
        for known, text in self.entries:
            if known == label:
                return text
        return None


def _value_ok(value: str) -> bool:
    return bool(value) and len(value.split()) <= MAX_VALUE_WORDS and value[-1] not in ".?!"


def parse_entries(line: str) -> tuple[list[tuple[str, str]], bool] | None:
    """The ``(label, description)`` entries of a legend line and whether it is in colon form.

    ``None`` unless the whole line is entries: ``I1: Interviewer 1, I2: Interviewer 2``,
    ``I = interviewer, X = informant``, ``Interviewer (I)  Informant (X)``.
    """
    text = line.strip()
    if not text:
        return None
    starts = list(_ENTRY_START.finditer(text))
    if starts and starts[0].start() == 0:
        entries = []
        for index, start in enumerate(starts):
            end = starts[index + 1].start() if index + 1 < len(starts) else len(text)
            value = text[start.end() : end].strip().rstrip(",;").strip()
            label = " ".join(start.group("label").split())
            if not label_ok(label) or not _value_ok(value):
                return None
            entries.append((label, value))
        colon = all(start.group("sep") == ":" for start in starts)
        return entries, colon
    position, entries = 0, []
    while position < len(text):
        m = _PAREN_ENTRY.match(text, position)
        if m is None or not label_ok(m.group("label")) or not _value_ok(m.group("desc").strip()):
            return None
        entries.append((m.group("label"), m.group("desc").strip()))
        position = m.end()
    return (entries, False) if entries else None


def _names(line: str) -> list[tuple[str, str | None]] | None:
    """Otter's ``Lena Berglund, IP07``: names without descriptions."""
    names = [" ".join(part.split()) for part in line.split(",")]
    if not names or not all(name and label_ok(name) for name in names):
        return None
    return [(name, None) for name in names]


def find_legend(lines: list[str], last_seen: dict[str, int]) -> Legend | None:
    """The legend block near the top of ``lines``, or ``None``.

    ``last_seen`` maps every candidate label to the last line it opens, so that a legend
    written like turns is only believed when its labels go on to speak.
    """
    window = min(len(lines), LEGEND_WINDOW)
    extra = _keyword_lines(lines, window)
    legend = _headed(lines, window) or _headless(lines, window, last_seen)
    if legend is None:
        return None
    return Legend(
        legend.entries,
        legend.first_line,
        legend.last_line,
        legend.headed,
        legend.colon_form,
        tuple(i for i in extra if not legend.first_line <= i <= legend.last_line),
    )


def _keyword_lines(lines: list[str], window: int) -> tuple[int, ...]:
    for index in range(window):
        if _KEYWORDS.fullmatch(lines[index]):
            following = next((i for i in range(index + 1, len(lines)) if lines[i].strip()), None)
            return (index,) if following is None else (index, following)
    return ()


def _headed(lines: list[str], window: int) -> Legend | None:
    """A heading (``Deltagare:``, ``SPEAKERS``) followed by entry lines up to a blank line,
    or with its entries on the same line (``Deltagare: Moderator (M), Lena (L)``)."""
    for start in range(window):
        inline = _HEADING_INLINE.fullmatch(lines[start])
        if inline is not None and (parsed := parse_entries(inline.group("rest"))) is not None:
            return Legend(tuple(parsed[0]), start, start, headed=True)
        if not _HEADING.fullmatch(lines[start]):
            continue
        entries: list[tuple[str, str | None]] = []
        line = start + 1
        while line < len(lines) and (parsed := parse_entries(lines[line])) is not None:
            entries.extend(parsed[0])
            line += 1
        if not entries and line < len(lines) and (names := _names(lines[line])) is not None:
            entries, line = names, line + 1
        if entries:
            return Legend(tuple(entries), start, line - 1, headed=True)
    return None


def _headless(lines: list[str], window: int, last_seen: dict[str, int]) -> Legend | None:
    """The first block of entry lines, if it reads as a legend.

    Believed when its entries are at least two, name distinct labels, and, when written
    like turns (``R1: arbetskonsulent``), every label opens a turn again further down.
    The search stops at the first line that looks like a turn but cannot be a legend.
    """
    first = 0
    while first < window:
        parsed = parse_entries(lines[first])
        if parsed is None:
            if _ENTRY_START.match(lines[first].strip()):
                return None  # a turn: the talk has begun
            first += 1
            continue
        entries: list[tuple[str, str | None]] = list(parsed[0])
        colon = parsed[1]
        last = first
        while last + 1 < len(lines) and (more := parse_entries(lines[last + 1])) is not None:
            entries.extend(more[0])
            colon = colon and more[1]
            last += 1
        labels = [label for label, _ in entries]
        believed = len(entries) >= 2 and len(set(labels)) == len(labels)
        if believed and colon:
            believed = all(last_seen.get(label, -1) > last for label in labels)
        if believed:
            return Legend(tuple(entries), first, last, headed=False, colon_form=colon)
        first = last + 1  # a line like "Datum: 12 mars" above the legend
    return None
