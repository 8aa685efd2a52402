"""Pseudonymisation: a key of names and their pseudonyms, proposed from the project, applied to it or to a copy, and back.

The use cases and the values they return; the steps behind them are the private modules beside this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mda_coder.services._lazy import face

if TYPE_CHECKING:
    from mda_coder.services.pseudonymise._apply import pseudonymise
    from mda_coder.services.pseudonymise._propose import check_names, propose_key
    from mda_coder.services.pseudonymise._values import (
        DocumentChange,
        KeyProposal,
        NameLeft,
        ProposedName,
        Pseudonymised,
    )

__all__ = [
    "DocumentChange",
    "KeyProposal",
    "NameLeft",
    "ProposedName",
    "Pseudonymised",
    "check_names",
    "propose_key",
    "pseudonymise",
]

__getattr__ = face(
    __name__,
    {
        "_apply": ("pseudonymise",),
        "_propose": ("check_names", "propose_key"),
        "_values": ("DocumentChange", "KeyProposal", "NameLeft", "ProposedName", "Pseudonymised"),
    },
)
