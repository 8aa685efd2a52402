"""Table tests for the plain-text reader: layout, speakers and each turn's exact text."""

from __future__ import annotations

import pytest

from mda_coder.core.errors import InputError
from mda_coder.core.transcript import ParsedTranscript, SpeakerInfo
from mda_coder.ingest.text import parse_text
from mda_coder.ingest.timestamps import parse_timestamp

Expected = list[tuple[str | None, str, float | None]]


def turns_of(parsed: ParsedTranscript) -> Expected:
    """What a user sees: who speaks, the exact utterance cut from the text, and when."""
    return [(t.speaker, parsed.text[t.span.start : t.span.end], t.time) for t in parsed.turns]


LABEL_COLON = """\
I: Välkomna hit allihop. Vi ska prata om hur ni ser på deltagarna.
R1: Vi måste ju tro på dem, annars händer ingenting.
Det är liksom grunden för allt.

Även när det går trögt.
R2: Jo, men jobbet kommer först, det säger ju uppdraget.
"""

LEGEND_HEADED = """\
Fokusgrupp 3, Kommun B, 12 mars 2024
Deltagare:
I: Intervjuare (forskare)
R1: arbetskonsulent
R2: handläggare, försörjningsstöd

I: Välkomna hit allihop. Vad betyder tillit i ert arbete?
R1: Att man tror på att de vill jobba.
R2: Vi måste ju tro på dem, annars händer ingenting.
"""

LEGEND_HEADLESS = """\
I: Intervjuare
R1: arbetskonsulent
R2: socialsekreterare

I: Hur pratar ni om rätten till försörjningsstöd?
R1: Det är en rättighet, men med krav.
R2: Kraven kommer före rättigheten, tyvärr.
"""

INLINE_LABELS = """\
I: Hur var mötet?
R1: Jag sa hej P3: hur mår du, och sen började vi.
Hi P3: så sa jag, på engelska.
R2: Det låter bra.
I: Och sen?
"""

ANNOTATION_LINE = """\
I: Tror ni på deltagarna?
R1: Ja, för det mesta.
[skratt]
Nej men allvarligt, ja.
R2: [Skratt] Vi måste ju det.
"""

STAMP_LINES = """\
[00:00:05]
I: Välkomna.

00:01:10

R1: Vi börjar med jobbfokus.
#00:02:00-5#
R2: Och rättigheterna?
R1 [00:03:00]: Det kommer sen.

(00:04:00)
R2: Bra.
"""

STAMP_INSIDE_TURN = """\
R1: Vi pratade om kraven.
[00:00:40]
Och sen om rättigheterna.
00:00:50

00:00:55
Och om jobben.
R2: Ja.
"""

INLINE_STAMPS = """\
I: Vad hände sen? [00:01:23] Berätta.
R1: Hon kom tillbaka *1:40 = och fick jobb.
R2: R1: [00:02:05] Nej, det var jag. #00:02:10-3#
"""

SPACED_LABELS = """\
Anna Berg: Jag jobbar som arbetskonsulent sedan fem år.
Intervjuare 2: Hur ser du på tilliten?
Anna Berg: Den är grunden.
Per Holm: Jag håller med Anna.
Per Holm: Men kraven behövs.
"""

LABEL_TIMES = """\
R1 [00:01:23]: Vi måste ju tro på dem.
R2: [00:01:30] Annars händer ingenting.
R1 00:01:45: Precis.
R2: 10:30 har vi möte varje tisdag.
R1: *1:50 = Och sen blir det lunch.
"""

TITLE_ABOVE = """\
Fokusgrupp 2

I: Berätta om ert arbete med unga.
R1: Vi fokuserar på jobb.
"""

LOWERCASE_COLON = """\
I: Vad tycker ni om kraven?
R1: Men säger ni: att de inte vill jobba?
Men säger ni: så blir det fel.
R2: Nej.
"""

KNOWN_ONCE = """\
Moderator: Vem börjar?
IP3: Jag kan börja.
P2: Och jag fortsätter.
Deltagare 4: Jag har inget att tillägga.
"""

BRACKET = """\
[Anna] Vi måste ju tro på dem.
[Per Holm]: Annars händer ingenting. [paus]
[Skratt]
[Anna] Precis, [ohörbart] och sen jobb.
[Per Holm]: Ja.
"""

OTTER = """\
Speaker 1  0:03
Välkomna, vi börjar med tillit.
Vad betyder det för er?

Anna Berg  1:02:33
Att vi tror på deltagarna.

Speaker 1  1:05:00
Tack.
"""

TIMESTAMP_LABEL = """\
00:12 INTERVJUARE:
Hur ser ni på jobbfokus?

[00:00:30] Anna Berg:
Det är bra, men inte för alla.
Vissa behöver annat först.
01:05 Per: Jag håller med.
"""

TSV = "Tid\tTalare\tText\n00:00:05\tI\tVälkomna.\n\tR1\tVi måste ju tro på dem.\n00:01:00\tR2\tJa.\n"

MARKDOWN = """\
# Fokusgrupp 1

**I:** Vad betyder rättigheter för er?

**R1**: Att man får stöd utan att skämmas.
__R2__: Och att kraven är rimliga.
"""

PARAGRAPHS = """\
Anteckningar från mötet

Vi pratade om tillit mellan handläggare och deltagare.
Alla var överens.

Sen om jobbfokus.
"""

DANISH = """\
Interviewer: Hvordan ser I på kravene til borgerne?
Deltager 1: Vi skal jo tro på dem, ellers sker der ingenting.
Ørsted: Jeg er enig.
Ørsted: Men jobbet kommer først.
"""

CUSTOM = "AB> Vi måste ju tro på dem.\nfortsättning här\nCD>   Ja.\n"

CASES: list[tuple[str, str, dict[str, object], str, Expected]] = [
    (
        "label-colon, multi-line turn",
        LABEL_COLON,
        {},
        "label-colon",
        [
            ("I", "Välkomna hit allihop. Vi ska prata om hur ni ser på deltagarna.", None),
            (
                "R1",
                "Vi måste ju tro på dem, annars händer ingenting.\n"
                "Det är liksom grunden för allt.\n\nÄven när det går trögt.",
                None,
            ),
            ("R2", "Jo, men jobbet kommer först, det säger ju uppdraget.", None),
        ],
    ),
    (
        "legend with heading",
        LEGEND_HEADED,
        {},
        "label-colon",
        [
            ("I", "Välkomna hit allihop. Vad betyder tillit i ert arbete?", None),
            ("R1", "Att man tror på att de vill jobba.", None),
            ("R2", "Vi måste ju tro på dem, annars händer ingenting.", None),
        ],
    ),
    (
        "legend without heading",
        LEGEND_HEADLESS,
        {},
        "label-colon",
        [
            ("I", "Hur pratar ni om rätten till försörjningsstöd?", None),
            ("R1", "Det är en rättighet, men med krav.", None),
            ("R2", "Kraven kommer före rättigheten, tyvärr.", None),
        ],
    ),
    (
        "labels inside utterances",
        INLINE_LABELS,
        {},
        "label-colon",
        [
            ("I", "Hur var mötet?", None),
            ("R1", "Jag sa hej P3: hur mår du, och sen började vi.\nHi P3: så sa jag, på engelska.", None),
            ("R2", "Det låter bra.", None),
            ("I", "Och sen?", None),
        ],
    ),
    (
        "annotation at line start",
        ANNOTATION_LINE,
        {},
        "label-colon",
        [
            ("I", "Tror ni på deltagarna?", None),
            ("R1", "Ja, för det mesta.\n[skratt]\nNej men allvarligt, ja.", None),
            ("R2", "[Skratt] Vi måste ju det.", None),
        ],
    ),
    (
        "timestamp lines between turns",
        STAMP_LINES,
        {},
        "label-colon",
        [
            ("I", "Välkomna.", 5.0),
            ("R1", "Vi börjar med jobbfokus.", 70.0),
            ("R2", "Och rättigheterna?", 120.5),
            ("R1", "Det kommer sen.", 180.0),
            ("R2", "Bra.", 240.0),
        ],
    ),
    (
        "timestamp line inside a turn",
        STAMP_INSIDE_TURN,
        {},
        "label-colon",
        [
            (
                "R1",
                "Vi pratade om kraven.\n[00:00:40]\nOch sen om rättigheterna.\n00:00:50\n\n00:00:55\nOch om jobben.",
                None,
            ),
            ("R2", "Ja.", None),
        ],
    ),
    (
        "inline timestamps stay in the text",
        INLINE_STAMPS,
        {},
        "label-colon",
        [
            ("I", "Vad hände sen? [00:01:23] Berätta.", None),
            ("R1", "Hon kom tillbaka *1:40 = och fick jobb.", None),
            ("R2", "R1: [00:02:05] Nej, det var jag. #00:02:10-3#", None),
        ],
    ),
    (
        "labels with spaces",
        SPACED_LABELS,
        {},
        "label-colon",
        [
            ("Anna Berg", "Jag jobbar som arbetskonsulent sedan fem år.", None),
            ("Intervjuare 2", "Hur ser du på tilliten?", None),
            ("Anna Berg", "Den är grunden.", None),
            ("Per Holm", "Jag håller med Anna.", None),
            ("Per Holm", "Men kraven behövs.", None),
        ],
    ),
    (
        "timestamps at the label",
        LABEL_TIMES,
        {},
        "label-colon",
        [
            ("R1", "Vi måste ju tro på dem.", 83.0),
            ("R2", "Annars händer ingenting.", 90.0),
            ("R1", "Precis.", 105.0),
            ("R2", "10:30 har vi möte varje tisdag.", None),
            ("R1", "Och sen blir det lunch.", 110.0),
        ],
    ),
    (
        "title line above the turns",
        TITLE_ABOVE,
        {},
        "label-colon",
        [
            ("I", "Berätta om ert arbete med unga.", None),
            ("R1", "Vi fokuserar på jobb.", None),
        ],
    ),
    (
        "lower-case words before a colon",
        LOWERCASE_COLON,
        {},
        "label-colon",
        [
            ("I", "Vad tycker ni om kraven?", None),
            ("R1", "Men säger ni: att de inte vill jobba?\nMen säger ni: så blir det fel.", None),
            ("R2", "Nej.", None),
        ],
    ),
    (
        "known labels seen once",
        KNOWN_ONCE,
        {},
        "label-colon",
        [
            ("Moderator", "Vem börjar?", None),
            ("IP3", "Jag kan börja.", None),
            ("P2", "Och jag fortsätter.", None),
            ("Deltagare 4", "Jag har inget att tillägga.", None),
        ],
    ),
    (
        "danish labels",
        DANISH,
        {},
        "label-colon",
        [
            ("Interviewer", "Hvordan ser I på kravene til borgerne?", None),
            ("Deltager 1", "Vi skal jo tro på dem, ellers sker der ingenting.", None),
            ("Ørsted", "Jeg er enig.", None),
            ("Ørsted", "Men jobbet kommer først.", None),
        ],
    ),
    (
        "bracket labels and annotations",
        BRACKET,
        {},
        "bracket",
        [
            ("Anna", "Vi måste ju tro på dem.", None),
            ("Per Holm", "Annars händer ingenting. [paus]\n[Skratt]", None),
            ("Anna", "Precis, [ohörbart] och sen jobb.", None),
            ("Per Holm", "Ja.", None),
        ],
    ),
    (
        "otter headers, multi-line text",
        OTTER,
        {},
        "otter",
        [
            ("Speaker 1", "Välkomna, vi börjar med tillit.\nVad betyder det för er?", 3.0),
            ("Anna Berg", "Att vi tror på deltagarna.", 3753.0),
            ("Speaker 1", "Tack.", 3900.0),
        ],
    ),
    (
        "timestamp then label",
        TIMESTAMP_LABEL,
        {},
        "timestamp-label",
        [
            ("INTERVJUARE", "Hur ser ni på jobbfokus?", 12.0),
            ("Anna Berg", "Det är bra, men inte för alla.\nVissa behöver annat först.", 30.0),
            ("Per", "Jag håller med.", 65.0),
        ],
    ),
    (
        "tsv rows, one without a time",
        TSV,
        {},
        "tsv",
        [
            ("I", "Välkomna.", 5.0),
            ("R1", "Vi måste ju tro på dem.", None),
            ("R2", "Ja.", 60.0),
        ],
    ),
    (
        "markdown bold labels and a heading",
        MARKDOWN,
        {"fmt": "md"},
        "label-colon",
        [
            ("I", "Vad betyder rättigheter för er?", None),
            ("R1", "Att man får stöd utan att skämmas.", None),
            ("R2", "Och att kraven är rimliga.", None),
        ],
    ),
    (
        "paragraphs without labels",
        PARAGRAPHS,
        {},
        "paragraphs",
        [
            (None, "Anteckningar från mötet", None),
            (None, "Vi pratade om tillit mellan handläggare och deltagare.\nAlla var överens.", None),
            (None, "Sen om jobbfokus.", None),
        ],
    ),
    (
        "each line a paragraph",
        PARAGRAPHS,
        {"line_paragraphs": True},
        "paragraphs",
        [
            (None, "Anteckningar från mötet", None),
            (None, "Vi pratade om tillit mellan handläggare och deltagare.", None),
            (None, "Alla var överens.", None),
            (None, "Sen om jobbfokus.", None),
        ],
    ),
    (
        "custom speaker pattern",
        CUSTOM,
        {"speaker_pattern": r"^(?P<speaker>[A-Z]{2,3})>\s*"},
        "custom",
        [
            ("AB", "Vi måste ju tro på dem.\nfortsättning här", None),
            ("CD", "Ja.", None),
        ],
    ),
    (
        "custom pattern with time and text groups",
        "[00:10] AB - Ja visst.\nCD - Nej.\n",
        {"speaker_pattern": r"(?:\[(?P<time>[\d:]+)\] )?(?P<speaker>[A-Z]{2}) - (?P<text>.*)"},
        "custom",
        [("AB", "Ja visst.", 10.0), ("CD", "Nej.", None)],
    ),
]


@pytest.mark.parametrize(
    ("text", "options", "layout", "expected"),
    [pytest.param(text, opts, layout, exp, id=name) for name, text, opts, layout, exp in CASES],
)
def test_turns(text: str, options: dict[str, object], layout: str, expected: Expected) -> None:
    parsed = parse_text(text, **options)  # type: ignore[arg-type]
    assert parsed.layout == layout
    assert turns_of(parsed) == expected
    assert parsed.text == text


@pytest.mark.parametrize(
    ("text", "options"),
    [pytest.param(text, opts, id=name) for name, text, opts, _, _ in CASES],
)
def test_spans_are_ordered_trimmed_and_inside(text: str, options: dict[str, object]) -> None:
    parsed = parse_text(text, **options)  # type: ignore[arg-type]
    previous_end = 0
    for turn in parsed.turns:
        assert previous_end <= turn.span.start < turn.span.end <= len(text)
        assert not text[turn.span.start].isspace()
        assert not text[turn.span.end - 1].isspace()
        previous_end = turn.span.end


def test_legend_gives_descriptions_roles_and_order() -> None:
    parsed = parse_text(LEGEND_HEADED)
    assert parsed.speakers == (
        SpeakerInfo("I", "moderator", "Intervjuare (forskare)"),
        SpeakerInfo("R1", "arbetskonsulent", "arbetskonsulent"),
        SpeakerInfo("R2", role="handläggare, försörjningsstöd", description="handläggare, försörjningsstöd"),
    )
    assert "lines 2–5 read as a legend, not as turns" in parsed.warnings
    assert parsed.guessed is False


def test_legend_without_heading_is_reported() -> None:
    parsed = parse_text(LEGEND_HEADLESS)
    assert [s.description for s in parsed.speakers] == ["Intervjuare", "arbetskonsulent", "socialsekreterare"]
    assert parsed.speakers[0].role == "moderator"
    assert "lines 1–3 read as a legend, not as turns" in parsed.warnings


def test_short_opening_turns_with_full_stops_are_not_a_legend() -> None:
    text = "I: Hej.\nR1: Hej hej.\n\nI: Då börjar vi.\nR1: Gärna.\n"
    parsed = parse_text(text)
    assert [t[1] for t in turns_of(parsed)] == ["Hej.", "Hej hej.", "Då börjar vi.", "Gärna."]
    assert not any("legend" in w for w in parsed.warnings)


def test_speakers_without_legend_in_order_of_appearance() -> None:
    parsed = parse_text(INLINE_LABELS)
    assert parsed.speakers == (SpeakerInfo("I", "moderator"), SpeakerInfo("R1"), SpeakerInfo("R2"))
    assert parsed.guessed is False
    assert [(d.kind, d.line, d.text, d.reading) for d in parsed.doubts] == [
        ("label-as-text", 3, "Hi P3: så sa jag, på engelska.", "looks like a speaker label: read as text in R1's turn"),
    ]


def test_labels_that_recur_are_speakers_without_doubt() -> None:
    parsed = parse_text(SPACED_LABELS)
    assert parsed.speaker_labels == ("Anna Berg", "Intervjuare 2", "Per Holm")
    assert parsed.doubts == ()
    assert parsed.guessed is False


def test_title_is_neither_turn_nor_speaker() -> None:
    parsed = parse_text(TITLE_ABOVE)
    assert parsed.speaker_labels == ("I", "R1")
    assert parsed.turns[0].span.start == TITLE_ABOVE.index("Berätta")
    assert parsed.warnings == ()


def test_paragraph_fallback_is_a_guess_with_a_warning() -> None:
    parsed = parse_text(PARAGRAPHS)
    assert parsed.guessed is True
    assert parsed.speakers == ()
    assert parsed.warnings == ("no speaker labels found: each paragraph is a turn without a speaker",)


def test_one_known_label_in_prose_does_not_swallow_the_text() -> None:
    text = "Minnesanteckning\n\nVi träffades på kontoret.\n\nI: en rad som ser ut som en tur.\n"
    parsed = parse_text(text)
    assert parsed.layout == "paragraphs"
    assert len(parsed.turns) == 3


def test_two_label_shapes_in_one_file_are_read_line_by_line() -> None:
    text = (
        "[Anna] Vi måste ju tro på dem.\n[Anna] Annars händer ingenting.\n"
        "R1: Jobbet först.\nR1: Sen rättigheterna.\nR1: Och sen?\n[Per] Ja.\n[Per] Nej.\n"
    )
    parsed = parse_text(text)
    assert parsed.layout == "bracket+label-colon"
    assert [t[0] for t in turns_of(parsed)] == ["Anna", "Anna", "R1", "R1", "R1", "Per", "Per"]
    assert parsed.doubts == ()


def test_format_and_encoding_are_passed_through() -> None:
    parsed = parse_text(LABEL_COLON, fmt="docx", encoding="cp1252")
    assert (parsed.format, parsed.encoding) == ("docx", "cp1252")


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        pytest.param(r"^(?P<speaker>[A-Z]+", "--speaker-pattern: invalid regular expression: ", id="invalid"),
        pytest.param(r"^([A-Z]{2})>", "--speaker-pattern: missing named group (?P<speaker>...)", id="missing-group"),
        pytest.param(r"^(?P<speaker>XYZ)>", "--speaker-pattern matched no line", id="no-match"),
    ],
)
def test_bad_speaker_pattern(pattern: str, message: str) -> None:
    with pytest.raises(InputError) as caught:
        parse_text(CUSTOM, speaker_pattern=pattern)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize("text", ["", "   \n\n\t\n"])
def test_empty_text_is_an_input_error(text: str) -> None:
    with pytest.raises(InputError, match=r"^the file has no text$"):
        parse_text(text)


@pytest.mark.parametrize(
    ("stamp", "seconds"),
    [
        ("00:12", 12.0),
        ("0:12", 12.0),
        ("75:30", 4530.0),
        ("1:02:33", 3753.0),
        ("00:01:23.450", 83.45),
        ("00:01:23,450", 83.45),
        ("0:0:0.0", 0.0),
        ("[00:01:23]", 83.0),
        ("(00:01:23)", 83.0),
        ("#00:01:23-4#", 83.4),
        ("*1:40 =", 100.0),
        ("1:75:00", None),
        ("12:61", None),
        ("kl 12", None),
        ("", None),
    ],
)
def test_parse_timestamp(stamp: str, seconds: float | None) -> None:
    if seconds is None:
        assert parse_timestamp(stamp) is None
    else:
        assert parse_timestamp(stamp) == pytest.approx(seconds)
