"""The workspace reads the database off the UI thread: a slow server holds a read, not the keyboard."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy.orm import Session
from textual.pilot import Pilot

from mda_coder.services import queries
from mda_coder.services.project import open_project
from mda_coder.store.engine import Database
from mda_coder.tui.app import MdaApp
from mda_coder.tui.dialogs.memo import MemoEditor
from mda_coder.tui.screens.workspace import WorkspaceScreen
from mda_coder.tui.widgets.panels import CodebookTree
from mda_coder.tui.widgets.transcript import TranscriptView
from tests.support.tui import sample_copy, wait_for, workspace_ready

SIZE = (160, 48)


class HeldDatabase(Database):
    """A project whose transactions note their thread, and whose off-UI-thread ones can be held back.

    Held, a transaction waits as a read over a slow network would; the UI thread's own never wait
    (they would hang the test, which is what the workspace must not do to the coder).
    """

    def __init__(self, db: Database) -> None:
        super().__init__(db.engine, db.location, db.read_only)
        self.threads: list[threading.Thread] = []
        self.open = threading.Event()
        self.open.set()
        self.waiting = threading.Event()
        """Set when a transaction is being held."""

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        here = threading.current_thread()
        self.threads.append(here)
        if here is not threading.main_thread() and not self.open.is_set():
            self.waiting.set()
            self.open.wait(30)
        with super().transaction() as session:
            yield session


@pytest.fixture
def db(tmp_path: Path) -> Iterator[HeldDatabase]:
    held = HeldDatabase(open_project(sample_copy(tmp_path)))
    yield held
    held.close()


def on_ui_thread(db: HeldDatabase) -> list[threading.Thread]:
    return [thread for thread in db.threads if thread is threading.main_thread()]


async def started(pilot: Pilot[object]) -> WorkspaceScreen:
    """The workspace once its side panels are filled: the start-up reads are done."""
    await wait_for(pilot, lambda: workspace_ready(pilot.app))
    screen = pilot.app.screen
    assert isinstance(screen, WorkspaceScreen)
    await wait_for(pilot, lambda: bool(screen.codes))
    return screen


def shows_marks_of(view: TranscriptView, coder: str) -> bool:
    """Whether the transcript shows a mark of ``coder``'s on any turn."""
    return any(m.coder == coder for i in range(len(view.turns)) for m in view.marks_of(i))


async def test_a_document_switch_reads_off_the_ui_thread_and_keys_work_meanwhile(db: HeldDatabase) -> None:
    names = [d.name for d in queries.documents(db)]
    app = MdaApp(db.location, "anna", db=db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        first = screen.document
        assert first is not None
        step = "down" if names.index(first) + 1 < len(names) else "up"
        second = names[names.index(first) + (1 if step == "down" else -1)]
        db.threads.clear()
        db.open.clear()
        await pilot.press("d", step, "enter")  # the next document in the list
        await wait_for(pilot, lambda: db.waiting.is_set())
        # The read is held, as a slow server would: the screen still answers keys.
        panels = screen.panels
        await pilot.press("z")
        assert screen.panels != panels and screen.document == first
        db.open.set()
        await wait_for(pilot, lambda: screen.document == second)
        assert screen.query_one(TranscriptView).document.name == second  # type: ignore[union-attr]
        assert db.threads and on_ui_thread(db) == []


async def test_blind_mode_off_and_a_coding_read_off_the_ui_thread(db: HeldDatabase) -> None:
    app = MdaApp(db.location, "anna", db=db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        view = screen.query_one(TranscriptView)
        db.threads.clear()
        await pilot.press("b")  # the other coders, then their marks
        await wait_for(pilot, lambda: shows_marks_of(view, "erik"))
        codes = screen.codes
        await pilot.press("j", "1")  # a coding: written by the writer, then the codebook's counts read again
        await wait_for(pilot, lambda: screen.codes is not codes)
        assert db.threads and on_ui_thread(db) == []


async def test_keys_typed_before_the_coders_dialog_shows_go_to_it(db: HeldDatabase) -> None:
    app = MdaApp(db.location, "anna", db=db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        view = screen.query_one(TranscriptView)
        db.threads.clear()
        db.open.clear()
        await pilot.press("o")  # the coders are being read: the dialog is not there yet
        await wait_for(pilot, lambda: db.waiting.is_set())
        cursor = view.cursor
        await pilot.press("down", "enter")  # typed ahead: held for the dialog, not taken by the transcript
        db.open.set()
        await wait_for(pilot, lambda: shows_marks_of(view, "erik"))
        assert screen.shown_coders == ["anna", "erik"] and view.cursor == cursor
        assert on_ui_thread(db) == []


async def test_a_definition_to_edit_is_read_off_the_ui_thread(db: HeldDatabase) -> None:
    app = MdaApp(db.location, "anna", db=db)
    async with app.run_test(size=SIZE) as pilot:
        screen = await started(pilot)
        await pilot.press("K", "down", "up")
        tree = screen.query_one(CodebookTree)
        await wait_for(pilot, lambda: tree.cursor_node is not None and tree.cursor_node.data is not None)
        path = tree.cursor_node.data  # type: ignore[union-attr]
        db.threads.clear()
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, MemoEditor))
        assert app.screen.title_text == f"Definition of {path}"
        assert on_ui_thread(db) == []
