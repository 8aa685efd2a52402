"""WebVTT and SRT readers: rendered text, turn spans, speakers, merge rule and error lines."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mda_coder.core.errors import InputError
from mda_coder.core.transcript import ParsedTranscript
from mda_coder.ingest.subtitles import parse_srt, parse_vtt

Row = tuple[str | None, str, float, float]
Reader = Callable[..., ParsedTranscript]

ZOOM = """WEBVTT

1
00:00:01.000 --> 00:00:04.500
Anna Berg: Välkomna allihop, vi börjar med frågan om förtroende.

2
00:00:04.500 --> 00:00:07.000
Anna Berg: Hur litar ni på deltagarna?

3
00:00:07.200 --> 00:00:12.000
Erik Lund: Ja, alltså, man måste ju lita på dem
först.
"""

TEAMS = """WEBVTT

6a7b1c2d-3e4f-5a6b-7c8d-9e0f1a2b3c4d/12-0
0:0:0.0 --> 0:0:2.5
<v Anna Berg>Vad betyder arbetslinjen
för er i vardagen?</v>

6a7b1c2d-3e4f-5a6b-7c8d-9e0f1a2b3c4d/13-0
0:0:2.5 --> 0:0:6.25
<v.loud Sara Nilsson>Att alla ska ut i jobb &amp; egen försörjning

6a7b1c2d-3e4f-5a6b-7c8d-9e0f1a2b3c4d/14-0
00:06.250 --> 00:09.000
<v Sara Nilsson><c.yellow>men</c> rättigheterna <i>får</i> inte glömmas&nbsp;bort.</v>

15
00:00:09.000 --> 00:00:11.000 align:start position:0%
<v Anna Berg>&lt;skratt&gt; Precis.</v> <v &lrm;Erik Lund>Håller <00:00:10.000>med.</v>
"""

CAPTIONS = """WEBVTT - möte om sociala rättigheter
Kind: captions
Language: sv

STYLE
::cue { color: yellow }

NOTE Detta är en kommentar
som går över två rader

1
00:00:01.000 --> 00:00:03.000 align:start position:0%
Vi pratar om sociala rättigheter.

NOTE en till

2
00:00:03.000 --> 00:00:05.000
Och om vad kommunen kan kräva.

3
00:00:05.000 --> 00:00:07.000
Obs: det här är viktigt.
"""

ZOOM_GAPS = """WEBVTT

00:00:01.000 --> 00:00:02.000
Anna Berg: Förtroende är grunden.

00:00:02.000 --> 00:00:03.000
[ohörbart]

00:00:03.000 --> 00:00:04.000
[mumlar]

00:00:04.000 --> 00:00:06.000
Erik Lund: Fast man kan inte lita på alla.
"""

SRT_COLON = """1
00:00:01,000 --> 00:00:04,000
Anna: Hur jobbar ni med jobbfokus?

2
00:00:04,000 --> 00:00:06,500
Anna: Och vad säger deltagarna?

3
00:00:06,500 --> 00:00:09,000
- Erik: Det är ju krav hela tiden.
- Sara: Men också stöd.
"""

SRT_BRACKET = """1
00:00:01,000 --> 00:00:03,000
[Anna] <i>Litar ni på deltagarna?</i>

2
00:00:03,000 --> 00:00:05,000
[Erik] Oftast, ja.
[skratt] Nästan alltid.

3
00:00:05,000 --> 00:00:07,000
{\\an8}[Erik] Men inte alltid.
"""

SRT_PLAIN = """1
00:00:01,000 --> 00:00:02,000
Rätten till bistånd

2
00:00:02,000 --> 00:00:03,500
gäller alla.
"""

CASES: list[tuple[str, str, str, str, list[Row]]] = [
    (
        "zoom",
        ZOOM,
        "webvtt-zoom",
        "Anna Berg: Välkomna allihop, vi börjar med frågan om förtroende. Hur litar ni på "
        "deltagarna?\n\nErik Lund: Ja, alltså, man måste ju lita på dem först.",
        [
            ("Anna Berg", "Välkomna allihop, vi börjar med frågan om förtroende. Hur litar ni "
             "på deltagarna?", 1.0, 7.0),
            ("Erik Lund", "Ja, alltså, man måste ju lita på dem först.", 7.2, 12.0),
        ],
    ),
    (
        "teams",
        TEAMS,
        "webvtt-teams",
        "Anna Berg: Vad betyder arbetslinjen för er i vardagen?\n\n"
        "Sara Nilsson: Att alla ska ut i jobb & egen försörjning men rättigheterna får inte "
        "glömmas\xa0bort.\n\nAnna Berg: <skratt> Precis.\n\nErik Lund: Håller med.",
        [
            ("Anna Berg", "Vad betyder arbetslinjen för er i vardagen?", 0.0, 2.5),
            ("Sara Nilsson", "Att alla ska ut i jobb & egen försörjning men rättigheterna får "
             "inte glömmas\xa0bort.", 2.5, 9.0),
            ("Anna Berg", "<skratt> Precis.", 9.0, 11.0),
            ("Erik Lund", "Håller med.", 9.0, 11.0),
        ],
    ),
    (
        "captions",
        CAPTIONS,
        "webvtt",
        "Vi pratar om sociala rättigheter. Och om vad kommunen kan kräva. "
        "Obs: det här är viktigt.",
        [
            (None, "Vi pratar om sociala rättigheter. Och om vad kommunen kan kräva. "
             "Obs: det här är viktigt.", 1.0, 7.0),
        ],
    ),
    (
        "zoom-gaps",
        ZOOM_GAPS,
        "webvtt-zoom",
        "Anna Berg: Förtroende är grunden.\n\n[ohörbart] [mumlar]\n\n"
        "Erik Lund: Fast man kan inte lita på alla.",
        [
            ("Anna Berg", "Förtroende är grunden.", 1.0, 2.0),
            (None, "[ohörbart] [mumlar]", 2.0, 4.0),
            ("Erik Lund", "Fast man kan inte lita på alla.", 4.0, 6.0),
        ],
    ),
    (
        "srt-colon",
        SRT_COLON,
        "srt",
        "Anna: Hur jobbar ni med jobbfokus? Och vad säger deltagarna?\n\n"
        "Erik: Det är ju krav hela tiden.\n\nSara: Men också stöd.",
        [
            ("Anna", "Hur jobbar ni med jobbfokus? Och vad säger deltagarna?", 1.0, 6.5),
            ("Erik", "Det är ju krav hela tiden.", 6.5, 9.0),
            ("Sara", "Men också stöd.", 6.5, 9.0),
        ],
    ),
    (
        "srt-bracket",
        SRT_BRACKET,
        "srt",
        "Anna: Litar ni på deltagarna?\n\nErik: Oftast, ja. [skratt] Nästan alltid. "
        "Men inte alltid.",
        [
            ("Anna", "Litar ni på deltagarna?", 1.0, 3.0),
            ("Erik", "Oftast, ja. [skratt] Nästan alltid. Men inte alltid.", 3.0, 7.0),
        ],
    ),
    (
        "srt-plain",
        SRT_PLAIN,
        "srt",
        "Rätten till bistånd gäller alla.",
        [(None, "Rätten till bistånd gäller alla.", 1.0, 3.5)],
    ),
]


def _parse(source: str) -> ParsedTranscript:
    reader = parse_vtt if source.startswith("WEBVTT") else parse_srt
    return reader(source, encoding="utf-8")


def _rows(parsed: ParsedTranscript) -> list[Row]:
    rows: list[Row] = []
    for turn in parsed.turns:
        assert turn.time is not None and turn.end_time is not None
        rows.append((turn.speaker, turn.span.of(parsed.text), turn.time, turn.end_time))
    return rows


@pytest.mark.parametrize(
    ("source", "layout", "text", "rows"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_rendered_transcript(source: str, layout: str, text: str, rows: list[Row]) -> None:
    parsed = _parse(source)
    assert parsed.text == text
    assert parsed.layout == layout
    assert _rows(parsed) == rows
    assert parsed.guessed is False
    assert parsed.format == ("vtt" if source.startswith("WEBVTT") else "srt")


@pytest.mark.parametrize("source", [case[1] for case in CASES], ids=[case[0] for case in CASES])
def test_labels_precede_their_spans(source: str) -> None:
    """Each paragraph is ``Speaker: utterance`` and the span starts right after the label."""
    parsed = _parse(source)
    paragraphs = parsed.text.split("\n\n")
    assert len(paragraphs) == len(parsed.turns)
    position = 0
    for paragraph, turn in zip(paragraphs, parsed.turns, strict=True):
        label = f"{turn.speaker}: " if turn.speaker else ""
        assert paragraph == label + turn.span.of(parsed.text)
        assert turn.span.start == position + len(label)
        position += len(paragraph) + 2


@pytest.mark.parametrize(
    ("source", "speakers"),
    [
        (ZOOM, ("Anna Berg", "Erik Lund")),
        (TEAMS, ("Anna Berg", "Sara Nilsson", "Erik Lund")),
        (CAPTIONS, ()),
        (SRT_COLON, ("Anna", "Erik", "Sara")),
        (SRT_PLAIN, ()),
    ],
)
def test_speakers_in_order_of_first_appearance(source: str, speakers: tuple[str, ...]) -> None:
    parsed = _parse(source)
    assert parsed.speaker_labels == speakers
    assert all(info.role is None for info in parsed.speakers)


def test_encoding_is_passed_through() -> None:
    assert parse_vtt(ZOOM, encoding="cp1252").encoding == "cp1252"


def test_cue_directly_after_header_and_closing_voice_optional() -> None:
    parsed = parse_vtt(
        "WEBVTT\n00:01.000 --> 00:02.000\n<v Anna>Jobbfokus först\n\n"
        "00:02.000 --> 00:03.000\n<v Anna>och sedan rättigheter",
        encoding="utf-8",
    )
    assert parsed.text == "Anna: Jobbfokus först och sedan rättigheter"
    assert _rows(parsed) == [("Anna", "Jobbfokus först och sedan rättigheter", 1.0, 3.0)]


BAD_VTT_TIMING = """WEBVTT

1
00:00:00.000 --> 00:00:01.000
Hej.

00:00:01 -> 00:00:02
Hopp.
"""


@pytest.mark.parametrize(
    ("reader", "source", "message"),
    [
        (
            parse_vtt,
            "Hej\n\n00:00:01.000 --> 00:00:02.000\nText",
            'line 1: missing "WEBVTT" header, found "Hej"',
        ),
        (parse_vtt, "WEBVTTX\n", 'line 1: missing "WEBVTT" header, found "WEBVTTX"'),
        (
            parse_vtt,
            "WEBVTT\n\nNOTE bara en kommentar\n",
            "no subtitle cues with text found (read 4 lines)",
        ),
        (parse_vtt, BAD_VTT_TIMING, 'line 7: cannot read cue timing "00:00:01 -> 00:00:02"'),
        (
            parse_vtt,
            "WEBVTT\n\nid-1\n00:00:01.000 --> 00:61:00.000\nText",
            'line 4: cannot read cue timing "00:00:01.000 --> 00:61:00.000"',
        ),
        (parse_vtt, "WEBVTT\n\nid-1\nbara text\n", 'line 4: cannot read cue timing "bara text"'),
        (
            parse_srt,
            "1\n00:00:01,000 - 00:00:02,000\nText\n",
            'line 2: cannot read cue timing "00:00:01,000 - 00:00:02,000"',
        ),
        (
            parse_srt,
            "1\n00:00:01,000 --> 00:00:02,000\nText\n\nBara text här\n",
            'line 5: cannot read cue timing "Bara text här"',
        ),
        (parse_srt, "\n\n", "no subtitle cues with text found (read 3 lines)"),
    ],
)
def test_malformed_input(reader: Reader, source: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        reader(source, encoding="utf-8")
    assert str(caught.value) == message
    assert "\n" not in str(caught.value)


def test_interviewer_labels_in_subtitles_get_the_moderator_role() -> None:
    srt = "1\n00:00:01,000 --> 00:00:03,000\nIntervjuare: Berätta.\n\n2\n00:00:03,500 --> 00:00:06,000\nR1: Vi fokuserar på jobb.\n"
    transcript = parse_srt(srt, encoding="utf-8")
    assert [(s.label, s.role) for s in transcript.speakers] == [("Intervjuare", "moderator"), ("R1", None)]
