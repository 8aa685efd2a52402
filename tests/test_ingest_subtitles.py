"""WebVTT and SRT readers: rendered text, turn spans, speakers, merge rule and error lines."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from mda_coder.core.errors import InputError
from mda_coder.core.transcript import ParsedTranscript
from mda_coder.ingest.cues import CAPTION_TURN_CHARS, CAPTION_TURN_MAX_CHARS
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
            (
                "Anna Berg",
                "Välkomna allihop, vi börjar med frågan om förtroende. Hur litar ni på deltagarna?",
                1.0,
                7.0,
            ),
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
            (
                "Sara Nilsson",
                "Att alla ska ut i jobb & egen försörjning men rättigheterna får inte glömmas\xa0bort.",
                2.5,
                9.0,
            ),
            ("Anna Berg", "<skratt> Precis.", 9.0, 11.0),
            ("Erik Lund", "Håller med.", 9.0, 11.0),
        ],
    ),
    (
        "captions",
        CAPTIONS,
        "webvtt",
        "Vi pratar om sociala rättigheter. Och om vad kommunen kan kräva. Obs: det här är viktigt.",
        [
            (
                None,
                "Vi pratar om sociala rättigheter. Och om vad kommunen kan kräva. Obs: det här är viktigt.",
                1.0,
                7.0,
            ),
        ],
    ),
    (
        "zoom-gaps",
        ZOOM_GAPS,
        "webvtt-zoom",
        "Anna Berg: Förtroende är grunden.\n\n[ohörbart] [mumlar]\n\nErik Lund: Fast man kan inte lita på alla.",
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
        "Anna: Litar ni på deltagarna?\n\nErik: Oftast, ja. [skratt] Nästan alltid. Men inte alltid.",
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


Doubted = tuple[str, int | None, str]

ZOOM_NAMES = """WEBVTT

1
00:01:02.000 --> 00:01:05.500
Karin Sjöberg | Umeå universitet: Välkomna, vi börjar med en runda.

2
00:01:05.500 --> 00:01:08.000
Karin Sjöberg | Umeå universitet: Vem vill börja?

3
00:01:08.400 --> 00:01:11.000
Mette + Søren 🚲: Vi sidder sammen i dag, så det er os begge.

4
00:01:11.000 --> 00:01:14.000
jonas.w@kommun: Jag heter Jonas och jobbar på kommunen.

5
00:01:14.200 --> 00:01:16.000
[ohörbart]

6
00:01:16.000 --> 00:01:19.000
Det här är en mening med alldeles för många ord för ett namn: nej.

7
00:01:19.500 --> 00:01:22.000
Priya (Malmö) - gäst: Hi all, I'll keep to English: sorry!

8
00:01:22.000 --> 00:01:25.000
Mette + Søren 🚲: Ja. Vi har arbejdet med det her i tre år.
"""


def _doubts(parsed: ParsedTranscript) -> list[Doubted]:
    return [(doubt.kind, doubt.line, doubt.reading) for doubt in parsed.doubts]


def test_zoom_names_are_display_names_with_any_characters_but_a_colon() -> None:
    """Pipes, ``+``, ``@``, parentheses, emoji and lower-case handles are names; a cue
    without one is a turn without a speaker and says so, at the line of its text."""
    parsed = parse_vtt(ZOOM_NAMES, encoding="utf-8")
    assert parsed.layout == "webvtt-zoom"
    assert _rows(parsed) == [
        ("Karin Sjöberg | Umeå universitet", "Välkomna, vi börjar med en runda. Vem vill börja?", 62.0, 68.0),
        ("Mette + Søren 🚲", "Vi sidder sammen i dag, så det er os begge.", 68.4, 71.0),
        ("jonas.w@kommun", "Jag heter Jonas och jobbar på kommunen.", 71.0, 74.0),
        (None, "[ohörbart] Det här är en mening med alldeles för många ord för ett namn: nej.", 74.2, 79.0),
        ("Priya (Malmö) - gäst", "Hi all, I'll keep to English: sorry!", 79.5, 82.0),
        ("Mette + Søren 🚲", "Ja. Vi har arbejdet med det her i tre år.", 82.0, 85.0),
    ]
    assert parsed.speaker_labels == (
        "Karin Sjöberg | Umeå universitet",
        "Mette + Søren 🚲",
        "jonas.w@kommun",
        "Priya (Malmö) - gäst",
    )
    # Cues without a name make this a hand-labelled file, where a name seen once might be
    # a sentence with a colon: those are doubts too.
    assert _doubts(parsed) == [
        ("new-speaker", 17, "a name seen once, read as a speaker of its own: jonas.w@kommun"),
        ("no-speaker", 21, "no speaker name: a turn without a speaker"),
        ("no-speaker", 25, "no speaker name: a turn without a speaker"),
        ("new-speaker", 29, "a name seen once, read as a speaker of its own: Priya (Malmö) - gäst"),
    ]
    assert [doubt.text for doubt in parsed.doubts][1:3] == [
        "[ohörbart]",
        "Det här är en mening med alldeles för många ord för ett namn: nej.",
    ]
    assert parsed.lines == 8


def _vtt(cues: list[tuple[float, float, str]]) -> str:
    """A WebVTT file of ``(start, end, text)`` cues, numbered from 1."""
    blocks = ["WEBVTT"]
    for number, (start, end, text) in enumerate(cues, 1):
        blocks.append(f"{number}\n{_clock(start)} --> {_clock(end)}\n{text}")
    return "\n\n".join(blocks) + "\n"


def _clock(seconds: float) -> str:
    whole = int(seconds)
    millis = round((seconds - whole) * 1000)
    return f"{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}.{millis:03d}"


def test_a_name_seen_once_among_regular_speakers_is_a_speaker_without_doubt() -> None:
    """Zoom names every cue; someone who says one thing on a call is still someone."""
    cues = [
        (1.0, 3.0, "Anna Berg: Hej och välkomna."),
        (3.0, 5.0, "erik_l: Tack, hör ni mig?"),
        (5.0, 7.0, "Anna Berg: Ja, vi hör dig."),
        (7.0, 9.0, "Sofie Dahl 🇩🇰: Hej fra København."),
        (9.0, 11.0, "erik_l: Bra."),
        (11.0, 13.0, "Anna Berg: Då kör vi."),
    ]
    parsed = parse_vtt(_vtt(cues), encoding="utf-8")
    assert [turn.speaker for turn in parsed.turns] == [
        "Anna Berg",
        "erik_l",
        "Anna Berg",
        "Sofie Dahl 🇩🇰",
        "erik_l",
        "Anna Berg",
    ]
    assert parsed.turns[3].span.of(parsed.text) == "Hej fra København."
    assert parsed.doubts == ()
    assert parsed.lines == 6


@pytest.mark.parametrize(
    ("prefix", "speaker"),
    [
        ("Tove | Region Skåne | HR", "Tove | Region Skåne | HR"),
        ("Z. Lind (zlind)", "Z. Lind (zlind)"),
        ("Ana & Bo @ Lunds kommun", "Ana & Bo @ Lunds kommun"),
        ("Ett två tre fyra fem sex sju åtta", "Ett två tre fyra fem sex sju åtta"),
        ("Ett två tre fyra fem sex sju åtta nio", None),
        ("x" * 60, "x" * 60),
        ("x" * 61, None),
        ("- -", None),
    ],
    ids=["pipes", "handle", "at-and-ampersand", "eight-words", "nine-words", "60-chars", "61-chars", "no-letters"],
)
def test_how_long_a_zoom_name_may_be(prefix: str, speaker: str | None) -> None:
    cues = [(1.0, 2.0, "Anna: Vad tycker ni?"), (2.0, 3.0, f"{prefix}: Jo, så här."), (3.0, 4.0, "Anna: Tack.")]
    parsed = parse_vtt(_vtt(cues), encoding="utf-8")
    second = parsed.turns[1]
    assert second.speaker == speaker
    expected = "Jo, så här." if speaker is not None else f"{prefix}: Jo, så här."
    assert second.span.of(parsed.text) == expected
    assert [doubt.kind for doubt in parsed.doubts] == ([] if speaker else ["no-speaker"])


def _caption_rows(parsed: ParsedTranscript) -> list[tuple[str, float, float]]:
    assert all(turn.speaker is None for turn in parsed.turns)
    return [(t.span.of(parsed.text), t.time or 0.0, t.end_time or 0.0) for t in parsed.turns]


def test_speakerless_captions_become_a_turn_per_pause() -> None:
    """A silence of 2 s or more between cues starts a new turn; 1.9 s does not."""
    cues = [
        (1.0, 3.0, "Vi pratar om sociala rättigheter"),
        (4.9, 6.0, "och om vad kommunen kan kräva."),
        (8.0, 9.5, "Nästa fråga gäller arbetslinjen."),
        (9.5, 11.0, "Hvad siger I til det?"),
    ]
    parsed = parse_vtt(_vtt(cues), encoding="utf-8")
    assert parsed.layout == "webvtt"
    assert _caption_rows(parsed) == [
        ("Vi pratar om sociala rättigheter och om vad kommunen kan kräva.", 1.0, 6.0),
        ("Nästa fråga gäller arbetslinjen. Hvad siger I til det?", 8.0, 11.0),
    ]
    assert parsed.doubts == ()
    assert parsed.lines == 4


def test_speakerless_captions_end_a_turn_at_a_sentence_end_past_400_characters() -> None:
    """Without pauses, a turn ends after the first cue ending a sentence once it holds
    400 characters; a sentence end before that, or a cue ending mid-sentence, does not."""
    clause = "och sedan pratade vi länge om hur det är att söka jobb i en liten kommun"  # 72
    texts = [f"{clause}," for _ in range(5)]  # 5 × 73 + spaces: 369 characters
    texts[1] = f"{clause}."  # a sentence end at about 150 characters: too early
    texts += [f"{clause}”", "Det var så.”", "Ny tanke här,", "och slutet?"]
    cues = [(float(i), float(i + 1), text) for i, text in enumerate(texts)]
    parsed = parse_vtt(_vtt(cues), encoding="utf-8")
    rows = _caption_rows(parsed)
    first = " ".join(texts[:7])
    assert len(" ".join(texts[:6])) >= CAPTION_TURN_CHARS > len(" ".join(texts[:5]))
    assert rows == [(first, 0.0, 7.0), ("Ny tanke här, och slutet?", 7.0, 9.0)]


def test_two_thousand_captions_without_punctuation_or_pauses_are_many_turns() -> None:
    """Automatic captions without full stops still never make one huge turn, and a turn
    always holds whole cues."""
    texts = [f"det här är bit nummer {i} av talet utan punkt" for i in range(2000)]
    cues = [(i * 2.0, i * 2.0 + 2.0, text) for i, text in enumerate(texts)]
    parsed = parse_vtt(_vtt(cues), encoding="utf-8")
    turns = [turn.span.of(parsed.text) for turn in parsed.turns]
    assert len(turns) > 50
    assert max(len(turn) for turn in turns) < CAPTION_TURN_MAX_CHARS + 60
    assert " ".join(turns) == " ".join(texts)
    assert all(turn.split(" av talet utan punkt")[-1] == "" for turn in turns)
    assert parsed.lines == 2000


BANNERS = """1
00:00:01,000 --> 00:00:04,000
Synkat och rättat av ingen – www.exempel-text.nu

2
00:00:05,000 --> 00:00:08,000
Välkommen till programmet om välfärd och arbete.

3
00:00:08,000 --> 00:00:10,000
I dag besöker vi tre kommuner.

4
00:00:10,000 --> 00:00:12,000
Först Älvdala.

5
00:00:12,000 --> 00:00:15,000
Hon säger att man hittar blanketten på www.kommunen.se
men att ingen läser den innan mötet med handläggaren.

6
00:00:15,000 --> 00:00:17,000
Tekster af Mikkel

7
00:00:17,000 --> 00:00:19,000
Gå in på 1177.se

8
00:00:19,000 --> 00:00:21,000
Sedan gick vi vidare.

9
00:00:21,000 --> 00:00:23,000
Till Sjöstad.

10
00:00:23,000 --> 00:00:25,000
Det var allt för i dag.

11
00:00:26,000 --> 00:00:29,000
Support us and become VIP member
to remove all ads from the site

12
00:00:29,000 --> 00:00:31,000
Hej då.
"""


def test_banner_cues_are_kept_as_turns_of_their_own_and_flagged() -> None:
    parsed = parse_srt(BANNERS, encoding="utf-8")
    assert _caption_rows(parsed) == [
        ("Synkat och rättat av ingen – www.exempel-text.nu", 1.0, 4.0),
        (
            "Välkommen till programmet om välfärd och arbete. I dag besöker vi tre kommuner. "
            "Först Älvdala. Hon säger att man hittar blanketten på www.kommunen.se men att "
            "ingen läser den innan mötet med handläggaren.",
            5.0,
            15.0,
        ),
        ("Tekster af Mikkel", 15.0, 17.0),
        ("Gå in på 1177.se", 17.0, 19.0),
        ("Sedan gick vi vidare. Till Sjöstad. Det var allt för i dag.", 19.0, 25.0),
        ("Support us and become VIP member to remove all ads from the site", 26.0, 29.0),
        ("Hej då.", 29.0, 31.0),
    ]
    reading = "looks like credits, not speech: check it"
    # Cue 1: an address among the first cues. Cue 5: an address in a long cue in the middle
    # is speech. Cue 6: a credit phrase. Cue 7: an address in a short cue. Cue 11: an advert.
    assert _doubts(parsed) == [
        ("banner", 3, reading),
        ("banner", 24, reading),
        ("banner", 28, reading),
        ("banner", 44, reading),
    ]
    assert parsed.doubts[3].text == ("Support us and become VIP member to remove all ads from the site")
    assert parsed.lines == 12


def test_speech_mentioning_a_site_is_not_a_banner() -> None:
    cues = [
        (1.0, 4.0, "Vi börjar med läget i kommunen."),
        (4.0, 6.0, "Och hur arbetet har gått."),
        (6.0, 8.0, "Det har gått bra."),
        (
            8.0,
            13.0,
            "Många hittar information på www.arbetsformedlingen.se men de flesta ringer ändå till handläggaren först.",
        ),
        (13.0, 15.0, "Sen pratade vi om stödet."),
        (15.0, 17.0, "Och om kraven."),
        (17.0, 19.0, "Og om pengene."),
        (19.0, 21.0, "Det var det hele, tak."),
    ]
    parsed = parse_vtt(_vtt(cues), encoding="utf-8")
    assert parsed.doubts == ()
    assert len(parsed.turns) == 1


SRT_HAND_LABELLED = """1
00:00:01,000 --> 00:00:03,000
Anna: Hur ser ni på kraven?

2
00:00:03,000 --> 00:00:06,000
Erik: Jag sa det så här:
det är för mycket nu.

3
00:00:06,000 --> 00:00:08,000
och det håller jag fast vid.

4
00:00:08,000 --> 00:00:10,000
[Paus] Ja, okej.
"""


def test_srt_unlabelled_cue_is_a_doubt_and_a_colon_in_a_wrapped_line_is_text() -> None:
    parsed = parse_srt(SRT_HAND_LABELLED, encoding="utf-8")
    assert _rows(parsed) == [
        ("Anna", "Hur ser ni på kraven?", 1.0, 3.0),
        ("Erik", "Jag sa det så här: det är för mycket nu.", 3.0, 6.0),
        (None, "och det håller jag fast vid. [Paus] Ja, okej.", 6.0, 10.0),
    ]
    assert _doubts(parsed) == [
        ("no-speaker", 12, "no speaker name: a turn without a speaker"),
        ("no-speaker", 16, "no speaker name: a turn without a speaker"),
    ]
    assert parsed.doubts[1].text == "[Paus] Ja, okej."
    assert parsed.lines == 4


def test_teams_cue_without_a_voice_is_a_doubt() -> None:
    vtt = "WEBVTT\n\n00:00:01.000 --> 00:00:03.000\n<v Anna Berg>Hej.</v>\n\n00:00:03.000 --> 00:00:05.000\nHallå?\n"
    parsed = parse_vtt(vtt, encoding="utf-8")
    assert _rows(parsed) == [("Anna Berg", "Hej.", 1.0, 3.0), (None, "Hallå?", 3.0, 5.0)]
    assert _doubts(parsed) == [("no-speaker", 7, "no speaker name: a turn without a speaker")]
