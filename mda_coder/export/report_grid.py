"""A report table as a grid of numbers with a colour scale, the shape both the terminal heatmap and the picture files draw.

The pictures and the terminal must agree on what a cell is and what colour it gets, so the
pivoting (sequences into from × to, per-coder frequencies into code × coder), the margins left
out of a matrix, and the colour anchors live here, free of matplotlib and rich.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mda_coder.core.errors import MdaError
from mda_coder.export.report_tables import Cell, Marked, ReportTable, Undefined
from mda_coder.i18n import Phrase

SEQUENTIAL = ("#f7fbff", "#c6dbef", "#6baed6", "#2171b5", "#08306b")
"""Light to dark blue (ColorBrewer Blues): more is darker, and it stays readable in greyscale print."""
DIVERGING = ("#2166ac", "#92c5de", "#f7f7f7", "#f4a582", "#b2182b")
"""Blue below the centre, red above (ColorBrewer RdBu reversed): for φ around 0 and lift around 1."""
UNDEFINED_COLOUR = "#bdbdbd"
"""Grey for a cell whose statistic is undefined: visibly not a number, never mistaken for 0."""
NO_PAIRS_PICTURE = Phrase(
    "no picture for the list of pairs: add --measure (count, jaccard, dice, conditional, lift or phi) "
    "for a code × code table"
)


@dataclass(frozen=True, slots=True)
class Grid:
    """Rows × columns of numbers; a cell is a float, ``None`` (no value there, drawn blank) or `Undefined` (grey)."""

    title: str
    rows: tuple[str, ...]
    columns: tuple[str, ...]
    cells: tuple[tuple[float | Undefined | None, ...], ...]
    marks: tuple[tuple[str, ...], ...]
    """A mark per cell (``*`` for a skewed pair), kept next to the number."""
    value_label: str
    share: bool = False
    """Values are shares from 0 to 1, written as percentages."""
    centre: float | None = None
    """The neutral value of a diverging measure (0 for φ, 1 for lift); None: a sequential scale from 0."""
    floor: float | None = None
    """The least value the measure can take (−1 for φ, 0 for lift): a diverging scale stops there."""
    integers: bool = False
    notes: tuple[str, ...] = ()

    def numbers(self) -> list[float]:
        return [c for row in self.cells for c in row if isinstance(c, float)]

    def reasons(self) -> list[str]:
        """The reasons of the undefined cells, each once, in order of appearance."""
        return list(dict.fromkeys(c.reason for row in self.cells for c in row if isinstance(c, Undefined)))


@dataclass(frozen=True, slots=True)
class Scale:
    """Where the colours run from and to: [low, high], with the centre colour at ``centre`` on a diverging scale."""

    low: float
    high: float
    centre: float | None = None

    def position(self, value: float) -> float:
        """0 to 1 along the colour anchors."""
        if self.centre is None:
            return 0.0 if self.high <= self.low else min(1.0, max(0.0, (value - self.low) / (self.high - self.low)))
        if value >= self.centre:
            span = self.high - self.centre
            return 0.5 if span <= 0 else min(1.0, 0.5 + 0.5 * (value - self.centre) / span)
        span = self.centre - self.low
        return 0.5 if span <= 0 else max(0.0, 0.5 - 0.5 * (self.centre - value) / span)

    def anchors(self) -> tuple[str, ...]:
        return SEQUENTIAL if self.centre is None else DIVERGING


def scale(grid: Grid) -> Scale:
    """Sequential from 0 to the largest value; diverging symmetric about the centre, so equal distances look equal,
    but never below the measure's floor (lift 0 to 3 runs blue at 0, white at 1, red at 3)."""
    values = grid.numbers()
    if grid.centre is None:
        high = max(values, default=0.0)
        return Scale(0.0, high if high > 0 else 1.0)
    reach = max((abs(v - grid.centre) for v in values), default=0.0) or 1.0
    low = grid.centre - reach if grid.floor is None else max(grid.floor, grid.centre - reach)
    return Scale(low, grid.centre + reach, grid.centre)


def colour(value: float, of: Scale) -> tuple[int, int, int]:
    """The RGB colour of a value, interpolated linearly between the scale's anchors."""
    anchors = [_rgb(a) for a in of.anchors()]
    at = of.position(value) * (len(anchors) - 1)
    i = min(math.floor(at), len(anchors) - 2)
    t = at - i
    red, green, blue = (round(a + (b - a) * t) for a, b in zip(anchors[i], anchors[i + 1]))
    return red, green, blue


def dark(rgb: tuple[int, int, int]) -> bool:
    """Whether white text reads better than black on this background (relative luminance, WCAG)."""

    def linear(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.04045 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b < 0.179


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return int(hex_colour[1:3], 16), int(hex_colour[3:5], 16), int(hex_colour[5:7], 16)


def label(value: float, grid: Grid, precise: bool = False) -> str:
    """A cell's number: counts bare, shares in percent, measures to two decimals (three, as in the tables, if precise)."""
    if grid.integers:
        return str(int(value))
    if grid.share:
        return f"{100 * value:.1f}%" if precise else f"{100 * value:.0f}%"
    return f"{value:.3f}" if precise else f"{value:.2f}"


def grid(
    table: ReportTable, value_label: str | None = None, centre: float | None = None, floor: float | None = None
) -> Grid:
    """The picture of a report: a co-occurrence measure's code × code table, a matrix without its margins,
    sequences as from × to transitions, frequencies as coded units per code (and coder)."""
    if table.kind == "cooccurrence":
        if table.columns[:2] == ("code_a", "code_b"):
            raise MdaError(NO_PAIRS_PICTURE)
        return _square(table, value_label, centre, floor)
    if table.kind == "matrix":
        return _matrix(table, value_label)
    if table.kind == "sequences":
        return _sequences(table, value_label)
    if table.kind == "frequencies":
        return _frequencies(table, value_label)
    raise MdaError(f"no picture for the {table.kind or 'this'} report")


def _number(cell: Cell) -> tuple[float | Undefined | None, str]:
    if isinstance(cell, Marked):
        return float(cell.value), cell.mark
    if isinstance(cell, Undefined) or cell is None:
        return cell, ""
    if isinstance(cell, bool) or not isinstance(cell, (int, float)):
        raise MdaError(f"no picture for a table with text in its cells ({cell!r})")
    return float(cell), ""


def _cells(
    rows: list[tuple[Cell, ...]],
) -> tuple[tuple[tuple[float | Undefined | None, ...], ...], tuple[tuple[str, ...], ...]]:
    pairs = [[_number(c) for c in row] for row in rows]
    return tuple(tuple(v for v, _ in row) for row in pairs), tuple(tuple(m for _, m in row) for row in pairs)


def _integral(table: ReportTable) -> bool:
    """Counts stay whole numbers: the source table holds numbers, and every one of them is an int."""
    numbers = [
        c for row in table.rows for c in row[1:] if isinstance(c, (int, float, Marked)) and not isinstance(c, bool)
    ]
    return bool(numbers) and all(isinstance(c, int) for c in numbers)


def _square(table: ReportTable, value_label: str | None, centre: float | None, floor: float | None) -> Grid:
    rows = [row[1:] for row in table.rows]
    cells, marks = _cells(rows)
    notes = tuple(n for n in table.notes if n.startswith("*")) if any("*" in m for r in marks for m in r) else ()
    return Grid(
        title=table.title,
        rows=tuple(str(r[0]) for r in table.rows),
        columns=table.columns[1:],
        cells=cells,
        marks=marks,
        value_label=value_label or _measure(table.title),
        centre=centre,
        floor=floor,
        integers=_integral(table),
        notes=notes,
    )


def _matrix(table: ReportTable, value_label: str | None) -> Grid:
    """The last row (every unit of a column) and the last column (a row's total) are margins: left out, they
    would take the whole colour scale."""
    body = [row[1:-1] for row in table.rows[:-1]]
    cells, marks = _cells(body)
    share = bool(table.shares)
    return Grid(
        title=table.title,
        rows=tuple(str(r[0]) for r in table.rows[:-1]),
        columns=table.columns[1:-1],
        cells=cells,
        marks=marks,
        value_label=value_label or (Phrase("share") if share else Phrase("units")),
        share=share,
        integers=not share and _integral(table),
    )


def _sequences(table: ReportTable, value_label: str | None) -> Grid:
    """From × to: the transitions of each pair; a pair the table does not list had none."""
    at = {c: i for i, c in enumerate(table.columns)}
    codes = list(dict.fromkeys(str(c) for row in table.rows for c in (row[at["from"]], row[at["to"]])))
    codes.sort()
    count = {(str(r[at["from"]]), str(r[at["to"]])): r[at["transitions"]] for r in table.rows}
    rows = [tuple(count.get((a, b), 0) for b in codes) for a in codes]
    cells, marks = _cells(rows)
    return Grid(
        title=table.title,
        rows=tuple(codes),
        columns=tuple(codes),
        cells=cells,
        marks=marks,
        value_label=value_label or Phrase("transitions (row: from, column: to)"),
        integers=True,
    )


def _frequencies(table: ReportTable, value_label: str | None) -> Grid:
    """Coded units per code (one column), or per code and coder; a code a coder never used has 0."""
    per_coder = len(table.columns) > 1 and table.columns[1] == "coder"
    unit_column = table.columns[3 if per_coder else 2]
    at = table.columns.index(unit_column)
    if not per_coder:
        cells, marks = _cells([(row[at],) for row in table.rows])
        return Grid(
            title=table.title,
            rows=tuple(str(r[0]) for r in table.rows),
            columns=(unit_column,),
            cells=cells,
            marks=marks,
            value_label=value_label or Phrase("{units} coded", units=unit_column),
            integers=True,
        )
    codes = list(dict.fromkeys(str(r[0]) for r in table.rows))
    coders = sorted(dict.fromkeys(str(r[1]) for r in table.rows))
    units = {(str(r[0]), str(r[1])): r[at] for r in table.rows}
    cells, marks = _cells([tuple(units.get((c, k), 0) for k in coders) for c in codes])
    return Grid(
        title=Phrase("{title} per coder", title=table.title),
        rows=tuple(codes),
        columns=tuple(coders),
        cells=cells,
        marks=marks,
        value_label=value_label or Phrase("{units} coded", units=unit_column),
        integers=True,
    )


def _measure(title: str) -> str:
    """The measure a co-occurrence table's title names (``Code co-occurrence: jaccard`` → ``jaccard``)."""
    if isinstance(title, Phrase) and "measure" in title.values:
        measure: str = title.values["measure"]
        return measure
    return title.split(": ")[-1]
