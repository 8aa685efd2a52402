"""Append entries to the event journal, the base for undo and audit."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mda_coder.store.models import Event


def record(
    session: Session,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    data: dict[str, Any] | None = None,
) -> None:
    """Add one journal entry in the caller's transaction, so it commits with the change it describes."""
    session.add(Event(actor=actor, action=action, entity=entity, entity_id=entity_id, data=data or {}))


def entries(session: Session, limit: int | None = None) -> list[tuple[str, str, str, str, int | None, dict[str, Any]]]:
    """Journal entries, oldest first: ``(at, actor, action, entity, entity_id, data)``."""
    query = select(Event).order_by(Event.id)
    if limit is not None:
        query = query.limit(limit)
    return [
        (e.at.isoformat(), e.actor, e.action, e.entity, e.entity_id, e.data)
        for e in session.scalars(query)
    ]
