"""The commands that open the coding workspace: ``open`` and ``demo``.

This module imports only click at the top: ``mda-coder open`` paints the first page of the
transcript before the services and SQLAlchemy are imported (see ``tui/app.py``).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import click

from mda_coder.cli.app import Refused, cli, for_the_command
from mda_coder.core import waiting
from mda_coder.core.actor import system_actor
from mda_coder.i18n import CLI

_ = CLI.gettext

PROJECT = click.argument("project", metavar="PROJECT")


def default_coder() -> str:
    """The coder when none is named: $MDA_CODER, else the login name."""
    return os.environ.get("MDA_CODER") or system_actor()


def run_workspace(project: str, coder: str) -> None:
    """Open the coding workspace; a missing or foreign project file is reported before the screen starts."""
    from mda_coder.tui.app import build_app

    # The screen owns the terminal: no notice on stderr, and a worker waits a few seconds, not minutes.
    waiting.wait_for_writers(waiting.WriterWait().seconds)
    app = build_app(project, coder)
    if app.db is not None:  # opened here (a server project, an empty one); else the app opens and closes its own
        for_the_command(app.db)
    if not sys.stdout.isatty():
        raise Refused(_("the coding workspace needs a terminal; use the other commands in scripts"))
    app.run()
    if app.return_code:
        sys.exit(app.return_code)


@cli.command("open")
@PROJECT
@click.option("--coder", "-c", help="Who is coding (default: $MDA_CODER or your login name).")
def open_(project: str, coder: str | None) -> None:
    """Open the coding workspace on PROJECT: read turn by turn and code by keyboard (? shows the keys)."""
    run_workspace(project, (_server_coder(project, coder) if "://" in project else None) or coder or default_coder())


def _server_coder(project: str, coder: str | None) -> str | None:
    """On a team server, the coder of the role logged in (naming another is refused); None elsewhere."""
    from mda_coder.services import server
    from mda_coder.store.engine import Database

    with Database.open(project) as db:
        return server.acting_coder(db, coder)


@cli.command()
@click.argument("project", required=False, type=click.Path(path_type=Path))
@click.option("--fresh", is_flag=True, help="Rebuild the sample project even if it exists.")
@click.option("--coder", "-c", default="anna", show_default=True, help="Open the workspace as this coder.")
@click.option("--no-open", is_flag=True, help="Only build the project and print its summary.")
def demo(project: Path | None, fresh: bool, coder: str, no_open: bool) -> None:
    """Build (once) and open the bundled sample project: three Swedish focus groups, the MDA codebook,
    and the codings of two coders (anna and erik).

    PROJECT defaults to sample.mda in your user data folder.
    """
    from platformdirs import user_data_path

    from mda_coder.cli.project_cmds import opened, print_summary
    from mda_coder.services.project import delete_project, summary
    from mda_coder.services.sample import build_sample_project

    target = project or user_data_path("mda-coder", appauthor=False, ensure_exists=True) / "sample.mda"
    if fresh:
        delete_project(target)
    if not target.exists():
        click.echo(_("building the sample project at {path} …").format(path=target))
        build_sample_project(target).close()
    print_summary(summary(opened(str(target))))
    if no_open or not sys.stdout.isatty():
        click.echo("\n" + _("Open it with: {command}").format(command=f"mda-coder open {target} --coder {coder}"))
        return
    run_workspace(str(target), coder)
