"""What the README tells a new coder about the workspace holds: blind by default, the codebook's `3/6`, `/` to select a phrase."""

from __future__ import annotations

from pathlib import Path

import pytest

from mda_coder.services.codebook import coding_counts_of, list_codes
from mda_coder.services.coding import list_codings
from mda_coder.services.project import open_project
from mda_coder.tui.app import build_app
from mda_coder.tui.dialogs.choose import Choose
from mda_coder.tui.widgets.panels import CodebookTree
from mda_coder.tui.widgets.transcript import TranscriptView
from tests.support.tui import sample_copy, text_of, wait_for, workspace_ready

SIZE = (160, 48)
README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return sample_copy(tmp_path)


def _flat(text: str) -> str:
    return " ".join(text.split())


async def test_the_workspace_opens_blind_and_b_shows_the_others(project: Path) -> None:
    assert "always opens in blind mode" in _flat(README) and "`coder anna (blind)`" in README
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: workspace_ready(app))
        screen, view = app.screen, app.screen.query_one(TranscriptView)
        await wait_for(pilot, lambda: "(blind)" in text_of(screen, "#status"))
        assert screen.blind and "coder anna (blind)" in text_of(screen, "#status")
        await wait_for(pilot, lambda: any(view.marks_of(i) for i in range(len(view.turns))))
        assert {m.coder for i in range(len(view.turns)) for m in view.marks_of(i)} == {"anna"}
        await pilot.press("b")
        await wait_for(pilot, lambda: any(m.coder == "erik" for i in range(len(view.turns)) for m in view.marks_of(i)))
        assert not screen.blind and "coder anna + erik" in text_of(screen, "#status")
        await pilot.press("b")
        await wait_for(pilot, lambda: all(m.coder == "anna" for i in range(len(view.turns)) for m in view.marks_of(i)))
    # Not remembered: the next opening is blind again.
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: workspace_ready(app))
        assert app.screen.blind


async def test_codebook_counts_are_yours_over_everyones_for_the_code_itself(project: Path) -> None:
    assert "`tvivel  3/6  [2]`" in README and "not those of its sub-codes" in _flat(README)
    db = open_project(project)
    try:
        total = {c.code.path: c.codings for c in list_codes(db)}
        mine = coding_counts_of(db, "anna")
    finally:
        db.close()
    shared = next(p for p, n in total.items() if 0 < mine.get(p, 0) < n)
    app = build_app(project, "anna")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: workspace_ready(app))
        tree = app.screen.query_one(CodebookTree)
        await wait_for(pilot, lambda: len(tree._all_nodes()) == len(total))
        labels = {node.data: node.label.plain for node in tree._all_nodes()}
        name = shared.rsplit("/", 1)[-1]
        assert f"{name}  {mine[shared]}/{total[shared]}" in labels[shared]
        unused = next(p for p, n in total.items() if n == 0)
        assert labels[unused].split("  ")[1] == "0"
        # A parent's count is its own codings only: tilltro and its sub-codes are counted apart.
        assert labels["tilltro"].split("  ")[1].split("/")[-1] == str(total["tilltro"])
        assert total["tilltro"] < sum(n for p, n in total.items() if p.startswith("tilltro"))


async def test_slash_selects_a_phrase_and_a_code_key_codes_exactly_it(project: Path) -> None:
    assert "The fast way to code a phrase: press `/`" in _flat(README)
    app = build_app(project, "tester")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: workspace_ready(app))
        view = app.screen.query_one(TranscriptView)
        await pilot.press("slash", *"en väg framåt", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, Choose))
        await pilot.press("enter")
        await wait_for(pilot, lambda: view.selection is not None)
        selected = view.selection
        assert selected is not None and view.document.text[selected.start : selected.end] == "en väg framåt"
        await pilot.press("1")

        def coded() -> list[tuple[str, int, int]]:
            db = open_project(project)
            try:
                return [(c.code_path, c.span.start, c.span.end) for c in list_codings(db, coder="tester")]
            except Exception:  # no coding (nor coder) yet
                return []
            finally:
                db.close()

        await wait_for(pilot, lambda: coded() != [])
        assert coded() == [("tilltro", selected.start, selected.end)]
