"""One pass over a transcript's lines, noting every way each line could open a turn.

Each line is read on its own: an optional time in any of the common spellings, then a label
in any of the common shapes (``R1:``, ``time<TAB>R1<TAB>``, ``[Anna]``, Otter's ``Anna  0:03``,
``Anf. 3 ANNA BERG (KD):``, ``id<TAB>text``). The scan only records candidates, in order of
preference; which labels are real is decided in :mod:`mda_coder.ingest.turn_starts`, which
sees the whole file, and a file may mix shapes line by line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from mda_coder.ingest.labels import (
    MAX_LABEL_WORDS,
    MAX_SLIP_LABEL_CHARS,
    is_annotation,
    is_known_label,
    is_label_shaped,
    joint_parts,
    split_label,
)
from mda_coder.ingest.timestamps import (
    CLOCK,
    LONG_TIMESTAMP,
    LOOSE_CLOCK,
    STAMP_LINE_RE,
    TIME_PREFIX_RE,
    TIMESTAMP,
    parse_time_range,
    parse_timestamp,
)

LABEL_COLON = "label-colon"
TIMESTAMP_LABEL = "timestamp-label"
BRACKET = "bracket"
OTTER = "otter"
TSV = "tsv"
UTTERANCE_IDS = "utterance-ids"
CUSTOM = "custom"
PARAGRAPHS = "paragraphs"
HEADER = "header"
"""``40:20 DELTAGARE 4`` or ``Anna Berg 0:03`` (one space): believed only for a known label."""
SLIP = "slip"
"""``X.``, ``M;``, ``K Nej``: believed only for a known short label, and always listed."""
LABEL_LINE = "label-line"
"""``INTERVIEWER`` alone on its line, the utterance below (screenplay style)."""

STRONG_SHAPES = frozenset({LABEL_COLON, TIMESTAMP_LABEL, BRACKET, OTTER, TSV, UTTERANCE_IDS, LABEL_LINE})
"""Shapes that make a label count towards being known (a label alone on its line only when
it is in capitals or conventional); the others need it known already."""
"""Shapes that make a label count towards being known; the others need it known already."""

_SP = r"[^\S\t\n]"
"""White space within a line but a tab: spaces and the no-break spaces Word leaves."""
_WORD = r"[^\W_][\w.'’-]*"
_LABEL = rf"{_WORD}(?:(?:{_SP}+|{_SP}*[+&/]{_SP}*){_WORD}){{0,5}}"
"""Up to six words, each starting with a letter or digit, joined by spaces or ``+ & /``.

Capitals are checked afterwards, in ``is_label_shaped``, because ``re`` has no Unicode
upper-case class; joint labels (``X og Y``) are checked part by part.
"""
_COLON = rf"{_SP}*:(?!\d|//)"
"""A label's colon: not a clock's (``00:12``), not a URL's (``https://``)."""
_AFTER = rf"(?:{_SP}*(?P<ts2>{LONG_TIMESTAMP}))?{_SP}*"
_NUMBERED = r"(?P<num>(?:Anf\.|Anförande|Indlæg|Innlegg)[ ]*\d{1,4}[^\S\n]+)?"
"""The numbering before a speaker in parliamentary records: ``Anf. 3``."""
_NOTE = rf"(?:{_SP}*\((?![ \t]*{LOOSE_CLOCK}[ \t]*\))(?P<note>[^()\n]{{1,40}})\))?"
"""``(til I2)`` after a label; a clock in parentheses (``Speaker 1 (00:05):``) is a time instead."""

COLON_RE = re.compile(rf"{_NUMBERED}(?P<label>{_LABEL}){_NOTE}(?:{_SP}*(?P<ts1>{TIMESTAMP}))?{_COLON}{_AFTER}")
"""``R1: text``, ``Anna Berg: text``, ``R1 [00:01:23]: text``, ``X (til I2): text``,
``X og Y: text``, ``Anf. 3 ANNA BERG (KD): text``; matched after any time prefix."""

MARKDOWN_RE = re.compile(
    rf"(?P<bold>\*\*|__)(?P<label>{_LABEL}){_NOTE}"
    rf"(?:{_SP}*(?P<ts1>{TIMESTAMP}))?(?:{_COLON}{_SP}*(?P=bold)|(?P=bold){_COLON}){_AFTER}"
)
"""Markdown bold labels: ``**R1:** text``, ``**Anna**: text``, ``__I__:``."""

BRACKET_RE = re.compile(
    rf"\[(?P<label>[^\[\]\n]{{1,40}})\]{_SP}*:?"
    rf"(?:{_SP}*(?P<ts2>{LONG_TIMESTAMP}|{CLOCK}(?=\s*$)))?{_SP}*"
)
"""``[Anna] text``, ``[Anna Berg]: text``, ``[id1] text``, ``[Anna Berg] 02:13`` over the text;
stage directions are filtered out."""

_LOWER_ID = re.compile(r"[a-z]{1,12}\d{1,4}[a-z]?")
"""Bracketed lower-case ids transcribers give speakers: ``[id1]``, ``[p3]``."""

OTTER_RE = re.compile(rf"(?P<label>{_LABEL})(?: {{2,}}|[ \t]*\t[ \t]*)(?P<ts2>{CLOCK})\s*")
"""Otter's header line ``Anna Berg  1:02:33``; the utterance follows on the next lines."""

HEADER_RE = re.compile(rf"(?P<label>{_LABEL})(?:{_SP}+(?P<ts2>{CLOCK}))?\s*")
"""A label alone on its line (after a time), or with one space before the time."""

TSV_RE = re.compile(r"(?P<time>[^\t]*)\t[ \t]*(?P<label>[^\t]{1,60}?)[ \t]*\t[ \t]*")
"""A table row ``time<TAB>speaker<TAB>text``, the time cell possibly empty."""

TSV_LAST_RE = re.compile(
    r"(?P<time>[^\t]*)\t[ \t]*(?P<text>[^\t]*?\S)[ \t]*\t[ \t]*(?P<label>[^\t\s][^\t]{0,59}?)[ \t]*"
)
"""A row ``time<TAB>text<TAB>speaker`` (NVivo's transcripts: timespan, content, speaker)."""

TSV2_RE = re.compile(r"[ ]*(?P<label>[^\t\s][^\t]{0,119}?)[ ]*\t[ \t]*(?=\S)")
"""A two-column row ``speaker<TAB>text`` or ``utterance-id<TAB>text``."""
_ID = re.compile(r"[^\s:]*\d[^\s]*")
"""An utterance id: one token with a digit (``ParlaMint-DK_20220602101501``, ``u-12``)."""
_HAS_WORD = re.compile(r"[^\W_]")
_SHORT_ID = 6
"""Ids this short (``R1``, ``IP12``) are speaker labels in a two-column table."""

SLIP_RE = re.compile(
    rf"(?P<label>[^\W\d_][^\W_]{{0,{MAX_SLIP_LABEL_CHARS - 1}}})"
    rf"(?:(?P<punct>[.;]){_SP}+(?=\S)|{_SP}+(?=[^\W\d_]))"
)
"""A short label and a slip instead of its colon: ``X. Nej``, ``I2; Hvad``, ``Y Ja``."""

_WORD_LABELS = frozenset({"i", "a", "o", "å", "ø", "ö", "e", "u"})
"""One-letter labels that are also words (``I think``, ``A man``, ``I Danmark``): never a
slip when only a space follows them."""

_HEADER_CHARS = 80
"""A label alone on its line, with a time, is never longer than this."""
_SENTENCE_END = frozenset('.?!…"”»:')
# Cheap pre-checks that keep the regexes off lines that cannot match.
_STAMP_FIRST = frozenset("[(#*0123456789")
_COLON_WINDOW = 120


class Candidate(NamedTuple):
    """One way a line could open a turn: where the line and the utterance start."""

    line: int
    pos: int
    label: str | None
    """The label as written (trimmed), before spellings are merged."""
    body: int
    """Where the utterance starts, after the label and any time."""
    stamp: str | None
    shape: str = LABEL_COLON
    note: str | None = None
    """A note written in the label: ``til I2`` in ``X (til I2):``."""
    attributes: tuple[tuple[str, str], ...] = ()
    timed: bool = False
    """An unmistakable time precedes the label (``*1:00 =``, ``[00:01:23]``, ``5.00<TAB>``)."""
    stop: int | None = None
    """Where the utterance ends, when something follows it on its line (a speaker cell last)."""
    end_stamp: str | None = None
    """The end of a time range: ``0:05.3`` in ``0:00.0 - 0:05.3``."""


class StampLine(NamedTuple):
    """A line holding only a timestamp."""

    line: int
    pos: int
    end: int
    stamp: str


class TimedLine(NamedTuple):
    """A line opening with an unmistakable time but no label: ``*24:50 = [Der snakkes]``."""

    line: int
    pos: int
    stamp: str
    rest: str


@dataclass(frozen=True, slots=True)
class LineScan:
    """Everything the reader needs to decide turns, gathered in one pass."""

    lines: list[str]
    candidates: dict[int, tuple[Candidate, ...]]
    """Per line with any, its candidates in order of preference."""
    stamps: list[StampLine]
    timed: list[TimedLine]
    headings: list[Candidate]
    """Markdown heading lines: never turns, and they end the turn before them."""
    paragraphs: list[Candidate]
    """First lines of paragraphs (or every line), for the fallback without labels."""
    text_lines: int
    """Lines that are neither blank nor only a timestamp."""
    offsets: list[int]
    """Where each line starts in the text."""


@lru_cache(maxsize=4096)
def label_ok(label: str) -> bool:
    """A label as transcribers write them: short, capitalised words, or a joint of such."""
    parts = joint_parts(label)
    if parts is not None:
        return all(is_label_shaped(part) for part in parts)
    return is_label_shaped(label)


def label_line_counts(label: str) -> bool:
    """A label alone on a line: in capitals (``INTERVJUARE``, ``ANNA BERG``) or conventional
    (``Interviewer``, ``R2``). ``Ja`` or ``Precis`` alone on a line is an answer, not a speaker."""
    letters = [c for c in label if c.isalpha()]
    if len(letters) >= 2 and all(c.isupper() for c in letters):
        return True
    return is_known_label(label)


def is_bracket_id(label: str) -> bool:
    """``id1``, ``p3``: a speaker id in brackets, which no stage direction looks like."""
    return _LOWER_ID.fullmatch(label) is not None


@lru_cache(maxsize=4096)
def _bracket_speaker_ok(label: str) -> bool:
    """Bracketed text that names a speaker: capitalised or an id, no clock, no stage direction."""
    if _LOWER_ID.fullmatch(label):
        return True
    return (
        label[:1].isupper() and is_label_shaped(label) and parse_timestamp(label) is None and not is_annotation(label)
    )


def _stamp(m: re.Match[str], prefix: str | None) -> str | None:
    return m.group("ts1") or m.group("ts2") or prefix


def _colon(line: str, i: int, pos: int, at: int, prefix: str | None, timed: bool, markdown: bool) -> Candidate | None:
    m = None
    if markdown and line.startswith(("**", "__"), at):
        m = MARKDOWN_RE.match(line, at)
    if m is None:
        m = COLON_RE.match(line, at)
    if m is None or not label_ok(m.group("label")):
        return None
    parts = split_label(" ".join(m.group("label").split()), m.group("note"))
    shape = TIMESTAMP_LABEL if prefix is not None else LABEL_COLON
    numbered = m.re is COLON_RE and m.group("num") is not None
    return Candidate(
        i,
        pos,
        parts.label,
        pos + m.end(),
        _stamp(m, prefix),
        shape,
        parts.note,
        parts.attributes,
        timed or numbered,
    )


def _time_cell(cell: str) -> tuple[str | None, str | None] | None:
    """``(start, end)`` stamps of a table's time cell (a clock or a range), or None for text."""
    cell = cell.strip()
    if not cell:
        return None, None
    if parse_timestamp(cell) is not None:
        return cell, None
    if parse_time_range(cell) is not None:
        start, _, end = cell.replace("–", "-").partition("-")
        return start.strip(), end.strip()
    return None


def _speaker_last(line: str, i: int, pos: int) -> Candidate | None:
    """NVivo's transcript table, ``0:00.0 - 0:05.3<TAB>text<TAB>Anna``: the speaker comes last."""
    m = TSV_LAST_RE.fullmatch(line)
    if m is None or (stamps := _time_cell(m.group("time"))) is None or stamps[0] is None:
        return None
    label = m.group("label")
    if not label_ok(label) or (label_ok(m.group("text")) and len(m.group("text").split()) <= 2):
        return None
    return Candidate(
        i,
        pos,
        label,
        pos + m.start("text"),
        stamps[0],
        TSV,
        timed=True,
        stop=pos + m.end("text"),
        end_stamp=stamps[1],
    )


def _tsv(line: str, i: int, pos: int) -> Candidate | None:
    if line.count("\t") == 2 and (last := _speaker_last(line, i, pos)) is not None:
        return last
    m = TSV_RE.match(line)
    if m is not None and (stamps := _time_cell(m.group("time"))) is not None:
        time = stamps[0] or ""
        label = m.group("label").strip().rstrip(":").strip()
        # With a time a row is a row whatever its speaker cell holds (``vitalik``); without
        # one, the cell must read as a label, or a bulleted list (``<TAB>•<TAB>text``) is one.
        shaped = label_ok(label) if not time else _HAS_WORD.search(label) is not None
        if shaped and len(label.split()) <= MAX_LABEL_WORDS and not label.isdigit():
            return Candidate(i, pos, label, pos + m.end(), time or None, TSV, timed=bool(time), end_stamp=stamps[1])
        return None
    m = TSV2_RE.match(line)
    if m is None or m.group("label").rstrip().endswith(":"):
        return None  # ``R1:<TAB>text`` is a label and its colon, then a tab
    label = m.group("label").strip()
    if parse_timestamp(label) is not None or not label:
        return None
    if _ID.fullmatch(label) and len(label) > _SHORT_ID:
        return Candidate(i, pos, label, pos + m.end(), None, UTTERANCE_IDS)
    if label_ok(label):
        return Candidate(i, pos, label, pos + m.end(), None, TSV)
    return None


def _line_candidates(line: str, i: int, pos: int, markdown: bool, after_break: bool) -> list[Candidate]:
    """Every shape in which ``line`` could open a turn, most specific first.

    ``after_break``: the line follows a blank line, a time, or a sentence's end, so a label
    alone on it is not the tail of a wrapped sentence (``… som\nDELTAGARE 4``).
    """
    found: list[Candidate] = []
    stripped = line.lstrip()
    lead = len(line) - len(stripped)
    if "\t" in line and (row := _tsv(line, i, pos)) is not None:
        found.append(row)
    prefix: str | None = None
    timed = False
    at = lead
    if stripped[:1] in _STAMP_FIRST and (p := TIME_PREFIX_RE.match(line)) is not None and p.end() < len(line):
        prefix = p.group("time")
        timed = p.group("bare") is None
        at = p.end()
    if _label_colon_near(line, at) and (c := _colon(line, i, pos, at, prefix, timed, markdown)) is not None:
        found.append(c)
    if line.startswith("[", at) and (m := BRACKET_RE.match(line, at)):
        if _bracket_speaker_ok(label := m.group("label").strip()):
            found.append(Candidate(i, pos, label, pos + m.end(), _stamp_of(m, prefix), BRACKET))
    ends_digit = stripped.rstrip()[-1:].isdigit()
    if prefix is None and ends_digit:
        m = OTTER_RE.fullmatch(line, lead)
        if m is not None and label_ok(label := " ".join(m.group("label").split())):
            found.append(Candidate(i, pos, label, pos + m.end(), m.group("ts2"), OTTER))
    short = len(line) - at <= _HEADER_CHARS and (prefix is not None or after_break or ends_digit)
    m = HEADER_RE.fullmatch(line, at) if short and not found else None
    if m is not None and label_ok(label := " ".join(m.group("label").split())):
        if prefix is not None or m.group("ts2"):
            stamp = m.group("ts2") or prefix
            found.append(Candidate(i, pos, label, pos + m.end(), stamp, HEADER, timed=timed))
        elif after_break and label[-1] not in ".,;!?":
            found.append(Candidate(i, pos, label, pos + m.end(), None, LABEL_LINE))
    if line[at : at + 1].isupper() and (m := SLIP_RE.match(line, at)) is not None:
        label = m.group("label")
        if m.group("punct") is not None or (label.casefold() not in _WORD_LABELS and line[m.end()].isupper()):
            found.append(Candidate(i, pos, label, pos + m.end(), prefix, SLIP, timed=timed))
    return found


def _label_colon_near(line: str, at: int) -> bool:
    """A colon that could end a label near the line's start: not a clock's, not a URL's.

    Otter's ``Anna Berg  0:11`` has only a clock's colon; the label expression would spend
    microseconds failing on it, on every header of a long file.
    """
    end = at + _COLON_WINDOW
    j = line.find(":", at, end)
    while j >= 0:
        after = line[j + 1 : j + 3]
        if not after[:1].isdigit() and after != "//":
            return True
        j = line.find(":", j + 1, end)
    return False


def _stamp_of(m: re.Match[str], prefix: str | None) -> str | None:
    return m.group("ts2") or prefix


def _custom_start(custom: re.Pattern[str], line: str, i: int, pos: int) -> Candidate | None:
    m = custom.match(line)
    if m is None or not (speaker := (m.group("speaker") or "").strip()):
        return None
    body = m.end()
    if "text" in custom.groupindex and m.start("text") >= 0:
        body = m.start("text")
    stamp = m.group("time") if "time" in custom.groupindex else None
    return Candidate(i, pos, speaker, pos + body, stamp, CUSTOM)


def _timed_rest(line: str, i: int, pos: int) -> TimedLine | None:
    """A line that opens with an unmistakable time, whatever follows."""
    p = TIME_PREFIX_RE.match(line)
    if p is None or p.group("bare") is not None or p.end() >= len(line):
        return None
    return TimedLine(i, pos, p.group("time"), line[p.end() :].strip())


def scan_lines(
    text: str,
    *,
    markdown: bool = False,
    line_paragraphs: bool = False,
    custom: re.Pattern[str] | None = None,
) -> LineScan:
    """Classify every line of ``text``, in one pass."""
    lines = text.split("\n")
    candidates: dict[int, tuple[Candidate, ...]] = {}
    stamps: list[StampLine] = []
    timed: list[TimedLine] = []
    headings: list[Candidate] = []
    paragraphs: list[Candidate] = []
    text_lines = 0
    offsets: list[int] = []
    pos = 0
    separated = True
    ended = True
    for i, line in enumerate(lines):
        offsets.append(pos)
        end = pos + len(line)
        stripped = line.strip()
        if not stripped:
            separated = True
        elif stripped[0] in _STAMP_FIRST and STAMP_LINE_RE.fullmatch(line) and parse_timestamp(stripped) is not None:
            stamps.append(StampLine(i, pos, end, stripped))
            separated = True
        elif markdown and stripped[0] == "#":
            headings.append(Candidate(i, pos, None, pos, None))
            separated = True
        else:
            text_lines += 1
            if separated or line_paragraphs:
                paragraphs.append(Candidate(i, pos, None, pos, None))
            separated = False
            if custom is not None:
                if (own := _custom_start(custom, line, i, pos)) is not None:
                    candidates[i] = (own,)
            else:
                if found := _line_candidates(line, i, pos, markdown, separated or ended):
                    candidates[i] = tuple(found)
                if stripped[0] in _STAMP_FIRST and (t := _timed_rest(line, i, pos)) is not None:
                    timed.append(t)
            ended = stripped[-1] in _SENTENCE_END
        pos = end + 1
    return LineScan(lines, candidates, stamps, timed, headings, paragraphs, text_lines, offsets)


__all__ = [
    "BRACKET",
    "CUSTOM",
    "HEADER",
    "LABEL_COLON",
    "LABEL_LINE",
    "LOOSE_CLOCK",
    "OTTER",
    "PARAGRAPHS",
    "SLIP",
    "STRONG_SHAPES",
    "TIMESTAMP_LABEL",
    "TSV",
    "UTTERANCE_IDS",
    "Candidate",
    "LineScan",
    "StampLine",
    "TimedLine",
    "is_bracket_id",
    "label_line_counts",
    "label_ok",
    "scan_lines",
]
