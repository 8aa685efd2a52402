"""Choose one of a few items (a coding to remove, a coder to show) from a short list."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from mda_coder.i18n import N_
from mda_coder.tui.literal import literal


class Choose(ModalScreen[str | None]):
    """Returns the id of the chosen item, or None when cancelled."""

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, title: str, items: Sequence[tuple[str, Text | str]]) -> None:
        super().__init__()
        self.title_text = title
        self.items = items

    def compose(self) -> ComposeResult:
        with Vertical(id="choose"):
            yield Static(literal(self.title_text), id="choose-title")
            yield OptionList(
                *[Option(literal(label), id=item_id) for item_id, label in self.items], id="choose-options"
            )

    def on_mount(self) -> None:
        options = self.query_one(OptionList)
        options.highlighted = 0
        options.focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def action_cancel(self) -> None:
        self.dismiss(None)
