"""The options that mean the same in every command: which documents, coders and codes a command looks at.

- ``--document/-d NAME`` chooses documents among the project's (repeat it, or ``A,B``); a command
  about one document takes DOCUMENT as an argument instead.
- ``--coder/-c NAME`` chooses coders the same way (``consensus`` is a coder like any other).
- ``--codes A,B`` is these codes *and their sub-codes*; ``--code NAME`` is always one code, exactly
  that one (the code to apply, remove or write a memo on, or in ``codings list`` a filter without
  the sub-codes).

The README's "Options that mean the same everywhere" says the same for users.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click

F = TypeVar("F", bound=Callable[..., Any])


def names(values: Iterable[str] | None) -> tuple[str, ...]:
    """Repeated options and comma-separated lists alike: ``--coder anna,erik`` or ``--coder anna --coder erik``."""
    return tuple(dict.fromkeys(v.strip() for value in values or () for v in value.split(",") if v.strip()))


def documents_option(help: str = "Only this document (repeat, or A,B).") -> Callable[[F], F]:
    return click.option("--document", "-d", "documents", multiple=True, metavar="NAME", help=help)


def coders_option(help: str = "Only this coder's codings (repeat, or A,B).") -> Callable[[F], F]:
    return click.option("--coder", "-c", "coders", multiple=True, metavar="NAME", help=help)


def codes_option(help: str = "Only these codes (names or paths) and their sub-codes (repeat, or A,B).") -> Callable[[F], F]:
    return click.option("--codes", "codes", multiple=True, metavar="A,B", help=help)


def old_spelling(flag: str, dest: str) -> Callable[[F], F]:
    """An option's earlier name, still accepted and left out of the help (``agree --coders A,B``)."""
    return click.option(flag, dest, multiple=True, hidden=True)


FORCE = click.option("--force", is_flag=True, help="Replace files that already exist (without it, an existing file is never written over).")
"""Every command that writes a file takes ``--force``; without it an existing file is refused, not replaced."""
