"""Proposed codings in the store: where an accepted coding came from, said in words for listings."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mda_coder.i18n import Message
from mda_coder.store import codes as code_repo
from mda_coder.store.models import SuggestionRow


def _when(value: object) -> str:
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value).strftime("%Y-%m-%d %H:%M")
        except ValueError:
            return value
    return value.strftime("%Y-%m-%d %H:%M") if isinstance(value, datetime) else ""


UNIT_WORDS = {"turn": Message("turns"), "sentence": Message("sentences"), "span": Message("spans")}
"""A unit's name in a sentence that counts them (``20 coded turns``), said in the interface's language."""


def provenance(source: str, model: dict[str, Any], reasons: dict[str, Any], code: str) -> str:
    """What made a proposal, e.g. ``suggested by a model trained on 24 codings by anna (24 coded turns, 180 not) at …``."""
    if source == "search":
        return Message(
            "suggested by the search '{query}' at {at}", query=reasons.get("query", ""), at=_when(model.get("at"))
        )
    if source == "definition":
        return Message("suggested by the examples of {code} at {at}", code=code, at=_when(model.get("at")))
    return Message(
        "suggested by a {kind} trained on {n} codings by {coder} ({positives} coded {units}, {negatives} not) at {at}",
        kind=model.get("kind", ""),
        n=model.get("codings", model.get("positives", 0)),
        coder=model.get("trained_on", ""),
        positives=model.get("positives", 0),
        negatives=model.get("negatives", 0),
        units=UNIT_WORDS.get(str(model.get("unit")), Message("units")),
        at=_when(model.get("at")),
    )


def accepted_provenance(session: Session, suggestion_ids: Collection[int]) -> dict[int, str]:
    """For each proposal id, how the coding it became came to be: ``suggested by …, accepted by anna``."""
    if not suggestion_ids:
        return {}
    paths = code_repo.paths(session)
    said: dict[int, str] = {}
    for row in session.scalars(select(SuggestionRow).where(SuggestionRow.id.in_(list(suggestion_ids)))):
        made = provenance(row.source, row.model, row.reasons, paths.get(row.code_id, ""))
        said[row.id] = Message("{made}, accepted by {coder}", made=made, coder=row.decided_by or "?")
    return said
