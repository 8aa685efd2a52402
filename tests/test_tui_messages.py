"""What the workspace tells a coder: on a message line that wraps at any width and clears itself, and badges that end in …."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.app import App

from mda_coder.services.coding import Target, apply_code, list_codings
from mda_coder.services.project import open_project
from mda_coder.tui.app import build_app
from mda_coder.tui.dialogs.choose import Choose
from mda_coder.tui.screens.workspace import WorkspaceScreen
from mda_coder.tui.widgets import lines
from mda_coder.tui.widgets.lines import MessageLine
from mda_coder.tui.widgets.transcript import TranscriptView
from tests.support.tui import said, sample_copy, screen_lines, wait_for, workspace_ready

NARROW = (100, 30)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return sample_copy(tmp_path)


@pytest.fixture
def quick_messages(monkeypatch: pytest.MonkeyPatch) -> None:
    """Messages clear after half a second instead of several, so that a test can see them go."""
    monkeypatch.setitem(lines.SECONDS, "info", 0.5)
    monkeypatch.setitem(lines.SECONDS, "warning", 0.5)


def codings(project: Path, coder: str = "tester") -> list:  # type: ignore[type-arg]
    db = open_project(project)
    try:
        return list_codings(db, coder=coder)
    except Exception:  # no such coder yet
        return []
    finally:
        db.close()


def on_screen(app: App[object], selector: str) -> str:
    """The text a widget shows on the screen, its rows joined with single spaces (what a reader reads)."""
    region = app.screen.query_one(selector).region
    rows = screen_lines(app)[region.y : region.bottom]
    return " ".join(" ".join(row[region.x : region.right].split()) for row in rows).strip()


async def opened(pilot) -> TranscriptView:  # type: ignore[no-untyped-def]
    await wait_for(pilot, lambda: workspace_ready(pilot.app))
    return pilot.app.screen.query_one(TranscriptView)


async def test_x_and_u_and_U_say_in_full_what_they_did_at_100_columns(project: Path) -> None:
    # Messages stay their usual time here (8 s): with half a second, a loaded machine could clear one
    # before the test had looked at it. The last step waits for the redo's message to go by itself.
    app = build_app(project, "tester")
    async with app.run_test(size=NARROW) as pilot:
        view = await opened(pilot)
        await pilot.press("j", "1")
        await wait_for(pilot, lambda: view.marks_of(1) != [])
        path = view.marks_of(1)[0].code_path
        await pilot.press("x")
        await wait_for(pilot, lambda: "removed" in said(app.screen))
        message = said(app.screen)
        assert message.startswith(f"removed {path} from FG1_Norrvik turn 2: “Ja men jag kan börja.")
        assert message.endswith("(u brings it back)") and len(message) > NARROW[0]  # longer than a line
        await pilot.pause()
        assert on_screen(app, "#message") == " ".join(message.split())  # wrapped, nothing cut
        assert codings(project) == []
        await pilot.press("u")
        await wait_for(pilot, lambda: "undone" in said(app.screen))
        assert said(app.screen) == f"undone: remove {path} from FG1_Norrvik turn 2 (U redoes it)"
        await wait_for(pilot, lambda: len(codings(project)) == 1)
        await pilot.press("U")
        await wait_for(pilot, lambda: "redone" in said(app.screen))
        await pilot.pause()
        assert on_screen(app, "#message") == f"redone: remove {path} from FG1_Norrvik turn 2 (u undoes it again)"
        # The message clears itself, and the line gives its room back to the transcript.
        height = view.size.height
        await wait_for(pilot, lambda: said(app.screen) == "")
        await pilot.pause()
        assert not app.screen.query_one(MessageLine).display and view.size.height > height


async def test_span_editing_is_said_while_it_lasts(project: Path, quick_messages: None) -> None:
    app = build_app(project, "tester")
    async with app.run_test(size=NARROW) as pilot:
        view = await opened(pilot)
        await pilot.press("j", "1")
        await wait_for(pilot, lambda: view.marks_of(1) != [])
        await pilot.press("e")
        assert "enter saves, esc cancels" in said(app.screen)
        assert "editing a span" in str(app.screen.query_one("#status").render())
        heard: list[str] = []
        say = lines.MessageLine.say

        def hearing(line: lines.MessageLine, message: str, *args: object, **kwargs: object) -> None:
            heard.append(message)
            say(line, message, *args, **kwargs)  # type: ignore[arg-type]

        # The passing message lasts half a second here; a loaded machine may not poll within it,
        # so what was said is recorded as well as read off the line.
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(lines.MessageLine, "say", hearing)
            await pilot.press("slash", *"qqzzxxkk", "enter")  # said over the mode, which comes back after
            await wait_for(pilot, lambda: any("is not in" in m for m in heard))
        await wait_for(pilot, lambda: "enter saves, esc cancels" in said(app.screen))
        await pilot.pause(0.7)  # longer than a passing message stays
        assert "enter saves, esc cancels" in said(app.screen)
        await pilot.press("escape")
        assert said(app.screen) == "span edit cancelled: the coding keeps its span"
        assert "editing a span" not in str(app.screen.query_one("#status").render())
        await wait_for(pilot, lambda: said(app.screen) == "")


async def test_not_found_and_errors_are_said(project: Path) -> None:
    app = build_app(project, "tester")
    async with app.run_test(size=NARROW) as pilot:
        await opened(pilot)
        await pilot.press("slash", *"qqzzxxkk", "enter")
        await wait_for(pilot, lambda: "is not in" in said(app.screen))
        assert said(app.screen).startswith("'qqzzxxkk' is not in FG1_Norrvik")
        await pilot.press("j", "c", *"behovsbaserat", "enter")
        await wait_for(pilot, lambda: len(codings(project)) == 1)
        await pilot.press("c", *"villkorat", "enter")
        await wait_for(pilot, lambda: app.screen.query_one(MessageLine).kind == "error")
        assert "mutually exclusive" in said(app.screen)
        await pilot.pause()
        assert "mutually exclusive" in on_screen(app, "#message")


async def test_badges_that_do_not_fit_end_in_an_ellipsis(project: Path) -> None:
    db = open_project(project)
    try:
        for code in (
            "individualisering av ansvar",
            "handläggarens handlingsutrymme",
            "strukturella faktorer",
            "progressionsmätning",
            "rätt insats i rätt ordning",
        ):
            apply_code(db, coder="tester", code=code, document="FG1_Norrvik", target=Target(turn=2))
    finally:
        db.close()
    app = build_app(project, "tester")
    async with app.run_test(size=NARROW) as pilot:
        view = await opened(pilot)
        await wait_for(pilot, lambda: len(view.marks_of(1)) == 5)
        await pilot.pause()
        region = view.scrollable_content_region
        header = next(row[region.x : region.right] for row in screen_lines(app) if "R1 (arbetskonsulent)" in row)
        assert header.rstrip().endswith("…") and "[individualisering av ansvar]" in header
        assert len(header.rstrip()) == region.width  # cut at the edge, the … in the last cell
        # On a wide enough terminal every badge fits, without an ellipsis.
        await pilot.resize_terminal(260, 48)
        await pilot.pause()
        header = next(row for row in screen_lines(app) if "R1 (arbetskonsulent)" in row)
        assert "[rätt insats i rätt ordning]" in header and "…" not in header


async def test_a_long_filter_wraps_the_status_bar_instead_of_cutting_it(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=NARROW) as pilot:
        await opened(pilot)
        await pilot.press("f", "down", "down", "down", "down", "enter")  # speaker R2
        await pilot.pause()
        status = on_screen(app, "#status")
        assert "filter: speaker R2" in status and status.endswith("turns)")


async def test_a_search_hit_in_a_filtered_out_turn_lifts_the_filter_and_says_so(project: Path) -> None:
    app = build_app(project, "anna")
    async with app.run_test(size=NARROW) as pilot:
        view = await opened(pilot)
        await pilot.press("f", "down", "down", "down", "enter")  # speaker R1 only
        assert {t.speaker for t in view.turns} == {"R1"}
        await pilot.press("slash", *"sätter vi igång", "enter")  # the moderator, turn 1
        await wait_for(pilot, lambda: isinstance(app.screen, Choose))
        await pilot.press("enter")
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, WorkspaceScreen) and view.current is not None and view.current.index == 1,
        )
        assert len(view.turns) == 110 and view.selection is not None
        assert said(app.screen) == "filter lifted: speaker R1 (18 turns) hid turn 1; all turns are shown"
        assert "filter:" not in str(app.screen.query_one("#status").render())
