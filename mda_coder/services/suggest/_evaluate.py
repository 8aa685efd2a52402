"""How well a model finds a coder's codings it was not shown: stratified k-fold, seeded, per code.

The labelled units (positives and negatives, as a model learns them) are dealt into ``k`` folds,
positives and negatives each shuffled with the seed and dealt in turn, so every fold holds its
share of both. Each fold is held out once: a model trained on the others scores it, and a score of
0.5 or more counts as "the model would code it". Precision, recall and Krippendorff's α (nominal,
model and coder as two coders on the held-out units) are computed over all folds together. A
figure that cannot be computed is None with the reason, never 0.
"""

from __future__ import annotations

import zlib

import numpy as np
from sqlalchemy import select

from mda_coder.analysis.agreement import krippendorff_alpha
from mda_coder.analysis.suggest import Features, featurize, fit
from mda_coder.core.errors import MdaError
from mda_coder.i18n import Message
from mda_coder.services.suggest._learn import CONSENSUS, check_unit, folds_of, ground, lemmatizer
from mda_coder.services.suggest._values import MIN_NEGATIVES, MIN_POSITIVES, CodeFigures, Evaluation
from mda_coder.store import codes as code_repo
from mda_coder.store import codings as coding_repo
from mda_coder.store.engine import Database
from mda_coder.store.models import CodingRow

FOLDS = 5
SEED = 15


def evaluate(
    db: Database,
    *,
    coder: str,
    code: str | None = None,
    unit: str = "turn",
    consensus: bool = False,
    folds: int = FOLDS,
    seed: int = SEED,
) -> Evaluation:
    """Per code (``code``, or every code the coder has used), the held-out figures of a model of the coder's codings."""
    check_unit(unit)
    if folds < 2:
        raise MdaError(Message("--folds must be 2 or more (got {folds})", folds=folds))
    with db.transaction() as s:
        teacher = coding_repo.coder(s, CONSENSUS if consensus else coder, create=False)
        if code is not None:
            codes = [code_repo.paths(s)[code_repo.resolve(s, code).id]]
        else:
            used = set(s.scalars(select(CodingRow.code_id).where(CodingRow.coder_id == teacher.id).distinct()))
            paths = code_repo.paths(s)
            codes = sorted(paths[c] for c in used if c in paths)
        grounds = [ground(s, coder=coder, code=c, unit=unit, consensus=consensus) for c in codes]
    if not grounds:
        raise MdaError(Message("{coder} has coded nothing yet: there is nothing to evaluate", coder=teacher.name))
    lemmatize = lemmatizer(grounds[0].language)
    features = featurize(grounds[0].texts, lemmatize)
    figures = []
    for g in grounds:
        # Each code its own generator, from the seed and its name: its folds do not depend on which other codes are evaluated.
        rng = np.random.default_rng([seed, zlib.crc32(g.code.encode())])
        figures.append(_figures(g.code, features, g.positive, g.negative, folds, rng))
    return Evaluation(coder=coder, unit=unit, trained_on=teacher.name, seed=seed, codes=tuple(figures))


def _figures(
    code: str, features: Features, positive: np.ndarray, negative: np.ndarray, folds: int, rng: np.random.Generator
) -> CodeFigures:
    pos, neg = np.flatnonzero(positive), np.flatnonzero(negative & ~positive)
    if len(pos) < MIN_POSITIVES or len(neg) < MIN_NEGATIVES:
        return CodeFigures(
            code,
            len(pos),
            len(neg),
            0,
            0,
            0,
            0,
            0,
            None,
            None,
            None,
            Message(
                "too few codings: {positives} coded and {negatives} uncoded units; at least {min_pos} and {min_neg} needed",
                positives=len(pos),
                negatives=len(neg),
                min_pos=MIN_POSITIVES,
                min_neg=MIN_NEGATIVES,
            ),
        )
    k = min(folds, len(pos))
    labelled = np.concatenate((pos, neg))
    fold = folds_of(labelled, positive, k, rng)
    truth = positive[labelled]
    predicted = np.zeros(len(labelled), dtype=bool)
    x = features.matrix
    for f in range(k):
        train, test = labelled[fold != f], labelled[fold == f]
        model = fit(x.take(train), positive[train])
        predicted[fold == f] = model.scores(x.take(test)) >= 0.5
    tp = int((predicted & truth).sum())
    fp = int((predicted & ~truth).sum())
    fn = int((~predicted & truth).sum())
    tn = int((~predicted & ~truth).sum())
    alpha = krippendorff_alpha([[int(m), int(c)] for m, c in zip(predicted.tolist(), truth.tolist())])
    return CodeFigures(
        code=code,
        positives=len(pos),
        negatives=len(neg),
        folds=k,
        true_positives=tp,
        false_positives=fp,
        false_negatives=fn,
        true_negatives=tn,
        precision=tp / (tp + fp) if tp + fp else None,
        recall=tp / (tp + fn) if tp + fn else None,
        alpha=alpha.value,
        undefined=_why(alpha.undefined, tp + fp),
    )


def _why(alpha_undefined: str | None, coded: int) -> str | None:
    """Why a figure is missing: α's own reason, or that the model coded no held-out unit (no precision)."""
    if coded == 0:
        return Message("the model coded none of the held-out units: precision is undefined")
    return alpha_undefined
