"""Legends in the shapes transcribers write them: who the labels are, and what role each has."""

from __future__ import annotations

import pytest

from mda_coder.ingest.text import parse_text

ONE_LINE = """\
Interview 5
I1: Interviewer 1, I2: Interviewer 2; X: Informant

I1: Hvor bor I henne?
X: I en lejlighed.
I2: Hvor længe?
X: Fem år.
"""

EQUALS_ONE_LINE = """\
I = interviewer, X = informant, Y = informant

I: Hvem betaler regningerne?
X: Det gør jeg.
Y: Vi deler.
"""

EQUALS_LINES = """\
Interview 9

I = interviewer
Y = informant
X = informant

I: Hvordan går det med varmen?
Y: Fint.
X: Lidt koldt om morgenen.
"""

PARENTHESES = """\
Interviewer (I)  Informant (X)

I: How long have you lived here?
X: Since the spring.
"""

MAN_NOT_MODERATOR = """\
I1: Interviewer 1
M: Mand
K: Kvinde

I1: Hvem laver mad?
M: Det gør jeg mest.
K: Det passer.
"""

INLINE_HEADING = """\
Fokusgrupp 2, Arbetsmarknadsenheten
Deltagare: Moderator (M), arbetskonsulent (A), handläggare (H)

M: Välkomna hit.
A: Tack.
H: Ja, tack.
"""

MISMATCH = """\
I = Interviewer; X1 = Informant

I1: Hvad laver du?
X: Jeg er pædagog.
I1: Og før det?
X: Studerende.
"""

OTTER = """\
Samtal 4
SPEAKERS
Lena Berglund, Intervjuare

Intervjuare  00:02
Hur länge har du jobbat här?

Lena Berglund  00:06
Sedan 2019.
"""


@pytest.mark.parametrize(
    ("text", "legend", "roles"),
    [
        pytest.param(
            ONE_LINE,
            "line 2",
            {"I1": "moderator", "I2": "moderator", "X": "Informant"},
            id="several entries on one line",
        ),
        pytest.param(
            EQUALS_ONE_LINE,
            "line 1",
            {"I": "moderator", "X": "informant", "Y": "informant"},
            id="equals signs on one line",
        ),
        pytest.param(
            EQUALS_LINES,
            "lines 3–5",
            {"I": "moderator", "Y": "informant", "X": "informant"},
            id="equals signs a line each",
        ),
        pytest.param(
            PARENTHESES, "line 1", {"I": "moderator", "X": "Informant"}, id="descriptions with the label in parentheses"
        ),
        pytest.param(
            MAN_NOT_MODERATOR,
            "lines 1–3",
            {"I1": "moderator", "M": "Mand", "K": "Kvinde"},
            id="the legend's role beats a guess from the label",
        ),
        pytest.param(
            INLINE_HEADING,
            "line 2",
            {"M": "moderator", "A": "arbetskonsulent", "H": "handläggare"},
            id="a heading with its entries on the same line",
        ),
        pytest.param(
            OTTER, "lines 2–3", {"Lena Berglund": None, "Intervjuare": "moderator"}, id="Otter's list of speakers"
        ),
    ],
)
def test_legend_gives_roles_and_is_not_talk(text: str, legend: str, roles: dict[str, str | None]) -> None:
    parsed = parse_text(text)
    assert f"{legend} read as a legend, not as turns" in parsed.warnings
    assert {s.label: s.role for s in parsed.speakers} == roles
    legend_words = {"Interviewer 1", "Mand", "Kvinde", "interviewer", "informant", "Informant"}
    assert not any(parsed.text[t.span.start : t.span.end] in legend_words for t in parsed.turns)
    assert parsed.doubts == ()


def test_legend_labels_that_differ_from_the_text_are_reported_both_ways() -> None:
    parsed = parse_text(MISMATCH)
    readings = [(d.kind, d.line, d.reading) for d in parsed.doubts]
    assert readings == [
        ("not-in-legend", 1, "legend label I never speaks (the text has I1, X)"),
        ("not-in-legend", 1, "legend label X1 never speaks (the text has I1, X)"),
        ("not-in-legend", 3, "speaker I1 is not in the legend (2 turns)"),
        ("not-in-legend", 4, "speaker X is not in the legend (2 turns)"),
    ]
    assert [t.speaker for t in parsed.turns] == ["I1", "X", "I1", "X"]
