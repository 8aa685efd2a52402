"""What you read is what is stored, in the workspace: bracketed text is shown as written wherever it appears.

Textual reads a plain string as markup: ``[skratt]``, ``[Anna]`` or a code ``[test]`` would vanish and a
``[/b]`` would stop the app. Each test opens a project whose transcript, names, codes, coders and memos
hold brackets, goes where a coder would see one of them, and reads the screen as it is drawn.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import OptionList

from mda_coder.services import importing, memos, metadata
from mda_coder.services.coding import Target, apply_code
from mda_coder.services.project import create_project
from mda_coder.tui.app import MdaApp, build_app
from mda_coder.tui.dialogs.ask import Ask
from mda_coder.tui.dialogs.choose import Choose
from mda_coder.tui.dialogs.code_picker import CodePicker
from mda_coder.tui.dialogs.memo import MemoEditor
from mda_coder.tui.dialogs.report_setup import ReportSetup
from mda_coder.tui.dialogs.review_setup import ReviewSetup
from mda_coder.tui.messages import ActionFailed
from mda_coder.tui.screens.agreement import AgreementScreen
from mda_coder.tui.screens.opened_over import open_agreement, open_reports, open_review
from mda_coder.tui.screens.reports import ReportsScreen
from mda_coder.tui.screens.review import ReviewScreen
from mda_coder.tui.screens.workspace import WorkspaceScreen
from tests.support.tui import open_over, said, screen_text, text_of, wait_for, workspace_ready

SIZE = (160, 48)

CODEBOOK = """\
name: Klammer
language: sv
codes:
  - name: "[test]"
    key: "1"
    color: "#4e79a7"
    definition: "Ett [/b] test [ med [skratt]"
    children:
      - name: "[paus]"
  - name: jobbfokus
    key: "2"
    definition: Arbete som mål.
"""

TRANSCRIPT = """\
I: Välkomna. Vad betyder tilltro för er? [paus]
R1: [skratt] Att jag tror på deltagaren. Även när [/b] det går trögt.
R2: Jeg tror [Anna] har ret. Det er [ svært.
I: Hur märks det?
R1: Vi pratar om arbete i varje möte.
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "k.yaml").write_text(CODEBOOK, encoding="utf-8")
    (tmp_path / "[samtal].txt").write_text(TRANSCRIPT, encoding="utf-8")
    path = tmp_path / "k.mda"
    db = create_project(path, "sv", tmp_path / "k.yaml", actor="test")
    try:
        importing.import_files(db, [tmp_path / "[samtal].txt"], group="[FG]")
        metadata.describe_speaker(db, "[samtal]", "I", role="[ledare]")
        for coder, code, turn in (
            ("[erik]", "[test]", 2),
            ("[erik]", "[test]/[paus]", 3),
            ("anna", "[test]", 3),
            ("anna", "jobbfokus", 5),
        ):
            memo = "[paus] ok" if coder == "[erik]" and turn == 2 else None
            apply_code(db, coder=coder, code=code, document="[samtal]", target=Target(turn=turn), memo=memo)
        memos.add_memo(db, "[skratt] om turen [/b]", document="[samtal]", turn=2, coder="[erik]")
    finally:
        db.close()
    return path


def app_as(project: Path, coder: str = "[erik]") -> MdaApp:
    return build_app(project, coder)


async def workspace(pilot: Pilot[object]) -> WorkspaceScreen:
    await wait_for(pilot, lambda: workspace_ready(pilot.app))
    screen = pilot.app.screen
    assert isinstance(screen, WorkspaceScreen)
    await wait_for(pilot, lambda: bool(screen.codes))  # the side panels are filled just after the first paint
    await pilot.pause()
    return screen


async def test_the_transcript_shows_the_transcribers_marks(project: Path) -> None:
    app = app_as(project)
    async with app.run_test(size=SIZE) as pilot:
        await workspace(pilot)
        shown = screen_text(app)
        assert "Välkomna. Vad betyder tilltro för er? [paus]" in shown
        assert "[skratt] Att jag tror på deltagaren. Även när [/b] det går trögt." in shown
        assert "Jeg tror [Anna] har ret. Det er [ svært." in shown


async def test_turn_headers_show_roles_and_code_badges(project: Path) -> None:
    app = app_as(project)
    async with app.run_test(size=SIZE) as pilot:
        await workspace(pilot)
        shown = screen_text(app)
        assert "I ([ledare])" in shown
        assert "[[test]]" in shown  # the badge of the code [test] on turn 2


async def test_the_status_line_names_document_and_coder(project: Path) -> None:
    app = app_as(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await workspace(pilot)
        status = text_of(screen, "#status")
        assert status.startswith("[samtal]  ·  turn 1/5  ·  coder [erik] (blind)")


async def test_the_document_list(project: Path) -> None:
    app = app_as(project)
    async with app.run_test(size=SIZE) as pilot:
        await workspace(pilot)
        shown = screen_text(app)
        assert "[samtal]" in shown and "[FG] 5 turns" in shown


async def test_the_codebook_and_a_codes_definition(project: Path) -> None:
    app = app_as(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await workspace(pilot)
        await pilot.press("K", "down", "up")
        await wait_for(pilot, lambda: "Ett" in text_of(screen, "#code-detail"))
        assert "● [test]" in screen_text(app)
        detail = text_of(screen, "#code-detail")
        assert detail.startswith("[test]   key 1") and "Ett [/b] test [ med [skratt]" in detail


async def test_the_codings_and_memos_of_the_turn(project: Path) -> None:
    app = app_as(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await workspace(pilot)
        await pilot.press("j")
        await wait_for(pilot, lambda: "[test]" in text_of(screen, "#turn-codings"))
        panel = text_of(screen, "#turn-codings")
        assert "[erik]" in panel and "● [test]" in panel
        assert "memo: [paus] ok" in panel and "turn memo: [skratt] om turen [/b]" in panel


async def test_the_code_picker(project: Path) -> None:
    app = app_as(project)
    async with app.run_test(size=SIZE) as pilot:
        await workspace(pilot)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, CodePicker))
        options = app.screen.query_one(OptionList)
        for _ in range(options.option_count):
            if options.get_option_at_index(options.highlighted or 0).id == "[test]":
                break
            await pilot.press("down")
        await pilot.pause()
        shown = screen_text(app)
        assert "● [test]" in shown and "● [test]/[paus]" in shown
        assert "Ett [/b] test [ med [skratt]" in shown  # the highlighted code's definition


async def test_the_filter_list_and_the_filter_in_the_status_line(project: Path) -> None:
    app = app_as(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await workspace(pilot)
        await pilot.press("f")
        await wait_for(pilot, lambda: isinstance(app.screen, Choose))
        await pilot.pause()
        shown = screen_text(app)
        assert "role [ledare]" in shown and "turns coded [test]" in shown
        options = list(app.screen.items)
        await pilot.press(*["down"] * next(i for i, (key, _) in enumerate(options) if key == "role:[ledare]"), "enter")
        await wait_for(pilot, lambda: "filter:" in text_of(screen, "#status"))
        assert "filter: role [ledare] (2 turns)" in text_of(screen, "#status")


async def test_renaming_a_code_asks_with_its_name(project: Path) -> None:
    app = app_as(project)
    async with app.run_test(size=SIZE) as pilot:
        await workspace(pilot)
        await pilot.press("K", "down", "up", "r")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        assert text_of(app.screen, "#ask-title") == "Rename [test]"


async def test_a_memo_says_what_it_is_on(project: Path) -> None:
    app = app_as(project)
    async with app.run_test(size=SIZE) as pilot:
        await workspace(pilot)
        await pilot.press("j", "m")
        await wait_for(pilot, lambda: isinstance(app.screen, Choose))
        await pilot.pause()
        shown = screen_text(app)
        assert "on your coding ● [test]" in shown and "on the document [samtal]" in shown
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, MemoEditor))
        assert text_of(app.screen, "#memo-title").startswith("Memo on [test]   ctrl+s save")


async def test_a_failure_is_told_as_written(project: Path) -> None:
    app = app_as(project)
    async with app.run_test(size=SIZE) as pilot:
        screen = await workspace(pilot)
        screen.post_message(ActionFailed("no code called [/b] or [skratt] here"))
        await wait_for(pilot, lambda: "no code called" in screen_text(app))
        assert "no code called [/b] or [skratt] here" in said(screen)  # the message line
        assert "no code called [/b] or [skratt] here" in screen_text(app)  # the notification too


async def test_search_hits(project: Path) -> None:
    app = app_as(project)
    async with app.run_test(size=SIZE) as pilot:
        await workspace(pilot)
        await pilot.press("slash")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        await pilot.press(*"svært", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, Choose))
        await pilot.pause()
        shown = screen_text(app)
        assert "1 place with 'svært'" in shown
        assert "Jeg tror [Anna] har ret. Det er [ svært." in shown


async def test_the_excerpts_of_a_code(project: Path) -> None:
    app = app_as(project)
    async with app.run_test(size=SIZE) as pilot:
        await workspace(pilot)
        await pilot.press("E")
        await wait_for(pilot, lambda: isinstance(app.screen, CodePicker))
        await pilot.press(*"[test]", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, Choose))
        await pilot.pause()
        shown = screen_text(app)
        assert "excerpts of [test]" in shown
        assert "[samtal] t2 R1 [[erik]] [skratt] Att jag tror" in shown


async def test_the_agreement_setup_and_table(project: Path) -> None:
    app = app_as(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        await workspace(pilot)
        open_agreement(app.screen)  # type: ignore[arg-type]
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewSetup))
        await pilot.pause()
        assert "[erik]" in screen_text(app)  # the coders to tick
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, AgreementScreen) and app.screen.view is not None)
        await pilot.pause()
        shown = screen_text(app)
        assert "Agreement between [erik], anna" in shown
        assert "[test]" in shown and "  [paus]" in shown  # the codes' rows, a sub-code indented


async def test_the_agreement_on_characters_names_the_coders_columns(project: Path) -> None:
    app = app_as(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        await workspace(pilot)
        await open_over(
            pilot,
            open_agreement,
            ReviewSetup,
            AgreementScreen,
            lambda s: s.view is not None,
            ("tab", "tab", "down", "down", "enter", "tab", "tab", "tab", "tab", "enter"),
        )
        await pilot.pause()
        assert "[erik] only" in screen_text(app)


async def test_the_report_setup_and_a_matrix(project: Path) -> None:
    app = app_as(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        await workspace(pilot)
        open_reports(app.screen)  # type: ignore[arg-type]
        await wait_for(pilot, lambda: isinstance(app.screen, ReportSetup))
        await pilot.pause()
        setup = screen_text(app)
        assert "[erik]" in setup and "[samtal]" in setup and "[FG]" in setup and "[ledare]" in setup
        assert "[test]" in setup and "› [paus]" in setup
        await pilot.press("down", "down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportsScreen) and app.screen.table is not None)
        await pilot.pause()
        shown = screen_text(app)
        assert "[samtal]" in shown  # the document's column heading
        assert "[test]/[paus]" in shown


async def test_the_review(project: Path) -> None:
    app = app_as(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        await workspace(pilot)
        screen = await open_over(
            pilot, open_review, ReviewSetup, ReviewScreen, lambda s: s.review is not None, ("enter",)
        )
        await pilot.pause()
        shown = screen_text(app)
        assert "[erik]" in shown and "[test]" in shown
        assert "[skratt] Att jag tror på deltagaren." in shown or "Jeg tror [Anna] har ret." in shown
        await pilot.press("a")
        await wait_for(pilot, lambda: "settled" in text_of(screen, "#review-status"))
        assert "[test]" in text_of(screen, "#review-status") and "[samtal]" in text_of(screen, "#review-status")
