"""Deciding on a proposal inside a transaction, and undoing and redoing that decision from the journal.

Accepting makes a coding by the reviewing coder with ``suggestion_id`` set; undoing it removes that
coding and opens the proposal again; redoing it makes the coding again. Rejecting and skipping only
change the proposal's status. Each is one journal entry of the reviewing coder's, so ``u`` and
``mda-coder undo`` take back one decision at a time.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mda_coder.core.errors import MdaError
from mda_coder.core.spans import Span
from mda_coder.i18n import Message
from mda_coder.services.coding import _edit as coding_edit
from mda_coder.store import codes as code_repo
from mda_coder.store.models import Document, SuggestionRow, TurnRow
from mda_coder.store.snapshots import coding_snapshot

ACCEPT = "suggestion.accept"
REJECT = "suggestion.reject"
SKIP = "suggestion.skip"
ACTIONS = {"accepted": ACCEPT, "rejected": REJECT, "skipped": SKIP}

Data = dict[str, Any]


def _row(s: Session, d: Data) -> SuggestionRow:
    row = s.get(SuggestionRow, d["suggestion"])
    if row is None:
        raise MdaError(Message("the proposal is no longer there (its document was removed)"))
    return row


def set_status(row: SuggestionRow, status: str, by: str | None, at: str | None) -> None:
    row.status = status
    row.decided_by = by
    row.decided_at = datetime.fromisoformat(at) if at else None


def accept_in(s: Session, row: SuggestionRow, coder_id: int, by: str) -> Data:
    """Make the proposal a coding by ``coder_id`` (checks as any coding: no duplicate, no exclusive clash)."""
    now = datetime.now(UTC).isoformat()
    data = {
        "coder_id": coder_id,
        "code_id": row.code_id,
        "document_id": row.document_id,
        "start": row.start_offset,
        "end": row.end_offset,
        "memo": None,
        "suggestion_id": row.id,
    }
    coding = coding_edit.create_coding(s, data)
    before = {"status": row.status, "by": row.decided_by, "at": row.decided_at.isoformat() if row.decided_at else None}
    set_status(row, "accepted", by, now)
    row.coding_id = coding.id
    s.flush()
    return {"suggestion": row.id, "before": before, "by": by, "at": now, "coding": coding_snapshot(coding)}


def _unaccept(s: Session, d: Data) -> Data:
    row = _row(s, d)
    snapshot = coding_edit.delete_coding(s, d["coding"])
    before = d["before"]
    set_status(row, before["status"], before["by"], before["at"])
    row.coding_id = None
    s.flush()
    return {**d, "coding": snapshot}


def _reaccept(s: Session, d: Data) -> Data:
    row = _row(s, d)
    coding = coding_edit.create_coding(s, {**d["coding"], "suggestion_id": row.id})
    set_status(row, "accepted", d["by"], d["at"])
    row.coding_id = coding.id
    s.flush()
    return {**d, "coding": coding_snapshot(coding)}


def _back(s: Session, d: Data) -> Data:
    before = d["before"]
    set_status(_row(s, d), before["status"], before["by"], before["at"])
    s.flush()
    return d


def _again(status: str) -> Any:
    def step(s: Session, d: Data) -> Data:
        set_status(_row(s, d), status, d["by"], d["at"])
        s.flush()
        return d

    return step


STEPS = {
    ACCEPT: (_unaccept, _reaccept),
    REJECT: (_back, _again("rejected")),
    SKIP: (_back, _again("skipped")),
}
"""How to undo and redo each decision on a proposal."""

_VERBS = {
    ACCEPT: Message("accept the proposal of {code} on {doc} {where}"),
    REJECT: Message("reject the proposal of {code} on {doc} {where}"),
    SKIP: Message("skip the proposal of {code} on {doc} {where}"),
}


def describe(s: Session, action: str, d: Data) -> tuple[str, str | None, Span | None, int | None, str | None]:
    """For the history: what the decision was, the document, the text, the turn and the code concerned."""
    row = s.get(SuggestionRow, d["suggestion"])
    if row is None:
        return Message("decide on a proposal of a removed document"), None, None, None, None
    code = code_repo.paths(s).get(row.code_id, Message("a deleted code"))
    name = s.scalar(select(Document.name).where(Document.id == row.document_id))
    span = Span(row.start_offset, row.end_offset)
    turn = s.scalar(
        select(TurnRow.position).where(
            TurnRow.document_id == row.document_id,
            TurnRow.start_offset <= span.start,
            TurnRow.end_offset > span.start,
        )
    )
    where = Message("turn {turn}", turn=turn) if turn is not None else f"{span.start}-{span.end}"
    text = Message(_VERBS[action].template, code=code, doc=name or "", where=where)
    return text, name, span, turn, code
