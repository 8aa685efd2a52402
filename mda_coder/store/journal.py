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


def record_returning(
    session: Session, actor: str, action: str, entity: str, entity_id: int | None, data: dict[str, Any]
) -> int:
    """As :func:`record`, written at once: returns the entry's id, for rows that name the entry that made them."""
    event = Event(actor=actor, action=action, entity=entity, entity_id=entity_id, data=data)
    session.add(event)
    session.flush()
    return event.id


def entries(session: Session, last: int | None = None) -> list[tuple[str, str, str, str, int | None, dict[str, Any]]]:
    """Journal entries, oldest first: ``(at, actor, action, entity, entity_id, data)``; only the ``last`` N if given."""
    return [entry[1:] for entry in numbered_entries(session, last)]


def numbered_entries(
    session: Session, last: int | None = None
) -> list[tuple[int, str, str, str, str, int | None, dict[str, Any]]]:
    """As ``entries``, each with its id first: ``(id, at, actor, action, entity, entity_id, data)``."""
    query = select(Event).order_by(Event.id.desc())
    if last is not None:
        query = query.limit(max(last, 0))
    rows = list(session.scalars(query))
    rows.reverse()
    return [(e.id, e.at.isoformat(timespec="seconds"), e.actor, e.action, e.entity, e.entity_id, e.data) for e in rows]


def former_document_name(session: Session, document_id: int) -> str | None:
    """The name a document had, from the entries that imported or removed it (ids of removed documents are never reused)."""
    # Only the name is read: a removal's entry also holds the whole document.
    name = session.scalar(
        select(Event.data["name"].as_string())
        .where(Event.action.in_(("document.import", "document.remove")), Event.entity_id == document_id)
        .order_by(Event.id.desc())
        .limit(1)
    )
    return name or None
