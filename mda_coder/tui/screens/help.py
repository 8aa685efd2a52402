"""Every key binding of the workspace and the transcript, with what it does."""

from __future__ import annotations

from typing import Any

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from mda_coder.i18n import N_, TUI
from mda_coder.tui.widgets.panels import CodebookTree
from mda_coder.tui.widgets.transcript import TranscriptView

_ = TUI.gettext

GROUP_NAMES = {
    "transcript": N_("transcript"),
    "workspace": N_("workspace"),
    "codebook": N_("codebook"),
    "review": N_("review"),
    "agreement": N_("agreement"),
    "reports": N_("reports"),
    "search": N_("search every document"),
    "suggestions": N_("suggestions"),
}
"""The help's headings over each group of keys (and the command palette's note of where an action acts)."""

_KEY_NAMES = {
    "full_stop": ".",
    "question_mark": "?",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "space": "Space",
    "plus": "+",
    "colon": ":",
}


def _own_bindings(screen: Screen[Any]) -> list[Binding]:
    """The screen's bindings and those its action mixins add (Textual binds them all)."""
    return [
        binding
        for cls in type(screen).__mro__
        if cls.__module__.startswith("mda_coder.")
        for binding in cls.__dict__.get("BINDINGS", [])
    ]


def binding_rows(screen: Screen[Any]) -> list[tuple[str, str, Binding]]:
    """``(where, keys, binding)`` for every binding a coder can use in the workspace (or another screen's groups)."""
    rows = []
    groups = getattr(screen, "HELP_GROUPS", None) or (
        ("transcript", TranscriptView.BINDINGS),
        ("workspace", _own_bindings(screen)),
        ("codebook", CodebookTree.BINDINGS),
    )
    for where, bindings in groups:
        for binding in bindings:
            assert isinstance(binding, Binding)
            keys = ", ".join(_KEY_NAMES.get(k, k) for k in binding.key.split(","))
            rows.append((where, keys, binding))
    return rows


def describe(binding: Binding) -> str:
    """What a key does, in the interface language (a description is marked where the binding is made)."""
    return TUI.message(binding.description)


def group_name(where: str) -> str:
    return _(GROUP_NAMES[where]) if where in GROUP_NAMES else where


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,q", "dismiss", N_("Close"))]

    def __init__(self, workspace: Screen[Any]) -> None:
        super().__init__()
        self.workspace = workspace

    def compose(self) -> ComposeResult:
        title = _("Keys  (esc closes · ctrl+p lists every action)")
        self.table = table = Table(title=title, expand=True, show_edge=False)
        table.add_column(_("keys"), style="bold", no_wrap=True)
        table.add_column(_("what it does"))
        last = None
        for where, keys, binding in binding_rows(self.workspace):
            if where != last:
                table.add_row(Text.assemble((group_name(where), "dim")), "")
                last = where
            table.add_row(keys, Text(describe(binding)))
        with VerticalScroll(id="help"):
            yield Static(table)
