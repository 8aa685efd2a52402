"""Agreement between coders in the TUI: every coefficient per code (and split), the counts, the units they differ on."""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from mda_coder.core.errors import MdaError
from mda_coder.export.agreement_report import AgreementDocument
from mda_coder.i18n import N_, TUI, said
from mda_coder.services import queries
from mda_coder.services.agreement import (
    CHARACTER,
    DEFAULT_THRESHOLD,
    AgreementReport,
    AgreementRequest,
    UnitizingReport,
    compare,
    document,
    save_report,
)
from mda_coder.store.engine import Database
from mda_coder.tui.dialogs.review_setup import ReviewChoice
from mda_coder.tui.literal import literal
from mda_coder.tui.messages import ActionFailed
from mda_coder.tui.screens.report_files import ReportFilesScreen
from mda_coder.tui.screens.review import ReviewCommands
from mda_coder.tui.widgets.agreement_panels import AgreementView, Locator, Row
from mda_coder.tui.widgets.agreement_rows import character_view, unit_view
from mda_coder.tui.widgets.lines import KeyHints

_ = TUI.gettext


def hints() -> list[tuple[str, str]]:
    """The agreement screen's keys at the bottom, most needed first."""
    return [
        ("?", _("all keys")),
        ("esc", _("back")),
        ("↑ ↓", _("code")),
        ("tab", _("table/units")),
        ("enter", _("jump to unit")),
        ("m", "Markdown"),
        ("c", "CSV"),
    ]


FORMATS = {"md": N_("the Markdown report"), "csv": N_("the tidy CSV")}


@dataclass
class AgreementComputed(Message, bubble=False):
    """The comparison the screen asked for, drawn and ready to write."""

    view: AgreementView
    report: AgreementDocument
    """The same figures as the files `m` and `c` write (and `mda-coder agree --md/--csv`)."""
    seconds: float


class AgreementScreen(ReportFilesScreen):
    """The figures of one comparison; dismisses with the unit to jump to, or None.

    The comparison runs on a worker (the sample project takes a tenth of a second, a big one
    seconds), and the files are written on one too: the screen never waits for either.
    """

    BINDINGS = [
        Binding("enter", "jump", N_("Jump to the highlighted unit in the transcript")),
        Binding("tab", "switch", N_("Move between the table and the units the coders differ on")),
        Binding("m", "write('md')", N_("Write the report as Markdown, next to the project")),
        Binding("c", "write('csv')", N_("Write every figure as a tidy CSV, next to the project")),
        Binding("question_mark", "help", N_("Help")),
        Binding("escape", "back", N_("Back to the workspace")),
    ]
    HELP_GROUPS = (("agreement", BINDINGS),)
    COMMANDS = {ReviewCommands}  # lists this screen's own bindings, like the review's
    STATUS, HEADING, NOTHING = "#agreement-status", "#agreement-heading", N_("No figures: see below.")
    PENDING, LIST, SERVER_STEM = N_("the figures are still being computed"), "#agreement-units", "agreement"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (130, "-wide")]
    """Under 130 columns the counts beneath the table get the larger share (see mda.tcss)."""

    def __init__(self, db: Database, choice: ReviewChoice) -> None:
        super().__init__()
        self.db = db
        self.choice = choice
        self.view: AgreementView | None = None
        self.report: AgreementDocument | None = None
        self.rows: dict[str, Row] = {}
        self.row: Row | None = None
        """The highlighted row, whose counts and units are shown beneath the table."""

    def compose(self) -> ComposeResult:
        yield Static(_("Computing the agreement …"), id="agreement-heading")
        yield DataTable(id="agreement-table", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="agreement-lower"):
            with VerticalScroll(id="agreement-detail-box"):
                yield Static("", id="agreement-detail")
            with Vertical(id="agreement-units-box"):
                yield Static("", id="agreement-units-title")
                yield OptionList(id="agreement-units")
        yield Static("", id="agreement-status")
        yield KeyHints(hints(), id="agreement-keys")

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self._compute(self.choice)

    # -- computing ------------------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="agreement", exit_on_error=False)
    def _compute(self, choice: ReviewChoice) -> None:
        started = time.perf_counter()
        try:
            report = compare(self.db, request_of(choice))
            locator = self._locator(_places_in(report), sentences=choice.unit == "sentence")
            written = document(report)
            if isinstance(report, UnitizingReport):
                view = character_view(report, written, locator)
            else:
                view = unit_view(report, written, locator)
        except MdaError as exc:
            self.post_message(ActionFailed(said(exc)))
            return
        except Exception as exc:  # noqa: BLE001 - an unexpected failure must reach the screen, not vanish
            self.post_message(ActionFailed(_("could not compute the agreement: {error}").format(error=exc)))
            return
        self.post_message(AgreementComputed(view, written, time.perf_counter() - started))

    def _locator(self, documents: set[str], sentences: bool) -> Locator:
        """The turns (and sentences) of the documents holding a disagreement: to name and jump to them."""
        turns = {d: queries.turns(self.db, d) for d in documents}
        return Locator(turns, {d: queries.sentences(self.db, d) for d in documents} if sentences else None)

    def on_agreement_computed(self, message: AgreementComputed) -> None:
        self.view, self.report = message.view, message.report
        self.query_one("#agreement-heading", Static).update(message.view.heading)
        table = self.query_one(DataTable)
        table.clear(columns=True)
        table.add_columns(*(literal(c) for c in message.view.columns))
        self.rows = {row.key: row for row in message.view.rows}
        for row in message.view.rows:
            table.add_row(*(literal(c) for c in row.cells), key=row.key)
        note = _("computed in {seconds} s").format(seconds=f"{message.seconds:.2f}")
        if self.choice.samples:
            note += "; " + _(
                "95% intervals of α: bootstrap, {samples} samples, seed {seed} (Hayes & Krippendorff 2007)"
            ).format(samples=f"{self.choice.samples:,}", seed=self.choice.seed)
        if self.choice.unit == CHARACTER:
            threshold = DEFAULT_THRESHOLD if self.choice.threshold is None else self.choice.threshold
            note += "; " + _("segments match at {percent}% overlap").format(percent=f"{100 * threshold:g}")
        if self.choice.unit == CHARACTER and self.choice.by:
            note += "; " + _("characters are compared over all documents (no split per {split})").format(
                split=_("document") if self.choice.by == "document" else _("role")
            )
        if not message.view.rows:
            note = _("none of these coders used any of these codes: nothing to compare") + "  ·  " + note
            self.query_one("#agreement-detail", Static).update("")
        self.note(note)
        if message.view.rows:
            table.move_cursor(row=0)
            self._show(message.view.rows[0])

    # -- showing --------------------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#agreement-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        row = self.rows.get(str(event.row_key.value))
        if row is not None and row is not self.row:
            self._show(row)

    def _show(self, row: Row) -> None:
        self.row = row
        self.query_one("#agreement-detail", Static).update(row.detail)
        units = self.query_one("#agreement-units", OptionList)
        units.clear_options()
        units.add_options([Option(place.label, id=str(i)) for i, place in enumerate(row.places)])
        self.query_one("#agreement-units-title", Static).update(literal(row.places_title))
        if row.places:
            units.highlighted = 0

    @on(DataTable.RowSelected, "#agreement-table")
    def _selected(self, event: DataTable.RowSelected) -> None:
        self.action_switch()

    @on(OptionList.OptionSelected, "#agreement-units")
    def _unit_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._jump(int(event.option.id or 0))

    def _jump(self, index: int) -> None:
        if self.row is not None and 0 <= index < len(self.row.places):
            self.dismiss(self.row.places[index])

    @property
    def computed(self) -> bool:
        return self.view is not None

    # -- keys -----------------------------------------------------------------------------------

    def action_jump(self) -> None:
        units = self.query_one("#agreement-units", OptionList)
        if units.highlighted is not None:
            self._jump(units.highlighted)
        else:
            self.note(_("this row has no unit the coders differ on"))

    def action_write(self, fmt: str) -> None:
        where = self.next_to()
        if where is None:
            return
        folder, stem = where
        suffix = "md" if fmt == "md" else "csv"
        default = f"{stem}-agreement-{self.choice.unit}.{suffix}"

        def chosen(path: Path) -> None:
            report = self.report
            assert report is not None
            self.write_file(lambda to: save_report(report, fmt, to, force=True), path, _(FORMATS[fmt]))

        self.ask_file(
            _("Write {what} to (a file name in {folder}, or a full path):").format(what=_(FORMATS[fmt]), folder=folder),
            default,
            folder,
            lambda path: _("{path} is the project file: choose another file name").format(path=path),
            chosen,
        )

    def action_back(self) -> None:
        self.dismiss(None)


def request_of(choice: ReviewChoice) -> AgreementRequest:
    """What the dialog's choice asks the agreement service for: the same request `mda-coder agree` builds."""
    return AgreementRequest(
        coders=choice.coders,
        unit=choice.unit,
        codes=(choice.code,) if choice.code else (),
        by=choice.by,
        include_subcodes=choice.include_subcodes,
        samples=choice.samples,
        seed=choice.seed,
        threshold=DEFAULT_THRESHOLD if choice.threshold is None else choice.threshold,
    )


def _places_in(report: AgreementReport | UnitizingReport) -> set[str]:
    """The documents in which the coders differ somewhere: the only ones whose turns the screen must read."""
    if isinstance(report, UnitizingReport):
        return {report.documents[u.continuum] for c in report.codes if c.segments for u in c.segments.unmatched}
    found = {d.document for c in report.codes for d in c.disagreements}
    return found | {d.document for g in report.groups for d in g.disagreements}
