"""The figures a consensus review shows for a code: α between the coders, and each coder against the consensus."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select

from mda_coder.i18n import Phrase
from mda_coder.services.agreement import Unit, agreement
from mda_coder.services.consensus._steps import CONSENSUS
from mda_coder.store.engine import Database
from mda_coder.store.models import Coder


@dataclass(frozen=True, slots=True)
class Alpha:
    """Krippendorff's α (nominal, binary units) for one code, or why there is none."""

    value: float | None
    undefined: str | None
    n_pairable: int
    """Units both (or all) sides coded, that entered the comparison."""


@dataclass(frozen=True, slots=True)
class Figures:
    code: str
    coders: tuple[str, ...]
    between: Alpha
    """α between the coders reviewed: what the review started from (settling does not change it)."""
    versus: tuple[tuple[str, Alpha], ...]
    """Per coder, α between them and the consensus as it is now."""
    include_subcodes: bool = False
    """The code's sub-codes counted as the code: whether any code of the family was applied."""


def _alpha(db: Database, coders: Sequence[str], unit: Unit, code: str, nobody: str, include_subcodes: bool) -> Alpha:
    report = agreement(db, coders, unit, codes=[code], include_subcodes=include_subcodes)
    row = next((c for c in report.codes if c.code == code), None)
    if row is None:
        return Alpha(None, nobody, 0)
    return Alpha(row.alpha.value, row.alpha.undefined, row.alpha.n_pairable)


def figures(db: Database, coders: Sequence[str], unit: Unit, code: str, include_subcodes: bool = False) -> Figures:
    """α for ``code`` between ``coders``, and between each of them and the consensus coder.

    A family review passes ``include_subcodes``: its figures are then for the code with its
    sub-codes counted as it (did the coders apply the family at all), which the review's
    finer question (which codes of it) refines but does not change.

    The consensus counts as having coded a document once it holds any coding there, as any
    coder does; before that its values there are missing, so early in a review "coder vs
    consensus" may be undefined, or rest on the few documents already settled.
    """
    names = tuple(coders)
    between = _alpha(db, names, unit, code, Phrase("none of the coders applied it"), include_subcodes)
    with db.transaction() as s:
        exists = s.scalar(select(Coder.id).where(Coder.name == CONSENSUS)) is not None
    versus = []
    for name in names:
        if exists:
            versus.append(
                (
                    name,
                    _alpha(
                        db,
                        (name, CONSENSUS),
                        unit,
                        code,
                        Phrase("neither {coder} nor {consensus} applied it", coder=name, consensus=CONSENSUS),
                        include_subcodes,
                    ),
                )
            )
        else:
            versus.append(
                (name, Alpha(None, Phrase("nothing is settled into {consensus} yet", consensus=CONSENSUS), 0))
            )
    return Figures(code, names, between, tuple(versus), include_subcodes)
