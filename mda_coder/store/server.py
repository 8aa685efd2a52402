"""A team on one PostgreSQL server: roles, grants and row-level security, so that the database itself enforces who may change what.

The rules live in the database, not in mda-coder: a coder who connects with ``psql`` is held to
them as much as one who uses the workspace. ``team_members`` maps each database role to its
coder's name; the functions below read it for the role the session runs as (``current_user``).

- codings and memos: each coder writes only rows of their own coder; reads others' only when
  not blind. The lead reads and writes all (the ``consensus`` coder has no role: only the lead
  writes its codings).
- the codebook, the documents and their parts, settings, consensus decisions: coders read, the
  lead writes (table privileges: coders are granted SELECT only). A blind coder does not read
  the consensus decisions, which name the codings they were settled from.
- the journal (``events``): INSERT and SELECT only, for everyone; a coder inserts only entries
  in their own name, and a blind coder reads only their own entries and those that hold no
  coding (the codebook's, the documents' imports, the speakers'; ``BLIND_SEES``).
  The append-only trigger refuses UPDATE and DELETE to everyone, the lead included.
- coders, open windows and places: a coder changes only their own rows.
- flags of text corrections (``anchor_flags``): read as the codings they hold are; a coder marks
  their own reviewed. Only the lead corrects a text (it moves every coder's codings).

Row-level security is FORCEd, so the tables' owner (the lead) is bound by the policies too; the
lead is let through by its own policy (``mda_is_lead()``), and nobody by the policies to change
or remove a journal entry. A superuser is
never bound (PostgreSQL's rule): run the workspace as the lead role, not as ``postgres``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, insert, select, text

from mda_coder.store.models import Coder

TEAM_TABLE = "team_members"

READ_ONLY_TABLES = (
    "codes",
    "exclusive_groups",
    "consensus_decisions",
    "documents",
    "speakers",
    "persons",
    "turns",
    "sentences",
    "settings",
    "schema_migrations",
    TEAM_TABLE,
)
"""What coders may only read; the lead writes them (tables not named anywhere here are read-only too)."""

CODER_WRITES = {
    "codings": "INSERT, UPDATE, DELETE",
    "memos": "INSERT, UPDATE, DELETE",
    "events": "INSERT",
    "coders": "INSERT, UPDATE",
    "open_windows": "INSERT, UPDATE, DELETE",
    "coder_places": "INSERT, UPDATE, DELETE",
    "suggestions": "INSERT, UPDATE, DELETE",
    "anchor_flags": "UPDATE",
}
"""What coders may write, besides reading everything; row-level security narrows each to their own rows."""

_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION mda_coder_name() RETURNS text LANGUAGE sql STABLE
  SET search_path = public AS $$ SELECT coder FROM {TEAM_TABLE} WHERE role = current_user $$;
CREATE OR REPLACE FUNCTION mda_coder_id() RETURNS integer LANGUAGE sql STABLE
  SET search_path = public AS $$
  SELECT c.id FROM coders c JOIN {TEAM_TABLE} t ON t.coder = c.name WHERE t.role = current_user $$;
CREATE OR REPLACE FUNCTION mda_is_lead() RETURNS boolean LANGUAGE sql STABLE
  SET search_path = public AS $$
  SELECT coalesce((SELECT is_lead FROM {TEAM_TABLE} WHERE role = current_user), false) $$;
CREATE OR REPLACE FUNCTION mda_sees_all() RETURNS boolean LANGUAGE sql STABLE
  SET search_path = public AS $$
  SELECT coalesce((SELECT is_lead OR NOT blind FROM {TEAM_TABLE} WHERE role = current_user), false) $$;
"""
"""Who the session is, from ``team_members``: a role not in it is nobody's coder, not the lead, and blind."""

BLIND_SEES = "'code', 'codebook', 'project', 'speaker'"
"""The journal entries of others a blind coder reads (with the documents' imports): none holds a coding.

An allow-list, not a deny-list: undo and redo entries, consensus steps and document removals all
carry codings in their data, and an entry of a kind added later is hidden until it is named here.
"""

_POLICIES: dict[str, tuple[tuple[str, str, str | None, str | None], ...]] = {
    # table: (name, command, USING, WITH CHECK)
    "codings": (
        ("lead_all", "ALL", "(SELECT mda_is_lead())", "(SELECT mda_is_lead())"),
        ("read", "SELECT", "coder_id = (SELECT mda_coder_id()) OR (SELECT mda_sees_all())", None),
        ("own_insert", "INSERT", None, "coder_id = (SELECT mda_coder_id())"),
        ("own_update", "UPDATE", "coder_id = (SELECT mda_coder_id())", "coder_id = (SELECT mda_coder_id())"),
        ("own_delete", "DELETE", "coder_id = (SELECT mda_coder_id())", None),
    ),
    "suggestions": (  # a coder's queue is their own: proposals say where a code would go
        ("lead_all", "ALL", "(SELECT mda_is_lead())", "(SELECT mda_is_lead())"),
        ("read", "SELECT", "coder_id = (SELECT mda_coder_id()) OR (SELECT mda_sees_all())", None),
        ("own_insert", "INSERT", None, "coder_id = (SELECT mda_coder_id())"),
        ("own_update", "UPDATE", "coder_id = (SELECT mda_coder_id())", "coder_id = (SELECT mda_coder_id())"),
        ("own_delete", "DELETE", "coder_id = (SELECT mda_coder_id())", None),
    ),
    "anchor_flags": (  # a flag holds a coding's old and new words: read as the coding is; its coder resolves it
        ("lead_all", "ALL", "(SELECT mda_is_lead())", "(SELECT mda_is_lead())"),
        ("read", "SELECT", "coder_id = (SELECT mda_coder_id()) OR (SELECT mda_sees_all())", None),
        ("own_update", "UPDATE", "coder_id = (SELECT mda_coder_id())", "coder_id = (SELECT mda_coder_id())"),
    ),
    "memos": (
        ("lead_all", "ALL", "(SELECT mda_is_lead())", "(SELECT mda_is_lead())"),
        ("read", "SELECT", "coder_id IS NULL OR coder_id = (SELECT mda_coder_id()) OR (SELECT mda_sees_all())", None),
        ("own_insert", "INSERT", None, "coder_id = (SELECT mda_coder_id())"),
        ("own_update", "UPDATE", "coder_id = (SELECT mda_coder_id())", "coder_id = (SELECT mda_coder_id())"),
        ("own_delete", "DELETE", "coder_id = (SELECT mda_coder_id())", None),
    ),
    "events": (
        (
            "read",
            "SELECT",
            "(SELECT mda_sees_all()) OR actor = (SELECT mda_coder_name()) OR entity IN ("
            + BLIND_SEES
            + ") OR action IN ('document.import', 'document.describe')",
            None,
        ),
        ("own_insert", "INSERT", None, "(SELECT mda_is_lead()) OR actor = (SELECT mda_coder_name())"),
    ),
    "consensus_decisions": (  # they name the codings settled from: not for a blind coder's eyes
        ("lead_all", "ALL", "(SELECT mda_is_lead())", "(SELECT mda_is_lead())"),
        ("read", "SELECT", "(SELECT mda_sees_all())", None),
    ),
    "coders": (
        ("lead_all", "ALL", "(SELECT mda_is_lead())", "(SELECT mda_is_lead())"),
        ("read", "SELECT", "true", None),
        ("own_insert", "INSERT", None, "name = (SELECT mda_coder_name())"),
        ("own_update", "UPDATE", "name = (SELECT mda_coder_name())", "name = (SELECT mda_coder_name())"),
    ),
    "open_windows": (
        ("lead_all", "ALL", "(SELECT mda_is_lead())", "(SELECT mda_is_lead())"),
        ("read", "SELECT", "true", None),
        ("own_insert", "INSERT", None, "coder = (SELECT mda_coder_name())"),
        ("own_update", "UPDATE", "coder = (SELECT mda_coder_name())", "coder = (SELECT mda_coder_name())"),
        ("own_delete", "DELETE", "coder = (SELECT mda_coder_name())", None),
    ),
    "coder_places": (
        ("lead_all", "ALL", "(SELECT mda_is_lead())", "(SELECT mda_is_lead())"),
        ("read", "SELECT", "true", None),
        ("own_insert", "INSERT", None, "coder = (SELECT mda_coder_name())"),
        ("own_update", "UPDATE", "coder = (SELECT mda_coder_name())", "coder = (SELECT mda_coder_name())"),
        ("own_delete", "DELETE", "coder = (SELECT mda_coder_name())", None),
    ),
}
"""The row-level security policies; PostgreSQL lets a row through when any policy for the command does.

Each function is asked as ``(SELECT f())``: the planner then runs it once per statement, not once per row.
"""


@dataclass(frozen=True)
class Member:
    """One row of ``team_members``: a database role and the coder it codes as."""

    role: str
    coder: str
    is_lead: bool
    blind: bool


_ROLE = re.compile(r"^[a-z_][a-z0-9_$]{0,62}$")


def role_name(prefix: str, coder: str) -> str:
    """The database role for ``coder``: ``prefix`` + the name in lower case, other characters as ``_``."""
    return prefix + re.sub(r"[^a-z0-9_]", "_", coder.strip().lower())


def valid_role(role: str) -> bool:
    """Whether ``role`` is a plain PostgreSQL name (no quoting surprises: lower case, digits, ``_``)."""
    return _ROLE.match(role) is not None and not role.startswith("pg_")  # pg_ is PostgreSQL's own


def quoted(role: str) -> str:
    """A role as an SQL identifier; roles are checked with ``valid_role`` first, the quotes are a second guard."""
    return '"' + role.replace('"', '""') + '"'


def is_team_server(conn: Connection) -> bool:
    """Whether the database has been set up for a team (``server init``)."""
    return conn.scalar(text("SELECT to_regclass('public.team_members') IS NOT NULL")) is True


def members(conn: Connection) -> list[Member]:
    rows = conn.execute(text(f"SELECT role, coder, is_lead, blind FROM {TEAM_TABLE} ORDER BY is_lead DESC, coder"))
    return [Member(r.role, r.coder, bool(r.is_lead), bool(r.blind)) for r in rows]


def me(conn: Connection) -> Member | None:
    """The team member the session runs as, or None (not a team server, or a role not in the team)."""
    if not is_team_server(conn):
        return None
    row = conn.execute(text(f"SELECT role, coder, is_lead, blind FROM {TEAM_TABLE} WHERE role = current_user")).first()
    return None if row is None else Member(row.role, row.coder, bool(row.is_lead), bool(row.blind))


def may_change_every_coding(conn: Connection) -> bool:
    """Whether the session may move every coder's codings and write the documents (on a team server: the lead)."""
    if conn.dialect.name != "postgresql" or not is_team_server(conn):
        return True
    return (
        conn.scalar(
            text(
                "SELECT (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) OR (mda_is_lead() "
                "AND has_table_privilege('documents', 'UPDATE') AND has_table_privilege('codings', 'UPDATE'))"
            )
        )
        is True
    )


def current_role(conn: Connection) -> str:
    return str(conn.scalar(text("SELECT current_user")))


def role_exists(conn: Connection, role: str) -> bool:
    return conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}) is not None


def may_create_roles(conn: Connection) -> bool:
    return conn.scalar(text("SELECT rolsuper OR rolcreaterole FROM pg_roles WHERE rolname = current_user")) is True


def ensure_role(conn: Connection, role: str) -> bool:
    """Make a login role without a password (or reuse the one of that name); True when it was made."""
    if role_exists(conn, role):
        return False
    conn.execute(text(f"CREATE ROLE {quoted(role)} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT"))
    return True


def create_team_table(conn: Connection) -> None:
    conn.execute(
        text(
            f"CREATE TABLE {TEAM_TABLE} (role TEXT PRIMARY KEY, coder TEXT NOT NULL UNIQUE, "
            "is_lead BOOLEAN NOT NULL DEFAULT false, blind BOOLEAN NOT NULL DEFAULT false)"
        )
    )


def add_member(conn: Connection, member: Member) -> None:
    conn.execute(
        text(f"INSERT INTO {TEAM_TABLE} (role, coder, is_lead, blind) VALUES (:role, :coder, :lead, :blind)"),
        {"role": member.role, "coder": member.coder, "lead": member.is_lead, "blind": member.blind},
    )
    if conn.scalar(select(Coder.id).where(Coder.name == member.coder)) is None:
        conn.execute(insert(Coder).values(name=member.coder))  # the model's defaults: its uuid, its time


def set_blind(conn: Connection, coder: str, blind: bool) -> int:
    """Make ``coder`` blind or not; the number of members changed (0: no such coder)."""
    result = conn.execute(
        text(f"UPDATE {TEAM_TABLE} SET blind = :blind WHERE coder = :coder AND NOT is_lead"),
        {"blind": blind, "coder": coder},
    )
    return int(getattr(result, "rowcount", 0) or 0)


def tables(conn: Connection) -> list[str]:
    rows = conn.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"))
    return [r[0] for r in rows]


def secure(conn: Connection) -> None:
    """Set up the functions, row-level security and its policies (the grants come per role, ``grant``); again is harmless."""
    conn.exec_driver_sql(_FUNCTIONS)
    for table, policies in _POLICIES.items():
        conn.execute(text(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY"))
        conn.execute(text(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY"))
        for name, command, using, check in policies:
            conn.execute(text(f"DROP POLICY IF EXISTS {name} ON {table}"))  # set again after an upgrade
            sql = f"CREATE POLICY {name} ON {table} FOR {command}"
            if using is not None:
                sql += f" USING ({using})"
            if check is not None:
                sql += f" WITH CHECK ({check})"
            conn.execute(text(sql))


def hand_over(conn: Connection, lead: str) -> None:
    """Make ``lead`` the owner of the tables, their sequences and the functions, as if the lead had made them.

    Only the owner may change the schema (a later mda-coder's migrations) and the policies; the
    role that ran ``server init`` for another lead (``--lead-role``) hands them over so.
    """
    who = quoted(lead)
    for table in tables(conn):
        conn.execute(text(f"ALTER TABLE {quoted(table)} OWNER TO {who}"))
    functions = conn.scalars(
        text(
            "SELECT p.oid::regprocedure::text FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace"
            " WHERE n.nspname = 'public'"
        )
    )
    for function in list(functions):
        conn.execute(text(f"ALTER FUNCTION {function} OWNER TO {who}"))
    conn.execute(text(f"GRANT CREATE ON SCHEMA public TO {who}"))


def grant(conn: Connection, role: str, *, lead: bool) -> None:
    """Give ``role`` what a coder (or the lead) may do; row-level security then narrows it to their rows."""
    who = quoted(role)
    if lead and role == current_role(conn):
        return  # the owner (the lead after ``hand_over``) has every right already
    if lead:
        # WITH GRANT OPTION: the lead adds coders later (``server add-coder``), granting them their part
        conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {who} WITH GRANT OPTION"))
        conn.execute(text(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {who} WITH GRANT OPTION"))
        conn.execute(text(f"GRANT ALL ON ALL TABLES IN SCHEMA public TO {who} WITH GRANT OPTION"))
        conn.execute(text(f"GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO {who} WITH GRANT OPTION"))
        return
    conn.execute(text(f"GRANT USAGE ON SCHEMA public TO {who}"))
    conn.execute(text(f"GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA public TO {who}"))
    conn.execute(text(f"GRANT SELECT ON ALL TABLES IN SCHEMA public TO {who}"))
    conn.execute(text(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA public TO {who}"))
    present = set(tables(conn))
    for table, rights in CODER_WRITES.items():
        if table in present:
            conn.execute(text(f"GRANT {rights} ON {table} TO {who}"))


def remove_member(conn: Connection, member: Member) -> None:
    """Take ``member`` out of the team: their role loses every right in this database; their rows stay.

    Run as the lead, who granted the rights (PostgreSQL revokes only what the revoker granted).
    The role itself is the server's, and may be used by other databases: it is left.
    """
    who = quoted(member.role)
    conn.execute(text(f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {who}"))
    conn.execute(text(f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {who}"))
    conn.execute(text(f"REVOKE ALL ON ALL FUNCTIONS IN SCHEMA public FROM {who}"))
    conn.execute(text(f"REVOKE ALL ON SCHEMA public FROM {who}"))
    conn.execute(text(f"DELETE FROM {TEAM_TABLE} WHERE role = :role"), {"role": member.role})
