"""Choose what to compare: which coders, what a unit is, optionally a split, and one code or every code."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, RadioButton, RadioSet, SelectionList, Static
from textual.widgets.option_list import Option

from mda_coder.core.coding import CodeInfo

ALL_CODES = "\x00all"
"""The option id for "every code" (no code path can hold a NUL)."""

REVIEW_UNITS: tuple[tuple[str, str], ...] = (("turn", "turns"), ("sentence", "sentences"))
"""(value, label) of each unit the dialog offers; the first is the default."""

REVIEW_HEADING = "Review disagreements into [b]consensus[/b]"


@dataclass(frozen=True, slots=True)
class ReviewChoice:
    coders: tuple[str, ...]
    unit: str
    """One of the dialog's units: ``turn`` or ``sentence`` (the agreement screen also offers ``character``)."""
    code: str | None
    """A code path (with its sub-codes), or None for every code."""
    by: str | None = None
    """``document`` or ``role`` when the dialog offered splits and one was chosen; else None."""


class ReviewSetup(ModalScreen[ReviewChoice | None]):
    """Returns the choice, or None when cancelled. Enter on a code starts; tab moves to the coders, units and split.

    The review and the agreement screen ask the same questions, so they share this dialog: the
    agreement screen passes its own heading, more units, and the splits it can show.
    """

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(
        self, coders: list[str], chosen: list[str], codes: list[CodeInfo], *, heading: str = REVIEW_HEADING,
        units: Sequence[tuple[str, str]] = REVIEW_UNITS, splits: Sequence[tuple[str | None, str]] = (),
    ) -> None:
        super().__init__()
        self.coders = coders
        self.chosen = set(chosen)
        self.codes = codes
        self.heading = heading
        self.units = tuple(units)
        self.splits = tuple(splits)
        """(value, label) of each split, None for "no split"; none at all: no split is asked."""

    def compose(self) -> ComposeResult:
        with Vertical(id="review-setup"):
            more = ", split" if self.splits else ""
            yield Static(
                f"{self.heading}   [dim]enter on a code starts · tab: coders, units{more} · esc cancels[/dim]",
                id="review-setup-title",
            )
            with Horizontal(id="review-setup-top"):
                yield SelectionList[str](*[(c, c, c in self.chosen) for c in self.coders], id="review-setup-coders")
                with RadioSet(id="review-setup-unit"):
                    for i, (value, label) in enumerate(self.units):
                        yield RadioButton(label, value=i == 0, id=f"unit-{value}")
                if self.splits:
                    with RadioSet(id="review-setup-split"):
                        for i, (value, label) in enumerate(self.splits):
                            yield RadioButton(label, value=i == 0, id=f"split-{value or 'none'}")
            options = [Option(Text("every code", style="bold"), id=ALL_CODES)]
            for code in self.codes:
                label = Text.assemble(("● ", code.color or "#d0d0d0"), code.path)
                options.append(Option(label, id=code.path))
            yield OptionList(*options, id="review-setup-codes")

    def on_mount(self) -> None:
        self.query_one("#review-setup-coders", SelectionList).border_title = "coders"
        self.query_one("#review-setup-unit", RadioSet).border_title = "units"
        if self.splits:
            self.query_one("#review-setup-split", RadioSet).border_title = "split"
        codes = self.query_one("#review-setup-codes", OptionList)
        codes.border_title = "code"
        codes.highlighted = 0
        codes.focus()

    def _pressed(self, selector: str) -> int:
        index = self.query_one(selector, RadioSet).pressed_index
        return max(index, 0)

    @on(OptionList.OptionSelected, "#review-setup-codes")
    def _start(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        coders = tuple(c for c in self.coders if c in self.query_one(SelectionList).selected)
        unit = self.units[self._pressed("#review-setup-unit")][0]
        by = self.splits[self._pressed("#review-setup-split")][0] if self.splits else None
        code = None if event.option.id == ALL_CODES else event.option.id
        self.dismiss(ReviewChoice(coders, unit, code, by))

    def action_cancel(self) -> None:
        self.dismiss(None)
