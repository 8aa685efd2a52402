"""Saved meeting chats: each message a turn of its sender, reactions counted, direct messages doubted."""

from __future__ import annotations

from pathlib import Path

import pytest

from mda_coder.core.errors import InputError
from mda_coder.core.transcript import ParsedTranscript
from mda_coder.ingest import read_transcript
from mda_coder.ingest.chat import parse_chat

Row = tuple[str | None, str, float | None]

ZOOM_OLD_TABS = (
    "00:12:01\t From Anna Berg to Everyone:\tHej allihop, hör ni mig?\n"
    "00:12:30\t From Søren Holm to Everyone:\tJa, fint. Her er linket til rapporten:\n"
    "https://example.org/rapport-2024\n"
    "00:13:02\t From Anna Berg to Søren Holm(Direct Message):\tKan du dela skärmen sen?\n"
    "00:13:40\t From Mette + Jens 🚲 to Everyone:\tVi sidder sammen i dag.\n"
)

ZOOM_OLD_SPACES = (
    "09:00:05 From Karin Lind : God morgon\n"
    "09:00:09 From Karin Lind : Vi väntar några minuter\n"
    "09:01:15 From Ola Nordmann to Karin Lind (Privately) : Jeg kommer litt senere\n"
)

ZOOM_RECORDING = (
    "00:05:32\tAnna Berg | SKR:\tVälkomna! Skriv gärna frågor här.\n"
    "00:05:40\tlinnea_k:\tgm\n"
    "\tfrån Göteborg\n"
    '00:06:00\tAnna Berg | SKR:\tReacted to "Välkomna! Skriv gä..." with 👍\n'
    '00:06:10\terik.l@kommun:\tReplying to "Välkomna! Skriv gä..."\n'
    "\tHur länge håller vi på?\n"
    "00:06:20\tAnna Berg | SKR:\tTill 11:30: sen lunch.\n"
    '00:06:25\tlinnea_k:\tReacted to "Till 11:30: sen lu..." with ❤️\n'
)

ZOOM_LOCAL = (
    "10:05:32 From  Lise Damgaard  to  Everyone:\n"
    "\tGodmorgen alle sammen\n"
    "10:06:10 From  Per Ek  to  Everyone:\n"
    '\tReplying to "Godmorgen alle sammen"\n'
    "\tGod morgon!\n"
    "\tJag hör er dåligt.\n"
    "10:07:00 From  Per Ek  to  Lise Damgaard(Direct Message):\n"
    "\tKan du sänka volymen?\n"
    "10:07:05 From  Lise Damgaard  to  Everyone:\n"
    '\tRemoved a 👍 reaction from "Godmorgen alle sammen"\n'
    "10:07:30 From  Lise Damgaard  to  Hosts and panelists:\n"
    "\tJeg optager nu.\n"
)

TEAMS_COPY = (
    "[10:05 AM] Sara Nilsson\n"
    "Hej! Agendan ligger i kanalen.\n"
    "[12:40 PM] Jonas Kjær\n"
    "Tak. Jeg har et spørgsmål om punkt 2.\n"
    "[12:41 PM] Sara Nilsson\n"
    "Ta det nu.\n"
)


def _rows(parsed: ParsedTranscript) -> list[Row]:
    return [(turn.speaker, turn.span.of(parsed.text), turn.time) for turn in parsed.turns]


def _doubts(parsed: ParsedTranscript) -> list[tuple[str, int | None, str]]:
    return [(doubt.kind, doubt.line, doubt.reading) for doubt in parsed.doubts]


def _chat(text: str) -> ParsedTranscript:
    parsed = parse_chat(text, encoding="utf-8")
    assert parsed is not None
    return parsed


def test_older_zoom_chat_with_tabs() -> None:
    parsed = _chat(ZOOM_OLD_TABS)
    assert parsed.layout == "zoom-chat"
    assert parsed.format == "txt"
    assert _rows(parsed) == [
        ("Anna Berg", "Hej allihop, hör ni mig?", 12 * 60 + 1.0),
        ("Søren Holm", "Ja, fint. Her er linket til rapporten:\nhttps://example.org/rapport-2024", 12 * 60 + 30.0),
        ("Anna Berg", "Kan du dela skärmen sen?", 13 * 60 + 2.0),
        ("Mette + Jens 🚲", "Vi sidder sammen i dag.", 13 * 60 + 40.0),
    ]
    assert parsed.text == (
        "Anna Berg: Hej allihop, hör ni mig?\n\n"
        "Søren Holm: Ja, fint. Her er linket til rapporten:\nhttps://example.org/rapport-2024\n\n"
        "Anna Berg to Søren Holm (direct message): Kan du dela skärmen sen?\n\n"
        "Mette + Jens 🚲: Vi sidder sammen i dag."
    )
    assert parsed.speaker_labels == ("Anna Berg", "Søren Holm", "Mette + Jens 🚲")
    assert _doubts(parsed) == [("direct-message", 4, "a direct message, not to everyone")]
    assert parsed.doubts[0].text == ("00:13:02 From Anna Berg to Søren Holm(Direct Message): Kan du dela skärmen sen?")
    assert parsed.warnings == ()
    assert parsed.lines == 4


def test_older_zoom_chat_with_spaces_and_a_private_message() -> None:
    parsed = _chat(ZOOM_OLD_SPACES)
    assert _rows(parsed) == [
        ("Karin Lind", "God morgon", 9 * 3600 + 5.0),
        ("Karin Lind", "Vi väntar några minuter", 9 * 3600 + 9.0),
        ("Ola Nordmann", "Jeg kommer litt senere", 9 * 3600 + 75.0),
    ]
    assert _doubts(parsed) == [("direct-message", 3, "a direct message, not to everyone")]


def test_recording_chat_drops_reactions_and_keeps_replies_out_of_the_span() -> None:
    parsed = _chat(ZOOM_RECORDING)
    assert parsed.layout == "zoom-chat"
    assert _rows(parsed) == [
        ("Anna Berg | SKR", "Välkomna! Skriv gärna frågor här.", 332.0),
        ("linnea_k", "gm\nfrån Göteborg", 340.0),
        ("erik.l@kommun", "Hur länge håller vi på?", 370.0),
        ("Anna Berg | SKR", "Till 11:30: sen lunch.", 380.0),
    ]
    assert parsed.text.split("\n\n")[2] == (
        'erik.l@kommun, replying to "Välkomna! Skriv gä...": Hur länge håller vi på?'
    )
    assert parsed.speaker_labels == ("Anna Berg | SKR", "linnea_k", "erik.l@kommun")
    assert parsed.warnings == ('2 reactions ("Reacted to … with …", "Removed a … reaction") left out of the turns',)
    assert parsed.doubts == ()
    assert parsed.lines == 6


def test_newer_zoom_chat_with_messages_on_indented_lines() -> None:
    parsed = _chat(ZOOM_LOCAL)
    assert _rows(parsed) == [
        ("Lise Damgaard", "Godmorgen alle sammen", 10 * 3600 + 5 * 60 + 32.0),
        ("Per Ek", "God morgon!\nJag hör er dåligt.", 10 * 3600 + 6 * 60 + 10.0),
        ("Per Ek", "Kan du sänka volymen?", 10 * 3600 + 7 * 60 + 0.0),
        ("Lise Damgaard", "Jeg optager nu.", 10 * 3600 + 7 * 60 + 30.0),
    ]
    assert parsed.text.split("\n\n")[2:] == [
        "Per Ek to Lise Damgaard (direct message): Kan du sänka volymen?",
        "Lise Damgaard to Hosts and panelists: Jeg optager nu.",
    ]
    assert _doubts(parsed) == [
        ("direct-message", 7, "a direct message, not to everyone"),
        ("direct-message", 11, "a message to Hosts and panelists, not to everyone"),
    ]
    assert parsed.warnings == ('1 reaction ("Reacted to … with …", "Removed a … reaction") left out of the turns',)


def test_teams_copy_with_am_pm_clock() -> None:
    parsed = _chat(TEAMS_COPY)
    assert parsed.layout == "teams-chat"
    assert _rows(parsed) == [
        ("Sara Nilsson", "Hej! Agendan ligger i kanalen.", 10 * 3600 + 5 * 60.0),
        ("Jonas Kjær", "Tak. Jeg har et spørgsmål om punkt 2.", 12 * 3600 + 40 * 60.0),
        ("Sara Nilsson", "Ta det nu.", 12 * 3600 + 41 * 60.0),
    ]


@pytest.mark.parametrize(
    "source",
    [ZOOM_OLD_TABS, ZOOM_OLD_SPACES, ZOOM_RECORDING, ZOOM_LOCAL, TEAMS_COPY],
    ids=["old-tabs", "old-spaces", "recording", "local", "teams"],
)
def test_each_paragraph_is_a_label_and_exactly_the_message(source: str) -> None:
    parsed = _chat(source)
    paragraphs = parsed.text.split("\n\n")
    assert len(paragraphs) == len(parsed.turns)
    position = 0
    for paragraph, turn in zip(paragraphs, parsed.turns, strict=True):
        label = paragraph[: turn.span.start - position]
        assert label.startswith(str(turn.speaker)) and label.endswith(": ")
        assert paragraph == label + turn.span.of(parsed.text)
        position += len(paragraph) + 2


@pytest.mark.parametrize(
    "text",
    [
        # An ordinary transcript.
        "I: Välkomna.\nR1: Tack.\nR2: Hej.\n",
        # A transcript with clock times before the labels, as transcribers write them.
        "[00:00:12] Anna: Hej.\n[00:00:15] Erik: Hej hej.\n",
        # One chat-like line on top of a transcript is not a chat.
        "10:05:32 From Anna Berg to Everyone: Hej\nAnna: Välkomna till fokusgruppen.\n"
        "Erik: Tack.\nSara: Tack så mycket.\nAnna: Då börjar vi.\n",
        # Chat lines after a title are not read as a chat either: the file has to open with one.
        "Chatt från mötet\n10:05:32\tAnna Berg:\tHej\n10:05:40\tErik:\tHej\n",
        # A Teams-like clock without AM/PM or a date is a transcript's timestamp.
        "[10:05] Anna Berg\nHej allihop\n[10:06] Erik Lund\nHej\n",
        "",
    ],
    ids=["labels", "bracket-times", "one-chat-line", "title-first", "24h-brackets", "empty"],
)
def test_not_a_chat(text: str) -> None:
    assert parse_chat(text, encoding="utf-8") is None


def test_read_transcript_reads_a_txt_chat_as_a_chat(tmp_path: Path) -> None:
    path = tmp_path / "meeting_saved_chat.txt"
    path.write_text(ZOOM_RECORDING.replace("\n", "\r\n"), encoding="utf-8")
    parsed = read_transcript(path)
    assert parsed.layout == "zoom-chat"
    assert parsed.speaker_labels == ("Anna Berg | SKR", "linnea_k", "erik.l@kommun")
    # A pattern of one's own means the file is a transcript in a layout one knows.
    pattern = read_transcript(path, speaker_pattern=r"^\d\d:\d\d:\d\d\t(?P<speaker>[^:\t]+):\t")
    assert pattern.layout != "zoom-chat"


def test_a_chat_of_only_reactions_is_refused_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "chatt.txt"
    path.write_text(
        '10:00:01\tAnna:\tReacted to "Hej" with 👍\n10:00:02\tErik:\tReacted to "Hej" with 👍\n',
        encoding="utf-8",
    )
    with pytest.raises(InputError) as caught:
        read_transcript(path)
    assert str(caught.value) == (f"{path}: a saved chat, but none of its 2 messages has text to import")
