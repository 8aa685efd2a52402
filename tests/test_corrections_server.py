"""Corrections on a PostgreSQL server: the same exact undo, and on a team server only the lead corrects a text."""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from mda_coder.services import corrections, history
from mda_coder.store.engine import Database
from tests.test_corrections import FG1, coded, doc_text, dump
from tests.test_server_access import TeamServer, team  # noqa: F401 - the fixture, used by name

pytestmark = pytest.mark.postgres


def test_a_correction_on_the_server_undoes_exactly(pg_sample: str) -> None:
    db = Database.open(pg_sample)
    try:
        start, before = dump(db), coded(db, FG1)
        corrections.correct_text(db, FG1, doc_text(db, FG1).replace("kan börja", "kan börja nu", 1), actor="anna")
        words, _ = corrections.turn_text(db, FG1, 2)
        corrections.split_turn(db, FG1, 2, words.index("Alltså"), actor="anna")
        assert [t.replace("börja nu.\n\nR1: ", "börja. ") for *_, t in coded(db, FG1)] == [t for *_, t in before]
        assert history.undo(db, "anna") is not None and history.undo(db, "anna") is not None
        assert dump(db) == start
    finally:
        db.close()


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, list(args), env={"COLUMNS": "200"})
    return result.exit_code, result.output


def test_only_the_lead_corrects_a_text_on_a_team_server(team: TeamServer) -> None:  # noqa: F811 - the fixture
    lead = Database.open(team.as_("lead"))
    try:
        text_before, codings_before = doc_text(lead, "FG9"), coded(lead, "FG9")
    finally:
        lead.close()
    status, said = run("turn", "edit", team.as_("anna"), "FG9", "2", "--text", "Något annat.")
    assert status == 1 and said.count("\n") == 1 and "only the project lead" in said
    lead = Database.open(team.as_("lead"))
    try:
        assert (doc_text(lead, "FG9"), coded(lead, "FG9")) == (text_before, codings_before)
    finally:
        lead.close()
    status, said = run("turn", "edit", team.as_("lead"), "FG9", "2", "--text", "Något helt annat sades.")
    assert status == 0, said
    # each coder reviews their own flags; a blind coder sees only theirs
    status, said = run("document", "flags", team.as_("bo"), "FG9")
    assert status == 0 and "no flags to review" in said
    status, said = run("document", "flags", team.as_("anna"), "--resolve-all")
    assert status == 0 and said.strip() == "1 flags marked reviewed"
    status, said = run("document", "flags", team.as_("lead"), "FG9")
    assert status == 0 and re.search(r"\berik\b", said) and not re.search(r"\banna\b", said)
    status, said = run("undo", team.as_("lead"))
    assert status == 0 and "edit turn 2 of FG9" in said
