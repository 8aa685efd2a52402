"""The units a consensus review works on: each turn or sentence with its speaker, and those every coder agreed on."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mda_coder.core.codebook import PATH_SEPARATOR
from mda_coder.core.spans import Span
from mda_coder.services.agreement import Unit
from mda_coder.store import codes as code_repo
from mda_coder.store import consensus as decision_repo
from mda_coder.store.models import Coder, CodingRow, SentenceRow, Speaker, TurnRow


@dataclass(frozen=True, slots=True)
class UnitRow:
    position: int
    span: Span
    turn: int
    speaker: str | None


def units_of(session: Session, doc_ids: Sequence[int], unit: Unit) -> dict[int, list[UnitRow]]:
    """Every turn or sentence of the documents, in text order, with its turn number and speaker."""
    if unit == "turn":
        query = select(
            TurnRow.document_id,
            TurnRow.position,
            TurnRow.start_offset,
            TurnRow.end_offset,
            TurnRow.position,
            Speaker.label,
        )
    else:
        query = select(
            SentenceRow.document_id,
            SentenceRow.position,
            SentenceRow.start_offset,
            SentenceRow.end_offset,
            TurnRow.position,
            Speaker.label,
        ).join(TurnRow, SentenceRow.turn_id == TurnRow.id)
    table = TurnRow if unit == "turn" else SentenceRow
    query = query.outerjoin(Speaker, TurnRow.speaker_id == Speaker.id).where(table.document_id.in_(list(doc_ids)))
    result: dict[int, list[UnitRow]] = {}
    for doc_id, position, start, end, turn, speaker in session.execute(query.order_by(table.start_offset)):
        result.setdefault(doc_id, []).append(UnitRow(position, Span(start, end), turn, speaker))
    return result


@dataclass(frozen=True, slots=True)
class Agreed:
    code_id: int
    document_id: int
    position: int
    span: Span
    sources: tuple[CodingRow, ...]
    decided: bool


def agreed_units(session: Session, names: Sequence[str], unit: Unit, code: str | None) -> list[Agreed]:
    """The units every coder who coded the document (two or more) applied a code to.

    Coverage as in ``services.agreement``: a coder covered a document when they made any coding in it.
    """
    ids = dict(session.execute(select(Coder.id, Coder.name).where(Coder.name.in_(list(names)))).all())
    covered: dict[int, set[int]] = {}
    for coder_id, doc_id in session.execute(
        select(CodingRow.coder_id, CodingRow.document_id).where(CodingRow.coder_id.in_(list(ids))).distinct()
    ):
        covered.setdefault(doc_id, set()).add(coder_id)
    doc_ids = [d for d, who in covered.items() if len(who) >= 2]
    query = select(CodingRow).where(CodingRow.coder_id.in_(list(ids)), CodingRow.document_id.in_(doc_ids))
    if code:
        root = code_repo.paths(session)[code_repo.resolve(session, code).id]
        scope = [i for i, p in code_repo.paths(session).items() if p == root or p.startswith(root + PATH_SEPARATOR)]
        query = query.where(CodingRow.code_id.in_(scope))
    groups: dict[tuple[int, int], list[CodingRow]] = {}
    for row in session.scalars(query.order_by(CodingRow.id)):
        groups.setdefault((row.code_id, row.document_id), []).append(row)
    units = units_of(session, doc_ids, unit)
    decisions = decision_repo.of_documents(session, doc_ids, unit)
    result = []
    for (code_id, doc_id), rows in sorted(groups.items()):
        doc_units = units.get(doc_id, [])
        starts = [u.span.start for u in doc_units]
        ends = [u.span.end for u in doc_units]
        hits: dict[int, set[int]] = {c: set() for c in covered[doc_id]}
        for row in rows:
            first = bisect_right(ends, row.start_offset)
            stop = bisect_left(starts, row.end_offset)
            hits[row.coder_id].update(range(first, stop))
        for index in sorted(set.intersection(*hits.values())):
            u = doc_units[index]
            sources = tuple(r for r in rows if r.start_offset < u.span.end and r.end_offset > u.span.start)
            result.append(
                Agreed(code_id, doc_id, u.position, u.span, sources, (code_id, doc_id, u.position) in decisions)
            )
    return result
