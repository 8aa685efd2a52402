"""One table row per quirk of real transcripts: who speaks, when, the exact words, and every doubt.

The fixtures are written for these tests, in Swedish, Danish and English, each showing one
habit of transcribers or transcription tools. A turn given to the wrong speaker is the worst
thing the importer can do, so each row asserts every turn, and the doubtful lines the reader
must list for a user to check.
"""

from __future__ import annotations

import random

import pytest

from mda_coder.core.transcript import ParsedTranscript
from mda_coder.ingest.text import parse_text

Turns = list[tuple[str | None, str, float | None]]
Doubts = list[tuple[str, int]]


def turns_of(parsed: ParsedTranscript) -> Turns:
    return [(t.speaker, parsed.text[t.span.start : t.span.end], t.time) for t in parsed.turns]


def doubts_of(parsed: ParsedTranscript) -> Doubts:
    return [(d.kind, d.line) for d in parsed.doubts if d.line is not None]


MIXED_SHAPES = (
    "Fokusgrupp 5, Kommun C\n"
    "I: Hur ser ni på deltagarnas egen drivkraft?\n"
    "00:01:10\tR1\tDe flesta vill ju jobba, det märker man.\n"
    "00:01:32\tR2:\tMen inte alla, ärligt talat.\n"
    "\tR1\tNej, inte alla.\n"
    "00:02:05\n"
    "R2: Kraven hjälper en del av dem.\n"
    "I: Kan du ge ett exempel?\n"
)

TIME_PREFIXES = """\
I: Velkommen til. Skal vi starte?
*0:0 = X: Ja, lad os det.
*1:40 = I: Hvor længe har I boet her?
[00:02:10] Y: Siden 2015, tror jeg.
(00:02:30) X: Nej, det var 2016.
#00:02:45-4# I: Okay.
*23.15 = Y: Vi flyttede om sommeren.
*1.01.35 = X: Det husker jeg ikke.
*1.02.10: I: Tak for det.
01:08:06 = Y: Selv tak.
1.16.30 X: Skal vi se huset?
"""

DOTTED_TAB = "5.00\tI\tVälkomna.\n5.40\tR1\tTack.\n6.05\tI\tVi börjar.\n"

STAMP_LINES = """\
I: Hvad betyder tilliden for jer?
0:02:36.9
X: Meget. Uden den sker der intet.
00.10.06
Y: Enig.
(16.09)
I: Og kravene?
"""

SLIPS = """\
K: Hur var det i början?
M: Svårt, faktiskt.
K. Varför då?
M; Man visste inte vad man fick göra.
I1: Fick ni stöd av chefen?
M: Nej.
I Sverige gör man ofta så, tyvärr.
K Nej, det tror jag inte.
I1. Inte alls?
"""

BRACKET_IDS = """\
[id1] Vi började med kartläggningen.
[id2] Och sen kom praktiken.
[id1] Precis, [skratt] det gick bra.
"""

PARLIAMENT = """\
Anf. 1 TALMANNEN:
Ärade ledamöter, vi går nu till debatten om försörjningsstödet.
Anf. 2 ANNA ANDERSSON BERG (KD):
Fru talman! Tilliten till systemet är avgörande.
Anf. 3 Statsrådet PER HOLM (S): Fru talman! Jag delar den bilden.
Anf. 4 ANNA ANDERSSON BERG (KD):
Fru talman! Tack.
"""

UTTERANCE_IDS = (
    "Korpus-SE_2019-03-12.u1\tFru talman! Jag vill börja med pensionerna.\n"
    "Korpus-SE_2019-03-12.u2\tTack för det. Jag håller inte med.\n"
    "Korpus-SE_2019-03-12.u3\tFru talman! En replik om arbetslinjen.\n"
)

JOINT_AND_NOTES = """\
I = interviewer, X = informant, Y = informant

I: Hvordan varmer I huset op?
X og Y: Med fjernvarme.
Y (til X): Det var din idé.
X: Ja, det var det.
I + X: (griner)
"""

ONE_OFF = """\
Interview 7

I: Hvornår skruer I ned for varmen?
X: Om natten, altid.
Y: Og når vi er på arbejde.
I: Har I en app til det?
X: Nej, vi gør det selv.
Håndværker: Jeg skal lige se på radiatoren.
X: Ja, det er fint.
Hej X: sagde hun så.
Y: Hun kommer hver fredag.
"""

MERGED = """\
Anna: Vi träffas varje vecka.
Per: Ja, på tisdagar.
ANNA: Och ibland på torsdagar.
Per : Det stämmer.
"""

SIMILAR = """\
PARTICIPANT 2: I trust them to do the work.
PARTICIPANT 3: Most of the time, yes.
PARTICIPANT 2: It is the basis of everything.
PARTICIPANT 3: Agreed.
PARTICPANT 2: Though not always.
PARTICIPANT 2: No, not always.
"""

UNLABELLED = """\
*9:50 = I: Hvad gør I så?
X: Vi lukker vinduerne.
*10:00 = Ja, det er rigtigt, siger hun.
*10:20 = [Der snakkes i munden på hinanden]
*10:40 = Y: Præcis.
"""

PREAMBLE = """\
Fokusgrupp 9
Plats: Kommunhuset
Närvarande handläggare från två enheter.

I: Vi börjar med tilliten.
R1: Den är grunden.
"""

BACKWARDS = """\
[00:10:00] I: Hur länge har du jobbat här?
[00:10:30] R1: Snart fem år.
[00:01:40] I: Och innan dess?
[00:11:10] R1: På Arbetsförmedlingen.
"""

OTTER_HEADER = """\

Intervju 12 transkriberad
SUMMARY KEYWORDS
tillit, krav, praktik, handläggare
SPEAKERS
Lena Berglund, Intervjuare

Intervjuare  00:02
Berätta om ditt arbete.

Lena Berglund  00:09
Jag är arbetskonsulent sedan sex år.

Transcribed by https://otter.ai
"""

LABEL_LINES = """\
INTERVJUARE
Hur länge har du jobbat med försörjningsstöd?

LENA
Sedan 2016, ungefär.
Innan dess var jag på Arbetsförmedlingen.

INTERVJUARE
Och vad har förändrats?

LENA
Kraven.
Ja
Precis
"""

PAREN_TIMES = """\
Speaker 1 (00:00:05):
Welcome, everyone.
Speaker 2 (00:00:09):
Thank you for having us.
Speaker 1 (01:02):
Let us begin.
"""

NAMED_NOTES = """\
Moderator (Anna): Vad betyder tillit för er?
Deltagare 1: Att man tror på folk.
Moderator (Anna): Och för dig?
Deltagare 2 (skrattar): Samma sak.
"""

FULL_STOP_STYLE = """\
I. Hvordan bor I?
X. I et rækkehus.
I. Siden hvornår?
X. Siden 2010.
I. Tak.
X. Selv tak.
"""

OTTER_NO_TIME = """\
Intervjuare  00:02
Hur började det?

Lena Berglund  00:09
Med en praktikplats.

Intervjuare
Och sen?

Lena Berglund  00:30
Sen fick jag jobb.
"""

WRAPPED = """\
00:19 RESEARCHER:
So here I have PARTICIPANT 12 and PARTICIPANT 3,
PARTICIPANT 12
is the one who joined first.
00:24 PARTICIPANT 12:
Yes, that was me.
"""

LETTERED_LIST = """\
I: Vad tog ni upp på mötet?
R1: Tre saker.
A. Praktikplatserna.
B. Kraven på deltagarna.
C Sverige som helhet, faktiskt.
I: Okej.
"""

BULLETS = (
    "Frågor till handläggarna\n\n"
    "\t•\tHur många byten av handläggare har deltagarna haft?\n"
    "\t•\tVad betyder bytena för tilliten?\n"
)

DASHED_TIMES = """\
00:00:12 - Intervjuare: Hur började du här?
00:00:19 - Anna: Som praktikant.
00:00:25 – Intervjuare: Och sen?
"""

BRACKET_HEADERS = """\
[Anna Berg] 02:13
Vi börjar med kartläggningen.

[Erik Lund] 02:30
Och sen praktiken.

[Anna Berg] 1:02:40
Precis.
"""

SPEAKER_LAST = (
    "Timespan\tContent\tSpeaker\n"
    "0:00.0 - 0:07.5\tVälkomna allihop, vi börjar med tilliten.\tModerator\n"
    "0:07.5 - 0:15.2\tFör mig är det grunden för allt vi gör.\tLena\n"
    "0:15.2 - 0:20.0\tJag håller med.\tPer\n"
    "0:20.0 - 0:31.0\tOch kraven, då?\tModerator\n"
)

CASES: list[tuple[str, str, dict[str, object], Turns, Doubts]] = [
    (
        "colon lines, tab rows with and without colon and time, a stamp line",
        MIXED_SHAPES,
        {},
        [
            ("I", "Hur ser ni på deltagarnas egen drivkraft?", None),
            ("R1", "De flesta vill ju jobba, det märker man.", 70.0),
            ("R2", "Men inte alla, ärligt talat.", 92.0),
            ("R1", "Nej, inte alla.", None),
            ("R2", "Kraven hjälper en del av dem.", 125.0),
            ("I", "Kan du ge ett exempel?", None),
        ],
        [],
    ),
    (
        "times before labels in every common spelling",
        TIME_PREFIXES,
        {},
        [
            ("I", "Velkommen til. Skal vi starte?", None),
            ("X", "Ja, lad os det.", 0.0),
            ("I", "Hvor længe har I boet her?", 100.0),
            ("Y", "Siden 2015, tror jeg.", 130.0),
            ("X", "Nej, det var 2016.", 150.0),
            ("I", "Okay.", 165.4),
            ("Y", "Vi flyttede om sommeren.", 1395.0),
            ("X", "Det husker jeg ikke.", 3695.0),
            ("I", "Tak for det.", 3730.0),
            ("Y", "Selv tak.", 4086.0),
            ("X", "Skal vi se huset?", 4590.0),
        ],
        [],
    ),
    (
        "full-stop times in a tab table",
        DOTTED_TAB,
        {},
        [
            ("I", "Välkomna.", 300.0),
            ("R1", "Tack.", 340.0),
            ("I", "Vi börjar.", 365.0),
        ],
        [],
    ),
    (
        "timestamp lines with colons and full stops time the next turn",
        STAMP_LINES,
        {},
        [
            ("I", "Hvad betyder tilliden for jer?", None),
            ("X", "Meget. Uden den sker der intet.", 156.9),
            ("Y", "Enig.", 606.0),
            ("I", "Og kravene?", 969.0),
        ],
        [],
    ),
    (
        "slips after known labels open turns and are listed",
        SLIPS,
        {},
        [
            ("K", "Hur var det i början?", None),
            ("M", "Svårt, faktiskt.", None),
            ("K", "Varför då?", None),
            ("M", "Man visste inte vad man fick göra.", None),
            ("I1", "Fick ni stöd av chefen?", None),
            ("M", "Nej.\nI Sverige gör man ofta så, tyvärr.", None),
            ("K", "Nej, det tror jag inte.", None),
            ("I1", "Inte alls?", None),
        ],
        [("slip", 3), ("slip", 4), ("slip", 8), ("slip", 9)],
    ),
    (
        "a lettered list is not a row of slips",
        LETTERED_LIST,
        {},
        [
            ("I", "Vad tog ni upp på mötet?", None),
            ("R1", "Tre saker.\nA. Praktikplatserna.\nB. Kraven på deltagarna.\nC Sverige som helhet, faktiskt.", None),
            ("I", "Okej.", None),
        ],
        [],
    ),
    (
        "a bulleted list in tab rows is not speakers",
        BULLETS,
        {},
        [
            (None, "Frågor till handläggarna", None),
            (
                None,
                "•\tHur många byten av handläggare har deltagarna haft?\n\t•\tVad betyder bytena för tilliten?",
                None,
            ),
        ],
        [],
    ),
    (
        "a dash between the time and the label",
        DASHED_TIMES,
        {},
        [
            ("Intervjuare", "Hur började du här?", 12.0),
            ("Anna", "Som praktikant.", 19.0),
            ("Intervjuare", "Och sen?", 25.0),
        ],
        [],
    ),
    (
        "bracketed names with the time after them, the text below",
        BRACKET_HEADERS,
        {},
        [
            ("Anna Berg", "Vi börjar med kartläggningen.", 133.0),
            ("Erik Lund", "Och sen praktiken.", 150.0),
            ("Anna Berg", "Precis.", 3760.0),
        ],
        [],
    ),
    (
        "a transcript table with the speaker last (NVivo's export)",
        SPEAKER_LAST,
        {},
        [
            ("Moderator", "Välkomna allihop, vi börjar med tilliten.", 0.0),
            ("Lena", "För mig är det grunden för allt vi gör.", 7.5),
            ("Per", "Jag håller med.", 15.2),
            ("Moderator", "Och kraven, då?", 20.0),
        ],
        [],
    ),
    (
        "lower-case bracket ids",
        BRACKET_IDS,
        {},
        [
            ("id1", "Vi började med kartläggningen.", None),
            ("id2", "Och sen kom praktiken.", None),
            ("id1", "Precis, [skratt] det gick bra.", None),
        ],
        [],
    ),
    (
        "parliamentary records: numbering, upper-case names, party",
        PARLIAMENT,
        {},
        [
            ("TALMANNEN", "Ärade ledamöter, vi går nu till debatten om försörjningsstödet.", None),
            ("ANNA ANDERSSON BERG", "Fru talman! Tilliten till systemet är avgörande.", None),
            ("PER HOLM", "Fru talman! Jag delar den bilden.", None),
            ("ANNA ANDERSSON BERG", "Fru talman! Tack.", None),
        ],
        [],
    ),
    (
        "one utterance a line, the id its speaker",
        UTTERANCE_IDS,
        {},
        [
            ("Korpus-SE_2019-03-12.u1", "Fru talman! Jag vill börja med pensionerna.", None),
            ("Korpus-SE_2019-03-12.u2", "Tack för det. Jag håller inte med.", None),
            ("Korpus-SE_2019-03-12.u3", "Fru talman! En replik om arbetslinjen.", None),
        ],
        [],
    ),
    (
        "joint labels and notes in labels",
        JOINT_AND_NOTES,
        {},
        [
            ("I", "Hvordan varmer I huset op?", None),
            ("X og Y", "Med fjernvarme.", None),
            ("Y", "Det var din idé.", None),
            ("X", "Ja, det var det.", None),
            ("I + X", "(griner)", None),
        ],
        [("label-note", 5)],
    ),
    (
        "a label seen once after the talk has begun is a new speaker",
        ONE_OFF,
        {},
        [
            ("I", "Hvornår skruer I ned for varmen?", None),
            ("X", "Om natten, altid.", None),
            ("Y", "Og når vi er på arbejde.", None),
            ("I", "Har I en app til det?", None),
            ("X", "Nej, vi gør det selv.", None),
            ("Håndværker", "Jeg skal lige se på radiatoren.", None),
            ("X", "Ja, det er fint.\nHej X: sagde hun så.", None),
            ("Y", "Hun kommer hver fredag.", None),
        ],
        [("new-speaker", 8), ("label-as-text", 10)],
    ),
    (
        "spellings of one label are merged and listed",
        MERGED,
        {},
        [
            ("Anna", "Vi träffas varje vecka.", None),
            ("Per", "Ja, på tisdagar.", None),
            ("Anna", "Och ibland på torsdagar.", None),
            ("Per", "Det stämmer.", None),
        ],
        [("merged-label", 3)],
    ),
    (
        "a label one letter off a busier one is kept and listed",
        SIMILAR,
        {},
        [
            ("PARTICIPANT 2", "I trust them to do the work.", None),
            ("PARTICIPANT 3", "Most of the time, yes.", None),
            ("PARTICIPANT 2", "It is the basis of everything.", None),
            ("PARTICIPANT 3", "Agreed.", None),
            ("PARTICPANT 2", "Though not always.", None),
            ("PARTICIPANT 2", "No, not always.", None),
        ],
        [("similar-label", 5)],
    ),
    (
        "a timed line without a label stays text, and says so",
        UNLABELLED,
        {},
        [
            ("I", "Hvad gør I så?", 590.0),
            (
                "X",
                "Vi lukker vinduerne.\n*10:00 = Ja, det er rigtigt, siger hun.\n"
                "*10:20 = [Der snakkes i munden på hinanden]",
                None,
            ),
            ("Y", "Præcis.", 640.0),
        ],
        [("unlabelled", 3)],
    ),
    (
        "text before the first turn, past a title, is in no turn",
        PREAMBLE,
        {},
        [
            ("I", "Vi börjar med tilliten.", None),
            ("R1", "Den är grunden.", None),
        ],
        [("no-turn", 2), ("no-turn", 3)],
    ),
    (
        "a time that runs backwards",
        BACKWARDS,
        {},
        [
            ("I", "Hur länge har du jobbat här?", 600.0),
            ("R1", "Snart fem år.", 630.0),
            ("I", "Och innan dess?", 100.0),
            ("R1", "På Arbetsförmedlingen.", 670.0),
        ],
        [("time", 3)],
    ),
    (
        "labels alone on their line, in capitals",
        LABEL_LINES,
        {},
        [
            ("INTERVJUARE", "Hur länge har du jobbat med försörjningsstöd?", None),
            ("LENA", "Sedan 2016, ungefär.\nInnan dess var jag på Arbetsförmedlingen.", None),
            ("INTERVJUARE", "Och vad har förändrats?", None),
            ("LENA", "Kraven.\nJa\nPrecis", None),
        ],
        [],
    ),
    (
        "a time in parentheses after the label is a time",
        PAREN_TIMES,
        {},
        [
            ("Speaker 1", "Welcome, everyone.", 5.0),
            ("Speaker 2", "Thank you for having us.", 9.0),
            ("Speaker 1", "Let us begin.", 62.0),
        ],
        [],
    ),
    (
        "a name in parentheses every time is part of the label",
        NAMED_NOTES,
        {},
        [
            ("Moderator (Anna)", "Vad betyder tillit för er?", None),
            ("Deltagare 1", "Att man tror på folk.", None),
            ("Moderator (Anna)", "Och för dig?", None),
            ("Deltagare 2", "Samma sak.", None),
        ],
        [("label-note", 4)],
    ),
    (
        "labels written with a full stop throughout are the file's style",
        FULL_STOP_STYLE,
        {},
        [
            ("I", "Hvordan bor I?", None),
            ("X", "I et rækkehus.", None),
            ("I", "Siden hvornår?", None),
            ("X", "Siden 2010.", None),
            ("I", "Tak.", None),
            ("X", "Selv tak.", None),
        ],
        [],
    ),
    (
        "a known label alone on its line, its time left out",
        OTTER_NO_TIME,
        {},
        [
            ("Intervjuare", "Hur började det?", 2.0),
            ("Lena Berglund", "Med en praktikplats.", 9.0),
            ("Intervjuare", "Och sen?", None),
            ("Lena Berglund", "Sen fick jag jobb.", 30.0),
        ],
        [],
    ),
    (
        "a known label at the start of a wrapped line is text",
        WRAPPED,
        {},
        [
            (
                "RESEARCHER",
                "So here I have PARTICIPANT 12 and PARTICIPANT 3,\nPARTICIPANT 12\nis the one who joined first.",
                19.0,
            ),
            ("PARTICIPANT 12", "Yes, that was me.", 24.0),
        ],
        [],
    ),
    (
        "an Otter header and footer are not talk",
        OTTER_HEADER,
        {},
        [
            ("Intervjuare", "Berätta om ditt arbete.", 2.0),
            ("Lena Berglund", "Jag är arbetskonsulent sedan sex år.", 9.0),
        ],
        [],
    ),
]


@pytest.mark.parametrize(
    ("text", "options", "expected", "doubts"),
    [pytest.param(text, opts, exp, doubts, id=name) for name, text, opts, exp, doubts in CASES],
)
def test_quirk(text: str, options: dict[str, object], expected: Turns, doubts: Doubts) -> None:
    parsed = parse_text(text, **options)  # type: ignore[arg-type]
    assert turns_of(parsed) == expected
    assert doubts_of(parsed) == doubts
    assert parsed.text == text


def test_layout_names_the_shapes_a_file_mixes() -> None:
    assert parse_text(MIXED_SHAPES).layout == "label-colon+tsv"
    assert parse_text(UTTERANCE_IDS).layout == "utterance-ids"
    assert parse_text(PARLIAMENT).layout == "label-colon"


def test_parliamentary_labels_keep_party_and_title_as_attributes() -> None:
    speakers = {s.label: s for s in parse_text(PARLIAMENT).speakers}
    assert speakers["ANNA ANDERSSON BERG"].attributes == (("party", "KD"),)
    assert speakers["PER HOLM"].attributes == (("title", "Statsrådet"), ("party", "S"))
    assert speakers["TALMANNEN"].attributes == ()


def test_doubts_say_what_was_made_of_the_line() -> None:
    parsed = parse_text(SLIPS)
    first = parsed.doubts[0]
    assert (first.kind, first.line, first.text, first.reading) == (
        "slip",
        3,
        "K. Varför då?",
        "a slip for the label K: opens a turn of K",
    )
    note = parse_text(JOINT_AND_NOTES).doubts[0]
    assert note.reading == "opens a turn of Y (the label says: til X)"
    similar = parse_text(SIMILAR).doubts[0]
    assert similar.reading == ("speaker PARTICPANT 2 (1 turn) is spelt almost like PARTICIPANT 2: a typo?")


def _mutants(text: str, seed: int) -> list[str]:
    """The fixture with lines shuffled, cut, doubled, joined and stripped of their colons."""
    rng = random.Random(seed)
    lines = text.split("\n")
    out = []
    for _ in range(25):
        mutated = lines[:]
        for _ in range(rng.randint(1, 4)):
            i = rng.randrange(len(mutated))
            choice = rng.randrange(6)
            if choice == 0:
                rng.shuffle(mutated)
            elif choice == 1:
                mutated[i] = mutated[i][: rng.randrange(len(mutated[i]) + 1)]
            elif choice == 2:
                mutated.insert(i, mutated[i])
            elif choice == 3:
                mutated[i] = mutated[i].replace(":", rng.choice([".", ";", " ", "\t", ""]), 1)
            elif choice == 4 and i + 1 < len(mutated):
                mutated[i : i + 2] = [mutated[i] + rng.choice([" ", "\t", "\u00a0"]) + mutated[i + 1]]
            else:
                mutated[i] = rng.choice(["", " ", "\u00a0", "*0:0 =", "(16.09)", "X.", "[id1]", "I"]) + mutated[i]
        out.append("\n".join(mutated))
    return out


@pytest.mark.parametrize("name", [name for name, *_ in CASES])
def test_mutated_files_give_valid_turns_and_doubts(name: str) -> None:
    """Whatever the shape, turns are ordered, inside the text, trimmed, and doubts name real lines."""
    text = next(t for n, t, *_ in CASES if n == name)
    for mutant in _mutants(text, seed=len(name)):
        if not mutant.strip():
            continue
        parsed = parse_text(mutant)
        end = 0
        for turn in parsed.turns:
            assert end <= turn.span.start < turn.span.end <= len(mutant)
            assert not mutant[turn.span.start].isspace() and not mutant[turn.span.end - 1].isspace()
            end = turn.span.end
        count = mutant.count("\n") + 1
        assert all(d.line is None or 1 <= d.line <= count for d in parsed.doubts)


def test_a_time_range_gives_the_turn_its_end_time_too() -> None:
    parsed = parse_text(SPEAKER_LAST)
    assert [(t.time, t.end_time) for t in parsed.turns] == [(0.0, 7.5), (7.5, 15.2), (15.2, 20.0), (20.0, 31.0)]
