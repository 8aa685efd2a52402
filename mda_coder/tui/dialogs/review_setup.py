"""Choose what to compare: which coders, what a unit is, optionally a split and the agreement options, and the code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

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

from mda_coder.core.coding import CodeInfo
from mda_coder.i18n import N_, TUI
from mda_coder.services.agreement import Split, Unit
from mda_coder.tui.literal import literal

_ = TUI.gettext

ALL_CODES = "\x00all"
"""The option id for "every code" (no code path can hold a NUL)."""

ChoiceUnit = Unit | Literal["character"]
"""A unit the dialog may offer: the agreement screen adds characters (``services.unitizing.UNIT``)."""

REVIEW_UNITS: tuple[tuple[ChoiceUnit, str], ...] = (("turn", N_("turns")), ("sentence", N_("sentences")))
"""(value, label) of each unit the dialog offers; the first is the default. Labels are marked, and said in the dialog."""

REVIEW_HEADING = N_("Review disagreements into [b]consensus[/b]")
"""A heading is marked, and said in the dialog (with its markup: it holds no user's words)."""

INTERVAL_SAMPLES = 1000
"""Bootstrap samples behind the "95% interval for α" box: KALPHA's smallest recommended number."""
INTERVAL_SEED = 1
"""A fixed seed, so that opening the same comparison twice shows the same interval."""
DEFAULT_THRESHOLD_PERCENT = 90
"""The least overlap at which two segments match, as MAXQDA's default (services.agreement.DEFAULT_THRESHOLD)."""


@dataclass(frozen=True, slots=True)
class ReviewChoice:
    coders: tuple[str, ...]
    unit: ChoiceUnit
    """One of the dialog's units: ``turn`` or ``sentence`` (the agreement screen also offers ``character``)."""
    code: str | None
    """A code path (with its sub-codes), or None for every code."""
    by: Split | None = None
    """``document`` or ``role`` when the dialog offered splits and one was chosen; else None."""
    include_subcodes: bool = False
    """Whether a sub-code's codings count as codings of the codes above it too."""
    samples: int = 0
    """Bootstrap samples for 95% intervals of α (0: none)."""
    seed: int | None = INTERVAL_SEED
    threshold: float | None = None
    """The least overlap (a share, 0.9 for 90%) at which segments match; only for the segment unit."""


class ReviewSetup(ModalScreen[ReviewChoice | None]):
    """Returns the choice, or None when cancelled. Enter on a code starts; tab moves to the coders, units and split.

    The review and the agreement screen ask the same questions, so they share this dialog: the
    agreement screen passes its own heading, more units, and the splits it can show.
    """

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(
        self,
        coders: list[str],
        chosen: list[str],
        codes: list[CodeInfo],
        *,
        heading: str = REVIEW_HEADING,
        units: Sequence[tuple[ChoiceUnit, str]] = REVIEW_UNITS,
        splits: Sequence[tuple[Split | None, str]] = (),
        options: bool = False,
        segment_unit: str | None = None,
    ) -> None:
        super().__init__()
        self.coders = coders
        self.chosen = set(chosen)
        self.codes = codes
        self.heading = heading
        self.units = tuple(units)
        self.splits = tuple(splits)
        """(value, label) of each split, None for "no split"; none at all: no split is asked."""
        self.options = options
        """Offer the agreement's options: sub-codes, an interval for α, and the overlap for segments."""
        self.segment_unit = segment_unit
        """The unit compared as free segments (characters): it has the overlap threshold and no interval."""

    def compose(self) -> ComposeResult:
        with Vertical(id="review-setup"):
            stops = [
                _("coders"),
                _("units"),
                *([_("split")] if self.splits else []),
                *([_("options")] if self.options else []),
            ]
            hint = _("enter on a code starts · tab: {stops} · esc cancels").format(stops=", ".join(stops))
            yield Static(
                Text.assemble(Text.from_markup(_(self.heading)), "   ", (hint, "dim")), id="review-setup-title"
            )
            with Horizontal(id="review-setup-top"):
                yield SelectionList[str](
                    *[(literal(c), c, c in self.chosen) for c in self.coders], id="review-setup-coders"
                )
                with RadioSet(id="review-setup-unit"):
                    for i, (value, label) in enumerate(self.units):
                        yield RadioButton(_(label), value=i == 0, id=f"unit-{value}")
                if self.splits:
                    with RadioSet(id="review-setup-split"):
                        for i, (split, label) in enumerate(self.splits):
                            yield RadioButton(_(label), value=i == 0, id=f"split-{split or 'none'}")
            if self.options:
                with Horizontal(id="review-setup-options"):
                    yield Checkbox(_("sub-codes count for their parents"), id="review-setup-subcodes")
                    yield Checkbox(_("95% interval for α"), id="review-setup-interval")
                    with Horizontal(id="review-setup-threshold-box"):
                        yield Static(_("segments match at "), classes="review-setup-label")
                        yield Input(str(DEFAULT_THRESHOLD_PERCENT), type="number", id="review-setup-threshold")
                        yield Static(_("% overlap"), classes="review-setup-label")
                yield Static("", id="review-setup-error")
            options = [Option(Text(_("every code"), style="bold"), id=ALL_CODES)]
            for code in self.codes:
                shown = Text.assemble(("● ", code.color or "#d0d0d0"), code.path)
                options.append(Option(shown, id=code.path))
            yield OptionList(*options, id="review-setup-codes")

    def on_mount(self) -> None:
        self.query_one("#review-setup-coders", SelectionList).border_title = _("coders")
        self.query_one("#review-setup-unit", RadioSet).border_title = _("units")
        if self.splits:
            self.query_one("#review-setup-split", RadioSet).border_title = _("split")
        if self.options:
            self._show_unit_options()
        codes = self.query_one("#review-setup-codes", OptionList)
        codes.border_title = _("code")
        codes.highlighted = 0
        codes.focus()

    def _pressed(self, selector: str) -> int:
        index = self.query_one(selector, RadioSet).pressed_index
        return max(index, 0)

    def _unit(self) -> ChoiceUnit:
        return self.units[self._pressed("#review-setup-unit")][0]

    @on(RadioSet.Changed, "#review-setup-unit")
    def _show_unit_options(self) -> None:
        """Segments have an overlap threshold and no bootstrap of α_U; turns and sentences the reverse."""
        if not self.options:
            return
        segments = self._unit() == self.segment_unit
        self.query_one("#review-setup-threshold-box").display = segments
        self.query_one("#review-setup-interval").display = not segments

    @on(Input.Submitted, "#review-setup-threshold")
    def _threshold_given(self) -> None:
        self.query_one("#review-setup-codes", OptionList).focus()

    def _threshold(self) -> float | None:
        """The overlap as a share; None (and the reason shown) when the box holds no percentage."""
        text = self.query_one("#review-setup-threshold", Input).value.strip().rstrip("%").strip()
        try:
            percent = float(text)
        except ValueError:
            percent = -1.0
        if not 0 < percent <= 100:
            self.query_one("#review-setup-error", Static).update(
                Text(
                    _("overlap '{text}': give a percentage more than 0 and at most 100, e.g. 90").format(text=text),
                    style="red",
                )
            )
            return None
        return percent / 100

    @on(OptionList.OptionSelected, "#review-setup-codes")
    def _start(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        coders = tuple(c for c in self.coders if c in self.query_one(SelectionList).selected)
        unit = self._unit()
        by = self.splits[self._pressed("#review-setup-split")][0] if self.splits else None
        code = None if event.option.id == ALL_CODES else event.option.id
        if not self.options:
            self.dismiss(ReviewChoice(coders, unit, code, by))
            return
        subcodes = self.query_one("#review-setup-subcodes", Checkbox).value
        if unit == self.segment_unit:
            threshold = self._threshold()
            if threshold is None:
                self.query_one("#review-setup-threshold", Input).focus()
                return
            self.dismiss(ReviewChoice(coders, unit, code, by, subcodes, threshold=threshold))
            return
        samples = INTERVAL_SAMPLES if self.query_one("#review-setup-interval", Checkbox).value else 0
        self.dismiss(ReviewChoice(coders, unit, code, by, subcodes, samples, INTERVAL_SEED))

    def action_cancel(self) -> None:
        self.dismiss(None)
