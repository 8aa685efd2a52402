"""Subtitle cues into turns: one speaker's cues merged, speakerless captions grouped, doubts raised.

Both subtitle readers hand their cues here, so WebVTT and SRT agree on when a turn ends,
which cue looks like a download banner, and which guesses about speakers are doubts.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from mda_coder.core.display import one_line
from mda_coder.core.spans import Span
from mda_coder.core.transcript import (
    BANNER,
    NEW_SPEAKER,
    NO_SPEAKER,
    Doubt,
    ParsedTranscript,
    SpeakerInfo,
    Turn,
)
from mda_coder.i18n import Message
from mda_coder.ingest.labels import role_for

CAPTION_PAUSE_SECONDS = 2.0
"""A silence at least this long between two speakerless cues starts a new turn."""
CAPTION_TURN_CHARS = 400
"""From this many characters on, a speakerless turn ends after the next cue that ends a sentence."""
CAPTION_TURN_MAX_CHARS = 1000
"""From this many characters on, a speakerless turn ends after the next cue, sentence end or not
(captions written without punctuation)."""

BANNER_EDGE_CUES = 3
"""Cues this close to the start or the end of a file are where download credits sit."""
BANNER_SHORT_WORDS = 12
"""A cue of at most this many words with a web address in it is flagged wherever it is."""

_SENTENCE_END = re.compile(r"[.?!…][\"'”’»)\]]*\Z")
"""A cue that ends a sentence: ``.``, ``?``, ``!`` or ``…``, maybe inside a closing quote."""
_CREDIT = re.compile(
    r"\b(?:subtitles[ \t]+by|subtitled[ \t]+by|synced[ \t]+by|corrected[ \t]+by"
    r"|transcribed[ \t]+by|downloaded[ \t]+from|advertise[ \t]+your[ \t]+product"
    r"|become[ \t]+(?:a[ \t]+)?vip|undertexter|(?:under)?tekst(?:er|et)[ \t]+(?:af|av|by))\b"
    r"|opensubtitles|addic7ed",
    re.IGNORECASE,
)
"""Phrases of download credits and site adverts in subtitle files (en, sv, da, nb)."""
_ADDRESS = re.compile(r"https?://|\bwww\.|\b[\w-]+\.(?:com|org|net|info|io|tv|se|dk|no|nu|fi)\b", re.IGNORECASE)
"""A web address: ``https://…``, ``www.…`` or a bare ``name.org`` / ``name.se``."""


def _may_credit(lower: str) -> bool:
    """A word every credit phrase holds: plain substring tests before the expression, which
    is slow to run on every cue of a long file."""
    return (
        "subtit" in lower
        or "synced" in lower
        or "corrected" in lower
        or "transcribed" in lower
        or "downloaded" in lower
        or "advertise" in lower
        or "vip" in lower
        or "undertext" in lower
        or "tekst" in lower
        or "addic7ed" in lower
    )


def _may_address(lower: str) -> bool:
    """A web address could be in ``lower``: it has ``http``, ``www.`` or a dot before letters."""
    return "http" in lower or "www." in lower or _DOT_WORD.search(lower) is not None


_DOT_WORD = re.compile(r"\.[a-z]")


@dataclass(frozen=True, slots=True)
class Piece:
    """One speaker's text within a cue (a cue may hold several: ``- Anna: … - Erik: …``)."""

    speaker: str | None
    text: str
    line: int
    """1-based line of the source file where this piece's text starts."""


@dataclass(frozen=True, slots=True)
class Cue:
    """One timed cue with text: its times, where its text is, and its pieces in order."""

    start: float
    end: float
    line: int
    """1-based line of the source file where the cue's text starts (after the timing line)."""
    written: tuple[str, ...]
    """The cue's text lines as written in the file, for the doubts."""
    pieces: tuple[Piece, ...]

    def written_at(self, line: int) -> str:
        return self.written[line - self.line]


@dataclass(slots=True)
class _Turn:
    """A turn being merged from consecutive cues (mutable: it grows per cue)."""

    speaker: str | None
    texts: list[str]
    start: float
    end: float
    chars: int


def rendered(cues: list[Cue], *, fmt: str, layout: str, encoding: str, labelled: bool) -> ParsedTranscript:
    """Turns from ``cues``, rendered as ``Speaker: utterance`` paragraphs, with the doubts.

    ``labelled`` says the speakers were read from ``Name:`` labels in the text, where a
    name seen once may be the start of a sentence; voice tags (Teams) are never that.
    A cue without a name in a file with names is a turn without a speaker and a doubt.
    """
    named = any(piece.speaker is not None for cue in cues for piece in cue.pieces)
    seen = Counter(piece.speaker for cue in cues for piece in cue.pieces if piece.speaker)
    # Where every cue opens with a name (as Zoom writes them), a name seen once is someone
    # who spoke once. Where some cues have none, the file was labelled by hand and a name
    # seen once may be a sentence with a colon in it (``Obs: …``), so it is a doubt.
    unnamed = any(piece.speaker is None for cue in cues for piece in cue.pieces)
    doubt_once = labelled and unnamed and any(count > 1 for count in seen.values())
    doubts: list[Doubt] = []
    merged: list[_Turn] = []
    closed = True
    for index, cue in enumerate(cues):
        banner = is_banner(cue, index, len(cues))
        if banner:
            shown = one_line(" ".join(cue.written), 80)
            doubts.append(Doubt(BANNER, cue.line, shown, Message("looks like credits, not speech: check it")))
        for position, piece in enumerate(cue.pieces):
            if piece.speaker is None and named and not banner:
                doubts.append(
                    Doubt(
                        NO_SPEAKER,
                        piece.line,
                        one_line(cue.written_at(piece.line), 80),
                        Message("no speaker name: a turn without a speaker"),
                    )
                )
            if doubt_once and piece.speaker is not None and seen[piece.speaker] == 1:
                doubts.append(
                    Doubt(
                        NEW_SPEAKER,
                        piece.line,
                        one_line(cue.written_at(piece.line), 80),
                        Message("a name seen once, read as a speaker of its own: {name}", name=piece.speaker),
                    )
                )
            last = merged[-1] if merged else None
            opens = closed or (banner and position == 0)
            if last is not None and not opens and last.speaker == piece.speaker and not _ends(last, cue):
                last.texts.append(piece.text)
                last.end = cue.end
                last.chars += 1 + len(piece.text)
            else:
                merged.append(_Turn(piece.speaker, [piece.text], cue.start, cue.end, len(piece.text)))
            closed = False
        closed = banner
    doubts.sort(key=lambda doubt: doubt.line or 0)
    text, turns, speakers = _paragraphs(merged)
    return ParsedTranscript(
        text=text,
        turns=turns,
        speakers=speakers,
        format=fmt,
        layout=layout,
        guessed=False,
        encoding=encoding,
        doubts=tuple(doubts),
        lines=len(cues),
    )


def _ends(turn: _Turn, cue: Cue) -> bool:
    """True when a speakerless ``turn`` should end before ``cue`` (see the constants above).

    A named turn runs as long as its speaker does: the name says whose words they are,
    and only captions without names need a boundary made up for them.
    """
    if turn.speaker is not None:
        return False
    if cue.start - turn.end >= CAPTION_PAUSE_SECONDS or turn.chars >= CAPTION_TURN_MAX_CHARS:
        return True
    return turn.chars >= CAPTION_TURN_CHARS and _SENTENCE_END.search(turn.texts[-1]) is not None


def is_banner(cue: Cue, index: int, count: int) -> bool:
    """True for a cue that reads like download credits or a site advert, not speech.

    A credit phrase is enough; a web address counts only in a short cue or near the start
    or the end of the file, so speech that mentions a site in passing is left alone.
    """
    text = " ".join(piece.text for piece in cue.pieces)
    lower = text.lower()
    if _may_credit(lower) and _CREDIT.search(text):
        return True
    if not _may_address(lower) or not _ADDRESS.search(text):
        return False
    edge = index < BANNER_EDGE_CUES or index >= count - BANNER_EDGE_CUES
    return edge or len(text.split()) <= BANNER_SHORT_WORDS


def _paragraphs(
    merged: list[_Turn],
) -> tuple[str, tuple[Turn, ...], tuple[SpeakerInfo, ...]]:
    """The stored text (one paragraph per turn), the turns' spans in it, and the speakers."""
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
    return "".join(parts), tuple(turns), tuple(speakers.values())
