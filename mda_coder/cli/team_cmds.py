"""Commands for coding in separate copies: a coder's working copy, and merging copies back into the project."""

from __future__ import annotations

from pathlib import Path

import click

from mda_coder.cli.app import cli, no_backup_option
from mda_coder.cli.output import console, emit_json, say, table
from mda_coder.cli.project_cmds import JSON, PROJECT, opened
from mda_coder.cli.server_coder import acting_person
from mda_coder.core.actor import system_actor
from mda_coder.i18n import CLI, MESSAGES, N_
from mda_coder.services import teamwork

_ = CLI.gettext


@cli.command("copy-for-coder")
@PROJECT
@click.argument("target", metavar="COPY", type=click.Path(path_type=Path))
@click.option("--coder", "-c", required=True, metavar="NAME", help="The coder the copy is for.")
@click.option("--blind", is_flag=True, help="Leave out other coders' codings, memos and consensus work.")
def copy_for_coder(project: str, target: Path, coder: str, blind: bool) -> None:
    """Make a coder's working copy COPY of PROJECT, to code apart and merge back with 'mda-coder merge'.

    COPY appears only once it is complete. With --blind it holds none of the other coders'
    codings, memos or consensus decisions, so that the coder works independently.
    """
    made = teamwork.copy_for_coder(project, target, coder, blind=blind, actor=system_actor())
    said = (
        _("made {coder}'s blind copy {path} ({documents} documents, {left} codings of others left out)")
        if made.blind
        else _("made {coder}'s copy {path} ({documents} documents, {codings} codings)")
    )
    click.echo(
        said.format(
            coder=made.coder, path=made.path, documents=made.documents, codings=made.codings, left=made.left_out
        )
    )
    click.echo(_("open it with: mda-coder open {path} --coder {coder}").format(path=made.path, coder=made.coder))


def _counts(codings: dict[str, int]) -> str:
    return ", ".join(f"{coder} {n}" for coder, n in codings.items()) or "0"


@cli.command()
@PROJECT
@click.argument("copies", metavar="COPY...", nargs=-1, required=True)
@click.option("--dry-run", is_flag=True, help="Show what would come in and every conflict; change nothing.")
@JSON
@no_backup_option
def merge(project: str, copies: tuple[str, ...], dry_run: bool, as_json: bool) -> None:
    """Merge coders' copies (made with 'mda-coder copy-for-coder') into PROJECT, in one undoable step.

    Documents are matched by identity and text, codes by identity (then by path), codings per
    coder; merging a copy again brings in nothing new. Conflicts are listed with what to do;
    'mda-coder undo PROJECT' takes the whole merge back.
    """
    db = opened(project)
    result = teamwork.merge_copies(db, copies, actor=acting_person(db), dry_run=dry_run)
    if as_json:
        emit_json(result)
        return
    out = console()
    rows = [
        [
            c.path,
            c.coder + (" " + _("(blind)") if c.blind else ""),
            len(c.documents),
            len(c.codes) + len(c.code_changes),
            _counts(c.codings),
            _counts(c.removed),
            c.memos,
            len(c.conflicts),
        ]
        for c in result.copies
    ]
    title = _("What the merge would bring in (dry run: nothing changed)") if dry_run else _("Merged")
    headings = [N_("copy"), N_("coder"), N_("documents"), N_("codes"), N_("new codings"), N_("removed")]
    headings += [N_("memos"), N_("conflicts")]
    table(title, headings, rows, justify_right=[N_("documents"), N_("codes"), N_("memos"), N_("conflicts")])
    for c in result.copies:
        for name in c.documents:
            say(out, _("{copy}: new document {name}").format(copy=c.path, name=name))
        for path in c.codes:
            say(out, _("{copy}: new code {path}").format(copy=c.path, path=path))
        for change in c.code_changes:
            say(out, _("{copy}: code renamed or moved: {change}").format(copy=c.path, change=change))
        for note in c.notes:
            say(out, f"{c.path}: {MESSAGES.text(note)}")
    if result.conflicts:
        say(out, _("{n} conflicts to settle:").format(n=len(result.conflicts)))
        for conflict in result.conflicts:
            say(
                out,
                _("- {copy}, {where}: {what}; to do: {todo}").format(
                    copy=conflict.copy,
                    where=conflict.where,
                    what=MESSAGES.text(conflict.what),
                    todo=MESSAGES.text(conflict.todo),
                ),
            )
    if all(c.nothing_new for c in result.copies):
        say(out, _("nothing new to merge"))
    elif not dry_run:
        say(out, _("undo the merge with: mda-coder undo {project}").format(project=project))
