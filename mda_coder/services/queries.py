"""Read-only use cases: documents, speakers, turns and sentences as core values."""

from __future__ import annotations

from collections.abc import Sequence

from mda_coder.core.coding import DocumentDoubt, DocumentInfo, SentenceInfo, SpeakerRow, TurnInfo
from mda_coder.store import documents as doc_repo
from mda_coder.store.engine import Database


def documents(db: Database) -> list[DocumentInfo]:
    with db.transaction() as s:
        return doc_repo.infos(s)


def doubts(db: Database, document: str | None = None) -> list[DocumentDoubt]:
    """The lines the importer listed for checking, of every document or of one."""
    with db.transaction() as s:
        return doc_repo.doubts(s, document)


def speakers(db: Database, document: str | None = None) -> list[SpeakerRow]:
    with db.transaction() as s:
        return doc_repo.speakers(s, document)


def turns(db: Database, document: str, speaker: str | Sequence[str] | None = None) -> list[TurnInfo]:
    """The turns of ``document``, or only those of the speakers named (a label, a display name or a person)."""
    speakers = [speaker] if isinstance(speaker, str) else list(speaker or ())
    with db.transaction() as s:
        return doc_repo.turns(s, document, speakers=speakers)


def sentences(db: Database, document: str, turn: int | None = None) -> list[SentenceInfo]:
    with db.transaction() as s:
        return doc_repo.sentences(s, document, turn)
