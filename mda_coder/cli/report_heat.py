"""The terminal heatmap of a report (``--heat``) and what the pictures call their values.

A heatmap in the terminal is the table with each cell's background shaded on the same scale as
the SVG/PNG (`export.report_grid`), the numbers kept in the cells, and a legend of the scale under
it. It is asked for with ``--heat`` rather than drawn by default: the plain table is what people
copy into notes and what screen readers read, and colour is lost in a pipe anyway.
"""

from __future__ import annotations

from rich.style import Style
from rich.text import Text

from mda_coder.cli.output import console, say
from mda_coder.cli.tables import NAME, NUMBER, Column, Word, print_table
from mda_coder.core.errors import MdaError
from mda_coder.export import report_shades as shades
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
from mda_coder.i18n import REPORTS


def picture_terms(
    kind: str, measure: str | None, values: str | None, unit: str | None
) -> tuple[str | None, float | None, float | None]:
    """The scale's terms for ``--plot``/``--heat``, or a one-line error for the list of pairs, which has no picture."""
    if kind == "cooccurrence" and measure is None:
        raise MdaError(NO_PAIRS_PICTURE)
    return shades.picture_terms(kind, measure, values, unit)


def print_heat(cells: Grid, facts: tuple[str, ...]) -> None:
    """The grid as a table with shaded cells, the reasons for undefined cells, and a legend of the scale."""
    out = console()
    say(out, Text(REPORTS.text(cells.title), style="bold"))
    for fact in facts:
        say(out, REPORTS.text(fact))
    of = scale(cells)
    reasons = {reason: i + 1 for i, reason in enumerate(cells.reasons())}
    rows = []
    for name, row, marks in zip(cells.rows, cells.cells, cells.marks):
        shown: list[Text | str] = [name]  # a Phrase, such as (no group), is said
        for value, mark in zip(row, marks):
            if isinstance(value, float):
                rgb = colour(value, of)
                ink = "#ffffff" if dark(rgb) else "#000000"
                shown.append(
                    Text(
                        label(value, cells, precise=True) + mark, style=Style(color=ink, bgcolor=shades.hex_colour(rgb))
                    )
                )
            elif isinstance(value, Undefined):
                said = REPORTS.text(Word("undefined [{mark}]", mark=reasons[value.reason]))
                shown.append(Text(said, style=Style(color="#000000", bgcolor=UNDEFINED_COLOUR)))
            else:
                shown.append("")
        rows.append(shown)
    print_table(out, [Column("", NAME), *(Column(REPORTS.text(col), NUMBER) for col in cells.columns)], rows)
    say(out, shades.legend(cells))
    for reason, number in reasons.items():
        say(out, f"[{number}] {REPORTS.text(reason)}")
    for note in cells.notes:
        say(out, Text(REPORTS.text(note), style="dim"))
