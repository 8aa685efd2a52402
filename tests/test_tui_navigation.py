"""Getting about: go to turn N, the side panels at ordinary sizes, reopening where you left off, and x before a memo goes."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from mda_coder.services.coding import list_codings, set_coding_memo
from mda_coder.services.project import open_project
from mda_coder.store.first_page import read_first_page
from mda_coder.tui.app import MdaApp, build_app
from mda_coder.tui.dialogs.ask import Ask
from mda_coder.tui.dialogs.confirm import Confirm
from mda_coder.tui.dialogs.report_setup import ReportSetup
from mda_coder.tui.dialogs.review_setup import ReviewSetup
from mda_coder.tui.screens.agreement import AgreementScreen
from mda_coder.tui.screens.opening import OpeningScreen
from mda_coder.tui.screens.reports import ReportsScreen
from mda_coder.tui.screens.review import ReviewScreen
from mda_coder.tui.screens.workspace import WorkspaceScreen
from mda_coder.tui.widgets.transcript import TranscriptView
from tests.support.tui import said, sample_copy, screen_lines, wait_for, workspace_ready

NARROW = (100, 30)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return sample_copy(tmp_path)


async def opened(pilot) -> TranscriptView:  # type: ignore[no-untyped-def]
    await wait_for(pilot, lambda: workspace_ready(pilot.app))
    return pilot.app.screen.query_one(TranscriptView)


def top_turn(app) -> str:  # type: ignore[no-untyped-def]
    """The first row of the transcript as the user sees it (a turn's header when a jump put it at the top)."""
    region = app.screen.query_one(TranscriptView).region
    return screen_lines(app)[region.y][region.x : region.right].replace("▎", " ")


# -- go to turn N ---------------------------------------------------------------------------


async def test_colon_and_a_number_go_to_that_turn_at_the_top(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=NARROW) as pilot:
        view = await opened(pilot)
        await pilot.press("colon")
        assert isinstance(app.screen, Ask)
        assert "Go to turn (1–110) of FG1_Norrvik" in str(app.screen.query_one("#ask-title").render())
        await pilot.press(*"42", "enter")
        assert view.current is not None and view.current.index == 42
        await pilot.pause()
        assert top_turn(app).split()[:1] == ["42"]
        await pilot.press("colon", *"500", "enter")
        assert said(app.screen) == "FG1_Norrvik has turns 1–110: there is no turn 500"
        assert view.current.index == 42
        await pilot.press("colon", *"fyra", "enter")
        assert said(app.screen).startswith("'fyra' is not a turn number")


async def test_the_palette_goes_to_turn_N_for_a_colon_and_a_number(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=NARROW) as pilot:
        view = await opened(pilot)
        await pilot.press("ctrl+p")
        await pilot.press(*":37")
        await pilot.pause(0.5)
        assert any("Go to turn 37" in row for row in screen_lines(app))
        await pilot.press("enter")
        await wait_for(pilot, lambda: view.current is not None and view.current.index == 37)


async def test_going_to_a_turn_the_filter_hides_lifts_the_filter_and_says_so(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=NARROW) as pilot:
        view = await opened(pilot)
        await pilot.press("f", "down", "down", "down", "enter")  # speaker R1 only
        assert 5 not in [t.index for t in view.turns]  # turn 5 is the moderator's
        await pilot.press("colon", "5", "enter")
        assert view.current is not None and view.current.index == 5 and len(view.turns) == 110
        assert said(app.screen).startswith("filter lifted: speaker R1 (") and "hid turn 5" in said(app.screen)


# -- the panels -------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [(100, 30), (120, 40)])
async def test_the_transcript_keeps_most_of_an_ordinary_terminal(project: Path, size: tuple[int, int]) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=size) as pilot:
        view = await opened(pilot)
        await pilot.pause()
        assert view.region.width >= 0.6 * size[0]
        assert not app.screen.query_one("#documents").display and app.screen.query_one("#side").display
        keys = " ".join(screen_lines(app)[-1].split())
        assert keys.startswith("? all keys c code") and not keys.endswith(" q")  # whole hints only


async def test_z_hides_and_shows_the_panels_and_d_shows_the_documents_for_a_choice(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=NARROW) as pilot:
        view = await opened(pilot)
        documents, side = app.screen.query_one("#documents"), app.screen.query_one("#side")
        await pilot.press("z")
        await pilot.pause()
        assert not documents.display and not side.display and view.region.width == NARROW[0]
        assert said(app.screen).startswith("panels: the transcript alone")
        await pilot.press("z")
        await pilot.pause()
        assert documents.display and side.display
        await pilot.press("z")
        await pilot.pause()
        assert not documents.display and side.display
        await pilot.press("z", "K")  # the transcript alone, then K: the codebook panel comes back for it
        await pilot.pause()
        assert side.display and app.screen.query_one("#codebook").has_focus and not documents.display
        await pilot.press("t", "d")  # hidden: shown for the choice, then hidden again
        await pilot.pause()
        assert documents.display and documents.has_focus
        await pilot.press("down", "enter")  # FG2_Sjöstad
        await wait_for(pilot, lambda: view.document is not None and view.document.name == "FG2_Sjöstad")
        await pilot.pause()
        assert not documents.display and view.has_focus


async def test_all_three_panels_at_160_columns(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=(160, 48)) as pilot:
        view = await opened(pilot)
        await pilot.pause()
        assert app.screen.query_one("#documents").display and view.region.width >= 0.6 * 160
        await pilot.resize_terminal(110, 40)  # narrower: the documents go, the transcript keeps its share
        await pilot.pause()
        assert not app.screen.query_one("#documents").display and view.region.width >= 0.6 * 110


@pytest.mark.parametrize("which", ["agreement", "review", "reports"])
async def test_the_screens_over_the_workspace_fit_at_100_by_30(project: Path, which: str) -> None:
    setup, screen = {
        "agreement": (ReviewSetup, AgreementScreen),
        "review": (ReviewSetup, ReviewScreen),
        "reports": (ReportSetup, ReportsScreen),
    }[which]
    app = build_app(project, "anna")
    async with app.run_test(size=NARROW) as pilot:
        await wait_for(pilot, lambda: workspace_ready(app))
        await app.screen.run_action(which)
        await wait_for(pilot, lambda: isinstance(app.screen, setup))
        await pilot.pause()
        box = app.screen.query_one(f"#{'report' if which == 'reports' else 'review'}-setup")
        assert box.region.right <= NARROW[0] and box.region.bottom <= NARROW[1]
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, screen), timeout=20)
        await pilot.pause(0.5)
        keys = " ".join(screen_lines(app)[-1].split())
        assert keys.startswith("? all keys esc back")  # how to get help and out are never cut
        for widget in app.screen.children:  # what lies inside them scrolls
            if widget.display:
                assert widget.region.right <= NARROW[0] and widget.region.bottom <= NARROW[1], widget


# -- where you left off -----------------------------------------------------------------------


class HeldOpen(MdaApp):
    """The app with its project opening held until the test lets it go: the first page stays on the screen."""

    gate = threading.Event()

    def open_project(self) -> None:
        self.gate.wait(10)
        super().open_project()


async def test_the_workspace_reopens_where_each_coder_left_off(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=NARROW) as pilot:
        view = await opened(pilot)
        await pilot.press("colon", *"57", "enter")
        assert view.current is not None and view.current.index == 57
        await pilot.press("q")
    page = read_first_page(project, "anna")
    assert page is not None
    HeldOpen.gate.clear()
    app = HeldOpen(str(project), "anna", first_page=page)
    async with app.run_test(size=NARROW) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, OpeningScreen)  # the first page already starts there
        assert top_turn(app).split()[:1] == ["57"]
        assert "turn 57/110" in str(app.screen.query_one("#status").render())
        HeldOpen.gate.set()
        view = await opened(pilot)
        assert view.current is not None and view.current.index == 57 and len(view.turns) == 110
        await pilot.pause()
        assert top_turn(app).split()[:1] == ["57"]
        app.screen.show_turn("FG2_Sjöstad", 12)  # another document, then closed without q
        await wait_for(pilot, lambda: view.document is not None and view.document.name == "FG2_Sjöstad")
    app = build_app(project, "anna")
    async with app.run_test(size=NARROW) as pilot:
        view = await opened(pilot)
        assert view.document is not None and view.document.name == "FG2_Sjöstad"
        assert view.current is not None and view.current.index == 12
    app = build_app(project, "erik")  # erik has not been anywhere: the first turn of the first document
    async with app.run_test(size=NARROW) as pilot:
        view = await opened(pilot)
        assert view.document is not None and view.document.name == "FG1_Norrvik" and view.cursor == 0


# -- x asks before a memo goes ------------------------------------------------------------------


async def test_x_asks_before_removing_a_coding_with_a_memo(project: Path) -> None:
    app = build_app(project, "tester")
    async with app.run_test(size=NARROW) as pilot:
        view = await opened(pilot)
        await pilot.press("j", "1")
        await wait_for(pilot, lambda: view.marks_of(1) != [])
        db = open_project(project)
        try:
            [coding] = list_codings(db, coder="tester")
            set_coding_memo(db, coding.id, "Gränsfall: [tvekar] om ordet.", coder="tester")  # in another window
        finally:
            db.close()
        await wait_for(pilot, lambda: view.marks_of(1)[0].memo is not None)  # the screen picked it up
        await pilot.press("x")
        assert isinstance(app.screen, Confirm)
        assert any("Gränsfall: [tvekar] om ordet." in row for row in screen_lines(app))  # the memo, literally
        await pilot.press("enter")  # not a yes
        assert isinstance(app.screen, WorkspaceScreen) and said(app.screen).startswith("kept ")
        await pilot.press("x", "n")
        await pilot.press("x", "y")
        await wait_for(pilot, lambda: "removed" in said(app.screen))
        assert " and its memo from FG1_Norrvik turn 2" in said(app.screen)
        db = open_project(project)
        try:
            assert list_codings(db, coder="tester") == []
        finally:
            db.close()


async def test_help_names_the_new_keys(project: Path) -> None:
    import io

    from rich.console import Console

    from mda_coder.tui.screens.help import HelpScreen

    app = build_app(project, "anna")
    async with app.run_test(size=NARROW) as pilot:
        await opened(pilot)
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        console = Console(width=100, record=True, file=io.StringIO())
        console.print(app.screen.table)
        rows = [" ".join(line.replace("│", " ").split()) for line in console.export_text().splitlines()]
        assert any(row.startswith(": Go to turn N") for row in rows)
        assert any(row.startswith("z Side panels: all, the codebook only, none") for row in rows)
