"""Undo and redo from the command line: the same per-actor history the workspace's u and U keys walk."""

from __future__ import annotations

import click

from mda_coder.cli.app import cli
from mda_coder.services import history
from mda_coder.services.project import open_project, system_actor

PROJECT = click.argument("project", metavar="PROJECT")
ACTOR = click.option(
    "--as", "actor", metavar="NAME",
    help="Whose step: a coder's name, or who imported or removed (default: you, as for imports).",
)


def _step(project: str, actor: str | None, direction: str) -> None:
    who = (actor or "").strip() or system_actor()
    db = open_project(project)
    step = history.undo(db, who) if direction == "undo" else history.redo(db, who)
    if step is None:
        click.echo(f"nothing to {direction}" + (f" for {who}" if actor else ""))
        return
    click.echo(f"{'Undone' if direction == 'undo' else 'Redone'}: {step.description}")


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
