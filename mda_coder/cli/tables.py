"""Tables for people: fitted to the terminal's width, or plain aligned columns in a pipe or a file.

One layout serves every command. On a terminal the table fits its width: numbers are never cut
or wrapped, free text wraps first, then names (a code path breaks after a ``/``); a table whose
numbers alone are wider than the terminal is shown in parts, the row names repeated in each, as
R prints a wide matrix. In a pipe or a file every row is one line, every cell whole, columns
two spaces apart, so that ``grep``, ``sort`` and ``cut`` work on it.

Headings, and a cell that is a word of ours (a ``Phrase``: a doubt's reading, what a log entry
did, a verdict), are said in the interface's language, on a terminal and in a file alike: a file
is read by people too, and a table half in one language would be read by nobody. Names, numbers
and kinds never are. Scripts read ``--json`` or ``--csv``, which are English in every language.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rich.cells import cell_len
from rich.console import Console
from rich.text import Text

from mda_coder.i18n import CLI, REPORTS, Phrase

NUMBER, NAME, TEXT = "number", "name", "text"
GAP = 2
"""Spaces between two columns."""
FLOOR = {NAME: 8, TEXT: 16}
"""The narrowest a name or text column is made (or its heading's longest word, if wider) before the table is split."""
HEADING_FLOOR = 10
"""A number column's heading wraps down to this width (or its widest value) before the table is split."""
NAME_BREAKS = "/_-"
"""A name wraps after these too: ``tilltro/`` ``tvivel``, ``FG3_`` ``Älvdala``."""
_PIECE = re.compile(r"[^ /_-]*[/_-]?")
"""What a heading wraps between: words, and the pieces of a name after ``/ _ -``."""
LONG_WORD = 16
"""A heading's word longer than this may be broken inside it."""
_LINE_BREAK = re.compile(r"[ \t]*\r?\n[ \t]*")


@dataclass(frozen=True, slots=True)
class Column:
    """A column's heading and how it behaves when the table is too wide."""

    name: str
    kind: str = NAME
    """number: right-aligned, its values never cut or wrapped (a long heading may wrap); name: wraps at spaces
    and after ``/ _ -`` once text cannot narrow further; text: free text, wraps first."""


class Word(Phrase):
    """A word of the command line's own in a table's cell (a verdict, ``undefined [1]``), said where the table is printed."""

    catalogue = "cli"


def cell(value: Any) -> Text:
    """A cell as literal text: ``[skratt]`` is a transcriber's mark, not markup; a Text keeps its styles.

    A Phrase is said in the interface's language; any other value is shown as it is.
    """
    if isinstance(value, Text):
        return value.copy()
    if isinstance(value, Phrase):
        return Text(REPORTS.text(value))
    return Text("" if value is None else str(value))


def width_of(text: Text | str) -> int:
    """The widest line, in terminal cells (a CJK character takes two)."""
    plain = text.plain if isinstance(text, Text) else text
    return max((cell_len(line) for line in plain.split("\n")), default=0)


def print_table(
    out: Console,
    columns: Sequence[Column],
    rows: Sequence[Sequence[Any]],
    *,
    title: str | Text | None = None,
    keys: int = 1,
) -> None:
    """Print ``rows`` under ``columns``: fitted to a terminal, plain in a file.

    ``keys`` leading columns name a row; they are repeated in each part of a table too wide to fit.
    """
    cells = [[cell(v) for v in row] for row in rows]
    if title is not None:
        out.print(title if isinstance(title, Text) else Text(title, style="bold"))
    if not out.is_terminal:  # plain text, nothing for Rich to lay out
        out.file.write("".join(line + "\n" for line in plain_lines(columns, cells)))
        return
    parts = _parts(_measure(columns, cells), out.width, keys)
    for n, (chosen, widths) in enumerate(parts):
        if len(parts) > 1:
            shown = chosen[keys:]
            out.print(
                Text(
                    CLI.gettext("columns {first}–{last} of {n}").format(
                        first=shown[0] + 1, last=shown[-1] + 1, n=len(columns)
                    ),
                    style="dim",
                )
            )
        _print_lines(
            out, _terminal_lines([columns[i] for i in chosen], [[row[i] for i in chosen] for row in cells], widths)
        )
        if n + 1 < len(parts):
            out.print()


def _print_lines(out: Console, lines: Sequence[Text], batch: int = 500) -> None:
    """Lines laid out already, printed as they are, a few hundred at a time (a print call per line is slow)."""
    for start in range(0, len(lines), batch):
        out.print(Text("\n").join(lines[start : start + batch]), soft_wrap=True, highlight=False)


# -- a pipe or a file -------------------------------------------------------------------------


def plain_lines(columns: Sequence[Column], cells: Sequence[Sequence[Text]]) -> list[str]:
    """One line per row, each cell whole (a line break inside a cell becomes a space), columns aligned."""
    flat = [[_LINE_BREAK.sub(" ", c.plain) for c in row] for row in cells]
    widths = [max([cell_len(col.name), *(cell_len(row[i]) for row in flat)]) for i, col in enumerate(columns)]
    lines = []
    for row in [[c.name for c in columns], *flat]:
        parts = [_pad(value, w, col.kind == NUMBER) for value, w, col in zip(row, widths, columns)]
        lines.append((" " * GAP).join(parts).rstrip())
    return lines


def _pad(value: str, width: int, right: bool) -> str:
    room = " " * max(width - cell_len(value), 0)
    return room + value if right else value + room


# -- a terminal -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Measure:
    """A column's kind, its width with nothing wrapped, and the narrowest it may be made."""

    kind: str
    natural: int
    floor: int


def _measure(columns: Sequence[Column], cells: Sequence[Sequence[Text]]) -> list[_Measure]:
    """Each column measured once: a split table tries many sets of columns, a big one has many cells."""
    measured = []
    for i, column in enumerate(columns):
        values = max((width_of(row[i]) for row in cells), default=0)
        heading = cell_len(column.name)
        natural = max(heading, values)
        word = max((cell_len(w) for w in _PIECE.findall(column.name)), default=0)
        if column.kind == NUMBER:  # the values stay whole; the heading may wrap
            floor = max(values, min(heading, max(HEADING_FLOOR, min(word, LONG_WORD))))
        else:
            floor = max(FLOOR[column.kind], word)
        measured.append(_Measure(column.kind, natural, min(natural, floor)))
    return measured


def fit(columns: Sequence[Column], cells: Sequence[Sequence[Text]], width: int) -> list[int] | None:
    """Column widths that fit in ``width`` (text narrowed first, then names, then numbers' headings), or None."""
    return _fit(_measure(columns, cells), width)


def _fit(measured: Sequence[_Measure], width: int, least: dict[int, int] | None = None) -> list[int] | None:
    """``least`` raises some columns' floors (a split table's row names keep some room)."""
    widths = [m.natural for m in measured]
    excess = sum(widths) + GAP * (len(widths) - 1) - width
    for kind in (TEXT, NAME, NUMBER):
        floors = {
            i: min(m.natural, max(m.floor, (least or {}).get(i, 0))) for i, m in enumerate(measured) if m.kind == kind
        }
        while excess > 0:
            room = [i for i in floors if widths[i] > floors[i]]
            if not room:
                break
            widest = max(widths[i] for i in room)
            tops = [i for i in room if widths[i] == widest]
            below = max([floors[i] for i in tops] + [widths[i] for i in room if widths[i] < widest])
            step = min(widest - below, -(-excess // len(tops)))  # narrow the widest ones together
            for i in tops:
                if excess > 0:
                    cut = min(step, excess, widths[i] - floors[i])
                    widths[i] -= cut
                    excess -= cut
    return widths if excess <= 0 else None


def _parts(measured: Sequence[_Measure], width: int, keys: int) -> list[tuple[list[int], list[int]]]:
    """The whole table if it fits; else parts of as many columns as fit, each led by the ``keys`` columns.

    A terminal too narrow even for that gets each column at its floor: lines longer than the
    terminal rather than a cut number.
    """
    every = list(range(len(measured)))
    widths = _fit(measured, width)
    if widths is not None or len(measured) <= keys + 1:
        return [(every, widths or [m.floor for m in measured])]
    least = {i: min(measured[i].natural, width // (3 * keys)) for i in range(keys)}  # row names keep a third
    lead = every[:keys]
    parts: list[tuple[list[int], list[int]]] = []
    start = keys
    while start < len(measured):
        end = start + 1
        while (
            end < len(measured) and _fit([measured[i] for i in lead + every[start : end + 1]], width, least) is not None
        ):
            end += 1
        chosen = lead + every[start:end]
        picked = [measured[i] for i in chosen]
        parts.append((chosen, _fit(picked, width, least) or _fit(picked, width) or [m.floor for m in picked]))
        start = end
    return parts


def _terminal_lines(columns: Sequence[Column], cells: Sequence[Sequence[Text]], widths: Sequence[int]) -> list[Text]:
    heading = [Text(c.name, style="bold") for c in columns]
    lines = _row_lines(columns, heading, widths, heading=True)
    lines.append(Text((" " * GAP).join("─" * w for w in widths), style="dim"))
    for row in cells:
        lines += _row_lines(columns, row, widths)
    return lines


def _row_lines(
    columns: Sequence[Column], row: Sequence[Text], widths: Sequence[int], heading: bool = False
) -> list[Text]:
    wrapped = [wrap(value, w, slash=heading or c.kind == NAME) for value, w, c in zip(row, widths, columns)]
    height = max((len(w) for w in wrapped), default=1)
    lines = []
    for n in range(height):
        line = Text()
        for i, (parts, w, c) in enumerate(zip(wrapped, widths, columns)):
            part = parts[n] if n < len(parts) else Text("")
            part.align("right" if c.kind == NUMBER else "left", w)
            if i:
                line.append(" " * GAP)
            line.append_text(part)
        line.rstrip()
        lines.append(line)
    return lines


def wrap(text: Text, width: int, slash: bool = False) -> list[Text]:
    """``text`` in lines of at most ``width`` cells: at spaces, after ``/ _ -`` when ``slash``, mid-word only when
    a word is longer than the line. An indented line (a sub-code under its parent) keeps its indent when it wraps."""
    if "\n" not in text.plain and cell_len(text.plain) <= width:
        return [text.copy()]  # most cells: one line as it is (a copy: lines are padded in place)
    lines: list[Text] = []
    for hard in text.split("\n", allow_blank=True):
        plain = hard.plain
        indent = len(plain) - len(plain.lstrip(" "))
        indent = indent if indent < width // 2 else 0
        start, room = 0, width
        while True:
            end = _line_end(plain, start, room, slash, indent if start == 0 else 0)
            part = hard[start:end]
            part.rstrip()
            lines.append(part if start == 0 else Text(" " * indent) + part)
            start, room = end, width - indent
            while start < len(plain) and plain[start] == " ":
                start += 1
            if start >= len(plain):
                break
    return lines or [Text("")]


def _line_end(plain: str, start: int, width: int, slash: bool, indent: int) -> int:
    """Where the line that begins at ``start`` ends: the last break that fits, else as much as fits."""
    used, end = 0, start
    while end < len(plain) and used + cell_len(plain[end]) <= width:
        used += cell_len(plain[end])
        end += 1
    if end >= len(plain):
        return len(plain)
    if plain[end] == " ":
        return end
    for i in range(end, start + indent, -1):
        if plain[i - 1] == " " or (slash and plain[i - 1] in NAME_BREAKS):
            return i
    return max(end, start + 1)
