"""Assisted coding: proposals learned from a coder's own codings, from a search or a code's examples, and their review.

Nothing leaves the machine and nothing is downloaded: the model is a logistic regression fitted here,
on this project. A proposal is never a coding: only a person accepting it makes one (journalled,
undoable, with the proposal as its provenance). The use cases and the values they return; the steps
behind them are the private modules beside this one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mda_coder.services._lazy import face

if TYPE_CHECKING:
    from mda_coder.services.suggest._evaluate import FOLDS, SEED, evaluate
    from mda_coder.services.suggest._propose import (
        DEFAULT_LIMIT,
        QueuedHits,
        find_everywhere,
        queue,
        queue_hits,
        suggest,
    )
    from mda_coder.services.suggest._review import ORDERS, context, decide, proposals
    from mda_coder.services.suggest._values import (
        MIN_NEGATIVES,
        MIN_POSITIVES,
        SOURCES,
        STATUSES,
        UNITS,
        CodeFigures,
        Evaluation,
        ModelInfo,
        Passage,
        Proposal,
        Suggested,
        Word,
    )

__all__ = [
    "DEFAULT_LIMIT",
    "FOLDS",
    "MIN_NEGATIVES",
    "MIN_POSITIVES",
    "ORDERS",
    "SEED",
    "SOURCES",
    "STATUSES",
    "UNITS",
    "CodeFigures",
    "Evaluation",
    "ModelInfo",
    "Passage",
    "Proposal",
    "QueuedHits",
    "Suggested",
    "Word",
    "context",
    "decide",
    "evaluate",
    "find_everywhere",
    "proposals",
    "queue",
    "queue_hits",
    "suggest",
]

__getattr__ = face(
    __name__,
    {
        "_evaluate": ("FOLDS", "SEED", "evaluate"),
        "_propose": ("DEFAULT_LIMIT", "QueuedHits", "find_everywhere", "queue", "queue_hits", "suggest"),
        "_review": ("ORDERS", "context", "decide", "proposals"),
        "_values": (
            "MIN_NEGATIVES",
            "MIN_POSITIVES",
            "SOURCES",
            "STATUSES",
            "UNITS",
            "CodeFigures",
            "Evaluation",
            "ModelInfo",
            "Passage",
            "Proposal",
            "Suggested",
            "Word",
        ),
    },
)
