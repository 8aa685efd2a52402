"""The ``agree`` command: inter-coder agreement per code on a project, or on a units × coders CSV table."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mda_coder.analysis.agreement import LEVELS
from mda_coder.cli.agreement_text import print_matrix, print_report
from mda_coder.cli.app import cli
from mda_coder.cli.output import emit_json
from mda_coder.cli.project_cmds import JSON, opened
from mda_coder.core.errors import MdaError
from mda_coder.export.agreement_report import AgreementDocument
from mda_coder.services.agreement import SPLITS, UNITS, agreement
from mda_coder.services.agreement_export import (
    matrix_document,
    report_document,
    save_report,
    write_report,
)
from mda_coder.services.agreement_matrix import matrix_agreement

PROJECT_ONLY = ("unit", "codes", "documents", "by", "include_subcodes")
MATRIX_ONLY = ("level", "categories")


def _names(value: str | None) -> list[str]:
    return [] if value is None else [v.strip() for v in value.split(",") if v.strip()]


def _option(name: str) -> str:
    return "--" + {"documents": "document"}.get(name, name).replace("_", "-")


@cli.command("agree")
@click.argument("project", metavar="[PROJECT]", required=False)
@click.option("--coders", metavar="A,B[,C…]", help="The coders to compare, comma-separated (two or more); with --matrix, the columns to use.")
@click.option("--unit", type=click.Choice(list(UNITS)), help="What a unit of comparison is.  [default: turn]")
@click.option("--codes", metavar="A,B", help="Only these codes (names or paths) and their sub-codes.")
@click.option("--document", "-d", "documents", multiple=True, help="Only this document (repeat for more).")
@click.option("--by", type=click.Choice(list(SPLITS)), help="Also give every figure per document or per speaker role.")
@click.option("--include-subcodes", is_flag=True, help="Count a sub-code's codings as codings of the codes above it too.")
@click.option("--matrix", type=click.Path(path_type=Path), metavar="FILE.csv",
              help="Reliability data from elsewhere: a units × coders CSV table (no project needed).")
@click.option("--level", type=click.Choice(list(LEVELS)), help="With --matrix: the values' level of measurement.  [default: nominal]")
@click.option("--categories", metavar="A,B,…", help="With --matrix: every category, in order (for ordinal text labels).")
@click.option("--bootstrap", "samples", type=click.IntRange(min=0), default=0, metavar="N",
              help="Add 95% bootstrap intervals of α from N samples (1000 is usual).")
@click.option("--seed", type=int, default=0, show_default=True, help="Seed of the bootstrap, for reproducible intervals.")
@click.option("--csv", "csv_path", metavar="FILE", help="Also write every figure as a tidy CSV ('-': to stdout instead of the table).")
@click.option("--md", "md_path", metavar="FILE", help="Also write a Markdown report ('-': to stdout instead of the table).")
@JSON
@click.pass_context
def agree_cmd(
    ctx: click.Context, project: str | None, coders: str | None, unit: str | None, codes: str | None,
    documents: tuple[str, ...], by: str | None, include_subcodes: bool, matrix: Path | None, level: str | None,
    categories: str | None, samples: int, seed: int, csv_path: str | None, md_path: str | None, as_json: bool,
) -> None:
    """Agreement between coders: Krippendorff's α, the κ family and % agreement, per code.

    On a PROJECT, per code (and per mutually exclusive group) with turns or sentences as units.
    With --matrix FILE.csv and no project, on any table of ratings: a header of coder names (and
    a first column 'unit' for unit ids), one row per unit, blank cells missing.
    """
    given = {name for name in (*PROJECT_ONLY, *MATRIX_ONLY)
             if ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE}
    to_stdout = [flag for flag, on in (("--json", as_json), ("--csv -", csv_path == "-"), ("--md -", md_path == "-")) if on]
    if len(to_stdout) > 1:
        raise MdaError(f"{' and '.join(to_stdout)} would both write to stdout: send one of them to a file")
    if matrix is not None:
        if project is not None:
            raise MdaError(f"give a project or --matrix {matrix}, not both")
        wrong = sorted(given & set(PROJECT_ONLY))
        if wrong:
            raise MdaError(f"{_option(wrong[0])} applies to a project, not to --matrix (a table's rows are its units)")
        mreport = matrix_agreement(matrix, level or "nominal", _names(coders) or None,  # type: ignore[arg-type]
                                   _names(categories) or None, samples, seed)
        _finish(matrix_document(mreport), csv_path, md_path, matrix)
        if as_json:
            emit_json(mreport)
        elif not to_stdout:
            print_matrix(mreport)
        return
    if project is None:
        raise MdaError("give a PROJECT (mda-coder agree studie.mda --coders anna,erik), or --matrix FILE.csv")
    wrong = sorted(given & set(MATRIX_ONLY))
    if wrong:
        raise MdaError(f"{_option(wrong[0])} applies to --matrix tables; a project's codes are nominal")
    if not coders:
        raise MdaError("say which coders to compare: --coders anna,erik")
    report = agreement(
        opened(project), _names(coders), (unit or "turn"),  # type: ignore[arg-type]
        codes=_names(codes) or None, documents=list(documents) or None, by=by,  # type: ignore[arg-type]
        include_subcodes=include_subcodes, samples=samples, seed=seed,
    )
    _finish(report_document(report), csv_path, md_path, Path(project))
    if as_json:
        emit_json(report)
    elif not to_stdout:
        print_report(report)


def _finish(document: AgreementDocument, csv_path: str | None, md_path: str | None, source: Path) -> None:
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
            raise MdaError(f"--{fmt} {path} would write over {source}: choose another file name")
        save_report(document, fmt, Path(path))
        click.echo(f"wrote {'the tidy CSV' if fmt == 'csv' else 'the Markdown report'} to {path}", err=True)
