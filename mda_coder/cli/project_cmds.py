"""Commands for projects, imports, codebooks and reading transcripts back."""

from __future__ import annotations

from pathlib import Path

import click
from rich.text import Text

from mda_coder.cli.app import cli, for_the_command, no_backup_option
from mda_coder.cli.options import FORCE, WholeNumber, names
from mda_coder.cli.output import console, emit_json, say, table
from mda_coder.core import files
from mda_coder.core.display import clock, one_line
from mda_coder.i18n import CLI, MESSAGES, N_
from mda_coder.services import codebook as codebook_service
from mda_coder.services import importing, queries
from mda_coder.services.project import (
    ProjectSummary,
    copy_project,
    create_project,
    open_project,
    summary,
)
from mda_coder.store.engine import Database

_ = CLI.gettext
PROJECT = click.argument("project", metavar="PROJECT")
JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts instead of a table.")


def opened(project: str) -> Database:
    """PROJECT opened for the running command, and closed when it ends."""
    return for_the_command(open_project(project))


def print_summary(s: ProjectSummary) -> None:
    out = console()
    say(
        out,
        Text.assemble(
            (s.name, "bold"),
            "  " + _("({location}, language {language})").format(location=s.location, language=s.language),
        ),
    )
    say(
        out,
        _(
            "{documents} documents in {groups} groups · {speakers} speakers · {turns} turns · "
            "{sentences} sentences · {words} words"
        ).format(
            documents=s.documents,
            groups=s.groups,
            speakers=s.speakers,
            turns=s.turns,
            sentences=s.sentences,
            words=s.words,
        ),
    )
    say(
        out,
        _("{codes} codes · {codings} codings · coders: {coders}").format(
            codes=s.codes, codings=s.codings, coders=", ".join(s.coders) or _("none yet")
        ),
    )
    if s.flags:
        say(
            out,
            _("{n} codings flagged by text corrections, to review: mda-coder document flags {project}").format(
                n=s.flags, project=s.location
            ),
        )


@cli.command()
@PROJECT
@click.option(
    "--language", "-l", default="sv", show_default=True, help="Language of the transcripts (sv, da, nb, en …)."
)
@click.option("--codebook", type=click.Path(path_type=Path), help="A YAML codebook to start from.")
def init(project: str, language: str, codebook: Path | None) -> None:
    """Create a new project file PROJECT (or a postgresql:// URL)."""
    s = summary(for_the_command(create_project(project, language, codebook)))
    click.echo(
        _("created {project} (language {language}, {codes} codes)").format(
            project=project, language=language, codes=s.codes
        )
    )


@cli.command()
@PROJECT
@click.argument("target", metavar="TARGET", type=click.Path(path_type=Path))
@FORCE
def copy(project: str, target: Path, force: bool) -> None:
    """Copy the project file PROJECT to TARGET: a whole, checked copy, even while PROJECT is open.

    TARGET appears only once the copy is complete; an existing TARGET is replaced only with
    --force. Use it to keep a copy, to send a project, or to work on a local copy of a project
    kept in a synced folder.
    """
    s = copy_project(project, target, force=force)
    click.echo(
        _("copied {project} to {target} ({documents} documents, {codings} codings)").format(
            project=project, target=target, documents=s.documents, codings=s.codings
        )
    )


@cli.command()
@PROJECT
@JSON
def info(project: str, as_json: bool) -> None:
    """Summarise a project: documents, speakers, turns, codes, codings, coders."""
    db = opened(project)
    s = summary(db)
    if as_json:
        emit_json(s)
    else:
        print_summary(s)


@cli.command("import")
@PROJECT
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option("--group", "-g", help="Group or session these files belong to (e.g. FG3), used in citations and reports.")
@click.option("--speaker-pattern", metavar="REGEX", help="Your own speaker-label pattern, with a (?P<speaker>…) group.")
@click.option(
    "--preview", is_flag=True, help="Show what would be imported (speakers, turns, doubtful lines); store nothing."
)
@JSON
@no_backup_option
def import_(
    project: str, files: tuple[Path, ...], group: str | None, speaker_pattern: str | None, preview: bool, as_json: bool
) -> None:
    """Import transcripts (.txt, .md, .docx, .pdf, .vtt, .srt) into PROJECT, all or nothing.

    Each file's summary is printed as it is stored, the last line once all are saved; on a
    terminal a bar shows the files done and the words per second.
    """
    from mda_coder.cli.import_report import print_report, print_total
    from mda_coder.cli.progress import progress_shown

    out = console()
    if preview:
        reports = importing.preview_files(list(files), speaker_pattern=speaker_pattern)
        for r in [] if as_json else reports:
            print_report(out, r, preview=True, project=project)
    elif as_json:
        reports = importing.import_files(opened(project), list(files), group=group, speaker_pattern=speaker_pattern)
    else:
        db = opened(project)
        with progress_shown(out) as progress:
            reports = importing.import_files(
                db,
                list(files),
                group=group,
                speaker_pattern=speaker_pattern,
                progress=progress,
                stored=lambda r: print_report(out, r, preview=False, project=project),
            )
    if as_json:
        emit_json(reports)
        return
    print_total(out, reports, preview=preview)


@cli.command()
@PROJECT
@click.argument("document")
@click.option(
    "--speaker",
    "speakers",
    multiple=True,
    metavar="NAME",
    help="Only the turns of this speaker (label, name or person; repeat, or A,B).",
)
@JSON
def turns(project: str, document: str, speakers: tuple[str, ...], as_json: bool) -> None:
    """List the turns of DOCUMENT: number, speaker, time and text."""
    rows = queries.turns(opened(project), document, names(speakers))
    if as_json:
        emit_json(rows)
        return
    table(
        None,
        [N_("turn"), N_("speaker"), N_("time"), N_("text")],
        [[t.index, t.speaker, clock(t.time), t.text] for t in rows],
        justify_right=("turn",),
    )


@cli.command()
@PROJECT
@click.argument("document")
@click.option("--turn", type=WholeNumber(), help="Only the sentences of this turn.")
@JSON
def sentences(project: str, document: str, turn: int | None, as_json: bool) -> None:
    """List the sentences of DOCUMENT (or of one turn): numbers in the document and in the turn, offsets, text."""
    rows = queries.sentences(opened(project), document, turn)
    if as_json:
        emit_json(rows)
        return
    table(
        None,
        [N_("sentence"), N_("turn"), N_("in turn"), N_("start"), N_("end"), N_("text")],
        [[r.index, r.turn, r.in_turn, r.span.start, r.span.end, r.text] for r in rows],
        justify_right=("sentence", "turn", "in turn", "start", "end"),
    )


@cli.group()
def codebook() -> None:
    """Import, export and list a project's codes."""


@codebook.command("import")
@PROJECT
@click.argument("file", type=click.Path(path_type=Path))
@no_backup_option
def codebook_import(project: str, file: Path) -> None:
    """Merge a YAML or REFI-QDA (.qdc) codebook FILE into PROJECT (codes at the same path are updated)."""
    result = codebook_service.import_codebook(opened(project), file)
    click.echo(
        _("{added} codes added, {updated} updated, {groups} exclusive groups").format(
            added=len(result.created), updated=len(result.updated), groups=len(result.groups)
        )
    )
    for warning in result.warnings:
        click.echo(_("warning: {warning}").format(warning=MESSAGES.text(warning)))


@codebook.command("export")
@PROJECT
@click.argument("file", type=click.Path(path_type=Path), required=False)
@FORCE
def codebook_export(project: str, file: Path | None, force: bool) -> None:
    """Write PROJECT's codebook as YAML to FILE (or to standard output: '-' or no FILE)."""
    file = None if file is not None and str(file) == "-" else file
    if file is not None:
        files.check_writable(file, force=force)
    text = codebook_service.export_codebook_yaml(opened(project))
    if file is None:
        click.echo(text, nl=False)
    else:
        files.write_text(file, lambda stream: print(text, end="", file=stream), force=force)
        click.echo(_("wrote {file}").format(file=file))


@codebook.command("list")
@PROJECT
@JSON
def codebook_list(project: str, as_json: bool) -> None:
    """Show the code tree with keys, colours and coding counts."""
    rows = codebook_service.list_codes(opened(project))
    if as_json:
        emit_json(rows)
        return
    table(
        None,
        [N_("code"), N_("key"), N_("colour"), N_("codings"), N_("definition")],
        [
            ["  " * r.depth + r.code.name, r.code.key, r.code.color, r.codings, one_line(r.code.definition, 70)]
            for r in rows
        ],
        justify_right=("codings",),
    )
