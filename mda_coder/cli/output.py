"""Printing for the CLI: literal text and fitted tables for people (see ``tables``), JSON for scripts."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import click
from rich.console import Console
from rich.text import Text

from mda_coder.cli.tables import NAME, NUMBER, TEXT, Column, print_table
from mda_coder.core.spans import Span
from mda_coder.i18n import CLI


def _plain(value: Any) -> Any:
    if isinstance(value, Span):
        return {"start": value.start, "end": value.end}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    return value


def emit_json(value: Any) -> None:
    click.echo(json.dumps(_plain(value), ensure_ascii=False, indent=2))


def console() -> Console:
    """The console every command prints to: user text literal, prose wrapped on a terminal only.

    Markup and emoji codes are off, so a turn reading ``[skratt] ja`` or a code called ``[test]``
    prints as written (a ``[/b]`` in a memo would otherwise stop the command). On a terminal,
    prose wraps at words at its width; in a pipe or a file every line stays whole.
    ``TTY_COMPATIBLE=1`` with ``COLUMNS=80`` makes any output behave as an 80-column terminal.
    """
    terminal = Console().is_terminal
    return Console(markup=False, emoji=False, highlight=False, soft_wrap=not terminal)


def say(out: Console, line: str | Text = "") -> None:
    """One line of prose, printed as written (no markup), wrapped at words on a terminal."""
    out.print(line if isinstance(line, Text) else Text(line))


WRAPPING = ("text", "definition", "role", "reading", "layout")
"""Free-text columns of the listings: these wrap first; other columns are names, or numbers when right-aligned."""


def table(
    title: str | None,
    columns: Sequence[str | Column],
    rows: Sequence[Sequence[Any]],
    *,
    justify_right: Sequence[str] = (),
    keys: int = 1,
) -> None:
    """A listing (turns, codings, documents …): fitted to the terminal, or plain aligned columns in a file.

    ``columns`` are English headings marked with ``N_``: the kind of each is known by its English
    name, and it is shown in the interface's language.
    """
    shaped = [
        c
        if isinstance(c, Column)
        else Column(CLI.gettext(c), NUMBER if c in justify_right else TEXT if c in WRAPPING else NAME)
        for c in columns
    ]
    print_table(console(), shaped, rows, title=title, keys=keys)
