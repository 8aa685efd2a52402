"""WebVTT and SRT subtitle files read into a rendered transcript: one paragraph per turn.

Raw cue syntax (numbers, timings, voice tags) is not something a researcher wants to read or
quote, so the stored text is rendered: ``Speaker: utterance`` paragraphs separated by a
blank line, consecutive cues of one speaker merged into one turn (captions without speakers
grouped at pauses and sentence ends: ``ingest/cues.py``). Cue times survive on the turns, not
in the text.
"""

from __future__ import annotations

import html
import re
from collections.abc import Collection, Iterator, Sequence

from mda_coder.core.errors import InputError
from mda_coder.core.transcript import ParsedTranscript
from mda_coder.i18n import Message
from mda_coder.ingest.cues import Cue, Piece, rendered
from mda_coder.ingest.labels import is_annotation
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

_NAME = r"[^\s:\-\[(<{\"'][^:\n]{0,59}?"
"""A display name as Zoom shows it: any characters but a colon (``Karin | Umeå universitet``,
``Mette + Søren 🚲``, ``erik_l``), at most 60 of them; not opening with a bracket or a dash,
which open annotations and dialogue lines."""
_NAME_COLON = re.compile(rf"(?P<name>{_NAME})[ \t]*:\s+(?P<rest>\S.*)", re.DOTALL)
"""Zoom's ``Anna Berg: text``; the colon must be followed by space, so ``kl. 10:30`` is not one."""
_SRT_DASH = re.compile(rf"-[ \t]*(?P<name>{_NAME})[ \t]*:\s+(?P<rest>\S.*)")
"""An SRT dialogue line with a speaker: ``- Erik: text``."""
_SRT_BRACKET = re.compile(r"\[(?P<name>[^\]\[]{1,60})\][ \t]*(?P<rest>\S.*)")
"""An SRT bracketed speaker, ``[Anna] text``; it must start with a capital letter and not be
an annotation, so ``[skratt]`` and ``[Paus]`` stay text."""
MAX_NAME_WORDS = 8
_ALNUM = re.compile(r"[^\W_]")
_NAME_CHARS = 60


def parse_vtt(text: str, *, encoding: str) -> ParsedTranscript:
    """Read a WebVTT file (Zoom, Teams, or plain captions) into a rendered transcript.

    Teams names speakers in voice spans (``<v Anna Berg>``), Zoom in a ``Anna Berg:``
    prefix. The prefix is only believed when at least half of the cues have one, so a
    captions file with the odd ``Obs: ...`` line keeps its cues speakerless.
    """
    lines = text.split("\n")
    if not _HEADER.fullmatch(lines[0].lstrip("\ufeff")):
        raise InputError(Message('line 1: missing "WEBVTT" header, found "{line}"', line=_shown(lines[0])))
    cues: list[Cue] = []
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
        start, end, at, payload = _timed(number, block)
        pieces = tuple(Piece(speaker, text, at) for speaker, text in _vtt_pieces(payload))
        if pieces:
            cues.append(Cue(start, end, at, tuple(payload), pieces))
    if not cues:
        raise InputError(_no_cues(lines))
    if any(piece.speaker is not None for cue in cues for piece in cue.pieces):
        layout, labelled = "webvtt-teams", False
    elif _mostly_labelled(cues):
        layout, labelled = "webvtt-zoom", True
        cues = [_with_prefix_speaker(cue) for cue in cues]
    else:
        layout, labelled = "webvtt", False
    return rendered(cues, fmt="vtt", layout=layout, encoding=encoding, labelled=labelled)


def parse_srt(text: str, *, encoding: str) -> ParsedTranscript:
    """Read an SRT file into a rendered transcript.

    Speakers may be written ``Name: text``, ``[Name] text`` or ``- Name: text`` (one
    speaker per dialogue line); as with Zoom, labels count only when at least half the
    cues start with one. Inside a cue, a later line opens a new speaker only with a dash or
    brackets, or with a name that opens other cues, so ``så här: …`` in a wrapped
    sentence stays text.
    """
    lines = text.split("\n")
    blocks: list[tuple[float, float, int, list[str], list[tuple[int, str]]]] = []
    for number, block in _blocks(lines):
        if number == 1:
            block = [block[0].lstrip("\ufeff"), *block[1:]]
        start, end, at, payload = _timed(number, block)
        cleaned = (
            (at + i, _squeezed(_SRT_TAG.sub("", line) if "<" in line or "{" in line else line))
            for i, line in enumerate(payload)
        )
        numbered = [(line_number, line) for line_number, line in cleaned if line]
        if numbered:
            blocks.append((start, end, at, payload, numbered))
    if not blocks:
        raise InputError(_no_cues(lines))
    openers = [_srt_label(numbered[0][1]) for *_, numbered in blocks]
    use_labels = sum(1 for label in openers if label is not None) * 2 >= len(blocks)
    known = {label[0] for label in openers if label is not None}
    cues: list[Cue] = []
    for start, end, at, payload, numbered in blocks:
        if use_labels:
            pieces = _srt_pieces(numbered, known)
        else:
            pieces = (Piece(None, " ".join(line for _, line in numbered), numbered[0][0]),)
        cues.append(Cue(start, end, at, tuple(payload), pieces))
    return rendered(cues, fmt="srt", layout="srt", encoding=encoding, labelled=use_labels)


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


def _timed(number: int, block: list[str]) -> tuple[float, float, int, list[str]]:
    """``(start, end, first text line, text lines)`` of a cue block whose first line is ``number``.

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
    return start, end, number + at + 1, block[at + 1 :]


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
    if "<" in text:
        text = _TAG.sub("", text)
    if "&" in text:
        text = html.unescape(text)
    if "\u200e" in text or "\u200f" in text:
        text = text.translate(_BIDI_MARKS)  # slow on every cue; most cues have none
    return _squeezed(text)


_SPACES = re.compile(r"[ \t\n]+")


def _squeezed(text: str) -> str:
    """Runs of spaces, tabs and newlines as one space (a no-break space is kept), trimmed."""
    return _SPACES.sub(" ", text).strip()


def _plausible(name: str) -> bool:
    """A name of at most eight words with a letter or a digit in it (not ``--`` or ``…``)."""
    return len(name.split()) <= MAX_NAME_WORDS and _ALNUM.search(name) is not None


def _prefix(text: str) -> tuple[str, str] | None:
    """``(name, rest)`` when ``text`` opens with a ``Name:`` prefix."""
    if not text.find(":", 0, _NAME_CHARS + 3) > 0:
        return None  # no colon where a name's could be: the expression need not try
    match = _NAME_COLON.fullmatch(text)
    if match is None or not _plausible(match["name"]):
        return None
    return match["name"].strip(), match["rest"]


def _mostly_labelled(cues: list[Cue]) -> bool:
    """True when at least half the cues open with a ``Name:`` prefix."""
    hits = sum(1 for cue in cues if _prefix(cue.pieces[0].text) is not None)
    return hits * 2 >= len(cues)


def _with_prefix_speaker(cue: Cue) -> Cue:
    """``cue`` with its ``Name:`` prefix moved from the text to the speaker."""
    pieces = []
    for piece in cue.pieces:
        prefix = _prefix(piece.text)
        pieces.append(piece if prefix is None else Piece(prefix[0], prefix[1], piece.line))
    return Cue(cue.start, cue.end, cue.line, cue.written, tuple(pieces))


def _srt_label(line: str, known: Collection[str] | None = None) -> tuple[str, str] | None:
    """``(speaker, rest)`` when an SRT line opens with a speaker label.

    With ``known``, a plain ``Name: text`` counts only for a name in it (a later line of
    a cue); ``None`` accepts any plausible name (the first line).
    """
    first = line[:1]
    match = _SRT_DASH.fullmatch(line) if first == "-" else None
    if match is not None and _plausible(match["name"]):
        return match["name"].strip(), match["rest"]
    match = _SRT_BRACKET.fullmatch(line) if first == "[" else None
    if match is not None:
        name = match["name"].strip()
        if name[:1].isupper() and _plausible(name) and not is_annotation(name):
            return name, match["rest"]
        return None
    prefix = _prefix(line) if ":" in line else None
    if prefix is not None and (known is None or prefix[0] in known):
        return prefix
    return None


def _srt_pieces(numbered: list[tuple[int, str]], known: Collection[str]) -> tuple[Piece, ...]:
    """An SRT cue's lines as pieces: a labelled line starts a piece, others continue it."""
    pieces: list[Piece] = []
    for index, (number, line) in enumerate(numbered):
        label = _srt_label(line, None if index == 0 else known)
        if label is not None:
            pieces.append(Piece(label[0], label[1], number))
        elif pieces:
            last = pieces[-1]
            pieces[-1] = Piece(last.speaker, f"{last.text} {line}", last.line)
        else:
            pieces.append(Piece(None, line, number))
    return tuple(pieces)


def _shown(line: str, limit: int = 60) -> str:
    """``line`` trimmed for an error message, which must stay on one line."""
    line = line.strip()
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _bad_timing(number: int, line: str) -> str:
    return Message('line {number}: cannot read cue timing "{line}"', number=number, line=_shown(line))


def _no_cues(lines: Sequence[str]) -> str:
    return Message("no subtitle cues with text found (read {n} lines)", n=len(lines))
