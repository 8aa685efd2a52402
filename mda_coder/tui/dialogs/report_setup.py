"""Choose a report and its options: what a unit is, the measure or the columns, and the filters `mda-coder report` takes."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
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

from mda_coder.analysis.cooccurrence import Measure
from mda_coder.analysis.matrices import Values
from mda_coder.i18n import N_, TUI
from mda_coder.services.reports import Unit
from mda_coder.tui.literal import literal

_ = TUI.gettext
_Value = TypeVar("_Value")

KINDS: tuple[tuple[str, str], ...] = (
    ("frequencies", N_("frequencies: per code, its codings, turns, documents, speakers, words")),
    ("cooccurrence", N_("co-occurrence: which codes occur on the same units")),
    ("matrix", N_("matrix: codes × documents, groups, speakers, roles or a speaker attribute")),
    ("sequences", N_("sequences: which code follows which from turn to turn")),
)
"""Each report and what it is (the labels are marked here and said in the dialog, as are those below)."""
UNITS: tuple[tuple[Unit | Literal["within"], str], ...] = (
    ("turn", N_("turns")),
    ("sentence", N_("sentences")),
    ("overlap", N_("overlapping codings")),
    ("document", N_("documents")),
    ("within", N_("within K turns")),
)
MEASURES: tuple[tuple[Measure | None, str], ...] = (
    (None, N_("every measure per pair")),
    ("count", N_("count")),
    ("jaccard", "Jaccard"),
    ("dice", "Dice"),
    ("conditional", N_("P(column | row)")),
    ("lift", N_("lift")),
    ("phi", "φ"),
)
COLUMNS = (
    ("document", N_("documents")),
    ("group", N_("groups")),
    ("speaker", N_("speakers")),
    ("speaker-role", N_("speaker roles")),
)
VALUES: tuple[tuple[Values, str], ...] = (
    ("count", N_("count")),
    ("row-share", N_("share of the row")),
    ("unit-share", N_("share of the column")),
)
REPORT_NAMES = {
    "frequencies": N_("frequencies"),
    "cooccurrence": N_("co-occurrence"),
    "matrix": N_("matrix"),
    "sequences": N_("sequences"),
}
USES = {
    "unit": ("frequencies", "cooccurrence", "matrix"),
    "measure": ("cooccurrence",),
    "columns": ("matrix",),
    "values": ("matrix",),
    "transpose": ("matrix",),
    "subcodes": ("cooccurrence", "matrix", "sequences"),
    "per-coder": ("frequencies",),
}
"""Which reports each group of options applies to; it is greyed out for the others."""


@dataclass(frozen=True, slots=True)
class ReportNames:
    """What the project holds to filter by, for the setup's lists."""

    coders: tuple[str, ...] = ()
    documents: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    roles: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    """Code paths in codebook order; a sub-code's path holds its parent's (``tilltro/tvivel``)."""
    attributes: tuple[str, ...] = ()
    """Speaker attribute keys, offered as matrix columns ``attr:KEY``."""


@dataclass(frozen=True, slots=True)
class ReportChoice:
    """A report and its options, as `mda-coder report` takes them."""

    kind: str
    unit: Unit = "turn"
    """turn, sentence, overlap or document (the last two for co-occurrence only)."""
    within: int | None = None
    measure: Measure | None = None
    columns: str = "document"
    values: Values = "count"
    coders: tuple[str, ...] = ()
    """Empty: every coder's codings together."""
    documents: tuple[str, ...] = ()
    """Empty: every document."""
    no_moderator: bool = False
    groups: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    """Speaker labels or linked persons' names."""
    roles: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    """Code paths; each brings its sub-codes."""
    include_subcodes: bool = False
    """A sub-code's codings count as codings of the codes above it (co-occurrence, matrix, sequences)."""
    per_coder: bool = False
    """Frequencies: one row per code and coder."""
    transpose: bool = False
    """Matrix: codes as the columns (``--rows WHAT --cols code``)."""


class ReportSetup(ModalScreen[ReportChoice | None]):
    """Returns the choice, or None when cancelled. Enter on a report starts; tab moves through the options.

    Nothing ticked in a filter list means all of them, as without the CLI's filters. Options the
    highlighted report does not take are greyed out and skipped by tab, so the order of tab stops
    is the order on screen: report, unit, K, measure, columns, values, turned round, sub-codes,
    per coder, coders, documents, moderator, groups, speakers, roles, codes.
    """

    CSS_PATH = Path(__file__).parent.parent / "reports.tcss"
    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, coders: list[str] | ReportNames, documents: list[str] | None = None) -> None:
        super().__init__()
        self.names = coders if isinstance(coders, ReportNames) else ReportNames(tuple(coders), tuple(documents or ()))
        self.columns = (
            *((value, _(label)) for value, label in COLUMNS),
            *((f"attr:{key}", _("attribute {key}").format(key=key)) for key in self.names.attributes),
        )

    def compose(self) -> ComposeResult:
        names = self.names
        with VerticalScroll(id="report-setup"):
            yield Static(
                Text.assemble(
                    _("Reports"),
                    "   ",
                    (_("enter on a report starts · tab: its options and filters · esc cancels"), "dim"),
                ),
                id="report-setup-title",
            )
            yield OptionList(*[Option(_(label), id=kind) for kind, label in KINDS], id="report-setup-kinds")
            with Horizontal(id="report-setup-options"):
                with Vertical(id="report-setup-unit-box"):
                    with RadioSet(id="report-setup-unit"):
                        for i, (unit, label) in enumerate(UNITS):
                            yield RadioButton(_(label), value=i == 0, id=f"unit-{unit}")
                    yield Input("1", type="integer", id="report-setup-within", tooltip=_("K: turns after each turn"))
                with RadioSet(id="report-setup-measure"):
                    for i, (measure, label) in enumerate(MEASURES):
                        yield RadioButton(_(label), value=i == 0, id=f"measure-{measure or 'all'}")
                with Vertical(id="report-setup-matrix"):
                    with RadioSet(id="report-setup-columns"):
                        for i, (_value, label) in enumerate(self.columns):
                            yield RadioButton(literal(label), value=i == 0, id=f"columns-{i}")
                    with RadioSet(id="report-setup-values"):
                        for i, (value, label) in enumerate(VALUES):
                            yield RadioButton(_(label), value=i == 0, id=f"values-{value}")
                    yield Checkbox(
                        _("turned round"),
                        id="report-setup-transpose",
                        tooltip=_("turn the table round: these as rows, codes as columns"),
                    )
                with Vertical(id="report-setup-flags"):
                    yield Checkbox(
                        _("sub-codes as parents"),
                        id="report-setup-subcodes",
                        tooltip=_("a coding of tilltro/tvivel counts for tilltro too"),
                    )
                    yield Checkbox(_("a row per coder"), id="report-setup-per-coder")
            with Horizontal(id="report-setup-filters"):
                yield SelectionList[str](*[(literal(c), c) for c in names.coders], id="report-setup-coders")
                yield SelectionList[str](*[(literal(d), d) for d in names.documents], id="report-setup-documents")
                yield Checkbox(_("leave out the moderator"), id="report-setup-moderator")
            with Horizontal(id="report-setup-more-filters"):
                yield SelectionList[str](*[(literal(g), g) for g in names.groups], id="report-setup-groups")
                yield SelectionList[str](*[(literal(p), p) for p in names.speakers], id="report-setup-speakers")
                yield SelectionList[str](*[(literal(r), r) for r in names.roles], id="report-setup-roles")
                yield SelectionList[str](
                    *[(literal("› " * c.count("/") + c.rsplit("/", 1)[-1]), c) for c in names.codes],
                    id="report-setup-codes",
                )
            yield Static("", id="report-setup-error")

    def on_mount(self) -> None:
        titles = {
            "#report-setup-kinds": _("report"),
            "#report-setup-unit": _("unit"),
            "#report-setup-measure": _("measure"),
            "#report-setup-columns": _("columns"),
            "#report-setup-values": _("values"),
            "#report-setup-coders": _("coders (none: all)"),
            "#report-setup-documents": _("documents (none: all)"),
            "#report-setup-groups": _("groups (none: all)"),
            "#report-setup-speakers": _("speakers (none: all)"),
            "#report-setup-roles": _("roles (none: all)"),
            "#report-setup-codes": _("codes, with sub-codes (none: all)"),
        }
        for selector, title in titles.items():
            self.query_one(selector).border_title = title
        for which in ("groups", "speakers", "roles", "codes"):  # nothing to choose from: no tab stop
            lists = self.query_one(f"#report-setup-{which}", SelectionList)
            lists.disabled = lists.option_count == 0
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

    def _pressed(self, group: str, values: tuple[tuple[_Value, str], ...]) -> _Value:
        return values[max(self.query_one(f"#report-setup-{group}", RadioSet).pressed_index, 0)][0]

    def _ticked(self, which: str, names: tuple[str, ...]) -> tuple[str, ...]:
        """The ticked names in the list's own order (the order they were ticked in does not matter)."""
        selected = set(self.query_one(f"#report-setup-{which}", SelectionList).selected)
        return tuple(n for n in names if n in selected)

    def _checked(self, which: str) -> bool:
        box = self.query_one(f"#report-setup-{which}", Checkbox)
        return box.value and not box.disabled

    @on(OptionList.OptionSelected, "#report-setup-kinds")
    def _start(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        kind = event.option.id or "frequencies"
        unit = self._pressed("unit", UNITS) or "turn"
        within = None
        if kind == "sequences":
            unit = "turn"
        elif unit in ("overlap", "document", "within") and kind != "cooccurrence":
            self._error(
                _("{units} are units of co-occurrence only: {report} counts turns or sentences").format(
                    units=_(dict(UNITS)[unit]), report=_(REPORT_NAMES[kind])
                )
            )
            return
        if unit == "within":
            text = self.query_one("#report-setup-within", Input).value.strip()
            if not text.isdigit() or int(text) < 1:
                self._error(_("within K turns needs a whole number K of 1 or more (got '{text}')").format(text=text))
                return
            unit, within = "turn", int(text)
        names = self.names
        self.dismiss(
            ReportChoice(
                kind=kind,
                unit=unit,
                within=within,
                measure=self._pressed("measure", MEASURES),
                columns=self._pressed("columns", self.columns) or "document",
                values=self._pressed("values", VALUES) or "count",
                coders=self._ticked("coders", names.coders),
                documents=self._ticked("documents", names.documents),
                no_moderator=self.query_one("#report-setup-moderator", Checkbox).value,
                groups=self._ticked("groups", names.groups),
                speakers=self._ticked("speakers", names.speakers),
                roles=self._ticked("roles", names.roles),
                codes=self._ticked("codes", names.codes),
                include_subcodes=self._checked("subcodes") and kind in USES["subcodes"],
                per_coder=self._checked("per-coder") and kind == "frequencies",
                transpose=self._checked("transpose") and kind == "matrix",
            )
        )

    def _error(self, text: str) -> None:
        self.query_one("#report-setup-error", Static).update(Text(text, style="red"))

    def action_cancel(self) -> None:
        self.dismiss(None)
