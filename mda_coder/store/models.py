"""The project schema as SQLAlchemy 2 typed models, with named constraints.

Offsets are code points into ``Document.text``; every span column pair carries
``CHECK(start < end)``. Rows never leave ``store/``: repositories convert them to core values.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    event,
    false,
    func,
    select,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import DeclarativeBase, Mapped, Mapper, mapped_column, relationship

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def utcnow() -> datetime:
    return datetime.now(UTC)


def new_uuid() -> str:
    """A fresh identity for a row: a lowercase canonical UUID 4, the same in every copy of the project."""
    return str(uuid.uuid4())


IDENTIFIED = ("documents", "persons", "speakers", "codes", "coders", "codings", "memos")
"""The tables whose rows carry a ``uuid`` (unique index ``uq_<table>_uuid``): who and what a merge matches by.

Row ids are the project's own; a uuid stays with a row through copies, merges and REFI-QDA exchange.
"""


def _uuid_column() -> Mapped[str]:
    return mapped_column(String(36), default=new_uuid)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {dict[str, Any]: JSON, datetime: DateTime(timezone=True)}  # noqa: RUF012 - SQLAlchemy's own hook
    if TYPE_CHECKING:
        # SQLAlchemy types it as any FromClause (a class may map a join); every model here maps one Table.
        __table__: ClassVar[Table]


class SchemaInfo(Base):
    """One row per applied migration; the highest version is the schema version."""

    __tablename__ = "schema_migrations"
    version: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    description: Mapped[str] = mapped_column(String(200))
    applied_at: Mapped[datetime] = mapped_column(default=utcnow)


class Setting(Base):
    """Project-wide settings such as the transcript language."""

    __tablename__ = "settings"
    key: Mapped[str] = mapped_column(String(100), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class Document(Base):
    __tablename__ = "documents"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = _uuid_column()
    name: Mapped[str] = mapped_column(String(300), unique=True)
    text: Mapped[str] = mapped_column(Text)
    """The full text exactly as imported (newlines normalised); all offsets refer to it."""
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    """SHA-256 of the source file's bytes: re-importing the same file is detected by it."""
    source_file: Mapped[str] = mapped_column(String(1000))
    format: Mapped[str] = mapped_column(String(20))
    layout: Mapped[str] = mapped_column(String(50))
    encoding: Mapped[str] = mapped_column(String(30))
    group_name: Mapped[str | None] = mapped_column(String(200), index=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    imported_at: Mapped[datetime] = mapped_column(default=utcnow)
    guessed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """The reader had to guess at this file's layout, or at more than a small share of its lines."""
    doubts: Mapped[list[dict[str, Any]] | None] = mapped_column(JSON, default=list)
    """Every guess the reader made, as ``{kind, line, text, reading}``: what a user should check."""

    speakers: Mapped[list[Speaker]] = relationship(back_populates="document", cascade="all, delete-orphan")
    turns: Mapped[list[TurnRow]] = relationship(back_populates="document", cascade="all, delete-orphan")


class Person(Base):
    """Someone who speaks in several documents; per-document speaker labels link to it."""

    __tablename__ = "persons"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = _uuid_column()
    name: Mapped[str] = mapped_column(String(200), unique=True)
    role: Mapped[str | None] = mapped_column(String(200))
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)


class Speaker(Base):
    __tablename__ = "speakers"
    __table_args__ = (UniqueConstraint("document_id", "label"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = _uuid_column()
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(200))
    display_name: Mapped[str | None] = mapped_column(String(200))
    role: Mapped[str | None] = mapped_column(String(200))
    attributes: Mapped[dict[str, Any]] = mapped_column(default=dict)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("persons.id", ondelete="SET NULL"), index=True)

    document: Mapped[Document] = relationship(back_populates="speakers")
    person: Mapped[Person | None] = relationship()


class TurnRow(Base):
    __tablename__ = "turns"
    __table_args__ = (
        UniqueConstraint("document_id", "position"),
        CheckConstraint("start_offset < end_offset", name="span"),
        CheckConstraint("start_offset >= 0", name="start_nonneg"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    """1-based turn number within the document."""
    speaker_id: Mapped[int | None] = mapped_column(ForeignKey("speakers.id", ondelete="SET NULL"), index=True)
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    time_start: Mapped[float | None] = mapped_column(Float)
    time_end: Mapped[float | None] = mapped_column(Float)

    document: Mapped[Document] = relationship(back_populates="turns")
    speaker: Mapped[Speaker | None] = relationship()


class SentenceRow(Base):
    __tablename__ = "sentences"
    __table_args__ = (
        UniqueConstraint("document_id", "position"),
        CheckConstraint("start_offset < end_offset", name="span"),
        CheckConstraint("start_offset >= 0", name="start_nonneg"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    turn_id: Mapped[int] = mapped_column(ForeignKey("turns.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    """1-based sentence number within the document."""
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)


class ExclusiveGroupRow(Base):
    """A set of codes of which one coder applies at most one per unit (a nominal variable)."""

    __tablename__ = "exclusive_groups"
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    description: Mapped[str] = mapped_column(Text, default="")


class CodeRow(Base):
    __tablename__ = "codes"
    __table_args__ = (
        UniqueConstraint("parent_id", "name"),
        CheckConstraint("name <> ''", name="name_nonempty"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = _uuid_column()
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("codes.id", ondelete="RESTRICT"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)
    color: Mapped[str | None] = mapped_column(String(7))
    shortcut: Mapped[str | None] = mapped_column(String(1))
    definition: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """``{language: text}``; ``""`` is the key for a text without a language."""
    use_when: Mapped[dict[str, Any]] = mapped_column(default=dict)
    dont_use_when: Mapped[dict[str, Any]] = mapped_column(default=dict)
    example: Mapped[dict[str, Any]] = mapped_column(default=dict)
    exclusive_group_id: Mapped[int | None] = mapped_column(
        ForeignKey("exclusive_groups.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    parent: Mapped[CodeRow | None] = relationship(remote_side=[id])
    exclusive_group: Mapped[ExclusiveGroupRow | None] = relationship()


# UNIQUE(parent_id, name) lets NULL parents repeat a name, so top-level codes get a partial index.
Index(
    "uq_codes_root_name",
    CodeRow.name,
    unique=True,
    sqlite_where=CodeRow.parent_id.is_(None),
    postgresql_where=CodeRow.parent_id.is_(None),
)


class Coder(Base):
    __tablename__ = "coders"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = _uuid_column()
    name: Mapped[str] = mapped_column(String(100), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class CodingRow(Base):
    __tablename__ = "codings"
    __table_args__ = (
        UniqueConstraint(
            "coder_id", "code_id", "document_id", "start_offset", "end_offset", name="uq_codings_one_per_span"
        ),
        CheckConstraint("start_offset < end_offset", name="span"),
        CheckConstraint("start_offset >= 0", name="start_nonneg"),
        Index("ix_codings_document_span", "document_id", "start_offset", "end_offset"),
        Index("ix_codings_code_document", "code_id", "document_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = _uuid_column()
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id", ondelete="RESTRICT"), index=True)
    code_id: Mapped[int] = mapped_column(ForeignKey("codes.id", ondelete="RESTRICT"))
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    memo: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    merge_id: Mapped[int | None] = mapped_column(Integer, index=True)
    """The merge (``merges``) that brought the coding in from a coder's copy; None when made here.

    No foreign key, like a consensus decision's code: undoing a merge deletes its row, and a
    document removal's undo must still be able to put the coding back."""
    suggestion_id: Mapped[int | None] = mapped_column(Integer, index=True)
    """The proposal (``suggestions``) a coder accepted to make this coding; None when a person made it unprompted.

    No foreign key, for the same reasons as ``merge_id``: the provenance must survive undo and redo."""

    coder: Mapped[Coder] = relationship()
    code: Mapped[CodeRow] = relationship()
    document: Mapped[Document] = relationship()


class MergeRow(Base):
    """One coder's copy merged into the project: which copy, whose, when, by whom, and what came in."""

    __tablename__ = "merges"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = mapped_column(String(36), unique=True)
    copy_uuid: Mapped[str] = mapped_column(String(36), index=True)
    """The copy's own identity (setting ``copy_uuid``), the same however the file is renamed."""
    copy_path: Mapped[str] = mapped_column(String(1000))
    copy_coder: Mapped[str] = mapped_column(String(100))
    copy_made_at: Mapped[str | None] = mapped_column(String(40))
    """When the copy was made, as the copy recorded it (ISO 8601)."""
    merged_at: Mapped[datetime] = mapped_column(default=utcnow)
    merged_by: Mapped[str] = mapped_column(String(100))
    counts: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """What came in: ``{"documents", "codes", "codings", "removed", "memos", "conflicts"}``."""


class MemoRow(Base):
    """A memo on the project, a document, a turn or a code (coding memos live on the coding)."""

    __tablename__ = "memos"
    __table_args__ = (
        CheckConstraint("target_kind IN ('project', 'document', 'turn', 'code')", name="target_kind"),
        Index("ix_memos_target", "target_kind", "target_id"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[str] = _uuid_column()
    target_kind: Mapped[str] = mapped_column(String(20))
    target_id: Mapped[int | None] = mapped_column(Integer)
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("coders.id", ondelete="SET NULL"))
    title: Mapped[str] = mapped_column(String(300), default="")
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    modified_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Event(Base):
    """The append-only journal: who changed what, when, with the data to undo it.

    Triggers refuse UPDATE and DELETE on this table (see ``migrations``).
    """

    __tablename__ = "events"
    # Undo walks one coder's entries newest first: (actor, id) makes that an index range scan.
    __table_args__ = (Index("ix_events_actor", "actor", "id"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    actor: Mapped[str] = mapped_column(String(100))
    """The coder name, or the OS user for project-level actions."""
    action: Mapped[str] = mapped_column(String(50), index=True)
    """e.g. ``coding.apply``, ``coding.remove``, ``document.import``, ``codebook.import``."""
    entity: Mapped[str] = mapped_column(String(30))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    data: Mapped[dict[str, Any]] = mapped_column(default=dict)
    """Enough to undo or audit the change: the row before and/or after."""


class CoderPlace(Base):
    """Where a coder left off in the workspace: the workspace reopens there.

    The document is kept by name, not by a foreign key: a place is a convenience, and removing
    the document (or undoing that) must neither take nor need it; a place on a document that
    is gone is ignored.
    """

    __tablename__ = "coder_places"
    coder: Mapped[str] = mapped_column(String(100), primary_key=True)
    document: Mapped[str] = mapped_column(String(300))
    turn: Mapped[int] = mapped_column(Integer)
    """The 1-based turn number the cursor was on."""
    saved_at: Mapped[datetime] = mapped_column(default=utcnow)


class WindowRow(Base):
    """A workspace open on the project: who, on which host and process, and when it last said so.

    A row left behind by a window that crashed goes stale: its heartbeat stops (``seen_at``), and
    on the same host its process is gone. Times are seconds since the epoch, from the window's clock.
    """

    __tablename__ = "open_windows"
    id: Mapped[int] = mapped_column(primary_key=True)
    coder: Mapped[str] = mapped_column(String(100), index=True)
    host: Mapped[str] = mapped_column(String(255))
    pid: Mapped[int] = mapped_column(Integer)
    opened_at: Mapped[float] = mapped_column(Float)
    seen_at: Mapped[float] = mapped_column(Float)


class ConsensusDecision(Base):
    """How one unit (a turn or sentence) was settled for one code in consensus review, and from what.

    A unit with a decision is settled, also when the decision was that no coding belongs there
    ("neither"), which no coding could record. ``code_id`` has no foreign key on purpose: merging
    a code deletes its row, and undoing the merge puts it back with the same id, which brings its
    decisions back with it (a foreign key would either block the merge or lose them).
    """

    __tablename__ = "consensus_decisions"
    __table_args__ = (
        UniqueConstraint("code_id", "document_id", "unit", "position"),
        CheckConstraint("unit IN ('turn', 'sentence')", name="unit"),
        CheckConstraint("decision IN ('take', 'both', 'neither', 'span', 'agreed')", name="decision"),
        CheckConstraint("start_offset < end_offset", name="span"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code_id: Mapped[int] = mapped_column(Integer)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    unit: Mapped[str] = mapped_column(String(10))
    position: Mapped[int] = mapped_column(Integer)
    """The 1-based turn or sentence number."""
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    """The unit's span when it was settled."""
    decision: Mapped[str] = mapped_column(String(10))
    """``take`` one coder's codings, ``both`` (all coders' joined), ``neither``, an edited ``span``, or
    ``agreed`` (adopted because every coder applied the code)."""
    coders: Mapped[dict[str, Any]] = mapped_column()
    """``{"compared": [names], "taken": [names]}``: the coders reviewed, and those whose codings were kept."""
    codings: Mapped[dict[str, Any]] = mapped_column()
    """``{"made": [{"start", "end", "sources": [{"coder", "coding_id", "start", "end"}]}]}``: the
    consensus codings the decision made, each with the codings it was copied from."""
    reviewer: Mapped[str] = mapped_column(String(100))
    """Who settled it (the consensus coder is a role, not a person)."""
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class SuggestionRow(Base):
    """A proposed coding waiting for a person's decision: from a model, a search or a code's examples.

    A proposal never is a coding: only accepting it makes one (``codings.suggestion_id`` points back
    here). ``code_id`` and ``coding_id`` have no foreign key, like a consensus decision's code: a code
    merged away and back, or a coding undone and redone, must not take the proposal with it.
    """

    __tablename__ = "suggestions"
    __table_args__ = (
        CheckConstraint("start_offset < end_offset", name="span"),
        CheckConstraint("source IN ('model', 'search', 'definition')", name="source"),
        CheckConstraint("status IN ('open', 'accepted', 'rejected', 'skipped')", name="status"),
        CheckConstraint("unit IN ('turn', 'sentence', 'span')", name="unit"),
        Index("ix_suggestions_queue", "coder_id", "code_id", "status"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    code_id: Mapped[int] = mapped_column(Integer)
    coder_id: Mapped[int] = mapped_column(ForeignKey("coders.id", ondelete="CASCADE"))
    """Whose queue it is in: the coder who may accept it (and whose coding it then becomes)."""
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    unit: Mapped[str] = mapped_column(String(10))
    position: Mapped[int | None] = mapped_column(Integer)
    """The 1-based turn or sentence number (None for a free span)."""
    start_offset: Mapped[int] = mapped_column(Integer)
    end_offset: Mapped[int] = mapped_column(Integer)
    score: Mapped[float] = mapped_column(Float)
    """0–1: the model's probability, a search hit's match score, or the similarity to a code's example."""
    reasons: Mapped[dict[str, Any]] = mapped_column()
    """Why it was proposed: ``{"words": [{"word", "lemma", "weight"}]}``, ``{"query", "match"}`` or ``{"example"}``."""
    source: Mapped[str] = mapped_column(String(12))
    model: Mapped[dict[str, Any]] = mapped_column()
    """What proposed it: ``{"kind", "trained_on", "positives", "negatives", "at", "features", "unit"}`` for a model."""
    status: Mapped[str] = mapped_column(String(10), default="open")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    decided_at: Mapped[datetime | None] = mapped_column()
    decided_by: Mapped[str | None] = mapped_column(String(100))
    coding_id: Mapped[int | None] = mapped_column(Integer)
    """The coding an accepted proposal became."""


class AnchorFlag(Base):
    """A coding (or consensus decision) whose words a text correction changed beyond doubt, or took away: to review.

    A ``doubtful`` coding stays on its moved span (``coding_id``); a ``gone`` one is deleted from
    ``codings`` and lives on here (coder, code, old span and text, memo), so nothing is silently lost.
    ``event_id`` is the journal entry of the correction; ``resolved_by``/``resolved_at`` say who reviewed it.
    ``code_id`` and ``coding_id`` have no foreign key, like a suggestion's: undo and redo re-create rows.
    """

    __tablename__ = "anchor_flags"
    __table_args__ = (
        CheckConstraint("status IN ('doubtful', 'gone')", name="status"),
        CheckConstraint("kind IN ('coding', 'consensus')", name="kind"),
        Index("ix_anchor_flags_document", "document_id", "resolved_at"),
    )
    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    event_id: Mapped[int | None] = mapped_column(Integer)
    """The correction's journal entry (None while a dry run computes it)."""
    kind: Mapped[str] = mapped_column(String(10), default="coding")
    """``coding``, or ``consensus`` for a consensus decision whose unit no longer matches."""
    coding_id: Mapped[int | None] = mapped_column(Integer)
    """The coding (or decision) when it stays (doubtful); None when gone."""
    coder_id: Mapped[int | None] = mapped_column(ForeignKey("coders.id", ondelete="CASCADE"), index=True)
    """Whose coding it is (None for a consensus decision)."""
    code_id: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10))
    kept: Mapped[float] = mapped_column(Float)
    old_start: Mapped[int] = mapped_column(Integer)
    old_end: Mapped[int] = mapped_column(Integer)
    old_text: Mapped[str] = mapped_column(Text)
    new_start: Mapped[int | None] = mapped_column(Integer)
    new_end: Mapped[int | None] = mapped_column(Integer)
    new_text: Mapped[str | None] = mapped_column(Text)
    memo: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_by: Mapped[str | None] = mapped_column(String(100))
    resolved_at: Mapped[datetime | None] = mapped_column()


for _table in IDENTIFIED:
    Index(f"uq_{_table}_uuid", Base.metadata.tables[_table].c.uuid, unique=True)


@event.listens_for(Document, "before_insert")
def _never_reuse_a_removed_document_id(_mapper: Mapper[Document], connection: Connection, target: Document) -> None:
    """Give a new document an id above every removed document's id (SQLite only; PostgreSQL never reuses ids).

    SQLite gives a new row the highest id + 1: a file imported after the newest document was removed
    would get the removed one's id, and the journal's entries about the removed document (a coder's
    redo of a coding on it, the undo of its removal) would land on the new one.
    """
    if target.id is not None or connection.dialect.name != "sqlite":
        return
    removed = connection.scalar(select(func.max(Event.entity_id)).where(Event.action == "document.remove"))
    if removed is not None:
        target.id = max(connection.scalar(select(func.max(Document.id))) or 0, removed) + 1
