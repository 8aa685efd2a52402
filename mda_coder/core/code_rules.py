"""The rules a code must follow wherever it comes from (a YAML file or the code tree editor).

Each check returns the problem as a message fit for the user, or None; the messages are
those the codebook reader gives, without its file and line.
"""

from __future__ import annotations

import re

from mda_coder.core.codebook import PATH_SEPARATOR

COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
"""A code colour: ``#rrggbb``."""


def name_problem(name: str) -> str | None:
    if not name.strip():
        return "a code needs a name"
    if PATH_SEPARATOR in name:
        return f"code name '{name}' contains '{PATH_SEPARATOR}', which separates code paths"
    if len(name) > 200:
        return f"code name '{name[:40]}…' is longer than 200 characters"
    return None


def color_problem(path: str, color: str) -> str | None:
    if not COLOR.match(color):
        return f"color of '{path}' must look like #1f77b4 (got '{color}')"
    return None


def key_problem(path: str, key: str) -> str | None:
    if len(key) != 1 or key.isspace():
        return f"key of '{path}' must be one character (got '{key}')"
    return None


def key_taken(key: str, path: str, owner: str) -> str:
    return f"key '{key}' of '{path}' is already the key of '{owner}'"


def name_taken(name: str, parent: str | None) -> str:
    return f"code '{name}' already exists under '{parent or 'the top level'}'"
