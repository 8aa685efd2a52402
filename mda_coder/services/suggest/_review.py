"""The review queue: list a coder's proposals, and accept, reject or skip them, each decision journalled."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mda_coder.core.errors import MdaError, NotFoundError
from mda_coder.i18n import Message
from mda_coder.services.suggest._rows import values
from mda_coder.services.suggest._steps import ACTIONS, accept_in, set_status
from mda_coder.services.suggest._values import SOURCES, STATUSES, Passage, Proposal
from mda_coder.store import codes as code_repo
from mda_coder.store import codings as coding_repo
from mda_coder.store import journal
from mda_coder.store.engine import Database
from mda_coder.store.models import Document, SuggestionRow, TurnRow

ORDERS = ("score", "teach", "text")
"""Highest score first; the most uncertain first (teach me); document and text order."""


def proposals(
    db: Database,
    *,
    coder: str,
    code: str | None = None,
    status: str | None = "open",
    source: str | None = None,
    order: str = "score",
    limit: int | None = None,
) -> list[Proposal]:
    """``coder``'s proposals (of ``code``, with ``status`` and from ``source`` when given) in ``order``.

    ``open`` includes the skipped ones, after the others: skipping puts a proposal at the back of the queue.
    """
    if order not in ORDERS:
        raise MdaError(Message("unknown order '{order}' (orders: {orders})", order=order, orders=", ".join(ORDERS)))
    if status is not None and status not in STATUSES:
        raise MdaError(
            Message("unknown status '{status}' (statuses: {statuses})", status=status, statuses=", ".join(STATUSES))
        )
    if source is not None and source not in SOURCES:
        raise MdaError(
            Message("unknown source '{source}' (sources: {sources})", source=source, sources=", ".join(SOURCES))
        )
    with db.transaction() as s:
        coder_row = coding_repo.coder(s, coder, create=False)
        query = select(SuggestionRow).where(SuggestionRow.coder_id == coder_row.id)
        if code is not None:
            query = query.where(SuggestionRow.code_id == code_repo.resolve(s, code).id)
        if status == "open":
            query = query.where(SuggestionRow.status.in_(("open", "skipped")))
        elif status is not None:
            query = query.where(SuggestionRow.status == status)
        if source is not None:
            query = query.where(SuggestionRow.source == source)
        found = values(s, list(s.scalars(query)))
    found.sort(key=_key(order))
    return found[:limit] if limit is not None else found


def _key(order: str) -> Callable[[Proposal], tuple[Any, ...]]:
    later = {"skipped": 1}
    if order == "teach":
        return lambda p: (later.get(p.status, 0), p.uncertainty, p.document, p.span.start, p.id)
    if order == "text":
        return lambda p: (p.document, p.span.start, p.code, p.id)
    return lambda p: (later.get(p.status, 0), -p.score, p.document, p.span.start, p.id)


def decide(db: Database, ids: Sequence[int], status: str, *, coder: str) -> list[Proposal]:
    """Accept, reject or skip proposals of ``coder``'s queue, each in its own transaction (one undo step each).

    All are checked before the first is decided: an unknown id, another coder's proposal or one
    already accepted or rejected leaves every one as it was.
    """
    if status not in ACTIONS:
        raise MdaError(Message("unknown decision '{status}'", status=status))
    with db.transaction() as s:
        coder_row = coding_repo.coder(s, coder, create=False)
        for ident in ids:
            _open(s, ident, coder_row.id, coder_row.name)
    decided = []
    for ident in dict.fromkeys(ids):
        with db.transaction() as s:
            coder_row = coding_repo.coder(s, coder, create=False)
            row = _open(s, ident, coder_row.id, coder_row.name)
            if status == "accepted":
                data = accept_in(s, row, coder_row.id, coder_row.name)
            else:
                now = datetime.now(UTC).isoformat()
                before = {
                    "status": row.status,
                    "by": row.decided_by,
                    "at": row.decided_at.isoformat() if row.decided_at else None,
                }
                set_status(row, status, coder_row.name, now)
                s.flush()
                data = {"suggestion": row.id, "before": before, "by": coder_row.name, "at": now}
            journal.record(s, coder_row.name, ACTIONS[status], "suggestion", row.id, data)
            decided.extend(values(s, [row]))
    return decided


def _open(s: Session, ident: int, coder_id: int, coder: str) -> SuggestionRow:
    row = s.get(SuggestionRow, ident)
    if row is None:
        raise NotFoundError(Message("no proposal {id}", id=ident))
    if row.coder_id != coder_id:
        raise MdaError(Message("proposal {id} is in another coder's queue, not {coder}'s", id=ident, coder=coder))
    if row.status not in ("open", "skipped"):
        raise MdaError(
            Message("proposal {id} was {status} already (undo to change your mind)", id=ident, status=row.status)
        )
    return row


def context(db: Database, proposal_id: int) -> Passage:
    """A proposal's text with the turn before and the turn after it, for reading it where it was said."""
    with db.transaction() as s:
        row = s.get(SuggestionRow, proposal_id)
        if row is None:
            raise NotFoundError(Message("no proposal {id}", id=proposal_id))
        doc = s.get(Document, row.document_id)
        assert doc is not None
        start, end = row.start_offset, row.end_offset
        before = s.scalar(
            select(func.min(TurnRow.start_offset)).where(
                TurnRow.document_id == doc.id,
                TurnRow.start_offset
                >= select(func.max(TurnRow.start_offset))
                .where(TurnRow.document_id == doc.id, TurnRow.end_offset <= start)
                .scalar_subquery(),
            )
        )
        after = s.scalar(
            select(func.min(TurnRow.end_offset)).where(TurnRow.document_id == doc.id, TurnRow.start_offset >= end)
        )
        lo = before if before is not None and before < start else max(0, start - 300)
        hi = after if after is not None and after > end else min(len(doc.text), end + 300)
        lo = min(lo, start)
        return Passage(doc.text[lo:start], doc.text[start:end], doc.text[end:hi])
