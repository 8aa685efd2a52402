"""Memos on the project, a document, a turn or a code; and the journal, read back for audit."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from mda_coder.core.errors import MdaError
from mda_coder.services.project import system_actor
from mda_coder.store import codes as code_repo
from mda_coder.store import codings as coding_repo
from mda_coder.store import documents as doc_repo
from mda_coder.store import journal
from mda_coder.store.engine import Database
from mda_coder.store.models import Coder, Document, MemoRow, TurnRow


@dataclass(frozen=True)
class Memo:
    id: int
    about: str
    """What the memo is on, as a user names it: ``project``, ``FG1``, ``FG1 turn 12``, ``code tilltro``."""
    coder: str | None
    text: str
    created: datetime


@dataclass(frozen=True)
class JournalEntry:
    at: str
    actor: str
    action: str
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
        raise MdaError("the memo is empty")
    if turn is not None and document is None:
        raise MdaError("a turn memo needs the document too")
    if code is not None and document is not None:
        raise MdaError("a memo is on a document (or turn) or on a code, not both")
    with db.transaction() as s:
        coder_row = coding_repo.coder(s, coder) if coder else None
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
        row = MemoRow(target_kind=kind, target_id=target_id, coder_id=coder_row.id if coder_row else None, text=text.strip())
        s.add(row)
        s.flush()
        journal.record(s, coder or system_actor(), "memo.add", "memo", row.id, {"kind": kind, "target_id": target_id, "text": row.text})
        return _memos(s, [row])[0]


def list_memos(db: Database) -> list[Memo]:
    with db.transaction() as s:
        return _memos(s, list(s.scalars(select(MemoRow).order_by(MemoRow.id))))


def _memos(s, rows: list[MemoRow]) -> list[Memo]:  # type: ignore[no-untyped-def]
    paths = code_repo.paths(s)
    doc_names = dict(s.execute(select(Document.id, Document.name)).all())
    coders = dict(s.execute(select(Coder.id, Coder.name)).all())
    result = []
    for row in rows:
        if row.target_kind == "document":
            about = doc_names.get(row.target_id, "?")
        elif row.target_kind == "turn":
            turn = s.get(TurnRow, row.target_id)
            about = f"{doc_names.get(turn.document_id, '?')} turn {turn.position}" if turn else "?"
        elif row.target_kind == "code":
            about = f"code {paths.get(row.target_id, '?')}"
        else:
            about = "project"
        result.append(Memo(row.id, about, coders.get(row.coder_id) if row.coder_id else None, row.text, row.created_at))
    return result


def journal_entries(db: Database, limit: int | None = None) -> list[JournalEntry]:
    """The journal, newest last; with ``limit``, only the last ``limit`` entries."""
    with db.transaction() as s:
        return [JournalEntry(*r) for r in journal.entries(s, last=limit)]
