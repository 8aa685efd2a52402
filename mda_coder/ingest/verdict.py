"""When a transcript's guesses add up to a file someone must check: the ``guessed`` mark."""

from __future__ import annotations

from dataclasses import replace

from mda_coder.core.transcript import ParsedTranscript

DOUBT_SHARE = 0.02
"""Share of a file's lines in doubt above which the whole document is marked *guessed*.

One slip in a 600-line interview is a line to check; one line in fifty means the reader
may have misjudged the file's layout itself.
"""


def doubtful_lines(parsed: ParsedTranscript) -> int:
    """Distinct lines with a doubt, each doubt about no particular line counted once."""
    lines = {d.line for d in parsed.doubts if d.line is not None}
    return len(lines) + sum(1 for d in parsed.doubts if d.line is None)


def judged(parsed: ParsedTranscript) -> ParsedTranscript:
    """``parsed``, marked guessed when more than a small share of its lines are in doubt."""
    if parsed.guessed or not parsed.doubts:
        return parsed
    if doubtful_lines(parsed) > DOUBT_SHARE * max(parsed.lines, 1):
        return replace(parsed, guessed=True)
    return parsed
