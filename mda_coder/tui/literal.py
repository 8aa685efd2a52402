"""User text for Textual widgets: shown as written, never read as markup.

Textual reads a ``str`` handed to ``Static``, ``Label``, ``OptionList``, ``SelectionList``,
``DataTable``, ``Tree``, a toggle button or a notification as markup: a turn's ``[skratt]``, a
code called ``[test]`` or a speaker ``[Anna]`` would vanish, and a memo holding ``[/b]`` would
stop the app. Every name, text or message that can hold a user's words goes through ``literal``;
strings of our own that carry markup (``[dim]…[/dim]`` in a hint) never hold a user's words.
"""

from __future__ import annotations

from rich.text import Text


def literal(value: str | Text | None, style: str = "") -> Text:
    """``value`` as text shown as written (a ``Text`` is already: it keeps its styles)."""
    if isinstance(value, Text):
        return value
    return Text("" if value is None else value, style=style)


def titled(title: str | Text, hint: str) -> Text:
    """A dialog's title, as written, and a dim hint of its keys after it."""
    return Text.assemble(literal(title), (f"   {hint}", "dim"))
