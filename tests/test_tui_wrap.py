"""Word wrapping for the transcript view: offsets that cover the text exactly, breaking at spaces."""

from __future__ import annotations

import pytest

from mda_coder.tui.wrap import wrap_offsets


def lines(text: str, width: int) -> list[str]:
    starts = wrap_offsets(text, width)
    return [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)])]


@pytest.mark.parametrize(
    ("text", "width", "expected"),
    [
        ("Vi måste tro på dem.", 40, ["Vi måste tro på dem."]),
        (
            "Vi måste tro på dem, annars händer ingenting.",
            20,
            ["Vi måste tro på dem, ", "annars händer ", "ingenting."],
        ),
        ("Rad ett\nrad två", 40, ["Rad ett\n", "rad två"]),
        ("arbetsmarknadsutbildningsinsatserna", 10, ["arbetsmark", "nadsutbild", "ningsinsat", "serna"]),
        ("", 10, [""]),
    ],
)
def test_wrap_breaks_at_spaces_and_covers_the_text(text: str, width: int, expected: list[str]) -> None:
    assert lines(text, width) == expected
    assert "".join(lines(text, width)) == text


def test_no_line_is_wider_than_the_width() -> None:
    text = "Tilltro är inte något man har en gång för alla, det måste byggas upp i varje möte. " * 20
    for line in lines(text, 33):
        assert len(line.rstrip()) <= 33


def test_fast_wrap_agrees_with_the_word_by_word_wrap() -> None:
    import random

    from mda_coder.tui.wrap import _wrap_words

    rng = random.Random(7)
    words = [
        "vi",
        "måste",
        "tro",
        "på",
        "deltagaren,",
        "annars",
        "händer",
        "ingenting.",
        "arbetsmarknadsutbildningarna",
        "[skratt]",
        "…",
    ]
    for _ in range(3000):
        parts = []
        for _ in range(rng.randint(0, 40)):
            parts.append(rng.choice(words))
            parts.append(rng.choice([" ", " ", " ", "  ", "\n", " \n"]))
        text = "".join(parts).rstrip(" ") if rng.random() < 0.7 else "".join(parts)
        width = rng.randint(4, 60)
        assert wrap_offsets(text, width) == _wrap_words(text, width), (text, width)
