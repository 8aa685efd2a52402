"""Codings and the views of stored things that services hand to the CLI and the TUI."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from mda_coder.core.spans import Span


@dataclass(frozen=True, slots=True)
class CodeInfo:
    id: int
    path: str
    name: str
    parent_id: int | None
    color: str | None
    key: str | None
    definition: str
    """In the project's language when the codebook has it."""


@dataclass(frozen=True, slots=True)
class Coding:
    """One code applied by one coder to one span of one document."""

    id: int
    coder: str
    code_path: str
    document: str
    span: Span
    text: str
    """The coded text, for display and export."""
    memo: str | None
    created: datetime
    modified: datetime
    suggested: str | None = None
    """Where the coding came from when it was an accepted proposal: ``suggested by …, accepted by anna``."""


@dataclass(frozen=True, slots=True)
class DocumentInfo:
    id: int
    name: str
    source_file: str
    format: str
    layout: str
    group: str | None
    content_hash: str
    characters: int
    words: int
    turns: int
    speakers: int
    sentences: int
    attributes: dict[str, object] = field(default_factory=dict)
    """Free metadata such as ``kommun`` or ``datum``."""
    guessed: bool = False
    """The importer had to guess at the layout or at more than a small share of the lines."""
    doubts: int = 0
    """Lines the importer listed for a user to check."""


@dataclass(frozen=True, slots=True)
class DocumentDoubt:
    """One line the importer doubted, kept with the document it is in."""

    document: str
    kind: str
    line: int | None
    text: str
    reading: str


@dataclass(frozen=True, slots=True)
class SpeakerRow:
    id: int
    document: str
    label: str
    display_name: str | None
    role: str | None
    person: str | None
    """The cross-document person this label is linked to, if any."""
    turns: int
    attributes: dict[str, object] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class TurnInfo:
    """A turn as commands and the workspace read it (the stored row is ``store.models.TurnRow``)."""

    document: str
    index: int
    """1-based, as researchers cite turns (``tur 37``)."""
    speaker: str | None
    span: Span
    time: float | None
    text: str


@dataclass(frozen=True, slots=True)
class SentenceInfo:
    """A sentence as commands and the workspace read it (the stored row is ``store.models.SentenceRow``)."""

    document: str
    turn: int
    index: int
    """1-based within the document."""
    span: Span
    text: str
    in_turn: int = 0
    """1-based within its turn: what ``codings apply --turn T --sentence N`` counts."""
