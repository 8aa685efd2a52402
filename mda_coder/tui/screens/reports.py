"""Reports in the TUI: the tables of `mda-coder report`, and from any cell the excerpts behind it."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from mda_coder.core.display import one_line
from mda_coder.core.errors import MdaError
from mda_coder.export.heatmap import picture_format, write_picture
from mda_coder.export.report_shades import picture_terms
from mda_coder.export.report_tables import ReportTable, numeric_columns, text_rows
from mda_coder.i18n import N_, REPORTS, TUI, said
from mda_coder.services.reports import Excerpt, Excerpts
from mda_coder.store.engine import Database
from mda_coder.tui.dialogs.report_setup import ReportChoice
from mda_coder.tui.literal import literal
from mda_coder.tui.messages import ActionFailed
from mda_coder.tui.report_calls import Lister, compute, lister, save
from mda_coder.tui.report_heat import Shading, shading_or_reason
from mda_coder.tui.screens.report_files import ReportFilesScreen
from mda_coder.tui.screens.review import ReviewCommands
from mda_coder.tui.widgets.agreement_panels import Place
from mda_coder.tui.widgets.lines import KeyHints

_ = TUI.gettext
ngettext = TUI.ngettext


def hints() -> list[tuple[str, str]]:
    """The reports screen's keys at the bottom, most needed first."""
    return [
        ("?", _("all keys")),
        ("esc", _("back")),
        (_("arrows"), _("cell")),
        ("enter", _("its excerpts / jump")),
        ("tab", _("table/excerpts")),
        ("h", _("shading")),
        ("m", "Markdown"),
        ("c", "CSV"),
        ("g", _("picture")),
    ]


FORMATS = {"md": N_("the Markdown report"), "csv": N_("the CSV table"), "picture": N_("the picture")}
MAX_LISTED = 2000
"""Excerpts listed for one cell; the count says how many there are in all."""


@dataclass
class ReportComputed(Message, bubble=False):
    table: ReportTable
    """The same table `mda-coder report` prints and writes."""
    seconds: float


@dataclass
class ExcerptsFound(Message, bubble=False):
    excerpts: Excerpts
    cell: str
    """Which cell they are behind, for the title: ``tilltro × FG1_Norrvik``."""


class ReportsScreen(ReportFilesScreen):
    """One report's table; enter on a cell lists its excerpts, enter on one dismisses with where to jump.

    The report and each listing run on workers: the sample project takes a tenth of a second, a
    project with a million codings a few seconds, and the screen never waits for either.
    """

    CSS_PATH = Path(__file__).parent.parent / "reports.tcss"
    BINDINGS = [
        Binding("enter", "open", N_("List the excerpts behind the cell; on an excerpt, jump to it in the transcript")),
        Binding("tab", "switch", N_("Move between the table and the excerpts")),
        Binding("m", "write('md')", N_("Write the table as a Markdown report, next to the project")),
        Binding("c", "write('csv')", N_("Write the table as CSV, next to the project")),
        Binding(
            "g",
            "write('picture')",
            N_("Draw the report as a picture (heatmap; bars for frequencies): .svg, .png or .pdf"),
        ),
        Binding("h", "heat", N_("Shade the cells on the report's colour scale, or show the plain table")),
        Binding("question_mark", "help", N_("Help")),
        Binding("escape", "back", N_("From the excerpts to the table; from the table back to the workspace")),
    ]
    HELP_GROUPS = (("reports", BINDINGS),)
    COMMANDS = {ReviewCommands}  # lists this screen's own bindings, like the review's and the agreement's
    STATUS, HEADING, NOTHING = "#reports-status", "#reports-heading", N_("No report: see below.")
    PENDING, LIST, SERVER_STEM = N_("the report is still being computed"), "#reports-excerpts", "report"

    def __init__(self, db: Database, choice: ReportChoice) -> None:
        super().__init__()
        self.db = db
        self.choice = choice
        self.table: ReportTable | None = None
        self.excerpts: Excerpts | None = None
        self.heat = True
        """Shade the cells; h turns it off for the plain table (what screen readers read best)."""
        self.shading: Shading | str | None = None
        """The shading of the table, or why it has none."""

    def compose(self) -> ComposeResult:
        yield Static(_("Computing the report …"), id="reports-heading")
        yield DataTable(id="reports-table", cursor_type="cell", zebra_stripes=True)
        yield Static("", id="reports-legend")
        yield Static("", id="reports-notes")
        with Vertical(id="reports-excerpts-box"):
            yield Static(_("enter on a cell lists the excerpts behind it"), id="reports-excerpts-title")
            yield OptionList(id="reports-excerpts")
        yield Static("", id="reports-status")
        yield KeyHints(hints(), id="reports-keys")

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self._compute()

    # -- computing ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="report", exit_on_error=False)
    def _compute(self) -> None:
        started = time.perf_counter()
        try:
            table = compute(self.db, self.choice)
        except MdaError as exc:
            self.post_message(ActionFailed(said(exc)))
            return
        except Exception as exc:  # noqa: BLE001 - an unexpected failure must reach the screen, not vanish
            self.post_message(ActionFailed(_("could not compute the report: {error}").format(error=exc)))
            return
        self.post_message(ReportComputed(table, time.perf_counter() - started))

    def on_report_computed(self, message: ReportComputed) -> None:
        self.table = table = message.table
        heading = Text(REPORTS.text(table.title), style="bold")
        for fact in table.facts:
            heading.append(f"\n{REPORTS.text(fact)}")
        self.query_one("#reports-heading", Static).update(heading)
        self.shading = shading_or_reason(table, self.terms)
        rows, reasons = text_rows(table)
        self._fill()
        notes = Text()
        for reason, mark in reasons.items():
            notes.append(f"[{mark}] {reason}\n")
        notes.append("\n".join(REPORTS.text(note) for note in table.notes), style="dim")
        self.query_one("#reports-notes", Static).update(notes)
        computed = _("computed in {seconds} s").format(seconds=f"{message.seconds:.2f}")
        self.note(computed if rows else _("nothing to report in this scope"))

    @property
    def terms(self) -> tuple[str | None, float | None, float | None]:
        c = self.choice
        return picture_terms(c.kind, c.measure, c.values, c.unit)

    def _fill(self) -> None:
        """The table's cells, shaded when shading is on and the report has a scale; the cursor stays where it was."""
        assert self.table is not None
        table = self.table
        rows, _reasons = text_rows(table)
        right = set(numeric_columns(table))
        styles = self.shading.styles if self.heat and isinstance(self.shading, Shading) else {}
        view = self.query_one(DataTable)
        cursor = view.cursor_coordinate
        view.clear(columns=True)
        view.add_columns(*(literal(REPORTS.text(c)) for c in table.columns))
        for i, row in enumerate(rows):
            view.add_row(
                *(
                    Text(cell, justify="right" if col in right else "left", style=styles.get((i, j), ""))
                    for j, (col, cell) in enumerate(zip(table.columns, row))
                ),
                key=str(i),
            )
        if rows:
            view.move_cursor(row=min(cursor.row, len(rows) - 1), column=min(cursor.column, len(table.columns) - 1))
        legend = self.query_one("#reports-legend", Static)
        if not self.heat:
            legend.update(Text(_("h: shade the cells on the report's colour scale"), style="dim"))
        elif isinstance(self.shading, Shading):
            legend.update(self.shading.legend)
        else:
            legend.update(Text(_("no shading: {reason}").format(reason=REPORTS.text(self.shading)), style="dim"))

    def action_heat(self) -> None:
        if self.table is None:
            self.note(_("the report is still being computed"))
            return
        self.heat = not self.heat
        self._fill()
        self.note(_("cells shaded on the report's colour scale") if self.heat else _("the plain table"))

    # -- excerpts -------------------------------------------------------------------------------

    @on(DataTable.CellSelected, "#reports-table")
    def _cell_selected(self, event: DataTable.CellSelected) -> None:
        self._list(event.coordinate.row, event.coordinate.column)

    def _list(self, row: int, column: int) -> None:
        if self.table is None or not 0 <= row < len(self.table.rows):
            return
        found = lister(self.choice, self.table, row, column)
        if found is None:
            self.note(_("this cell counts nothing of its own to list"))
            return
        heading = REPORTS.text(self.table.columns[column])
        cell = f"{self.table.rows[row][0]} · {heading}"
        if self.choice.kind in ("cooccurrence", "sequences") and self.choice.measure is None:
            cell = f"{self.table.rows[row][0]} · {self.table.rows[row][1]} · {heading}"
        self.note(_("listing the excerpts behind {cell} …").format(cell=cell))
        self._find(found, cell)

    @work(thread=True, exclusive=True, group="excerpts", exit_on_error=False)
    def _find(self, found: Lister, cell: str) -> None:
        try:
            excerpts = found(self.db)
        except MdaError as exc:
            self.post_message(ActionFailed(said(exc)))
            return
        self.post_message(ExcerptsFound(excerpts, cell))

    def on_excerpts_found(self, message: ExcerptsFound) -> None:
        self.excerpts = found = message.excerpts
        options = self.query_one("#reports-excerpts", OptionList)
        options.clear_options()
        shown = found.items[:MAX_LISTED]
        options.add_options([Option(_label(e), id=str(i)) for i, e in enumerate(shown)])
        more = ", " + _("the first {n} listed").format(n=MAX_LISTED) if len(found.items) > MAX_LISTED else ""
        title = f"{message.cell}: {len(found.items)} {REPORTS.text(found.title)}{more}  ·  " + _("enter jumps to one")
        self.query_one("#reports-excerpts-title", Static).update(Text(title))
        self.note(ngettext("{n} excerpt", "{n} excerpts", len(found.items)).format(n=len(found.items)))
        if shown:
            options.highlighted = 0
            options.focus()

    @on(OptionList.OptionSelected, "#reports-excerpts")
    def _excerpt_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._jump(int(event.option.id or 0))

    def _jump(self, index: int) -> None:
        if self.excerpts is not None and 0 <= index < len(self.excerpts.items):
            e = self.excerpts.items[index]
            self.dismiss(Place(Text(REPORTS.text(e.label)), e.document, e.turn, e.selection))

    @property
    def computed(self) -> bool:
        return self.table is not None

    # -- keys -----------------------------------------------------------------------------------

    def action_open(self) -> None:
        table, options = self.query_one(DataTable), self.query_one("#reports-excerpts", OptionList)
        if options.has_focus and options.highlighted is not None:
            self._jump(options.highlighted)
        elif table.row_count:
            self._list(table.cursor_coordinate.row, table.cursor_coordinate.column)

    def action_back(self) -> None:
        if self.query_one("#reports-excerpts", OptionList).has_focus:
            self.query_one(DataTable).focus()
        else:
            self.dismiss(None)

    def action_write(self, fmt: str) -> None:
        where = self.next_to()
        if where is None:
            return
        folder, stem = where
        if fmt == "picture" and isinstance(self.shading, str):
            self.note(REPORTS.text(self.shading), "red")  # the list of pairs: the same one line as the CLI's --plot
            return
        default = f"{stem}-{self.choice.kind}.{'svg' if fmt == 'picture' else fmt}"

        def chosen(path: Path) -> None:
            table = self.table
            assert table is not None
            if fmt == "picture":
                try:
                    picture_format(path)
                except MdaError as exc:
                    self.note(str(exc), "red")
                    return
                if not path.parent.is_dir():
                    self.note(
                        _("cannot write {path}: there is no folder {folder}").format(path=path, folder=path.parent),
                        "red",
                    )
                    return
            self.write_file(lambda to: self._save(table, fmt, to), path, _(FORMATS[fmt]))

        where_to = _("a file name in {folder}, or a full path").format(folder=folder) + (
            "; .svg, .png or .pdf" if fmt == "picture" else ""
        )
        self.ask_file(
            _("Write {what} to ({where}):").format(what=_(FORMATS[fmt]), where=where_to),
            default,
            folder,
            lambda path: _("{path} would write over the project {project}: choose another file name").format(
                path=path, project=self.db.location
            ),
            chosen,
        )

    def _save(self, table: ReportTable, fmt: str, path: Path) -> None:
        """Runs on the writing worker; a drawing failure becomes a one-line error on the status line, not a lost worker."""
        try:
            if fmt == "picture":
                write_picture(
                    table, path, value_label=self.terms[0], centre=self.terms[1], floor=self.terms[2], force=True
                )  # the name was asked for, and a replaced file is said
            else:
                save(table, fmt, path)
        except MdaError:
            raise
        except Exception as exc:  # a drawing failure must reach the status line, not vanish
            raise MdaError(_("could not write {path}: {error}").format(path=path, error=exc)) from exc


def _label(excerpt: Excerpt) -> Text:
    out = Text(f"{excerpt.document}  {REPORTS.text(excerpt.label)}", style="bold")
    out.append(f"\n{one_line(excerpt.text, 150)}", style="dim")
    return out
