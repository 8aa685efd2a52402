"""Searching every document from the workspace (F): the lines, jumping to a hit the filter hides, coding a hit and undoing it, queueing every hit for review."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.widgets import DataTable

from mda_coder.services import suggest
from mda_coder.services.coding import list_codings
from mda_coder.services.project import open_project
from mda_coder.services.queries import sentences
from mda_coder.tui.app import build_app
from mda_coder.tui.dialogs.choose import Choose
from mda_coder.tui.dialogs.code_picker import CodePicker
from mda_coder.tui.screens.corpus_search import CorpusSearchScreen
from mda_coder.tui.screens.help import binding_rows
from mda_coder.tui.screens.workspace import WorkspaceScreen
from mda_coder.tui.widgets.transcript import TranscriptView
from tests.support.tui import sample_copy, text_of, wait_for, workspace_ready

SIZE = (160, 48)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return sample_copy(tmp_path)


def codings(project: Path, coder: str) -> list:  # type: ignore[type-arg]
    db = open_project(project)
    try:
        return list_codings(db, coder=coder)
    except Exception:  # the coder has no codings yet
        return []
    finally:
        db.close()


async def searched(pilot, query: str) -> CorpusSearchScreen:  # type: ignore[no-untyped-def]
    """The search screen opened with F, ``query`` typed and searched, its hits shown."""
    await wait_for(pilot, lambda: workspace_ready(pilot.app))
    await pilot.press("F")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, CorpusSearchScreen))
    await pilot.press(*query, "enter")
    screen = pilot.app.screen
    await wait_for(pilot, lambda: "hit" in text_of(screen, "#search-status"))
    return screen  # type: ignore[no-any-return]


async def test_f_lists_every_document_s_hits_in_every_form(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        screen = await searched(pilot, "tilltron")
        table = screen.query_one(DataTable)
        words = {h.text.lower() for h in screen.hits}
        assert {"tilltro", "tilltron"} <= words
        assert {h.document for h in screen.hits} == {"FG1_Norrvik", "FG3_Älvdala_zoom"}  # FG2 has none
        assert table.row_count == len(screen.hits) and text_of(screen, "#search-status").endswith(" hits")
        first = table.get_row_at(0)
        assert str(first[0]) == "FG1_Norrvik" and str(first[5]) == screen.hits[0].text
        await pilot.press("k")  # compounds: the settings line says so, and the search runs again
        await wait_for(pilot, lambda: "compounds too" in text_of(screen, "#search-settings"))
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, Choose))
        await pilot.press("down", "enter")  # all but the moderator
        await wait_for(pilot, lambda: "all but the moderator" in text_of(screen, "#search-settings"))
        await wait_for(pilot, lambda: screen.hits != () and all(h.role != "moderator" for h in screen.hits))


async def test_enter_goes_to_a_hit_the_workspace_filter_hides(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: workspace_ready(app))
        workspace = app.screen
        assert isinstance(workspace, WorkspaceScreen)
        view = workspace.query_one(TranscriptView)
        await pilot.press("f", "down", "down", "down", "enter")  # only R1's turns
        assert {t.speaker for t in view.turns} == {"R1"}
        screen = await searched(pilot, "tilltro")
        hidden = next(i for i, h in enumerate(screen.hits) if h.document == "FG1_Norrvik" and h.speaker == "I")
        screen.query_one(DataTable).move_cursor(row=hidden)
        hit = screen.hits[hidden]
        await pilot.press("enter")
        await wait_for(pilot, lambda: app.screen is workspace and view.selection is not None)
        assert view.current is not None and view.current.index == hit.turn
        assert view.selection == hit.span and hit.span.of(view.document.text).lower() == "tilltro"
        assert "filter lifted" in text_of(workspace, "MessageLine")


async def test_a_code_key_codes_the_hit_s_sentence_and_u_undoes_it(project: Path) -> None:
    app = build_app(project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        screen = await searched(pilot, "tilltrons")
        screen.query_one(DataTable).move_cursor(row=3)
        hit = screen.hits[3]
        await pilot.press("1")  # the code with key 1
        await wait_for(pilot, lambda: len(codings(project, "tester")) == 1)
        [coding] = codings(project, "tester")
        assert coding.document == hit.document and coding.span.contains(hit.span)
        db = open_project(project)
        try:
            spans = [s.span for s in sentences(db, hit.document)]
        finally:
            db.close()
        assert coding.span in spans  # the hit's sentence, not its turn
        await wait_for(pilot, lambda: "applied" in text_of(screen, "#search-status"))
        await pilot.press("u")
        await wait_for(pilot, lambda: codings(project, "tester") == [])
        await wait_for(pilot, lambda: "undone" in text_of(screen, "#search-status"))


async def test_star_queues_every_hit_for_review_and_codes_nothing(project: Path) -> None:
    app = build_app(project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        screen = await searched(pilot, "tilltro")
        shown = {(h.document, h.turn) for h in screen.hits}
        await pilot.press("asterisk")
        await wait_for(pilot, lambda: isinstance(app.screen, CodePicker))
        await pilot.press(*"tilltro", "enter")
        await wait_for(pilot, lambda: "queued for review as tilltro" in text_of(screen, "#search-status"))
        db = open_project(project)
        try:
            queued = suggest.proposals(db, coder="tester", code="tilltro")
        finally:
            db.close()
        assert queued and {(p.document, p.turn) for p in queued} <= shown
        assert all(p.source == "search" and p.unit == "sentence" and "tilltro" in p.text.lower() for p in queued)
        assert codings(project, "tester") == []  # nothing coded until a proposal is accepted


def test_the_search_keys_are_in_the_help() -> None:
    rows = binding_rows(CorpusSearchScreen.__new__(CorpusSearchScreen))  # what the help screen lists
    keys = {keys for _where, keys, _b in rows}
    assert {"c", "u", "m", "k", "f", "s", "escape"} <= keys
    assert any("*" in k.split(", ") or "asterisk" in k for k in keys)
    workspace = WorkspaceScreen.__new__(WorkspaceScreen)
    assert "F" in {k for where, k, _b in binding_rows(workspace) if where == "workspace"}
