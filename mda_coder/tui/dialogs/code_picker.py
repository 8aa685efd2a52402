"""Pick a code by fuzzy search over names, paths and definitions, with recent codes first."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from mda_coder.core.coding import CodeInfo
from mda_coder.i18n import N_, TUI
from mda_coder.nlp.search import code_matches
from mda_coder.tui.literal import literal

_ = TUI.gettext


class CodePicker(ModalScreen[str | None]):
    """Returns the chosen code's path, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", N_("Cancel")),
        Binding("down", "move(1)", N_("Next"), show=False),
        Binding("up", "move(-1)", N_("Previous"), show=False),
    ]

    def __init__(self, codes: list[CodeInfo], recent: list[str], title: str | None = None) -> None:
        super().__init__()
        self.codes = codes
        self.recent = [p for p in recent if any(c.path == p for c in codes)]
        self.title_text = title or _("Apply code")

    def compose(self) -> ComposeResult:
        with Vertical(id="picker"):
            yield Static(literal(self.title_text), id="picker-title")
            yield Input(placeholder=_("type to search codes (name, path or definition)"), id="picker-input")
            yield OptionList(id="picker-options")
            yield Static("", id="picker-definition")

    def on_mount(self) -> None:
        self._fill("")
        self.query_one(Input).focus()

    def _fill(self, query: str) -> None:
        options = self.query_one(OptionList)
        options.clear_options()
        if query.strip():
            matches = [code for code, _score in code_matches(query, self.codes, limit=30)]
        else:
            by_path = {c.path: c for c in self.codes}
            matches = [by_path[p] for p in self.recent] + [c for c in self.codes if c.path not in self.recent]
        for code in matches:
            label = Text()
            label.append("● ", style=code.color or "#d0d0d0")
            label.append(code.path)
            if code.key:
                label.append(f"  [{code.key}]", style="dim")
            if code.path in self.recent and not query.strip():
                label.append("  " + _("recent"), style="dim italic")
            options.add_option(Option(label, id=code.path))
        if matches:
            options.highlighted = 0
            self._show_definition(matches[0].path)

    def _show_definition(self, path: str) -> None:
        code = next((c for c in self.codes if c.path == path), None)
        self.query_one("#picker-definition", Static).update(literal(code.definition if code else ""))

    def on_input_changed(self, event: Input.Changed) -> None:
        self._fill(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        options = self.query_one(OptionList)
        if options.highlighted is not None:
            self.dismiss(options.get_option_at_index(options.highlighted).id)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id:
            self._show_definition(event.option.id)

    def action_move(self, step: int) -> None:
        options = self.query_one(OptionList)
        if options.option_count:
            current = options.highlighted if options.highlighted is not None else -1
            options.highlighted = (current + step) % options.option_count

    def action_cancel(self) -> None:
        self.dismiss(None)
