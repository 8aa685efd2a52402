"""A team on one PostgreSQL server: what the database itself lets each role do, proved with raw SQL as that role."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from mda_coder.cli.app import cli
from mda_coder.core.errors import MdaError
from mda_coder.services import importing
from mda_coder.services.coding import Target, apply_code, list_codings, remove_code
from mda_coder.services.history import redo, undo
from mda_coder.services.memos import add_memo, list_memos
from mda_coder.services.project import create_project, open_project

pytestmark = pytest.mark.postgres  # skipped without a server, failed where one is required (tests/conftest.py)


@dataclass(frozen=True)
class TeamServer:
    """A project moved onto a fresh database by ``server init``, with roles unique to the test."""

    url: str
    """The superuser's URL of the database."""
    prefix: str

    def role(self, coder: str) -> str:
        return self.prefix + coder

    def as_(self, coder: str) -> str:
        """The URL a coder (or ``lead``) connects with."""
        return self.url.replace("://postgres@", f"://{self.role(coder)}@", 1)

    def sql(self, coder: str) -> psycopg.Connection[tuple[object, ...]]:
        """A raw connection as the coder's role, autocommitting: each statement stands alone."""
        return psycopg.connect(self.as_(coder), autocommit=True)


def small_project(path: Path, codebook: Path, transcript: Path) -> None:
    """A project file with one document and codings by anna and erik on the same turns."""
    db = create_project(path, "sv", codebook, actor="lead")
    importing.import_files(db, [transcript], group="FG9")
    for coder in ("anna", "erik"):
        for turn in (2, 3):
            apply_code(db, coder=coder, code="tilltro", document="FG9", target=Target(turn=turn))
    add_memo(db, "erik tänker högt", document="FG9", coder="erik")
    db.close()


def drop_roles(url: str, prefix: str) -> None:
    """Roles are the cluster's, not the database's: take the test's away again (their grants go with DROP OWNED)."""
    admin = create_engine(url.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        roles = list(conn.scalars(text("SELECT rolname FROM pg_roles WHERE rolname LIKE :p"), {"p": prefix + "%"}))
        conn.execute(
            text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename LIKE :p"), {"p": prefix + "%"}
        )
        # The lead's first: what the lead granted a coder added later (add-coder) goes with the lead's
        # grant option, and a superuser's DROP OWNED BY the coder does not revoke a grant the lead made.
        for role in sorted(roles, key=lambda r: not r.endswith("lead")):
            conn.execute(text(f'DROP OWNED BY "{role}"'))
        for role in roles:
            conn.execute(text(f'DROP ROLE "{role}"'))
    admin.dispose()


def init_team(url: str, project: Path, prefix: str, *extra: str) -> str:
    result = CliRunner().invoke(
        cli,
        [
            "server",
            "init",
            url,
            "--from",
            str(project),
            "--coders",
            "anna,erik,bo",
            "--role-prefix",
            prefix,
            "--lead-role",
            prefix + "lead",
            *extra,
        ],
    )
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture
def team(pg_url: str, tmp_path: Path, mini_codebook: Path, transcript: Path) -> Iterator[TeamServer]:
    """anna and erik code openly, bo blind; the lead is ``<prefix>lead``."""
    prefix = f"t{uuid.uuid4().hex[:8]}_"
    small_project(tmp_path / "studie.mda", mini_codebook, transcript)
    try:
        init_team(pg_url, tmp_path / "studie.mda", prefix, "--blind", "bo")
        yield TeamServer(pg_url, prefix)
    finally:
        drop_roles(pg_url, prefix)


def codings_of(conn: psycopg.Connection[tuple[object, ...]], coder: str) -> int:
    row = conn.execute(
        "SELECT count(*) FROM codings g JOIN coders c ON c.id = g.coder_id WHERE c.name = %s", (coder,)
    ).fetchone()
    assert row is not None
    return int(str(row[0]))


def test_a_coder_cannot_change_or_delete_another_coders_codings(team: TeamServer) -> None:
    with team.sql("anna") as anna:
        assert codings_of(anna, "erik") == 2
        changed = anna.execute(
            "UPDATE codings SET memo = 'anna was here' WHERE coder_id = (SELECT id FROM coders WHERE name = 'erik')"
        )
        assert changed.rowcount == 0
        deleted = anna.execute("DELETE FROM codings WHERE coder_id = (SELECT id FROM coders WHERE name = 'erik')")
        assert deleted.rowcount == 0
    with team.sql("lead") as lead:
        assert codings_of(lead, "erik") == 2
        memos = lead.execute("SELECT count(*) FROM codings WHERE memo = 'anna was here'").fetchone()
        assert memos == (0,)


def test_a_coder_cannot_hand_their_codings_to_another(team: TeamServer) -> None:
    with team.sql("anna") as anna, pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
        anna.execute(
            "UPDATE codings SET coder_id = (SELECT id FROM coders WHERE name = 'erik')"
            " WHERE coder_id = (SELECT id FROM coders WHERE name = 'anna')"
        )
    with team.sql("lead") as lead:
        assert (codings_of(lead, "anna"), codings_of(lead, "erik")) == (2, 2)


def test_a_coder_cannot_insert_for_another_coder_nor_journal_in_their_name(team: TeamServer) -> None:
    with team.sql("anna") as anna:
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            anna.execute(
                "INSERT INTO codings (uuid, coder_id, code_id, document_id, start_offset, end_offset, created_at,"
                " modified_at) SELECT gen_random_uuid(), (SELECT id FROM coders WHERE name = 'erik'), code_id,"
                " document_id, 0, 5, now(), now() FROM codings LIMIT 1"
            )
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            anna.execute(
                "INSERT INTO events (at, actor, action, entity, data) VALUES (now(), 'erik', 'coding.apply',"
                " 'coding', '{}')"
            )
        anna.execute(
            "INSERT INTO events (at, actor, action, entity, data) VALUES (now(), 'anna', 'note', 'project', '{}')"
        )
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied for table events"):
            anna.execute("DELETE FROM events WHERE actor = 'anna'")
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            anna.execute(
                "INSERT INTO memos (uuid, target_kind, text, title, coder_id, created_at, modified_at)"
                " VALUES (gen_random_uuid(), 'project', 'x', '', (SELECT id FROM coders WHERE name = 'erik'), now(), now())"
            )
        assert anna.execute("DELETE FROM memos").rowcount == 0  # erik's memo is not anna's to remove
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            anna.execute("INSERT INTO coders (uuid, name, created_at) VALUES (gen_random_uuid(), 'mallory', now())")
        assert anna.execute("UPDATE coders SET name = 'erika' WHERE name = 'erik'").rowcount == 0


def test_the_codebook_and_the_documents_are_the_leads_to_change(team: TeamServer) -> None:
    with team.sql("anna") as anna:
        for statement in (
            "UPDATE codes SET name = 'misstro' WHERE name = 'tilltro'",
            "DELETE FROM codes WHERE name = 'jobbfokus'",
            "INSERT INTO exclusive_groups (name, description) VALUES ('g', '')",
            "UPDATE documents SET text = ''",
            "DELETE FROM turns",
            "UPDATE settings SET value = 'en' WHERE key = 'language'",
            "INSERT INTO consensus_decisions (code_id, document_id, unit, position, start_offset, end_offset,"
            " decision, coders, codings, reviewer, created_at) VALUES (1, 1, 'turn', 1, 0, 1, 'take', '{}', '{}',"
            " 'anna', now())",
            "UPDATE team_members SET blind = false",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege, match="permission denied"):
                anna.execute(statement)
        assert anna.execute("SELECT count(*) FROM codes").fetchone() == (8,)
    with team.sql("lead") as lead:
        assert lead.execute("UPDATE codes SET color = '#000000' WHERE name = 'tilltro'").rowcount == 1
        assert (
            lead.execute("DELETE FROM codings WHERE coder_id = (SELECT id FROM coders WHERE name = 'erik')").rowcount
            == 2
        )
        lead.execute(
            "INSERT INTO codings (uuid, coder_id, code_id, document_id, start_offset, end_offset, created_at,"
            " modified_at) SELECT gen_random_uuid(), (SELECT id FROM coders WHERE name = 'erik'), code_id,"
            " document_id, start_offset, end_offset, now(), now() FROM codings WHERE coder_id = (SELECT id FROM coders WHERE name = 'anna')"
        )
        journal = lead.execute("SELECT count(*) FROM events").fetchone()
        # no policy lets anyone change or remove an entry: not even the lead, who owns no exception
        assert lead.execute("UPDATE events SET actor = 'x'").rowcount == 0
        assert lead.execute("DELETE FROM events").rowcount == 0
        assert lead.execute("SELECT count(*) FROM events").fetchone() == journal


def test_a_blind_coder_sees_only_their_own_codings_until_the_lead_says_otherwise(team: TeamServer) -> None:
    with team.sql("bo") as bo, team.sql("anna") as anna:
        assert (codings_of(bo, "anna"), codings_of(bo, "erik")) == (0, 0)
        assert codings_of(anna, "erik") == 2
        assert bo.execute("SELECT count(*) FROM memos").fetchone() == (0,)
        assert bo.execute("SELECT count(*) FROM events WHERE entity IN ('coding', 'memo')").fetchone() == (0,)
        assert bo.execute("SELECT action FROM events WHERE entity = 'codebook'").fetchall() == [("codebook.import",)]
        assert anna.execute("SELECT count(*) FROM events WHERE entity IN ('coding', 'memo')").fetchone() == (5,)
        with team.sql("lead") as lead:
            lead.execute(
                "INSERT INTO consensus_decisions (code_id, document_id, unit, position, start_offset, end_offset,"
                " decision, coders, codings, reviewer, created_at) SELECT code_id, document_id, 'turn', 2,"
                " start_offset, end_offset, 'take', '{}', '{}', 'lead', now() FROM codings LIMIT 1"
            )
        assert bo.execute("SELECT count(*) FROM consensus_decisions").fetchone() == (0,)
        assert anna.execute("SELECT count(*) FROM consensus_decisions").fetchone() == (1,)
        result = CliRunner().invoke(cli, ["server", "blind", team.as_("lead"), "bo", "--off"])
        assert result.exit_code == 0, result.output
        assert codings_of(bo, "erik") == 2
        result = CliRunner().invoke(cli, ["server", "blind", team.as_("anna"), "bo", "--on"])
        assert result.exit_code == 1
        assert "only the lead can do this" in result.output


def test_the_services_work_as_a_coder_on_the_server(team: TeamServer) -> None:
    db = open_project(team.as_("anna"))
    try:
        _, created = apply_code(db, coder="anna", code="jobbfokus", document="FG9", target=Target(turn=5))
        assert created
        step = undo(db, "anna")
        assert step is not None
        assert "jobbfokus" not in [c.code_path for c in list_codings(db, coders=("anna",))]
        assert redo(db, "anna") is not None
        assert "jobbfokus" in [c.code_path for c in list_codings(db, coders=("anna",))]
        memo = add_memo(db, "varför här?", document="FG9", turn=5, coder="anna")
        assert memo.text == "varför här?"
        remove_code(db, coder="anna", code="jobbfokus", document="FG9", target=Target(turn=5))
        with pytest.raises(MdaError, match=r"the server refused: .*anna may change only their own codings"):
            apply_code(db, coder="erik", code="jobbfokus", document="FG9", target=Target(turn=5))
        assert sorted(m.text for m in list_memos(db)) == ["erik tänker högt", "varför här?"]
    finally:
        db.close()
    blind = open_project(team.as_("bo"))
    try:
        apply_code(blind, coder="bo", code="tilltro", document="FG9", target=Target(turn=2))
        assert {c.coder for c in list_codings(blind)} == {"bo"}
        assert undo(blind, "bo") is not None
    finally:
        blind.close()


def test_the_command_line_acts_as_the_roles_coder(team: TeamServer) -> None:
    runner = CliRunner()
    anna = team.as_("anna")
    result = runner.invoke(cli, ["codings", "apply", anna, "FG9", "--code", "jobbfokus", "--turn", "3"])
    assert result.exit_code == 0, result.output
    assert "by anna" in result.output
    result = runner.invoke(
        cli, ["codings", "apply", anna, "FG9", "--coder", "erik", "--code", "jobbfokus", "--turn", "3"]
    )
    assert result.exit_code == 1
    assert "who codes as anna; the server would refuse changes as erik" in result.output
    assert "Traceback" not in result.output
    result = runner.invoke(cli, ["open", anna, "--coder", "erik"])
    assert result.exit_code == 1
    assert "who codes as anna; the server would refuse changes as erik" in result.output
    result = runner.invoke(cli, ["undo", anna])
    assert result.exit_code == 0, result.output
    assert "Undone: apply jobbfokus" in result.output
    result = runner.invoke(cli, ["memos", "add", anna, "en tanke", "--document", "FG9"])
    assert result.exit_code == 0, result.output
    result = runner.invoke(cli, ["memos", "list", anna, "--json"])
    assert [m["coder"] for m in json.loads(result.stdout) if m["text"] == "en tanke"] == ["anna"]
    result = runner.invoke(
        cli, ["codings", "apply", team.as_("lead"), "FG9", "--coder", "consensus", "--code", "jobbfokus", "--turn", "3"]
    )
    assert result.exit_code == 0, result.output


def test_the_team_is_listed_and_grows(team: TeamServer) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["server", "add-coder", team.as_("lead"), "cecilia", "--blind"])
    assert result.exit_code == 1
    assert f"role {team.prefix}cecilia does not exist, and {team.prefix}lead may not create roles" in result.output
    with team.sql("lead") as lead:
        assert lead.execute("SELECT count(*) FROM team_members").fetchone() == (4,)
    with psycopg.connect(team.url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {team.prefix}cecilia LOGIN")
    result = runner.invoke(cli, ["server", "add-coder", team.as_("lead"), "cecilia", "--blind"])
    assert result.exit_code == 0, result.output
    assert f"cecilia codes as role {team.prefix}cecilia (blind)" in result.output
    result = runner.invoke(cli, ["server", "list", team.as_("anna"), "--json"])
    assert result.exit_code == 0, result.output
    members = {m["coder"]: m for m in json.loads(result.output)}
    assert set(members) == {"lead", "anna", "erik", "bo", "cecilia"}
    assert (members["lead"]["lead"], members["bo"]["blind"], members["cecilia"]["blind"]) == (True, True, True)
    assert members["anna"]["url"] == team.as_("anna")
    with team.sql("cecilia") as cecilia:
        assert codings_of(cecilia, "anna") == 0
    result = runner.invoke(cli, ["server", "add-coder", team.as_("anna"), "dan"])
    assert result.exit_code == 1
    assert "only the lead can do this" in result.output


def test_a_coder_taken_out_of_the_team_can_no_longer_read_and_their_work_stays(team: TeamServer) -> None:
    runner = CliRunner()
    result = runner.invoke(cli, ["server", "remove-coder", team.as_("anna"), "erik"])
    assert result.exit_code == 1 and "only the lead can do this" in result.output
    result = runner.invoke(cli, ["server", "remove-coder", team.as_("lead"), "lead"])
    assert result.exit_code == 1 and "lead is the lead, who cannot be taken out of the team" in result.output
    result = runner.invoke(cli, ["server", "remove-coder", team.as_("lead"), "nobody"])
    assert result.exit_code == 1 and "no coder nobody in the team (coders: anna, bo, erik)" in result.output
    result = runner.invoke(cli, ["server", "remove-coder", team.as_("lead"), "erik"])
    assert result.exit_code == 0, result.output
    assert f"erik is out of the team: role {team.prefix}erik may no longer read or change this project" in (
        result.output
    )
    with team.sql("erik") as erik, pytest.raises(psycopg.errors.InsufficientPrivilege):
        erik.execute("SELECT count(*) FROM codings")
    result = runner.invoke(cli, ["codings", "list", team.as_("erik")])
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert f"{team.prefix}erik may not read this project: not in its team" in result.output
    with team.sql("lead") as lead:  # erik's codings and memo are still the project's
        assert codings_of(lead, "erik") == 2
        assert lead.execute("SELECT count(*) FROM team_members WHERE coder = 'erik'").fetchone() == (0,)
    result = runner.invoke(cli, ["agree", team.as_("lead"), "--coders", "anna,erik"])
    assert result.exit_code == 0, result.output
