"""What searching hands back: hits of a query in a document, and the coded excerpts of a code."""

from __future__ import annotations

from dataclasses import dataclass

from mda_coder.core.spans import Span


@dataclass(frozen=True, slots=True)
class Hit:
    """One place in a document's text that matches a search query."""

    turn: int | None
    """1-based number of the turn the hit begins in; None outside every turn (e.g. a title line)."""
    span: Span
    """Absolute code-point span into the document text."""
    text: str
    """The matched text itself."""
    snippet: str
    """The match with some words around it, on one line, for a result list."""
    match: str
    """How it matched: ``exact``, ``lemma`` or ``fuzzy``."""
    score: float = 100.0
    """0–100; below 100 only for fuzzy hits."""


@dataclass(frozen=True, slots=True)
class Excerpt:
    """One coded passage of a code, with where it is, for listing a code's excerpts and jumping to one."""

    coding_id: int
    document: str
    group: str | None
    turn: int | None
    """1-based number of the turn the coding begins in."""
    speaker: str | None
    role: str | None
    span: Span
    text: str
    coder: str
    code_path: str
    memo: str | None
