"""A copy's merge as a plan: the row operations on the master, in the order they apply, and what they amount to.

The same operations, kept in the journal, are what undo runs backwards and redo forwards.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any

from mda_coder.services.teamwork._base import Row, table


@dataclass(frozen=True, slots=True)
class Conflict:
    """Something the merge did not settle by itself: what, where, in which copy, and what to do."""

    kind: str
    """``document-text``, ``document-removed``, ``code-both-changed``, ``code-deleted``, ``code-name-taken``,
    ``code-gone-in-copy``, ``memo-both-edited``, ``coding-both-changed``."""
    where: str
    copy: str
    what: str
    todo: str


@dataclass
class Plan:
    """One copy's merge: the operations, what they amount to, and the conflicts."""

    copy: str
    coder: str
    ops: list[dict[str, Any]] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    code_changes: list[str] = field(default_factory=list)
    coders: list[str] = field(default_factory=list)
    codings: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)
    changed: int = 0
    memos: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def insert(self, name: str, values: list[Row]) -> None:
        if values:
            self.ops.append({"op": "insert", **columns(name, values)})

    def update(self, name: str, row_id: int, before: Row, after: Row) -> None:
        self.ops.append({"op": "update", "table": name, "id": row_id, "before": before, "after": after})

    def delete(self, name: str, values: list[Row]) -> None:
        if values:
            self.ops.append({"op": "delete", **columns(name, values)})

    def conflict(self, kind: str, where: str, what: str, todo: str) -> None:
        self.conflicts.append(Conflict(kind, where, self.copy, what, todo))


def columns(name: str, values: list[Row]) -> dict[str, Any]:
    """Rows as one operation's ``table``, ``columns`` and ``values`` (column-wise: compact in the journal)."""
    names = [c.name for c in table(name).columns]
    get = itemgetter(*names)
    return {"table": name, "columns": names, "values": [get(r) for r in values]}
