"""Draw a report as a heatmap (or bars, for one column of counts) in an SVG, PNG or PDF file for papers.

matplotlib is imported inside the writers, never at module level: the CLI and the workspace start
without it, and only a ``--plot`` pays its ~0.3 s import. Figures are built on ``Figure`` with the
Agg canvas (no pyplot, so no global figure state and no GUI backend). The SVG keeps its text as
text (``svg.fonttype: none``) so a journal's editor can retype a label, and it is byte-for-byte the
same for the same report (``svg.hashsalt``, no date), so a figure under version control only
changes when the numbers do.
"""

from __future__ import annotations

import os
import textwrap
from dataclasses import replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from mda_coder.core import files
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
from mda_coder.i18n import REPORTS

if TYPE_CHECKING:
    from matplotlib.figure import Figure
    from matplotlib.typing import RcKeyType

_ = REPORTS.gettext

FORMATS = {".svg": "svg", ".png": "png", ".pdf": "pdf"}
ANNOTATE_UP_TO = 20
"""Tables up to 20 × 20 get their numbers written in the cells; larger ones would be unreadable."""
DPI = 200
"""PNG resolution: a 6-inch figure is 1200 pixels wide, enough for print."""
FONT = "DejaVu Sans"
"""Ships with matplotlib and covers å, ä, ö and the Greek φ, so labels never fall back to boxes."""
CHAR = 0.6 / 72
"""Width of an average DejaVu Sans character per point of font size, in inches, for sizing the figure."""
SEQUENTIAL_BAR = "#2171b5"
"""The bars take the dark blue of the heatmaps' scale."""
RC: dict[RcKeyType, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": [FONT],
    "svg.fonttype": "none",
    "svg.hashsalt": "mda-coder",
    "pdf.fonttype": 42,
    "hatch.linewidth": 0.6,
}


def picture_format(path: str | os.PathLike[str]) -> str:
    """The file format from the file name's suffix, or a one-line error naming the file."""
    suffix = Path(path).suffix.lower()
    if suffix not in FORMATS:
        given = f"'{suffix}'" if suffix else "no suffix"
        raise MdaError(f"{path}: cannot tell the picture format from {given}: name it .svg, .png or .pdf")
    return FORMATS[suffix]


def write_picture(
    table: ReportTable,
    path: str | os.PathLike[str],
    *,
    title: str | None = None,
    value_label: str | None = None,
    centre: float | None = None,
    floor: float | None = None,
    force: bool = False,
) -> None:
    """The report's picture: bars for frequencies of one column, a heatmap for everything else."""
    cells = said(grid(table, value_label, centre, floor))
    facts = tuple(REPORTS.text(fact) for fact in table.facts)
    if len(cells.columns) == 1 and table.kind == "frequencies":
        _save(_bars(cells, title or cells.title, facts), path, force)
    else:
        _save(_heatmap(cells, title or cells.title, facts), path, force)


def said(cells: Grid) -> Grid:
    """The grid's words in the interface's language: title, scale, notes, and labels of ours such as ``(no role)``.

    Names from the project (codes, documents, coders) are plain strings and stay as written.
    """
    say = REPORTS.text
    return replace(
        cells,
        title=say(cells.title),
        rows=tuple(say(r) for r in cells.rows),
        columns=tuple(say(c) for c in cells.columns),
        value_label=say(cells.value_label),
        notes=tuple(say(n) for n in cells.notes),
    )


def figure_size(cells: Grid, facts: tuple[str, ...] = ()) -> tuple[float, float]:
    """Width and height in inches: room for the labels, a cell per value, the colour bar and the notes."""
    annotated = _annotated(cells)
    cell = 0.55 if annotated else 0.22
    font = 9.0 if annotated else 7.0
    row_labels = max((len(r) for r in cells.rows), default=1) * font * CHAR + 0.3
    column_labels = max((len(c) for c in cells.columns), default=1) * font * CHAR * 0.75 + 0.3
    width = max(4.5, row_labels + cell * len(cells.columns) + 1.4)
    lines = len(_subtitle(facts, width)) + len(_footnote(cells, width))
    height = max(3.0, 0.5 + 0.16 * lines + cell * len(cells.rows) + column_labels + 0.3)
    return round(width, 2), round(height, 2)


def _annotated(cells: Grid) -> bool:
    return len(cells.rows) <= ANNOTATE_UP_TO and len(cells.columns) <= ANNOTATE_UP_TO


def _subtitle(facts: tuple[str, ...], width: float) -> list[str]:
    return textwrap.wrap(" · ".join(facts), width=max(20, int(0.9 * width / (8 * CHAR)))) if facts else []


def _footnote(cells: Grid, width: float) -> list[str]:
    """Why cells are grey, and what a ``*`` means: a picture must explain itself without the table beside it."""
    chars = max(20, int(0.9 * width / (7.5 * CHAR)))
    lines: list[str] = []
    reasons = cells.reasons()
    if reasons:
        reasons_said = "; ".join(REPORTS.text(reason) for reason in reasons)
        lines += textwrap.wrap(_("Grey, hatched: undefined ({reasons})").format(reasons=reasons_said), width=chars)
    if any(None in row for row in cells.cells):
        lines += textwrap.wrap(_("Blank: no value (a code with itself)"), width=chars)
    for note in cells.notes:
        lines += textwrap.wrap(note, width=chars)
    return lines


def _figure(size: tuple[float, float]) -> Figure:
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=size, layout="constrained")
    FigureCanvasAgg(figure)
    return figure


def _heatmap(cells: Grid, title: str, facts: tuple[str, ...]) -> Figure:
    import matplotlib as mpl
    import numpy as np
    from matplotlib.collections import PatchCollection
    from matplotlib.colors import LinearSegmentedColormap, Normalize, TwoSlopeNorm
    from matplotlib.patches import Rectangle
    from matplotlib.ticker import MaxNLocator, PercentFormatter

    with mpl.rc_context(RC):
        size = figure_size(cells, facts)
        figure = _figure(size)
        ax = figure.add_subplot()
        annotated = _annotated(cells)
        font = 9.0 if annotated else 7.0
        of = scale(cells)
        faces: list[Any] = []
        undefined: list[Any] = []
        for i, row in enumerate(cells.cells):
            for j, value in enumerate(row):
                if isinstance(value, float):
                    faces.append(_hex(colour(value, of)))
                    mark = cells.marks[i][j]
                    if annotated or mark:
                        ink = "white" if dark(colour(value, of)) else "black"
                        ax.text(
                            j + 0.5,
                            i + 0.5,
                            (label(value, cells) if annotated else "") + mark,
                            ha="center",
                            va="center",
                            fontsize=7.5 if annotated else 6.0,
                            color=ink,
                            gid=f"value-{i}-{j}",
                        )
                else:
                    faces.append("white" if value is None else UNDEFINED_COLOUR)
                    if isinstance(value, Undefined):
                        undefined.append(Rectangle((j, i), 1, 1))
        # One mesh for every cell (10,000 separate patches take ~10 s to draw); the SVG keeps one element per cell
        # inside the group "cells". Undefined cells get a hatched layer on top, so they read as "no number" in print.
        mesh = ax.pcolormesh(
            np.arange(len(cells.columns) + 1),
            np.arange(len(cells.rows) + 1),
            np.zeros((len(cells.rows), len(cells.columns))),
            edgecolors="white",
            linewidth=0.8 if annotated else 0.3,
        )
        mesh.set_array(None)
        mesh.set_facecolor(faces)
        mesh.set_gid("cells")
        if undefined:
            ax.add_collection(
                PatchCollection(
                    undefined, facecolor="none", edgecolor="white", hatch="///", linewidth=0, gid="undefined"
                )
            )
        ax.set_xlim(0, len(cells.columns))
        ax.set_ylim(len(cells.rows), 0)
        ax.set_xticks(
            [j + 0.5 for j in range(len(cells.columns))],
            list(cells.columns),
            rotation=45,
            ha="right",
            rotation_mode="anchor",
            fontsize=font,
        )
        ax.set_yticks([i + 0.5 for i in range(len(cells.rows))], list(cells.rows), fontsize=font)
        ax.tick_params(length=0)
        for spine in ax.spines.values():
            spine.set_visible(False)
        norm = Normalize(of.low, of.high) if of.centre is None else TwoSlopeNorm(of.centre, of.low, of.high)
        mappable = mpl.cm.ScalarMappable(norm, LinearSegmentedColormap.from_list("report", of.anchors()))
        bar = figure.colorbar(mappable, ax=ax, shrink=min(1.0, max(0.4, 4 / max(1, len(cells.rows)))), aspect=15)
        bar.set_label(cells.value_label, fontsize=8)
        bar.ax.tick_params(labelsize=7)
        if cells.share:
            bar.ax.yaxis.set_major_formatter(PercentFormatter(xmax=1, decimals=0))
        elif cells.integers:
            bar.ax.yaxis.set_major_locator(MaxNLocator(integer=True))
        _titles(figure, ax, cells, title, facts, size[0])
    return figure


def _bars(cells: Grid, title: str, facts: tuple[str, ...]) -> Figure:
    """One horizontal bar per code, in the table's order from the top."""
    import matplotlib as mpl
    from matplotlib.ticker import MaxNLocator

    with mpl.rc_context(RC):
        width = max(4.5, max((len(r) for r in cells.rows), default=1) * 9 * CHAR + 4.0)
        lines = len(_subtitle(facts, width))
        size = (round(width, 2), round(max(2.5, 1.2 + 0.16 * lines + 0.28 * len(cells.rows)), 2))
        figure = _figure(size)
        ax = figure.add_subplot()
        values = [v if isinstance(v, float) else 0.0 for v in (row[0] for row in cells.cells)]
        bars = ax.barh(range(len(values)), values, color=SEQUENTIAL_BAR, height=0.7)
        for i, patch in enumerate(bars):
            patch.set_gid(f"cell-{i}-0")
        ax.bar_label(bars, labels=[label(v, cells) for v in values], padding=3, fontsize=7.5)
        ax.set_yticks(range(len(values)), list(cells.rows), fontsize=9)
        ax.invert_yaxis()
        ax.set_xlabel(cells.value_label, fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.spines[["top", "right"]].set_visible(False)
        ax.margins(x=0.12)
        _titles(figure, ax, cells, title, facts, size[0])
    return figure


def _titles(figure: Figure, ax: Any, cells: Grid, title: str, facts: tuple[str, ...], width: float) -> None:
    figure.suptitle(title, fontsize=11, fontweight="bold")
    subtitle = _subtitle(facts, width)
    if subtitle:
        ax.set_title("\n".join(subtitle), fontsize=8, color="#444444", loc="left")
    footnote = _footnote(cells, width)
    if footnote and len(cells.columns) > 1:
        ax.set_xlabel("\n".join(footnote), fontsize=7.5, color="#444444", loc="left", labelpad=8)


def _hex(rgb: tuple[int, int, int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def _save(figure: Figure, path: str | os.PathLike[str], force: bool) -> None:
    """All or nothing, with the user's normal permissions: drawn into a temporary file beside the target, then renamed."""
    import matplotlib as mpl

    fmt = picture_format(path)
    metadata: dict[str, Any] = {"svg": {"Date": None}, "pdf": {"CreationDate": None}, "png": {"Software": None}}[fmt]

    def draw(stream: IO[bytes]) -> None:
        with mpl.rc_context(RC):
            figure.savefig(stream, format=fmt, dpi=DPI, metadata=metadata)

    files.write_file(path, draw, force=force)
