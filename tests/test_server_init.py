"""``mda-coder server init``: a project file moved onto PostgreSQL exactly (ids, journal, schema), all or nothing."""

from __future__ import annotations

import base64
import hashlib
import hmac
import sqlite3
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest
from click.testing import CliRunner
from sqlalchemy import MetaData, create_engine, select

from mda_coder.cli.app import cli
from mda_coder.services.server import scram_verifier, set_password
from mda_coder.store import migrations, search_index
from tests.test_server_access import drop_roles, init_team, small_project

pytestmark = pytest.mark.postgres  # skipped without a server, failed where one is required (tests/conftest.py)

SKIP_COLUMNS = {"created_at", "modified_at", "applied_at", "imported_at", "at", "saved_at"}
"""Times are compared apart: SQLite keeps them without a zone, the server as UTC instants."""


@pytest.fixture
def prefix(pg_url: str) -> Iterator[str]:
    name = f"t{uuid.uuid4().hex[:8]}_"
    yield name
    drop_roles(pg_url, name)


def rows(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every table's rows (times left out), ordered by all their columns, as the database at ``url`` has them."""
    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    meta = MetaData()
    found: dict[str, list[tuple[Any, ...]]] = {}
    with engine.connect() as conn:
        meta.reflect(conn)
        # the search index is made on the server from the rows, not copied: compared as its entries
        found[search_index.TABLE] = [tuple(e) for e in search_index.entries(conn)]
        for table in meta.sorted_tables:
            if table.name.startswith(("search_index", "search_vocab")):
                continue
            columns = [c for c in table.columns if c.name not in SKIP_COLUMNS]
            found[table.name] = sorted((tuple(r) for r in conn.execute(select(*columns))), key=repr)
    engine.dispose()
    return found


def test_init_copies_every_row_with_its_id(
    pg_url: str, prefix: str, tmp_path: Path, mini_codebook: Path, transcript: Path
) -> None:
    project = tmp_path / "studie.mda"
    small_project(project, mini_codebook, transcript)
    output = init_team(pg_url, project, prefix, "--blind-all")
    assert "roles made: " in output and f"{prefix}anna" in output
    assert "mda-coder server password" in output and ".pgpass" in output
    here, there = rows(f"sqlite:///{project}"), rows(pg_url)
    extra = {"team_members"}
    assert set(there) - set(here) == extra
    for table, have in here.items():
        want = there[table]
        if table == "settings":
            want = [r for r in want if r[0] != "server_role_prefix"]
        if table == "coders":
            want = [r for r in want if "lead" not in r and "bo" not in r]
        assert want == have, table
    with psycopg.connect(pg_url.replace("://postgres@", f"://{prefix}lead@"), autocommit=True) as lead:
        highest = lead.execute("SELECT max(id) FROM codings").fetchone()
        made = lead.execute(
            "INSERT INTO codings (uuid, coder_id, code_id, document_id, start_offset, end_offset, created_at,"
            " modified_at) SELECT gen_random_uuid(), coder_id, code_id, document_id, 0, 1, now(), now()"
            " FROM codings LIMIT 1 RETURNING id"
        ).fetchone()
        assert highest is not None and made is not None and made[0] == highest[0] + 1
        blind = lead.execute("SELECT coder, blind FROM team_members ORDER BY coder").fetchall()
        assert blind == [("anna", True), ("bo", True), ("erik", True), ("lead", False)]
    with sqlite3.connect(project) as conn:
        times = conn.execute("SELECT count(*) FROM events").fetchone()
    assert times == (len(there["events"]),)


def test_init_needs_an_empty_database_and_says_so(
    pg_url: str, prefix: str, tmp_path: Path, mini_codebook: Path, transcript: Path
) -> None:
    project = tmp_path / "studie.mda"
    small_project(project, mini_codebook, transcript)
    init_team(pg_url, project, prefix)
    before = rows(pg_url)
    result = CliRunner().invoke(cli, ["server", "init", pg_url, "--from", str(project), "--role-prefix", prefix + "x"])
    assert result.exit_code == 1
    assert result.output.strip() == f"Error: {pg_url}: already holds an mda-coder project"
    assert rows(pg_url) == before


def test_a_failed_init_leaves_the_server_as_it_was(
    pg_url: str, prefix: str, tmp_path: Path, mini_codebook: Path, transcript: Path
) -> None:
    project = tmp_path / "studie.mda"
    small_project(project, mini_codebook, transcript)
    with sqlite3.connect(project) as conn:  # SQLite keeps a NUL in a text; PostgreSQL refuses it, half-way through
        conn.execute("UPDATE memos SET text = 'a' || char(0) || 'b'")
    result = CliRunner().invoke(
        cli, ["server", "init", pg_url, "--from", str(project), "--coders", "anna", "--role-prefix", prefix]
    )
    assert result.exit_code == 1
    assert "the server said:" in result.output and "nothing was changed" in result.output
    assert "Traceback" not in result.output
    with psycopg.connect(pg_url, autocommit=True) as admin:
        assert admin.execute("SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").fetchone() == (0,)
        assert admin.execute("SELECT count(*) FROM pg_roles WHERE rolname LIKE %s", (prefix + "%",)).fetchone() == (0,)


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--coders", "anna", "--blind", "erik"], "--blind names erik, who are not among --coders"),
        (["--coders", "consensus"], "'consensus' is the consensus layer"),
        (["--coders", "anna", "--role-prefix", "pg_"], "'pg_anna' cannot be a role name"),
        (["--coders", "anna", "--lead-role", "postgres"], None),
    ],
)
def test_init_refuses_what_cannot_work_in_one_line(
    pg_url: str, prefix: str, tmp_path: Path, mini_codebook: Path, transcript: Path, args: list[str], said: str | None
) -> None:
    project = tmp_path / "studie.mda"
    small_project(project, mini_codebook, transcript)
    if said is None:  # a coder role that bypasses row-level security could change anything
        args = ["--coders", "postgres", "--lead-role", prefix + "lead"]
        said = "role postgres is a superuser or bypasses row-level security"
    result = CliRunner().invoke(cli, ["server", "init", pg_url, "--from", str(project), *args])
    assert result.exit_code == 1, result.output
    assert said in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_logging_in_wrong_is_one_line(pg_url: str) -> None:
    runner = CliRunner()
    nobody = pg_url.replace("://postgres@", "://no_such_role_here@")
    result = runner.invoke(cli, ["server", "list", nobody])
    assert result.exit_code == 1
    assert "cannot log in: the server has no role no_such_role_here" in result.output
    missing = pg_url.rsplit("/", 1)[0] + "/no_such_database_here"
    result = runner.invoke(cli, ["documents", missing])
    assert result.exit_code == 1
    assert "cannot log in: the server has no database no_such_database_here" in result.output
    result = runner.invoke(cli, ["server", "list", pg_url])
    assert result.exit_code == 1
    assert "not set up for a team; run 'mda-coder server init' first" in result.output
    result = runner.invoke(cli, ["server", "list", pg_url.replace("://postgres@", "://postgres:hemligt@")])
    assert result.exit_code == 1
    assert "a password in the URL would stay in the shell's history; put it in ~/.pgpass" in result.output
    assert "hemligt" not in result.output


def test_a_password_is_sent_as_a_scram_verifier_the_server_accepts(pg_url: str, prefix: str) -> None:
    # RFC 7677, section 3: user "user", password "pencil"; the verifier must reproduce the server's signature
    # from its ServerKey, and its StoredKey must accept the client's proof
    salt = "W22ZaJ0SNY7soEsUEjb6gQ=="
    verifier = scram_verifier("pencil", salt=base64.b64decode(salt))
    head, keys = verifier.rsplit("$", 1)
    assert head == f"SCRAM-SHA-256$4096:{salt}"
    stored_key, server_key = (base64.b64decode(k) for k in keys.split(":"))
    nonce = "rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0"
    said = f"n=user,r=rOprNGfwEbeRWgbNEkqO,r={nonce},s={salt},i=4096,c=biws,r={nonce}".encode()
    signature = hmac.new(server_key, said, hashlib.sha256).digest()
    assert base64.b64encode(signature).decode() == "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4="
    proof = base64.b64decode("dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=")
    client_signature = hmac.new(stored_key, said, hashlib.sha256).digest()
    client_key = bytes(a ^ b for a, b in zip(proof, client_signature, strict=True))
    assert hashlib.sha256(client_key).digest() == stored_key
    role = prefix + "anna"
    with psycopg.connect(pg_url, autocommit=True) as admin:
        admin.execute(f"CREATE ROLE {role} LOGIN")
    set_password(pg_url, role, "hemligt ord")
    with psycopg.connect(pg_url, autocommit=True) as admin:
        stored = admin.execute("SELECT rolpassword FROM pg_authid WHERE rolname = %s", (role,)).fetchone()
        statements = admin.execute("SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%hemligt%'").fetchone()
    assert stored is not None and str(stored[0]).startswith("SCRAM-SHA-256$4096:")
    assert statements == (1,)  # only the query just above holds the words; the ALTER ROLE held the verifier


def test_upgrade_sets_access_again_for_what_a_migration_added(
    pg_url: str, prefix: str, tmp_path: Path, mini_codebook: Path, transcript: Path
) -> None:
    project = tmp_path / "studie.mda"
    small_project(project, mini_codebook, transcript)
    init_team(pg_url, project, prefix)
    anna_url = pg_url.replace("://postgres@", f"://{prefix}anna@")
    lead_url = pg_url.replace("://postgres@", f"://{prefix}lead@")
    with psycopg.connect(lead_url, autocommit=True) as lead:  # as a later migration run by the lead would
        assert lead.execute("SELECT count(*) FROM pg_tables WHERE tableowner = %s", (prefix + "lead",)).fetchone() == (
            len(rows(pg_url)),
        )
        lead.execute("CREATE TABLE later_notes (id serial PRIMARY KEY, note text)")
    with psycopg.connect(anna_url, autocommit=True) as anna, pytest.raises(psycopg.errors.InsufficientPrivilege):
        anna.execute("SELECT count(*) FROM later_notes")
    runner = CliRunner()
    result = runner.invoke(cli, ["server", "upgrade", anna_url])
    assert result.exit_code == 1
    assert "only the lead can do this" in result.output
    version = migrations.latest_version()
    result = runner.invoke(cli, ["server", "upgrade", lead_url])
    assert result.exit_code == 0, result.output
    assert f"schema {version} → {version}; access set again for 4 roles" in result.output
    with psycopg.connect(anna_url, autocommit=True) as anna:
        assert anna.execute("SELECT count(*) FROM later_notes").fetchone() == (0,)
        assert anna.execute("DELETE FROM codings").rowcount == 2  # her own two, and still only those
    with psycopg.connect(pg_url, autocommit=True) as admin:
        assert admin.execute("SELECT count(*) FROM codings").fetchone() == (2,)


def test_a_coder_is_told_to_ask_the_lead_when_the_server_needs_an_upgrade(
    pg_url: str, prefix: str, tmp_path: Path, mini_codebook: Path, transcript: Path
) -> None:
    """A newer mda-coder on an older team server: the coder gets one line naming 'server upgrade'; the lead runs it."""
    project = tmp_path / "studie.mda"
    small_project(project, mini_codebook, transcript)
    init_team(pg_url, project, prefix)
    latest = migrations.latest_version()
    with psycopg.connect(pg_url, autocommit=True) as admin:  # as a server made by the version before
        admin.execute("DELETE FROM schema_migrations WHERE version = %s", (latest,))
    anna_url = pg_url.replace("://postgres@", f"://{prefix}anna@")
    lead_url = pg_url.replace("://postgres@", f"://{prefix}lead@")
    runner = CliRunner()
    result = runner.invoke(cli, ["info", anna_url])
    assert result.exit_code == 1 and result.output.count("\n") == 1
    assert (
        f"the project on the server has schema {latest - 1}, and this mda-coder needs {latest}: "
        "ask the lead to run 'mda-coder server upgrade' on it first" in result.output
    )
    result = runner.invoke(cli, ["server", "upgrade", lead_url])
    assert result.exit_code == 0 and f"schema {latest - 1} → {latest}" in result.output, result.output
    result = runner.invoke(cli, ["info", anna_url])
    assert result.exit_code == 0, result.output
