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
from mda_coder.export.report_grid import (
    UNDEFINED_COLOUR,
    Grid,
    colour,
    dark,
    grid,
    label,
    scale,
)
from mda_coder.export.report_tables import ReportTable, Undefined

# The CLI's `cli/report_heat.py` holds these too; the TUI may not import the CLI (the layers contract), so the
# labels and centres are repeated here and a test compares the shading with the grid the export layer builds.
MEASURE_LABELS = {
    "count": "units with both codes",
    "jaccard": "Jaccard (c-coefficient)",
    "dice": "Dice",
    "conditional": "P(column | row)",
    "lift": "lift (1: independent)",
    "phi": "φ (0: independent)",
}
CENTRES = {"phi": (0.0, -1.0), "lift": (1.0, 0.0)}
"""Measures with a neutral value (independence) and a least value: their colours diverge from the first."""
LEGEND_STEPS = 9


def picture_terms(kind: str, measure: str | None, values: str | None,
                  unit: str | None) -> tuple[str | None, float | None, float | None]:
    """The colour bar's label and the scale's centre and floor, as `mda-coder report --plot/--heat` take them."""
    if kind == "cooccurrence" and measure is not None:
        return MEASURE_LABELS[measure], *CENTRES.get(measure, (None, None))
    if kind == "matrix":
        units = f"{unit or 'turn'}s"
        return {"count": f"{units} coded", "row-share": f"share of the code's {units}",
                "unit-share": f"share of the column's {units}"}[values or "count"], None, None
    return None, None, None


@dataclass(frozen=True, slots=True)
class Shading:
    """The background of each shaded table cell, by (row, column) of the table, and the legend under it."""

    styles: dict[tuple[int, int], Style]
    legend: Text
    cells: Grid


def _rgb(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


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
            styles[at] = Style(color="#ffffff" if dark(rgb) else "#000000", bgcolor=_rgb(rgb))
        elif isinstance(v, Undefined):
            styles[at] = Style(color="#000000", bgcolor=UNDEFINED_COLOUR, italic=True)
    return Shading(styles, legend(cells), cells)


def legend(cells: Grid) -> Text:
    """``scale: 0 ██…██ 3, white at 1 — lift``: the colours from the lowest value to the highest, both ends named."""
    of = scale(cells)
    text = Text("scale: ")
    text.append(label(of.low, cells, precise=True) + " ")
    for step in range(LEGEND_STEPS):
        at = of.low + (of.high - of.low) * step / (LEGEND_STEPS - 1)
        text.append("██", style=Style(color=_rgb(colour(at, of))))
    text.append(" " + label(of.high, cells, precise=True))
    if of.centre is not None:
        text.append(f", white at {label(of.centre, cells, precise=True)}")
    text.append(f" — {cells.value_label}")
    if cells.reasons():
        text.append("; grey: undefined")
    text.append("  ·  h: shading off", style="dim")
    return text


def shading_or_reason(table: ReportTable, terms: tuple[str | None, float | None, float | None]) -> Shading | str:
    """The shading, or the one line saying why this table has none."""
    try:
        return shading(table, terms)
    except MdaError as exc:
        return str(exc)
