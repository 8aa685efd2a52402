"""Word-wrap text into display lines as start offsets: cheap enough to lay out 2,000 turns at once."""

from __future__ import annotations

import re

from rich.cells import cell_len

_PIECE = re.compile(r"[^\s]+[ \t]*|[ \t]+|\n")


def wrap_offsets(text: str, width: int) -> list[int]:
    """Start offsets of the display lines of ``text`` word-wrapped to ``width`` cells.

    Lines break after white space; a newline always breaks; a word longer than the
    width is cut. The first offset is always 0. Line ``i`` covers
    ``text[starts[i]:starts[i + 1]]`` (or to the end), trailing white space included.
    """
    width = max(width, 4)
    if "\t" in text or cell_len(text) != len(text):
        return _wrap_words(text, width)
    # Every character is one cell (all Swedish, Danish, English text): jump a line at a time
    # with str.find/rfind instead of visiting every word, ~10x faster on a long focus group.
    starts = [0]
    start, size = 0, len(text)
    while start < size:
        newline = text.find("\n", start, start + width + 1)
        if newline != -1:
            start = newline + 1
        elif start + width >= size:
            break
        else:
            cut = text.rfind(" ", start, start + width + 1)
            if cut <= start or not text[start:cut].strip():
                start += width  # no room to break: cut the word
            else:
                start = cut + 1
                while start < size and text[start] == " ":
                    start += 1
        if start >= size and (size == 0 or text[-1] != "\n"):
            break
        starts.append(start)
    return starts


def _wrap_words(text: str, width: int) -> list[int]:
    """The word-by-word wrap, measuring cells: for text with wide characters (CJK, emoji) or tabs."""
    starts = [0]
    column = 0
    for match in _PIECE.finditer(text):
        piece = match.group()
        if piece == "\n":
            starts.append(match.end())
            column = 0
            continue
        word = piece.rstrip(" \t")
        size = cell_len(word) if not word.isascii() else len(word)
        if column and column + size > width:
            starts.append(match.start())
            column = 0
        position = match.start()
        while size > width:  # a word wider than the line: cut it
            position += width
            starts.append(position)
            size -= width
        column += size + (len(piece) - len(word))
    return starts
