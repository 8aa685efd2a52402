"""Plain-text and Markdown transcripts: the speakers, every turn's span, and every doubt.

Transcripts arrive in whatever shape the transcriber chose (``R1: ...``, ``[Anna] ...``,
Otter exports, Word tables saved as text, parliamentary records), and often in several shapes
in one file. Lines are scanned once (:mod:`~mda_coder.ingest.layouts`), the legend read
(:mod:`~mda_coder.ingest.legend`), and each line decided on its own
(:mod:`~mda_coder.ingest.turn_starts`). The text itself is never changed: turns are spans into it.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter

from mda_coder.core.display import clock, one_line
from mda_coder.core.errors import InputError
from mda_coder.core.spans import strip_span
from mda_coder.core.transcript import NO_TURN, TIME, Doubt, ParsedTranscript, SpeakerInfo, Turn
from mda_coder.i18n import Message
from mda_coder.ingest import layouts
from mda_coder.ingest.labels import role_for
from mda_coder.ingest.layouts import Candidate, LineScan, scan_lines
from mda_coder.ingest.legend import Legend, find_legend
from mda_coder.ingest.timestamps import parse_timestamp
from mda_coder.ingest.turn_starts import decide

_NONSPACE = re.compile(r"\S")
_TRAILER = re.compile(r"\s*Transcribed by\s+https?://\S+\s*", re.IGNORECASE)
"""The line transcription services end a file with: metadata, not the last speaker's words."""
MIXED_SHARE = 0.1
"""A second shape with at least this share of the turns is named in the layout (``tsv+label-colon``)."""
BACKWARDS = 1.0
"""Seconds a turn's time may fall behind the turn before before it is listed as a doubt."""


def parse_text(
    text: str,
    *,
    fmt: str = "txt",
    encoding: str = "utf-8",
    speaker_pattern: str | None = None,
    line_paragraphs: bool = False,
) -> ParsedTranscript:
    """Read a decoded transcript (``\\n`` line endings) into turns, speakers and doubts.

    ``speaker_pattern`` is the user's own regex for turn starts (named group
    ``speaker``, optional ``time`` and ``text``); ``line_paragraphs`` makes every
    line its own paragraph when no labels are found, as Word paragraphs are lines.
    Raises :class:`InputError` for empty text or a bad ``speaker_pattern``.
    """
    if not text.strip():
        raise InputError(Message("the file has no text"))
    custom = _compile_pattern(speaker_pattern) if speaker_pattern is not None else None
    scan = scan_lines(text, markdown=fmt == "md", line_paragraphs=line_paragraphs, custom=custom)
    legend = find_legend(scan.lines, _last_seen(scan))
    warnings: list[str] = []
    if legend is not None:
        first, last = legend.first_line + 1, legend.last_line + 1
        warnings.append(
            Message("line {first} read as a legend, not as turns", first=first)
            if first == last
            else Message("lines {first}–{last} read as a legend, not as turns", first=first, last=last)
        )
    stops = _trailer_lines(scan)

    doubts: list[Doubt] = []
    shapes: Counter[str] = Counter()
    if custom is not None:
        skip = legend.lines if legend is not None else frozenset()
        starts = [c for line, (c,) in sorted(scan.candidates.items()) if line not in skip]
        if not starts:
            raise InputError(Message("--speaker-pattern matched no line"))
        layout, guessed = layouts.CUSTOM, False
    else:
        decision = decide(scan, legend)
        starts, doubts, shapes = decision.starts, decision.doubts, decision.shapes
        if not starts or (len(starts) == 1 and _preamble_lines(scan, starts[0].line, legend)):
            starts, doubts, shapes = [], [], Counter()
        layout, guessed = _layout(shapes), False
    if not starts:
        starts = [c for c in scan.paragraphs if legend is None or c.line not in legend.lines]
        layout, guessed = layouts.PARAGRAPHS, True
        warnings.append(
            Message("no speaker labels found: each line is a turn without a speaker")
            if line_paragraphs
            else Message("no speaker labels found: each paragraph is a turn without a speaker")
        )

    turns, turn_lines = _build_turns(text, starts, scan, legend, stops)
    if layout != layouts.PARAGRAPHS:
        doubts += _outside_turns(scan, turns, turn_lines, legend, stops)
    doubts += _backwards(turns, turn_lines, scan)
    doubts.sort(key=lambda d: d.line or 0)
    return ParsedTranscript(
        text=text,
        turns=turns,
        speakers=_speakers(starts, legend) if layout != layouts.PARAGRAPHS else (),
        format=fmt,
        layout=layout,
        guessed=guessed,
        encoding=encoding,
        warnings=tuple(warnings),
        doubts=tuple(doubts),
        lines=scan.text_lines,
    )


def _compile_pattern(pattern: str) -> re.Pattern[str]:
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise InputError(Message("--speaker-pattern: invalid regular expression: {error}", error=str(exc))) from None
    if "speaker" not in compiled.groupindex:
        raise InputError(Message("--speaker-pattern: missing named group (?P<speaker>...)"))
    return compiled


def _last_seen(scan: LineScan) -> dict[str, int]:
    """The last line each candidate label opens, in any shape."""
    last: dict[str, int] = {}
    for line, found in scan.candidates.items():
        for candidate in found:
            if candidate.label is not None:
                last[candidate.label] = max(line, last.get(candidate.label, -1))
    return last


def _trailer_lines(scan: LineScan) -> list[int]:
    """``Transcribed by https://otter.ai`` among the last lines of the file."""
    lines = scan.lines
    return [i for i in range(max(0, len(lines) - 4), len(lines)) if _TRAILER.fullmatch(lines[i])]


def _layout(shapes: Counter[str]) -> str:
    """The shape most turns start in, and a second one when it holds a real share."""
    strong = Counter({s: n for s, n in shapes.items() if s in layouts.STRONG_SHAPES})
    if not strong:
        return layouts.LABEL_COLON
    ranked = strong.most_common()
    total = sum(shapes.values())
    if len(ranked) > 1 and ranked[1][1] >= MIXED_SHARE * total:
        return f"{ranked[0][0]}+{ranked[1][0]}"
    return ranked[0][0]


def _preamble_lines(scan: LineScan, first_turn_line: int, legend: Legend | None) -> list[int]:
    """Text lines before the first turn, other than a title line, the legend and timestamps."""
    skipped = set(legend.lines) if legend is not None else set()
    for markers in (scan.stamps, scan.headings):
        for marker in markers:
            if marker.line >= first_turn_line:
                break
            skipped.add(marker.line)
    found = [i for i in range(first_turn_line) if i not in skipped and scan.lines[i].strip()]
    return found[1:]


_START, _STAMP, _STOP = 0, 1, 2


def _events(
    starts: list[Candidate], scan: LineScan, legend: Legend | None, stops: list[int]
) -> list[tuple[int, int, int, int]]:
    """``(line, kind, index, pos)`` for every turn start, timestamp line, heading and legend."""
    events = [(c.line, _START, i, c.pos) for i, c in enumerate(starts)]
    events += [(s.line, _STAMP, i, s.pos) for i, s in enumerate(scan.stamps)]
    events += [(h.line, _STOP, 0, h.pos) for h in scan.headings]
    offsets = scan.offsets
    if legend is not None:
        events += [(line, _STOP, 0, offsets[line]) for line in sorted(legend.lines)]
    events += [(line, _STOP, 0, offsets[line]) for line in stops]
    events.sort()
    return events


def _stamps_inside_turns(text: str, events: list[tuple[int, int, int, int]], scan: LineScan) -> list[bool]:
    """For each event: is it a timestamp line with more of the same turn after it?

    Decided from the end backwards, so a run of timestamp lines followed by text
    without a label counts as inside the turn as a whole.
    """
    inside = [False] * len(events)
    next_pos = len(text)
    for index in range(len(events) - 1, -1, -1):
        _, kind, item, pos = events[index]
        if kind == _STAMP:
            after = _NONSPACE.search(text, scan.stamps[item].end, next_pos) is not None
            followed_by_stamp = index + 1 < len(events) and events[index + 1][1] == _STAMP
            inside[index] = after or (followed_by_stamp and inside[index + 1])
        next_pos = pos
    return inside


def _build_turns(
    text: str,
    starts: list[Candidate],
    scan: LineScan,
    legend: Legend | None,
    stops: list[int],
) -> tuple[tuple[Turn, ...], list[int]]:
    """Cut the text into turns at starts, timestamp lines, headings and the legend.

    A turn runs from its utterance to the next event, trimmed, so continuation lines and
    blank lines inside it belong to it. A timestamp line with more of the turn after it is
    inside the turn; one before the next event times the next turn. Returns the turns and
    the line each one starts on.
    """
    events = _events(starts, scan, legend, stops)
    inside = _stamps_inside_turns(text, events, scan)
    turns: list[Turn] = []
    lines: list[int] = []
    open_turn: Candidate | None = None
    open_time: float | None = None
    pending: float | None = None

    def close(end: int) -> None:
        if open_turn is None:
            return
        if open_turn.stop is not None:
            end = min(end, open_turn.stop)  # a speaker cell after the text is not the text
        if span := strip_span(text, open_turn.body, end):
            until = parse_timestamp(open_turn.end_stamp) if open_turn.end_stamp else None
            turns.append(Turn(span, speaker=open_turn.label, time=open_time, end_time=until))
            lines.append(open_turn.line)

    for index, (_, kind, item, pos) in enumerate(events):
        if kind == _STAMP and open_turn is not None and inside[index]:
            continue
        close(pos)
        open_turn = None
        if kind == _START:
            open_turn = starts[item]
            open_time = parse_timestamp(open_turn.stamp) if open_turn.stamp else None
            if open_time is None:
                open_time = pending
            pending = None
        elif kind == _STAMP:
            pending = parse_timestamp(scan.stamps[item].stamp)
    close(len(text))
    return tuple(turns), lines


def _outside_turns(
    scan: LineScan,
    turns: tuple[Turn, ...],
    turn_lines: list[int],
    legend: Legend | None,
    stops: list[int],
) -> list[Doubt]:
    """Text in no turn, but for a title line, the legend, headings and timestamps."""
    offsets = scan.offsets
    covered: set[int] = set(turn_lines)
    for turn in turns:
        first = bisect.bisect_right(offsets, turn.span.start) - 1
        last = bisect.bisect_right(offsets, turn.span.end - 1) - 1
        covered.update(range(first, last + 1))
    skipped = covered | set(stops) | {s.line for s in scan.stamps} | {h.line for h in scan.headings}
    if legend is not None:
        skipped |= legend.lines
    outside = [i for i, line in enumerate(scan.lines) if line.strip() and i not in skipped]
    if outside and turn_lines and outside[0] < turn_lines[0]:
        outside = outside[1:]  # the title
    return [Doubt(NO_TURN, i + 1, one_line(scan.lines[i], 80), Message("in no turn")) for i in outside]


def _backwards(turns: tuple[Turn, ...], turn_lines: list[int], scan: LineScan) -> list[Doubt]:
    """A turn timed earlier than the turn before it: a typo in the time, or a misread one."""
    doubts = []
    latest: float | None = None
    for turn, line in zip(turns, turn_lines, strict=True):
        if turn.time is None:
            continue
        if latest is not None and turn.time < latest - BACKWARDS:
            doubts.append(
                Doubt(
                    TIME,
                    line + 1,
                    one_line(scan.lines[line], 80),
                    Message(
                        "time {time} is earlier than the turn before ({before})",
                        time=clock(turn.time),
                        before=clock(latest),
                    ),
                )
            )
        latest = turn.time if latest is None else max(latest, turn.time)
    return doubts


def _speakers(starts: list[Candidate], legend: Legend | None) -> tuple[SpeakerInfo, ...]:
    """Legend speakers in legend order, then the others as they first speak."""
    speakers: dict[str, SpeakerInfo] = {}
    if legend is not None:
        for entry, description in legend.entries:
            speakers.setdefault(entry, SpeakerInfo(entry, role_for(entry, description), description))
    for candidate in starts:
        label = candidate.label
        if label is None:
            continue
        if label not in speakers:
            speakers[label] = SpeakerInfo(label, role_for(label, None), None, candidate.attributes)
        elif candidate.attributes and not speakers[label].attributes:
            info = speakers[label]
            speakers[label] = SpeakerInfo(label, info.role, info.description, candidate.attributes)
    return tuple(speakers.values())
