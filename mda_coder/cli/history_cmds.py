"""Undo and redo from the command line: the same per-actor history the workspace's u and U keys walk."""

from __future__ import annotations

import click

from mda_coder.cli.app import cli, for_the_command
from mda_coder.core.actor import system_actor
from mda_coder.i18n import CLI, MESSAGES
from mda_coder.services import history, server
from mda_coder.services.project import open_project

_ = CLI.gettext
PROJECT = click.argument("project", metavar="PROJECT")
ACTOR = click.option(
    "--as",
    "--coder",
    "-c",
    "actor",
    metavar="NAME",
    help="Whose step: a coder's name, or who imported or removed (default: you, as for imports).",
)


def _step(project: str, actor: str | None, direction: str) -> None:
    db = for_the_command(open_project(project))
    who = server.acting_coder(db, (actor or "").strip() or None) or system_actor()
    step = history.undo(db, who) if direction == "undo" else history.redo(db, who)
    if step is None:
        if direction == "undo":
            said = _("nothing to undo for {who}") if actor else _("nothing to undo")
        else:
            said = _("nothing to redo for {who}") if actor else _("nothing to redo")
        click.echo(said.format(who=who))
        return
    said = _("Undone: {step}") if direction == "undo" else _("Redone: {step}")
    click.echo(said.format(step=MESSAGES.text(step.description)))


@cli.command()
@PROJECT
@ACTOR
def undo(project: str, actor: str | None) -> None:
    """Undo NAME's newest step not yet undone: a coding, a codebook change, a consensus step, a document removal."""
    _step(project, actor, "undo")


@cli.command()
@PROJECT
@ACTOR
def redo(project: str, actor: str | None) -> None:
    """Redo the step NAME undid last."""
    _step(project, actor, "redo")
