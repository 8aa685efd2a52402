"""Who is acting when nobody was named: the operating-system user."""

from __future__ import annotations

import getpass


def system_actor() -> str:
    """Who did a project-level action when no coder is named: the OS user."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in some containers
        return "unknown"
