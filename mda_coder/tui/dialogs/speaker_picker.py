"""Give a turn to another speaker: one of the document's speakers, or a new label typed in."""

from __future__ import annotations

from collections.abc import Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static

from mda_coder.i18n import N_, TUI
from mda_coder.tui.dialogs.turn_text import speaker_option
from mda_coder.tui.literal import titled

_ = TUI.gettext


class SpeakerPicker(ModalScreen[str | None]):
    """Returns the chosen speaker's label (a new one as typed, stripped), or None when cancelled.

    The document's other speakers come first (enter takes the highlighted one); ``tab`` goes to the
    line where a new label is typed (enter takes it: the service adds the speaker and says so).
    """

    BINDINGS = [Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, title: str, current: str | None, speakers: Sequence[tuple[str, str | None]]) -> None:
        super().__init__()
        self.title_text = title
        self.current = current
        self.speakers = [(label, role) for label, role in speakers if label != current]
        """The document's other speakers and their roles."""

    def compose(self) -> ComposeResult:
        with Vertical(id="speaker"):
            yield Static(titled(self.title_text, _("enter choose · tab a new label · esc cancel")), id="speaker-title")
            if self.speakers:
                yield OptionList(*[speaker_option(s, r) for s, r in self.speakers], id="speaker-options")
            yield Input(placeholder=_("or type a new speaker label"), id="speaker-new")

    def on_mount(self) -> None:
        if self.speakers:
            options = self.query_one(OptionList)
            options.highlighted = 0
            options.focus()
        else:
            self.query_one(Input).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        label = event.value.strip()
        if label:
            self.dismiss(label)

    def action_cancel(self) -> None:
        self.dismiss(None)
