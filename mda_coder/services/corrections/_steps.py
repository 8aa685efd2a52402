"""Undo and redo of a text change, and the refusal of older steps whose offsets were into the text as it was.

A correction's entry holds the text edits (with their old and new fragments), the rows that did not merely
shift, and a fingerprint of the text and codings on each side: undo and redo refuse in one line when the
document is not as the other side left it, rather than act on other words.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from mda_coder.core.errors import MdaError
from mda_coder.i18n import Message
from mda_coder.services.corrections import _rows
from mda_coder.services.corrections._apply import TEXT_ACTIONS
from mda_coder.store import search_index
from mda_coder.store.models import AnchorFlag, Document, Event, SuggestionRow

Data = dict[str, Any]


def _document(session: Session, d: Data, fingerprint: str) -> Document:
    doc = session.get(Document, d["document_id"])
    if doc is None:
        raise MdaError(Message("the document {document} is no longer in the project", document=d["name"]))
    if _rows.fingerprint(session, doc.id, doc.text) != d[fingerprint]:
        raise MdaError(
            Message("{document} was changed since (its text or codings); undo that first", document=doc.name)
        )
    return doc


def _step(session: Session, d: Data, to: str) -> Data:
    forward = to == "after"
    doc = _document(session, d, "fp_before" if forward else "fp_after")
    doc.text = _rows.apply_text_edits(doc.text, d["edits"], forward=forward)
    for key, value in d.get("doc", {}).get(to, {}).items():
        setattr(doc, key, value)
    session.flush()
    _rows.restore(session, doc.id, d.get("rows", {}), _rows.edits_of(d["edits"], forward=forward), to=to)
    if forward and d.get("event_id") is not None:
        flags = [r[0] for r in d.get("rows", {}).get("anchor_flags", {}).get("after", {}).get("values", [])]
        if flags:
            session.execute(
                update(AnchorFlag)
                .where(AnchorFlag.id.in_(flags), AnchorFlag.event_id.is_(None))
                .values(event_id=d["event_id"])
            )
    session.flush()
    search_index.index_document(session.connection(), doc.id)
    return {k: v for k, v in d.items() if k != "event_id"}


def undo_step(session: Session, d: Data) -> Data:
    return _step(session, d, "before")


def redo_step(session: Session, d: Data) -> Data:
    return _step(session, d, "after")


STEPS = dict.fromkeys(TEXT_ACTIONS, (undo_step, redo_step))
"""Each text change: how to undo it and how to redo it."""


def describe(d: Data, action: str) -> str:
    """What the change did, as undo names it: ``split turn 12 of FG1``."""
    name, turn = d.get("name", "?"), d.get("turn")
    if action == "turn.edit":
        return Message("edit turn {turn} of {document}", turn=turn, document=name)
    if action == "turn.split":
        return Message("split turn {turn} of {document}", turn=turn, document=name)
    if action == "turn.merge":
        return Message("merge turns {turn} and {next} of {document}", turn=turn, next=(turn or 0) + 1, document=name)
    if action == "turn.speaker":
        return Message(
            "give turn {turn} of {document} to {speaker}", turn=turn, document=name, speaker=d.get("speaker")
        )
    if action == "document.replace":
        return Message(
            "replace the text of {document} from {file}",
            document=name,
            file=d.get("doc", {}).get("after", {}).get("source_file"),
        )
    return Message("correct the text of {document} ({n} changed places)", document=name, n=d.get("regions", 0))


def _document_of(session: Session, d: Data) -> int | None:
    for candidate in (d, d.get("coding"), d.get("before") if isinstance(d.get("before"), dict) else None):
        if isinstance(candidate, dict) and isinstance(candidate.get("document_id"), int):
            return int(candidate["document_id"])
    if isinstance(d.get("suggestion"), int):
        return session.scalar(select(SuggestionRow.document_id).where(SuggestionRow.id == d["suggestion"]))
    return None


_HISTORY = ("history.undo", "history.redo")
"""The journal's undo and redo entries (``services.history``, a layer above this one, writes them)."""
_PSEUDONYMISE = "project.pseudonymise"
"""Pseudonymisation changes every text without an entry per document (its undo data would hold the names)."""


def stale(session: Session, event_id: int, action: str, d: Data) -> tuple[str, bool] | None:
    """The document whose text changed since entry ``event_id`` was made (and is not back), and whether a
    pseudonymisation changed it (no undo takes that back); None if none.

    The first text change after the entry tells what the text was when the entry was made: a correction
    (its text before), the undo of one (the text the correction left) or its redo (the text before it). A
    pseudonymisation since is a change whose earlier text is not known: the entry is refused.
    """
    if action in STEPS:
        return None
    doc_id = _document_of(session, d)
    if doc_id is None:
        return None
    doc = session.get(Document, doc_id)
    if doc is None:
        return None
    first: tuple[int, str | None] | None = None
    row = session.execute(
        select(Event.id, Event.data["text_before"].as_string())
        .where(
            Event.entity == "document",
            Event.entity_id == doc_id,
            Event.action.in_(TEXT_ACTIONS),
            Event.id > event_id,
        )
        .order_by(Event.id)
        .limit(1)
    ).first()
    if row is not None:
        first = (row[0], row[1])
    steps = session.execute(
        select(Event.id, Event.action, Event.data)
        .where(Event.action.in_(_HISTORY), Event.data["action"].as_string().in_(TEXT_ACTIONS), Event.id > event_id)
        .order_by(Event.id)
    )
    for step_id, step_action, data in steps:
        if first is not None and step_id > first[0]:
            break
        inner = data.get("data") or {}
        if inner.get("document_id") == doc_id:
            then = inner.get("text_after") if step_action == _HISTORY[0] else inner.get("text_before")
            first = (step_id, then)
            break
    renamed = session.scalar(
        select(Event.id).where(Event.action == _PSEUDONYMISE, Event.id > event_id).order_by(Event.id).limit(1)
    )
    if renamed is not None and (first is None or renamed < first[0]):
        return doc.name, True
    if first is None or _rows.text_hash(doc.text) == first[1]:
        return None
    return doc.name, False
