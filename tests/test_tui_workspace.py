"""The coding workspace, driven by keyboard through Pilot, checked against the database."""

from __future__ import annotations

import html
import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.message import Message

from mda_coder.services.coding import list_codings
from mda_coder.services.project import open_project
from mda_coder.services.workspace import load_document
from mda_coder.tui.app import build_app
from mda_coder.tui.messages import ActionFailed, CodingChanged
from mda_coder.tui.screens.help import HelpScreen, binding_rows
from mda_coder.tui.screens.workspace import WorkspaceScreen
from mda_coder.tui.widgets.transcript import TranscriptView
from tests.support.tui import sample_copy, wait_for

SIZE = (160, 48)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return sample_copy(tmp_path)


def codings(project: Path, coder: str = "tester") -> list:  # type: ignore[type-arg]
    db = open_project(project)
    try:
        return list_codings(db, coder=coder) if coder else list_codings(db)
    except Exception:  # the coder does not exist yet: no codings
        return []
    finally:
        db.close()


def transcript(app) -> TranscriptView:  # type: ignore[no-untyped-def]
    return app.screen.query_one(TranscriptView)


async def opened(pilot) -> TranscriptView:  # type: ignore[no-untyped-def]
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, WorkspaceScreen) and transcript(pilot.app).turns != ())
    return transcript(pilot.app)


async def test_opens_the_first_document_turn_by_turn(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        assert view.document is not None and view.document.name == "FG1_Norrvik"
        assert len(view.turns) == 110
        status = str(app.screen.query_one("#status").render())
        assert "FG1_Norrvik" in status and "coder anna" in status
        await pilot.press("j", "j", "G", "k")
        assert view.cursor == 108


async def test_code_a_turn_with_the_picker(project: Path) -> None:
    seen: list[Message] = []
    app = build_app(project, "tester")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        view = await opened(pilot)
        await pilot.press("j")
        await pilot.press("c")
        await pilot.press(*"jobbfokus")
        await pilot.press("enter")
        await wait_for(pilot, lambda: any(isinstance(m, CodingChanged) for m in seen))
        [coding] = codings(project)
        assert coding.code_path == "jobbfokus"
        assert coding.span == view.turns[1].span
        # The status bar says it is saved; the turn shows the badge.
        await wait_for(pilot, lambda: "saved" in str(app.screen.query_one("#status").render()))
        assert [m.code_path for m in view.marks_of(1)] == ["jobbfokus"]


async def test_digit_key_and_repeat_and_remove(project: Path) -> None:
    app = build_app(project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        key_one = next(c.code for c in app.screen.codes if c.code.key == "1")
        await pilot.press("j", "1")
        await wait_for(pilot, lambda: len(codings(project)) == 1)
        await pilot.press("j", "full_stop")
        await wait_for(pilot, lambda: len(codings(project)) == 2)
        assert [c.code_path for c in codings(project)] == [key_one.path, key_one.path]
        assert [c.span for c in codings(project)] == [view.turns[1].span, view.turns[2].span]
        await wait_for(pilot, lambda: view.marks_of(2) != [])
        await pilot.press("x")
        await wait_for(pilot, lambda: len(codings(project)) == 1)


async def test_code_a_sentence_and_a_word_selection(project: Path) -> None:
    app = build_app(project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        await pilot.press("j", "s", "s")
        second_sentence = view.turns[1].sentences[1]
        assert view.selection == second_sentence
        await pilot.press("2")
        await wait_for(pilot, lambda: len(codings(project)) == 1)
        assert codings(project)[0].span == second_sentence
        await pilot.press("escape", "l", "l", "l", "h")  # grow by three words, shrink by one
        text = view.document.text
        assert text[view.turns[1].span.start :].startswith("Ja men jag")
        assert text[view.selection.start : view.selection.end] == "Ja men"
        await pilot.press("L")  # the start moves a word later
        assert text[view.selection.start : view.selection.end] == "men"
        await pilot.press("escape")
        assert view.selection is None and view.target == view.turns[1].span


async def test_next_uncoded_skips_coded_turns(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        await wait_for(pilot, lambda: any(view.marks_of(i) for i in range(len(view.turns))))
        await pilot.press("n")
        assert not [m for m in view.marks_of(view.cursor) if m.coder == "anna"]
        coded_before = [i for i in range(view.cursor) if any(m.coder == "anna" for m in view.marks_of(i))]
        assert view.cursor == 0 or coded_before == list(range(1, view.cursor)) or view.cursor > 0


async def test_blind_mode_hides_other_coders_until_toggled(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        await wait_for(pilot, lambda: any(view.marks_of(i) for i in range(len(view.turns))))
        assert {m.coder for i in range(len(view.turns)) for m in view.marks_of(i)} == {"anna"}
        await pilot.press("b")
        await wait_for(pilot, lambda: "erik" in {m.coder for i in range(len(view.turns)) for m in view.marks_of(i)})
        assert view.coders == ["anna", "erik"]


async def test_a_refused_action_is_shown_and_changes_nothing(project: Path) -> None:
    seen: list[Message] = []
    app = build_app(project, "tester")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        await opened(pilot)
        await pilot.press("j", "c", *"behovsbaserat", "enter")
        await wait_for(pilot, lambda: len(codings(project)) == 1)
        await pilot.press("c", *"villkorat", "enter")
        await wait_for(pilot, lambda: any(isinstance(m, ActionFailed) for m in seen))
        failure = next(m for m in seen if isinstance(m, ActionFailed))
        assert "mutually exclusive" in failure.message
        assert len(codings(project)) == 1


async def test_help_lists_every_binding(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        on_screen = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        assert "Next turn" in on_screen and "Select next sentence" in on_screen
        console = Console(width=120, record=True, file=io.StringIO())
        console.print(app.screen.table)
        full = console.export_text()
        for where, keys, binding in binding_rows(app.screen.workspace):
            assert binding.description in full, binding.description
        await pilot.press("escape")
        assert isinstance(app.screen, WorkspaceScreen)


async def test_committed_codings_survive_an_abrupt_end(project: Path) -> None:
    app = build_app(project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        await pilot.press("j", "j", "3")
        await wait_for(pilot, lambda: len(codings(project)) == 1)
        span = view.turns[2].span
    # A new process opening the file (no clean quit happened in between) sees the coding.
    db = open_project(project)
    assert [c.span for c in list_codings(db, coder="tester")] == [span]
    assert load_document(db, "FG1_Norrvik").turns[2].span == span
    db.close()
