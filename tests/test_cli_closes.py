"""Every command closes the project it opens, when it succeeds and when it fails (no ``Database`` left open)."""

from __future__ import annotations

import shlex
import uuid
from pathlib import Path

import click
import psycopg
import pytest
from click.testing import CliRunner

from mda_coder.cli import cli, load_all
from mda_coder.store.engine import open_count
from tests.conftest import MINI_CODEBOOK, TRANSCRIPT
from tests.test_server_access import drop_roles

# In order, on one project: {p} the project, {f} a folder of input files, {e} an empty project.
STEPS = [
    ("init", "init {p} --codebook {f}/mini.yaml"),
    ("init", "init {e}"),
    ("import", "import {p} {f}/FG9.txt --group FG9"),
    ("import", "import {p} {f}/FG9.txt --preview"),
    ("info", "info {p}"),
    ("documents list", "documents list {p}"),
    ("documents doubts", "documents doubts {p} FG9"),
    ("speakers list", "speakers list {p} FG9"),
    ("speakers import", "speakers import {p} {f}/talare.csv"),
    ("speaker", "speaker {p} FG9 R1 --role konsulent"),
    ("document describe", "document {p} FG9 --group FG9b"),
    ("turns", "turns {p} FG9"),
    ("sentences", "sentences {p} FG9 --turn 2"),
    ("search", "search {p} FG9 tilltro"),
    ("search", "search {p} tilltro --compounds --no-moderator --sort left --csv"),
    ("codebook list", "codebook list {p}"),
    ("codebook export", "codebook export {p} {f}/book.yaml"),
    ("codebook import", "codebook import {p} {f}/mini.yaml"),
    ("codings apply", "codings apply {p} FG9 --coder anna --code tilltro --turn 2"),
    ("codings apply", "codings apply {p} FG9 --coder erik --code jobbfokus --turn 3"),
    ("codings apply", "codings apply {p} FG9 --coder erik --code tilltro --turn 2"),
    ("codings list", "codings list {p}"),
    ("turn edit", "turn edit {p} FG9 3 --text 'Mm. Och att vi fokuserar på arbete... hela tiden.'"),
    ("turn split", "turn split {p} FG9 3 --at 'Och att'"),
    ("turn merge", "turn merge {p} FG9 3"),
    ("turn speaker", "turn speaker {p} FG9 5 R2"),
    ("document replace", "document replace {p} FG9 {f}/FG9_rättad.txt --dry-run"),
    ("document replace", "document replace {p} FG9 {f}/FG9_rättad.txt"),
    ("document flags", "document flags {p} FG9"),
    ("document flags", "document flags {p} --resolve-all"),
    ("suggest", "suggest {p} --coder anna --code tilltro --from-search tilltro"),
    ("suggestions list", "suggestions list {p} --coder anna"),
    ("suggestions skip", "suggestions skip {p} 1 --coder anna"),
    ("suggestions accept", "suggestions accept {p} 1 --coder anna"),
    ("suggest", "suggest {p} --coder anna --code tilltro --from-search jobb"),
    ("suggestions reject", "suggestions reject {p} 2 --coder anna"),
    ("suggest", "suggest {p} --coder anna --evaluate"),
    ("codings export", "codings export {p} {f}/codings.csv"),
    ("codings remove", "codings remove {p} FG9 --coder erik --code tilltro --turn 2"),
    ("codings import", "codings import {p} {f}/codings.csv"),
    ("memos add", "memos add {p} 'ett memo' --code tilltro --coder anna"),
    ("memos list", "memos list {p}"),
    ("log", "log {p}"),
    ("undo", "undo {p} --as anna"),
    ("redo", "redo {p} --as anna"),
    ("agree", "agree {p} --coder anna,erik"),
    ("report", "report {p} frequencies --csv {f}/frequencies.csv"),
    ("export", "export {p} markdown {f}/utdrag.md"),
    ("export", "export {p} qdpx {f}/projekt.qdpx"),
    ("import-qdpx", "import-qdpx {f}/kopia.mda {f}/projekt.qdpx"),
    ("import-qdpx", "import-qdpx {e} {f}/projekt.qdpx"),
    ("copy", "copy {p} {f}/kopia2.mda"),
    ("backups take", "backups take {p}"),
    ("backups list", "backups list {p}"),
    ("backups restore", "backups restore {p} {f}/nothing.mda"),
    ("doctor", "doctor {p}"),
    ("copy-for-coder", "copy-for-coder {p} {f}/anna.mda --coder anna --blind"),
    ("codings apply", "codings apply {f}/anna.mda FG9 --coder anna --code jobbfokus --turn 5"),
    ("merge", "merge {p} {f}/anna.mda --dry-run"),
    ("merge", "merge {p} {f}/anna.mda"),
    ("open", "open {p}"),  # no terminal here: refused, after the project is found
    ("open", "open {e}"),  # an empty project is opened before the workspace starts
    ("demo", "demo {f}/demo.mda --no-open"),
    ("documents remove", "documents remove {p} FG9 --yes"),
]

SERVER_STEPS = [
    # On the test server ({u}: its fresh database as the superuser; {l}: as the lead; roles prefixed {r}).
    ("server init", "server init {u} --from {p} --coders anna,erik --role-prefix {r} --lead-role {r}lead"),
    ("server add-coder", "server add-coder {l} bo --blind"),
    ("server list", "server list {l}"),
    ("server blind", "server blind {l} bo --off"),
    ("server upgrade", "server upgrade {l}"),
    ("server remove-coder", "server remove-coder {l} bo"),
]
"""Run by ``test_every_server_command_closes_its_project`` (``server password`` asks on a terminal: refused here)."""

FAILING = [
    "info {f}/nothing.mda",
    "info {f}/FG9.txt",
    "turns {p} nothing",
    "codings apply {p} FG9 --coder anna --code nothing --turn 2",
    "codings import {p} {f}/FG9.txt",
    "codebook import {p} {f}/FG9.txt",
    "codebook export {p} {f}/book.yaml",  # exists: refused without --force
    "speaker {p} FG9 R9 --role nobody",
    "memos add {p} memo --document nothing",
    "undo {f}/FG9.txt",
    "agree {p} --coder anna,nobody",
    "report {p} frequencies --codes nothing",
    "export {p} markdown {f}/utdrag.md",
    "search {p} nothing tilltro",
    "search {p} tilltro --speaker nobody",
    "import-qdpx {p} {f}/FG9.txt",
    "import {p} {f}/nothing.txt",
    "documents remove {p} nothing --yes",
    "doctor {f}/FG9.txt",
]


def leaf_commands() -> set[str]:
    load_all()
    found: set[str] = set()

    def walk(command: click.Command, path: tuple[str, ...]) -> None:
        if isinstance(command, click.Group):
            for name, sub in command.commands.items():
                walk(sub, (*path, name))
        else:
            found.add(" ".join(path))

    walk(cli, ())
    return found


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    (tmp_path / "mini.yaml").write_text(MINI_CODEBOOK, encoding="utf-8")
    (tmp_path / "FG9.txt").write_text(TRANSCRIPT, encoding="utf-8")
    (tmp_path / "FG9_rättad.txt").write_text(TRANSCRIPT.replace("trögt", "tungt"), encoding="utf-8")
    (tmp_path / "talare.csv").write_text("label,name,role\nR1,Lise,konsulent\n", encoding="utf-8")
    return tmp_path


def invoke(folder: Path, line: str) -> tuple[int, str]:
    args = shlex.split(line.format(p=folder / "studie.mda", f=folder, e=folder / "tom.mda"))
    result = CliRunner().invoke(cli, args)
    assert not isinstance(result.exception, AssertionError), result.output
    return result.exit_code, result.output


def test_the_steps_run_every_command() -> None:
    assert {name for name, _ in STEPS} | {name for name, _ in SERVER_STEPS} | {"server password"} == leaf_commands()


def test_every_command_closes_its_project(folder: Path) -> None:
    before = open_count()
    for _name, line in STEPS:
        status, said = invoke(folder, line)
        assert open_count() == before, (line, said)
        assert status == 0 or line.startswith(("open ", "backups restore")), (line, said)


def test_a_command_that_fails_closes_its_project_too(folder: Path) -> None:
    for _name, line in STEPS[:3]:
        assert invoke(folder, line)[0] == 0
    invoke(folder, "codebook export {p} {f}/book.yaml")
    invoke(folder, "export {p} markdown {f}/utdrag.md")
    before = open_count()
    for line in FAILING:
        status, said = invoke(folder, line)
        assert status != 0, (line, said)
        assert open_count() == before, (line, said)


@pytest.mark.filterwarnings("ignore::getpass.GetPassWarning")  # server password asks with no terminal: refused
def test_every_server_command_closes_its_project(folder: Path, pg_url: str) -> None:
    for _name, line in STEPS[:3]:
        assert invoke(folder, line)[0] == 0
    prefix = f"t{uuid.uuid4().hex[:8]}_"
    lead = pg_url.replace("://postgres@", f"://{prefix}lead@")
    with psycopg.connect(pg_url, autocommit=True) as admin:  # the lead may not make roles: the server's admin does
        admin.execute(f'CREATE ROLE "{prefix}bo" LOGIN')
    before = open_count()
    try:
        for _name, line in [*SERVER_STEPS, ("server password", "server password {l} {r}anna")]:
            args = shlex.split(line.format(p=folder / "studie.mda", u=pg_url, l=lead, r=prefix))
            result = CliRunner().invoke(cli, args, input="")
            assert not isinstance(result.exception, AssertionError), result.output
            assert open_count() == before, (line, result.output)
            assert result.exit_code == 0 or line.startswith("server password"), (line, result.output)
    finally:
        drop_roles(pg_url, prefix)
