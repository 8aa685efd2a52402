"""The merge services with the master on the PostgreSQL server and the coders' copies as SQLite files."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import text

from mda_coder.services import history, importing, teamwork
from mda_coder.services.coding import Target, apply_code, list_codings
from mda_coder.services.project import create_project, open_project
from tests.test_merge import FG1, apply, copy_for, run
from tests.test_server_access import drop_roles, init_team, small_project


def test_a_copy_merges_into_a_master_on_the_server_and_undo_takes_it_back(
    pg_url: str, mini_codebook: Path, tmp_path: Path
) -> None:
    (tmp_path / "FG1.txt").write_text(FG1, encoding="utf-8")
    # The same project as a file (the coder's copy is made from it) and on the server, with one identity.
    run("init", tmp_path / "studie.mda", "--codebook", mini_codebook)
    run("import", tmp_path / "studie.mda", tmp_path / "FG1.txt")
    apply(tmp_path / "studie.mda", "anna", "tilltro", "FG1", 2)
    with create_project(pg_url, "sv", mini_codebook, actor="lead") as server:
        importing.import_files(server, [tmp_path / "FG1.txt"])
        apply_code(server, coder="anna", code="tilltro", document="FG1", target=Target(turn=2))
        apply_code(server, coder="erik", code="tilltro", document="FG1", target=Target(turn=3))
    with open_project(tmp_path / "studie.mda") as file_db, file_db.transaction() as s:
        identity = s.scalar(text("SELECT value FROM settings WHERE key = 'project_uuid'"))
    with open_project(pg_url) as server, server.transaction() as s:
        s.execute(text("UPDATE settings SET value = :v WHERE key = 'project_uuid'"), {"v": identity})

    anna = copy_for(tmp_path / "studie.mda", "anna")
    apply(anna, "anna", "jobbfokus", "FG1", 4)
    apply(anna, "anna", "tilltro", "FG1", 5)

    with open_project(pg_url) as server:
        before = sorted((c.coder, c.code_path, c.span.start, c.span.end) for c in list_codings(server))
        dry = teamwork.merge_copies(server, [anna], actor="lead", dry_run=True)
        assert dry.copies[0].codings == {"anna": 2}
        assert sorted((c.coder, c.code_path, c.span.start, c.span.end) for c in list_codings(server)) == before
        done = teamwork.merge_copies(server, [anna], actor="lead")
        assert done.copies[0].codings == {"anna": 2}
        merged = sorted((c.coder, c.code_path, c.span.start, c.span.end) for c in list_codings(server))
        assert len(merged) == len(before) + 2
        again = teamwork.merge_copies(server, [anna], actor="lead")
        assert again.copies[0].nothing_new
        # the server's own sequences went past the merged rows: coding here goes on
        apply_code(server, coder="erik", code="jobbfokus", document="FG1", target=Target(turn=5))
        undone = history.undo(server, "erik")
        assert undone is not None
        step = history.undo(server, "lead")
        assert step is not None and step.action == "project.merge"
        assert sorted((c.coder, c.code_path, c.span.start, c.span.end) for c in list_codings(server)) == before
        assert history.redo(server, "lead") is not None
        assert sorted((c.coder, c.code_path, c.span.start, c.span.end) for c in list_codings(server)) == merged
    run("doctor", pg_url)  # exits 0: no problem found


def test_the_lead_merges_a_copy_into_a_team_server_and_takes_it_back(
    pg_url: str, mini_codebook: Path, transcript: Path, tmp_path: Path
) -> None:
    """Under row-level security, as the lead's role: the merge is journalled as the lead, so the lead's undo finds it."""
    prefix = f"t{uuid.uuid4().hex[:8]}_"
    project = tmp_path / "studie.mda"
    small_project(project, mini_codebook, transcript)
    run("copy-for-coder", project, tmp_path / "cecilia.mda", "--coder", "cecilia", "--blind")
    apply(tmp_path / "cecilia.mda", "cecilia", "jobbfokus", "FG9", 3)
    try:
        init_team(pg_url, project, prefix)
        lead = pg_url.replace("://postgres@", f"://{prefix}lead@")
        merged = run("merge", lead, tmp_path / "cecilia.mda")
        assert "cecilia 1" in merged and f"mda-coder undo {lead}" in merged
        assert [(c.coder, c.code_path) for c in _codings(lead, "cecilia")] == [("cecilia", "jobbfokus")]
        assert "cecilia.mda (1 coding)" in run("undo", lead).removeprefix("Undone: merge ")
        assert _codings(lead, "cecilia") == []
        assert run("redo", lead).startswith("Redone: merge ")
        assert len(_codings(lead, "cecilia")) == 1
    finally:
        drop_roles(pg_url, prefix)


def _codings(url: str, coder: str) -> list[Any]:
    """The coder's codings as the lead reads them (none when the coder is gone with the merge undone)."""
    with open_project(url) as db:
        return [c for c in list_codings(db) if c.coder == coder]
