"""WebVTT and SRT subtitle files read into a rendered transcript: one paragraph per turn.

Raw cue syntax (numbers, timings, voice tags) is not something a researcher wants to read or
quote, so the stored text is rendered: ``Speaker: utterance`` paragraphs separated by a
blank line, consecutive cues of one speaker merged into one turn. Cue times survive on the
turns, not in the text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from mda_coder.core.errors import InputError
from mda_coder.core.spans import Span
from mda_coder.core.transcript import ParsedTranscript, SpeakerInfo, Turn
from mda_coder.ingest.labels import role_for
from mda_coder.ingest.timestamps import parse_timestamp

_HEADER = re.compile(r"WEBVTT(?:[ \t].*)?")
_NOTE = re.compile(r"NOTE(?:[ \t].*)?")
_TIMING = re.compile(r"\s*(?P<start>\S+?)\s*-->\s*(?P<end>\S+)(?:\s.*)?")
_TIMING_LIKE = re.compile(r"\s*\d+:\d")
"""A line that was meant as a timing line even without ``-->`` (``00:00:01 -> 00:00:02``)."""

_VOICE = re.compile(r"<v(?:\.[^\s>]*)*(?:[ \t]+(?P<name>[^>]*))?>|</v\s*>")
"""A WebVTT voice span's opening tag (``<v Anna>``, ``<v.loud Anna>``) or its closing tag."""
_TAG = re.compile(r"<[^>]*>")
"""Any other cue tag: ``<c.yellow>``, ``<i>``, ``</b>``, ``<00:00:05.000>``, ``<lang sv>``."""
_SRT_TAG = re.compile(r"<[^>]*>|\{\\[^}]*\}")
"""SRT markup: HTML-like ``<i>``/``<font ...>`` and ASS overrides such as ``{\\an8}``."""
_BIDI_MARKS = str.maketrans("", "", "\u200e\u200f")
"""Left-to-right and right-to-left marks (``&lrm;``): invisible, but they would make
``Anna`` and ``\u200eAnna`` two speakers and break searches, so they are dropped."""

_NAME = r"[^\W_][\w .,'’()@&-]{0,58}?"
_NAME_COLON = re.compile(rf"(?P<name>{_NAME})[ \t]*:\s+(?P<rest>\S.*)", re.DOTALL)
"""Zoom's ``Anna Berg: text``; the colon must be followed by space, so ``kl. 10:30`` is not one."""
_SRT_SPEAKER = re.compile(
    rf"(?:-[ \t]*)?(?P<name>{_NAME})[ \t]*:\s+(?P<rest>\S.*)"
    r"|\[(?P<bracket>[^\]\[]{1,60})\][ \t]*(?P<brest>\S.*)"
)
"""SRT speakers: ``Name: text``, ``- Name: text``, ``[Name] text``.

A bracketed label must start with a capital letter, so ``[skratt]`` stays an annotation."""
_MAX_NAME_WORDS = 6


@dataclass(frozen=True, slots=True)
class _Cue:
    """One timed cue: its time range and its (speaker, text) pieces in order."""

    start: float
    end: float
    pieces: tuple[tuple[str | None, str], ...]


@dataclass(slots=True)
class _Turn:
    """A turn being merged from consecutive cues of one speaker (mutable: it grows per cue)."""

    speaker: str | None
    texts: list[str]
    start: float
    end: float


def parse_vtt(text: str, *, encoding: str) -> ParsedTranscript:
    """Read a WebVTT file (Zoom, Teams, or plain captions) into a rendered transcript.

    Teams names speakers in voice spans (``<v Anna Berg>``), Zoom in a ``Anna Berg:``
    prefix. The prefix is only believed when at least half of the cues have one, so a
    captions file with the odd ``Obs: ...`` line keeps its cues speakerless.
    """
    lines = text.split("\n")
    if not _HEADER.fullmatch(lines[0].lstrip("\ufeff")):
        raise InputError(f'line 1: missing "WEBVTT" header, found "{_shown(lines[0])}"')
    cues: list[_Cue] = []
    for number, block in _blocks(lines):
        if number == 1:
            # The header block: "WEBVTT" and metadata. Be lenient with a missing blank
            # line before the first cue.
            timed = [i for i, line in enumerate(block) if "-->" in line]
            if not timed:
                continue
            number, block = number + timed[0], block[timed[0] :]
        first = block[0].strip()
        if _NOTE.fullmatch(first) or first in {"STYLE", "REGION"}:
            continue
        start, end, payload = _timed(number, block)
        pieces = _vtt_pieces(payload)
        if pieces:
            cues.append(_Cue(start, end, pieces))
    if not cues:
        raise InputError(_no_cues(lines))
    if any(speaker is not None for cue in cues for speaker, _ in cue.pieces):
        layout = "webvtt-teams"
    elif _mostly_labelled(cues, _NAME_COLON):
        layout = "webvtt-zoom"
        cues = [_with_prefix_speaker(cue, _NAME_COLON) for cue in cues]
    else:
        layout = "webvtt"
    return _rendered(cues, fmt="vtt", layout=layout, encoding=encoding)


def parse_srt(text: str, *, encoding: str) -> ParsedTranscript:
    """Read an SRT file into a rendered transcript.

    Speakers may be written ``Name: text``, ``[Name] text`` or ``- Name: text`` (one
    speaker per dialogue line); as with Zoom, labels count only when at least half the
    cues start with one.
    """
    lines = text.split("\n")
    raw: list[tuple[float, float, list[str]]] = []
    for number, block in _blocks(lines):
        if number == 1:
            block = [block[0].lstrip("\ufeff"), *block[1:]]
        start, end, payload = _timed(number, block)
        cleaned = [_squeezed(_SRT_TAG.sub("", line)) for line in payload]
        cleaned = [line for line in cleaned if line]
        if cleaned:
            raw.append((start, end, cleaned))
    if not raw:
        raise InputError(_no_cues(lines))
    labelled = sum(1 for _, _, payload in raw if _srt_label(payload[0]) is not None)
    use_labels = labelled * 2 >= len(raw)
    cues = [
        _Cue(start, end, _srt_pieces(payload) if use_labels else ((None, " ".join(payload)),))
        for start, end, payload in raw
    ]
    return _rendered(cues, fmt="srt", layout="srt", encoding=encoding)


def _blocks(lines: Sequence[str]) -> Iterator[tuple[int, list[str]]]:
    """Runs of non-blank lines, each with the 1-based line number of its first line."""
    block: list[str] = []
    first = 0
    for index, line in enumerate(lines):
        if line.strip():
            if not block:
                first = index + 1
            block.append(line)
        elif block:
            yield first, block
            block = []
    if block:
        yield first, block


def _timed(number: int, block: list[str]) -> tuple[float, float, list[str]]:
    """``(start, end, text lines)`` of a cue block whose first line is ``number``.

    The timing line is the block's first line, or its second after a cue identifier
    (an SRT number, a Teams ``6a7b.../12-0``).
    """
    if "-->" in block[0]:
        at = 0
    elif len(block) > 1 and "-->" in block[1]:
        at = 1
    else:
        at = 0 if len(block) == 1 or _TIMING_LIKE.match(block[0]) else 1
        raise InputError(_bad_timing(number + at, block[at]))
    match = _TIMING.fullmatch(block[at])
    start = parse_timestamp(match["start"]) if match else None
    end = parse_timestamp(match["end"]) if match else None
    if start is None or end is None:
        raise InputError(_bad_timing(number + at, block[at]))
    return start, end, block[at + 1 :]


def _vtt_pieces(payload: list[str]) -> tuple[tuple[str | None, str], ...]:
    """A cue's text split at voice tags into ``(speaker, text)`` pieces, markup removed.

    The cue's lines are joined by a space first, so a voice span may run over several
    lines; a missing ``</v>`` simply lets the voice run to the end of the cue.
    """
    raw = " ".join(line.strip() for line in payload)
    pieces: list[tuple[str | None, str]] = []
    speaker: str | None = None
    position = 0
    for match in _VOICE.finditer(raw):
        pieces.append((speaker, raw[position : match.start()]))
        name = match["name"]
        speaker = (_vtt_clean(name) or None) if name is not None else None
        position = match.end()
    pieces.append((speaker, raw[position:]))
    cleaned = ((speaker, _vtt_clean(text)) for speaker, text in pieces)
    return tuple((speaker, text) for speaker, text in cleaned if text)


def _vtt_clean(text: str) -> str:
    """Cue text without tags, with entities decoded, bidi marks dropped and spaces squeezed."""
    return _squeezed(html.unescape(_TAG.sub("", text)).translate(_BIDI_MARKS))


_SPACES = re.compile(r"[ \t\n]+")


def _squeezed(text: str) -> str:
    """Runs of spaces, tabs and newlines as one space (a no-break space is kept), trimmed."""
    return _SPACES.sub(" ", text).strip()


def _plausible(name: str) -> bool:
    return len(name.split()) <= _MAX_NAME_WORDS


def _mostly_labelled(cues: list[_Cue], pattern: re.Pattern[str]) -> bool:
    """True when at least half the cues open with a ``Name:`` label."""
    hits = 0
    for cue in cues:
        match = pattern.fullmatch(cue.pieces[0][1])
        hits += bool(match and _plausible(match["name"]))
    return hits * 2 >= len(cues)


def _with_prefix_speaker(cue: _Cue, pattern: re.Pattern[str]) -> _Cue:
    """``cue`` with its ``Name:`` prefix moved from the text to the speaker."""
    pieces = []
    for speaker, text in cue.pieces:
        match = pattern.fullmatch(text)
        if match and _plausible(match["name"]):
            pieces.append((match["name"].strip(), match["rest"]))
        else:
            pieces.append((speaker, text))
    return _Cue(cue.start, cue.end, tuple(pieces))


def _srt_label(line: str) -> tuple[str, str] | None:
    """``(speaker, rest)`` when an SRT line opens with a speaker label."""
    match = _SRT_SPEAKER.fullmatch(line)
    if match is None:
        return None
    if match["bracket"] is not None:
        name, rest = match["bracket"].strip(), match["brest"]
        return (name, rest) if name[:1].isupper() and _plausible(name) else None
    name = match["name"].strip()
    return (name, match["rest"]) if _plausible(name) else None


def _srt_pieces(payload: list[str]) -> tuple[tuple[str | None, str], ...]:
    """An SRT cue's lines as pieces: a labelled line starts a piece, others continue it."""
    pieces: list[tuple[str | None, str]] = []
    for line in payload:
        label = _srt_label(line)
        if label is not None:
            pieces.append(label)
        elif pieces:
            speaker, text = pieces[-1]
            pieces[-1] = (speaker, f"{text} {line}")
        else:
            pieces.append((None, line))
    return tuple(pieces)


def _rendered(cues: list[_Cue], *, fmt: str, layout: str, encoding: str) -> ParsedTranscript:
    """Merge consecutive pieces of one speaker and render ``Speaker: utterance`` paragraphs."""
    merged: list[_Turn] = []
    for cue in cues:
        for speaker, text in cue.pieces:
            if merged and merged[-1].speaker == speaker:
                merged[-1].texts.append(text)
                merged[-1].end = cue.end
            else:
                merged.append(_Turn(speaker, [text], cue.start, cue.end))
    parts: list[str] = []
    turns: list[Turn] = []
    speakers: dict[str, SpeakerInfo] = {}
    position = 0
    for turn in merged:
        if parts:
            parts.append("\n\n")
            position += 2
        prefix = f"{turn.speaker}: " if turn.speaker is not None else ""
        utterance = " ".join(turn.texts)
        start = position + len(prefix)
        parts.append(prefix + utterance)
        position = start + len(utterance)
        turns.append(Turn(Span(start, position), turn.speaker, turn.start, turn.end))
        if turn.speaker is not None and turn.speaker not in speakers:
            speakers[turn.speaker] = SpeakerInfo(turn.speaker, role=role_for(turn.speaker, None))
    return ParsedTranscript(
        text="".join(parts),
        turns=tuple(turns),
        speakers=tuple(speakers.values()),
        format=fmt,
        layout=layout,
        guessed=False,
        encoding=encoding,
    )


def _shown(line: str, limit: int = 60) -> str:
    """``line`` trimmed for an error message, which must stay on one line."""
    line = line.strip()
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _bad_timing(number: int, line: str) -> str:
    return f'line {number}: cannot read cue timing "{_shown(line)}"'


def _no_cues(lines: Sequence[str]) -> str:
    return f"no subtitle cues with text found (read {len(lines)} lines)"
