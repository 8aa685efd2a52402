"""Write or edit a memo: a text area, saved with ctrl+s, cancelled with escape."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from mda_coder.i18n import N_, TUI
from mda_coder.tui.literal import titled

_ = TUI.gettext


class MemoEditor(ModalScreen[str | None]):
    """Returns the memo text (possibly empty, to clear it), or None when cancelled."""

    BINDINGS = [Binding("ctrl+s", "save", N_("Save memo")), Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, title: str, text: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.initial = text

    def compose(self) -> ComposeResult:
        with Vertical(id="memo"):
            yield Static(titled(self.title_text, _("ctrl+s save · esc cancel")), id="memo-title")
            yield TextArea(self.initial, id="memo-text")

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        self.dismiss(self.query_one(TextArea).text.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)
