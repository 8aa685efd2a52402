"""A meeting chat saved from Zoom (or copied from Teams) read as a chat: one turn per message.

Read as an ordinary transcript, ``10:05:32<TAB>Anna Berg:<TAB>Hej`` gives a speaker called
``Anna Berg:``, reactions become turns and private messages mix with public ones. Like the
subtitle readers, this one renders the stored text: one ``Name: message`` paragraph per
message, so that each turn's span holds exactly the message and nothing of the header.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mda_coder.core.display import one_line
from mda_coder.core.errors import InputError
from mda_coder.core.spans import Span
from mda_coder.core.transcript import DIRECT_MESSAGE, Doubt, ParsedTranscript, SpeakerInfo, Turn
from mda_coder.i18n import Message
from mda_coder.ingest.labels import role_for

_CLOCK = r"(?P<clock>\d{1,2}:\d{2}(?::\d{2})?)"
_ZOOM_FROM = re.compile(rf"{_CLOCK}[ \t]+From[ \t]+(?P<who>[^:\n]+?)[ \t]*:(?:[ \t]+(?P<text>.*))?", re.IGNORECASE)
"""Zoom's saved chat: ``10:05:32 From Anna Berg to Everyone: Hej`` (older, also with a tab
or ``From Anna Berg : Hej``) or ``10:05:32 From Anna Berg to Everyone:`` with the message on
the indented lines below (newer)."""
_ZOOM_TABS = re.compile(rf"{_CLOCK}\t(?P<who>[^\t:\n]+?)[ \t]*:\t(?P<text>.*)")
"""The chat file of a Zoom cloud recording: ``00:58:04<TAB>Anna Berg:<TAB>Hej``."""
_TEAMS = re.compile(
    r"\[(?:(?P<date>\d{1,4}[-/.]\d{1,2}[-/.]\d{1,4}),?[ \t]+)?"
    rf"{_CLOCK}(?:[ \t]*(?P<half>[AaPp]\.?[Mm]\.?))?\]"
    r"[ \t]+(?P<who>[^\[\]:\n]+?)(?:[ \t]*:[ \t]*(?P<text>.*))?"
)
"""Messages copied from a Teams chat: ``[10:05 AM] Anna Berg`` with the message below.

Only with AM/PM or a date, so ``[00:01:23] Anna`` in a transcript is left to the text reader."""
_HEADERS = (("zoom-chat", _ZOOM_FROM), ("zoom-chat", _ZOOM_TABS), ("teams-chat", _TEAMS))

_RECIPIENT = re.compile(r"(?P<name>.+?)[ \t]+to[ \t]+(?P<to>.+)", re.IGNORECASE)
_DIRECT = re.compile(r"(?P<to>.*?)[ \t]*\((?:direct message|privately)\)", re.IGNORECASE)
_EVERYONE = frozenset({"everyone", "all", "alle", "alla"})
_REPLY = re.compile(r'Replying to "(?P<quote>.*?)"(?=[ \t:\n]|\Z)[ \t]*:?[ \t]*(?P<rest>.*)')
_REACTION = re.compile(r'Reacted to ".*" with .+|Removed an? .+ reaction from ".*"', re.DOTALL)
_SPACES = re.compile(r"[ \t]+")


@dataclass(slots=True)
class _Message:
    """One message as it is being read (mutable: its lines arrive one by one)."""

    line: int
    header: str
    time: float
    speaker: str
    to: str | None
    direct: bool
    lines: list[str] = field(default_factory=list)


def parse_chat(text: str, *, encoding: str) -> ParsedTranscript | None:
    """The chat in ``text``, or None when ``text`` is not a saved meeting chat.

    It is one when its first line opens a message and at least half of its lines open a
    message or sit indented under one (in a Teams copy, the line right below a header
    counts too), so a transcript with one chat-like line stays a transcript.
    """
    lines = text.split("\n")
    numbered = [(number, line.rstrip()) for number, line in enumerate(lines, 1) if line.strip()]
    if not numbered or _header(numbered[0][1]) is None:
        return None
    fitting = 0
    layouts: dict[str, int] = {}
    after_header = False
    for _, line in numbered:
        found = _header(line)
        if found is not None:
            layouts[found[0]] = layouts.get(found[0], 0) + 1
        fitting += found is not None or line[:1] in " \t" or after_header
        after_header = found is not None and found[0] == "teams-chat"
    if fitting * 2 < len(numbered):
        return None
    messages = _messages(numbered)
    layout = max(layouts, key=lambda name: layouts[name])
    return _rendered(messages, layout=layout, encoding=encoding)


def _header(line: str) -> tuple[str, re.Match[str]] | None:
    for layout, pattern in _HEADERS:
        match = pattern.fullmatch(line)
        if match is None or (layout == "teams-chat" and not (match["half"] or match["date"])):
            continue
        return layout, match
    return None


def _messages(numbered: list[tuple[int, str]]) -> list[_Message]:
    """The messages of a chat whose first line is a header, with their continuation lines."""
    messages: list[_Message] = []
    for number, line in numbered:
        found = _header(line)
        if found is None:
            messages[-1].lines.append(line.strip())
            continue
        match = found[1]
        speaker, to, direct = _who(match["who"])
        message = _Message(number, line, _seconds(match), speaker, to, direct)
        if match["text"] and match["text"].strip():
            message.lines.append(match["text"].strip())
        messages.append(message)
    return messages


def _who(who: str) -> tuple[str, str | None, bool]:
    """``(speaker, recipient, direct)`` from ``Anna Berg to Erik Lund(Direct Message)``."""
    who = _SPACES.sub(" ", who).strip()
    match = _RECIPIENT.fullmatch(who)
    if match is None:
        return who, None, False
    direct = _DIRECT.fullmatch(match["to"])
    to = direct["to"].strip() if direct else match["to"].strip()
    return match["name"].strip(), to, direct is not None


def _seconds(match: re.Match[str]) -> float:
    """The clock as seconds into the day (or the recording), ``2:05 PM`` as 14:05."""
    hours, minutes, *rest = (int(part) for part in match["clock"].split(":"))
    half = (match.groupdict().get("half") or "").lower().replace(".", "")
    if half == "pm" and hours < 12:
        hours += 12
    elif half == "am" and hours == 12:
        hours = 0
    return float(hours * 3600 + minutes * 60 + (rest[0] if rest else 0))


def _rendered(messages: list[_Message], *, layout: str, encoding: str) -> ParsedTranscript:
    """``Name: message`` paragraphs; reactions counted in a warning, direct messages doubted."""
    parts: list[str] = []
    turns: list[Turn] = []
    speakers: dict[str, SpeakerInfo] = {}
    doubts: list[Doubt] = []
    reactions = empty = 0
    position = 0
    for message in messages:
        body = "\n".join(message.lines)
        if not body:
            empty += 1
            continue
        if _REACTION.fullmatch(body):
            reactions += 1
            continue
        label, body = _label(message, body)
        if parts:
            parts.append("\n\n")
            position += 2
        start = position + len(label)
        parts.append(label + body)
        position = start + len(body)
        turns.append(Turn(Span(start, position), message.speaker, message.time))
        if message.speaker not in speakers:
            speakers[message.speaker] = SpeakerInfo(message.speaker, role=role_for(message.speaker, None))
        if message.to is not None and message.to.lower() not in _EVERYONE:
            reading = (
                Message("a direct message, not to everyone")
                if message.direct
                else Message("a message to {to}, not to everyone", to=message.to)
            )
            doubts.append(Doubt(DIRECT_MESSAGE, message.line, one_line(message.header, 80), reading))
    if not turns:
        raise InputError(Message("a saved chat, but none of its {n} messages has text to import", n=len(messages)))
    warnings = []
    if reactions:
        warnings.append(
            Message('{n} reaction ("Reacted to … with …", "Removed a … reaction") left out of the turns', n=reactions)
            if reactions == 1
            else Message(
                '{n} reactions ("Reacted to … with …", "Removed a … reaction") left out of the turns', n=reactions
            )
        )
    if empty:
        warnings.append(
            Message("{n} message without text left out", n=empty)
            if empty == 1
            else Message("{n} messages without text left out", n=empty)
        )
    return ParsedTranscript(
        text="".join(parts),
        turns=tuple(turns),
        speakers=tuple(speakers.values()),
        format="txt",
        layout=layout,
        guessed=False,
        encoding=encoding,
        warnings=tuple(warnings),
        doubts=tuple(doubts),
        lines=len(messages),
    )


def _label(message: _Message, body: str) -> tuple[str, str]:
    """The paragraph's opening (``Anna Berg: ``) and the message, a reply's quote moved out.

    The quoted message is someone else's words, so it goes in the label, not in the span.
    """
    label = message.speaker
    if message.to is not None and message.to.lower() not in _EVERYONE:
        label += f" to {message.to}" + (" (direct message)" if message.direct else "")
    reply = _REPLY.match(body)
    if reply is not None:
        rest = body[reply.end("rest") :].lstrip("\n")
        rest = "\n".join(part for part in (reply["rest"], rest) if part)
        if rest:
            return f'{label}, replying to "{reply["quote"]}": ', rest
    return f"{label}: ", body
