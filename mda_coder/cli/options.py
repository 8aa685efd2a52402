"""The options that mean the same in every command: which documents, coders and codes a command looks at.

- ``--document/-d NAME`` chooses documents among the project's (repeat it, or ``A,B``); a command
  about one document takes DOCUMENT as an argument instead.
- ``--coder/-c NAME`` chooses coders the same way (``consensus`` is a coder like any other).
- ``--codes A,B`` is these codes *and their sub-codes*; ``--code NAME`` is always one code, exactly
  that one (the code to apply, remove or write a memo on, or in ``codings list`` a filter without
  the sub-codes).
- Every number (``--turn``, ``--sentence``, ``--last``, ``--seed``, ``--bootstrap`` …) is a
  :class:`WholeNumber`: one the project can store, else one line saying so, never an overflow.

The README's "Options that mean the same everywhere" says the same for users.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import click

from mda_coder.core.numbers import MAX_INTEGER, MIN_INTEGER
from mda_coder.i18n import CLI

F = TypeVar("F", bound=Callable[..., Any])
_ = CLI.gettext


class WholeNumber(click.IntRange):
    """A whole number option, refused in one line when SQLite could not store it (past 64 bits).

    ``min`` and ``max`` are the option's own bounds, shown in the help as click shows an
    ``IntRange``'s; the 64-bit bounds apply to every number option and are not shown.
    """

    name = "integer"

    def __init__(self, min: int | None = None, max: int | None = None) -> None:
        super().__init__(min=min, max=max)

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Any:
        number = super().convert(value, param, ctx)  # the option's own bounds first: they say the most
        if number > MAX_INTEGER:
            self.fail(
                _("{value} is too large: the largest number is {largest}").format(value=number, largest=MAX_INTEGER),
                param,
                ctx,
            )
        if number < MIN_INTEGER:
            self.fail(
                _("{value} is too small: the smallest number is {smallest}").format(value=number, smallest=MIN_INTEGER),
                param,
                ctx,
            )
        return number

    def _describe_range(self) -> str:
        """The option's own bounds (``x>=1``), nothing for a number without any."""
        return "" if self.min is None and self.max is None else super()._describe_range()


def names(values: Iterable[str] | None) -> tuple[str, ...]:
    """Repeated options and comma-separated lists alike: ``--coder anna,erik`` or ``--coder anna --coder erik``."""
    return tuple(dict.fromkeys(v.strip() for value in values or () for v in value.split(",") if v.strip()))


def documents_option(help: str = "Only this document (repeat, or A,B).") -> Callable[[F], F]:
    return click.option("--document", "-d", "documents", multiple=True, metavar="NAME", help=help)


def coders_option(help: str = "Only this coder's codings (repeat, or A,B).") -> Callable[[F], F]:
    return click.option("--coder", "-c", "coders", multiple=True, metavar="NAME", help=help)


def codes_option(
    help: str = "Only these codes (names or paths) and their sub-codes (repeat, or A,B).",
) -> Callable[[F], F]:
    return click.option("--codes", "codes", multiple=True, metavar="A,B", help=help)


def old_spelling(flag: str, dest: str) -> Callable[[F], F]:
    """An option's earlier name, still accepted and left out of the help (``agree --coders A,B``)."""
    return click.option(flag, dest, multiple=True, hidden=True)


FORCE = click.option(
    "--force",
    is_flag=True,
    help="Replace files that already exist (without it, an existing file is never written over).",
)
"""Every command that writes a file takes ``--force``; without it an existing file is refused, not replaced."""
