"""A team on one PostgreSQL server: move a project there, give each coder a role, and know who is connected.

The use cases and the values they take; the steps behind them are the private modules beside this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mda_coder.services._lazy import face

if TYPE_CHECKING:
    from mda_coder.services.server._password import scram_verifier, set_password
    from mda_coder.services.server._team import (
        Member,
        Team,
        acting_coder,
        add_coder,
        init_server,
        list_team,
        remove_coder,
        set_blind,
        upgrade_server,
        whoami,
    )

__all__ = [
    "Member",
    "Team",
    "acting_coder",
    "add_coder",
    "init_server",
    "list_team",
    "remove_coder",
    "scram_verifier",
    "set_blind",
    "set_password",
    "upgrade_server",
    "whoami",
]

__getattr__ = face(
    __name__,
    {
        "_team": (
            "Member",
            "Team",
            "acting_coder",
            "add_coder",
            "remove_coder",
            "init_server",
            "list_team",
            "set_blind",
            "upgrade_server",
            "whoami",
        ),
        "_password": ("scram_verifier", "set_password"),
    },
)
