"""``mda-coder backups``: list, take and restore the snapshots kept beside a project."""

from __future__ import annotations

import click

from mda_coder.cli.app import cli, no_backup_option
from mda_coder.cli.options import WholeNumber
from mda_coder.cli.output import emit_json, table
from mda_coder.i18n import CLI, N_
from mda_coder.services import backups
from mda_coder.services.backups import Snapshot

_ = CLI.gettext
PROJECT = click.argument("project", metavar="PROJECT")
JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts instead of a table.")

OPERATION_WORDS = {
    "migration": N_("before a schema upgrade"),
    "import": N_("before an import of several files"),
    "import-qdpx": N_("before a REFI-QDA import"),
    "codebook-import": N_("before a codebook import"),
    "merge": N_("before a code merge"),
    "remove": N_("before a document removal"),
    "restore": N_("before a restore"),
    "damaged": N_("a damaged project, before a restore"),
    "manual": N_("taken by hand"),
    "pseudonymise": N_("before pseudonymisation"),
    "repair": N_("before a repair"),
}


def size(n: int) -> str:
    """``12.3 MB``: bytes as a person reads them (decimal units, as file managers show them)."""
    if n < 1000:
        return f"{n} B"
    for unit, scale in (("kB", 1e3), ("MB", 1e6)):
        if n < scale * 999.95:  # 999,999 bytes is 1.0 MB, not 1000.0 kB
            return f"{n / scale:.1f} {unit}"
    return f"{n / 1e9:.1f} GB"


def _plain(s: Snapshot) -> dict[str, object]:
    return {
        "snapshot": s.name,
        "path": str(s.path),
        "taken": s.taken.isoformat(timespec="seconds"),
        "operation": s.operation,
        "size": s.size,
        "schema": s.schema,
    }


@cli.group("backups")
def backups_group() -> None:
    """Snapshots of a project, taken before every risky operation: list, take one, restore one.

    They are kept in the folder PROJECT.backups beside the project file (e.g. studie.mda.backups),
    the newest 10 by default.
    """


@backups_group.command("list")
@PROJECT
@JSON
def backups_list(project: str, as_json: bool) -> None:
    """List PROJECT's snapshots, oldest first: when (UTC), before what, size, schema version."""
    found = backups.list_snapshots(project)
    if as_json:
        emit_json([_plain(s) for s in found])
        return
    if not found:
        click.echo(_("no snapshots of {project} yet").format(project=project))
        return
    table(
        None,
        [N_("snapshot"), N_("when"), N_("operation"), N_("size"), N_("schema")],
        [
            [
                s.name,
                s.taken.strftime("%Y-%m-%d %H:%M:%S UTC"),
                _(OPERATION_WORDS.get(s.operation, s.operation)),
                size(s.size),
                "?" if s.schema is None else s.schema,
            ]
            for s in found
        ],
        justify_right=("size", "schema"),
    )


@backups_group.command("take")
@PROJECT
@click.option(
    "--keep",
    type=WholeNumber(min=1, max=10_000),
    metavar="N",
    help="Keep the newest N snapshots of this project from now on (default 10).",
)
def backups_take(project: str, keep: int | None) -> None:
    """Take a snapshot of PROJECT now (before an experiment, or to send someone a copy)."""
    taken = backups.take(project, keep=keep)
    click.echo(_("took {snapshot} ({size})").format(snapshot=taken.path, size=size(taken.size)))


@backups_group.command("restore")
@PROJECT
@click.argument("snapshot")
@no_backup_option
def backups_restore(project: str, snapshot: str) -> None:
    """Make PROJECT what SNAPSHOT (a name from 'backups list', or its path) holds.

    The project as it is now is kept as a snapshot first, so a restore can itself be undone by
    restoring that one. Refused while another program is writing to the project.
    """
    done = backups.restore(project, snapshot)
    click.echo(_("restored {project} from {snapshot}").format(project=project, snapshot=done.restored.name))
    if done.saved is not None:
        click.echo(_("the project as it was is kept as {snapshot}").format(snapshot=done.saved.name))
