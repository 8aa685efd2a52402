"""Documents, speakers, turns and sentences: store imported transcripts and read them back as core values."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from mda_coder.core.coding import DocumentDoubt, DocumentInfo, SentenceInfo, SpeakerRow, TurnInfo
from mda_coder.core.errors import NotFoundError
from mda_coder.core.names import not_found
from mda_coder.core.spans import Span
from mda_coder.core.transcript import ParsedTranscript
from mda_coder.i18n import Message, Phrase
from mda_coder.store import search_index
from mda_coder.store.models import Document, Person, SentenceRow, Speaker, TurnRow


def find_by_hash(session: Session, content_hash: str) -> str | None:
    """The name of the document imported from a file with this hash, if any."""
    return session.scalar(select(Document.name).where(Document.content_hash == content_hash))


def name_taken(session: Session, name: str) -> bool:
    return session.scalar(select(Document.id).where(Document.name == name)) is not None


def add_document(
    session: Session,
    *,
    name: str,
    parsed: ParsedTranscript,
    source_file: str,
    content_hash: str,
    group: str | None,
    sentences: Sequence[Sequence[Span]],
) -> tuple[int, int]:
    """Store one transcript with its speakers, turns and sentences; returns (document id, sentence count).

    ``sentences[i]`` are the spans of turn ``i``'s sentences relative to the turn's start.
    Turns and sentences go in as bulk inserts: a 2,000-turn focus group is one executemany each.
    """
    doc = Document(
        name=name,
        text=parsed.text,
        content_hash=content_hash,
        source_file=source_file,
        format=parsed.format,
        layout=parsed.layout,
        encoding=parsed.encoding,
        group_name=group,
        attributes={},
        guessed=parsed.guessed,
        doubts=[
            {
                "kind": d.kind,
                "line": d.line,
                "text": d.text,
                "reading": d.reading,
                **({"said": d.reading.kept()} if isinstance(d.reading, Phrase) else {}),
            }
            for d in parsed.doubts
        ],
    )
    session.add(doc)
    session.flush()
    speakers = {
        info.label: Speaker(
            document_id=doc.id,
            label=info.label,
            role=info.role,
            attributes={
                **({"legend": info.description} if info.description else {}),
                **dict(info.attributes),
            },
        )
        for info in parsed.speakers
    }
    session.add_all(speakers.values())
    session.flush()
    # One executemany per table, straight to the driver: the ORM would insert turn by turn,
    # and Core's insert() builds a parameter dict per row, which cost as much as SQLite's
    # own work on a 10,000-turn import (bench/bench_import.py). Ids are read back by position.
    _insert_many(
        session,
        TurnRow.__table__,
        ("document_id", "position", "speaker_id", "start_offset", "end_offset", "time_start", "time_end"),
        [
            (
                doc.id,
                i,
                speakers[turn.speaker].id if turn.speaker is not None else None,
                turn.span.start,
                turn.span.end,
                turn.time,
                turn.end_time,
            )
            for i, turn in enumerate(parsed.turns, start=1)
        ],
    )
    turn_ids = session.scalars(select(TurnRow.id).where(TurnRow.document_id == doc.id).order_by(TurnRow.position)).all()
    sentence_rows = []
    position = 0
    for turn, turn_id, spans in zip(parsed.turns, turn_ids, sentences, strict=True):
        for span in spans:
            position += 1
            start = turn.span.start
            sentence_rows.append((doc.id, turn_id, position, start + span.start, start + span.end))
    _insert_many(
        session,
        SentenceRow.__table__,
        ("document_id", "turn_id", "position", "start_offset", "end_offset"),
        sentence_rows,
    )
    search_index.index_document(session.connection(), doc.id)
    return doc.id, position


def _insert_many(session: Session, table: Table, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert ``rows`` (values in ``columns`` order) with one DB-API executemany."""
    if not rows:
        return
    connection = session.connection()
    mark = "?" if connection.dialect.paramstyle == "qmark" else "%s"
    connection.exec_driver_sql(
        f"INSERT INTO {table.name} ({', '.join(columns)}) VALUES ({', '.join(mark for _ in columns)})",
        rows,
    )


def get(session: Session, name: str) -> Document:
    """The document called ``name``."""
    doc = session.scalar(select(Document).where(Document.name == name))
    if doc is None:
        known = session.scalars(select(Document.name).order_by(Document.name)).all()
        raise not_found(
            Message("no document called '{name}'", name=name),
            name,
            known,
            Message("documents"),
            hint=None if known else Message("the project has no documents"),
        )
    return doc


def names(session: Session) -> list[str]:
    """Every document's name, in the order they were imported."""
    return list(session.scalars(select(Document.name).order_by(Document.id)))


def infos(session: Session) -> list[DocumentInfo]:
    turn_counts = dict(session.execute(select(TurnRow.document_id, func.count()).group_by(TurnRow.document_id)).all())
    sentence_counts = dict(
        session.execute(select(SentenceRow.document_id, func.count()).group_by(SentenceRow.document_id)).all()
    )
    speaker_counts = dict(
        session.execute(select(Speaker.document_id, func.count()).group_by(Speaker.document_id)).all()
    )
    result = []
    for doc in session.scalars(select(Document).order_by(Document.id)):
        result.append(
            DocumentInfo(
                id=doc.id,
                name=doc.name,
                source_file=doc.source_file,
                format=doc.format,
                layout=doc.layout,
                group=doc.group_name,
                content_hash=doc.content_hash,
                characters=len(doc.text),
                words=len(doc.text.split()),
                turns=turn_counts.get(doc.id, 0),
                speakers=speaker_counts.get(doc.id, 0),
                sentences=sentence_counts.get(doc.id, 0),
                attributes=dict(doc.attributes),
                guessed=bool(doc.guessed),
                doubts=len(doc.doubts or ()),
            )
        )
    return result


def speakers(session: Session, document: str | None = None) -> list[SpeakerRow]:
    counts = dict(session.execute(select(TurnRow.speaker_id, func.count()).group_by(TurnRow.speaker_id)).all())
    query = (
        select(Speaker, Document.name, Person.name)
        .join(Document, Speaker.document_id == Document.id)
        .outerjoin(Person, Speaker.person_id == Person.id)
        .order_by(Document.id, Speaker.id)
    )
    if document is not None:
        query = query.where(Speaker.document_id == get(session, document).id)
    return [
        SpeakerRow(
            id=sp.id,
            document=doc_name,
            label=sp.label,
            display_name=sp.display_name,
            role=sp.role,
            person=person,
            turns=counts.get(sp.id, 0),
            attributes=dict(sp.attributes),
        )
        for sp, doc_name, person in session.execute(query)
    ]


def speaker(session: Session, document: str, label: str) -> Speaker:
    doc = get(session, document)
    row = session.scalar(select(Speaker).where(Speaker.document_id == doc.id, Speaker.label == label))
    if row is None:
        known = session.scalars(select(Speaker.label).where(Speaker.document_id == doc.id).order_by(Speaker.id)).all()
        raise not_found(
            Message("no speaker '{label}' in document '{document}'", label=label, document=document),
            label,
            known,
            Message("speakers"),
            hint=None if known else Message("it has no speaker labels"),
        )
    return row


def turns(
    session: Session, document: str, speaker_label: str | None = None, speakers: Sequence[str] = ()
) -> list[TurnInfo]:
    """The turns of ``document``; with ``speakers``, only theirs (each a label, a display name or a person's name)."""
    doc = get(session, document)
    query = (
        select(TurnRow, Speaker.label)
        .outerjoin(Speaker, TurnRow.speaker_id == Speaker.id)
        .where(TurnRow.document_id == doc.id)
        .order_by(TurnRow.position)
    )
    if speaker_label is not None:
        query = query.where(Speaker.label == speaker_label)
    if speakers:
        query = query.where(TurnRow.speaker_id.in_(_speaker_ids(session, doc, speakers)))
    text = doc.text
    return [
        TurnInfo(
            document=doc.name,
            index=t.position,
            speaker=label,
            span=Span(t.start_offset, t.end_offset),
            time=t.time_start,
            text=text[t.start_offset : t.end_offset],
        )
        for t, label in session.execute(query)
    ]


def sentences(session: Session, document: str, turn: int | None = None) -> list[SentenceInfo]:
    doc = get(session, document)
    query = (
        select(SentenceRow, TurnRow.position)
        .join(TurnRow, SentenceRow.turn_id == TurnRow.id)
        .where(SentenceRow.document_id == doc.id)
        .order_by(SentenceRow.position)
    )
    if turn is not None:
        query = query.where(TurnRow.position == turn)
    text = doc.text
    seen: Counter[int] = Counter()
    result = []
    for s, turn_position in session.execute(query):
        seen[turn_position] += 1
        result.append(
            SentenceInfo(
                document=doc.name,
                turn=turn_position,
                index=s.position,
                span=Span(s.start_offset, s.end_offset),
                text=text[s.start_offset : s.end_offset],
                in_turn=seen[turn_position],
            )
        )
    return result


def _speaker_ids(session: Session, doc: Document, names: Sequence[str]) -> set[int]:
    """The speakers of ``doc`` that ``names`` mean, as ``report --speaker`` reads them: label, display name or person."""
    rows = session.execute(
        select(Speaker.id, Speaker.label, Speaker.display_name, Person.name)
        .outerjoin(Person, Speaker.person_id == Person.id)
        .where(Speaker.document_id == doc.id)
        .order_by(Speaker.id)
    ).all()
    ids: set[int] = set()
    for name in names:
        found = {r.id for r in rows if name in (r.label, r.display_name, r.name)}
        if not found:
            known = {n: n for r in rows for n in (r.label, r.display_name, r.name) if n}
            raise not_found(
                Message("no speaker '{label}' in document '{document}'", label=name, document=doc.name),
                name,
                known,
                Message("speakers"),
                hint=None if known else Message("it has no speaker labels"),
            )
        ids |= found
    return ids


def turn_span(session: Session, doc: Document, position: int) -> Span:
    row = session.scalar(select(TurnRow).where(TurnRow.document_id == doc.id, TurnRow.position == position))
    if row is None:
        count = session.scalar(select(func.count()).select_from(TurnRow).where(TurnRow.document_id == doc.id))
        raise NotFoundError(
            Message(
                "document '{document}' has no turn {position} (it has turns 1-{count})",
                document=doc.name,
                position=position,
                count=count,
            )
        )
    return Span(row.start_offset, row.end_offset)


def sentence_in_turn(session: Session, doc: Document, turn: int, position: int) -> Span:
    """The ``position``-th sentence (from 1) of turn ``turn``."""
    turn_span(session, doc, turn)  # a clear error for a turn that is not there
    rows = session.execute(
        select(SentenceRow.start_offset, SentenceRow.end_offset)
        .join(TurnRow, SentenceRow.turn_id == TurnRow.id)
        .where(TurnRow.document_id == doc.id, TurnRow.position == turn)
        .order_by(SentenceRow.position)
    ).all()
    if not 1 <= position <= len(rows):
        raise NotFoundError(
            Message(
                "turn {turn} of '{document}' has no sentence {position} (it has sentences 1-{count})",
                turn=turn,
                document=doc.name,
                position=position,
                count=len(rows),
            )
        )
    return Span(*rows[position - 1])


def sentence_span(session: Session, doc: Document, position: int) -> Span:
    row = session.scalar(select(SentenceRow).where(SentenceRow.document_id == doc.id, SentenceRow.position == position))
    if row is None:
        count = session.scalar(select(func.count()).select_from(SentenceRow).where(SentenceRow.document_id == doc.id))
        raise NotFoundError(
            Message(
                "document '{document}' has no sentence {position} (it has sentences 1-{count})",
                document=doc.name,
                position=position,
                count=count,
            )
        )
    return Span(row.start_offset, row.end_offset)


def doubts(session: Session, document: str | None = None) -> list[DocumentDoubt]:
    """What the importer doubted, per document in import order, each in line order."""
    query = select(Document.name, Document.doubts).order_by(Document.id)
    if document is not None:
        query = query.where(Document.id == get(session, document).id)
    return [
        DocumentDoubt(name, d["kind"], d.get("line"), d["text"], Message.restored(d["reading"], d.get("said")))
        for name, found in session.execute(query)
        for d in found or ()
    ]
