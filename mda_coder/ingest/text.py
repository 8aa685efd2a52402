"""Plain-text and Markdown transcripts: find the layout, the speakers and every turn's span.

Transcripts arrive in whatever shape the transcriber chose (``R1: ...``,
``[Anna] ...``, Otter exports, Word tables saved as text). Every line is
classified against every layout in one pass, the layout with the most accepted
turn starts wins, and the text itself is never changed: turns are spans into it.
"""

from __future__ import annotations

import re
from collections import Counter

from mda_coder.core.errors import InputError
from mda_coder.core.spans import strip_span
from mda_coder.core.transcript import ParsedTranscript, SpeakerInfo, Turn
from mda_coder.ingest.labels import is_known_label, role_for
from mda_coder.ingest.layouts import (
    BRACKET,
    CUSTOM,
    LABEL_COLON,
    LAYOUT_PRIORITY,
    PARAGRAPHS,
    Candidate,
    LineScan,
    scan_lines,
)
from mda_coder.ingest.legend import Legend, find_legend
from mda_coder.ingest.timestamps import parse_timestamp

# Layouts whose labels must be known, in the legend, or recur: a colon or a bracket
# alone is weak evidence. The others carry a timestamp or a table row as well.
_EARNED_LABELS = frozenset({LABEL_COLON, BRACKET})
# A rival layout this close to the winner, on other lines, makes the choice a guess.
_CLOSE_SCORE = 0.75
_MAX_EXAMPLES = 3
_NONSPACE = re.compile(r"\S")


def parse_text(
    text: str,
    *,
    fmt: str = "txt",
    encoding: str = "utf-8",
    speaker_pattern: str | None = None,
    line_paragraphs: bool = False,
) -> ParsedTranscript:
    """Read a decoded transcript (``\\n`` line endings) into turns, speakers and a layout.

    ``speaker_pattern`` is the user's own regex for turn starts (named group
    ``speaker``, optional ``time`` and ``text``); ``line_paragraphs`` makes every
    line its own paragraph when no labels are found, as Word paragraphs are lines.
    Raises :class:`InputError` for empty text or a bad ``speaker_pattern``.
    """
    if not text.strip():
        raise InputError("the file has no text")
    custom = _compile_pattern(speaker_pattern) if speaker_pattern is not None else None
    scan = scan_lines(
        text, markdown=fmt == "md", line_paragraphs=line_paragraphs, custom=custom
    )
    legend = find_legend(scan.lines, scan.candidates.get(LABEL_COLON, ()), _last_seen(scan))
    warnings: list[str] = []
    if legend is not None:
        first, last = legend.first_line + 1, legend.last_line + 1
        warnings.append(f"lines {first}–{last} read as a legend, not as turns")

    accepted = {
        layout: _accept(layout, found, legend) for layout, found in scan.candidates.items()
    }
    layout, guessed = _choose(accepted, scan, legend, warnings)
    if layout == PARAGRAPHS:
        starts = _outside_legend(scan.paragraphs, legend)
        unit = "line" if line_paragraphs else "paragraph"
        warnings.append(f"no speaker labels found: each {unit} is a turn without a speaker")
    else:
        starts = accepted[layout]
        if layout in _EARNED_LABELS:
            found = scan.candidates[layout]
            guessed = _note_label_evidence(found, starts, legend, warnings) or guessed
        _note_preamble(scan, starts[0].line, legend, warnings)

    return ParsedTranscript(
        text=text,
        turns=_build_turns(text, starts, scan, legend),
        speakers=_speakers(starts, legend) if layout != PARAGRAPHS else (),
        format=fmt,
        layout=layout,
        guessed=guessed,
        encoding=encoding,
        warnings=tuple(warnings),
    )


def _compile_pattern(pattern: str) -> re.Pattern[str]:
    try:
        compiled = re.compile(pattern)
    except re.error as exc:
        raise InputError(f"--speaker-pattern: invalid regular expression: {exc}") from None
    if "speaker" not in compiled.groupindex:
        raise InputError("--speaker-pattern: missing named group (?P<speaker>...)")
    return compiled


def _last_seen(scan: LineScan) -> dict[str, int]:
    """The last line each candidate label opens, in any layout."""
    last: dict[str, int] = {}
    for found in scan.candidates.values():
        for candidate in found:
            label = candidate.label
            if label is not None and candidate.line > last.get(label, -1):
                last[label] = candidate.line
    return last


def _outside_legend(found: list[Candidate], legend: Legend | None) -> list[Candidate]:
    if legend is None:
        return found
    return [c for c in found if not legend.first_line <= c.line <= legend.last_line]


def _accept(layout: str, found: list[Candidate], legend: Legend | None) -> list[Candidate]:
    """The candidates whose labels count as speakers in ``layout``."""
    found = _outside_legend(found, legend)
    if layout not in _EARNED_LABELS:
        return found
    counts = Counter(c.label for c in found)
    legend_labels = legend.labels if legend is not None else frozenset()
    verdict: dict[str | None, bool] = {}
    accepted = []
    for candidate in found:
        label = candidate.label
        ok = verdict.get(label)
        if ok is None:
            ok = verdict[label] = (
                counts[label] >= 2
                or label in legend_labels
                or (label is not None and is_known_label(label))
            )
        if ok:
            accepted.append(candidate)
    return accepted


def _choose(
    accepted: dict[str, list[Candidate]],
    scan: LineScan,
    legend: Legend | None,
    warnings: list[str],
) -> tuple[str, bool]:
    """The layout with the most accepted turn starts, and whether that is a guess."""
    if CUSTOM in accepted:
        if not accepted[CUSTOM]:
            raise InputError("--speaker-pattern matched no line")
        return CUSTOM, False
    ranked = sorted(
        LAYOUT_PRIORITY, key=lambda name: (-len(accepted[name]), LAYOUT_PRIORITY.index(name))
    )
    best, runner_up = ranked[0], ranked[1]
    starts = accepted[best]
    if not starts or (len(starts) == 1 and _preamble_lines(scan, starts[0].line, legend)):
        return PARAGRAPHS, True
    rival = accepted[runner_up]
    if len(rival) >= _CLOSE_SCORE * len(starts):
        own_lines = {c.line for c in starts}
        if any(c.line not in own_lines for c in rival):
            warnings.append(
                f"layout is a guess: {best} ({len(starts)} turns) and {runner_up}"
                f" ({len(rival)} turns) both fit; read as {best}"
            )
            return best, True
    return best, False


def _note_label_evidence(
    found: list[Candidate],
    starts: list[Candidate],
    legend: Legend | None,
    warnings: list[str],
) -> bool:
    """Warn about labels believed only for recurring, and label-like lines read as text.

    Returns True when some label rests on recurrence alone, which makes the layout a guess.
    """
    legend_labels = legend.labels if legend is not None else frozenset()
    recurring: list[str] = []
    for candidate in starts:
        label = candidate.label or ""
        if label not in legend_labels and not is_known_label(label) and label not in recurring:
            recurring.append(label)
    if recurring:
        warnings.append(
            "speaker labels accepted because they recur (check them): " + ", ".join(recurring)
        )
    accepted_lines = {c.line for c in starts}
    rejected = [c for c in _outside_legend(found, legend) if c.line not in accepted_lines]
    if rejected:
        examples = ", ".join(f'line {c.line + 1} "{c.label}"' for c in rejected[:_MAX_EXAMPLES])
        extra = len(rejected) - _MAX_EXAMPLES
        more = f" and {extra} more" if extra > 0 else ""
        lines = "1 line looks" if len(rejected) == 1 else f"{len(rejected)} lines look"
        warnings.append(
            f"{lines} like a speaker label seen only once, read as text: {examples}{more}"
        )
    return bool(recurring)


def _preamble_lines(scan: LineScan, first_turn_line: int, legend: Legend | None) -> list[int]:
    """Text lines before the first turn, other than a title line, the legend and timestamps."""
    skipped = set(range(legend.first_line, legend.last_line + 1)) if legend is not None else set()
    for markers in (scan.stamps, scan.headings):
        for marker in markers:
            if marker.line >= first_turn_line:
                break
            skipped.add(marker.line)
    found = [
        i for i in range(first_turn_line) if i not in skipped and scan.lines[i].strip()
    ]
    return found[1:]


def _note_preamble(
    scan: LineScan, first_turn_line: int, legend: Legend | None, warnings: list[str]
) -> None:
    """Warn when more than a title precedes the first turn: that text is in no turn."""
    lines = _preamble_lines(scan, first_turn_line, legend)
    if lines:
        warnings.append(
            f"lines 1–{first_turn_line} come before the first speaker label and are in no turn"
        )


_START, _STAMP, _STOP = 0, 1, 2


def _events(
    starts: list[Candidate], scan: LineScan, legend: Legend | None
) -> list[tuple[int, int, int, int]]:
    """``(line, kind, index, pos)`` for every turn start, timestamp line, heading and legend."""
    events = [(c.line, _START, i, c.pos) for i, c in enumerate(starts)]
    events += [(s.line, _STAMP, i, s.pos) for i, s in enumerate(scan.stamps)]
    events += [(h.line, _STOP, 0, h.pos) for h in scan.headings]
    if legend is not None:
        pos = sum(len(line) + 1 for line in scan.lines[: legend.first_line])
        events.append((legend.first_line, _STOP, 0, pos))
    events.sort()
    return events


def _stamps_inside_turns(
    text: str, events: list[tuple[int, int, int, int]], scan: LineScan
) -> list[bool]:
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
    text: str, starts: list[Candidate], scan: LineScan, legend: Legend | None
) -> tuple[Turn, ...]:
    """Cut the text into turns at starts, timestamp lines, headings and the legend.

    A turn runs from its utterance to the next event, trimmed, so continuation
    lines and blank lines inside it belong to it. A timestamp line with more of
    the turn after it is inside the turn; one before the next event times the next turn.
    """
    events = _events(starts, scan, legend)
    inside = _stamps_inside_turns(text, events, scan)
    turns: list[Turn] = []
    open_turn: Candidate | None = None
    open_time: float | None = None
    pending: float | None = None
    for index, (_, kind, item, pos) in enumerate(events):
        if kind == _STAMP and open_turn is not None and inside[index]:
            continue
        if open_turn is not None and (span := strip_span(text, open_turn.body, pos)):
            turns.append(Turn(span, speaker=open_turn.label, time=open_time))
        open_turn = None
        if kind == _START:
            open_turn = starts[item]
            open_time = parse_timestamp(open_turn.stamp) if open_turn.stamp else None
            if open_time is None:
                open_time = pending
            pending = None
        elif kind == _STAMP:
            pending = parse_timestamp(scan.stamps[item].stamp)
    if open_turn is not None and (span := strip_span(text, open_turn.body, len(text))):
        turns.append(Turn(span, speaker=open_turn.label, time=open_time))
    return tuple(turns)


def _speakers(starts: list[Candidate], legend: Legend | None) -> tuple[SpeakerInfo, ...]:
    """Legend speakers in legend order, then the others as they first speak."""
    speakers: dict[str, SpeakerInfo] = {}
    if legend is not None:
        for entry, description in legend.entries:
            role = role_for(entry, description)
            speakers.setdefault(entry, SpeakerInfo(entry, role, description))
    for candidate in starts:
        label = candidate.label
        if label is not None and label not in speakers:
            speakers[label] = SpeakerInfo(label, role_for(label, None))
    return tuple(speakers.values())
