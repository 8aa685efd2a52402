"""Span arithmetic as tables: half-open ``[start, end)`` ranges of code points (``mda_coder.core.spans``).

Each row is (inputs → expected). Offsets count code points: ``å``, ``ä``, ``ö`` and an emoji are one
each, whatever their size in UTF-8 or UTF-16.
"""

from __future__ import annotations

import pytest

from mda_coder.core.spans import Span, check_span, strip_span

SV = "Hå ä ö😀 slut"
"""Code points: H0 å1 ␠2 ä3 ␠4 ö5 😀6 ␠7 s8 l9 u10 t11 (12 in all; 18 bytes in UTF-8, 13 UTF-16 units)."""


def test_the_swedish_text_is_counted_in_code_points() -> None:
    assert (len(SV), len(SV.encode("utf-8")), len(SV.encode("utf-16-le")) // 2) == (12, 18, 13)


@pytest.mark.parametrize(
    ("start", "end", "length"),
    [
        (0, 1, 1),
        (3, 7, 4),
        (0, 12, 12),
        (1000, 1001, 1),
    ],
)
def test_a_span_is_its_length_in_code_points(start: int, end: int, length: int) -> None:
    span = Span(start, end)
    assert (span.start, span.end, len(span)) == (start, end, length)


@pytest.mark.parametrize(
    ("start", "end"),
    [
        (0, 0),  # empty
        (5, 5),  # empty, not at the start
        (6, 5),  # reversed
        (-1, 3),  # before the text
        (-3, -1),
    ],
)
def test_an_empty_reversed_or_negative_span_is_refused(start: int, end: int) -> None:
    with pytest.raises(ValueError, match=rf"invalid span \[{start}, {end}\)"):
        Span(start, end)


@pytest.mark.parametrize(
    ("a", "b", "overlaps", "a_contains_b", "b_contains_a", "intersection", "cover"),
    [
        # identical
        ((2, 5), (2, 5), True, True, True, (2, 5), (2, 5)),
        # touching: they share no code point
        ((0, 3), (3, 6), False, False, False, None, (0, 6)),
        ((3, 6), (0, 3), False, False, False, None, (0, 6)),
        # apart
        ((0, 2), (4, 6), False, False, False, None, (0, 6)),
        # partly overlapping, in both orders
        ((0, 4), (2, 6), True, False, False, (2, 4), (0, 6)),
        ((2, 6), (0, 4), True, False, False, (2, 4), (0, 6)),
        # nested: strictly inside, and sharing the start or the end
        ((0, 10), (3, 5), True, True, False, (3, 5), (0, 10)),
        ((3, 5), (0, 10), True, False, True, (3, 5), (0, 10)),
        ((0, 10), (0, 4), True, True, False, (0, 4), (0, 10)),
        ((0, 10), (6, 10), True, True, False, (6, 10), (0, 10)),
        # one code point
        ((4, 5), (4, 5), True, True, True, (4, 5), (4, 5)),
        ((4, 5), (5, 6), False, False, False, None, (4, 6)),
        ((0, 10), (9, 10), True, True, False, (9, 10), (0, 10)),
    ],
)
def test_two_spans(
    a: tuple[int, int],
    b: tuple[int, int],
    overlaps: bool,
    a_contains_b: bool,
    b_contains_a: bool,
    intersection: tuple[int, int] | None,
    cover: tuple[int, int],
) -> None:
    first, second = Span(*a), Span(*b)
    assert first.overlaps(second) is overlaps
    assert second.overlaps(first) is overlaps  # symmetric
    assert first.contains(second) is a_contains_b
    assert second.contains(first) is b_contains_a
    assert first.intersection(second) == (Span(*intersection) if intersection else None)
    assert second.intersection(first) == first.intersection(second)
    assert first.cover(second) == Span(*cover) == second.cover(first)


@pytest.mark.parametrize(
    ("span", "delta", "expected"),
    [
        ((2, 5), 0, (2, 5)),
        ((2, 5), 3, (5, 8)),
        ((2, 5), -2, (0, 3)),
    ],
)
def test_shifted(span: tuple[int, int], delta: int, expected: tuple[int, int]) -> None:
    assert Span(*span).shifted(delta) == Span(*expected)


def test_shifting_before_the_start_is_refused() -> None:
    with pytest.raises(ValueError, match="need 0 <= start < end"):
        Span(2, 5).shifted(-3)


@pytest.mark.parametrize(
    ("span", "expected"),
    [
        ((0, 2), "Hå"),
        ((1, 2), "å"),
        ((3, 6), "ä ö"),
        ((6, 7), "😀"),  # an emoji is one code point (two UTF-16 units, four UTF-8 bytes)
        ((5, 8), "ö😀 "),
        ((8, 12), "slut"),
        ((10, 20), "ut"),  # past the end: the slice stops at the text's end, as str slicing does
    ],
)
def test_of_slices_by_code_point(span: tuple[int, int], expected: str) -> None:
    assert Span(*span).of(SV) == expected


def test_spans_order_by_start_then_end() -> None:
    spans = [Span(3, 4), Span(0, 9), Span(3, 4), Span(0, 2), Span(2, 12)]
    assert sorted(spans) == [Span(0, 2), Span(0, 9), Span(2, 12), Span(3, 4), Span(3, 4)]


def test_a_span_is_a_frozen_value() -> None:
    span = Span(1, 2)
    with pytest.raises(AttributeError):
        span.start = 0  # type: ignore[misc]  # the point of the test: assignment is refused
    assert {Span(1, 2), Span(1, 2), Span(1, 3)} == {Span(1, 2), Span(1, 3)}


@pytest.mark.parametrize(
    ("start", "end", "length", "expected"),
    [
        (0, 12, 12, (0, 12)),  # the whole text
        (6, 7, 12, (6, 7)),  # the emoji
        (11, 12, 12, (11, 12)),  # the last code point
    ],
)
def test_check_span_accepts_a_span_inside_the_text(
    start: int, end: int, length: int, expected: tuple[int, int]
) -> None:
    assert check_span(start, end, length) == Span(*expected)


@pytest.mark.parametrize(
    ("start", "end", "length"),
    [
        (0, 13, 12),  # one past the end (13 would be the UTF-16 length of SV)
        (12, 13, 12),
        (-1, 3, 12),
        (4, 4, 12),  # empty
        (5, 4, 12),  # reversed
        (0, 1, 0),  # an empty text holds no span
    ],
)
def test_check_span_refuses_in_one_message_for_the_user(start: int, end: int, length: int) -> None:
    with pytest.raises(ValueError) as refused:
        check_span(start, end, length)
    assert str(refused.value) == f"span {start}-{end} is not inside the text (0-{length}) or is empty"


@pytest.mark.parametrize(
    ("text", "start", "end", "expected"),
    [
        ("Hej då", 0, 6, (0, 6)),  # nothing to strip
        ("  Hej  ", 0, 7, (2, 5)),  # both ends
        ("  Hej", 0, 5, (2, 5)),  # the start only
        ("Hej  ", 0, 5, (0, 3)),  # the end only
        ("\t\n å \r\n", 0, 7, (3, 4)),  # tabs, newlines, CR
        ("\u00a0ö\u2003", 0, 3, (1, 2)),  # no-break space and em space are white space too
        ("a 😀 b", 1, 4, (2, 3)),  # the emoji is one code point
        (" 😀", 0, 2, (1, 2)),
        ("x  mitt i  y", 1, 11, (3, 9)),  # only the span's own ends, inside a longer text
        ("ett två", 0, 7, (0, 7)),  # white space inside is kept
        ("   ", 0, 3, None),  # nothing but white space
        ("a \n b", 1, 4, None),
        ("abc", 1, 1, None),  # already empty
        ("abc", 2, 1, None),  # reversed: nothing left
    ],
)
def test_strip_span(text: str, start: int, end: int, expected: tuple[int, int] | None) -> None:
    stripped = strip_span(text, start, end)
    assert stripped == (Span(*expected) if expected else None)
    if stripped is not None:
        assert stripped.of(text) == text[start:end].strip()
        assert Span(start, end).contains(stripped)
