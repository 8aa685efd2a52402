"""Commands for pseudonymising a project: propose and apply a key of names (and back), and list the names left."""

from __future__ import annotations

from pathlib import Path

import click

from mda_coder.cli.app import cli, no_backup_option
from mda_coder.cli.output import console, emit_json, say, table
from mda_coder.cli.project_cmds import JSON, PROJECT
from mda_coder.cli.tables import TEXT, Column
from mda_coder.core.actor import system_actor
from mda_coder.i18n import CLI, N_
from mda_coder.services import pseudonymise as service

_ = CLI.gettext

KINDS = {
    "person": N_("person"),
    "place": N_("place"),
    "organisation": N_("organisation"),
    "other": N_("other"),
}


@cli.command()
@PROJECT
@click.option(
    "--key",
    "key",
    required=True,
    type=click.Path(path_type=Path),
    metavar="KEY.csv",
    help="The key: original,pseudonym,kind,where.",
)
@click.option("--dry-run", is_flag=True, help="Propose a key (when KEY does not exist) or show what it would change.")
@click.option(
    "--to",
    "to",
    type=click.Path(path_type=Path),
    metavar="COPY",
    help="Apply the key to a new copy; the project stays as it is.",
)
@click.option("--reverse", is_flag=True, help="Apply the key backwards: pseudonyms back to the names.")
@click.option(
    "--names", "names", type=click.Path(path_type=Path), metavar="FILE", help="More names to propose, one a line."
)
@JSON
@no_backup_option
def pseudonymise(
    project: str, key: Path, dry_run: bool, to: Path | None, reverse: bool, names: Path | None, as_json: bool
) -> None:
    """Replace names in PROJECT by pseudonyms from a key, every coding kept on its words.

    With --dry-run and no file KEY yet, writes a proposed key there (every speaker name, and
    names and places found in the texts) for you to edit. With a key, --dry-run shows what
    applying it would change; without, it is applied in one step (not undoable: --reverse with
    the key restores the names). A snapshot is taken first, and it keeps the names.
    """
    if dry_run and not key.exists():
        proposed = service.propose_key(project, key, names=names)
        if as_json:
            emit_json(proposed)
            return
        out = console()
        kinds = ", ".join(f"{n} {CLI.gettext(KINDS[k])}" for k, n in proposed.kinds.items()) or "0"
        say(
            out,
            _("proposed a key of {n} names ({kinds}) in {path}").format(
                n=len(proposed.names), kinds=kinds, path=proposed.path
            ),
        )
        say(out, _("edit it (change a pseudonym, delete a row to keep a name), then see what it changes:"))
        say(out, f"  mda-coder pseudonymise {project} --key {key} --dry-run")
        say(
            out,
            _("names the key leaves in the texts: mda-coder check-names {project} --key {key}").format(
                project=project, key=key
            ),
        )
        return
    result = service.pseudonymise(project, key, actor=system_actor(), reverse=reverse, dry_run=dry_run, to=to)
    if as_json:
        emit_json(result)
        return
    out = console()
    if dry_run:
        title = _("What the key would change (dry run: nothing saved)")
    elif reverse:
        title = _("Names restored in {project}").format(project=result.project)
    else:
        title = _("Pseudonymised {project}").format(project=result.project)
    rows = [
        [d.document, d.replacements, d.codings.get("kept", 0), d.codings.get("replaced", 0), d.codings.get("review", 0)]
        for d in result.documents
    ]
    table(
        title,
        [N_("document"), N_("replacements"), N_("codings kept"), N_("names replaced"), N_("to review")],
        rows,
        justify_right=[N_("replacements"), N_("codings kept"), N_("names replaced"), N_("to review")],
    )
    for d in result.documents:
        for line in d.doubtful:
            say(out, _("{document}: to review: {coding}").format(document=d.document, coding=line))
    elsewhere = ", ".join(f"{place} {n}" for place, n in sorted(result.elsewhere.items()))
    if elsewhere:
        say(out, _("rows changed outside the texts: {places}").format(places=elsewhere))
    if not result.documents and not result.elsewhere:
        say(out, _("the key's names are nowhere in the project: nothing to change"))
    if not dry_run:
        say(
            out,
            _(
                "not undoable with 'undo': to restore the names, mda-coder pseudonymise {project} --key {key} --reverse"
            ).format(project=result.project, key=key),
        )
        if result.snapshot is not None:
            say(out, _("the snapshot taken before still holds the names: {path}").format(path=result.snapshot))


@cli.command("check-names")
@PROJECT
@click.option(
    "--key", "key", type=click.Path(path_type=Path), metavar="KEY.csv", help="Leave out what this key covers."
)
@JSON
def check_names(project: str, key: Path | None, as_json: bool) -> None:
    """List capitalised words in PROJECT's texts that look like names (and that KEY does not cover)."""
    left = service.check_names(project, key=key)
    if as_json:
        emit_json(left)
        return
    if not left:
        say(console(), _("no word left that looks like a name"))
        return
    table(
        None,
        [N_("name"), N_("kind"), N_("count"), N_("document"), Column(_("example"), TEXT)],
        [[n.text, CLI.gettext(KINDS[n.kind]), n.count, n.document, n.example] for n in left],
        justify_right=[N_("count")],
    )
