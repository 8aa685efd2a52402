"""Heatmap shading for the reports screen: each table cell's background on the scale `mda-coder report --heat` uses.

The colours come from `export.report_grid` (the grid and scale the terminal and the pictures
share). The grid of a per-coder frequency table or of sequences is pivoted (code × coder,
from × to); here each grid cell is put back on the table row it came from, so the table keeps
its rows and enter on a shaded cell still lists the excerpts behind it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.style import Style
from rich.text import Text

from mda_coder.core.errors import MdaError
from mda_coder.export import report_shades as shades
from mda_coder.export.report_grid import (
    UNDEFINED_COLOUR,
    Grid,
    colour,
    dark,
    grid,
    scale,
)
from mda_coder.export.report_tables import ReportTable, Undefined
from mda_coder.i18n import TUI


@dataclass(frozen=True, slots=True)
class Shading:
    """The background of each shaded table cell, by (row, column) of the table, and the legend under it."""

    styles: dict[tuple[int, int], Style]
    legend: Text
    cells: Grid


def _keys(table: ReportTable, cells: Grid) -> dict[tuple[int, int], tuple[str, str]]:
    """Which grid cell (row label, column label) each table cell shows."""
    columns = table.columns
    if table.kind == "sequences":
        at = columns.index("transitions")
        return {(r, at): (str(row[0]), str(row[1])) for r, row in enumerate(table.rows)}
    if table.kind == "frequencies" and len(columns) > 1 and columns[1] == "coder":
        at = columns.index(columns[3])
        return {(r, at): (str(row[0]), str(row[1])) for r, row in enumerate(table.rows)}
    return {(r, c): (str(row[0]), columns[c]) for r, row in enumerate(table.rows) for c in range(1, len(columns))}


def shading(table: ReportTable, terms: tuple[str | None, float | None, float | None]) -> Shading:
    """The shading of ``table``; a one-line `MdaError` for a table without a picture (the list of pairs)."""
    cells = grid(table, *terms)
    of = scale(cells)
    value = {(rl, cl): v for rl, row in zip(cells.rows, cells.cells) for cl, v in zip(cells.columns, row)}
    styles: dict[tuple[int, int], Style] = {}
    for at, key in _keys(table, cells).items():
        if key not in value:
            continue
        v = value[key]
        if isinstance(v, float):
            rgb = colour(v, of)
            styles[at] = Style(color="#ffffff" if dark(rgb) else "#000000", bgcolor=shades.hex_colour(rgb))
        elif isinstance(v, Undefined):
            styles[at] = Style(color="#000000", bgcolor=UNDEFINED_COLOUR, italic=True)
    return Shading(styles, legend(cells), cells)


def legend(cells: Grid) -> Text:
    text = shades.legend(cells)
    text.append("  ·  " + TUI.gettext("h: shading off"), style="dim")
    return text


def shading_or_reason(table: ReportTable, terms: tuple[str | None, float | None, float | None]) -> Shading | str:
    """The shading, or the one line saying why this table has none."""
    try:
        return shading(table, terms)
    except MdaError as exc:  # the message itself, so that a Phrase can be said in the interface's language
        return exc.args[0] if exc.args and isinstance(exc.args[0], str) else str(exc)
