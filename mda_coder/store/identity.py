"""The uuids rows carry: which incoming GUIDs a project can take as its rows' uuids, and which it already has.

A GUID from another tool (a REFI-QDA project from NVivo, MAXQDA or ATLAS.ti) becomes the uuid of
the row made from it, so the row goes back out under the same GUID and a copy that returns is
recognised. A GUID that is not a UUID, or that the project already gives another row, is not taken:
the row gets a new uuid (a project imported twice must not have two rows with one identity).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

_CHUNK = 500


def canonical(guid: str | None) -> str | None:
    """``guid`` as a lowercase canonical UUID, or None when it is not one (``{…}`` braces and case are allowed)."""
    if not guid:
        return None
    try:
        return str(uuid.UUID(guid.strip()))
    except ValueError:
        return None


def taken(session: Session, model: Any, candidates: Iterable[str]) -> set[str]:
    """Which of ``candidates`` rows of ``model`` already carry."""
    wanted = sorted(set(candidates))
    found: set[str] = set()
    for i in range(0, len(wanted), _CHUNK):
        found.update(session.scalars(select(model.uuid).where(model.uuid.in_(wanted[i : i + _CHUNK]))))
    return found


def adopt(session: Session, row: Any, guid: str | None) -> bool:
    """Give the new ``row`` the uuid ``guid`` when it is a UUID no other row of its table has; True if it did."""
    known = canonical(guid)
    if known is None or taken(session, type(row), [known]):
        return False
    row.uuid = known
    return True
