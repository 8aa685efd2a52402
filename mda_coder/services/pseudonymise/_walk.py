"""Every string a project holds outside the documents' texts, changed by one function: labels, names, memos, the journal.

The walk goes over every table of the schema and every text and JSON column of it (JSON: every string,
keys included), less the columns that hold identities and fixed words (a uuid, a hash, an action, a
status, a coder's name). A table a later schema adds is walked too, without a change here: a
pseudonymised project must not keep an original anywhere.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from sqlalchemy import JSON, String, Table, Text, select, update
from sqlalchemy.orm import Session

from mda_coder.store.models import Base

SKIPPED = frozenset(
    {
        "uuid",
        "content_hash",
        "format",
        "layout",
        "encoding",
        "actor",
        "action",
        "entity",
        "target_kind",
        "unit",
        "decision",
        "source",
        "status",
        "color",
        "shortcut",
        "copy_uuid",
        "copy_coder",
        "copy_made_at",
        "merged_by",
        "reviewer",
        "decided_by",
        "resolved_by",
        "coder",
        "host",
        "kind",
    }
)
"""Columns (of any table) that hold an identity, a fixed word or a coder's name: never a participant's name."""

SKIPPED_IN = {
    "documents": frozenset({"text"}),
    "coders": frozenset({"name"}),
    "codes": frozenset({"name"}),
    "settings": frozenset({"key"}),
    "schema_migrations": frozenset({"description"}),
}
"""Columns skipped in one table only: a document's text goes through the corrections (its codings follow it);
coders are the researchers; a code's name is the analysis's own word."""

Change = Callable[[str], str]


def _json(value: Any, change: Change) -> Any:
    if isinstance(value, str):
        return change(value)
    if isinstance(value, list):
        return [_json(v, change) for v in value]
    if isinstance(value, dict):
        return {_json(k, change): _json(v, change) for k, v in value.items()}
    return value


def _columns(table: Table) -> list[str]:
    skipped = SKIPPED | SKIPPED_IN.get(table.name, frozenset())
    return [
        c.name
        for c in table.columns
        if isinstance(c.type, String | Text | JSON) and c.name not in skipped and not c.primary_key
    ] + [c.name for c in table.primary_key.columns if isinstance(c.type, String | Text) and c.name not in skipped]


def walk(session: Session, change: Change, *, write: bool) -> Counter[str]:
    """Apply ``change`` to every string outside the texts; rows changed per table. With ``write=False`` nothing is written.

    The journal's triggers (append-only) are the caller's: ``events`` is written like any other table.
    """
    changed: Counter[str] = Counter()
    session.flush()
    for table in Base.metadata.sorted_tables:
        columns = _columns(table)
        if not columns:
            continue
        keys = [c.name for c in table.primary_key.columns]
        query = select(*(table.c[k] for k in keys), *(table.c[c] for c in columns if c not in keys))
        wanted = keys + [c for c in columns if c not in keys]
        for row in session.execute(query):
            values = dict(zip(wanted, row, strict=True))
            new: dict[str, Any] = {}
            for column in columns:
                old = values[column]
                if old is None:
                    continue
                value = change(old) if isinstance(old, str) else _json(old, change)
                if value != old:
                    new[column] = value
            if not new:
                continue
            changed[table.name] += 1
            if write:
                where = [table.c[k] == values[k] for k in keys]
                session.execute(update(table).where(*where).values(new))
    if write:
        session.expire_all()
    return changed
