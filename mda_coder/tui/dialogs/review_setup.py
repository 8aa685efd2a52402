"""Choose what to review: which coders to compare, turns or sentences as units, and one code or every code."""

from __future__ import annotations

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


@dataclass(frozen=True, slots=True)
class ReviewChoice:
    coders: tuple[str, ...]
    unit: str
    """``turn`` or ``sentence``."""
    code: str | None
    """A code path (with its sub-codes), or None for every code."""


class ReviewSetup(ModalScreen[ReviewChoice | None]):
    """Returns the choice, or None when cancelled. Enter on a code starts; tab moves to the coders and units."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]

    def __init__(self, coders: list[str], chosen: list[str], codes: list[CodeInfo]) -> None:
        super().__init__()
        self.coders = coders
        self.chosen = set(chosen)
        self.codes = codes

    def compose(self) -> ComposeResult:
        with Vertical(id="review-setup"):
            yield Static(
                "Review disagreements into [b]consensus[/b]   [dim]enter on a code starts · tab: coders, units · esc cancels[/dim]",
                id="review-setup-title",
            )
            with Horizontal(id="review-setup-top"):
                yield SelectionList[str](*[(c, c, c in self.chosen) for c in self.coders], id="review-setup-coders")
                with RadioSet(id="review-setup-unit"):
                    yield RadioButton("turns", value=True, id="unit-turn")
                    yield RadioButton("sentences", id="unit-sentence")
            options = [Option(Text("every code", style="bold"), id=ALL_CODES)]
            for code in self.codes:
                label = Text.assemble(("● ", code.color or "#d0d0d0"), code.path)
                options.append(Option(label, id=code.path))
            yield OptionList(*options, id="review-setup-codes")

    def on_mount(self) -> None:
        self.query_one("#review-setup-coders", SelectionList).border_title = "coders"
        self.query_one("#review-setup-unit", RadioSet).border_title = "units"
        codes = self.query_one("#review-setup-codes", OptionList)
        codes.border_title = "code"
        codes.highlighted = 0
        codes.focus()

    @on(OptionList.OptionSelected, "#review-setup-codes")
    def _start(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        coders = tuple(c for c in self.coders if c in self.query_one(SelectionList).selected)
        unit = "sentence" if self.query_one("#unit-sentence", RadioButton).value else "turn"
        code = None if event.option.id == ALL_CODES else event.option.id
        self.dismiss(ReviewChoice(coders, unit, code))

    def action_cancel(self) -> None:
        self.dismiss(None)
