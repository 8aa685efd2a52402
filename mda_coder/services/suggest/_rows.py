"""Stored proposals as values: their place (turn, speaker), text, words and provenance, read in bulk."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mda_coder.core.spans import Span
from mda_coder.i18n import Message
from mda_coder.services.suggest._values import ModelInfo, Proposal, Word
from mda_coder.store import codes as code_repo
from mda_coder.store.models import Coder, Document, Speaker, SuggestionRow, TurnRow
from mda_coder.store.suggestions import provenance


def model_json(model: ModelInfo) -> dict[str, Any]:
    return {
        "kind": model.kind,
        "trained_on": model.trained_on,
        "codings": model.codings,
        "positives": model.positives,
        "negatives": model.negatives,
        "rejected": model.rejected,
        "at": model.at.isoformat(timespec="seconds"),
        "features": model.features,
        "unit": model.unit,
    }


def model_of(data: dict[str, Any]) -> ModelInfo:
    at = datetime.fromisoformat(data["at"]) if data.get("at") else datetime.now(UTC)
    return ModelInfo(
        kind=str(data.get("kind", "")),
        trained_on=str(data.get("trained_on", "")),
        codings=int(data.get("codings", 0)),
        positives=int(data.get("positives", 0)),
        negatives=int(data.get("negatives", 0)),
        rejected=int(data.get("rejected", 0)),
        at=at,
        features=str(data.get("features", "")),
        unit=str(data.get("unit", "")),
    )


def reason(source: str, reasons: dict[str, Any]) -> str:
    """Why a proposal was made, in words."""
    if source == "search":
        return Message(
            "the search '{query}' found it ({match})", query=reasons.get("query", ""), match=reasons.get("match", "")
        )
    if source == "definition":
        return Message("like the example: {example}", example=reasons.get("example", ""))
    shown = ", ".join(str(_word(w)) for w in reasons.get("words", []))
    return shown or Message("no word stands out")


def _word(w: dict[str, Any]) -> Word:
    return Word(str(w["word"]), w.get("lemma"), float(w.get("weight", 0.0)))


def values(session: Session, rows: Sequence[SuggestionRow]) -> list[Proposal]:
    """The rows as proposals, in the order given."""
    if not rows:
        return []
    paths = code_repo.paths(session)
    coders = dict(session.execute(select(Coder.id, Coder.name)).all())
    documents = {r.document_id for r in rows}
    docs = {
        d: (name, text)
        for d, name, text in session.execute(
            select(Document.id, Document.name, Document.text).where(Document.id.in_(documents))
        )
    }
    turns: dict[int, tuple[list[int], list[tuple[int, str | None]]]] = {}
    for d in documents:
        found = session.execute(
            select(TurnRow.start_offset, TurnRow.position, Speaker.label)
            .outerjoin(Speaker, TurnRow.speaker_id == Speaker.id)
            .where(TurnRow.document_id == d)
            .order_by(TurnRow.start_offset)
        )
        listed = list(found)
        turns[d] = ([t[0] for t in listed], [(t[1], t[2]) for t in listed])
    result = []
    for r in rows:
        name, text = docs[r.document_id]
        starts, info = turns[r.document_id]
        i = bisect_right(starts, r.start_offset) - 1
        turn, speaker = info[i] if i >= 0 else (None, None)
        span = Span(r.start_offset, r.end_offset)
        result.append(
            Proposal(
                id=r.id,
                code=paths.get(r.code_id, Message("a deleted code")),
                coder=coders.get(r.coder_id, ""),
                document=name,
                unit=r.unit,
                number=r.position,
                turn=turn,
                speaker=speaker,
                span=span,
                text=span.of(text),
                score=float(r.score),
                source=r.source,
                words=tuple(_word(w) for w in r.reasons.get("words", [])) if r.source == "model" else (),
                reason=reason(r.source, r.reasons),
                status=r.status,
                provenance=provenance(r.source, r.model, r.reasons, paths.get(r.code_id, "")),
                decided_by=r.decided_by,
                coding_id=r.coding_id,
            )
        )
    return result
