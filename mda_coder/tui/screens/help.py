"""Every key binding of the workspace and the transcript, with what it does."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from mda_coder.tui.widgets.panels import CodebookTree
from mda_coder.tui.widgets.transcript import TranscriptView

_KEY_NAMES = {
    "full_stop": ".", "question_mark": "?", "pagedown": "PgDn", "pageup": "PgUp", "space": "Space", "plus": "+", "colon": ":",
}


def _own_bindings(screen: Screen[None]) -> list[Binding]:
    """The screen's bindings and those its action mixins add (Textual binds them all)."""
    return [
        binding for cls in type(screen).__mro__ if cls.__module__.startswith("mda_coder.")
        for binding in cls.__dict__.get("BINDINGS", [])
    ]


def binding_rows(screen: Screen[None]) -> list[tuple[str, str, Binding]]:
    """``(where, keys, binding)`` for every binding a coder can use in the workspace (or another screen's groups)."""
    rows = []
    groups = getattr(screen, "HELP_GROUPS", None) or (
        ("transcript", TranscriptView.BINDINGS), ("workspace", _own_bindings(screen)), ("codebook", CodebookTree.BINDINGS),
    )
    for where, bindings in groups:
        for binding in bindings:
            assert isinstance(binding, Binding)
            keys = ", ".join(_KEY_NAMES.get(k, k) for k in binding.key.split(","))
            rows.append((where, keys, binding))
    return rows


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(self, workspace: Screen[None]) -> None:
        super().__init__()
        self.workspace = workspace

    def compose(self) -> ComposeResult:
        self.table = table = Table(title="Keys  (esc closes · ctrl+p lists every action)", expand=True, show_edge=False)
        table.add_column("keys", style="bold", no_wrap=True)
        table.add_column("what it does")
        last = None
        for where, keys, binding in binding_rows(self.workspace):
            if where != last:
                table.add_row(f"[dim]{where}[/dim]", "")
                last = where
            table.add_row(keys, binding.description)
        with VerticalScroll(id="help"):
            yield Static(table)
