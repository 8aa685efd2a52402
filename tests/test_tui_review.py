"""The consensus review screen, driven by keyboard through Pilot, checked against the database and posted messages."""

from __future__ import annotations

import html
from pathlib import Path

import pytest
from textual.message import Message

from mda_coder.core.errors import MdaError
from mda_coder.core.spans import Span
from mda_coder.services.consensus import CONSENSUS, review
from mda_coder.services.project import open_project
from mda_coder.tui.app import build_app
from mda_coder.tui.dialogs.ask import Ask
from mda_coder.tui.dialogs.review_setup import ReviewSetup
from mda_coder.tui.messages import HistoryStepped
from mda_coder.tui.screens.help import HelpScreen, binding_rows
from mda_coder.tui.screens.opened_over import open_review
from mda_coder.tui.screens.review import (
    FiguresUpdated,
    ReviewCommands,
    ReviewScreen,
    UnitSettled,
)
from mda_coder.tui.screens.workspace import WorkspaceScreen
from tests.support.tui import open_over, said, sample_copy, text_of, wait_for, workspace_ready

SIZE = (160, 48)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return sample_copy(tmp_path)


def decisions(project: Path) -> list[tuple[str, str, int, str]]:
    """Every settled unit in the project file: (code, document, turn, decision label)."""
    db = open_project(project)
    try:
        return [
            (i.ref.code, i.ref.document, i.ref.number, i.settlement.label)  # type: ignore[union-attr]
            for i in review(db, ["anna", "erik"]).items
            if i.settled
        ]
    finally:
        db.close()


def consensus_spans(project: Path) -> list[tuple[str, Span]]:
    from mda_coder.services.coding import list_codings

    db = open_project(project)
    try:
        return [(c.code_path, c.span) for c in list_codings(db, coder=CONSENSUS)]
    except MdaError:  # no consensus coder yet
        return []
    finally:
        db.close()


async def start(pilot) -> ReviewScreen:  # type: ignore[no-untyped-def]
    """From the workspace, open the review with the defaults: anna and erik, turns, every code."""
    return await open_over(pilot, open_review, ReviewSetup, ReviewScreen, lambda s: s.review is not None, ("enter",))


async def test_choose_coders_sentences_and_one_code(project: Path) -> None:
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: workspace_ready(app))
        open_review(app.screen)
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewSetup))
        await pilot.press("tab", "enter")  # untick anna: one coder is not enough
        await pilot.press("tab", "tab", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        assert "choose two or more coders" in said(app.screen)
        open_review(app.screen)
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewSetup))
        await pilot.press("tab", "tab", "down", "enter")  # sentences
        await pilot.press("tab", "down", "enter")  # the first code: tilltro, with its sub-codes
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewScreen) and app.screen.review is not None)
        listed = app.screen.review
        assert (listed.coders, listed.unit, listed.code) == (("anna", "erik"), "sentence", "tilltro")
        assert listed.items and all(i.ref.code.startswith("tilltro") and i.ref.unit == "sentence" for i in listed.items)
        assert "sentence" in text_of(app.screen, "#review-progress")


async def test_take_a_coder_with_one_key_and_move_on(project: Path) -> None:
    seen: list[Message] = []
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        screen = await start(pilot)
        assert screen.review is not None and screen.review.coders == ("anna", "erik")
        first = screen.current
        assert first is not None and "1 of 99" in text_of(screen, "#review-progress")
        assert "anna" in text_of(screen, "#review-coder-0") and "erik" in text_of(screen, "#review-coder-1")
        taker = next(i for i, c in enumerate(first.coders) if c.value == 1)
        await pilot.press("ab"[taker])
        await wait_for(pilot, lambda: any(isinstance(m, UnitSettled) for m in seen))
        settled = next(m for m in seen if isinstance(m, UnitSettled))
        assert settled.ref == first.ref and settled.item is not None and settled.item.settled
        name = first.coders[taker].coder
        assert decisions(project) == [(first.ref.code, first.ref.document, first.ref.number, f"take {name}")]
        wanted = [c.span.intersection(first.span) for c in first.coders[taker].codings]
        assert consensus_spans(project) == [(first.ref.code, s) for s in wanted]
        # The screen moved on to the next open unit and counts the settled one.
        assert screen.current is not None and screen.current.ref != first.ref and not screen.current.settled
        await wait_for(pilot, lambda: "settled 1" in text_of(screen, "#review-progress"))
        assert "remaining 98" in text_of(screen, "#review-progress")


async def test_neither_both_and_an_edited_span(project: Path) -> None:
    seen: list[Message] = []
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        screen = await start(pilot)
        items = screen.review.items  # type: ignore[union-attr]
        await pilot.press("0", "plus")
        await wait_for(pilot, lambda: sum(isinstance(m, UnitSettled) for m in seen) == 2)
        third = screen.current
        assert third is not None and third.ref == items[2].ref
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        span = Span(third.span.start, third.span.start + 12)
        await pilot.press("ctrl+a", "ctrl+k", *f"{span.start}-{span.end}", "enter")
        await wait_for(pilot, lambda: sum(isinstance(m, UnitSettled) for m in seen) == 3)
        labels = [label for *_, label in decisions(project)]
        assert labels == ["neither", "both", f"span {span.start}-{span.end}"]
        assert (items[2].ref.code, span) in consensus_spans(project)
        assert all(m.item is not None for m in seen if isinstance(m, UnitSettled))


async def test_a_refused_settle_is_shown_and_changes_nothing(project: Path) -> None:
    seen: list[Message] = []
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        screen = await start(pilot)
        first = screen.current
        assert first is not None
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        await pilot.press("ctrl+a", "ctrl+k", *f"{first.span.start}-{first.span.end + 50}", "enter")
        await wait_for(pilot, lambda: any(isinstance(m, UnitSettled) for m in seen))
        refused = next(m for m in seen if isinstance(m, UnitSettled))
        assert refused.item is None and "is not inside turn" in refused.note
        assert "is not inside turn" in text_of(screen, "#review-status")
        assert decisions(project) == [] and consensus_spans(project) == []


async def test_undo_and_redo_the_consensus_steps(project: Path) -> None:
    seen: list[Message] = []
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        screen = await start(pilot)
        first = screen.current
        assert first is not None
        await pilot.press("b")
        await wait_for(pilot, lambda: len(decisions(project)) == 1)
        await pilot.press("u")
        await wait_for(pilot, lambda: any(isinstance(m, HistoryStepped) for m in seen))
        await wait_for(pilot, lambda: decisions(project) == [])
        # The undone unit is shown again, open.
        await wait_for(
            pilot, lambda: screen.current is not None and screen.current.ref == first.ref and not screen.current.settled
        )
        assert "undone: settle" in text_of(screen, "#review-status")
        await pilot.press("U")
        await wait_for(pilot, lambda: len(decisions(project)) == 1)
        await wait_for(pilot, lambda: screen.current is not None and screen.current.settled)
        await pilot.press("u", "u")
        await wait_for(pilot, lambda: "nothing to undo" in text_of(screen, "#review-status"))
        assert decisions(project) == []


async def test_a_new_session_resumes_at_the_units_still_open(project: Path) -> None:
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        first_three = [item.ref for item in screen.review.items[:3]]  # type: ignore[union-attr]
        await pilot.press("0", "0", "j", "0")  # settle 1 and 2, skip ahead past 3, settle 4
        await wait_for(pilot, lambda: len(decisions(project)) == 3)
    settled = {(code, doc, number) for code, doc, number, _ in decisions(project)}
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        assert screen.current is not None and screen.current.ref == first_three[2]
        assert "settled 3" in text_of(screen, "#review-progress") and "remaining 96" in text_of(
            screen, "#review-progress"
        )
        visited = []
        for _ in range(5):
            visited.append(screen.current)
            await pilot.press("n")
        assert all(item is not None and not item.settled for item in visited)
        assert not {(i.ref.code, i.ref.document, i.ref.number) for i in visited} & settled  # type: ignore[union-attr]


async def test_figures_update_as_units_are_settled(project: Path) -> None:
    seen: list[Message] = []
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        screen = await start(pilot)
        await wait_for(pilot, lambda: any(isinstance(m, FiguresUpdated) for m in seen))
        first = next(m for m in seen if isinstance(m, FiguresUpdated)).figures
        assert [a.undefined for _, a in first.versus] == ["nothing is settled into consensus yet"] * 2
        assert first.between.value is not None
        assert "nothing is settled" in text_of(screen, "#review-figures")
        count = len(seen)
        await pilot.press("A")  # adopt every agreed unit: the consensus now covers every document
        await wait_for(
            pilot,
            lambda: (
                any(isinstance(m, FiguresUpdated) for m in seen[count:])
                and all(a.value is not None for _, a in screen.figures.versus)
            ),
        )  # type: ignore[union-attr]
        assert "adopted 135 agreed units" in text_of(screen, "#review-status")
        assert "anna vs consensus 0." in text_of(screen, "#review-figures") or "anna vs consensus 1." in text_of(
            screen, "#review-figures"
        )


async def test_help_and_command_palette_list_the_review_keys(project: Path) -> None:
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        rows = binding_rows(screen)
        assert {where for where, _, _ in rows} == {"review"}
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        assert "Neither: no coding here" in shown and "Take the first coder's codings" in shown
        await pilot.press("escape")
        provider = ReviewCommands(screen)
        titles = [hit.text async for hit in provider.search("neither")]
        assert titles == ["Neither: no coding here (0)"]
        everything = [hit.text async for hit in provider.discover()]
        assert len(everything) == len(rows)
        await pilot.press("escape")
        assert isinstance(app.screen, WorkspaceScreen)


async def test_R_in_the_workspace_opens_the_review(project: Path) -> None:
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: workspace_ready(app))
        assert any(b.action == "review" for _, _, b in binding_rows(app.screen))
        await pilot.press("R")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewSetup))
        await pilot.press("escape")
        assert isinstance(app.screen, WorkspaceScreen)
