"""The units a model learns from and proposes on, read in the caller's transaction, with the coder's labels.

A unit (turn or sentence) is **positive** for code X when one of the coder's codings of X overlaps
it by at least one character. Its **negatives** are the other units of the documents the coder has
coded in (with any code), and the units whose span the queue's coder rejected as a proposal of X.
Units of documents the coder never touched are neither: they are what is proposed on.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

import numpy as np
from sqlalchemy import select
from sqlalchemy.orm import Session

from mda_coder.store.models import CodingRow, Document, SentenceRow, Speaker, SuggestionRow, TurnRow


@dataclass(frozen=True, slots=True)
class Unit:
    document_id: int
    document: str
    number: int
    """The 1-based turn or sentence number."""
    turn: int
    speaker: str | None
    start: int
    end: int


def read_units(session: Session, unit: str) -> list[Unit]:
    """Every turn (or sentence) of every document, in document and text order."""
    names = dict(session.execute(select(Document.id, Document.name)).all())
    if unit == "turn":
        query = (
            select(
                TurnRow.document_id,
                TurnRow.position,
                TurnRow.position,
                Speaker.label,
                TurnRow.start_offset,
                TurnRow.end_offset,
            )
            .outerjoin(Speaker, TurnRow.speaker_id == Speaker.id)
            .order_by(TurnRow.document_id, TurnRow.start_offset)
        )
    else:
        query = (
            select(
                SentenceRow.document_id,
                SentenceRow.position,
                TurnRow.position,
                Speaker.label,
                SentenceRow.start_offset,
                SentenceRow.end_offset,
            )
            .join(TurnRow, SentenceRow.turn_id == TurnRow.id)
            .outerjoin(Speaker, TurnRow.speaker_id == Speaker.id)
            .order_by(SentenceRow.document_id, SentenceRow.start_offset)
        )
    return [Unit(d, names[d], n, t, s, a, b) for d, n, t, s, a, b in session.execute(query)]


def texts(session: Session, units: list[Unit]) -> list[str]:
    """The text of each unit."""
    wanted = {u.document_id for u in units}
    full = dict(session.execute(select(Document.id, Document.text).where(Document.id.in_(wanted))).all())
    return [full[u.document_id][u.start : u.end] for u in units]


def coded_spans(session: Session, coder_id: int, code_id: int) -> dict[int, list[tuple[int, int]]]:
    """The coder's codings of the code, by document, sorted by start."""
    spans: dict[int, list[tuple[int, int]]] = defaultdict(list)
    rows = session.execute(
        select(CodingRow.document_id, CodingRow.start_offset, CodingRow.end_offset)
        .where(CodingRow.coder_id == coder_id, CodingRow.code_id == code_id)
        .order_by(CodingRow.document_id, CodingRow.start_offset)
    )
    for document, start, end in rows:
        spans[document].append((start, end))
    return spans


def touched(session: Session, coder_id: int) -> set[int]:
    """The documents the coder has coded anything in."""
    return set(session.scalars(select(CodingRow.document_id).where(CodingRow.coder_id == coder_id).distinct()))


def overlapping(units: list[Unit], spans: dict[int, list[tuple[int, int]]]) -> np.ndarray:
    """For each unit, whether one of ``spans`` (by document, sorted by start) overlaps it."""
    reach: dict[int, tuple[list[int], list[int]]] = {
        d: ([s for s, _ in found], list(accumulate((e for _, e in found), max))) for d, found in spans.items()
    }
    result = np.zeros(len(units), dtype=bool)
    for i, u in enumerate(units):
        known = reach.get(u.document_id)
        if known is None:
            continue
        k = bisect_left(known[0], u.end) - 1  # codings starting before the unit ends
        result[i] = k >= 0 and known[1][k] > u.start
    return result


def rejected_spans(session: Session, coder_id: int, code_id: int) -> set[tuple[int, int, int]]:
    """``(document, start, end)`` of every proposal of the code the coder rejected, from any source."""
    rows = session.execute(
        select(SuggestionRow.document_id, SuggestionRow.start_offset, SuggestionRow.end_offset).where(
            SuggestionRow.coder_id == coder_id, SuggestionRow.code_id == code_id, SuggestionRow.status == "rejected"
        )
    )
    return {(d, start, end) for d, start, end in rows}


def marked(units: list[Unit], spans: Iterable[tuple[int, int, int]]) -> np.ndarray:
    """For each unit, whether its exact span is among ``spans``."""
    wanted = set(spans)
    return np.fromiter(((u.document_id, u.start, u.end) in wanted for u in units), dtype=bool, count=len(units))
