"""Teamwork in separate copies: a coder's working copy (blind or not), and merging copies back exactly.

The use cases and the values they return; the steps behind them are the private modules beside this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mda_coder.services._lazy import face

if TYPE_CHECKING:
    from mda_coder.services.teamwork._base import MERGE
    from mda_coder.services.teamwork._copy import CopyMade, copy_for_coder
    from mda_coder.services.teamwork._merge import CopyMerged, MergeResult, merge_copies
    from mda_coder.services.teamwork._plan import Conflict

__all__ = [
    "MERGE",
    "Conflict",
    "CopyMade",
    "CopyMerged",
    "MergeResult",
    "copy_for_coder",
    "merge_copies",
]

__getattr__ = face(
    __name__,
    {
        "_base": ("MERGE",),
        "_copy": ("CopyMade", "copy_for_coder"),
        "_merge": ("CopyMerged", "MergeResult", "merge_copies"),
        "_plan": ("Conflict",),
    },
)
