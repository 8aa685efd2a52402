"""Correcting turns in the workspace (T, B, J, W), driven by Pilot and checked in the project file; u undoes each."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import OptionList, TextArea

from mda_coder.services import corrections
from mda_coder.services.coding import Target, apply_code, list_codings
from mda_coder.services.project import open_project
from mda_coder.services.workspace import journal_head, load_document
from mda_coder.tui.app import build_app
from mda_coder.tui.dialogs.confirm import Confirm
from mda_coder.tui.dialogs.correction_report import CorrectionSummary
from mda_coder.tui.dialogs.speaker_picker import SpeakerPicker
from mda_coder.tui.dialogs.turn_text import TurnSplitter, TurnTextEditor, index_of, location_of
from mda_coder.tui.screens.help import binding_rows
from mda_coder.tui.screens.workspace import WorkspaceScreen
from mda_coder.tui.widgets.transcript import TranscriptView
from tests.support.disks import read_only_copy
from tests.support.tui import said, sample_copy, screen_text, wait_for, workspace_ready

SIZE = (160, 48)
DOC = "FG1_Norrvik"

Turns = list[tuple[int, str | None, str]]
Codings = list[tuple[str, str, int, str]]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return sample_copy(tmp_path)


def turns_of(project: Path) -> Turns:
    """The document's turns as the project holds them: number, speaker, text."""
    db = open_project(project)
    try:
        view = load_document(db, DOC)
        return [(t.index, t.speaker, t.span.of(view.text)) for t in view.turns]
    finally:
        db.close()


def codings_of(project: Path) -> Codings:
    """Every coder's codings of the document: coder, code, the turn it begins in, its text (read back from the file)."""
    db = open_project(project)
    try:
        view = load_document(db, DOC)
        found = []
        for c in list_codings(db):
            if c.document != DOC:
                continue
            turn = next(t.index for t in view.turns if t.span.start <= c.span.start < t.span.end)
            found.append((c.coder, c.code_path, turn, c.span.of(view.text)))
        return sorted(found)
    finally:
        db.close()


def head(project: Path) -> int:
    db = open_project(project)
    try:
        return journal_head(db)
    finally:
        db.close()


def view_of(app) -> TranscriptView:  # type: ignore[no-untyped-def]
    return app.screen.query_one(TranscriptView)


async def at_turn(pilot, number: int) -> TranscriptView:  # type: ignore[no-untyped-def]
    """The workspace open, with the cursor on turn ``number``."""
    await wait_for(pilot, lambda: workspace_ready(pilot.app))
    pilot.app.screen.go_to_turn(number)
    view = view_of(pilot.app)
    await wait_for(pilot, lambda: view.current is not None and view.current.index == number)
    return view


async def test_T_fixes_a_typo_in_a_coded_turn_and_u_brings_it_back(project: Path) -> None:
    db = open_project(project)
    text, _speaker = corrections.turn_text(db, DOC, 2)
    assert "jag kan börja." in text
    corrections.edit_turn(db, DOC, 2, text.replace("kan börja.", "kan bröja."), actor="transcriber")
    db.close()
    before_turns, before_codings = turns_of(project), codings_of(project)
    coded = [c for c in before_codings if c[0] == "anna" and c[2] == 2]
    assert coded and all("kan bröja." in c[3] for c in coded)

    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        view = await at_turn(pilot, 2)
        await pilot.press("T")
        await wait_for(pilot, lambda: isinstance(app.screen, TurnTextEditor))
        area = app.screen.query_one(TextArea)
        assert area.text == before_turns[1][2] and area.has_focus
        typo = area.text.index("bröja")
        area.cursor_location = area.document.get_location_from_index(typo + 1)
        await pilot.press("delete", "delete", "ö", "r")  # "bröja" → "börja", as a coder types it
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "kan börja." in view.document.text)
        # The transcript shows the corrected word at once, and the message line says what became of the codings.
        assert isinstance(app.screen, WorkspaceScreen) and view.current.index == 2
        await wait_for(pilot, lambda: "turn 2 corrected" in said(app.screen))
        assert "codings:" in said(app.screen) and "untouched" in said(app.screen)
        assert "kan börja." in screen_text(app) and "bröja" not in screen_text(app)
        await pilot.pause(1.5)  # the window looks at the journal each second: its own correction is not news to it
        assert "corrected elsewhere" not in said(app.screen)
        # Every coding that was on the turn is still on it, and reads the corrected word.
        after = codings_of(project)
        assert [c[:3] for c in after] == [c[:3] for c in before_codings]
        assert [c[3] for c in after if c[0] == "anna" and c[2] == 2] == [c[3].replace("bröja", "börja") for c in coded]
        assert [m.code_path for m in view.marks_of(1) if m.coder == "anna"] == [c[1] for c in coded]

        await pilot.press("u")
        await wait_for(pilot, lambda: "bröja" in view.document.text)
        await wait_for(pilot, lambda: "undone" in said(app.screen))
        assert view.current.index == 2  # the coder stays where they are
        assert turns_of(project) == before_turns and codings_of(project) == before_codings
        await pilot.press("U")
        await wait_for(pilot, lambda: "kan börja." in view.document.text)
        assert codings_of(project) == sorted(after)


async def test_B_splits_a_turn_where_the_cursor_is_and_the_second_half_keeps_its_codings(project: Path) -> None:
    db = open_project(project)
    view = load_document(db, DOC)
    second = view.turns[1].sentences[1]  # turn 2's second sentence
    apply_code(db, coder="anna", code="jobbfokus", document=DOC, target=Target(span=(second.start, second.end)))
    sentence = second.of(view.text)
    db.close()
    before_turns, before_codings = turns_of(project), codings_of(project)

    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        shown = await at_turn(pilot, 2)
        await pilot.press("s", "s")  # the second sentence selected: the split dialog puts its cursor there
        await pilot.press("B")
        await wait_for(pilot, lambda: isinstance(app.screen, TurnSplitter))
        dialog = app.screen
        assert dialog.split_at == second.start - view.turns[1].span.start
        assert "the next begins" in screen_text(app)
        # The second part goes to R2: tab to the speakers, down to R2.
        speakers = dialog.query_one(OptionList)
        assert [speakers.get_option_at_index(i).id for i in range(speakers.option_count)][1:] == [
            "I",
            "R2",
            "R3",
            "R4",
            "R5",
        ]
        await pilot.press("tab", "down", "down", "ctrl+s")
        await wait_for(pilot, lambda: len(shown.document.turns) == 111)
        assert shown.current.index == 2
        await wait_for(pilot, lambda: "turn 2 split" in said(app.screen))

        turns = turns_of(project)
        at = second.start - view.turns[1].span.start
        assert turns[1][1:] == ("R1", before_turns[1][2][:at].rstrip())
        assert turns[2][1:] == ("R2", before_turns[1][2][at:])
        assert turns[2][2].startswith(sentence)
        assert [t[2] for t in turns[3:]] == [t[2] for t in before_turns[2:]]
        # The sentence's coding is in the new turn 3 now, on the same words.
        assert ("anna", "jobbfokus", 3, sentence) in codings_of(project)
        # A later turn's codings moved with it: turn 4 is the former turn 3.
        assert [(*c[:2], c[3]) for c in codings_of(project) if c[2] == 4] == [
            (*c[:2], c[3]) for c in before_codings if c[2] == 3
        ]

        await pilot.press("u")
        await wait_for(pilot, lambda: len(shown.document.turns) == 110)
        assert turns_of(project) == before_turns and codings_of(project) == before_codings


async def test_J_merges_a_turn_with_the_next_after_a_y_and_u_parts_them_again(project: Path) -> None:
    before_turns, before_codings = turns_of(project), codings_of(project)
    assert [c for c in before_codings if c[2] == 16]  # the turn that joins turn 15 is coded
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        view = await at_turn(pilot, 15)
        await pilot.press("J")
        await wait_for(pilot, lambda: isinstance(app.screen, Confirm))
        text = " ".join(screen_text(app).split())
        assert "Merge turn 15 with turn 16?" in text and "joins turn 15" in text and "R4's" in text
        await pilot.press("y")
        await wait_for(pilot, lambda: len(view.document.turns) == 109)
        await wait_for(pilot, lambda: "turns 15 and 16 merged into turn 15" in said(app.screen))
        assert view.current.index == 15

        turns = turns_of(project)
        assert turns[14][1] == "R4"
        assert turns[14][2].startswith(before_turns[14][2]) and turns[14][2].endswith(before_turns[15][2])
        assert [t[1:] for t in turns[15:]] == [t[1:] for t in before_turns[16:]]
        # The former turn 16's codings, every coder's, are in turn 15 now, on the same words.
        after = codings_of(project)
        assert sorted((*c[:2], c[3]) for c in after if c[2] == 15) == sorted(
            (*c[:2], c[3]) for c in before_codings if c[2] in (15, 16)
        )

        await pilot.press("u")
        await wait_for(pilot, lambda: len(view.document.turns) == 110)
        assert turns_of(project) == before_turns and codings_of(project) == before_codings


async def test_J_on_the_last_turn_says_there_is_none_after_it(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        await at_turn(pilot, 110)
        await pilot.press("J")
        await wait_for(pilot, lambda: "is the last turn" in said(app.screen))
        assert isinstance(app.screen, WorkspaceScreen)


async def test_W_gives_a_turn_to_another_speaker_or_a_new_one(project: Path) -> None:
    before_turns, before_codings = turns_of(project), codings_of(project)
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        view = await at_turn(pilot, 2)
        await pilot.press("W")
        await wait_for(pilot, lambda: isinstance(app.screen, SpeakerPicker))
        options = app.screen.query_one(OptionList)
        labels = [options.get_option_at_index(i).id for i in range(options.option_count)]
        assert labels == ["I", "R2", "R3", "R4", "R5"]  # the document's other speakers
        await pilot.press("down", "down", "enter")  # R3
        await wait_for(pilot, lambda: view.document.turns[1].speaker == "R3")
        await wait_for(pilot, lambda: "turn 2 is now R3's" in said(app.screen))
        assert turns_of(project)[1][1] == "R3" and codings_of(project) == before_codings

        # A label the document does not have yet: typed in.
        await pilot.press("W")
        await wait_for(pilot, lambda: isinstance(app.screen, SpeakerPicker))
        await pilot.press("tab", *"R6", "enter")
        await wait_for(pilot, lambda: view.document.turns[1].speaker == "R6")
        assert turns_of(project)[1][1] == "R6"
        await wait_for(pilot, lambda: "speaker R6 added to FG1_Norrvik" in said(app.screen))

        await pilot.press("u")
        await wait_for(pilot, lambda: view.document.turns[1].speaker == "R3")
        await pilot.press("u")
        await wait_for(pilot, lambda: view.document.turns[1].speaker == "R1")
        assert turns_of(project) == before_turns and codings_of(project) == before_codings


async def test_a_rewritten_turn_lists_the_codings_flagged_for_review_and_blind_mode_lists_only_yours(
    project: Path,
) -> None:
    before = codings_of(project)
    on_two = [c for c in before if c[2] == 2]
    assert {c[0] for c in on_two} >= {"anna", "erik"}  # both coders coded turn 2
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        await at_turn(pilot, 2)
        await pilot.press("T")
        await wait_for(pilot, lambda: isinstance(app.screen, TurnTextEditor))
        area = app.screen.query_one(TextArea)
        area.text = "Det här är en helt annan mening, skriven om från början till slut."
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, CorrectionSummary))
        text = screen_text(app)
        anna = [c for c in on_two if c[0] == "anna"]
        others = len(on_two) - len(anna)
        assert all(c[1] in text for c in anna)
        moved_too = (
            "1 coding of another coder moved too" if others == 1 else f"{others} codings of other coders moved too"
        )
        assert moved_too in " ".join(text.split())
        assert "mda-coder document flags" in text
        assert "erik" not in text
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        assert "flagged for review" in said(app.screen)


async def test_a_turn_split_in_another_window_shows_here_with_the_codings_on_their_words(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        view = await at_turn(pilot, 20)
        marks_before = {(m.coder, m.code_path, m.span.of(view.document.text)) for m in view.marks_of(20)}
        assert marks_before  # turn 21 is coded
        # erik, in another window, splits turn 2 and corrects a word in turn 21 (turn 22 after the split).
        db = open_project(project)
        try:
            corrections.split_turn(db, DOC, 2, 22, actor="erik")
            text, _speaker = corrections.turn_text(db, DOC, 22)
            corrections.edit_turn(db, DOC, 22, text.replace("tvåan", "tvåa"), actor="erik")
        finally:
            db.close()
        await wait_for(pilot, lambda: len(view.document.turns) == 111)
        await wait_for(pilot, lambda: "was corrected elsewhere" in said(app.screen))
        # The cursor stays at turn 20 (the same number); the marks are drawn on the text as it is now.
        assert view.current.index == 20 and "tvåan" not in view.document.text
        moved = {(m.coder, m.code_path, m.span.of(view.document.text)) for m in view.marks_of(21)}
        assert moved == {(coder, code, text.replace("tvåan", "tvåa")) for coder, code, text in marks_before}


@pytest.fixture
def read_only(tmp_path: Path) -> Iterator[Path]:
    """The sample project on a tmpfs mounted read-only (root only: anyone else is skipped)."""
    with read_only_copy(sample_copy(tmp_path), tmp_path / "media") as project:
        yield project


async def test_a_correction_on_a_read_only_project_says_why_in_one_line(read_only: Path) -> None:
    app = build_app(read_only, "anna")
    async with app.run_test(size=(120, 40)) as pilot:
        view = await at_turn(pilot, 2)
        text = view.turns[1].span.of(view.document.text)
        await pilot.press("T")
        await wait_for(pilot, lambda: isinstance(app.screen, TurnTextEditor))
        app.screen.query_one(TextArea).text = text.replace("börja", "starta")
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "read-only" in said(app.screen))
        assert (
            said(app.screen) == f"{read_only} is read-only: it is on a read-only disk; it can be read but not changed"
        )
        assert view.turns[1].span.of(view.document.text) == text


async def test_cancelling_each_dialog_changes_nothing(project: Path) -> None:
    before = (turns_of(project), codings_of(project), head(project))
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        await at_turn(pilot, 4)
        for key, dialog, cancel in (
            ("T", TurnTextEditor, "escape"),
            ("B", TurnSplitter, "escape"),
            ("J", Confirm, "n"),
            ("W", SpeakerPicker, "escape"),
        ):
            await pilot.press(key)
            await wait_for(pilot, lambda dialog=dialog: isinstance(app.screen, dialog))  # type: ignore[misc]
            await pilot.press(cancel)
            await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        # Saving the text unchanged changes nothing either, and says so.
        await pilot.press("T")
        await wait_for(pilot, lambda: isinstance(app.screen, TurnTextEditor))
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: "not changed" in said(app.screen))
    assert (turns_of(project), codings_of(project), head(project)) == before


async def test_the_keys_are_in_the_help(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: workspace_ready(app))
        keys = {keys: binding.action for _, keys, binding in binding_rows(app.screen)}
        assert keys["T"] == "edit_turn" and keys["B"] == "split_turn"
        assert keys["J"] == "merge_turns" and keys["W"] == "turn_speaker"


async def test_the_split_dialog_refuses_a_cursor_at_the_edge(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        await at_turn(pilot, 1)
        await pilot.press("B")
        await wait_for(pilot, lambda: isinstance(app.screen, TurnSplitter))
        area = app.screen.query_one(TextArea)
        area.cursor_location = (0, 0)
        await pilot.press("ctrl+s")
        await pilot.pause(0.1)
        assert isinstance(app.screen, TurnSplitter)
        assert "put the cursor inside the text" in screen_text(app)
        await pilot.press("escape")
    assert len(turns_of(project)) == 110


@pytest.mark.parametrize(
    ("text", "index", "location"),
    [
        ("Hej då.", 4, (0, 4)),
        ("Så här.\nOch så där.", 8, (1, 0)),
        ("Så här.\nOch så där.", 7, (0, 7)),
        ("Rad ett\r\nrad två", 9, (1, 0)),  # \r\n is two code points, one line break
        ("Rad ett\u2028rad två 😀 ö", 15, (1, 7)),  # a line separator inside a turn; an emoji is one code point
        ("å\n\nä", 3, (2, 0)),
        ("", 0, (0, 0)),
    ],
)
def test_the_split_point_is_a_code_point_of_the_turns_own_text(
    text: str, index: int, location: tuple[int, int]
) -> None:
    assert location_of(text, index) == location
    assert index_of(text, location) == index
