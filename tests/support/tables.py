"""Read what a CLI table shows: a cell of a plain table, and the lines of a table printed on a terminal."""

from __future__ import annotations

import re

from rich.cells import cell_len

ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")

TERMINAL = {"TTY_COMPATIBLE": "1", "NO_COLOR": "1"}
"""What makes the CLI believe it writes to a terminal (Rich's own switch), with the width in COLUMNS."""
PIPE = {"TTY_COMPATIBLE": "0", "FORCE_COLOR": None, "COLUMNS": None}
"""Output redirected: not a terminal, whatever the test runner's environment says."""


def terminal(width: int) -> dict[str, str | None]:
    return {**TERMINAL, "COLUMNS": str(width)}


def shown(output: str) -> str:
    """The output as a reader sees it: escape sequences (bold, dim) removed."""
    return ANSI.sub("", output)


def too_wide(output: str, width: int) -> list[str]:
    """Lines wider than ``width`` terminal cells."""
    return [line for line in shown(output).splitlines() if cell_len(line) > width]


def plain_cell(output: str, row: str, column: str, first: str = "code") -> str:
    """The cell of a plain (piped) table in the row whose first cell is ``row``, under the heading ``column``.

    Cells are two or more spaces apart and at least as wide as their heading, so a cell (left- or
    right-aligned) is the text that overlaps its heading's place.
    """
    lines = output.splitlines()
    header = next(line for line in lines if line.startswith(first + "  "))
    match = re.search(rf"(?:^|(?<=  )){re.escape(column)}(?=  |$)", header)
    assert match is not None, f"no column {column!r} in {header!r}"
    line = next(x for x in lines[lines.index(header) + 1 :] if x == row or x.startswith(row + "  "))
    parts = [
        m.group() for m in re.finditer(r"\S+(?: \S+)*", line) if m.start() < match.end() and m.end() > match.start()
    ]
    return "  ".join(parts)
