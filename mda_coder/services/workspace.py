"""Read models for the coding workspace: a document's turns and sentences, and the codings to draw."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import aliased

from mda_coder.core.reading import DocumentView, Mark, TurnItem
from mda_coder.core.spans import Span
from mda_coder.store import codes as code_repo
from mda_coder.store import documents as doc_repo
from mda_coder.store.engine import Database
from mda_coder.store.models import (
    Coder,
    CodeRow,
    CoderPlace,
    CodingRow,
    Document,
    Event,
    MemoRow,
    SentenceRow,
    Speaker,
    TurnRow,
    utcnow,
)

__all__ = [
    "DocumentView",
    "Mark",
    "TurnItem",
    "coder_names",
    "document_changed_since",
    "journal_head",
    "last_place",
    "load_document",
    "load_marks",
    "recent_codes",
    "save_place",
    "turn_memos",
]


def load_document(db: Database, name: str) -> DocumentView:
    """Everything needed to show a document: three queries, whatever its length."""
    with db.transaction() as s:
        doc = doc_repo.get(s, name)
        sentences: dict[int, list[Span]] = {}
        for turn_id, start, end in s.execute(
            select(SentenceRow.turn_id, SentenceRow.start_offset, SentenceRow.end_offset)
            .where(SentenceRow.document_id == doc.id)
            .order_by(SentenceRow.position)
        ):
            sentences.setdefault(turn_id, []).append(Span(start, end))
        # Plain columns, not ORM rows: building 2,000 TurnRow objects cost more than the query.
        rows = s.execute(
            select(
                TurnRow.id,
                TurnRow.position,
                TurnRow.start_offset,
                TurnRow.end_offset,
                TurnRow.time_start,
                Speaker.label,
                Speaker.role,
            )
            .outerjoin(Speaker, TurnRow.speaker_id == Speaker.id)
            .where(TurnRow.document_id == doc.id)
            .order_by(TurnRow.position)
        )
        turns = tuple(
            TurnItem(
                index=position,
                speaker=label,
                role=role,
                time=time_start,
                span=Span(start, end),
                sentences=tuple(sentences.get(turn_id, ())),
            )
            for turn_id, position, start, end, time_start, label, role in rows
        )
        return DocumentView(name=doc.name, group=doc.group_name, text=doc.text, turns=turns)


def load_marks(db: Database, document: str, coders: Sequence[str] | None = None) -> list[Mark]:
    """The codings of ``document`` by ``coders`` (all coders when None), in text order."""
    with db.transaction() as s:
        doc = doc_repo.get(s, document)
        query = (
            select(CodingRow, Coder.name, CodeRow.color)
            .join(Coder, CodingRow.coder_id == Coder.id)
            .join(CodeRow, CodingRow.code_id == CodeRow.id)
            .where(CodingRow.document_id == doc.id)
            .order_by(CodingRow.start_offset, CodingRow.end_offset, CodingRow.id)
        )
        if coders is not None:
            query = query.where(Coder.name.in_(list(coders)))
        paths = code_repo.paths(s)
        return [
            Mark(
                coding_id=row.id,
                coder=coder,
                code_id=row.code_id,
                code_path=paths[row.code_id],
                color=color,
                span=Span(row.start_offset, row.end_offset),
                memo=row.memo,
                suggested=row.suggestion_id is not None,
            )
            for row, coder, color in s.execute(query)
        ]


def recent_codes(db: Database, coder: str, limit: int = 8) -> list[str]:
    """The codes ``coder`` applied most recently, newest first (from the journal, so it survives restarts)."""
    with db.transaction() as s:
        paths = code_repo.paths(s)
        seen: list[str] = []
        query = (
            select(Event.data)
            .where(Event.actor == coder, Event.action == "coding.apply")
            .order_by(Event.id.desc())
            .limit(200)
        )
        for data in s.scalars(query):
            path = paths.get(int(data.get("code_id", -1)))
            if path is not None and path not in seen:
                seen.append(path)
                if len(seen) == limit:
                    break
        return seen


def coder_names(db: Database) -> list[str]:
    with db.transaction() as s:
        return list(s.scalars(select(Coder.name).order_by(Coder.id)))


def turn_memos(db: Database, document: str) -> dict[int, list[str]]:
    """Memos written on turns of ``document``, by turn number (0 holds the document's own memos)."""
    with db.transaction() as s:
        doc = doc_repo.get(s, document)
        result: dict[int, list[str]] = {}
        turn_rows = (
            select(TurnRow.position, MemoRow.text)
            .join(MemoRow, (MemoRow.target_kind == "turn") & (MemoRow.target_id == TurnRow.id))
            .where(TurnRow.document_id == doc.id)
            .order_by(MemoRow.id)
        )
        for position, text in s.execute(turn_rows):
            result.setdefault(position, []).append(text)
        doc_rows = select(MemoRow.text).where(MemoRow.target_kind == "document", MemoRow.target_id == doc.id)
        for text in s.scalars(doc_rows.order_by(MemoRow.id)):
            result.setdefault(0, []).append(text)
        return result


def journal_head(db: Database) -> int:
    """The newest journal entry's id: when it moves, someone changed the project."""
    with db.transaction() as s:
        return s.scalar(select(func.max(Event.id))) or 0


def document_changed_since(db: Database, name: str, after: int) -> bool:
    """Whether a journal entry after ``after`` changed document ``name`` itself, or undid or redid such a change.

    Entries about the document itself (its text corrected, a turn split or given to another speaker,
    its description) name it as their entity; undo and redo name the entry they replay. A window
    showing the document must then read it again: its codings' marks alone would be drawn on old text.
    A document no longer there counts as changed.
    """
    with db.transaction() as s:
        doc_id = s.scalar(select(Document.id).where(Document.name == name))
        if doc_id is None:
            return True
        replayed = aliased(Event)
        itself = select(Event.id).where(Event.id > after, Event.entity == "document", Event.entity_id == doc_id)
        again = (
            select(Event.id)
            .join(replayed, replayed.id == Event.entity_id)
            .where(
                Event.id > after, Event.entity == "event", replayed.entity == "document", replayed.entity_id == doc_id
            )
        )
        return s.scalar(itself.limit(1)) is not None or s.scalar(again.limit(1)) is not None


def save_place(db: Database, coder: str, document: str, turn: int) -> None:
    """Remember that ``coder`` is at turn ``turn`` of ``document``: the workspace reopens there.

    Not journalled: moving about changes nothing a coder would undo or audit.
    """
    with db.transaction() as s:
        row = s.get(CoderPlace, coder)
        if row is None:
            s.add(CoderPlace(coder=coder, document=document, turn=turn))
        else:
            row.document, row.turn, row.saved_at = document, turn, utcnow()


def last_place(db: Database, coder: str) -> tuple[str, int] | None:
    """The document and turn where ``coder`` left off, if that document is still in the project."""
    with db.transaction() as s:
        row = s.execute(
            select(CoderPlace.document, CoderPlace.turn)
            .join(Document, Document.name == CoderPlace.document)
            .where(CoderPlace.coder == coder)
        ).first()
        return None if row is None else (row.document, row.turn)
