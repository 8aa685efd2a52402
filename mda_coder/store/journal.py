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


def entries(session: Session, last: int | None = None) -> list[tuple[str, str, str, str, int | None, dict[str, Any]]]:
    """Journal entries, oldest first: ``(at, actor, action, entity, entity_id, data)``; only the ``last`` N if given."""
    query = select(Event).order_by(Event.id.desc())
    if last is not None:
        query = query.limit(max(last, 0))
    rows = list(session.scalars(query))
    rows.reverse()
    return [(e.at.isoformat(timespec="seconds"), e.actor, e.action, e.entity, e.entity_id, e.data) for e in rows]
