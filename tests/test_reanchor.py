"""Spans carried through a corrected text: (old text, new text, span) → where it is now, and whether to doubt it."""

from __future__ import annotations

import random
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mda_coder.core.reanchor import DOUBTFUL, EDITED, GONE, KEPT, Edit, diff, reanchor
from mda_coder.core.spans import Span


def apply(old: str, new: str, edits: list[Edit]) -> str:
    """``old`` with every edit's region replaced by the new text's: must give ``new`` back."""
    out, at = [], 0
    for e in edits:
        out.append(old[at : e.old_start])
        out.append(new[e.new_start : e.new_end])
        at = e.old_end
    out.append(old[at:])
    return "".join(out)


def moved(old: str, new: str, word: str, nth: int = 0) -> tuple[str | None, str]:
    """The text the ``nth`` occurrence of ``word`` in ``old`` is on in ``new``, and its status."""
    start = -1
    for _ in range(nth + 1):
        start = old.index(word, start + 1)
    [result] = reanchor([Span(start, start + len(word))], diff(old, new))
    return (result.new.of(new) if result.new else None), result.status


TABLE = [
    # (old text, new text, the coded words, what they are on afterwards, status)
    ("R1: Jag har tiltro till henne.", "R1: Jag har tilltro till henne.", "tiltro", "tilltro", EDITED),
    ("R1: Jag har tiltro till henne.", "R1: Jag har tiltro till henne.", "tiltro", "tiltro", KEPT),
    (
        "R1: Vi litar på dem. Tilltro är allt.",
        "R1: Ja, vi litar på dem. Tilltro är allt.",
        "Tilltro är allt",
        "Tilltro är allt",
        KEPT,
    ),
    (
        "R1: Tilltro är allt. Sen jobbet.",
        "R1: Tilltro är allt. Sen kommer jobbet.",
        "Tilltro är allt",
        "Tilltro är allt",
        KEPT,
    ),
    # words inserted at the span's edges are new text, not the span's words; letters added to its word are its
    ("R2: Tilltro är allt.", "R2: Ja. Tilltro är allt, säger jag.", "Tilltro är allt", "Tilltro är allt", KEPT),
    ("R2: tilltro och", "R2: tilltrons och", "tilltro", "tilltrons", EDITED),
    ("R2: tilltro", "R2: självtilltro", "tilltro", "självtilltro", EDITED),
    # å, ä, ö are letters like any other; a changed letter is a small edit
    (
        "R3: Det är svårt att få förtroende.",
        "R3: Det är svart att få förtroende.",
        "svårt att få förtroende",
        "svart att få förtroende",
        EDITED,
    ),
    (
        "R3: Öppenhet och ärlighet.",
        "R3: Öppenhet och ärlighet!",
        "Öppenhet och ärlighet",
        "Öppenhet och ärlighet",
        KEPT,
    ),
    # emoji: one code point, or several (a family is joined by zero-width joiners)
    ("R4: Bra 👍 jobbat.", "R4: Bra 👍👍 jobbat.", "jobbat", "jobbat", KEPT),
    ("R4: Familjen 👨‍👩‍👧 kom.", "R4: Familjen 👨‍👩‍👦 kom.", "Familjen 👨‍👩‍👧 kom", "Familjen 👨‍👩‍👦 kom", EDITED),
    # a name replaced (pseudonymisation): a coding of just the name is mostly new text, to review
    ("I: Anna sa att det går bra.", "I: Maria sa att det går bra.", "Anna", "Maria", DOUBTFUL),
    (
        "I: Anna sa att det går bra.",
        "I: Maria sa att det går bra.",
        "Anna sa att det går bra",
        "Maria sa att det går bra",
        EDITED,
    ),
    # a passage re-transcribed: the coding is kept where it was, but doubted
    ("R5: eh mm ja alltså nej.", "R5: det var inte så.", "eh mm ja alltså nej", "det var inte så", DOUBTFUL),
    # the coded words deleted
    ("R6: Ja. Det var fel. Nej.", "R6: Ja. Nej.", "Det var fel.", None, GONE),
]


@pytest.mark.parametrize(("old", "new", "word", "now", "status"), TABLE)
def test_a_coded_span_stays_on_its_words(old: str, new: str, word: str, now: str | None, status: str) -> None:
    assert apply(old, new, diff(old, new)) == new
    assert moved(old, new, word) == (now, status)


def test_the_same_word_twice_each_keeps_its_own_place() -> None:
    old = "R1: tilltro. R2: tilltro. R3: tilltro."
    new = "R1: tilltro. R2: Tilltro! R3: tilltro."
    assert [moved(old, new, "tilltro", n) for n in range(3)] == [
        ("tilltro", KEPT),
        ("Tilltro", EDITED),
        ("tilltro", KEPT),
    ]


def test_a_span_edge_inside_a_replaced_region_takes_the_whole_replacement() -> None:
    old = "R1: Jag tycker alltså att det är bra."
    new = "R1: Jag menar att det är bra."
    start = old.index("alltså")  # the coding begins inside the replaced words
    [result] = reanchor([Span(start, len(old) - 1)], diff(old, new))
    assert result.new is not None and result.new.of(new) == "menar att det är bra"
    assert result.status == EDITED and 0.5 < result.kept < 1.0


def test_untouched_spans_keep_their_text_through_scattered_edits() -> None:
    """Many random corrections in a long text: every span no edit touches has exactly its old text."""
    rng = random.Random(7)
    words = ["tilltro", "jobbfokus", "rättigheter", "handläggaren", "deltagaren", "och", "att", "är", "😀"]
    turns = [f"R{n % 5 + 1}: " + " ".join(rng.choice(words) for _ in range(12)) + "." for n in range(300)]
    old = "\n\n".join(turns) + "\n"
    new_turns = list(turns)
    for n in rng.sample(range(300), 30):
        tokens = new_turns[n].split(" ")
        i = rng.randrange(1, len(tokens))
        tokens[i] = rng.choice(["tiltro", "jobbfokuset", "rattigheter", "", "X"])
        new_turns[n] = " ".join(tokens)
    new = "\n\n".join(new_turns) + "\n"
    edits = diff(old, new)
    assert apply(old, new, edits) == new
    spans = []
    at = 0
    for turn in turns:
        start = old.index(turn, at)
        spans.append(Span(start, start + len(turn)))
        at = start + len(turn)
    results = reanchor(spans, edits)
    for result, turn, changed in zip(results, turns, (t != u for t, u in zip(turns, new_turns))):
        assert result.new is not None
        if changed:
            assert result.status in (EDITED, DOUBTFUL)
        else:
            assert result.status == KEPT and result.new.of(new) == turn


TEXTS = st.lists(st.sampled_from([*"ab åäö\n.,👍", "tilltro", "👨‍👩‍👧"]), max_size=30).map("".join)


@settings(max_examples=300, derandomize=True, deadline=None)
@given(old=TEXTS, new=TEXTS, cuts=st.lists(st.tuples(st.integers(0, 60), st.integers(1, 20)), max_size=6))
def test_any_change_is_described_exactly_and_untouched_spans_keep_their_text(
    old: str, new: str, cuts: list[tuple[int, int]]
) -> None:
    edits = diff(old, new)
    assert apply(old, new, edits) == new
    assert all(a.old_end < b.old_start or a.new_end < b.new_start for a, b in pairwise(edits))
    spans = [Span(s, min(s + n, len(old))) for s, n in cuts if s < len(old)]
    for result in reanchor(spans, edits):
        if result.status == KEPT:
            assert result.new is not None and result.new.of(new) == result.old.of(old)
        elif result.new is not None:
            assert 0 <= result.new.start < result.new.end <= len(new)
            assert 0.0 <= result.kept <= 1.0
