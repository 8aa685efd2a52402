"""The reports screen, driven by keyboard through Pilot on the sample project, checked against the report services."""

from __future__ import annotations

import html
import io
from pathlib import Path
from xml.etree import ElementTree

import pytest
from rich.color import Color
from rich.style import Style
from textual.widgets import DataTable, OptionList

from mda_coder.export.report_grid import UNDEFINED_COLOUR, colour, grid, scale
from mda_coder.export.report_tables import ReportTable, Undefined, text_rows, write
from mda_coder.services import reports
from mda_coder.services.project import open_project
from mda_coder.services.reports import Scope
from mda_coder.tui.app import build_app
from mda_coder.tui.dialogs.ask import Ask
from mda_coder.tui.dialogs.report_setup import ReportSetup
from mda_coder.tui.screens.help import HelpScreen, binding_rows
from mda_coder.tui.screens.opened_over import open_reports
from mda_coder.tui.screens.reports import ReportsScreen
from mda_coder.tui.screens.review import ReviewCommands
from mda_coder.tui.screens.workspace import WorkspaceScreen
from mda_coder.tui.widgets.transcript import TranscriptView
from tests.support.snapshot import dump
from tests.support.tui import open_over, said, sample_copy, wait_for, workspace_ready

SIZE = (160, 48)

# Setup keys from the report list it opens on: which report (down moves), then tab through unit, K, measure,
# (columns, values and turned round for a matrix), sub-codes (not for frequencies), a row per coder (frequencies
# only), coders, documents, the moderator box, groups, speakers, roles and codes, and back to the list with shift+tab.
COOCCURRENCE_SENTENCES_NO_MODERATOR = (
    "down",
    "tab",
    "down",
    "enter",
    "tab",
    "tab",
    "tab",
    "tab",
    "tab",
    "tab",
    "space",
    *["shift+tab"] * 7,
    "enter",
)
MATRIX_ROLES = ("down", "down", "tab", "tab", "down", "down", "down", "enter", *["shift+tab"] * 2, "enter")
SEQUENCES = ("down", "down", "down", "enter")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return sample_copy(tmp_path)


def expected(project: Path, kind: str, scope: Scope, **options: object) -> ReportTable:
    db = open_project(project)
    try:
        return getattr(reports, kind)(db, scope, **options)  # type: ignore[no-any-return]
    finally:
        db.close()


async def start(pilot, *keys: str) -> ReportsScreen:  # type: ignore[no-untyped-def]
    """From the workspace, choose with ``keys`` in the setup (just enter: frequencies) and wait for the table."""
    return await open_over(
        pilot, open_reports, ReportSetup, ReportsScreen, lambda s: s.table is not None, keys or ("enter",)
    )


def shown(screen: ReportsScreen) -> list[list[str]]:
    """The table as the user reads it."""
    table = screen.query_one(DataTable)
    return [[str(cell).strip() for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def excerpts_at(pilot, screen: ReportsScreen, row: int, column: int) -> int:  # type: ignore[no-untyped-def]
    """Enter on a cell; the number of excerpts listed."""
    screen.excerpts = None
    screen.query_one(DataTable).focus()
    screen.query_one(DataTable).move_cursor(row=row, column=column)
    await pilot.press("enter")
    await wait_for(pilot, lambda: screen.excerpts is not None)
    return screen.query_one("#reports-excerpts", OptionList).option_count


async def test_frequencies_show_the_services_figures_and_each_count_lists_as_many_excerpts(project: Path) -> None:
    table = expected(project, "frequencies", Scope())
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        assert [str(c.label) for c in screen.query_one(DataTable).ordered_columns] == list(table.columns)
        assert shown(screen) == text_rows(table)[0]
        assert "Code frequencies" in str(screen.query_one("#reports-heading").render())
        used = [i for i, r in enumerate(table.rows) if r[1]]
        for i in used[:3]:
            for column in ("codings", "turns", "documents", "turns+"):
                j = table.columns.index(column)
                assert await excerpts_at(pilot, screen, i, j) == table.rows[i][j], (table.rows[i][0], column)
        title = str(screen.query_one("#reports-excerpts-title").render())
        assert f"{table.rows[used[2]][0]} · turns+" in title


async def test_cooccurrence_on_sentences_without_the_moderator_jumps_with_the_sentence_selected(project: Path) -> None:
    table = expected(project, "cooccurrence", Scope(no_moderator=True), unit="sentence")
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, *COOCCURRENCE_SENTENCES_NO_MODERATOR)
        assert (screen.choice.kind, screen.choice.unit, screen.choice.no_moderator) == (
            "cooccurrence",
            "sentence",
            True,
        )
        assert shown(screen) == text_rows(table)[0]
        assert "the moderator's turns are left out" in str(screen.query_one("#reports-heading").render())
        n_ab = table.columns.index("n_ab")
        assert await excerpts_at(pilot, screen, 0, n_ab) == table.rows[0][n_ab]
        assert await excerpts_at(pilot, screen, 0, table.columns.index("n_a")) == table.rows[0][2]
        first = screen.excerpts.items[0]  # type: ignore[union-attr]
        assert first.label.startswith(f"turn {first.turn}, sentence ")
        await pilot.press("enter")  # on the first excerpt
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        view = app.screen.query_one(TranscriptView)
        await wait_for(
            pilot,
            lambda: (
                view.document is not None
                and view.document.name == first.document
                and view.current is not None
                and view.current.index == first.turn
                and view.selection == (first.selection or None)
            ),
        )
        assert "from the report" in said(app.screen)


async def test_a_matrix_of_roles_lists_a_cells_turns_and_a_columns_every_turn(project: Path) -> None:
    table = expected(project, "matrix", Scope(), columns="speaker-role")
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, *MATRIX_ROLES)
        assert screen.choice.columns == "speaker-role"
        assert shown(screen) == text_rows(table)[0]
        row = next(i for i, r in enumerate(table.rows) if all(isinstance(c, int) and c for c in r[1:3]))
        for j in (1, 2, len(table.columns) - 1):
            assert await excerpts_at(pilot, screen, row, j) == table.rows[row][j]
        last = len(table.rows) - 1  # (turns): every turn of the column, coded or not
        assert await excerpts_at(pilot, screen, last, 1) == table.rows[last][1]
        assert "every turn in" in str(screen.query_one("#reports-excerpts-title").render())


async def test_sequences_list_turn_pairs_and_a_jump_opens_another_document(project: Path) -> None:
    table = expected(project, "sequences", Scope())
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, *SEQUENCES)
        assert shown(screen) == text_rows(table)[0]
        for column in ("transitions", "speaker_changes", "same_speaker", "from_followed"):
            j = table.columns.index(column)
            assert await excerpts_at(pilot, screen, 0, j) == table.rows[0][j]
        await excerpts_at(pilot, screen, 0, table.columns.index("transitions"))
        items = screen.excerpts.items  # type: ignore[union-attr]
        assert all(" → " in e.label for e in items)
        index, target = next((i, e) for i, e in enumerate(items) if e.document != "FG1_Norrvik")
        screen.query_one("#reports-excerpts", OptionList).highlighted = index
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceScreen))
        view = app.screen.query_one(TranscriptView)
        await wait_for(
            pilot,
            lambda: (
                view.document is not None
                and view.document.name == target.document
                and view.current is not None
                and view.current.index == target.turn
            ),
        )


async def test_setup_mistakes_are_one_line_and_nothing_starts(project: Path) -> None:
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: workspace_ready(app))
        open_reports(app.screen)
        await wait_for(pilot, lambda: isinstance(app.screen, ReportSetup))
        # frequencies with overlapping codings as units; then co-occurrence within 0 turns
        await pilot.press("tab", "down", "down", "enter", "shift+tab", "enter")
        error = app.screen.query_one("#report-setup-error")
        assert "units of co-occurrence only: frequencies counts turns or sentences" in str(error.render())
        await pilot.press(
            "down", "tab", "down", "down", "enter", "tab", "end", "backspace", "0", *["shift+tab"] * 2, "enter"
        )
        assert "within K turns needs a whole number K of 1 or more (got '0')" in str(error.render())
        assert isinstance(app.screen, ReportSetup)
        await pilot.press("escape")
        assert isinstance(app.screen, WorkspaceScreen)


async def test_write_the_table_as_markdown_and_csv_next_to_the_project(project: Path) -> None:
    table = expected(project, "frequencies", Scope())
    before = dump(project)
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot)
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        assert app.screen.query_one("#ask-input").value == "studie-frequencies.md"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: "wrote the Markdown report" in str(screen.query_one("#reports-status").render()))
        markdown = io.StringIO()
        write(table, "md", markdown)
        assert (project.parent / "studie-frequencies.md").read_text(encoding="utf-8") == markdown.getvalue()
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        await pilot.press("ctrl+a", "ctrl+k", *"freq.csv", "enter")
        await wait_for(pilot, lambda: "wrote the CSV table" in str(screen.query_one("#reports-status").render()))
        rows = io.StringIO()
        write(table, "csv", rows)
        assert (project.parent / "freq.csv").read_text(encoding="utf-8") == rows.getvalue()
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        await pilot.press("ctrl+a", "ctrl+k", *"nowhere/report.md", "enter")
        await wait_for(pilot, lambda: "cannot write" in str(screen.query_one("#reports-status").render()))
    assert dump(project) == before


async def test_P_opens_the_reports_and_help_and_the_palette_list_their_keys(project: Path) -> None:
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: workspace_ready(app))
        rows = binding_rows(app.screen)
        taken = {key for _, keys, b in rows if b.action != "reports" for key in keys.split(", ")}
        assert "P" not in taken  # no other key of the workspace, its transcript or its codebook
        assert any(b.action == "reports" and b.key == "P" for _, _, b in rows)
        await pilot.press("P")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportSetup))
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, ReportsScreen) and app.screen.table is not None)
        screen = app.screen
        assert {where for where, _, _ in binding_rows(screen)} == {"reports"}
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        text = html.unescape(app.export_screenshot()).replace("\xa0", " ")
        assert "List the excerpts behind the cell" in text and "Write the table as CSV" in text
        await pilot.press("escape")
        titles = [hit.text async for hit in ReviewCommands(screen).search("Markdown report")]
        assert titles == ["Write the table as a Markdown report, next to the project (m)"]
        await pilot.press("escape")
        assert isinstance(app.screen, WorkspaceScreen)


def cell_style(screen: ReportsScreen, row: int, column: int) -> Style:
    value = screen.query_one(DataTable).get_row_at(row)[column]
    return Style.parse(value.style) if isinstance(value.style, str) else value.style


# frequencies: tick a row per coder, then the first group, the first role and the first code (with its sub-codes)
FREQUENCIES_FILTERED = (
    "tab",
    "tab",
    "space",
    *["tab"] * 4,
    "space",
    "tab",
    "tab",
    "space",
    "tab",
    "space",
    *["shift+tab"] * 9,
    "enter",
)
# matrix: columns the speaker attribute 'legend', turned round (codes as columns), sub-codes counted as their parents
MATRIX_ATTRIBUTE_TURNED = (
    "down",
    "down",
    "tab",
    "tab",
    "down",
    "down",
    "down",
    "down",
    "enter",
    "tab",
    "tab",
    "space",
    "tab",
    "space",
    *["shift+tab"] * 5,
    "enter",
)


async def test_group_role_code_filters_and_per_coder_rows_are_the_services(project: Path) -> None:
    scope = Scope(groups=("FG1",), roles=("arbetskonsulent",), codes=("tilltro",))
    table = expected(project, "frequencies", scope, per_coder=True)
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, *FREQUENCIES_FILTERED)
        c = screen.choice
        assert (c.groups, c.roles, c.codes, c.per_coder) == (("FG1",), ("arbetskonsulent",), ("tilltro",), True)
        assert shown(screen) == text_rows(table)[0] and table.columns[1] == "coder"
        row = next(i for i, r in enumerate(table.rows) if r[2])  # one coder's codings of one code
        for column in ("turns", "codings"):
            j = table.columns.index(column)
            assert await excerpts_at(pilot, screen, row, j) == table.rows[row][j]
        assert all(e.label.endswith(f", {table.rows[row][1]}") for e in screen.excerpts.items)  # type: ignore[union-attr]


async def test_speaker_filter_is_the_services(project: Path) -> None:
    table = expected(project, "cooccurrence", Scope(speakers=("R1",)))
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        # co-occurrence: past unit, K, measure and sub-codes to coders, documents, moderator, groups, then speakers
        await wait_for(pilot, lambda: workspace_ready(app))
        open_reports(app.screen)
        await wait_for(pilot, lambda: isinstance(app.screen, ReportSetup))
        speakers = app.screen.names.speakers  # type: ignore[attr-defined]
        keys = ("down", *["tab"] * 9, *["down"] * speakers.index("R1"), "space", *["shift+tab"] * 9, "enter")
        await pilot.press(*keys)
        await wait_for(pilot, lambda: isinstance(app.screen, ReportsScreen) and app.screen.table is not None)
        screen = app.screen
        assert screen.choice.speakers == ("R1",) and table.rows
        assert shown(screen) == text_rows(table)[0]
        assert "speakers: R1" in str(screen.query_one("#reports-heading").render())


async def test_a_matrix_of_a_speaker_attribute_turned_round_with_sub_codes(project: Path) -> None:
    table = expected(project, "matrix", Scope(), columns="attr:legend", include_subcodes=True, transpose=True)
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, *MATRIX_ATTRIBUTE_TURNED)
        c = screen.choice
        assert (c.columns, c.transpose, c.include_subcodes) == ("attr:legend", True, True)
        assert shown(screen) == text_rows(table)[0]
        row, column = next(
            (i, j) for i, r in enumerate(table.rows[:-1]) for j, v in enumerate(r[1:-1], 1) if isinstance(v, int) and v
        )
        assert await excerpts_at(pilot, screen, row, column) == table.rows[row][column]
        last = len(table.columns) - 1  # the turns of one attribute value, coded or not
        assert await excerpts_at(pilot, screen, row, last) == table.rows[row][last]


async def test_cells_are_shaded_on_the_clis_scale_and_h_turns_it_off(project: Path) -> None:
    table = expected(project, "matrix", Scope(), columns="speaker-role")
    cells = grid(table, "turns coded")  # what `mda-coder report matrix --heat` shades
    of = scale(cells)
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, *MATRIX_ROLES)
        for i, row in enumerate(cells.cells):
            for j, value in enumerate(row, 1):
                assert isinstance(value, float)
                assert cell_style(screen, i, j).bgcolor == Color.parse("#{:02x}{:02x}{:02x}".format(*colour(value, of)))
        last = len(table.columns) - 1
        assert (
            cell_style(screen, 0, last).bgcolor is None and cell_style(screen, len(table.rows) - 1, 1).bgcolor is None
        )
        legend = str(screen.query_one("#reports-legend").render())
        assert legend.startswith("scale: 0 ") and f" {int(of.high)} — turns coded" in legend
        await pilot.press("h")
        assert cell_style(screen, 0, 1).bgcolor is None
        assert "h: shade the cells" in str(screen.query_one("#reports-legend").render())
        await pilot.press("h")
        assert cell_style(screen, 0, 1).bgcolor is not None


async def test_undefined_cells_are_grey_and_the_list_of_pairs_has_no_shading(project: Path) -> None:
    table = expected(project, "cooccurrence", Scope(), unit="overlap", measure="lift")
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        # co-occurrence, overlapping codings as units, the measure lift
        screen = await start(
            pilot,
            "down",
            "tab",
            "down",
            "down",
            "enter",
            "tab",
            "tab",
            *["down"] * 5,
            "enter",
            "shift+tab",
            "shift+tab",
            "shift+tab",
            "enter",
        )
        assert (screen.choice.unit, screen.choice.measure) == ("overlap", "lift")
        assert shown(screen) == text_rows(table)[0]
        undefined = [(i, j) for i, r in enumerate(table.rows) for j, v in enumerate(r) if isinstance(v, Undefined)]
        assert undefined  # lift needs a number of units, which passages of overlap do not have
        for i, j in undefined:
            assert cell_style(screen, i, j).bgcolor == Color.parse(UNDEFINED_COLOUR)
            assert shown(screen)[i][j].startswith("undefined")
        assert "grey: undefined" in str(screen.query_one("#reports-legend").render())
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, "down", "enter")
        assert "no shading: no picture for the list of pairs" in str(screen.query_one("#reports-legend").render())
        await pilot.press("g")
        assert "no picture for the list of pairs" in str(screen.query_one("#reports-status").render())
        assert not isinstance(app.screen, Ask)


async def test_g_draws_the_picture_next_to_the_project_and_refuses_what_the_cli_refuses(project: Path) -> None:
    table = expected(project, "matrix", Scope(), columns="speaker-role")
    before = dump(project)
    app = build_app(project, "lisa")
    async with app.run_test(size=SIZE) as pilot:
        screen = await start(pilot, *MATRIX_ROLES)
        status = screen.query_one("#reports-status")
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        assert app.screen.query_one("#ask-input").value == "studie-matrix.svg"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await wait_for(pilot, lambda: "wrote the picture" in str(status.render()), timeout=30)
        svg = ElementTree.parse(project.parent / "studie-matrix.svg").getroot()
        texts = " ".join(t for t in svg.itertext())
        assert all(str(r[0]) in texts for r in table.rows[:-1])
        for name, error in (
            ("heat.txt", "cannot tell the picture format from '.txt': name it .svg, .png or .pdf"),
            ("nowhere/heat.svg", "there is no folder"),
            ("studie.mda", "would write over the project"),
        ):
            await pilot.press("g")
            await wait_for(pilot, lambda: isinstance(app.screen, Ask))
            await pilot.press("ctrl+a", "ctrl+k", *name, "enter")
            await wait_for(pilot, lambda: isinstance(app.screen, ReportsScreen))
            assert error in str(status.render()), name
        await pilot.press("g")
        await wait_for(pilot, lambda: isinstance(app.screen, Ask))
        await pilot.press("ctrl+a", "ctrl+k", *"heat.png", "enter")
        await wait_for(
            pilot,
            lambda: "wrote the picture" in str(status.render()) and "heat.png" in str(status.render()),
            timeout=30,
        )
        assert (project.parent / "heat.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert dump(project) == before
    assert not (project.parent / "nowhere").exists() and not (project.parent / "heat.txt").exists()
