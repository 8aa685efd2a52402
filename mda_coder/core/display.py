"""How values are shown to people, the same in the CLI, the TUI and exports: clock times and one-line excerpts."""

from __future__ import annotations


def clock(seconds: float | None) -> str:
    """``HH:MM:SS`` from seconds into a recording; ``""`` when there is no time."""
    if seconds is None:
        return ""
    total = int(seconds)
    return f"{total // 3600:02d}:{total % 3600 // 60:02d}:{total % 60:02d}"


def one_line(text: str, limit: int) -> str:
    """``text`` on one line (white space folded), cut to ``limit`` characters with ``…``."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
