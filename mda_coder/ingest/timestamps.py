"""Timestamps as transcribers and subtitle files write them, read into seconds.

One place knows the clock spellings (``0:12``, ``1:02:33``, ``00:01:23.450``,
``00:01:23,450``, f4's ``#00:01:23-4#``, ``[00:01:23]``, ``(00:01:23)``, ``*1:40 =``)
so that the text, subtitle and docx readers agree on what counts as a time.
"""

from __future__ import annotations

import re

CLOCK = r"(?:\d{1,2}:\d{1,2}:\d{1,2}|\d{1,3}:\d{2})(?:[.,]\d{1,6})?"
"""A bare clock: ``H:M:S`` (padded or not) or ``MM:SS``, with an optional fraction."""

WRAPPED_TIMESTAMP = (
    rf"(?:\[[ \t]*{CLOCK}[ \t]*\]"
    rf"|\([ \t]*{CLOCK}[ \t]*\)"
    rf"|#{CLOCK}(?:-\d{{1,3}})?#"
    rf"|\*[ \t]*{CLOCK}[ \t]*=)"
)
"""A clock in the wrappers transcribers use: ``[..]``, ``(..)``, f4's ``#..-4#``, ``*.. =``."""

_BARE_EDGES = (r"(?<![\w:.])", r"(?!\d|:\d)")

TIMESTAMP = rf"(?:{WRAPPED_TIMESTAMP}|{_BARE_EDGES[0]}{CLOCK}{_BARE_EDGES[1]})"
"""Any one timestamp as written in a transcript, wrapped or bare.

The bare form refuses to start or end inside a longer run of digits and colons,
so ``R1 00:12: text`` still leaves the label's colon alone.
"""

LONG_TIMESTAMP = (
    rf"(?:{WRAPPED_TIMESTAMP}"
    rf"|{_BARE_EDGES[0]}\d{{1,2}}:\d{{1,2}}:\d{{1,2}}(?:[.,]\d{{1,6}})?{_BARE_EDGES[1]})"
)
"""A timestamp that cannot be a time of day in speech: wrapped, or a bare ``H:M:S``.

Where a timestamp may open an utterance (``R1: [00:01:23] text``), a bare
``10:30`` is more likely said than stamped (``R1: 10:30 har vi möte``).
"""

_CLOCK_PARTS = re.compile(
    r"(?:(?P<h>\d{1,2}):(?P<m>\d{1,2}):(?P<s>\d{1,2})|(?P<mm>\d{1,3}):(?P<ss>\d{2}))"
    r"(?:[.,](?P<frac>\d{1,6})|-(?P<f4>\d{1,3}))?"
)


def _unwrap(s: str) -> str:
    """The clock inside ``[..]``, ``(..)``, ``#..#`` or ``*.. =``, else ``s`` itself."""
    if len(s) >= 2:
        first, last = s[0], s[-1]
        if (first, last) in (("[", "]"), ("(", ")"), ("#", "#")):
            return s[1:-1].strip()
        if first == "*" and last == "=":
            return s[1:-1].strip()
    return s


def parse_timestamp(s: str) -> float | None:
    """Seconds from the start of the recording, or ``None`` when ``s`` is not a timestamp.

    Accepts ``HH:MM:SS`` with an optional ``.mmm`` or ``,mmm`` fraction, unpadded
    ``H:M:S.f`` (``0:0:0.0``), ``MM:SS`` (minutes may exceed 59), and those clocks
    wrapped the ways transcribers wrap them. Minutes and seconds past 59 inside a
    longer clock are refused: ``1:75:00`` is a typo, not a time.
    """
    m = _CLOCK_PARTS.fullmatch(_unwrap(s.strip()))
    if m is None:
        return None
    if m["h"] is not None:
        hours, minutes, seconds = int(m["h"]), int(m["m"]), int(m["s"])
        if minutes > 59:
            return None
    else:
        hours, minutes, seconds = 0, int(m["mm"]), int(m["ss"])
    if seconds > 59:
        return None
    fraction = m["frac"] or m["f4"]
    total = float(hours * 3600 + minutes * 60 + seconds)
    if fraction:
        total += int(fraction) / 10 ** len(fraction)
    return total
