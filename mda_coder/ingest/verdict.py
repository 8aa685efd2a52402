"""When a transcript's guesses add up to a file someone must check: the ``guessed`` mark."""

from __future__ import annotations

from dataclasses import replace

from mda_coder.core.transcript import DIRECT_MESSAGE, LEFT_OUT, ParsedTranscript

DOUBT_SHARE = 0.02
"""Share of a file's lines in doubt above which the whole document is marked *guessed*.

One slip in a 600-line interview is a line to check; one line in fifty means the reader
may have misjudged the file's layout itself.
"""


def doubtful_lines(parsed: ParsedTranscript) -> int:
    """Distinct lines with a doubt, each doubt about no particular line counted once."""
    lines = {d.line for d in parsed.doubts if d.line is not None}
    return len(lines) + sum(1 for d in parsed.doubts if d.line is None)


NOT_GUESSES = frozenset({DIRECT_MESSAGE, LEFT_OUT})
"""Doubts that report a fact (a footnote left out, a private message) rather than a guess:
a user should see them, but they say nothing about whether the file was read right."""


def judged(parsed: ParsedTranscript) -> ParsedTranscript:
    """``parsed``, marked guessed when more than a small share of its lines are guesses."""
    if parsed.guessed or not parsed.doubts:
        return parsed
    guesses = replace(parsed, doubts=tuple(d for d in parsed.doubts if d.kind not in NOT_GUESSES))
    if doubtful_lines(guesses) > DOUBT_SHARE * max(parsed.lines, 1):
        return replace(parsed, guessed=True)
    return parsed
