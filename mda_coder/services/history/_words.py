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
from mda_coder.i18n import Message
from mda_coder.services.consensus import _steps as consensus_steps
from mda_coder.services.history import _undo as history
from mda_coder.services.history._steps import UNDOABLE
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
        return path or (super().code(code_id) if code_id is not None else Message("a deleted code"))

    def document(self, document_id: int) -> str | None:
        if self._documents is None:
            self._documents = dict(self.session.execute(select(Document.id, Document.name)).all())
        return self._documents.get(document_id)

    def name(self, document_id: int | None) -> str:
        if document_id is None:
            return Message("a removed document")
        if document_id not in self._names:
            self._names[document_id] = super().name(document_id)
        return self._names[document_id]

    def turn(self, document_id: int, offset: int) -> tuple[int, int, int] | None:
        if document_id not in self._turns:
            rows = [
                (r[0], r[1], r[2])
                for r in self.session.execute(
                    select(TurnRow.start_offset, TurnRow.end_offset, TurnRow.position)
                    .where(TurnRow.document_id == document_id)
                    .order_by(TurnRow.start_offset)
                )
            ]
            self._turns[document_id] = ([r[0] for r in rows], rows)
        starts, rows = self._turns[document_id]
        i = bisect_right(starts, offset) - 1
        return rows[i] if i >= 0 else None

    def turn_row(self, turn_id: int | None) -> str:
        """``FG1 turn 12`` for a turn's row id."""
        row = self.session.get(TurnRow, turn_id) if turn_id is not None else None
        if row is None:
            return Message("a turn of a removed document")
        return Message("{document} turn {turn}", document=self.name(row.document_id), turn=row.position)

    def about(self, kind: str, target_id: int | None) -> str:
        """What a memo is on, as a user names it: ``project``, ``FG1``, ``FG1 turn 12``, ``code tilltro``."""
        if kind == "document":
            return self.name(target_id)
        if kind == "turn":
            return self.turn_row(target_id)
        if kind == "code":
            return Message("code {code}", code=self.code(target_id))
        return Message("project")

    def speaker(self, speaker_id: int | None) -> str:
        row = self.session.get(Speaker, speaker_id) if speaker_id is not None else None
        if row is None:
            return Message("a speaker of a removed document")
        return Message("{label} of {document}", label=row.label, document=self.name(row.document_id))

    def person(self, person_id: int | None) -> str:
        row = self.session.get(Person, person_id) if person_id is not None else None
        return row.name if row is not None else Message("none")


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
        what = history.describe_entry(names.session, event_id, action, d)
        return (
            Message("{what} (reviewed by {reviewers})", what=what, reviewers=", ".join(reviewers))
            if reviewers
            else what
        )
    if action in UNDOABLE:
        return history.describe_entry(names.session, event_id, action, d, names)
    if action in (history.UNDO, history.REDO):
        what = _describe(names, d["event"], d["action"], None, d["data"])
        return Message("undo: {what}", what=what) if action == history.UNDO else Message("redo: {what}", what=what)
    if action == "project.create":
        return Message("create the project (language {language})", language=d["language"])
    if action == "codebook.import":
        created, changed = len(d.get("created", [])), len(d.get("updated", []))
        counts = (
            Message("{n} new code, {changed} changed", n=created, changed=changed)
            if created == 1
            else Message("{n} new codes, {changed} changed", n=created, changed=changed)
        )
        name = Message("codebook {name}", name=d["name"]) if d.get("name") else Message("a codebook")
        return Message("import {name} from {file} ({counts})", name=name, file=_file(d["source"]), counts=counts)
    if action == "document.import":
        if d.get("group"):
            return Message(
                "import {name} from {file}, group {group}", name=d["name"], file=d["source"], group=d["group"]
            )
        return Message("import {name} from {file}", name=d["name"], file=d["source"])
    if action == "document.describe":
        return Message(
            "describe {document}: {changes}",
            document=names.name(entity_id),
            changes=_changes(names, d["before"], d["after"]),
        )
    if action == "speaker.describe":
        changes = _changes(names, d["before"], d["after"])
        if d.get("file"):
            return Message(
                "describe speaker {speaker}: {changes} (from {file} line {line})",
                speaker=names.speaker(entity_id),
                changes=changes,
                file=_file(d["file"]),
                line=d["line"],
            )
        return Message("describe speaker {speaker}: {changes}", speaker=names.speaker(entity_id), changes=changes)
    if action == "speaker.import":
        rows = _count(d["rows"], Message("{n} row"), Message("{n} rows"))
        speakers_changed = _count(d["updated"], Message("{n} speaker changed"), Message("{n} speakers changed"))
        if d.get("unmatched"):
            return Message(
                "import speakers from {file}: {rows}, {matched} matched, {unmatched} unmatched, {changed}",
                file=_file(d["file"]),
                rows=rows,
                matched=d["matched"],
                unmatched=_count(len(d["unmatched"]), Message("{n} row"), Message("{n} rows")),
                changed=speakers_changed,
            )
        return Message(
            "import speakers from {file}: {rows}, {matched} matched, {changed}",
            file=_file(d["file"]),
            rows=rows,
            matched=d["matched"],
            changed=speakers_changed,
        )
    if action == "flags.resolve":
        n = len(d["ids"])
        return _count(
            n, Message("mark {n} flagged coding reviewed", n=n), Message("mark {n} flagged codings reviewed", n=n)
        )
    if action == "memo.add":
        return Message(
            "memo on {about}: “{text}”",
            about=names.about(d["kind"], d["target_id"]),
            text=one_line(d["text"], _MEMO_WIDTH),
        )
    raise KeyError(action)


_FIELDS = (
    ("group", (Message("group {value}"), Message("group cleared"))),
    ("name", (Message("name {value}"), Message("name cleared"))),
    ("role", (Message("role {value}"), Message("role cleared"))),
    ("person_id", (Message("person {value}"), Message("person cleared"))),
)
"""Each field a description changes, and how the log says it was set or cleared."""


def _changes(names: Names, before: Data, after: Data) -> str:
    """What a description changed: ``role handläggare, kommun=Norrvik, datum removed``."""
    parts: list[str] = []
    for key, (set_to, cleared) in _FIELDS:
        if key in after and before.get(key) != after.get(key):
            value = after[key]
            if key == "person_id":
                value = names.person(value) if value is not None else None
            parts.append(Message(set_to.template, value=value) if value is not None else cleared)
    old, new = before.get("attributes") or {}, after.get("attributes") or {}
    for key in new:
        if old.get(key) != new[key]:
            parts.append(f"{key}={new[key]}")
    parts.extend(Message("{key} removed", key=key) for key in old if key not in new)
    if not parts:
        return Message("no change")
    return Message.joined(parts, ", ")


def _file(source: str) -> str:
    """A file as the user knows it: its name without the folders (the whole path stays in the entry's data)."""
    return PurePath(str(source)).name or str(source)


def _count(n: int, one: Message, many: Message) -> Message:
    return Message((one if n == 1 else many).template, n=n)
