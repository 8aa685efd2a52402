"""Timestamps as transcribers and subtitle files write them, read into seconds.

One place knows the clock spellings (``0:12``, ``1:02:33``, ``00:01:23.450``,
``00:01:23,450``, f4's ``#00:01:23-4#``, ``[00:01:23]``, ``(00:01:23)``, ``*1:40 =``, and the
full-stop clocks Danish and Swedish transcribers type: ``*23.15 =``, ``(1.02.10)``, ``00.10.06``)
so that the text, subtitle and docx readers agree on what counts as a time.
"""

from __future__ import annotations

import re

CLOCK = r"(?:\d{1,2}:\d{1,2}:\d{1,2}|\d{1,3}:\d{2})(?:[.,]\d{1,6})?"
"""A bare clock: ``H:M:S`` (padded or not) or ``MM:SS``, with an optional fraction."""

LOOSE_CLOCK = r"(?:\d{1,2}:\d{1,2}(?::\d{1,2})?(?:[.,]\d{1,6})?|\d{1,2}\.\d{2}(?:\.\d{2})?)"
"""Any clock where nothing else could be meant: inside a wrapper, before ``=`` or a tab.

Adds the degenerate ``0:0`` and full-stop clocks (``23.15``, ``1.01.35``) to :data:`CLOCK`;
in running text ``3.15`` is a number, so these are only believed where they are set apart.
"""

DOTTED_CLOCK = r"\d{1,2}\.\d{2}\.\d{2}"
"""``1.16.30``: two full stops make a clock even standing bare before a speaker label."""

WRAPPED_TIMESTAMP = (
    rf"(?:\[[ \t]*{LOOSE_CLOCK}[ \t]*\]"
    rf"|\([ \t]*{LOOSE_CLOCK}[ \t]*\)"
    rf"|#{CLOCK}(?:-\d{{1,3}})?#"
    rf"|\*[ \t]*{LOOSE_CLOCK}[ \t]*=)"
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

STAMP_LINE_RE = re.compile(
    rf"\s*(?:{WRAPPED_TIMESTAMP}|\*[ \t]*{LOOSE_CLOCK}[ \t]*[:=]?"
    rf"|{CLOCK}|{DOTTED_CLOCK})\s*"
)
"""A line holding nothing but a timestamp (``00:05:26``, ``(16.09)``, ``0:02:36.9``, ``*1:40 =``)."""

TIME_PREFIX_RE = re.compile(
    rf"\s*(?P<time>"
    rf"(?P<star>\*[ \t]*{LOOSE_CLOCK}[ \t]*[=:])"
    rf"|(?P<equals>{LOOSE_CLOCK}[ \t]*=)"
    rf"|(?P<wrapped>{WRAPPED_TIMESTAMP})"
    rf"|(?P<colon>{CLOCK}:)(?=\s)"
    rf"|(?P<tab>{LOOSE_CLOCK})(?=\t)"
    rf"|(?P<bare>(?:{CLOCK}|{DOTTED_CLOCK}){_BARE_EDGES[1]})(?=\s)"
    rf")[ \t]*(?:[-–—|][ \t]+)?"
)
"""A time before a speaker label: ``*1:00 =``, ``*1.36.02:``, ``01:08:06 =``, ``[00:01:23]``,
``34:45:``, ``5.00<TAB>``, ``00:12`` or ``1.16.30``, maybe with a dash after it (``00:00:12 - Anna:``).

Every form but ``bare`` is unmistakably a time even with no label after it.
"""

_CLOCK_PARTS = re.compile(
    r"(?:(?P<h>\d{1,2}):(?P<m>\d{1,2}):(?P<s>\d{1,2})|(?P<mm>\d{1,3}):(?P<ss>\d{1,2})"
    r"|(?P<dh>\d{1,2})\.(?P<dm>\d{2})\.(?P<ds>\d{2})|(?P<dmm>\d{1,2})\.(?P<dss>\d{2}))"
    r"(?:[.,](?P<frac>\d{1,6})|-(?P<f4>\d{1,3}))?"
)


_SUBTITLE_CLOCK = re.compile(r"(\d{1,2}):(\d{2}):(\d{2})[.,](\d{1,6})")


def _unwrap(s: str) -> str:
    """The clock inside ``[..]``, ``(..)``, ``#..#``, ``*.. =``, ``*..:``, ``.. =`` or ``..:``."""
    if len(s) >= 2:
        first, last = s[0], s[-1]
        if (first, last) in (("[", "]"), ("(", ")"), ("#", "#")):
            return s[1:-1].strip()
        if first == "*":
            return s[1:].rstrip("=:").strip()
        if last in "=:":
            return s[:-1].strip()
    return s


def parse_timestamp(s: str) -> float | None:
    """Seconds from the start of the recording, or ``None`` when ``s`` is not a timestamp.

    Accepts ``HH:MM:SS`` with an optional ``.mmm`` or ``,mmm`` fraction, unpadded
    ``H:M:S.f`` (``0:0:0.0``), ``MM:SS`` (minutes may exceed 59), full-stop clocks
    (``1.01.35``, ``23.15``), and those clocks wrapped the ways transcribers wrap them.
    Minutes and seconds past 59 inside a longer clock are refused: ``1:75:00`` is a typo,
    not a time.
    """
    fast = _SUBTITLE_CLOCK.fullmatch(s)
    if fast is not None:  # the shape of every subtitle timing: one expression, no unwrapping
        hours, minutes, seconds, fraction = fast.groups()
        if int(minutes) > 59 or int(seconds) > 59:
            return None
        scale: int = 10 ** len(fraction)
        return int(hours) * 3600 + int(minutes) * 60 + int(seconds) + int(fraction) / scale
    m = _CLOCK_PARTS.fullmatch(_unwrap(s.strip()))
    if m is None:
        return None
    if m["h"] is not None or m["dh"] is not None:
        hours = int(m["h"] or m["dh"])
        minutes, seconds = int(m["m"] or m["dm"]), int(m["s"] or m["ds"])
        if minutes > 59:
            return None
    elif m["mm"] is not None:
        hours, minutes, seconds = 0, int(m["mm"]), int(m["ss"])
    else:
        hours, minutes, seconds = 0, int(m["dmm"]), int(m["dss"])
        if minutes > 59:  # ``75.30`` is a number, not a full-stop clock
            return None
    if seconds > 59:
        return None
    fraction = m["frac"] or m["f4"]
    total = float(hours * 3600 + minutes * 60 + seconds)
    if fraction:
        total += int(fraction) / 10 ** len(fraction)
    return total


_RANGE = re.compile(rf"\s*(?P<start>{LOOSE_CLOCK})\s*[-–]\s*(?P<end>{LOOSE_CLOCK})\s*")


def parse_time_range(s: str) -> tuple[float, float] | None:
    """``(start, end)`` of a cell like NVivo's ``0:00.0 - 0:05.3``, or None."""
    m = _RANGE.fullmatch(s)
    if m is None:
        return None
    start, end = parse_timestamp(m["start"]), parse_timestamp(m["end"])
    if start is None or end is None or end < start:
        return None
    return start, end
