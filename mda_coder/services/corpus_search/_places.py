"""What the search screen offers to narrow a search by, and which sentence a hit is in (the unit it codes)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from mda_coder.core.spans import Span
from mda_coder.store import documents as doc_repo
from mda_coder.store.engine import Database
from mda_coder.store.models import Document, SentenceRow, Speaker


@dataclass(frozen=True, slots=True)
class Facets:
    """The names a search can be narrowed by, each sorted: documents, groups, speaker labels and names, roles."""

    documents: tuple[str, ...]
    groups: tuple[str, ...]
    speakers: tuple[str, ...]
    roles: tuple[str, ...]


def facets(db: Database) -> Facets:
    """Every document, group, speaker (label or display name) and role of the project."""
    with db.transaction() as s:
        docs = s.execute(select(Document.name, Document.group_name)).all()
        speakers = s.execute(select(Speaker.label, Speaker.display_name, Speaker.role)).all()
    return Facets(
        tuple(sorted(name for name, _ in docs)),
        tuple(sorted({group for _, group in docs if group})),
        tuple(sorted({n for label, name, _ in speakers for n in (label, name) if n})),
        tuple(sorted({role for _, _, role in speakers if role})),
    )


def sentence_at(db: Database, document: str, span: Span) -> int | None:
    """The number of the sentence of ``document`` that ``span`` begins in (the unit a hit is coded at); None outside them."""
    with db.transaction() as s:
        doc = doc_repo.get(s, document)
        return s.scalar(
            select(SentenceRow.position).where(
                SentenceRow.document_id == doc.id,
                SentenceRow.start_offset <= span.start,
                SentenceRow.end_offset > span.start,
            )
        )
