"""The one-line widgets under a screen's body: a message line that wraps and clears itself, and key hints that fit."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Static

KINDS = {"info": "", "warning": "bold #ffaf00", "error": "bold #ff5f5f"}
"""How each kind of message looks."""
SECONDS = {"info": 8.0, "warning": 15.0, "error": 15.0}
"""How long each kind of message stays: long enough to read twice."""


class MessageLine(Static):
    """What the last action did, or why it could not: as many lines as it needs, gone after a while.

    A one-line status bar cut off "removed tilltro/tilltro som relation from FG1_Norrvik turn 12"
    at 100 columns; this line wraps instead. It is hidden while empty, so it takes no room from the
    transcript. A ``sticky`` message (a mode, such as editing a span) stays until ``end_sticky``;
    a passing message shown meanwhile gives way to it again when it clears.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", id=id)
        self.message = ""
        """The text shown now ("" when hidden): what tests and the status of a mode read."""
        self.kind = "info"
        self._sticky: tuple[str, str] | None = None
        self._timer: Timer | None = None

    def on_mount(self) -> None:
        self.display = bool(self.message)

    def say(self, message: str, kind: str = "info", *, sticky: bool = False) -> None:
        """Show ``message`` (literal text, never markup) until it times out, or with ``sticky`` until ``end_sticky``."""
        if sticky:
            self._sticky = (message, kind)
        self._show(message, kind)
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if not sticky and self.is_mounted:
            self._timer = self.set_timer(SECONDS.get(kind, SECONDS["info"]), self.clear)

    def end_sticky(self) -> None:
        """The mode is over: its message goes (a passing message shown over it stays its time)."""
        sticky, self._sticky = self._sticky, None
        if sticky is not None and (self.message, self.kind) == sticky:
            self._show("", "info")

    def clear(self) -> None:
        """The passing message has had its time: back to the mode's message, if any, else hidden."""
        self._timer = None
        self._show(*(self._sticky or ("", "info")))

    def _show(self, message: str, kind: str) -> None:
        self.message, self.kind = message, kind
        self.update(Text(message, style=KINDS.get(kind, "")))
        self.display = bool(message)


class KeyHints(Widget):
    """The most used keys on one line, as many whole hints as fit, in the order given (the first matter most).

    Textual's Footer would recompose on every focus change, which cost a third of the start-up
    time; these keys do not change, so the line is drawn from a fixed list.
    """

    def __init__(self, hints: Sequence[tuple[str, str]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.hints = list(hints)

    def render(self) -> Text:
        return fitted_hints(self.hints, self.size.width or None)


def fitted_hints(hints: Sequence[tuple[str, str]], width: int | None) -> Text:
    """``hints`` drawn as key badges with their words, stopping before the first that would be cut."""
    text = Text(no_wrap=True, overflow="crop")
    for key, description in hints:
        piece = Text.assemble((f" {key} ", "bold reverse"), f" {description}  ")
        if width is not None and text.cell_len + piece.cell_len - 2 > width:
            break
        text.append_text(piece)
    return text
