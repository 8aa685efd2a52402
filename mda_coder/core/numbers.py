"""The range of whole numbers a project stores: what a CSV column or a command-line option may say."""

from __future__ import annotations

MAX_INTEGER = 2**63 - 1
"""Largest whole number SQLite stores (a signed 64-bit integer); ``--turn 99999999999999999999`` is past it."""
MIN_INTEGER = -(2**63)
"""Smallest whole number SQLite stores."""


def fits(number: int) -> bool:
    """Whether ``number`` can be stored (and so compared with what is stored) without overflowing."""
    return MIN_INTEGER <= number <= MAX_INTEGER
