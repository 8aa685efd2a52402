"""Ask yes or no before something a coder would regret, such as removing a coding with its memo."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Static

from mda_coder.i18n import N_


class Confirm(ModalScreen[bool]):
    """Returns True only for ``y``; ``n``, ``esc`` (and ``enter``, which a quick hand presses by habit) say no."""

    BINDINGS = [
        Binding("y", "answer(True)", N_("Yes")),
        Binding("n,escape,enter", "answer(False)", N_("No")),
    ]

    def __init__(self, question: str, detail: str, yes: str, no: str) -> None:
        super().__init__()
        self.question = question
        self.detail = detail
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        keys = Text.assemble((" y ", "bold reverse"), f" {self.yes}   ", (" n ", "bold reverse"), f" {self.no}")
        with Vertical(id="confirm"):
            yield Static(Text(self.question, style="bold"), id="confirm-question")
            yield Static(Text(self.detail), id="confirm-detail")
            yield Static(keys, id="confirm-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
