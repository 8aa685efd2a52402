"""Undo and redo, per coder and many levels deep, computed from the journal alone; the journal in words.

The use cases and the values they return; the steps behind them are the private modules beside this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mda_coder.services._lazy import face

if TYPE_CHECKING:
    from mda_coder.services.history._steps import UNDOABLE
    from mda_coder.services.history._undo import (
        HistoryStep,
        NotShown,
        history_state,
        redo,
        undo,
    )

__all__ = [
    "UNDOABLE",
    "HistoryStep",
    "NotShown",
    "history_state",
    "redo",
    "undo",
]

__getattr__ = face(
    __name__,
    {
        "_steps": ("UNDOABLE",),
        "_undo": (
            "HistoryStep",
            "NotShown",
            "history_state",
            "redo",
            "undo",
        ),
    },
)
