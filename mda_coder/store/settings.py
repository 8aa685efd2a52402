"""Project settings stored in the project file (never in hidden global state)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from mda_coder.store.models import Setting

PROJECT_UUID = "project_uuid"
"""The project's identity, made with it: a copy keeps it, so a merge can tell the project's copies from others."""


def get(session: Session, key: str, default: str | None = None) -> str | None:
    row = session.get(Setting, key)
    return row.value if row is not None else default


def put(session: Session, key: str, value: str) -> None:
    row = session.get(Setting, key)
    if row is None:
        session.add(Setting(key=key, value=value))
    else:
        row.value = value
