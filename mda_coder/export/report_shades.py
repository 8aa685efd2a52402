"""What a report's colours mean, shared by the terminal heatmap (``--heat``), the reports screen and the pictures.

The grid and its colour scale are `export.report_grid`; this module names the scale (the colour
bar's label, the neutral value a diverging scale is white at) and draws its legend line.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from mda_coder.export.report_grid import Grid, colour, label, scale
from mda_coder.i18n import REPORTS, Phrase

_ = REPORTS.gettext

MEASURE_LABELS = {
    "count": Phrase("units with both codes"),
    "jaccard": Phrase("Jaccard (c-coefficient)"),
    "dice": "Dice",
    "conditional": Phrase("P(column | row)"),
    "lift": Phrase("lift (1: independent)"),
    "phi": Phrase("φ (0: independent)"),
}
"""The colour bar's label of each co-occurrence measure (Phrases: a picture says them in the interface's language)."""
UNITS = {"turn": Phrase("turns"), "sentence": Phrase("sentences")}
CENTRES = {"phi": (0.0, -1.0), "lift": (1.0, 0.0)}
"""Measures with a neutral value (independence) and a least value: their colours diverge from the first."""
LEGEND_STEPS = 9


def picture_terms(
    kind: str, measure: str | None, values: str | None, unit: str | None
) -> tuple[str | None, float | None, float | None]:
    """The colour bar's label, the scale's centre and its floor for a report (all None: the grid's defaults).

    The co-occurrence list of pairs (no ``measure``) has no scale of its own; callers that draw
    refuse it (`report_grid.NO_PAIRS_PICTURE`).
    """
    if kind == "cooccurrence" and measure is not None:
        return MEASURE_LABELS[measure], *CENTRES.get(measure, (None, None))
    if kind == "matrix":
        units = UNITS.get(unit or "turn", f"{unit}s")
        return (
            {
                "count": Phrase("{units} coded", units=units),
                "row-share": Phrase("share of the code's {units}", units=units),
                "unit-share": Phrase("share of the column's {units}", units=units),
            }[values or "count"],
            None,
            None,
        )
    return None, None, None


def hex_colour(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def legend(cells: Grid) -> Text:
    """``scale: 0 ██…██ 3, white at 1 — lift``: the colours from the lowest value to the highest, both ends named."""
    of = scale(cells)
    text = Text(_("scale: "))
    text.append(label(of.low, cells, precise=True) + " ")
    for step in range(LEGEND_STEPS):
        at = of.low + (of.high - of.low) * step / (LEGEND_STEPS - 1)
        text.append("██", style=Style(color=hex_colour(colour(at, of))))
    text.append(" " + label(of.high, cells, precise=True))
    if of.centre is not None:
        text.append(", " + _("white at {value}").format(value=label(of.centre, cells, precise=True)))
    text.append(f" — {REPORTS.text(cells.value_label)}")
    if cells.reasons():
        text.append("; " + _("grey: undefined"))
    return text
