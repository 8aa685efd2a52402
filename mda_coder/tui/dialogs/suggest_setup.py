"""Choose what to be proposed: the code and the unit (turns or sentences)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, RadioButton, RadioSet, Static
from textual.widgets.option_list import Option

from mda_coder.core.coding import CodeInfo
from mda_coder.i18n import N_, TUI
from mda_coder.tui.literal import literal

_ = TUI.gettext

UNITS = (("turn", N_("turns")), ("sentence", N_("sentences")))


@dataclass(frozen=True, slots=True)
class SuggestChoice:
    code: str
    unit: str


class SuggestSetup(ModalScreen[SuggestChoice | None]):
    """Returns the code and unit chosen, or None when cancelled; enter on a code starts."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, codes: Sequence[CodeInfo], current: str | None = None) -> None:
        super().__init__()
        self.codes = list(codes)
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="suggest-setup"):
            yield Static(_("Suggested codings: which code? (enter starts; tab: turns or sentences)"))
            yield OptionList(*[Option(literal(code.path), id=code.path) for code in self.codes], id="suggest-codes")
            with RadioSet(id="suggest-unit"):
                for i, (_value, label) in enumerate(UNITS):
                    yield RadioButton(_(label), value=i == 0)

    def on_mount(self) -> None:
        codes = self.query_one("#suggest-codes", OptionList)
        paths = [code.path for code in self.codes]
        if self.current in paths:
            codes.highlighted = paths.index(self.current)
        codes.focus()

    @on(OptionList.OptionSelected, "#suggest-codes")
    def chosen(self, event: OptionList.OptionSelected) -> None:
        index = self.query_one("#suggest-unit", RadioSet).pressed_index
        unit = UNITS[index if index >= 0 else 0][0]
        assert event.option.id is not None
        self.dismiss(SuggestChoice(event.option.id, unit))

    def action_cancel(self) -> None:
        self.dismiss(None)
