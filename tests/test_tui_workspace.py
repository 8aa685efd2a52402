"""The coding workspace, driven by keyboard through Pilot, checked against the database."""

from __future__ import annotations

import html
import io
from pathlib import Path

import pytest
from rich.console import Console
from textual.message import Message

from mda_coder.core.spans import Span
from mda_coder.services.coding import list_codings
from mda_coder.services.project import open_project
from mda_coder.services.workspace import load_document
from mda_coder.tui.app import build_app
from mda_coder.tui.dialogs.choose import Choose
from mda_coder.tui.messages import ActionFailed, CodingChanged
from mda_coder.tui.screens.help import HelpScreen, binding_rows
from mda_coder.tui.screens.workspace import WorkspaceScreen
from mda_coder.tui.widgets.panels import CodebookTree
from mda_coder.tui.widgets.transcript import TranscriptView
from tests.support.tui import said, sample_copy, wait_for

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
    """The workspace with its document painted (the side panels may still be filling)."""

    def shown() -> bool:
        screen = pilot.app.screen  # the workspace takes over from the opening screen: it may still be composing
        return (
            isinstance(screen, WorkspaceScreen)
            and bool(screen.query(TranscriptView))
            and transcript(pilot.app).turns != ()
        )

    await wait_for(pilot, shown)
    return transcript(pilot.app)


async def test_a_code_key_pressed_at_first_paint_is_not_lost(project: Path) -> None:
    app = build_app(project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        await pilot.press("1")  # maybe before the codebook panel has filled
        await wait_for(pilot, lambda: len(codings(project)) == 1)
        assert codings(project)[0].span == view.turns[0].span


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
        await pilot.press("j", "1")
        key_one = next(c.code for c in app.screen.codes if c.code.key == "1")
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
        for _where, _keys, binding in binding_rows(app.screen.workspace):
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


async def test_memos_on_a_turn_and_on_a_coding(project: Path) -> None:
    app = build_app(project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        await pilot.press("j", "m")  # no codings of mine here: straight to a turn memo
        await pilot.press(*"Tät om tilltro", "ctrl+s")
        await wait_for(pilot, lambda: app.screen.memos.get(2) == ["Tät om tilltro"])
        await pilot.press("1")
        await wait_for(pilot, lambda: len(codings(project)) == 1)
        await wait_for(pilot, lambda: view.marks_of(1) != [])
        await pilot.press("m")
        await pilot.press("enter")  # the first choice: on your coding
        await pilot.press(*"gränsfall", "ctrl+s")
        await wait_for(pilot, lambda: codings(project)[0].memo == "gränsfall")
    db = open_project(project)
    from mda_coder.services.memos import list_memos

    mine = [(m.about, m.coder, m.text) for m in list_memos(db) if m.coder == "tester"]
    assert mine == [
        ("FG1_Norrvik turn 2", "tester", "Tät om tilltro"),
        ("tilltro on FG1_Norrvik turn 2", "tester", "gränsfall"),
    ]
    db.close()


async def test_filter_by_speaker_and_back(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        await pilot.press("f")
        # all, all but the moderator, speaker I, speaker R1 …
        await pilot.press("down", "down", "down", "enter")
        assert view.turns and {t.speaker for t in view.turns} == {"R1"}
        assert "filter: speaker R1" in str(app.screen.query_one("#status").render())
        numbers = [t.index for t in view.turns]
        await pilot.press("f", "down", "enter")  # all but the moderator
        assert all(t.role != "moderator" for t in view.turns)
        await pilot.press("f", "enter")  # all turns
        assert len(view.turns) == 110
        assert view.current is not None and view.current.index >= numbers[0]


async def test_undo_and_redo_many_levels_and_across_restarts(project: Path) -> None:
    app = build_app(project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        for _ in range(3):
            await pilot.press("j", "1")
        await wait_for(pilot, lambda: len(codings(project)) == 3)
        await pilot.press("u", "u")
        await wait_for(pilot, lambda: len(codings(project)) == 1)
        await pilot.press("U")
        await wait_for(pilot, lambda: len(codings(project)) == 2)
        await wait_for(pilot, lambda: "redone" in said(app.screen))
    # A new session undoes what the old one did.
    app = build_app(project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("u", "u")
        await wait_for(pilot, lambda: len(codings(project)) == 0)
        await pilot.press("u")
        await wait_for(pilot, lambda: "nothing to undo" in said(app.screen))


async def test_edit_a_codings_span_by_keyboard(project: Path) -> None:
    app = build_app(project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        await pilot.press("j", "s", "1")
        await wait_for(pilot, lambda: len(codings(project)) == 1)
        await wait_for(pilot, lambda: view.marks_of(1) != [])
        first, second = view.turns[1].sentences[:2]
        await pilot.press("escape", "e")
        assert view.selection == first
        await pilot.press("right_parenthesis", "enter")
        await wait_for(pilot, lambda: codings(project)[0].span == Span(first.start, second.end))


async def test_find_jumps_to_the_place(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        await pilot.press("slash", *"ruta ett", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, Choose))
        await pilot.press("enter")
        await wait_for(pilot, lambda: view.selection is not None)
        text = view.document.text
        assert text[view.selection.start : view.selection.end].lower() == "ruta ett"
        assert view.current.span.contains(view.selection)


async def test_excerpts_of_a_code_across_documents(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        await pilot.press("E", *"samverkan", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, Choose))
        title = str(app.screen.query_one("#choose-title").render())
        assert "excerpts of samverkan" in title
        await pilot.press("end", "enter")  # the last excerpt: in another document than the first
        await wait_for(pilot, lambda: view.document is not None and view.document.name != "FG1_Norrvik")
        assert any(m.code_path.startswith("samverkan") for m in view.marks_of(view.cursor))


async def test_codebook_add_rename_merge_from_the_tree_are_undoable(project: Path) -> None:
    from mda_coder.services.codebook import list_codes

    def paths() -> list[str]:
        db = open_project(project)
        try:
            return [c.code.path for c in list_codes(db)]
        finally:
            db.close()

    app = build_app(project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        await pilot.press("K", "A", *"ny kod", "enter")
        await wait_for(pilot, lambda: "ny kod" in paths())
        tree = app.screen.query_one(CodebookTree)
        await wait_for(pilot, lambda: any(n.data == "ny kod" for n in tree._all_nodes()))
        node = next(n for n in tree._all_nodes() if n.data == "ny kod")
        tree.move_cursor(node)
        await pilot.press("r", "ctrl+a", "ctrl+k")
        await pilot.press(*"nyare kod", "enter")
        await wait_for(pilot, lambda: "nyare kod" in paths())
        await pilot.press("u")
        await wait_for(pilot, lambda: "ny kod" in paths() and "nyare kod" not in paths())
        # Code a turn with the new code, then merge the code into jobbfokus: the coding moves.
        await pilot.press("t", "j", "c", *"ny kod", "enter")
        await wait_for(pilot, lambda: [c.code_path for c in codings(project)] == ["ny kod"])
        await pilot.press("K")
        await wait_for(pilot, lambda: any(n.data == "ny kod" for n in tree._all_nodes()))
        tree.move_cursor(next(n for n in tree._all_nodes() if n.data == "ny kod"))
        await pilot.press("g", *"jobbfokus", "enter")
        await wait_for(pilot, lambda: "ny kod" not in paths())
        assert [c.code_path for c in codings(project)] == ["jobbfokus"]
        await pilot.press("u")
        await wait_for(pilot, lambda: [c.code_path for c in codings(project)] == ["ny kod"])


async def test_command_palette_lists_workspace_actions(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        await opened(pilot)
        titles = [command.title for command in app.get_system_commands(app.screen)]
        for wanted in ("Next uncoded", "Undo", "Find", "Select next sentence", "Codebook: merge the code into another"):
            assert any(title.startswith(wanted) for title in titles), wanted


async def test_codings_from_another_process_appear(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        await pilot.press("b")  # show every coder
        await wait_for(pilot, lambda: "erik" in view.coders)
        other = open_project(project)  # another connection, as another mda-coder would have
        from mda_coder.services.coding import Target, apply_code

        apply_code(other, coder="erik", code="samverkan", document="FG1_Norrvik", target=Target(turn=1))
        other.close()
        await wait_for(pilot, lambda: any(m.code_path == "samverkan" for m in view.marks_of(0)), timeout=10)


async def test_a_jump_into_another_document_keeps_its_selection(project: Path) -> None:
    db = open_project(project)
    try:
        turn = load_document(db, "FG2_Sjöstad").turns[2]
    finally:
        db.close()
    inside = Span(turn.span.start + 4, turn.span.start + 20)
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        view = await opened(pilot)
        app.screen.show_turn("FG2_Sjöstad", 3, inside)  # as an excerpt, a report cell or a review jumps
        await wait_for(pilot, lambda: view.document is not None and view.document.name == "FG2_Sjöstad")
        assert view.current is not None and view.current.index == 3
        assert view.selection == inside
