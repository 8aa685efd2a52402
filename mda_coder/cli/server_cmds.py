"""``mda-coder server``: a team on one PostgreSQL server: init, add-coder, remove-coder, list, blind, password."""

from __future__ import annotations

import getpass

import click

from mda_coder.cli.app import cli
from mda_coder.cli.options import names
from mda_coder.cli.output import emit_json, table
from mda_coder.core.errors import MdaError
from mda_coder.i18n import CLI, N_
from mda_coder.services import server
from mda_coder.services.server import Team

_ = CLI.gettext
URL = click.argument("project", metavar="URL")
JSON = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts instead of a table.")


def _members(team: Team, as_json: bool) -> None:
    if as_json:
        emit_json(
            [
                {"role": m.role, "coder": m.coder, "lead": m.is_lead, "blind": m.blind, "url": team.login(m.role)}
                for m in team.members
            ]
        )
        return
    yes, no = _("yes"), _("no")
    table(
        None,
        [N_("role"), N_("coder"), N_("lead"), N_("blind"), N_("opens with")],
        [
            [m.role, m.coder, yes if m.is_lead else no, yes if m.blind else no, f"mda-coder open {team.login(m.role)}"]
            for m in team.members
        ],
    )


def _how_to_log_in(team: Team) -> None:
    click.echo(
        _(
            "No role has a password yet. Set one with 'mda-coder server password {url} ROLE' (asked twice, "
            "never on the command line); each coder keeps theirs in ~/.pgpass (or PGPASSFILE), never in the project."
        ).format(url=team.location)
    )


@cli.group("server")
def server_group() -> None:
    """A team on one PostgreSQL server: each coder logs in as their own role, and the server enforces who changes what.

    'server init' moves a project file onto an empty database and makes a role per coder;
    coders then open it with 'mda-coder open postgresql://ROLE@HOST/DATABASE'.
    """


@server_group.command("init")
@URL
@click.option("--from", "source", required=True, metavar="PROJECT", help="The project file to move onto the server.")
@click.option("--coders", multiple=True, metavar="A,B", help="The coders to make roles for (repeat, or A,B).")
@click.option("--blind", multiple=True, metavar="A,B", help="These coders do not see the others' codings.")
@click.option("--blind-all", is_flag=True, help="No coder sees the others' codings (the lead sees all).")
@click.option("--role-prefix", default="", metavar="P", help="Put P before each coder's role name (e.g. studie_).")
@click.option("--lead-role", metavar="NAME", help="The lead's role (default: the role in the URL).")
@JSON
def server_init(
    project: str,
    source: str,
    coders: tuple[str, ...],
    blind: tuple[str, ...],
    blind_all: bool,
    role_prefix: str,
    lead_role: str | None,
    as_json: bool,
) -> None:
    """Move the project file given by --from onto the empty database at URL, with a role for each coder.

    Everything is copied as it is (ids, the journal, the schema version) in one transaction: if
    anything fails, the server is left as it was. Roles are made without a password.
    """
    team = server.init_server(
        project,
        source,
        coders=names(coders),
        blind=names(blind),
        blind_all=blind_all,
        role_prefix=role_prefix,
        lead_role=lead_role,
    )
    if as_json:
        _members(team, as_json)
        return
    rows = sum(team.copied.values())
    click.echo(
        _("{project}: copied {rows} rows from {source}; roles made: {made}").format(
            project=project, rows=rows, source=source, made=", ".join(team.made_roles) or "-"
        )
    )
    _members(team, False)
    _how_to_log_in(team)


@server_group.command("remove-coder")
@URL
@click.argument("coder")
def server_remove_coder(project: str, coder: str) -> None:
    """Take CODER out of the team at URL (the lead only); their codings and memos stay in the project."""
    _team, gone = server.remove_coder(project, coder)
    click.echo(
        _(
            "{coder} is out of the team: role {role} may no longer read or change this project; "
            "their codings and memos stay. The role is left on the server (an administrator removes it with "
            "DROP ROLE once no database needs it)"
        ).format(coder=gone.coder, role=gone.role)
    )


@server_group.command("add-coder")
@URL
@click.argument("coder")
@click.option("--blind", is_flag=True, help="The coder does not see the others' codings.")
@click.option("--role", metavar="NAME", help="The coder's role (default: the prefix of 'server init' + the name).")
def server_add_coder(project: str, coder: str, blind: bool, role: str | None) -> None:
    """Give CODER a role on the server at URL (the lead only)."""
    team = server.add_coder(project, coder, blind=blind, role=role)
    added = next(m for m in team.members if m.coder == coder.strip())
    click.echo(
        _("{coder} codes as role {role}{blind}; opens with: mda-coder open {url}").format(
            coder=added.coder, role=added.role, blind=_(" (blind)") if added.blind else "", url=team.login(added.role)
        )
    )
    if team.made_roles:
        _how_to_log_in(team)


@server_group.command("list")
@URL
@JSON
def server_list(project: str, as_json: bool) -> None:
    """Who is in the team at URL: role, coder, lead, blind."""
    _members(server.list_team(project), as_json)


@server_group.command("blind")
@URL
@click.argument("coder")
@click.option("--on/--off", "on", required=True, help="Hide the others' codings from CODER, or show them again.")
def server_blind(project: str, coder: str, on: bool) -> None:
    """Make CODER blind to the other coders' codings, or not (the lead only)."""
    server.set_blind(project, coder, on)
    said = (
        _("{coder} is now blind: they see only their own codings")
        if on
        else _("{coder} now sees every coder's codings")
    )
    click.echo(said.format(coder=coder))


@server_group.command("upgrade")
@URL
def server_upgrade(project: str) -> None:
    """Bring the project at URL up to this mda-coder's schema and set every role's access again (the lead only).

    Run it after installing a newer mda-coder, before the coders open the project: a coder's
    role may not change the schema.
    """
    before, after, team = server.upgrade_server(project)
    click.echo(
        _("{project}: schema {before} → {after}; access set again for {count} roles").format(
            project=project, before=before, after=after, count=len(team.members)
        )
    )


@server_group.command("password")
@URL
@click.argument("role")
def server_password(project: str, role: str) -> None:
    """Set ROLE's password, asked twice; only its SCRAM-SHA-256 verifier is sent to the server.

    Keep it in ~/.pgpass (HOST:PORT:DATABASE:ROLE:PASSWORD, mode 0600), or a file named by
    PGPASSFILE; mda-coder never stores it.
    """
    first = getpass.getpass(_("new password for {role}: ").format(role=role))
    again = getpass.getpass(_("the same again: "))
    if first != again:
        raise MdaError(_("the two passwords differ; nothing was changed"))
    server.set_password(project, role, first)
    click.echo(_("{role}: password set (sent as its SCRAM-SHA-256 verifier)").format(role=role))
