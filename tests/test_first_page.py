"""The first page: read with sqlite3 alone, painted at once, and handed over to the workspace without losing a key."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from mda_coder.core.errors import MdaError
from mda_coder.services import workspace
from mda_coder.services.coding import Target, apply_code, list_codings
from mda_coder.services.project import open_project
from mda_coder.store.first_page import read_first_page
from mda_coder.tui.app import MdaApp, build_app
from mda_coder.tui.screens.opening import OpeningScreen
from mda_coder.tui.screens.workspace import WorkspaceScreen
from mda_coder.tui.widgets.transcript import TranscriptView
from tests.support.tui import sample_copy, wait_for

SIZE = (160, 48)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return sample_copy(tmp_path)


def test_the_first_page_agrees_with_the_workspace_service(project: Path) -> None:
    db = open_project(project)
    try:
        # A coding that spans two turns and one by another coder, which must not show.
        apply_code(db, coder="anna", code="jobbfokus", document="FG1_Norrvik", target=Target(span=(40, 900)))
        apply_code(db, coder="erik", code="tilltro", document="FG1_Norrvik", target=Target(turn=3))
        view = workspace.load_document(db, "FG1_Norrvik")
        marks = workspace.load_marks(db, "FG1_Norrvik", ["anna"])
    finally:
        db.close()
    page = read_first_page(project, "anna", turns=12)
    assert page is not None
    assert page.document.name == view.name and page.document.group == view.group
    assert page.total_turns == len(view.turns) == 110
    first = view.turns[:12]
    assert [(t.index, t.speaker, t.role, t.time, t.span) for t in page.document.turns] == [
        (t.index, t.speaker, t.role, t.time, t.span) for t in first
    ]
    assert view.text.startswith(page.document.text) and len(page.document.text) == first[-1].span.end
    shown = [m for m in marks if m.span.start < first[-1].span.end]
    assert list(page.marks) == shown and any(m.code_path == "jobbfokus" for m in page.marks)
    coded = sum(1 for t in view.turns if any(m.span.overlaps(t.span) for m in marks))
    assert page.coded_turns == coded


def test_no_first_page_for_what_is_not_a_project_with_documents(tmp_path: Path) -> None:
    assert read_first_page(tmp_path / "missing.mda", "anna") is None
    assert not (tmp_path / "missing.mda").exists()  # sqlite3 would have created it
    assert read_first_page("postgresql://localhost/studie", "anna") is None
    other = tmp_path / "other.sqlite"
    with sqlite3.connect(other) as conn:
        conn.execute("CREATE TABLE notes (x)")
    assert read_first_page(other, "anna") is None
    text = tmp_path / "notes.mda"
    text.write_text("not a database", encoding="utf-8")
    assert read_first_page(text, "anna") is None


def test_build_app_still_reports_a_missing_or_foreign_file(tmp_path: Path) -> None:
    with pytest.raises(MdaError, match="no such project"):
        build_app(tmp_path / "missing.mda", "anna")
    text = tmp_path / "notes.mda"
    text.write_text("not a database", encoding="utf-8")
    with pytest.raises(MdaError, match="not an mda-coder project"):
        build_app(text, "anna")


def test_the_opening_screen_imports_no_sqlalchemy() -> None:
    script = "import sys, mda_coder.tui.app; print('sqlalchemy' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def codings_of(db, coder: str) -> list:  # type: ignore[no-untyped-def,type-arg]
    try:
        return list_codings(db, coder=coder)
    except MdaError:  # no such coder yet: nothing coded
        return []


class HeldOpen(MdaApp):
    """The app with its project opening held until the test lets it go: keys arrive while it opens."""

    gate = threading.Event()

    def open_project(self) -> None:
        self.gate.wait(10)
        super().open_project()


async def test_keys_pressed_while_the_project_opens_are_replayed_in_order(project: Path) -> None:
    page = read_first_page(project, "tester")
    assert page is not None
    HeldOpen.gate.clear()
    app = HeldOpen(str(project), "tester", first_page=page)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)
        view = app.screen.query_one(TranscriptView)
        assert view.turns[0].index == 1 and "opening" in str(app.screen.query_one("#status").render())
        await pilot.press("j", "j", "1")  # to turn 3, then the code with key 1
        assert isinstance(app.screen, OpeningScreen) and view.cursor == 0  # held, not acted on
        HeldOpen.gate.set()
        db = open_project(project)
        try:
            await wait_for(pilot, lambda: len(codings_of(db, "tester")) == 1)
            [coding] = codings_of(db, "tester")
        finally:
            db.close()
        workspace_view = app.screen.query_one(TranscriptView)
        assert isinstance(app.screen, WorkspaceScreen)
        assert coding.span == workspace_view.turns[2].span and workspace_view.cursor == 2
        assert len(workspace_view.turns) == 110
