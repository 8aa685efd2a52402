"""The ``agree`` command: inter-coder agreement per code on a project, or on a units × coders CSV table."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Literal, cast

import click

from mda_coder.analysis.agreement import LEVELS, Level
from mda_coder.cli.agreement_text import print_matrix, print_report, print_unitizing
from mda_coder.cli.app import cli
from mda_coder.cli.options import (
    FORCE,
    WholeNumber,
    coders_option,
    codes_option,
    documents_option,
    names,
    old_spelling,
)
from mda_coder.cli.output import emit_json
from mda_coder.cli.project_cmds import JSON, opened
from mda_coder.core import files
from mda_coder.core.errors import MdaError
from mda_coder.export.agreement_report import AgreementDocument
from mda_coder.i18n import CLI, N_
from mda_coder.services.agreement import (
    CHARACTER,
    DEFAULT_THRESHOLD,
    SPLITS,
    UNITS,
    AgreementRequest,
    Split,
    Unit,
    UnitizingReport,
    compare,
    document,
    matrix_agreement,
    matrix_document,
    save_report,
    write_report,
)

_ = CLI.gettext
PROJECT_ONLY = ("unit", "codes", "documents", "by", "include_subcodes", "threshold")
MATRIX_ONLY = ("level", "categories")
NOT_CHARACTER = {
    "by": N_("ask for one document at a time with --document NAME"),
    "samples": N_("no bootstrap of α_U is established (Hayes & Krippendorff's resamples units; free spans have none)"),
    "seed": N_("it seeds --bootstrap, which α_U does not have"),
}
"""Options that have no meaning on the character continuum, and why, for the one-line error."""


def _names(value: str | tuple[str, ...] | None) -> list[str]:
    return list(names((value,) if isinstance(value, str) else value))


def _option(name: str) -> str:
    return "--" + {"documents": "document", "samples": "bootstrap"}.get(name, name).replace("_", "-")


def _threshold(text: str) -> float:
    """The least overlap for segment matching, as a share (0.9, or 0,9 as Swedish writes it) or a percentage (90%)."""
    raw = text.strip()
    try:
        value = float(raw.removesuffix("%").strip().replace(",", "."))
    except ValueError:
        raise MdaError(
            _("--threshold {text}: give the least overlap as a share or a percentage, e.g. 0.9 or 90%").format(
                text=text
            )
        ) from None
    if raw.endswith("%"):
        value /= 100
    if not 0 < value <= 1:  # also refuses nan
        raise MdaError(
            _("--threshold {text}: the least overlap must be more than 0 and at most 1 (100%), e.g. 0.9 or 90%").format(
                text=text
            )
        )
    return value


@cli.command("agree")
@click.argument("project", metavar="[PROJECT]", required=False)
@coders_option("The coders to compare (two or more: repeat, or A,B); with --matrix, the columns to use.")
@old_spelling("--coders", "old_coders")
@click.option(
    "--unit",
    type=click.Choice([*UNITS, CHARACTER]),
    help="What a unit of comparison is; character: α_U and segment matching on free spans.  [default: turn]",
)
@codes_option()
@documents_option()
@click.option("--by", type=click.Choice(list(SPLITS)), help="Also give every figure per document or per speaker role.")
@click.option(
    "--include-subcodes", is_flag=True, help="Count a sub-code's codings as codings of the codes above it too."
)
@click.option(
    "--threshold",
    metavar="SHARE",
    help="With --unit character: the least overlap at which two segments match (0.9 or 90%).  [default: 0.9]",
)
@click.option(
    "--matrix",
    type=click.Path(path_type=Path),
    metavar="FILE.csv",
    help="Reliability data from elsewhere: a units × coders CSV table (no project needed).",
)
@click.option(
    "--level",
    type=click.Choice(list(LEVELS)),
    help="With --matrix: the values' level of measurement.  [default: nominal]",
)
@click.option(
    "--categories", metavar="A,B,…", help="With --matrix: every category, in order (for ordinal text labels)."
)
@click.option(
    "--bootstrap",
    "samples",
    type=WholeNumber(min=0, max=100_000),
    default=0,
    metavar="N",
    help="Add 95% bootstrap intervals of α from N samples (1000 is usual).",
)
@click.option(
    "--seed",
    type=WholeNumber(min=0),
    default=0,
    show_default=True,
    help="Seed of the bootstrap, for reproducible intervals.",
)
@click.option(
    "--csv",
    "csv_path",
    metavar="FILE",
    help="Also write every figure as a tidy CSV ('-': to stdout instead of the table).",
)
@click.option(
    "--md", "md_path", metavar="FILE", help="Also write a Markdown report ('-': to stdout instead of the table)."
)
@JSON
@FORCE
@click.pass_context
def agree_cmd(
    ctx: click.Context,
    project: str | None,
    coders: tuple[str, ...],
    old_coders: tuple[str, ...],
    unit: str | None,
    codes: tuple[str, ...],
    documents: tuple[str, ...],
    by: str | None,
    include_subcodes: bool,
    threshold: str | None,
    matrix: Path | None,
    level: Level | None,
    categories: str | None,
    samples: int,
    seed: int,
    csv_path: str | None,
    md_path: str | None,
    as_json: bool,
    force: bool,
) -> None:
    """Agreement between coders: Krippendorff's α, the κ family and % agreement, per code.

    On a PROJECT, per code (and per mutually exclusive group) with turns or sentences as units;
    with --unit character, unitizing α (α_U) on the characters and, for two coders, MAXQDA-style
    segment matching. With --matrix FILE.csv and no project, on any table of ratings: a header of coder names (and
    a first column 'unit' for unit ids), one row per unit, blank cells missing.
    """
    given = {
        name
        for name in (*PROJECT_ONLY, *MATRIX_ONLY, *NOT_CHARACTER)
        if ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE
    }
    coders = (*coders, *old_coders)
    documents = tuple(names(documents))
    to_stdout = [
        flag for flag, on in (("--json", as_json), ("--csv -", csv_path == "-"), ("--md -", md_path == "-")) if on
    ]
    if len(to_stdout) > 1:
        raise MdaError(
            _("{options} would both write to stdout: send one of them to a file").format(
                options=_(" and ").join(to_stdout)
            )
        )
    _check_files(csv_path, md_path, force, matrix or (Path(project) if project else None))
    if matrix is not None:
        if project is not None:
            raise MdaError(_("give a project or --matrix {matrix}, not both").format(matrix=matrix))
        wrong = sorted(given & set(PROJECT_ONLY))
        if wrong:
            raise MdaError(
                _("{option} applies to a project, not to --matrix (a table's rows are its units)").format(
                    option=_option(wrong[0])
                )
            )
        mreport = matrix_agreement(
            matrix,
            level or "nominal",
            _names(coders) or None,
            _names(categories) or None,
            samples,
            seed,
        )
        shown = matrix_document(mreport)
        _finish(shown, csv_path, md_path, matrix, force)
        if as_json:
            emit_json(mreport)
        elif not to_stdout:
            print_matrix(shown)
        return
    if project is None:
        raise MdaError(_("give a PROJECT (mda-coder agree studie.mda --coder anna,erik), or --matrix FILE.csv"))
    wrong = sorted(given & set(MATRIX_ONLY))
    if wrong:
        raise MdaError(
            _("{option} applies to --matrix tables; a project's codes are nominal").format(option=_option(wrong[0]))
        )
    if not coders:
        raise MdaError(_("say which coders to compare: --coder anna,erik"))
    if threshold is not None and unit != CHARACTER:
        raise MdaError(
            _("--threshold applies to --unit character (segment matching); turns and sentences are whole units")
        )
    if unit == CHARACTER:
        wrong = sorted(given & set(NOT_CHARACTER))
        if wrong:
            raise MdaError(
                _("{option} does not apply to --unit character: {reason}").format(
                    option=_option(wrong[0]), reason=_(NOT_CHARACTER[wrong[0]])
                )
            )
    request = AgreementRequest(
        coders=tuple(_names(coders)),
        # click.Choice lets through only these values
        unit=cast("Unit | Literal['character']", unit or "turn"),
        codes=tuple(_names(codes)),
        documents=documents,
        by=cast("Split | None", by),
        include_subcodes=include_subcodes,
        samples=samples,
        seed=seed,
        threshold=DEFAULT_THRESHOLD if threshold is None else _threshold(threshold),
    )
    report = compare(opened(project), request)
    written = document(report)
    _finish(written, csv_path, md_path, Path(project), force)
    if as_json:
        emit_json(report)
    elif not to_stdout:
        if isinstance(report, UnitizingReport):
            print_unitizing(written)
        else:
            print_report(written)


def _check_files(csv_path: str | None, md_path: str | None, force: bool, source: Path | None) -> None:
    """Refuse, before any figure is computed, a report file that would replace ``source`` (the project or the
    table read, even with ``--force``) or a file that exists (without ``--force``)."""
    for fmt, path in (("csv", csv_path), ("md", md_path)):
        if path in (None, "-"):
            continue
        if source is not None and Path(path).resolve() == source.resolve():
            raise MdaError(
                _("--{format} {path} would write over {source}: choose another file name").format(
                    format=fmt, path=path, source=source
                )
            )
        files.check_writable(Path(path), force=force)


def _finish(document: AgreementDocument, csv_path: str | None, md_path: str | None, source: Path, force: bool) -> None:
    """Write the report files asked for; say where on stderr, so stdout stays the table or the JSON.

    ``source`` (the project file or the table read) is never written over.
    """
    for fmt, path in (("csv", csv_path), ("md", md_path)):
        if path is None:
            continue
        if path == "-":
            write_report(document, fmt, sys.stdout)
            continue
        if Path(path).resolve() == source.resolve():
            raise MdaError(
                _("--{format} {path} would write over {source}: choose another file name").format(
                    format=fmt, path=path, source=source
                )
            )
        save_report(document, fmt, Path(path), force)
        said = _("wrote the tidy CSV to {path}") if fmt == "csv" else _("wrote the Markdown report to {path}")
        click.echo(said.format(path=path), err=True)
