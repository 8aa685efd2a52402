"""``mda-coder suggest`` and ``mda-coder suggestions`` on the sample project, and the same service on PostgreSQL."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mda_coder.services import history
from mda_coder.services import suggest as suggesting
from mda_coder.services.coding import Target, apply_code, list_codings
from mda_coder.services.project import open_project
from mda_coder.store.engine import Database
from tests import test_server_access as server_access
from tests.support.cli import ok, one_line_error
from tests.support.snapshot import dump
from tests.support.tui import sample_copy

CODED = {"FG1_Norrvik": (7, 21, 27, 33, 44, 51, 55, 67, 77, 96, 104, 105), "FG2_Sjöstad": (18, 24, 52, 57, 60, 71, 76)}
"""The turns anna codes with tilltro before asking for suggestions (the walk-through of the README)."""

team = server_access.team  # anna and erik code openly, bo blind, on a fresh database of the test server


def code_twenty(db: Database) -> None:
    for document, turns in CODED.items():
        for turn in turns:
            apply_code(db, coder="anna", code="tilltro", document=document, target=Target(turn=turn))


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    path = sample_copy(tmp_path)
    db = open_project(path)
    code_twenty(db)
    db.close()
    return path


def test_suggest_lists_proposals_and_codes_nothing(sample: Path) -> None:
    before = [line for line in dump(sample) if 'INSERT INTO "codings"' in line or "INSERT INTO codings" in line]
    out = ok("suggest", sample, "--coder", "anna", "--code", "tilltro", "--limit", "5")
    assert "5 proposals of tilltro for anna, from a model trained on 20 codings by anna (20 coded turns" in out
    assert "Nothing is coded until you accept" in out
    after = [line for line in dump(sample) if 'INSERT INTO "codings"' in line or "INSERT INTO codings" in line]
    assert after == before
    listed = json.loads(ok("suggestions", "list", sample, "--coder", "anna", "--json"))
    assert len(listed) == 5 and all(p["status"] == "open" and p["source"] == "model" for p in listed)
    assert [p["score"] for p in listed] == sorted((p["score"] for p in listed), reverse=True)
    assert all(p["words"] and p["provenance"].startswith("suggested by a logistic regression") for p in listed)


def test_accept_then_codings_list_shows_the_provenance_and_undo_takes_it_back(sample: Path) -> None:
    ok("suggest", sample, "--coder", "anna", "--code", "tilltro", "--limit", "3")
    [first, second, third] = json.loads(ok("suggestions", "list", sample, "-c", "anna", "--json"))
    said = ok("suggestions", "accept", sample, str(first["id"]), "-c", "anna")
    assert said.startswith(f"accepted {first['id']}: tilltro on {first['document']}")
    ok("suggestions", "reject", sample, str(second["id"]), "-c", "anna")
    codings = json.loads(ok("codings", "list", sample, "--coder", "anna", "--code", "tilltro", "--json"))
    [made] = [c for c in codings if c["suggested"]]
    assert made["suggested"].endswith(", accepted by anna") and "trained on 20 codings by anna" in made["suggested"]
    assert one_line_error("suggestions", "accept", sample, str(second["id"]), "-c", "anna") == (
        f"Error: proposal {second['id']} was rejected already (undo to change your mind)"
    )
    assert ok("undo", sample, "--as", "anna").startswith("Undone: reject the proposal of tilltro")
    assert ok("undo", sample, "--as", "anna").startswith("Undone: accept the proposal of tilltro")
    codings = json.loads(ok("codings", "list", sample, "--coder", "anna", "--code", "tilltro", "--json"))
    assert not [c for c in codings if c["suggested"]]
    statuses = {p["id"]: p["status"] for p in json.loads(ok("suggestions", "list", sample, "-c", "anna", "--json"))}
    assert statuses == {first["id"]: "open", second["id"]: "open", third["id"]: "open"}


def test_too_few_codings_is_one_line_and_the_project_unchanged(tmp_path: Path) -> None:
    path = sample_copy(tmp_path)
    before = dump(path)
    assert one_line_error("suggest", path, "--coder", "anna", "--code", "tilltro") == (
        "Error: too few codings to learn 'tilltro' from: anna has coded 3 turns with it (and left 323 uncoded in the "
        "documents coded); suggestions need at least 5 coded and 5 uncoded"
    )
    assert dump(path) == before
    assert one_line_error("suggest", path, "--coder", "anna", "--code", "no-such-code").startswith("Error: ")
    assert one_line_error("suggestions", "accept", path, "999", "-c", "anna") == "Error: no proposal 999"


def test_evaluate_prints_figures_and_undefined_never_zero(sample: Path) -> None:
    out = ok("suggest", sample, "--coder", "anna", "--evaluate", "--code", "tilltro")
    [row] = [line for line in out.splitlines() if line.startswith("tilltro ")]
    assert row.split()[1:4] == ["20", "306", "5"]
    assert "Held-out turns of anna's codings (5-fold, seed 15)" in out
    figures = json.loads(ok("suggest", sample, "--coder", "anna", "--evaluate", "--json"))
    few = [f for f in figures["codes"] if f["positives"] < 5]
    assert few and all(f["precision"] is None and f["alpha"] is None and "too few" in f["undefined"] for f in few)
    text = ok("suggest", sample, "--coder", "anna", "--evaluate")
    assert "undefined" in text


@pytest.mark.postgres
def test_the_same_service_on_the_server(pg_sample: str) -> None:
    db = open_project(pg_sample)
    try:
        code_twenty(db)
        before = len(list_codings(db))
        done = suggesting.suggest(db, coder="anna", code="tilltro", limit=4)
        assert len(done.proposals) == 4 and len(list_codings(db)) == before
        [accepted] = suggesting.decide(db, [done.proposals[0].id], "accepted", coder="anna")
        [made] = [c for c in list_codings(db, coder="anna") if c.id == accepted.coding_id]
        assert made.suggested is not None and made.suggested.endswith("accepted by anna")
        suggesting.decide(db, [done.proposals[1].id], "rejected", coder="anna")
        again = suggesting.suggest(db, coder="anna", code="tilltro", limit=4)
        assert done.proposals[1].span not in {
            p.span for p in again.proposals if p.document == done.proposals[1].document
        }
        assert again.model.rejected == 1
        assert history.undo(db, "anna") is not None  # the rejection
        assert history.undo(db, "anna") is not None  # the acceptance: its coding goes
        assert len(list_codings(db)) == before
        figures = suggesting.evaluate(db, coder="anna", code="tilltro").codes[0]
        assert (figures.positives, figures.folds) == (20, 5)
    finally:
        db.close()


@pytest.mark.postgres
def test_on_a_team_server_a_queue_is_its_coders_own(team: server_access.TeamServer) -> None:
    """anna's proposals are hers: she accepts one through the services as her role; erik cannot touch them, bo cannot see them."""
    db = open_project(team.as_("anna"))
    try:
        done = suggesting.suggest(db, coder="anna", code="tilltro", from_search="tilltro")
        assert [(p.document, p.turn) for p in done.proposals] == [("FG9", 1)]
        [accepted] = suggesting.decide(db, [done.proposals[0].id], "accepted", coder="anna")
        assert accepted.coding_id is not None
        assert history.undo(db, "anna") is not None and history.redo(db, "anna") is not None
    finally:
        db.close()
    with team.sql("erik") as erik, team.sql("bo") as bo:
        assert erik.execute("SELECT count(*) FROM suggestions").fetchone() == (1,)  # erik codes openly: he may read
        assert erik.execute("UPDATE suggestions SET status = 'rejected'").rowcount == 0
        assert erik.execute("DELETE FROM suggestions").rowcount == 0
        assert bo.execute("SELECT count(*) FROM suggestions").fetchone() == (0,)  # blind: not even anna's queue


def test_the_words_behind_a_score_are_the_proposal_s_own(sample: Path) -> None:
    """A lemma's weight is told as the word of that lemma in the unit itself (``gör (göra)``), never another form."""
    from mda_coder.analysis.suggest.features import words

    db = open_project(sample)
    try:
        done = suggesting.suggest(db, coder="anna", code="tilltro", limit=30)
    finally:
        db.close()
    told = [(w, p) for p in done.proposals for w in p.words if w.lemma]
    assert told  # the sample's proposals have lemma-driven words
    for w, p in told:
        assert w.word in words(p.text), (w, p.text)
