"""Consensus coding: review the units where coders disagree on a code and settle each into the `consensus` coder.

A review lists, per code, every turn (or sentence) on which the chosen coders gave different
values, with each coder's codings there; a code with sub-codes is one family, whose units come up
once with each coder's codes of the family (one applying ``tilltro``, another ``tilltro/tvivel``,
is one unit to settle, not two). Settling a unit copies the codings decided on into the
coder ``consensus`` and records the decision with where each consensus coding came from (a row
of ``consensus_decisions``), in one transaction journalled as the consensus coder's action, so
that undo and redo work as for any coding. The units all coders applied a code to can be adopted
in one step, so that the consensus holds agreed and settled codings alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from mda_coder.core.errors import MdaError
from mda_coder.core.spans import Span
from mda_coder.services.agreement import Unit, agreement
from mda_coder.services.consensus._items import Pair, family_of, family_pairs, items
from mda_coder.services.consensus._steps import (
    ADOPT,
    CONSENSUS,
    SETTLE,
    Made,
    overlapping,
    record,
    settle_unit,
    union,
    unit_span,
)
from mda_coder.services.consensus._units import agreed_units
from mda_coder.services.consensus._values import (
    CoderCodings,
    Review,
    ReviewItem,
    SettledCoding,
    Settlement,
    Source,
    UnitRef,
)
from mda_coder.store import codes as code_repo
from mda_coder.store import codings as coding_repo
from mda_coder.store import consensus as decision_repo
from mda_coder.store import documents as doc_repo
from mda_coder.store.engine import Database
from mda_coder.store.models import Coder, CodeRow, CodingRow, Document

__all__ = [
    "CONSENSUS",
    "CoderCodings",
    "Review",
    "ReviewItem",
    "SettledCoding",
    "Settlement",
    "Source",
    "UnitRef",
    "adopt_agreed",
    "default_coders",
    "reload",
    "review",
    "settle",
]

SETTLE_DECISIONS = ("take", "both", "neither", "span")


def default_coders(db: Database) -> list[str]:
    """Every coder with at least one coding, but the consensus coder, in the order they started."""
    with db.transaction() as s:
        query = select(Coder.name).where(Coder.id.in_(select(CodingRow.coder_id).distinct()), Coder.name != CONSENSUS)
        return list(s.scalars(query.order_by(Coder.id)))


def _names(db: Database, coders: Sequence[str] | None) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(c.strip() for c in (coders if coders is not None else default_coders(db)) if c.strip()))
    if CONSENSUS in names:
        raise MdaError(f"'{CONSENSUS}' holds the settled codings and cannot be one of the coders reviewed")
    if len(names) < 2:
        have = ", ".join(names) or "none"
        raise MdaError(f"reviewing needs two or more coders with codings (have: {have})")
    return names


def review(db: Database, coders: Sequence[str] | None = None, unit: Unit = "turn", code: str | None = None) -> Review:
    """The units ``coders`` (default: all with codings) disagree on, for ``code`` and its sub-codes or every code.

    A code with sub-codes is reviewed as one family: each unit once, with each coder's codes of the
    family there. Every code (no ``code``) is reviewed code by code, as the agreement counts them.
    """
    names = _names(db, coders)
    report = agreement(db, names, unit, codes=[code] if code else None)
    rank = {name: i for i, name in enumerate(report.documents)}
    pairs: list[Pair] = [
        (UnitRef(c.code, d.document, unit, d.unit), d.values) for c in report.codes for d in c.disagreements
    ]
    with db.transaction() as s:
        if code:
            paths = code_repo.paths(s)
            root = paths[code_repo.resolve(s, code).id]
            if len(family_of(paths, root)) > 1:
                pairs = family_pairs(pairs, root)
        pairs.sort(key=lambda p: (rank[p[0].document], p[0].number, p[0].code))
        listed = items(s, names, unit, pairs)
        agreed = agreed_units(s, names, unit, code)
        adopted = sum(1 for a in agreed if a.decided)
    return Review(names, unit, code, tuple(listed), len(agreed), adopted)


def reload(db: Database, current: Review) -> Review:
    """The same units read again (after undo or redo, or another process's changes): codings and decisions."""
    pairs = [(item.ref, tuple(c.value for c in item.coders)) for item in current.items]
    with db.transaction() as s:
        listed = items(s, current.coders, current.unit, pairs)
        agreed = agreed_units(s, current.coders, current.unit, current.code)
    return replace(current, items=tuple(listed), adopted=sum(1 for a in agreed if a.decided))


def settle(
    db: Database,
    item: ReviewItem,
    decision: str,
    *,
    reviewer: str,
    take: str | None = None,
    span: tuple[int, int] | None = None,
    code: str | None = None,
) -> ReviewItem:
    """Settle one unit: ``take`` one coder's codings, ``both`` (everyone's, joined), ``neither``, or a ``span``.

    In a family review the decision holds for every code of the family on the unit (one decision
    each, kept per code as in any review), and a ``span`` goes to ``code`` (a code of the family;
    needed when more than one is in play there), the family's other codes there to none. One
    transaction, journalled as the consensus coder's action; returns the unit as it is now.
    """
    if decision not in SETTLE_DECISIONS:
        raise MdaError(f"unknown decision '{decision}': use take, both, neither or span")
    ref = item.ref
    compared = [c.coder for c in item.coders]
    with db.transaction() as s:
        doc = doc_repo.get(s, ref.document)
        within, _ = unit_span(s, doc, ref.unit, ref.number)
        ids = {name: coding_repo.coder(s, name, create=False).id for name in compared}
        chosen: Span | None = None
        if decision == "take":
            if take not in ids:
                raise MdaError(
                    f"take whose codings? '{take}' is not one of the coders reviewed ({', '.join(compared)})"
                )
            if not s.scalar(
                select(CodingRow.id).where(CodingRow.coder_id == ids[take], CodingRow.document_id == doc.id).limit(1)
            ):
                raise MdaError(f"{take} did not code '{doc.name}' at all: take another coder, or settle with neither")
        elif decision == "span":
            if span is None:
                raise MdaError("say which span the consensus coding covers (start-end)")
            chosen = _inside(span, within, ref)
        consensus = coding_repo.coder(s, CONSENSUS)
        plan = (
            _family_plan(s, ref, doc, within, ids, consensus, decision, code)
            if ref.family
            else [(code_repo.resolve(s, ref.code).id, decision)]
        )
        steps = [(code_id, kind, *_made(s, kind, code_id, doc, within, ids, take, chosen)) for code_id, kind in plan]
        # Codes left with no coding first, so that their consensus codings are gone before others are
        # added (in a mutually exclusive group the consensus may swap one code for another).
        steps.sort(key=lambda step: bool(step[2]))
        units = []
        for code_id, kind, made, taken in steps:
            code_row = s.get(CodeRow, code_id)
            assert code_row is not None
            units.append(
                settle_unit(
                    s,
                    consensus=consensus,
                    code=code_row,
                    doc=doc,
                    unit=ref.unit,
                    position=ref.number,
                    span=within,
                    decision=kind,
                    compared=compared,
                    taken=taken,
                    made=made,
                    reviewer=reviewer,
                )
            )
        record(s, SETTLE, units)
        return items(s, tuple(compared), ref.unit, [(ref, tuple(c.value for c in item.coders))])[0]


def adopt_agreed(
    db: Database, coders: Sequence[str] | None = None, unit: Unit = "turn", code: str | None = None, *, reviewer: str
) -> int:
    """Copy every unit all coders applied a code to into the consensus (one undoable step); returns how many.

    Units the consensus already has a decision for are left as they are.
    """
    names = _names(db, coders)
    with db.transaction() as s:
        consensus = coding_repo.coder(s, CONSENSUS)
        todo = [a for a in agreed_units(s, names, unit, code) if not a.decided]
        units = []
        for a in todo:
            doc, code_row = s.get(Document, a.document_id), s.get(CodeRow, a.code_id)
            assert doc is not None and code_row is not None
            made = union(a.sources, a.span)
            units.append(
                settle_unit(
                    s,
                    consensus=consensus,
                    code=code_row,
                    doc=doc,
                    unit=unit,
                    position=a.position,
                    span=a.span,
                    decision="agreed",
                    compared=list(names),
                    taken=_coders_of(made, names),
                    made=made,
                    reviewer=reviewer,
                )
            )
        if units:
            record(s, ADOPT, units)
        return len(units)


# -- reading ------------------------------------------------------------------------------------


def _coders_of(made: Sequence[Made], order: Sequence[str]) -> list[str]:
    have = {row.coder.name for m in made for row in m.sources}
    return [name for name in order if name in have]


def _inside(span: tuple[int, int], within: Span, ref: UnitRef) -> Span:
    start, end = span
    if not (within.start <= start < end <= within.end):
        raise MdaError(
            f"span {start}-{end} is not inside {ref.unit} {ref.number} of '{ref.document}' ({within.start}-{within.end})"
        )
    return Span(start, end)


def _made(
    s: Session,
    decision: str,
    code_id: int,
    doc: Document,
    within: Span,
    ids: dict[str, int],
    take: str | None,
    chosen: Span | None,
) -> tuple[list[Made], list[str]]:
    """The consensus codings of one code a decision makes in the unit, and the coders they come from."""
    everyone = list(ids.values())
    if decision == "take":
        assert take is not None
        return union(overlapping(s, [ids[take]], code_id, doc.id, within), within), [take]
    if decision == "both":
        made = union(overlapping(s, everyone, code_id, doc.id, within), within)
        return made, _coders_of(made, list(ids))
    if decision == "span":
        assert chosen is not None
        made = [Made(chosen, tuple(overlapping(s, everyone, code_id, doc.id, chosen)))]
        return made, _coders_of(made, list(ids))
    return [], []


def _family_plan(
    s: Session,
    ref: UnitRef,
    doc: Document,
    within: Span,
    ids: dict[str, int],
    consensus: Coder,
    decision: str,
    code: str | None,
) -> list[tuple[int, str]]:
    """Each code of the family in play on the unit, in path order, with the decision it gets there.

    In play: a code a coder or the consensus has on the unit, or one decided there before (so that
    deciding again replaces every earlier decision on the unit).
    """
    family = family_of(code_repo.paths(s), ref.code)
    coders = [*ids.values(), consensus.id]
    in_play = [
        i
        for i in sorted(family, key=family.__getitem__)
        if overlapping(s, coders, i, doc.id, within)
        or decision_repo.find(s, i, doc.id, ref.unit, ref.number) is not None
    ]
    if decision != "span":
        if not in_play:
            raise MdaError(
                f"nobody has {ref.code} or its sub-codes on {ref.unit} {ref.number} of '{ref.document}' any more"
            )
        return [(i, decision) for i in in_play]
    target = _family_code(family, code, in_play, ref)
    return [(i, "neither") for i in in_play if i != target] + [(target, "span")]


def _family_code(family: dict[int, str], code: str | None, in_play: list[int], ref: UnitRef) -> int:
    """The code of the family a consensus span goes to: ``code`` (a path, or a name within the family), or the one in play."""
    if code is None or not code.strip():
        if len(in_play) == 1:
            return in_play[0]
        choices = ", ".join(family[i] for i in in_play) or ", ".join(family.values())
        raise MdaError(f"say which code of {ref.code} and its sub-codes the span gets ({choices})")
    wanted = code.strip()
    found = [i for i, p in family.items() if p == wanted or p.endswith("/" + wanted)]
    if len(found) != 1:
        raise MdaError(f"'{wanted}' is not a code of {ref.code} and its sub-codes ({', '.join(family.values())})")
    return found[0]
