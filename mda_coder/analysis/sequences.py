"""Which code follows which from one turn to the next, and whether the speaker changed in between.

A transition A → B is a pair of consecutive turns of one document, A on the first and B on the
second; a pair with several codes on each side is one transition for each combination. Counts are
of turn pairs, so two codings of A on one turn make one transition, not two.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from mda_coder.analysis.cooccurrence import Value
from mda_coder.analysis.units import INT

NO_NEXT = "the first code is on no turn that another turn follows"


@dataclass(frozen=True, slots=True)
class Transitions:
    """codes × codes counts of turn pairs, split by what happened to the speaker."""

    total: np.ndarray
    changed: np.ndarray
    """Pairs where both turns have a speaker and they differ."""
    same: np.ndarray
    """Pairs where one speaker has both turns."""
    followed: np.ndarray
    """Per code: turns with the code that another turn follows (the denominator of ``share``)."""

    def share(self, a: int, b: int) -> Value:
        """Of the turns with A that another turn follows, the share whose next turn has B."""
        n = int(self.followed[a])
        return Value(int(self.total[a, b]) / n) if n else Value(None, NO_NEXT)


def transitions(present: np.ndarray, doc: np.ndarray, speaker: np.ndarray) -> Transitions:
    """From turns × codes presence (turns in document order) to the transition counts.

    Consecutive means consecutive rows of the same document: when the caller has left some turns
    out (the moderator's, say), the next turn is the next one kept. ``speaker`` is −1 for a turn
    without a speaker; such pairs count in ``total`` only, neither as changed nor as same.
    """
    k = present.shape[1]
    if present.shape[0] < 2:
        zero = np.zeros((k, k), dtype=INT)
        return Transitions(zero, zero.copy(), zero.copy(), np.zeros(k, dtype=INT))
    linked = doc[1:] == doc[:-1]
    before, after = present[:-1].astype(np.float64), present[1:].astype(np.float64)
    known = (speaker[1:] >= 0) & (speaker[:-1] >= 0)
    differ = known & (speaker[1:] != speaker[:-1])
    equal = known & (speaker[1:] == speaker[:-1])

    def count(mask: np.ndarray) -> np.ndarray:
        counts: np.ndarray = np.rint(before[mask].T @ after[mask]).astype(INT)
        return counts

    return Transitions(
        count(linked), count(linked & differ), count(linked & equal), present[:-1][linked].sum(axis=0).astype(INT)
    )
