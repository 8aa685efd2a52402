"""Consensus decisions: find, snapshot and restore the record of how a unit was settled."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mda_coder.store.models import ConsensusDecision
from mda_coder.store.snapshots import iso, parse_time

Snapshot = dict[str, Any]
"""A decision as journal data: every column, so that undo can put it back with the same id."""


def find(session: Session, code_id: int, document_id: int, unit: str, position: int) -> ConsensusDecision | None:
    return session.scalar(
        select(ConsensusDecision).where(
            ConsensusDecision.code_id == code_id,
            ConsensusDecision.document_id == document_id,
            ConsensusDecision.unit == unit,
            ConsensusDecision.position == position,
        )
    )


def of_documents(session: Session, document_ids: Iterable[int], unit: str) -> dict[tuple[int, int, int], Snapshot]:
    """Every decision on ``unit``s of these documents, by ``(code_id, document_id, position)``."""
    rows = session.scalars(
        select(ConsensusDecision).where(
            ConsensusDecision.document_id.in_(list(document_ids)), ConsensusDecision.unit == unit
        )
    )
    return {(r.code_id, r.document_id, r.position): snapshot(r) for r in rows}


def snapshot(row: ConsensusDecision) -> Snapshot:
    return {
        "id": row.id,
        "code_id": row.code_id,
        "document_id": row.document_id,
        "unit": row.unit,
        "position": row.position,
        "start": row.start_offset,
        "end": row.end_offset,
        "decision": row.decision,
        "coders": row.coders,
        "codings": row.codings,
        "reviewer": row.reviewer,
        "created": iso(row.created_at),
    }


def insert(session: Session, data: Snapshot) -> ConsensusDecision:
    """Add a decision from a snapshot; with its id when the snapshot has one still free (undo, redo)."""
    row = ConsensusDecision(
        code_id=data["code_id"],
        document_id=data["document_id"],
        unit=data["unit"],
        position=data["position"],
        start_offset=data["start"],
        end_offset=data["end"],
        decision=data["decision"],
        coders=data["coders"],
        codings=data["codings"],
        reviewer=data["reviewer"],
    )
    if data.get("id") is not None and session.get(ConsensusDecision, data["id"]) is None:
        row.id = data["id"]
    created = parse_time(data.get("created"))
    if created is not None:
        row.created_at = created
    session.add(row)
    session.flush()
    return row
