"""The review with a code and its sub-codes chosen, driven through Pilot: one unit, each coder's codes, nobody "did not apply"."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.message import Message

from mda_coder.services import importing
from mda_coder.services.coding import Target, apply_code, list_codings
from mda_coder.services.consensus import CONSENSUS
from mda_coder.services.project import create_project, open_project
from mda_coder.tui.app import build_app
from mda_coder.tui.dialogs.ask import Ask
from mda_coder.tui.dialogs.review_setup import ReviewSetup
from mda_coder.tui.screens.opened_over import open_review
from mda_coder.tui.screens.review import FiguresUpdated, ReviewScreen, UnitSettled
from tests.support.tui import open_over, text_of, wait_for

SIZE = (160, 48)


@pytest.fixture
def two_readings(tmp_path: Path, mini_codebook: Path, transcript: Path) -> Path:
    """Turn 2 of FG9: anna applied tilltro, erik tilltro/tvivel."""
    path = tmp_path / "studie.mda"
    db = create_project(path, "sv", mini_codebook, actor="test")
    try:
        importing.import_files(db, [transcript], group="FG9")
        apply_code(db, coder="anna", code="tilltro", document="FG9", target=Target(turn=2))
        apply_code(db, coder="erik", code="tilltro/tvivel", document="FG9", target=Target(turn=2))
    finally:
        db.close()
    return path


def consensus_codes(project: Path) -> list[str]:
    db = open_project(project)
    try:
        return [c.code_path for c in list_codings(db, coder=CONSENSUS)]
    except Exception:  # no consensus coder yet
        return []
    finally:
        db.close()


async def test_a_family_review_shows_the_unit_once_with_each_coders_code(two_readings: Path) -> None:
    seen: list[Message] = []
    app = build_app(two_readings, "lisa")
    async with app.run_test(size=SIZE, message_hook=seen.append) as pilot:
        # The code list starts on "every code"; one down is tilltro, with its sub-codes.
        screen = await open_over(
            pilot, open_review, ReviewSetup, ReviewScreen, lambda s: s.review is not None, ("down", "enter")
        )
        assert screen.review is not None and [i.ref.number for i in screen.review.items] == [2]
        progress = text_of(screen, "#review-progress")
        assert "tilltro and its sub-codes" in progress and "1 of 1" in progress
        anna, erik = text_of(screen, "#review-coder-0"), text_of(screen, "#review-coder-1")
        assert "applied tilltro\n" in anna and "applied tilltro/tvivel" in erik
        assert "did not apply" not in anna + erik
        await wait_for(pilot, lambda: "with its sub-codes" in text_of(screen, "#review-figures"))
        assert any(isinstance(m, FiguresUpdated) and m.figures.include_subcodes for m in seen)
        await pilot.press("b")  # take erik's
        await wait_for(pilot, lambda: any(isinstance(m, UnitSettled) for m in seen))
        settled = next(m for m in seen if isinstance(m, UnitSettled))
        assert settled.item is not None and settled.item.settled, settled.note
        assert consensus_codes(two_readings) == ["tilltro/tvivel"]
        await wait_for(pilot, lambda: "take erik" in text_of(screen, "#review-consensus"))
        assert "every unit is settled" in text_of(screen, "#review-status")
        # A span of one's own asks for the code too, and gives it to that code only.
        await pilot.press("e")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        item = screen.current
        assert item is not None
        start, end = item.span.start + 3, item.span.start + 15
        await pilot.press("ctrl+a", "ctrl+k", *f"tvivel {start}-{end}", "enter")
        await wait_for(pilot, lambda: sum(isinstance(m, UnitSettled) for m in seen) == 2)
        assert consensus_codes(two_readings) == ["tilltro/tvivel"]
        assert f"tilltro: neither; tilltro/tvivel: span {start}-{end}" in text_of(screen, "#review-consensus")


async def test_reviewing_every_code_names_the_sub_code_a_coder_applied_instead(two_readings: Path) -> None:
    app = build_app(two_readings, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await open_over(
            pilot, open_review, ReviewSetup, ReviewScreen, lambda s: s.review is not None, ("enter",)
        )
        assert screen.review is not None
        assert [(i.ref.code, i.ref.number) for i in screen.review.items] == [("tilltro", 2), ("tilltro/tvivel", 2)]
        erik = text_of(screen, "#review-coder-1")
        assert "applied its sub-code tilltro/tvivel, not tilltro itself" in erik and "did not apply" not in erik
        assert "applied tilltro" in text_of(screen, "#review-coder-0")
        await pilot.press("j")
        await wait_for(pilot, lambda: "tilltro/tvivel" in text_of(screen, "#review-progress"))
        # anna applied the parent, not tvivel: that she did not apply tvivel is true and is said.
        assert "did not apply tilltro/tvivel" in text_of(screen, "#review-coder-0")
