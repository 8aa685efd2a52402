"""Correct a document's text after coding has begun: every coding, turn, sentence and memo stays on its words.

The use cases and the values they return; the steps behind them are the private modules beside this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mda_coder.services._lazy import face

if TYPE_CHECKING:
    from mda_coder.services.corrections._use import (
        apply_text,
        correct_text,
        edit_turn,
        flags,
        merge_turns,
        replace_document,
        resolve_flags,
        set_speaker,
        split_turn,
        turn_text,
    )
    from mda_coder.services.corrections._values import CorrectionReport, FlagInfo, MovedSpan

__all__ = [
    "CorrectionReport",
    "FlagInfo",
    "MovedSpan",
    "apply_text",
    "correct_text",
    "edit_turn",
    "flags",
    "merge_turns",
    "replace_document",
    "resolve_flags",
    "set_speaker",
    "split_turn",
    "turn_text",
]

__getattr__ = face(
    __name__,
    {
        "_use": (
            "apply_text",
            "correct_text",
            "edit_turn",
            "flags",
            "merge_turns",
            "replace_document",
            "resolve_flags",
            "set_speaker",
            "split_turn",
            "turn_text",
        ),
        "_values": ("CorrectionReport", "FlagInfo", "MovedSpan"),
    },
)
