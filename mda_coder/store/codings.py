"""Codings and coders: apply, remove and list codes on spans of documents."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from mda_coder.core.coding import Coding
from mda_coder.core.errors import MdaError
from mda_coder.core.names import not_found
from mda_coder.core.spans import Span
from mda_coder.i18n import Message
from mda_coder.store import codes as code_repo
from mda_coder.store.models import Coder, CodeRow, CodingRow, Document
from mda_coder.store.suggestions import accepted_provenance


def coder(session: Session, name: str, create: bool = True) -> Coder:
    """The coder called ``name``; created on first use, as coders are just names."""
    name = name.strip()
    if not name or len(name) > 100 or any(ch in name for ch in ",\n\t"):
        raise MdaError(Message("invalid coder name '{name}': use a short name without commas or tabs", name=name))
    row = session.scalar(select(Coder).where(Coder.name == name))
    if row is None:
        if not create:
            raise not_found(
                Message("unknown coder '{name}'", name=name),
                name,
                session.scalars(select(Coder.name).order_by(Coder.name)),
                Message("coders"),
            )
        row = Coder(name=name)
        session.add(row)
        session.flush()
    return row


def coder_names(session: Session) -> list[str]:
    return list(session.scalars(select(Coder.name).order_by(Coder.id)))


def find(session: Session, coder_id: int, code_id: int, document_id: int, span: Span) -> CodingRow | None:
    return session.scalar(
        select(CodingRow).where(
            CodingRow.coder_id == coder_id,
            CodingRow.code_id == code_id,
            CodingRow.document_id == document_id,
            CodingRow.start_offset == span.start,
            CodingRow.end_offset == span.end,
        )
    )


def add(
    session: Session, coder_row: Coder, code_row: CodeRow, doc: Document, span: Span, memo: str | None
) -> tuple[CodingRow, bool]:
    """Apply a code; returns the coding and whether it is new (the same span twice is one coding)."""
    existing = find(session, coder_row.id, code_row.id, doc.id, span)
    if existing is not None:
        return existing, False
    row = CodingRow(
        coder_id=coder_row.id,
        code_id=code_row.id,
        document_id=doc.id,
        start_offset=span.start,
        end_offset=span.end,
        memo=memo,
    )
    session.add(row)
    session.flush()
    return row, True


def to_value(row: CodingRow, text: str, code_path: str, coder_name: str, doc_name: str) -> Coding:
    return Coding(
        id=row.id,
        coder=coder_name,
        code_path=code_path,
        document=doc_name,
        span=Span(row.start_offset, row.end_offset),
        text=text[row.start_offset : row.end_offset],
        memo=row.memo,
        created=row.created_at,
        modified=row.modified_at,
    )


def as_dict(row: CodingRow) -> dict[str, object]:
    """A coding as journal data: enough to recreate it on undo (its natural key, memo and creation time)."""
    data: dict[str, object] = {
        "coder_id": row.coder_id,
        "code_id": row.code_id,
        "document_id": row.document_id,
        "start": row.start_offset,
        "end": row.end_offset,
        "memo": row.memo,
        "created": row.created_at.isoformat() if row.created_at is not None else None,
    }
    if row.suggestion_id is not None:  # an accepted proposal keeps its provenance through undo and redo
        data["suggestion_id"] = row.suggestion_id
    return data


def listing(
    session: Session,
    *,
    document: Document | None = None,
    coder_row: Coder | None = None,
    code_row: CodeRow | None = None,
    span: Span | None = None,
    document_ids: Collection[int] | None = None,
    coder_ids: Collection[int] | None = None,
    code_ids: Collection[int] | None = None,
) -> list[Coding]:
    """Codings in document order, optionally only those of one document, coder, code or overlapping a span.

    ``document_ids``, ``coder_ids`` and ``code_ids`` keep the codings among several (None: any).
    """
    query = (
        select(CodingRow, Coder.name, Document.name, Document.id)
        .join(Coder, CodingRow.coder_id == Coder.id)
        .join(Document, CodingRow.document_id == Document.id)
        .order_by(Document.id, CodingRow.start_offset, CodingRow.end_offset, CodingRow.id)
    )
    if document is not None:
        query = query.where(CodingRow.document_id == document.id)
    if coder_row is not None:
        query = query.where(CodingRow.coder_id == coder_row.id)
    if code_row is not None:
        query = query.where(CodingRow.code_id == code_row.id)
    if span is not None:
        query = query.where(CodingRow.start_offset < span.end, CodingRow.end_offset > span.start)
    for column, ids in (
        (CodingRow.document_id, document_ids),
        (CodingRow.coder_id, coder_ids),
        (CodingRow.code_id, code_ids),
    ):
        if ids is not None:
            query = query.where(column.in_(list(ids)))
    all_paths = code_repo.paths(session)
    texts: dict[int, str] = {}
    result: list[Coding] = []
    suggested: dict[int, int] = {}
    for row, coder_name, doc_name, doc_id in session.execute(query):
        if doc_id not in texts:
            texts[doc_id] = session.scalar(select(Document.text).where(Document.id == doc_id)) or ""
        if row.suggestion_id is not None:
            suggested[len(result)] = row.suggestion_id
        result.append(to_value(row, texts[doc_id], all_paths[row.code_id], coder_name, doc_name))
    if suggested:
        said = accepted_provenance(session, set(suggested.values()))
        for i, ident in suggested.items():
            result[i] = replace(result[i], suggested=said.get(ident))
    return result
