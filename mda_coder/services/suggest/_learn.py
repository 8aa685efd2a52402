"""What a model learns from for one code and coder: the units, their texts, labels and the candidates to score."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mda_coder.core.errors import MdaError, ProjectError
from mda_coder.i18n import Message
from mda_coder.nlp import search as text_search
from mda_coder.services.suggest import _units
from mda_coder.services.suggest._values import MIN_NEGATIVES, MIN_POSITIVES, UNITS
from mda_coder.store import codes as code_repo
from mda_coder.store import codings as coding_repo
from mda_coder.store import settings
from mda_coder.store.models import CodingRow
from mda_coder.store.suggestions import UNIT_WORDS

CONSENSUS = "consensus"
"""The coder that holds the settled consensus codings (``services.consensus``)."""


@dataclass(frozen=True)
class Ground:
    """One code's training ground: every unit, and which ones are coded, not coded, or to propose on."""

    code: str
    code_id: int
    coder: str
    """Whose queue the proposals go to."""
    coder_id: int
    trained_on: str
    codings: int
    unit: str
    units: list[_units.Unit]
    texts: list[str]
    positive: np.ndarray
    negative: np.ndarray
    rejected: np.ndarray
    candidate: np.ndarray
    language: str

    @property
    def labelled(self) -> np.ndarray:
        both: np.ndarray = self.positive | self.negative
        return both


def check_unit(unit: str) -> None:
    if unit not in UNITS:
        raise MdaError(Message("unknown unit '{unit}' (units: {units})", unit=unit, units=", ".join(UNITS)))


def ground(session: Session, *, coder: str, code: str, unit: str, consensus: bool = False) -> Ground:
    """Read what a model for ``code`` learns from: ``coder``'s codings (or the consensus codings) at ``unit``."""
    check_unit(unit)
    code_row = code_repo.resolve(session, code)
    queue_coder = coding_repo.coder(session, coder)
    teacher = coding_repo.coder(session, CONSENSUS, create=False) if consensus else queue_coder
    units = _units.read_units(session, unit)
    if not units:
        raise ProjectError(
            Message("the project has no {units} to learn from: import transcripts first", units=UNIT_WORDS[unit])
        )
    spans = _units.coded_spans(session, teacher.id, code_row.id)
    positive = _units.overlapping(units, spans)
    rejected = _units.marked(units, _units.rejected_spans(session, queue_coder.id, code_row.id)) & ~positive
    touched = _units.touched(session, teacher.id)
    in_touched = np.fromiter((u.document_id in touched for u in units), dtype=bool, count=len(units))
    negative = (in_touched & ~positive) | rejected
    own = (
        positive
        if teacher.id == queue_coder.id
        else _units.overlapping(units, _units.coded_spans(session, queue_coder.id, code_row.id))
    )
    candidate = ~positive & ~rejected & ~own
    codings = session.scalar(
        select(func.count()).where(CodingRow.coder_id == teacher.id, CodingRow.code_id == code_row.id)
    )
    return Ground(
        code=code_repo.paths(session)[code_row.id],
        code_id=code_row.id,
        coder=queue_coder.name,
        coder_id=queue_coder.id,
        trained_on=teacher.name,
        codings=int(codings or 0),
        unit=unit,
        units=units,
        texts=_units.texts(session, units),
        positive=positive,
        negative=negative,
        rejected=rejected,
        candidate=candidate,
        language=settings.get(session, "language") or "sv",
    )


def enough(g: Ground) -> None:
    """Refuse, in one line, to learn from too few codings: say how many there are and how many are needed."""
    positives, negatives = int(g.positive.sum()), int(g.negative.sum())
    if positives < MIN_POSITIVES or negatives < MIN_NEGATIVES:
        raise MdaError(
            Message(
                "too few codings to learn '{code}' from: {coder} has coded {positives} {units} with it (and left "
                "{negatives} uncoded in the documents coded); suggestions need at least {min_pos} coded and "
                "{min_neg} uncoded",
                code=g.code,
                coder=g.trained_on,
                positives=positives,
                negatives=negatives,
                units=UNIT_WORDS[g.unit],
                min_pos=MIN_POSITIVES,
                min_neg=MIN_NEGATIVES,
            )
        )


def lemmatizer(language: str) -> text_search.Lemmatizer | None:
    return text_search.lemma_lookup(language)


def folds_of(labelled: np.ndarray, positive: np.ndarray, k: int, rng: np.random.Generator) -> np.ndarray:
    """A fold number (0 … k−1) for each labelled unit: positives and negatives each shuffled and dealt in turn."""
    fold = np.zeros(len(labelled), dtype=np.int64)
    is_positive = positive[labelled]
    for group in (np.flatnonzero(is_positive), np.flatnonzero(~is_positive)):
        shuffled = group[rng.permutation(len(group))]
        fold[shuffled] = np.arange(len(shuffled)) % k
    return fold
