"""The agreement screen, driven by keyboard through Pilot on the sample project, checked against the services."""

from __future__ import annotations

import html
import io
import re
from pathlib import Path

import pytest
from textual.widgets import DataTable, OptionList

from mda_coder.core.spans import Span
from mda_coder.export.agreement_statistics import number
from mda_coder.services.agreement import (
    AgreementReport,
    UnitizingReport,
    agreement,
    report_document,
    unitizing_agreement,
    unitizing_document,
    write_report,
)
from mda_coder.services.coding import Target, apply_code
from mda_coder.services.project import open_project
from mda_coder.services.queries import sentences
from mda_coder.tui.app import build_app
from mda_coder.tui.dialogs.ask import Ask
from mda_coder.tui.dialogs.review_setup import ReviewSetup
from mda_coder.tui.screens.agreement import AgreementScreen
from mda_coder.tui.screens.help import HelpScreen, binding_rows
from mda_coder.tui.screens.opened_over import open_agreement
from mda_coder.tui.screens.review import ReviewCommands
from mda_coder.tui.screens.workspace import WorkspaceScreen
from mda_coder.tui.widgets.transcript import TranscriptView
from tests.support.snapshot import dump
from tests.support.tui import open_over, said, sample_copy, text_of, wait_for, workspace_ready

SIZE = (160, 48)

# Setup dialog keys, from the code list it opens on: tab to the coders, the units, the split, then the
# options (sub-codes; the interval for turns and sentences, the overlap for characters) and the codes again.
SENTENCES_PER_DOCUMENT = ("tab", "tab", "down", "enter", "tab", "down", "enter", "tab", "tab", "tab", "enter")
CHARACTERS = ("tab", "tab", "down", "down", "enter", "tab", "tab", "tab", "tab", "enter")
SUBCODES_AND_INTERVAL = ("tab", "tab", "tab", "tab", "space", "tab", "space", "tab", "enter")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return sample_copy(tmp_path)


def report_of(project: Path, coders: list[str], unit: str = "turn", by: str | None = None) -> AgreementReport:
    db = open_project(project)
    try:
        return agreement(db, coders, unit, by=by)  # type: ignore[arg-type]
    finally:
        db.close()


async def start(pilot, *keys: str) -> AgreementScreen:  # type: ignore[no-untyped-def]
    """From the workspace, choose with ``keys`` in the setup (just enter: the defaults) and wait for the figures."""
    return await open_over(
        pilot, open_agreement, ReviewSetup, AgreementScreen, lambda s: s.view is not None, keys or ("enter",)
    )


def cells(screen: AgreementScreen, key: str) -> dict[str, str]:
    """A table row as the user reads it: column heading → text."""
    table = screen.query_one(DataTable)
    headings = [str(c.label) for c in table.ordered_columns]
    return dict(zip(headings, (str(cell).strip() for cell in table.get_row(key))))


async def test_every_code_with_the_figures_of_the_agreement_service(project: Path) -> None:
    expected = report_of(project, ["anna", "erik"])
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        table = screen.query_one(DataTable)
        headings = [str(c.label) for c in table.ordered_columns]
        assert headings == [
            "code",
            "pairable",
            "α",
            "verdict",
            "κ Cohen",
            "π Scott",
            "BP",
            "AC1",
            "% pair",
            "% all",
            "% Holsti",
            "differ",
        ]
        assert table.row_count == len(expected.codes) + len(expected.groups) + 1  # and the pooled α
        for c in expected.codes:
            row = cells(screen, f"all\x00code\x00{c.code}")
            assert row["code"] == c.code.rsplit("/", 1)[-1]
            assert (row["α"], row["verdict"]) == (number(c.alpha.value), c.verdict)
            assert row["κ Cohen"] == number(c.cohen_kappa.value)  # type: ignore[union-attr]
            assert row["π Scott"] == number(c.scott_pi.value)  # type: ignore[union-attr]
            assert row["BP"] == number(c.brennan_prediger.value)  # type: ignore[union-attr]
            assert row["AC1"] == number(c.gwet_ac1.value)
            assert row["% pair"] == number(c.percent_agreement.value, "percent_agreement_pairwise")
            assert row["% all"] == number(c.percent_all.value, "percent_agreement_all")  # type: ignore[union-attr]
            assert row["% Holsti"] == number(c.holsti.value, "percent_agreement_holsti")  # type: ignore[union-attr]
            assert (row["pairable"], row["differ"]) == (str(c.alpha.n_pairable), str(len(c.disagreements)))
        group = expected.groups[0]
        assert cells(screen, f"all\x00group\x00{group.group}")["α"] == number(group.alpha.value)
        assert cells(screen, "all\x00pooled")["α"] == number(expected.pooled_alpha.value)
        assert f"pooled binary α {number(expected.pooled_alpha.value)}" in text_of(screen, "#agreement-heading")
        assert "computed in" in text_of(screen, "#agreement-status")


async def test_a_row_shows_its_counts_and_units_and_enter_jumps_to_one(project: Path) -> None:
    expected = report_of(project, ["anna", "erik"])
    code = next(c for c in expected.codes if c.code == "arbetslinjen")
    table = code.contingency
    assert table is not None
    # Known answer: binary α from the counts shown, Krippendorff (2011, "Computing Krippendorff's
    # alpha-reliability", nominal data): α = 1 − (n.. − 1) · o_01 / (n_0 · n_1), where for two coders
    # who both coded every unit o_01 = the units they split on, n_v = twice the units both gave v plus the splits.
    both_1, both_0 = table.cell(1, 1), table.cell(0, 0)
    split = table.cell(0, 1) + table.cell(1, 0)
    n = 2 * (both_0 + both_1 + split)
    alpha = 1 - (n - 1) * split / ((2 * both_0 + split) * (2 * both_1 + split))
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        assert screen.row is not None and screen.row.key == "all\x00code\x00arbetslinjen"  # the first code
        detail = text_of(screen, "#agreement-detail")
        assert "anna: applied" in detail and "erik: not applied" in detail
        assert re.search(rf"α\s+{number(alpha)}\s+unreliable", detail)
        assert all(f" {int(v)}" in detail for v in (both_0, both_1, table.cell(0, 1), table.cell(1, 0)))
        units = screen.query_one("#agreement-units", OptionList)
        assert units.option_count == len(code.disagreements)
        assert f"{len(code.disagreements)} units they differ on" in text_of(screen, "#agreement-units-title")
        first = code.disagreements[0]
        assert f"{first.document}  turn {first.unit}" in str(units.get_option_at_index(0).prompt)
        # Down a row: the next code's counts and units replace them.
        await pilot.press("down")
        second = expected.codes[1]
        assert screen.row.key == f"all\x00code\x00{second.code}"
        assert units.option_count == len(second.disagreements)
        await pilot.press("up", "tab", "down", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        target = code.disagreements[1]
        view = app.screen.query_one(TranscriptView)
        await wait_for(
            pilot,
            lambda: (
                view.document is not None
                and view.document.name == target.document
                and view.current is not None
                and view.current.index == target.unit
            ),
        )
        assert "from the agreement" in said(app.screen)


async def test_sentences_split_per_document_and_the_jump_selects_the_sentence(project: Path) -> None:
    expected = report_of(project, ["anna", "erik"], "sentence", by="document")
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, *SENTENCES_PER_DOCUMENT)
        assert [str(c.label) for c in screen.query_one(DataTable).ordered_columns][:2] == ["document", "code"]
        assert f"{expected.n_units} sentences" in text_of(screen, "#agreement-heading")
        for split in expected.splits:
            for c in split.codes:
                row = cells(screen, f"{split.value}\x00code\x00{c.code}")
                assert (row["document"], row["α"]) == (split.value, number(c.alpha.value))
                assert row["differ"] == str(len(c.disagreements))
        # The first unit of the first code is a sentence: the jump selects it in its turn.
        first = expected.codes[0].disagreements[0]
        await pilot.press("enter", "enter")  # enter on the row moves to its units, enter on one jumps
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        db = open_project(project)
        try:
            sentence = next(s for s in sentences(db, first.document) if s.index == first.unit)
        finally:
            db.close()
        view = app.screen.query_one(TranscriptView)
        await wait_for(
            pilot,
            lambda: (
                view.current is not None and view.current.index == sentence.turn and view.selection == sentence.span
            ),
        )


async def test_characters_give_unitizing_alpha_and_segment_matching(project: Path) -> None:
    db = open_project(project)
    try:
        expected: UnitizingReport = unitizing_agreement(db, ["anna", "erik"])
    finally:
        db.close()
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, *CHARACTERS)
        assert f"{expected.characters} characters" in text_of(screen, "#agreement-heading")
        for c in expected.codes:
            row = cells(screen, f"all\x00code\x00{c.code}")
            assert (row["α_U"], row["verdict"]) == (number(c.alpha.value), c.verdict)
            assert c.segments is not None
            assert row["% segments matched"] == number(c.segments.result.value, c.segments.result.coefficient)
            assert (row["matched"], row["anna only"], row["erik only"]) == (
                str(c.segments.agreements),
                str(c.segments.first_only),
                str(c.segments.second_only),
            )
        first = expected.codes[0]
        assert first.segments is not None
        assert f"{len(first.segments.unmatched)} segments only one coder drew" in text_of(
            screen, "#agreement-units-title"
        )
        await pilot.press("tab", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        segment = min(first.segments.unmatched, key=lambda u: (u.continuum, u.start, u.coder))
        wanted = Span(segment.start, segment.end)
        view = app.screen.query_one(TranscriptView)
        await wait_for(
            pilot,
            lambda: (
                view.document is not None
                and view.document.name == expected.documents[segment.continuum]
                and view.current is not None
                and view.current.span.overlaps(wanted)
            ),
        )


async def test_three_coders_get_fleiss_kappa_and_undefined_figures_say_why(project: Path) -> None:
    db = open_project(project)
    try:
        for turn in (3, 5, 8):
            apply_code(db, coder="lisa", code="tilltro", document="FG1_Norrvik", target=Target(turn=turn))
    finally:
        db.close()
    expected = report_of(project, ["anna", "erik", "lisa"])
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)  # lisa has codings now: all three are ticked
        headings = [str(c.label) for c in screen.query_one(DataTable).ordered_columns]
        assert "κ Fleiss" in headings and "κ Cohen" not in headings and "π Scott" not in headings
        tilltro = next(c for c in expected.codes if c.code == "tilltro")
        assert cells(screen, "all\x00code\x00tilltro")["κ Fleiss"] == number(tilltro.fleiss_kappa.value)
        assert "lisa coded FG1_Norrvik" in text_of(screen, "#agreement-heading")
        assert "Krippendorff's coincidences" in text_of(screen, "#agreement-detail")
    # anna against lisa, who coded FG1 only: a code anna used only elsewhere has no α, and the screen says why.
    pair = report_of(project, ["anna", "lisa"])
    blank = next(c for c in pair.codes if c.alpha.value is None)
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "tab", "down", "enter", "tab", "tab", "tab", "tab", "tab", "enter")  # untick erik
        assert screen.choice.coders == ("anna", "lisa")
        assert cells(screen, f"all\x00code\x00{blank.code}")["α"] == "undefined"
        screen.query_one(DataTable).move_cursor(row=pair.codes.index(blank))
        await wait_for(pilot, lambda: screen.row is not None and screen.row.key.endswith(blank.code))
        assert f"α is undefined: {blank.alpha.undefined}" in text_of(screen, "#agreement-detail").replace("\n", " ")


async def test_write_the_report_as_markdown_and_csv_next_to_the_project(project: Path) -> None:
    expected = report_document(report_of(project, ["anna", "erik"]))
    before = dump(project)
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        assert app.screen.query_one("#ask-input").value == "studie-agreement-turn.md"  # type: ignore[attr-defined]
        await pilot.press("enter")
        written = project.parent / "studie-agreement-turn.md"
        await wait_for(pilot, lambda: "wrote the Markdown report" in text_of(screen, "#agreement-status"))
        assert str(written) in text_of(screen, "#agreement-status")
        markdown = io.StringIO()
        write_report(expected, "md", markdown)
        assert written.read_text(encoding="utf-8") == markdown.getvalue()
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        await pilot.press("ctrl+a", "ctrl+k", *"figures.csv", "enter")
        await wait_for(pilot, lambda: "wrote the tidy CSV" in text_of(screen, "#agreement-status"))
        table = io.StringIO()
        write_report(expected, "csv", table)
        assert (project.parent / "figures.csv").read_text(encoding="utf-8") == table.getvalue()
        # The project file itself is refused; a folder that does not exist is one line, no traceback.
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        await pilot.press("ctrl+a", "ctrl+k", *"studie.mda", "enter")
        await wait_for(pilot, lambda: "is the project file" in text_of(screen, "#agreement-status"))
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        await pilot.press("ctrl+a", "ctrl+k", *"nowhere/report.md", "enter")
        await wait_for(pilot, lambda: "cannot write" in text_of(screen, "#agreement-status"))
        assert "nowhere/report.md" in text_of(screen, "#agreement-status")
    assert dump(project) == before


async def test_I_in_the_workspace_opens_the_agreement_setup(project: Path) -> None:
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: workspace_ready(app))
        rows = binding_rows(app.screen)
        taken = {key for _, keys, b in rows if b.action != "agreement" for key in keys.split(", ")}
        assert "I" not in taken  # no other key of the workspace, its transcript or its codebook
        assert any(b.action == "agreement" and b.key == "I" for _, _, b in rows)
        await pilot.press("I")
        await wait_for(pilot, lambda: isinstance(app.screen, ReviewSetup))
        assert "Agreement between coders" in str(app.screen.query_one("#review-setup-title").render())
        await pilot.press("escape")
        assert isinstance(app.screen, WorkspaceScreen)


async def test_help_and_command_palette_list_the_agreement_keys(project: Path) -> None:
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        rows = binding_rows(screen)
        assert {where for where, _, _ in rows} == {"agreement"}
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        shown = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        assert "Write the report as Markdown" in shown and "Jump to the highlighted unit" in shown
        await pilot.press("escape")
        provider = ReviewCommands(screen)
        titles = [hit.text async for hit in provider.search("tidy CSV")]
        assert titles == ["Write every figure as a tidy CSV, next to the project (c)"]
        await pilot.press("escape")
        assert isinstance(app.screen, WorkspaceScreen)


def interval_text(interval) -> str:  # type: ignore[no-untyped-def]
    return f"{interval.low:.3f}–{interval.high:.3f}"


async def test_sub_codes_and_an_interval_for_alpha_as_the_service_gives_them_and_in_the_files(project: Path) -> None:
    db = open_project(project)
    try:
        expected = agreement(db, ["anna", "erik"], "turn", include_subcodes=True, samples=1000, seed=1)
        plain = agreement(db, ["anna", "erik"], "turn")
    finally:
        db.close()
    parent = next(c for c in expected.codes if c.code == "tilltro")
    # Ticking sub-codes changes what the user sees: tilltro now counts its sub-codes' codings too.
    assert parent.alpha.value != next(c for c in plain.codes if c.code == "tilltro").alpha.value
    before = dump(project)
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, *SUBCODES_AND_INTERVAL)
        assert (screen.choice.include_subcodes, screen.choice.samples, screen.choice.seed) == (True, 1000, 1)
        headings = [str(c.label) for c in screen.query_one(DataTable).ordered_columns]
        assert headings[:5] == ["code", "pairable", "α", "95% CI", "verdict"]
        for c in expected.codes:
            row = cells(screen, f"all\x00code\x00{c.code}")
            assert row["α"] == number(c.alpha.value)
            assert row["95% CI"] == (interval_text(c.alpha_interval) if c.alpha.value is not None else "undefined")
        for g in expected.groups:
            assert cells(screen, f"all\x00group\x00{g.group}")["95% CI"] == interval_text(g.alpha_interval)
        assert cells(screen, "all\x00pooled")["95% CI"] == interval_text(expected.pooled_interval)
        assert "sub-codes count for their parents" in text_of(screen, "#agreement-heading")
        assert "1,000 samples, seed 1" in text_of(screen, "#agreement-status")
        first = expected.codes[0]
        assert first.alpha_interval is not None
        q = dict(first.alpha_interval.below)[0.8]
        detail = text_of(screen, "#agreement-detail")
        assert re.search(rf"95% CI of α\s+{interval_text(first.alpha_interval)}", detail)
        assert f"P(α < .800) {q:.3f}" in detail  # KALPHA's q: the chance of falling short of .800
        # The files written from the screen carry the same intervals and sub-codes as `agree --bootstrap 1000 --seed 1`.
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        await pilot.press("enter")
        await wait_for(pilot, lambda: "wrote the Markdown report" in text_of(screen, "#agreement-status"))
        markdown = io.StringIO()
        write_report(report_document(expected), "md", markdown)
        assert (project.parent / "studie-agreement-turn.md").read_text(encoding="utf-8") == markdown.getvalue()
        assert "95% CI" in markdown.getvalue()
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        await pilot.press("enter")
        await wait_for(pilot, lambda: "wrote the tidy CSV" in text_of(screen, "#agreement-status"))
        table = io.StringIO()
        write_report(report_document(expected), "csv", table)
        assert (project.parent / "studie-agreement-turn.csv").read_text(encoding="utf-8") == table.getvalue()
    assert dump(project) == before


async def test_characters_match_segments_at_the_overlap_typed_and_offer_no_interval(project: Path) -> None:
    db = open_project(project)
    try:
        expected = unitizing_agreement(db, ["anna", "erik"], threshold=0.5)
        default = unitizing_agreement(db, ["anna", "erik"])
    finally:
        db.close()
    # At 50% more segments match than at the default 90%: the typed threshold is what the table shows.
    assert sum(c.segments.agreements for c in expected.codes) > sum(c.segments.agreements for c in default.codes)  # type: ignore[union-attr]
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: workspace_ready(pilot.app))
        open_agreement(pilot.app.screen)
        await wait_for(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, ReviewSetup)
                and bool(pilot.app.screen.query("#review-setup-threshold-box"))
            ),
        )
        setup = pilot.app.screen
        await pilot.pause()  # the setup is shown after the coders were read: let it finish mounting
        assert not setup.query_one("#review-setup-threshold-box").display  # turns: no overlap to set
        await pilot.press("tab", "tab", "down", "down", "enter")
        assert setup.query_one("#review-setup-threshold-box").display
        assert not setup.query_one("#review-setup-interval").display  # α_U has no bootstrap
        await pilot.press("tab", "tab", "tab", "ctrl+a", "ctrl+k", *"50", "enter", "enter")
        await wait_for(pilot, lambda: isinstance(app.screen, AgreementScreen) and app.screen.view is not None)
        screen = app.screen
        assert screen.choice.threshold == 0.5 and screen.choice.samples == 0
        for c in expected.codes:
            assert c.segments is not None
            row = cells(screen, f"all\x00code\x00{c.code}")
            assert (row["% segments matched"], row["matched"]) == (
                number(c.segments.result.value, c.segments.result.coefficient),
                str(c.segments.agreements),
            )
        assert "segments match at 50% overlap" in text_of(screen, "#agreement-status")
        assert "by 50% or more" in text_of(screen, "#agreement-detail")
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        await pilot.press("enter")
        await wait_for(pilot, lambda: "wrote the tidy CSV" in text_of(screen, "#agreement-status"))
        table = io.StringIO()
        write_report(unitizing_document(expected), "csv", table)
        assert (project.parent / "studie-agreement-character.csv").read_text(encoding="utf-8") == table.getvalue()


async def test_an_overlap_that_is_no_percentage_is_refused_in_the_dialog(project: Path) -> None:
    before = dump(project)
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: workspace_ready(pilot.app))
        open_agreement(pilot.app.screen)
        await wait_for(
            pilot,
            lambda: (
                isinstance(pilot.app.screen, ReviewSetup)
                and bool(pilot.app.screen.query("#review-setup-threshold-box"))
            ),
        )
        setup = pilot.app.screen
        await pilot.pause()  # the setup is shown after the coders were read: let it finish mounting
        await pilot.press(
            "tab", "tab", "down", "down", "enter", "tab", "tab", "tab", "ctrl+a", "ctrl+k", *"150", "enter", "enter"
        )
        assert app.screen is setup  # still asking
        error = str(setup.query_one("#review-setup-error").render())
        assert "overlap '150'" in error and "at most 100" in error
        await pilot.press("escape")
        assert isinstance(app.screen, WorkspaceScreen)
    assert dump(project) == before
