"""How close each text unit is to a few example texts: the cosine of their tf-idf rows, best example first."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from mda_coder.analysis.suggest.features import featurize
from mda_coder.nlp.words import Lemmatizer


def similar(units: Sequence[str], examples: Sequence[str], lemmatize: Lemmatizer | None) -> list[tuple[float, int]]:
    """For each unit, ``(similarity 0–1, index of the example it is closest to)``.

    Units and examples share one vocabulary (and idf), so a word in an example counts as much as
    it is rare among the units.
    """
    if not units or not examples:
        return [(0.0, 0) for _ in units]
    features = featurize([*units, *examples], lemmatize)
    x = features.matrix
    best = np.zeros(len(units))
    which = np.zeros(len(units), dtype=np.int64)
    unit_rows = x.take(np.arange(len(units)))
    for k in range(len(examples)):
        dense = np.zeros(x.columns)
        row = x.row(len(units) + k)
        if row:
            dense[list(row)] = list(row.values())
        cosine = unit_rows.dot(dense)
        better = cosine > best
        best[better], which[better] = cosine[better], k
    return [(float(round(b, 4)), int(w)) for b, w in zip(best, which)]
