"""Printing for the CLI: rich tables for people, JSON for scripts."""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import click
from rich.console import Console
from rich.table import Table
from rich.text import Text

from mda_coder.core.spans import Span


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
    # Piped output (a file, a pager, a test) has no width of its own: give tables room
    # instead of Rich's 80 columns, so that they are not cut for the reader of the file.
    probe = Console()
    width = None if probe.is_terminal else 160
    return Console(highlight=False, soft_wrap=True, width=width)


WRAPPING = ("text", "definition", "role", "reading")
"""Free-text columns: these wrap; every other column keeps its values on one line."""


def table(title: str | None, columns: Sequence[str], rows: Sequence[Sequence[Any]], *, justify_right: Sequence[str] = ()) -> None:
    t = Table(title=title, title_justify="left", show_edge=False, pad_edge=False, header_style="bold")
    for col in columns:
        wraps = col in WRAPPING
        t.add_column(
            col,
            justify="right" if col in justify_right else "left",
            no_wrap=not wraps,
            overflow="fold" if wraps else "ellipsis",
            ratio=1 if wraps else None,
            min_width=None if wraps else len(col),
        )
    for row in rows:
        # Cells are literal: a turn reading "[skratt] ja" must not lose "[skratt]" as markup.
        t.add_row(*(Text("" if v is None else str(v)) for v in row))
    console().print(t)
