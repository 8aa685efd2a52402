"""Memos on the project, a document, a turn, a code or a coding; and the journal, read back for audit in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mda_coder.core.actor import system_actor
from mda_coder.core.errors import MdaError
from mda_coder.i18n import Message
from mda_coder.services.history._words import Names, describe
from mda_coder.store import codes as code_repo
from mda_coder.store import codings as coding_repo
from mda_coder.store import documents as doc_repo
from mda_coder.store import journal
from mda_coder.store.engine import Database
from mda_coder.store.models import Coder, CodingRow, Document, MemoRow, TurnRow


@dataclass(frozen=True)
class Memo:
    id: int | None
    """The memo's number; None for a memo on a coding (which is part of the coding: see ``coding_id``)."""
    about: str
    """What the memo is on, as a user names it: ``project``, ``FG1``, ``FG1 turn 12``, ``code tilltro``,
    and for a coding's memo the code and where: ``tilltro/tvivel on FG1 turn 12``."""
    coder: str | None
    text: str
    created: datetime
    """When it was written; for a coding's memo, when the coding was last changed."""
    kind: str = "project"
    """``project``, ``document``, ``turn``, ``code`` or ``coding``."""
    document: str | None = None
    turn: int | None = None
    """The turn number: of a turn memo, or the turn a coding begins in."""
    code: str | None = None
    """The code's path: of a code memo, or the coding's code."""
    coding_id: int | None = None


@dataclass(frozen=True)
class JournalEntry:
    id: int
    at: str
    actor: str
    action: str
    description: str
    """What the entry did, in words: ``apply tilltro/tvivel to FG1 turn 12``, ``import FG2 from FG2.docx``."""
    entity: str
    entity_id: int | None
    data: dict[str, object]


def add_memo(
    db: Database,
    text: str,
    *,
    document: str | None = None,
    turn: int | None = None,
    code: str | None = None,
    coder: str | None = None,
) -> Memo:
    """Write a memo on a document, a turn of it, a code, or (with none of these) the project."""
    if not text.strip():
        raise MdaError(Message("the memo is empty"))
    if turn is not None and document is None:
        raise MdaError(Message("a turn memo needs the document too"))
    if code is not None and document is not None:
        raise MdaError(Message("a memo is on a document (or turn) or on a code, not both"))
    with db.transaction() as s:
        coder_row = coding_repo.coder(s, coder) if coder else None
        target_id: int | None
        if code is not None:
            kind, target_id = "code", code_repo.resolve(s, code).id
        elif document is not None:
            doc = doc_repo.get(s, document)
            if turn is not None:
                doc_repo.turn_span(s, doc, turn)  # a clear error for a turn that does not exist
                turn_id = s.scalar(select(TurnRow.id).where(TurnRow.document_id == doc.id, TurnRow.position == turn))
                kind, target_id = "turn", turn_id
            else:
                kind, target_id = "document", doc.id
        else:
            kind, target_id = "project", None
        row = MemoRow(
            target_kind=kind, target_id=target_id, coder_id=coder_row.id if coder_row else None, text=text.strip()
        )
        s.add(row)
        s.flush()
        journal.record(
            s,
            coder or system_actor(),
            "memo.add",
            "memo",
            row.id,
            {"kind": kind, "target_id": target_id, "text": row.text},
        )
        return _memos(s, [row])[0]


def list_memos(db: Database) -> list[Memo]:
    """Every memo: those on the project, documents, turns and codes in the order written, then the codings' memos
    in document and text order."""
    with db.transaction() as s:
        names = Names(s)
        memos = _memos(s, list(s.scalars(select(MemoRow).order_by(MemoRow.id))), names)
        return memos + _coding_memos(s, names)


def _memos(s: Session, rows: list[MemoRow], names: Names | None = None) -> list[Memo]:
    names = names or Names(s)
    coders = dict(s.execute(select(Coder.id, Coder.name)).all())
    result = []
    for row in rows:
        document, turn, code = None, None, None
        if row.target_kind == "document":
            document = names.name(row.target_id)
        elif row.target_kind == "turn":
            place = s.get(TurnRow, row.target_id)
            if place is not None:
                document, turn = names.name(place.document_id), place.position
        elif row.target_kind == "code":
            code = names.code(row.target_id)
        result.append(
            Memo(
                row.id,
                names.about(row.target_kind, row.target_id),
                coders.get(row.coder_id) if row.coder_id else None,
                row.text,
                row.created_at,
                row.target_kind,
                document,
                turn,
                code,
            )
        )
    return result


def _coding_memos(s: Session, names: Names) -> list[Memo]:
    rows = s.execute(
        select(
            CodingRow.id,
            CodingRow.document_id,
            CodingRow.code_id,
            CodingRow.start_offset,
            CodingRow.memo,
            CodingRow.modified_at,
            Coder.name,
            Document.name,
        )
        .join(Coder, CodingRow.coder_id == Coder.id)
        .join(Document, CodingRow.document_id == Document.id)
        .where(CodingRow.memo.is_not(None), CodingRow.memo != "")
        .order_by(Document.name, CodingRow.start_offset, CodingRow.end_offset, Coder.name, CodingRow.id)
    ).all()
    result = []
    for coding_id, doc_id, code_id, start, text, modified, coder, document in rows:
        assert text is not None  # the query keeps only codings with a memo
        code, found = names.code(code_id), names.turn(doc_id, start)
        turn = found[2] if found is not None and found[1] > start else None
        where = (
            Message("{document} turn {turn}", document=document, turn=turn)
            if turn is not None
            else Message("{document} at {start}", document=document, start=start)
        )
        result.append(
            Memo(
                None,
                Message("{code} on {where}", code=code, where=where),
                coder,
                text,
                modified,
                "coding",
                document,
                turn,
                code,
                coding_id,
            )
        )
    return result


def journal_entries(db: Database, limit: int | None = None) -> list[JournalEntry]:
    """The journal, newest last, each entry described in words; with ``limit``, only the last ``limit`` entries."""
    with db.transaction() as s:
        names = Names(s)
        return [
            JournalEntry(
                event_id,
                at,
                actor,
                action,
                describe(names, event_id, action, entity, entity_id, data),
                entity,
                entity_id,
                data,
            )
            for event_id, at, actor, action, entity, entity_id, data in journal.numbered_entries(s, last=limit)
        ]
