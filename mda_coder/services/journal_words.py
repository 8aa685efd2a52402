"""The journal in a researcher's words: what each entry did, by code path, document, turn and speaker rather than ids.

Undoable entries are described as undo names them (``services.history``), so the log and the
"Undone: …" message say the same thing; the others are described here. Names are those of now
(a renamed code shows its new path), except for what is gone: a removed document keeps the name
the journal gave it, a deleted code its last path.
"""

from __future__ import annotations

from bisect import bisect_right
from pathlib import PurePath
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mda_coder.core.display import one_line
from mda_coder.services import consensus_steps, history
from mda_coder.services.history_steps import UNDOABLE
from mda_coder.store import codes as code_repo
from mda_coder.store.models import Document, Person, Speaker, TurnRow

Data = dict[str, Any]

_MEMO_WIDTH = 60
"""How much of a memo's text the log repeats."""


class Names(history.Places):
    """The names of what entries and memos point to by id, each read once per use case (one transaction)."""

    def __init__(self, session: Session) -> None:
        super().__init__(session)
        self._paths: dict[int, str] | None = None
        self._documents: dict[int, str] | None = None
        self._names: dict[int, str] = {}
        self._turns: dict[int, tuple[list[int], list[tuple[int, int, int]]]] = {}

    def code(self, code_id: int | None) -> str:
        if self._paths is None:
            self._paths = code_repo.paths(self.session)
        path = self._paths.get(code_id) if code_id is not None else None
        return path or (super().code(code_id) if code_id is not None else "a deleted code")

    def document(self, document_id: int) -> str | None:
        if self._documents is None:
            self._documents = dict(self.session.execute(select(Document.id, Document.name)).all())
        return self._documents.get(document_id)

    def name(self, document_id: int | None) -> str:
        if document_id is None:
            return "a removed document"
        if document_id not in self._names:
            self._names[document_id] = super().name(document_id)
        return self._names[document_id]

    def turn(self, document_id: int, offset: int) -> tuple[int, int, int] | None:
        if document_id not in self._turns:
            rows = [(r[0], r[1], r[2]) for r in self.session.execute(
                select(TurnRow.start_offset, TurnRow.end_offset, TurnRow.position)
                .where(TurnRow.document_id == document_id).order_by(TurnRow.start_offset)
            )]
            self._turns[document_id] = ([r[0] for r in rows], rows)
        starts, rows = self._turns[document_id]
        i = bisect_right(starts, offset) - 1
        return rows[i] if i >= 0 else None

    def turn_row(self, turn_id: int | None) -> str:
        """``FG1 turn 12`` for a turn's row id."""
        row = self.session.get(TurnRow, turn_id) if turn_id is not None else None
        return f"{self.name(row.document_id)} turn {row.position}" if row is not None else "a turn of a removed document"

    def about(self, kind: str, target_id: int | None) -> str:
        """What a memo is on, as a user names it: ``project``, ``FG1``, ``FG1 turn 12``, ``code tilltro``."""
        if kind == "document":
            return self.name(target_id)
        if kind == "turn":
            return self.turn_row(target_id)
        if kind == "code":
            return f"code {self.code(target_id)}"
        return "project"

    def speaker(self, speaker_id: int | None) -> str:
        row = self.session.get(Speaker, speaker_id) if speaker_id is not None else None
        if row is None:
            return "a speaker of a removed document"
        return f"{row.label} of {self.name(row.document_id)}"

    def person(self, person_id: int | None) -> str:
        row = self.session.get(Person, person_id) if person_id is not None else None
        return row.name if row is not None else "none"


def describe(names: Names, event_id: int, action: str, entity: str, entity_id: int | None, data: Data) -> str:
    """What one journal entry did, e.g. ``apply tilltro/tvivel to FG1 turn 12`` or ``import FG2 from FG2.docx``."""
    try:
        return _describe(names, event_id, action, entity_id, data)
    except (KeyError, TypeError, ValueError, AttributeError):
        # An entry written by an older version in another shape: say what the journal holds.
        return f"{entity} {entity_id if entity_id is not None else ''}".strip()


def _describe(names: Names, event_id: int, action: str, entity_id: int | None, d: Data) -> str:
    if action in consensus_steps.STEPS:
        reviewers = sorted({str(u["decision"]["reviewer"]) for u in d["units"]})
        by = f" (reviewed by {', '.join(reviewers)})" if reviewers else ""
        return history.describe_entry(names.session, event_id, action, d) + by
    if action in UNDOABLE:
        return history.describe_entry(names.session, event_id, action, d, names)
    if action in (history.UNDO, history.REDO):
        what = _describe(names, d["event"], d["action"], None, d["data"])
        return f"{'undo' if action == history.UNDO else 'redo'}: {what}"
    if action == "project.create":
        return f"create the project (language {d['language']})"
    if action == "codebook.import":
        counts = f"{_count(len(d.get('created', [])), 'new code')}, {len(d.get('updated', []))} changed"
        name = f"codebook {d['name']}" if d.get("name") else "a codebook"
        return f"import {name} from {_file(d['source'])} ({counts})"
    if action == "document.import":
        group = f", group {d['group']}" if d.get("group") else ""
        return f"import {d['name']} from {d['source']}{group}"
    if action == "document.describe":
        return f"describe {names.name(entity_id)}: {_changes(names, d['before'], d['after'])}"
    if action == "speaker.describe":
        where = f" (from {_file(d['file'])} line {d['line']})" if d.get("file") else ""
        return f"describe speaker {names.speaker(entity_id)}: {_changes(names, d['before'], d['after'])}{where}"
    if action == "speaker.import":
        unmatched = f", {_count(len(d['unmatched']), 'row')} unmatched" if d.get("unmatched") else ""
        return (f"import speakers from {_file(d['file'])}: {_count(d['rows'], 'row')}, {d['matched']} matched"
                f"{unmatched}, {_count(d['updated'], 'speaker')} changed")
    if action == "memo.add":
        return f"memo on {names.about(d['kind'], d['target_id'])}: “{one_line(d['text'], _MEMO_WIDTH)}”"
    raise KeyError(action)


_FIELDS = (("group", "group"), ("name", "name"), ("role", "role"), ("person_id", "person"))


def _changes(names: Names, before: Data, after: Data) -> str:
    """What a description changed: ``role handläggare, kommun=Norrvik, datum removed``."""
    parts = []
    for key, label in _FIELDS:
        if key in after and before.get(key) != after.get(key):
            value = after[key]
            if key == "person_id":
                value = names.person(value) if value is not None else None
            parts.append(f"{label} {value}" if value is not None else f"{label} cleared")
    old, new = before.get("attributes") or {}, after.get("attributes") or {}
    for key in new:
        if old.get(key) != new[key]:
            parts.append(f"{key}={new[key]}")
    parts.extend(f"{key} removed" for key in old if key not in new)
    return ", ".join(parts) or "no change"


def _file(source: str) -> str:
    """A file as the user knows it: its name without the folders (the whole path stays in the entry's data)."""
    return PurePath(str(source)).name or str(source)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")
