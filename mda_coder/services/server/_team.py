"""Server use cases: move a project onto PostgreSQL with a role per coder, add coders, list them, make them blind; who am I."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

from sqlalchemy import Connection, make_url, text
from sqlalchemy.exc import DBAPIError

from mda_coder.core.errors import MdaError
from mda_coder.i18n import Message
from mda_coder.services.project import open_project
from mda_coder.store import migrations, server_copy
from mda_coder.store import server as team
from mda_coder.store.engine import Database, is_url, make_engine
from mda_coder.store.environment import environment_error
from mda_coder.store.server import Member as Member  # a value the use cases hand out

CONSENSUS = "consensus"
"""The coder of the consensus layer: it has no role, so only the lead writes its codings."""

PREFIX_SETTING = "server_role_prefix"
"""The setting that remembers ``--role-prefix``, so that ``add-coder`` names roles the same way."""

T = TypeVar("T")


@dataclass(frozen=True)
class Team:
    """Who is on a server's project, and what ``server init`` made."""

    location: str
    members: tuple[Member, ...]
    made_roles: tuple[str, ...] = ()
    """Roles created now (the others existed and are reused)."""
    copied: dict[str, int] = field(default_factory=dict)
    """Rows copied per table (``server init`` only)."""

    def login(self, role: str) -> str:
        """The URL a member opens the project with: the server's, with their role and no password."""
        return make_url(self.location).set(username=role, password=None).render_as_string(hide_password=True)


def _server_url(url: str) -> str:
    if not is_url(url) or not url.startswith(("postgresql://", "postgresql+psycopg://", "postgres://")):
        raise MdaError(Message("{location}: not a PostgreSQL URL (postgresql://ROLE@HOST/DATABASE)", location=url))
    if make_url(url).password is not None:
        shown = make_url(url).render_as_string(hide_password=True)
        raise MdaError(
            Message(
                "{location}: a password in the URL would stay in the shell's history; put it in ~/.pgpass "
                "(or PGPASSFILE) and leave it out of the URL",
                location=shown,
            )
        )
    return url.replace("postgres://", "postgresql://", 1) if url.startswith("postgres://") else url


@contextmanager
def _connected(url: str) -> Iterator[Connection]:
    """One transaction on the server at ``url``: committed when the block ends well, else nothing changed."""
    engine = make_engine(url)
    try:
        with engine.begin() as conn:
            yield conn
    except DBAPIError as exc:
        said = environment_error(exc, url)
        if said is not None:
            raise said from exc
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        raise MdaError(
            Message("{location}: the server said: {reason}; nothing was changed", location=url, reason=reason)
        ) from exc
    finally:
        engine.dispose()


def _on(url: str, work: Callable[[Connection], T]) -> T:
    with _connected(_server_url(url)) as conn:
        return work(conn)


def _coder_names(coders: Sequence[str]) -> list[str]:
    seen: list[str] = []
    for name in coders:
        name = name.strip()
        if not name or len(name) > 100 or any(ch in name for ch in ",\n\t"):
            raise MdaError(Message("invalid coder name '{name}': use a short name without commas or tabs", name=name))
        if name == CONSENSUS:
            raise MdaError(
                Message("'{name}' is the consensus layer, which only the lead writes; it gets no role", name=name)
            )
        if name not in seen:
            seen.append(name)
    return seen


def _checked_role(conn: Connection, role: str, *, lead: bool = False) -> None:
    if not team.valid_role(role):
        raise MdaError(
            Message(
                "'{role}' cannot be a role name: use lower-case letters, digits and _ (up to 63), not starting with a digit or pg_",
                role=role,
            )
        )
    if lead:
        return
    row = conn.execute(text("SELECT rolsuper OR rolbypassrls FROM pg_roles WHERE rolname = :r"), {"r": role}).first()
    if row is not None and row[0]:
        raise MdaError(
            Message(
                "role {role} is a superuser or bypasses row-level security, so the server could not hold it to "
                "its own codings: choose another --role-prefix",
                role=role,
            )
        )


def _require_lead(conn: Connection, url: str) -> Member:
    if not team.is_team_server(conn):
        raise MdaError(Message("{location}: not set up for a team; run 'mda-coder server init' first", location=url))
    me = team.me(conn)
    superuser = conn.scalar(text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user"))
    if (me is None or not me.is_lead) and not superuser:
        raise MdaError(
            Message(
                "{location}: only the lead can do this, and {role} is not the lead",
                location=url,
                role=team.current_role(conn),
            )
        )
    return me or Member(team.current_role(conn), "", True, False)


def _empty(conn: Connection, url: str) -> None:
    if migrations.current_version(conn) != 0:
        raise MdaError(Message("{location}: already holds an mda-coder project", location=url))
    found = team.tables(conn)
    if found:
        raise MdaError(
            Message(
                "{location}: the database is not empty ({count} tables, e.g. {table}); server init needs an empty "
                "database (createdb NAME)",
                location=url,
                count=len(found),
                table=found[0],
            )
        )


def init_server(
    url: str,
    source: str | Path,
    *,
    coders: Sequence[str] = (),
    blind: Sequence[str] = (),
    blind_all: bool = False,
    role_prefix: str = "",
    lead_role: str | None = None,
) -> Team:
    """Move the project file ``source`` onto the empty database at ``url`` and give each coder a role there.

    Everything happens in one transaction on the server (the roles too: PostgreSQL makes them
    transactionally), so a failure leaves the server as it was. Ids, uuids, the journal and the
    schema version are kept; the lead is the role in the URL unless ``lead_role`` names another.
    """
    url = _server_url(url)
    if is_url(source):
        raise MdaError(Message("{location}: --from takes a project file", location=str(source)))
    names = _coder_names(coders)
    blind_names = set(names) if blind_all else set(_coder_names(blind))
    unknown = sorted(blind_names - set(names))
    if unknown:
        raise MdaError(Message("--blind names {names}, who are not among --coders", names=", ".join(unknown)))
    with open_project(source) as db, db.engine.connect() as origin, _connected(url) as conn:
        _empty(conn, url)
        lead = lead_role or team.current_role(conn)
        lead_coder = lead[len(role_prefix) :] if role_prefix and lead.startswith(role_prefix) else lead
        members = [Member(lead, lead_coder, True, False)]
        for name in names:
            if name == lead_coder:
                continue
            members.append(Member(team.role_name(role_prefix, name), name, False, name in blind_names))
        for member in members:
            _checked_role(conn, member.role, lead=member.is_lead)
        migrations.create_schema(conn)
        copied = server_copy.copy_rows(origin, conn)
        team.create_team_table(conn)
        made = [m.role for m in members if team.ensure_role(conn, m.role)]
        for member in members:
            team.add_member(conn, member)
        conn.execute(text("INSERT INTO settings (key, value) VALUES (:k, :v)"), {"k": PREFIX_SETTING, "v": role_prefix})
        team.secure(conn)
        for member in members:
            team.grant(conn, member.role, lead=member.is_lead)
        if lead != team.current_role(conn):
            team.hand_over(conn, lead)
        return Team(url, tuple(team.members(conn)), tuple(made), copied)


def add_coder(url: str, coder: str, *, blind: bool = False, role: str | None = None) -> Team:
    """Give ``coder`` a role on the server (made, or reused) and a place in the team; the lead only."""
    (name,) = _coder_names([coder])

    def work(conn: Connection) -> Team:
        _require_lead(conn, url)
        prefix = conn.scalar(text("SELECT value FROM settings WHERE key = :k"), {"k": PREFIX_SETTING}) or ""
        member = Member(role or team.role_name(prefix, name), name, False, blind)
        if any(m.coder == name or m.role == member.role for m in team.members(conn)):
            raise MdaError(Message("{location}: {coder} is in the team already", location=url, coder=name))
        _checked_role(conn, member.role)
        if not team.role_exists(conn, member.role) and not team.may_create_roles(conn):
            raise MdaError(
                Message(
                    "{location}: role {role} does not exist, and {me} may not create roles: make it first as a role "
                    "that may (createuser --no-password {role}), then add the coder again",
                    location=url,
                    role=member.role,
                    me=team.current_role(conn),
                )
            )
        made = team.ensure_role(conn, member.role)
        team.add_member(conn, member)
        team.grant(conn, member.role, lead=False)
        return Team(url, tuple(team.members(conn)), (member.role,) if made else ())

    return _on(url, work)


def remove_coder(url: str, coder: str) -> tuple[Team, Member]:
    """Take ``coder`` out of the team (the lead only): their role may no longer read or change the project.

    Their codings, memos and journal entries stay: they are the project's data (agreement still
    compares them). The role stays on the server, which other databases may use; an administrator
    drops it when it is no longer needed anywhere.
    """

    def work(conn: Connection) -> tuple[Team, Member]:
        lead = _require_lead(conn, url)
        members = team.members(conn)
        found = next((m for m in members if m.coder == coder.strip()), None)
        if found is None or found.is_lead:
            names = ", ".join(m.coder for m in members if not m.is_lead) or "-"
            said = (
                Message(
                    "{location}: {coder} is the lead, who cannot be taken out of the team", location=url, coder=coder
                )
                if found is not None
                else Message(
                    "{location}: no coder {coder} in the team (coders: {names})", location=url, coder=coder, names=names
                )
            )
            raise MdaError(said)
        granted_by = next((m.role for m in members if m.is_lead), lead.role)
        if granted_by != team.current_role(conn):  # a superuser: revoke as the lead, who granted the rights
            conn.execute(text(f"SET LOCAL ROLE {team.quoted(granted_by)}"))
        team.remove_member(conn, found)
        conn.execute(text("RESET ROLE"))
        return Team(url, tuple(team.members(conn))), found

    return _on(url, work)


def list_team(url: str) -> Team:
    """Who is in the team: role, coder, lead, blind."""

    def work(conn: Connection) -> Team:
        if not team.is_team_server(conn):
            raise MdaError(
                Message("{location}: not set up for a team; run 'mda-coder server init' first", location=url)
            )
        return Team(url, tuple(team.members(conn)))

    return _on(url, work)


def set_blind(url: str, coder: str, blind: bool) -> Team:
    """Make a coder blind to the others' codings, or let them see them again; the lead only."""

    def work(conn: Connection) -> Team:
        _require_lead(conn, url)
        if team.set_blind(conn, coder, blind) == 0:
            names = ", ".join(m.coder for m in team.members(conn) if not m.is_lead) or "-"
            raise MdaError(
                Message(
                    "{location}: no coder {coder} in the team (coders: {names})", location=url, coder=coder, names=names
                )
            )
        return Team(url, tuple(team.members(conn)))

    return _on(url, work)


def upgrade_server(url: str) -> tuple[int, int, Team]:
    """Bring the server's schema up to date (as the lead, who owns the tables), then set every member's access again.

    A migration may add tables: they get the coders' grants and the policies only here, so the
    lead runs this after installing a newer mda-coder, before the coders open the project.
    Returns the schema versions before and after.
    """
    url = _server_url(url)
    with _connected(url) as conn:
        _require_lead(conn, url)
        before = migrations.current_version(conn)
    Database.open(url).close()
    with _connected(url) as conn:
        team.secure(conn)
        members = team.members(conn)
        for member in members:
            team.grant(conn, member.role, lead=member.is_lead)
        return before, migrations.current_version(conn), Team(url, tuple(members))


def whoami(db: Database) -> Member | None:
    """The team member this connection codes as; None on a project file, or a server without a team."""
    if not is_url(db.location):
        return None
    with db.engine.connect() as conn:
        return team.me(conn)


def acting_coder(db: Database, asked: str | None) -> str | None:
    """Who a command acts as: on a team server the role's coder wins, and naming another coder is refused.

    None where the project is not on a team server (the command's own default stands). The lead
    may act as any coder (the consensus coder, say): the database lets the lead write every row.
    """
    me = whoami(db)
    if me is None:
        return asked
    if asked is None or asked == me.coder:
        return me.coder
    if me.is_lead:
        return asked
    raise MdaError(
        Message(
            "{location}: you are connected as {role}, who codes as {coder}; the server would refuse changes as {asked}",
            location=db.location,
            role=me.role,
            coder=me.coder,
            asked=asked,
        )
    )
