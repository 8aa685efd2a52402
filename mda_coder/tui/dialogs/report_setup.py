"""Choose a report and its options: what a unit is, the measure or the columns, and the coders, documents and moderator."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import (
    Checkbox,
    Input,
    OptionList,
    RadioButton,
    RadioSet,
    SelectionList,
    Static,
)
from textual.widgets.option_list import Option

KINDS: tuple[tuple[str, str], ...] = (
    ("frequencies", "frequencies: per code, its codings, turns, documents, speakers, words"),
    ("cooccurrence", "co-occurrence: which codes occur on the same units"),
    ("matrix", "matrix: codes × documents, groups, speakers or roles"),
    ("sequences", "sequences: which code follows which from turn to turn"),
)
UNITS = (("turn", "turns"), ("sentence", "sentences"), ("overlap", "overlapping codings"), ("document", "documents"),
         ("within", "within K turns"))
MEASURES = ((None, "every measure per pair"), ("count", "count"), ("jaccard", "Jaccard"), ("dice", "Dice"),
            ("conditional", "P(column | row)"), ("lift", "lift"), ("phi", "φ"))
COLUMNS = (("document", "documents"), ("group", "groups"), ("speaker", "speakers"), ("speaker-role", "speaker roles"))
VALUES = (("count", "count"), ("row-share", "share of the row"), ("unit-share", "share of the column"))
USES = {"unit": ("frequencies", "cooccurrence", "matrix"), "measure": ("cooccurrence",), "columns": ("matrix",),
        "values": ("matrix",)}
"""Which reports each group of options applies to; it is greyed out for the others."""


@dataclass(frozen=True, slots=True)
class ReportChoice:
    """A report and its options, as `mda-coder report` takes them."""

    kind: str
    unit: str = "turn"
    """turn, sentence, overlap or document (the last two for co-occurrence only)."""
    within: int | None = None
    measure: str | None = None
    columns: str = "document"
    values: str = "count"
    coders: tuple[str, ...] = ()
    """Empty: every coder's codings together."""
    documents: tuple[str, ...] = ()
    """Empty: every document."""
    no_moderator: bool = False


class ReportSetup(ModalScreen[ReportChoice | None]):
    """Returns the choice, or None when cancelled. Enter on a report starts; tab moves through the options.

    Nothing ticked among the coders or the documents means all of them, as without the CLI's filters.
    """

    CSS_PATH = Path(__file__).parent.parent / "reports.tcss"
    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, coders: list[str], documents: list[str]) -> None:
        super().__init__()
        self.coders = coders
        self.documents = documents

    def compose(self) -> ComposeResult:
        with Vertical(id="report-setup"):
            yield Static("Reports   [dim]enter on a report starts · tab: its options and filters · esc cancels[/dim]",
                         id="report-setup-title")
            yield OptionList(*[Option(label, id=kind) for kind, label in KINDS], id="report-setup-kinds")
            with Horizontal(id="report-setup-options"):
                with Vertical(id="report-setup-unit-box"):
                    with RadioSet(id="report-setup-unit"):
                        for i, (value, label) in enumerate(UNITS):
                            yield RadioButton(label, value=i == 0, id=f"unit-{value}")
                    yield Input("1", type="integer", id="report-setup-within", tooltip="K: turns after each turn")
                with RadioSet(id="report-setup-measure"):
                    for i, (value, label) in enumerate(MEASURES):
                        yield RadioButton(label, value=i == 0, id=f"measure-{value or 'all'}")
                with Vertical(id="report-setup-matrix"):
                    with RadioSet(id="report-setup-columns"):
                        for i, (value, label) in enumerate(COLUMNS):
                            yield RadioButton(label, value=i == 0, id=f"columns-{value}")
                    with RadioSet(id="report-setup-values"):
                        for i, (value, label) in enumerate(VALUES):
                            yield RadioButton(label, value=i == 0, id=f"values-{value}")
            with Horizontal(id="report-setup-filters"):
                yield SelectionList[str](*[(c, c) for c in self.coders], id="report-setup-coders")
                yield SelectionList[str](*[(d, d) for d in self.documents], id="report-setup-documents")
                yield Checkbox("leave out the moderator", id="report-setup-moderator")
            yield Static("", id="report-setup-error")

    def on_mount(self) -> None:
        titles = {"#report-setup-kinds": "report", "#report-setup-unit": "unit", "#report-setup-measure": "measure",
                  "#report-setup-columns": "columns", "#report-setup-values": "values",
                  "#report-setup-coders": "coders (none: all)", "#report-setup-documents": "documents (none: all)"}
        for selector, title in titles.items():
            self.query_one(selector).border_title = title
        kinds = self.query_one("#report-setup-kinds", OptionList)
        kinds.highlighted = 0
        kinds.focus()
        self._grey(KINDS[0][0])

    @on(OptionList.OptionHighlighted, "#report-setup-kinds")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._grey(event.option.id or "")

    def _grey(self, kind: str) -> None:
        """Grey out (and skip on tab) the options the highlighted report does not take."""
        for group, kinds in USES.items():
            self.query_one(f"#report-setup-{group}").disabled = kind not in kinds
        self.query_one("#report-setup-within").disabled = kind != "cooccurrence"

    def _pressed(self, group: str, values: tuple[tuple[str | None, str], ...]) -> str | None:
        return values[max(self.query_one(f"#report-setup-{group}", RadioSet).pressed_index, 0)][0]

    @on(OptionList.OptionSelected, "#report-setup-kinds")
    def _start(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        kind = event.option.id or "frequencies"
        unit = self._pressed("unit", UNITS) or "turn"
        within = None
        if kind == "sequences":
            unit = "turn"
        elif unit in ("overlap", "document", "within") and kind != "cooccurrence":
            self._error(f"{dict(UNITS)[unit]} are units of co-occurrence only: {kind} counts turns or sentences")
            return
        if unit == "within":
            text = self.query_one("#report-setup-within", Input).value.strip()
            if not text.isdigit() or int(text) < 1:
                self._error(f"within K turns needs a whole number K of 1 or more (got '{text}')")
                return
            unit, within = "turn", int(text)
        self.dismiss(ReportChoice(
            kind=kind, unit=unit, within=within, measure=self._pressed("measure", MEASURES),
            columns=self._pressed("columns", COLUMNS) or "document", values=self._pressed("values", VALUES) or "count",
            coders=tuple(c for c in self.coders if c in self.query_one("#report-setup-coders", SelectionList).selected),
            documents=tuple(d for d in self.documents
                            if d in self.query_one("#report-setup-documents", SelectionList).selected),
            no_moderator=self.query_one("#report-setup-moderator", Checkbox).value,
        ))

    def _error(self, text: str) -> None:
        self.query_one("#report-setup-error", Static).update(Text(text, style="red"))

    def action_cancel(self) -> None:
        self.dismiss(None)
