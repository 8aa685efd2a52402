"""The ``export`` command: excerpts as Markdown, tidy CSV/JSON, REFI-QDA codebooks (.qdc) and projects (.qdpx)."""

from __future__ import annotations

from contextlib import nullcontext

import click

from mda_coder.cli.app import cli
from mda_coder.cli.options import (
    FORCE,
    WholeNumber,
    coders_option,
    codes_option,
    documents_option,
    names,
)
from mda_coder.cli.output import console
from mda_coder.cli.project_cmds import PROJECT, opened
from mda_coder.core.errors import MdaError
from mda_coder.core.progress import SILENT
from mda_coder.export.markdown_excerpts import LABEL_FIELDS, MarkdownStyle
from mda_coder.i18n import CLI, MESSAGES
from mda_coder.services import exporting

_ = CLI.gettext

FORMATS = ("markdown", "csv", "json", "qdc", "qdpx")
MARKDOWN_ONLY = ("label", "language", "context", "memos", "show_coders", "codebook")
FILTERS = ("codes", "coders", "documents")


def _option(name: str) -> str:
    return "--" + {"documents": "document", "coders": "coder", "codebook": "no-codebook"}.get(name, name).replace(
        "_", "-"
    )


@cli.command("export")
@PROJECT
@click.argument("fmt", metavar="FORMAT", type=click.Choice(FORMATS))
@click.argument("out", metavar="OUT")
@codes_option()
@coders_option()
@documents_option()
@click.option(
    "--label",
    metavar="TEMPLATE",
    help=f"Markdown: the citation label, with fields {', '.join('{' + f + '}' for f in LABEL_FIELDS)}.  "
    "[default: ({group}, {speaker}, tur {turn})]",
)
@click.option(
    "--language",
    type=click.Choice(["sv", "en"]),
    help="Markdown: language of headings and labels.  [default: the project's]",
)
@click.option(
    "--context", type=WholeNumber(min=0), default=0, help="Markdown: whole turns to show before and after each excerpt."
)
@click.option("--memos", is_flag=True, help="Markdown: add the codings' and codes' memos.")
@click.option("--show-coders", is_flag=True, help="Markdown: name the coders of each excerpt.")
@click.option(
    "--no-codebook",
    "codebook",
    is_flag=True,
    flag_value=False,
    default=True,
    help="Markdown: leave out the codebook appendix.",
)
@FORCE
@click.pass_context
def export_cmd(
    ctx: click.Context,
    project: str,
    fmt: str,
    out: str,
    codes: tuple[str, ...],
    coders: tuple[str, ...],
    documents: tuple[str, ...],
    label: str | None,
    language: str | None,
    context: int,
    memos: bool,
    show_coders: bool,
    codebook: bool,
    force: bool,
) -> None:
    """Export PROJECT as FORMAT to the file OUT ('-': standard output, for markdown, csv and json).

    markdown: excerpts grouped by code, each a quote with its citation label, and the codebook
    as an appendix. csv, json: one row per coding. qdc: the codebook, qdpx: the whole project,
    both in the REFI-QDA exchange format that other QDA programs read.
    """
    given = {
        name
        for name in (*MARKDOWN_ONLY, *FILTERS)
        if ctx.get_parameter_source(name) == click.core.ParameterSource.COMMANDLINE
    }
    if fmt != "markdown" and given & set(MARKDOWN_ONLY):
        raise MdaError(
            _("{option} applies to the markdown export, not {format}").format(
                option=_option(min(given & set(MARKDOWN_ONLY))), format=fmt
            )
        )
    if fmt in ("qdc", "qdpx") and given & set(FILTERS):
        said = (
            _("{option} does not apply to {format}: it exports the whole codebook")
            if fmt == "qdc"
            else _("{option} does not apply to {format}: it exports the whole project")
        )
        raise MdaError(said.format(option=_option(min(given & set(FILTERS))), format=fmt))
    if fmt in ("qdc", "qdpx") and out == exporting.STDOUT:
        raise MdaError(
            _("a {format} export goes to a file: give OUT a name such as studie.{format}").format(format=fmt)
        )
    from mda_coder.cli.progress import progress_shown

    db = opened(project)
    to_file = out != exporting.STDOUT
    with progress_shown(console(), keep=False) if to_file else nullcontext(SILENT) as progress:
        if fmt == "markdown":
            style = MarkdownStyle(
                language=language or exporting.default_language(db),
                label=label,
                show_coders=show_coders,
                show_memos=memos,
                codebook=codebook,
            )
            result = exporting.export_markdown(
                db,
                out,
                codes=names(codes),
                coders=names(coders),
                documents=names(documents),
                style=style,
                context=context,
                progress=progress,
                force=force,
            )
        elif fmt in ("csv", "json"):
            result = exporting.export_table(
                db,
                out,
                fmt,
                codes=names(codes),
                coders=names(coders),
                documents=names(documents),
                progress=progress,
                force=force,
            )
        elif fmt == "qdc":
            result = exporting.export_qdc(db, out, force=force)
        else:
            result = exporting.export_qdpx(db, out, progress=progress, force=force)
    if to_file:
        click.echo(_("wrote {n} {what} to {path}").format(n=result.items, what=MESSAGES.text(result.what), path=out))
