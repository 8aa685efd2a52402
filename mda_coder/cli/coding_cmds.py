"""Commands that apply, remove, list, import and export codings (the TUI calls the same services)."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from mda_coder.cli.app import cli
from mda_coder.cli.options import (
    FORCE,
    F,
    WholeNumber,
    coders_option,
    codes_option,
    documents_option,
    names,
)
from mda_coder.cli.output import console, emit_json, table
from mda_coder.cli.project_cmds import JSON, PROJECT, opened
from mda_coder.cli.server_coder import acting_coder
from mda_coder.core import files
from mda_coder.core.display import one_line
from mda_coder.core.numbers import MAX_INTEGER, fits
from mda_coder.export.codings_table import write_csv, write_json
from mda_coder.i18n import CLI, N_
from mda_coder.services.coding import Target, apply_code, export_rows, import_codings, list_codings, remove_code

_ = CLI.gettext
ngettext = CLI.ngettext


def _span(value: str | None) -> tuple[int, int] | None:
    if value is None:
        return None
    try:
        start, end = (int(x) for x in value.split("-", 1))
    except ValueError:
        raise click.BadParameter(
            _("'{value}' is not START-END (e.g. 120-245)").format(value=value), param_hint="--span"
        ) from None
    if not (fits(start) and fits(end)):
        raise click.BadParameter(
            _("'{value}': an offset past {largest}").format(value=value, largest=MAX_INTEGER), param_hint="--span"
        )
    return start, end


def _where(f: F) -> F:
    f = click.option("--span", metavar="START-END", help="Character offsets, half-open (see 'turns --json').")(f)
    f = click.option(
        "--sentence",
        type=WholeNumber(),
        help="Sentence number in the document, or within --turn when both are given (see 'sentences').",
    )(f)
    f = click.option("--turn", type=WholeNumber(), help="Turn number in the document (see 'turns').")(f)
    return f


@cli.group()
def codings() -> None:
    """Apply, remove, list, import and export codings."""


@codings.command("apply")
@PROJECT
@click.argument("document")
@click.option(
    "--coder", "-c", help="Who is coding (created on first use); on a team server, your role's coder and no other."
)
@click.option("--code", "code", required=True, help="The code (name or path, parent/child): exactly this one.")
@_where
@click.option("--memo", help="A memo on this coding.")
def apply_cmd(
    project: str,
    document: str,
    coder: str | None,
    code: str,
    turn: int | None,
    sentence: int | None,
    span: str | None,
    memo: str | None,
) -> None:
    """Apply a code to a turn, a sentence or a span of DOCUMENT."""
    db = opened(project)
    coding, created = apply_code(
        db,
        coder=acting_coder(db, coder),
        code=code,
        document=document,
        target=Target(turn=turn, sentence=sentence, span=_span(span)),
        memo=memo,
    )
    said = (
        _("applied: {code} by {coder} on {document} {span}: “{text}”")
        if created
        else _("already applied: {code} by {coder} on {document} {span}: “{text}”")
    )
    click.echo(
        said.format(
            code=coding.code_path,
            coder=coding.coder,
            document=document,
            span=f"{coding.span.start}-{coding.span.end}",
            text=one_line(coding.text, 60),
        )
    )


@codings.command("remove")
@PROJECT
@click.argument("document")
@click.option("--coder", "-c", help="Whose coding to remove (on a team server: your own).")
@click.option("--code", "code", required=True, help="The code (name or path): exactly this one, not its sub-codes.")
@_where
def remove_cmd(
    project: str, document: str, coder: str | None, code: str, turn: int | None, sentence: int | None, span: str | None
) -> None:
    """Remove a coder's codings of a code that lie inside a turn, a sentence or a span."""
    db = opened(project)
    removed = remove_code(
        db,
        coder=acting_coder(db, coder),
        code=code,
        document=document,
        target=Target(turn=turn, sentence=sentence, span=_span(span)),
    )
    for c in removed:
        click.echo(
            _("removed: {code} by {coder} on {document} {span}").format(
                code=c.code_path, coder=c.coder, document=document, span=f"{c.span.start}-{c.span.end}"
            )
        )


FILTERS = [
    documents_option(),
    coders_option(),
    codes_option(),
    click.option("--code", "code", metavar="NAME", help="Only this code itself, not its sub-codes."),
]


def _filters(f: F) -> F:
    for option in reversed(FILTERS):
        f = option(f)
    return f


@codings.command("list")
@PROJECT
@_filters
@JSON
def list_cmd(
    project: str,
    documents: tuple[str, ...],
    coders: tuple[str, ...],
    codes: tuple[str, ...],
    code: str | None,
    as_json: bool,
) -> None:
    """List codings in document order."""
    rows = list_codings(
        opened(project), documents=names(documents), coders=names(coders), codes=names(codes), code=code
    )
    if as_json:
        emit_json(rows)
        return
    table(
        None,
        [N_("id"), N_("document"), N_("coder"), N_("code"), N_("span"), N_("text")],
        [[c.id, c.document, c.coder, c.code_path, f"{c.span.start}-{c.span.end}", one_line(c.text, 60)] for c in rows],
        justify_right=("id",),
    )
    console().print(ngettext("{n} coding", "{n} codings", len(rows)).format(n=len(rows)))


@codings.command("import")
@PROJECT
@click.argument("file", type=click.Path(path_type=Path))
def import_cmd(project: str, file: Path) -> None:
    """Import codings from a CSV FILE with columns coder, document, code and start/end, turn or sentence (memo optional)."""
    created, existing = import_codings(opened(project), file)
    click.echo(
        _("imported {created} codings ({existing} were already there)").format(created=created, existing=existing)
    )


@codings.command("export")
@PROJECT
@click.argument("file", type=click.Path(path_type=Path), required=False)
@click.option("--format", "fmt", type=click.Choice(["csv", "json"]), help="Default: from FILE's suffix, else csv.")
@_filters
@FORCE
def export_cmd(
    project: str,
    file: Path | None,
    fmt: str | None,
    documents: tuple[str, ...],
    coders: tuple[str, ...],
    codes: tuple[str, ...],
    code: str | None,
    force: bool,
) -> None:
    """Export codings as tidy CSV or JSON (one row per coding) to FILE or standard output ('-' or no FILE)."""
    file = None if file is not None and str(file) == "-" else file
    if file is not None:
        files.check_writable(file, force=force)
    rows = export_rows(opened(project), documents=names(documents), coders=names(coders), codes=names(codes), code=code)
    fmt = fmt or ("json" if file is not None and file.suffix.lower() == ".json" else "csv")
    writer = write_json if fmt == "json" else write_csv
    if file is None:
        writer(rows, sys.stdout)
        return
    files.write_text(file, lambda stream: writer(rows, stream), force=force)
    click.echo(_("wrote {n} codings to {file}").format(n=len(rows), file=file))
