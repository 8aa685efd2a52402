"""The ``report`` command: frequencies, co-occurrence, code matrices and code sequences as tables, CSV, JSON, Markdown or pictures."""

from __future__ import annotations

import sys
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import cast

import click
from rich.text import Text

from mda_coder.cli.app import cli
from mda_coder.cli.options import (
    FORCE,
    WholeNumber,
    coders_option,
    codes_option,
    documents_option,
    names,
)
from mda_coder.cli.output import console, say
from mda_coder.cli.report_heat import picture_terms, print_heat
from mda_coder.cli.tables import NAME, NUMBER, Column, Word
from mda_coder.cli.tables import print_table as print_table_of
from mda_coder.core import files
from mda_coder.core.errors import MdaError
from mda_coder.export.heatmap import picture_format, write_picture
from mda_coder.export.report_grid import grid
from mda_coder.export.report_tables import (
    ReportTable,
    Undefined,
    numeric_columns,
    text_rows,
    write,
)
from mda_coder.i18n import CLI, REPORTS, Phrase
from mda_coder.services import reports
from mda_coder.services.project import open_project
from mda_coder.services.reports import Kind, Measure, ReportRequest, Values, report

_ = CLI.gettext
KINDS = ("frequencies", "cooccurrence", "matrix", "sequences")
ONLY = {
    "within": ("cooccurrence",),
    "measure": ("cooccurrence",),
    "rows": ("matrix",),
    "cols": ("matrix",),
    "values": ("matrix",),
    "per_coder": ("frequencies",),
    "include_subcodes": ("cooccurrence", "matrix", "sequences"),
    "unit": ("frequencies", "cooccurrence", "matrix"),
}
"""Options that mean something for some reports only; elsewhere they are refused, not ignored."""
UNITS = ("turn", "sentence", "overlap", "document")
COLUMN_HELP = "document, group, speaker, speaker-role or attr:KEY (a speaker attribute)"


@cli.command("report")
@click.argument("project", metavar="PROJECT")
@click.argument("kind", metavar="REPORT", type=click.Choice(KINDS))
@documents_option()
@click.option("--group", "-g", "groups", multiple=True, help="Only the documents of this group (repeat, or A,B).")
@click.option(
    "--speaker", "speakers", multiple=True, help="Only the turns of this speaker (label or person; repeat, or A,B)."
)
@click.option("--role", "roles", multiple=True, help="Only the turns of speakers with this role (repeat, or A,B).")
@click.option("--no-moderator", is_flag=True, help="Leave out the turns of speakers whose role is 'moderator'.")
@coders_option("Only this coder's codings, e.g. consensus (repeat, or A,B).  [default: all]")
@codes_option()
@click.option(
    "--unit",
    type=click.Choice(UNITS),
    help="What a unit is: turn, sentence, overlap (co-occurrence only) or document.  [default: turn]",
)
@click.option(
    "--within", type=WholeNumber(min=1), metavar="K", help="cooccurrence: codes at most K turns apart co-occur."
)
@click.option(
    "--measure",
    type=click.Choice(("count", "jaccard", "dice", "conditional", "lift", "phi")),
    help="cooccurrence: a code × code table of this measure (without it: every measure per pair).",
)
@click.option(
    "--rows", default=None, metavar="WHAT", help=f"matrix: code (the default), or {COLUMN_HELP} with --cols code."
)
@click.option("--cols", default=None, metavar="WHAT", help=f"matrix: {COLUMN_HELP}, or code.  [default: document]")
@click.option(
    "--values",
    type=click.Choice(("count", "row-share", "unit-share")),
    help="matrix: coded units, their share per row, or the share of the column's units.  [default: count]",
)
@click.option("--per-coder", is_flag=True, help="frequencies: one row per code and coder.")
@click.option(
    "--include-subcodes", is_flag=True, help="Count a sub-code's codings as codings of the codes above it too."
)
@click.option("--json", "as_json", is_flag=True, help="Print the report as JSON for scripts instead of a table.")
@click.option(
    "--csv", "csv_path", metavar="FILE", help="Also write the table as CSV ('-': to stdout instead of the table)."
)
@click.option(
    "--md", "md_path", metavar="FILE", help="Also write a Markdown report ('-': to stdout instead of the table)."
)
@click.option(
    "--plot",
    "plot_path",
    metavar="FILE",
    help="Also draw the report as a heatmap (bars for frequencies): FILE.svg, .png or .pdf.",
)
@click.option(
    "--heat", is_flag=True, help="Print the table as a heatmap: each cell shaded on the report's colour scale."
)
@FORCE
@click.pass_context
def report_cmd(
    ctx: click.Context,
    project: str,
    kind: str,
    documents: tuple[str, ...],
    groups: tuple[str, ...],
    speakers: tuple[str, ...],
    roles: tuple[str, ...],
    no_moderator: bool,
    coders: tuple[str, ...],
    codes: tuple[str, ...],
    unit: str | None,
    within: int | None,
    measure: str | None,
    rows: str | None,
    cols: str | None,
    values: str | None,
    per_coder: bool,
    include_subcodes: bool,
    as_json: bool,
    csv_path: str | None,
    md_path: str | None,
    plot_path: str | None,
    heat: bool,
    force: bool,
) -> None:
    """Analysis REPORT on PROJECT: frequencies, cooccurrence, matrix or sequences.

    Every report takes the same filters (documents, groups, speakers, roles, coders, codes) and
    prints a table, or writes it as CSV, JSON, Markdown or a picture.
    """
    for name, kinds in ONLY.items():
        if kind not in kinds and ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE:
            option = "--" + name.replace("_", "-")
            allowed = (
                kinds[0]
                if len(kinds) == 1
                else _("{kinds} and {last}").format(kinds=", ".join(kinds[:-1]), last=kinds[-1])
            )
            raise MdaError(
                _("{option} applies to {allowed} reports, not to {kind}").format(
                    option=option, allowed=allowed, kind=kind
                )
            )
    to_stdout = [
        flag
        for flag, on in (
            ("--json", as_json),
            ("--csv -", csv_path == "-"),
            ("--md -", md_path == "-"),
            ("--heat", heat),
        )
        if on
    ]
    if len(to_stdout) > 1:
        raise MdaError(
            _("{options} would all write to stdout: send one of them to a file").format(
                options=_(" and ").join(to_stdout)
            )
        )
    for path in (csv_path, md_path, plot_path):
        if path not in (None, "-") and Path(path).resolve() == Path(project).resolve():
            raise MdaError(
                _("{path} would write over the project {project}: choose another file name").format(
                    path=path, project=project
                )
            )
    if plot_path is not None:
        picture_format(plot_path)
    for path in (csv_path, md_path, plot_path):
        if path not in (None, "-"):
            files.check_writable(Path(path), force=force)
    value_label, centre, floor = picture_terms(kind, measure, values, unit) if plot_path or heat else (None, None, None)

    scope = reports.Scope(
        documents=names(documents),
        groups=names(groups),
        speakers=names(speakers),
        roles=names(roles),
        coders=names(coders),
        codes=names(codes),
        no_moderator=no_moderator,
    )
    if unit == "overlap" and kind != "cooccurrence":
        raise MdaError(_("--unit overlap is for cooccurrence; frequencies and matrices count turns or sentences"))
    if unit == "document" and kind != "cooccurrence":
        raise MdaError(
            (
                _("--unit document is for cooccurrence; for {kind}, use --unit turn or sentence with --cols document")
                if kind == "matrix"
                else _("--unit document is for cooccurrence; for {kind}, use --unit turn or sentence")
            ).format(kind=kind)
        )
    from mda_coder.cli.progress import progress_shown

    db = open_project(project)
    try:
        with progress_shown(console(), keep=False) as progress:
            if kind == "cooccurrence" and within is not None and unit not in (None, "turn"):
                raise MdaError(_("--within K counts turns: use it with --unit turn (the default)"))
            # click.Choice lets through only the kinds, units, measures and values the services take
            request = ReportRequest(
                kind=cast(Kind, kind),
                scope=scope,
                unit=cast(reports.Unit, unit or "turn"),
                within=within,
                measure=cast("Measure | None", measure),
                values=cast(Values, values or "count"),
                include_subcodes=include_subcodes,
                per_coder=per_coder,
            )
            if kind == "matrix":
                request = _matrix(request, rows, cols)
            table = report(db, request, progress)
    finally:
        db.close()
    cells = grid(table, value_label, centre, floor) if plot_path or heat else None
    _finish(table, csv_path, md_path, force)
    if plot_path is not None:
        write_picture(table, plot_path, value_label=value_label, centre=centre, floor=floor, force=force)
        click.echo(_("wrote the picture to {path}").format(path=plot_path), err=True)
    if as_json:
        write(table, "json", sys.stdout)
    elif heat and cells is not None:
        print_heat(cells, table.facts)
    elif not to_stdout:
        print_table(table)


def _matrix(request: ReportRequest, rows: str | None, cols: str | None) -> ReportRequest:
    """A matrix's rows and columns: codes on one side, what ``--rows`` or ``--cols`` names on the other."""
    rows, cols = (rows or "code"), (cols or ("document" if (rows or "code") == "code" else "code"))
    if (rows == "code") == (cols == "code"):
        raise MdaError(
            _(
                "a matrix has codes on one side: --rows {rows} --cols {cols} (e.g. --rows code --cols speaker-role)"
            ).format(rows=rows, cols=cols)
        )
    return replace(request, columns=cols if rows == "code" else rows, transpose=rows != "code")


def _finish(table: ReportTable, csv_path: str | None, md_path: str | None, force: bool) -> None:
    """Write the files asked for; say where on stderr, so stdout stays the table or the JSON."""
    for fmt, path in (("csv", csv_path), ("md", md_path)):
        if path is None:
            continue
        if path == "-":
            write(table, fmt, sys.stdout)
            continue
        files.write_text(path, partial(write, table, fmt), force=force)
        said = _("wrote the CSV table to {path}") if fmt == "csv" else _("wrote the Markdown report to {path}")
        click.echo(said.format(path=path), err=True)


def print_table(table: ReportTable) -> None:
    """Facts, the table (numbers right-aligned and whole, names as plain text), the reasons for undefined cells, notes.

    Everything but the numbers and names is said in the interface's language, a word of the
    report's in a cell (``(no group)``) too (``cli.tables``).
    """
    out = console()
    say(out, Text(REPORTS.text(table.title), style="bold"))
    for fact in table.facts:
        say(out, REPORTS.text(fact))
    rows, reasons = text_rows(table)
    worded = [
        [
            c
            if isinstance(c, Phrase)
            else Word("undefined [{mark}]", mark=reasons[c.reason])
            if isinstance(c, Undefined)
            else shown
            for c, shown in zip(row, texts)
        ]
        for row, texts in zip(table.rows, rows)
    ]
    print_table_of(out, report_columns(table), worded, keys=row_keys(table))
    for reason, mark in reasons.items():
        say(out, f"[{mark}] {REPORTS.text(reason)}")
    for note in table.notes:
        say(out, Text(REPORTS.text(note), style="dim"))


def report_columns(table: ReportTable) -> list[Column]:
    """Figures are numbers (never cut); the rest name codes, coders, documents. Headings in the interface's language."""
    right = set(numeric_columns(table))
    return [Column(REPORTS.text(col), NUMBER if col in right else NAME) for col in table.columns]


def row_keys(table: ReportTable) -> int:
    """The leading columns that name a row (code; code and coder; from and to), repeated when a table is split."""
    right = set(numeric_columns(table))
    return max(next((i for i, col in enumerate(table.columns) if col in right), len(table.columns)), 1)
