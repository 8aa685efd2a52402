"""The size checks every transcript's text passes, from a file, a Word or PDF file, or a source inside a ``.qdpx``.

A text longer than :data:`~limits.MAX_TEXT_CHARS` or with a line past :data:`~limits.MAX_LINE_CHARS`
is refused before the layout reader and spaCy see it; a text file's lines are measured while it
is read in pieces, before it is read whole. The limits are read when a check runs, so that a
test can lower them.
"""

from __future__ import annotations

from pathlib import Path

from mda_coder.core.errors import InputError
from mda_coder.i18n import Message
from mda_coder.ingest import limits

SCAN_PIECE = 1024 * 1024
"""Bytes of a text file read at a time while its lines are measured."""
_LINE_ENDS = (b"\n", b"\r")


def scan_lines(path: Path) -> None:
    """Refuse a text file with a line past :data:`~limits.MAX_LINE_CHARS` while reading it in pieces.

    Lines are counted in bytes, four to a character (UTF-8's and UTF-32's most), so that no line
    :func:`sized` would take is refused here; a 50 MB line is refused after 16 MB are read.
    """
    limit = 4 * limits.MAX_LINE_CHARS
    run = 0
    line = 1
    with path.open("rb") as stream:
        while piece := stream.read(SCAN_PIECE):
            first = min((i for i in (piece.find(end) for end in _LINE_ENDS) if i >= 0), default=-1)
            if first < 0:
                run += len(piece)
            else:
                run += first
                if run <= limit:
                    line += piece.count(b"\n") or piece.count(b"\r")
                    run = len(piece) - 1 - max(piece.rfind(end) for end in _LINE_ENDS)
            if run > limit:
                raise InputError(Message("{path}: {error}", path=str(path), error=long_line(line)))


def long_line(line: int) -> Message:
    return Message(
        "line {line} is longer than {limit} characters: refused (is this a transcript?)",
        line=line,
        limit=format(limits.MAX_LINE_CHARS, ","),
    )


def sized(text: str) -> str:
    """``text``, or a refusal when it is more than one document should hold, or has a line past the limit."""
    if len(text) > limits.MAX_TEXT_CHARS:
        raise InputError(
            Message(
                "holds {n} characters of text; the limit is {limit} (split it into several transcripts)",
                n=format(len(text), ","),
                limit=format(limits.MAX_TEXT_CHARS, ","),
            )
        )
    if len(text) > limits.MAX_LINE_CHARS:
        start, line = 0, 1
        while start <= len(text):
            end = text.find("\n", start)
            end = len(text) if end < 0 else end
            if end - start > limits.MAX_LINE_CHARS:
                raise InputError(long_line(line))
            start, line = end + 1, line + 1
    return text
