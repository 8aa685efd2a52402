"""What assisted coding hands to the command line and the workspace: proposals, the model behind them, its figures."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from mda_coder.core.spans import Span

UNITS = ("turn", "sentence")
SOURCES = ("model", "search", "definition")
STATUSES = ("open", "accepted", "rejected", "skipped")
MIN_POSITIVES = 5
"""Fewer codings than this and a model would learn the coder's few examples by heart: refused."""
MIN_NEGATIVES = 5


@dataclass(frozen=True, slots=True)
class Word:
    """A word (or a pair of words) that pushed a proposal's score up, with its lemma when it differs."""

    word: str
    lemma: str | None
    weight: float
    """Its share of the score's log-odds in this unit."""

    def __str__(self) -> str:
        return f"{self.word} ({self.lemma})" if self.lemma else self.word


@dataclass(frozen=True, slots=True)
class ModelInfo:
    """What made a set of proposals: the provenance an accepted coding keeps."""

    kind: str
    """``logistic regression``, ``search`` or ``definition``."""
    trained_on: str
    """The coder whose codings it learned from (``consensus`` for the consensus codings); for a search, the query."""
    codings: int
    """How many codings of the code it learned from."""
    positives: int
    negatives: int
    rejected: int
    """Of the negatives, proposals the coder had rejected."""
    at: datetime
    features: str
    unit: str


@dataclass(frozen=True, slots=True)
class Proposal:
    """One proposed coding: where, how likely, and why."""

    id: int
    code: str
    coder: str
    document: str
    unit: str
    """``turn``, ``sentence`` or ``span``."""
    number: int | None
    """The turn or sentence number."""
    turn: int | None
    speaker: str | None
    span: Span
    text: str
    score: float
    source: str
    words: tuple[Word, ...]
    reason: str
    """Why, in words: the words that drove it, the query, or the example it is like."""
    status: str
    provenance: str
    """``suggested by … trained on N codings at T``."""
    decided_by: str | None = None
    coding_id: int | None = None

    @property
    def uncertainty(self) -> float:
        """How far from a coin toss the score is (0: the model cannot tell): teach-me order asks the smallest first."""
        return abs(self.score - 0.5)


@dataclass(frozen=True, slots=True)
class Passage:
    """A proposal's text where it was said: what comes before it (the turn before), it, and what follows."""

    before: str
    text: str
    after: str


@dataclass(frozen=True, slots=True)
class Suggested:
    """What one ``suggest`` run stored: the proposals listed, and what made them."""

    code: str
    coder: str
    unit: str
    source: str
    model: ModelInfo
    proposals: tuple[Proposal, ...]
    candidates: int
    """Units looked at (not coded with the code by the coder, not rejected before)."""
    replaced: int
    """Open proposals of the same code, coder and source the run replaced."""


@dataclass(frozen=True, slots=True)
class CodeFigures:
    """How well a model trained on part of a coder's codings of one code finds the rest (held-out units)."""

    code: str
    positives: int
    negatives: int
    folds: int
    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int
    precision: float | None
    recall: float | None
    alpha: float | None
    """Krippendorff's α (nominal) between the model and the coder on the held-out units."""
    undefined: str | None = None
    """Why there are no figures (too few codings), or why some are undefined."""


@dataclass(frozen=True, slots=True)
class Evaluation:
    coder: str
    unit: str
    trained_on: str
    seed: int
    codes: tuple[CodeFigures, ...]
