"""Consensus coding: review the units where coders disagree on a code and settle each into the `consensus` coder.

The use cases and the values they return; the steps behind them are the private modules beside this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mda_coder.services._lazy import face

if TYPE_CHECKING:
    from mda_coder.services.consensus._figures import Alpha, Figures, figures
    from mda_coder.services.consensus._review import adopt_agreed, default_coders, reload, review, settle
    from mda_coder.services.consensus._steps import CONSENSUS
    from mda_coder.services.consensus._values import (
        CoderCodings,
        Review,
        ReviewItem,
        SettledCoding,
        Settlement,
        Source,
        UnitRef,
    )

__all__ = [
    "CONSENSUS",
    "Alpha",
    "CoderCodings",
    "Figures",
    "Review",
    "ReviewItem",
    "SettledCoding",
    "Settlement",
    "Source",
    "UnitRef",
    "adopt_agreed",
    "default_coders",
    "figures",
    "reload",
    "review",
    "settle",
]

__getattr__ = face(
    __name__,
    {
        "_figures": ("Alpha", "Figures", "figures"),
        "_review": ("adopt_agreed", "default_coders", "reload", "review", "settle"),
        "_steps": ("CONSENSUS",),
        "_values": ("CoderCodings", "Review", "ReviewItem", "SettledCoding", "Settlement", "Source", "UnitRef"),
    },
)
