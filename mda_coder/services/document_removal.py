"""Remove a document that came in wrong, with everything on it, in one journalled step that undo takes back.

The journal entry holds a complete snapshot (``store.removal``): the document row, its speakers,
turns, sentences, every coder's codings, the memos on it and its turns, and the consensus
decisions about it, each with its id. Undo puts them all back with the same ids, so older
journal entries that name the document still find it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from mda_coder.core.errors import MdaError
from mda_coder.i18n import Message
from mda_coder.services import backups
from mda_coder.store import documents as doc_repo
from mda_coder.store import journal, removal
from mda_coder.store.engine import Database
from mda_coder.store.models import Document

REMOVE = "document.remove"

Data = dict[str, Any]


@dataclass(frozen=True, slots=True)
class RemovedDocument:
    """What removing a document takes away (or took away)."""

    name: str
    turns: int
    codings: dict[str, int]
    """Codings per coder (``consensus`` included), in the order the coders first coded."""
    memos: int
    """Memos on the document and on its turns (a coding's memo goes with the coding)."""
    decisions: int
    """Consensus decisions about its turns or sentences."""

    @property
    def total_codings(self) -> int:
        return sum(self.codings.values())


def describe(data: Data) -> str:
    """The journal entry as undo and redo name it: ``remove document FG3 (412 turns, 57 codings)``."""
    turns = Message("{n} turn", n=data["turns"]) if data["turns"] == 1 else Message("{n} turns", n=data["turns"])
    codings = (
        Message("{n} coding", n=data["codings"]) if data["codings"] == 1 else Message("{n} codings", n=data["codings"])
    )
    return Message("remove document {name} ({turns}, {codings})", name=data["name"], turns=turns, codings=codings)


def _value(data: Data) -> RemovedDocument:
    return RemovedDocument(data["name"], data["turns"], dict(data["by_coder"]), data["memos"], data["decisions"])


def _facts(session: Session, doc: Document) -> Data:
    turns, by_coder, memos, decisions = removal.counts(session, doc.id)
    return {
        "id": doc.id,
        "name": doc.name,
        "hash": doc.content_hash,
        "turns": turns,
        "codings": sum(by_coder.values()),
        "by_coder": by_coder,
        "memos": memos,
        "decisions": decisions,
    }


def _take_away(session: Session, doc_id: int) -> Data:
    """Delete the document and all on it; returns the journal data: facts and the snapshot to restore."""
    doc = session.get(Document, doc_id)
    if doc is None:
        raise MdaError("the document is no longer in the project")
    data = _facts(session, doc)
    data["snapshot"] = removal.take(session, doc_id)
    removal.delete_all(session, doc_id)
    return data


def preview_removal(db: Database, name: str) -> RemovedDocument:
    """What removing the document ``name`` would take away, to show before asking."""
    with db.transaction() as s:
        return _value(_facts(s, doc_repo.get(s, name)))


def remove_document(db: Database, name: str, *, actor: str) -> RemovedDocument:
    """Remove the document ``name`` and everything on it in one transaction, journalled for undo.

    Persons (people across documents) stay; only this document's speaker labels go. A snapshot of
    the project is taken first.
    """
    backups.before(db.location, "remove")
    with db.transaction() as s:
        doc_id = doc_repo.get(s, name).id
        data = _take_away(s, doc_id)
        journal.record(s, actor.strip(), REMOVE, "document", doc_id, data)
        return _value(data)


def undo_step(session: Session, data: Data) -> Data:
    """Put the document back from the snapshot; returns what redo needs (the facts, without the snapshot)."""
    removal.restore(session, data["snapshot"])
    return {k: v for k, v in data.items() if k != "snapshot"}


def redo_step(session: Session, data: Data) -> Data:
    """Remove the document again; returns a new snapshot (it may have been coded since it came back)."""
    return _take_away(session, data["id"])


STEPS = {REMOVE: (undo_step, redo_step)}
