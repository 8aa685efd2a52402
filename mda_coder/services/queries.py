"""Read-only use cases: documents, speakers, turns and sentences as core values."""

from __future__ import annotations

from mda_coder.core.coding import DocumentDoubt, DocumentInfo, SentenceRow, SpeakerRow, TurnRow
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


def turns(db: Database, document: str, speaker: str | None = None) -> list[TurnRow]:
    with db.transaction() as s:
        if speaker is not None:
            doc_repo.speaker(s, document, speaker)  # a clear error for an unknown label
        return doc_repo.turns(s, document, speaker)


def sentences(db: Database, document: str, turn: int | None = None) -> list[SentenceRow]:
    with db.transaction() as s:
        return doc_repo.sentences(s, document, turn)
