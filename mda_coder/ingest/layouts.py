"""One pass over a transcript's lines, noting which line could open a turn in which layout.

Every layout is a named pattern matched at line start. The scan only records
candidates; deciding which labels are real (known, in a legend, or recurring)
and which layout wins is left to :mod:`mda_coder.ingest.text`, which sees them all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from mda_coder.ingest.labels import MAX_LABEL_WORDS, is_annotation, is_label_shaped
from mda_coder.ingest.timestamps import CLOCK, LONG_TIMESTAMP, TIMESTAMP, parse_timestamp

LABEL_COLON = "label-colon"
BRACKET = "bracket"
OTTER = "otter"
TIMESTAMP_LABEL = "timestamp-label"
TSV = "tsv"
CUSTOM = "custom"
PARAGRAPHS = "paragraphs"

# Best first when two layouts find the same number of turns: the more specific shape wins.
LAYOUT_PRIORITY = (TSV, OTTER, TIMESTAMP_LABEL, LABEL_COLON, BRACKET)

# Up to four words, each starting with a letter or digit; capitals are checked afterwards,
# in is_label_shaped, because ``re`` has no Unicode upper-case class.
_LABEL = r"[^\W_][\w.'’-]*(?: [^\W_][\w.'’-]*){0,3}"
# A label's colon: not a clock's (``00:12``), not a URL's (``https://``).
_COLON = r"[ \t]*:(?!\d|//)"
_AFTER = rf"(?:[ \t]*(?P<ts2>{LONG_TIMESTAMP}))?[ \t]*"

LABEL_COLON_RE = re.compile(
    rf"[ \t]*(?:(?P<lead>{TIMESTAMP})[ \t]+)?(?P<label>{_LABEL})"
    rf"(?:[ \t]*(?P<ts1>{TIMESTAMP}))?{_COLON}{_AFTER}"
)
"""``R1: text``, ``Anna Berg: text``, ``R1 [00:01:23]: text``, ``R1: [00:01:23] text``."""

MARKDOWN_LABEL_RE = re.compile(
    rf"[ \t]*(?:(?P<lead>{TIMESTAMP})[ \t]+)?(?P<bold>\*\*|__)(?P<label>{_LABEL})"
    rf"(?:[ \t]*(?P<ts1>{TIMESTAMP}))?(?:{_COLON}[ \t]*(?P=bold)|(?P=bold){_COLON}){_AFTER}"
)
"""Markdown bold labels: ``**R1:** text``, ``**Anna**: text``, ``__I__:``."""

BRACKET_RE = re.compile(
    rf"[ \t]*\[(?P<label>[^\[\]\n]{{1,40}})\][ \t]*:?{_AFTER}"
)
"""``[Anna] text`` and ``[Anna Berg]: text``; stage directions are filtered afterwards."""

OTTER_RE = re.compile(
    rf"[ \t]*(?P<label>{_LABEL})(?: {{2,}}|[ \t]*\t[ \t]*)(?P<ts2>{CLOCK})[ \t]*"
)
"""Otter's header line ``Anna Berg  1:02:33``; the utterance follows on the next lines."""

TSV_RE = re.compile(r"(?P<time>[^\t]*)\t[ \t]*(?P<label>[^\t]{1,40}?)[ \t]*\t[ \t]*")
"""A table row ``time<TAB>speaker<TAB>text``, the time cell possibly empty."""

TIMESTAMP_LINE_RE = re.compile(rf"[ \t]*{TIMESTAMP}[ \t]*")
"""A line holding nothing but a timestamp: between turns, it times the next one."""

# Cheap pre-checks that keep the regexes off lines that cannot match.
_STAMP_FIRST = frozenset("[(#*0123456789")
_COLON_WINDOW = 100


class Candidate(NamedTuple):
    """A line that could open a turn: where the line and the utterance start."""

    line: int
    pos: int
    label: str | None
    body: int
    stamp: str | None


class StampLine(NamedTuple):
    """A line holding only a timestamp."""

    line: int
    pos: int
    end: int
    stamp: str


@dataclass(frozen=True, slots=True)
class LineScan:
    """Everything the layout choice needs, gathered in one pass."""

    lines: list[str]
    candidates: dict[str, list[Candidate]]
    """Turn-start candidates per layout name, in line order."""
    stamps: list[StampLine]
    headings: list[Candidate]
    """Markdown heading lines: never turns, and they end the turn before them."""
    paragraphs: list[Candidate]
    """First lines of paragraphs (or every line), for the fallback without labels."""


@lru_cache(maxsize=4096)
def _label_ok(label: str) -> bool:
    """``is_label_shaped``, remembered: labels repeat thousands of times in a long file."""
    return is_label_shaped(label)


@lru_cache(maxsize=4096)
def _bracket_speaker_ok(label: str) -> bool:
    """Bracketed text that names a speaker: capitalised, no clock, no stage direction."""
    return (
        label[:1].isupper()
        and is_label_shaped(label)
        and parse_timestamp(label) is None
        and not is_annotation(label)
    )


def _label_colon(line: str, markdown: bool) -> re.Match[str] | None:
    m = None
    if markdown and ("**" in line[:8] or "__" in line[:8]):
        m = MARKDOWN_LABEL_RE.match(line)
    if m is None:
        m = LABEL_COLON_RE.match(line)
    return m if m is not None and _label_ok(m.group("label")) else None


def _tsv_row(line: str) -> re.Match[str] | None:
    m = TSV_RE.match(line)
    if m is None or len(m.group("label").split()) > MAX_LABEL_WORDS:
        return None
    time = m.group("time").strip()
    return m if not time or parse_timestamp(time) is not None else None


def _custom_start(
    custom: re.Pattern[str], line: str, i: int, pos: int
) -> Candidate | None:
    m = custom.match(line)
    if m is None or not (speaker := (m.group("speaker") or "").strip()):
        return None
    body = m.end()
    if "text" in custom.groupindex and m.start("text") >= 0:
        body = m.start("text")
    stamp = m.group("time") if "time" in custom.groupindex else None
    return Candidate(i, pos, speaker, pos + body, stamp)


def scan_lines(
    text: str,
    *,
    markdown: bool = False,
    line_paragraphs: bool = False,
    custom: re.Pattern[str] | None = None,
) -> LineScan:
    """Classify every line of ``text`` against every layout, in one pass."""
    lines = text.split("\n")
    colon: list[Candidate] = []
    stamped: list[Candidate] = []
    bracket: list[Candidate] = []
    otter: list[Candidate] = []
    tsv: list[Candidate] = []
    own: list[Candidate] = []
    stamps: list[StampLine] = []
    headings: list[Candidate] = []
    paragraphs: list[Candidate] = []
    pos = 0
    separated = True
    for i, line in enumerate(lines):
        end = pos + len(line)
        stripped = line.strip()
        if not stripped:
            separated = True
        elif stripped[0] in _STAMP_FIRST and TIMESTAMP_LINE_RE.fullmatch(line):
            stamps.append(StampLine(i, pos, end, stripped))
            separated = True
        elif markdown and stripped[0] == "#":
            headings.append(Candidate(i, pos, None, pos, None))
            separated = True
        else:
            if separated or line_paragraphs:
                paragraphs.append(Candidate(i, pos, None, pos, None))
            separated = False
            if custom is not None:
                if (found := _custom_start(custom, line, i, pos)) is not None:
                    own.append(found)
            else:
                if line.find(":", 0, _COLON_WINDOW) >= 0 and (m := _label_colon(line, markdown)):
                    stamp = m.group("ts1") or m.group("ts2") or m.group("lead")
                    found = Candidate(i, pos, m.group("label"), pos + m.end(), stamp)
                    colon.append(found)
                    if m.group("lead") is not None:
                        stamped.append(found)
                if stripped[0] == "[" and (m := BRACKET_RE.match(line)):
                    if _bracket_speaker_ok(label := m.group("label").strip()):
                        bracket.append(Candidate(i, pos, label, pos + m.end(), m.group("ts2")))
                if "\t" in line and (m := _tsv_row(line)):
                    time = m.group("time").strip() or None
                    tsv.append(Candidate(i, pos, m.group("label"), pos + m.end(), time))
                if stripped[-1].isdigit() and ("  " in line or "\t" in line):
                    m = OTTER_RE.fullmatch(line)
                    if m is not None and _label_ok(label := m.group("label")):
                        otter.append(Candidate(i, pos, label, pos + m.end(), m.group("ts2")))
        pos = end + 1

    candidates = (
        {CUSTOM: own}
        if custom is not None
        else {
            LABEL_COLON: colon,
            TIMESTAMP_LABEL: stamped,
            BRACKET: bracket,
            OTTER: otter,
            TSV: tsv,
        }
    )
    return LineScan(lines, candidates, stamps, headings, paragraphs)
