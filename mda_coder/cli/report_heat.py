"""The terminal heatmap of a report (``--heat``) and what the pictures call their values.

A heatmap in the terminal is the table with each cell's background shaded on the same scale as
the SVG/PNG (`export.report_grid`), the numbers kept in the cells, and a legend of the scale under
it. It is asked for with ``--heat`` rather than drawn by default: the plain table is what people
copy into notes and what screen readers read, and colour is lost in a pipe anyway.
"""

from __future__ import annotations

from rich.style import Style
from rich.table import Table
from rich.text import Text

from mda_coder.cli.output import console
from mda_coder.core.errors import MdaError
from mda_coder.export.report_grid import (
    NO_PAIRS_PICTURE,
    UNDEFINED_COLOUR,
    Grid,
    colour,
    dark,
    label,
    scale,
)
from mda_coder.export.report_tables import Undefined

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
    """The colour bar's label, the scale's centre and floor for a report, or a one-line error if it has no picture."""
    if kind == "cooccurrence":
        if measure is None:
            raise MdaError(NO_PAIRS_PICTURE)
        return MEASURE_LABELS[measure], *CENTRES.get(measure, (None, None))
    if kind == "matrix":
        units = f"{unit or 'turn'}s"
        return {"count": f"{units} coded", "row-share": f"share of the code's {units}",
                "unit-share": f"share of the column's {units}"}[values or "count"], None, None
    return None, None, None


def _rgb(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def print_heat(cells: Grid, facts: tuple[str, ...]) -> None:
    """The grid as a table with shaded cells, the reasons for undefined cells, and a legend of the scale."""
    out = console()
    out.print(Text(cells.title, style="bold"))
    for fact in facts:
        out.print(Text(fact))
    of = scale(cells)
    reasons = {reason: i + 1 for i, reason in enumerate(cells.reasons())}
    t = Table(show_edge=False, pad_edge=False, header_style="bold", collapse_padding=True, padding=(0, 1))
    t.add_column(Text(""), no_wrap=True)
    for col in cells.columns:
        t.add_column(Text(col), justify="right", no_wrap=True)
    for name, row, marks in zip(cells.rows, cells.cells, cells.marks):
        shown = [Text(name)]
        for value, mark in zip(row, marks):
            if isinstance(value, float):
                rgb = colour(value, of)
                ink = "#ffffff" if dark(rgb) else "#000000"
                shown.append(Text(label(value, cells, precise=True) + mark, style=Style(color=ink, bgcolor=_rgb(rgb))))
            elif isinstance(value, Undefined):
                shown.append(Text(f"undefined [{reasons[value.reason]}]", style=Style(color="#000000", bgcolor=UNDEFINED_COLOUR)))
            else:
                shown.append(Text(""))
        t.add_row(*shown)
    out.print(t)
    out.print(legend(cells))
    for reason, mark in reasons.items():
        out.print(Text(f"[{mark}] {reason}"))
    for note in cells.notes:
        out.print(Text(note, style="dim"))


def legend(cells: Grid) -> Text:
    """``scale: 0 ███…█ 3 (turns coded)``: the colours from the lowest to the highest value, with both ends named."""
    of = scale(cells)
    text = Text("scale: ")
    text.append(label(of.low, cells, precise=True) + " ")
    for step in range(LEGEND_STEPS):
        value = of.low + (of.high - of.low) * step / (LEGEND_STEPS - 1)
        text.append("██", style=Style(color=_rgb(colour(value, of))))
    text.append(" " + label(of.high, cells, precise=True))
    if of.centre is not None:
        text.append(f", white at {label(of.centre, cells, precise=True)}")
    text.append(f" — {cells.value_label}")
    if cells.reasons():
        text.append("; grey: undefined")
    return text
