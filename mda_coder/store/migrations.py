"""Ordered schema migrations and the schema version, from day one.

A new project gets the current schema in one go and is stamped with every
version; an older project is brought up by applying, in order and each in its
own transaction, the migrations it has not had. Later migrations must use
explicit DDL (never ``create_all``), because they run on old schemas.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    Connection,
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
    func,
    insert,
    inspect,
    select,
    text,
)

from mda_coder.core.errors import ProjectError
from mda_coder.i18n import Message
from mda_coder.store import search_index
from mda_coder.store.models import NAMING_CONVENTION, Base, SchemaInfo, Setting, utcnow
from mda_coder.store.settings import PROJECT_UUID


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _journal_triggers(conn: Connection) -> None:
    """Make the event journal append-only in the database itself, not just by convention."""
    if conn.dialect.name == "sqlite":
        for op in ("UPDATE", "DELETE"):
            conn.execute(
                text(
                    f"CREATE TRIGGER IF NOT EXISTS events_no_{op.lower()} BEFORE {op} ON events "
                    "BEGIN SELECT RAISE(ABORT, 'the event journal is append-only'); END"
                )
            )
    elif conn.dialect.name == "postgresql":
        conn.execute(
            text(
                "CREATE OR REPLACE FUNCTION events_append_only() RETURNS trigger AS $$ "
                "BEGIN RAISE EXCEPTION 'the event journal is append-only'; END $$ LANGUAGE plpgsql"
            )
        )
        conn.execute(
            text(
                "CREATE TRIGGER events_append_only BEFORE UPDATE OR DELETE ON events "
                "FOR EACH ROW EXECUTE FUNCTION events_append_only()"
            )
        )


def restore_journal_triggers(conn: Connection) -> None:
    """Make the journal append-only again where its triggers went missing (``mda-coder doctor --repair``)."""
    _journal_triggers(conn)


def _initial(conn: Connection) -> None:
    Base.metadata.create_all(conn)
    _journal_triggers(conn)


def _events_actor_index(conn: Connection) -> None:
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_events_actor ON events (actor, id)"))


def _consensus_decisions(conn: Connection) -> None:
    """The table as version 3 has it, spelled out here: later model changes must not change what this builds."""
    meta = MetaData(naming_convention=NAMING_CONVENTION)
    Table("documents", meta, Column("id", Integer, primary_key=True))  # only referred to
    table = Table(
        "consensus_decisions",
        meta,
        Column("id", Integer, primary_key=True),
        Column("code_id", Integer, nullable=False),
        Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        Column("unit", String(10), nullable=False),
        Column("position", Integer, nullable=False),
        Column("start_offset", Integer, nullable=False),
        Column("end_offset", Integer, nullable=False),
        Column("decision", String(10), nullable=False),
        Column("coders", JSON, nullable=False),
        Column("codings", JSON, nullable=False),
        Column("reviewer", String(100), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, default=utcnow),
        UniqueConstraint("code_id", "document_id", "unit", "position"),
        CheckConstraint("unit IN ('turn', 'sentence')", name="unit"),
        CheckConstraint("decision IN ('take', 'both', 'neither', 'span', 'agreed')", name="decision"),
        CheckConstraint("start_offset < end_offset", name="span"),
    )
    table.create(conn, checkfirst=True)  # IF NOT EXISTS, like migration 2: a rerun after a crash is harmless


def _document_doubts(conn: Connection) -> None:
    """Keep what the importer doubted with each document, and whether it was a guess."""
    have = {column["name"] for column in inspect(conn).get_columns("documents")}
    no = "false" if conn.dialect.name == "postgresql" else "0"
    if "guessed" not in have:
        conn.execute(text(f"ALTER TABLE documents ADD COLUMN guessed BOOLEAN NOT NULL DEFAULT {no}"))
    if "doubts" not in have:
        conn.execute(text("ALTER TABLE documents ADD COLUMN doubts JSON"))


def _workspace_places_and_windows(conn: Connection) -> None:
    """Where each coder left off, and which workspaces are open: the tables as version 5 has them, spelled out."""
    meta = MetaData(naming_convention=NAMING_CONVENTION)
    places = Table(
        "coder_places",
        meta,
        Column("coder", String(100), primary_key=True),
        Column("document", String(300), nullable=False),
        Column("turn", Integer, nullable=False),
        Column("saved_at", DateTime(timezone=True), nullable=False, default=utcnow),
    )
    windows = Table(
        "open_windows",
        meta,
        Column("id", Integer, primary_key=True),
        Column("coder", String(100), nullable=False, index=True),
        Column("host", String(255), nullable=False),
        Column("pid", Integer, nullable=False),
        Column("opened_at", Float, nullable=False),
        Column("seen_at", Float, nullable=False),
    )
    places.create(conn, checkfirst=True)
    windows.create(conn, checkfirst=True)


FORMER_PROJECT_ID = "project_id"
"""Where a project exported to REFI-QDA before schema 6 kept its id (the seed of the GUIDs it exported)."""
_GUID_KINDS = {
    "documents": "source",
    "persons": "person",
    "speakers": "speaker",
    "codes": "code",
    "coders": "user",
    "codings": "coding",
    "memos": "memo",
}
"""What each identified table's rows were called in the GUIDs of REFI-QDA exports before schema 6."""


def former_guid(project: str, kind: str, row_id: int) -> str:
    """The GUID a REFI-QDA export before schema 6 gave a row: ``uuid5(NAMESPACE, "{project}/{kind}/{id}")``."""
    namespace = uuid.uuid5(uuid.NAMESPACE_URL, "urn:mda-coder:refi-qda")
    return str(uuid.uuid5(namespace, f"{project}/{kind}/{row_id}"))


def _stable_identity(conn: Connection) -> None:
    """Give every document, person, speaker, code, coder, coding and memo a uuid, and the project one.

    A project that was exported to REFI-QDA before keeps the GUIDs that export gave its rows, so a
    copy that went through NVivo or MAXQDA and came back is still recognised. SQLite cannot add a
    NOT NULL column without a default to a table with rows: there the column is NOT NULL only in
    projects made from this version on; the model gives every new row its uuid, and ``doctor``
    checks that none is missing.
    """
    seed = conn.execute(text("SELECT value FROM settings WHERE key = :k"), {"k": FORMER_PROJECT_ID}).scalar()
    if conn.execute(text("SELECT 1 FROM settings WHERE key = :k"), {"k": PROJECT_UUID}).first() is None:
        conn.execute(
            text("INSERT INTO settings (key, value) VALUES (:k, :v)"),
            {"k": PROJECT_UUID, "v": seed or str(uuid.uuid4())},
        )
    for table, kind in _GUID_KINDS.items():
        have = {column["name"] for column in inspect(conn).get_columns(table)}
        if "uuid" not in have:
            conn.execute(text(f"ALTER TABLE {table} ADD COLUMN uuid VARCHAR(36)"))
        ids = conn.execute(text(f"SELECT id FROM {table} WHERE uuid IS NULL")).scalars().all()
        if ids:
            conn.execute(
                text(f"UPDATE {table} SET uuid = :uuid WHERE id = :id"),
                [{"id": i, "uuid": former_guid(seed, kind, i) if seed else str(uuid.uuid4())} for i in ids],
            )
        conn.execute(text(f"CREATE UNIQUE INDEX IF NOT EXISTS uq_{table}_uuid ON {table} (uuid)"))
        if conn.dialect.name == "postgresql":
            conn.execute(text(f"ALTER TABLE {table} ALTER COLUMN uuid SET NOT NULL"))


def _merge_provenance(conn: Connection) -> None:
    """Which coder's copy each merged coding came from: the ``merges`` table and ``codings.merge_id``, spelled out."""
    meta = MetaData(naming_convention=NAMING_CONVENTION)
    merges = Table(
        "merges",
        meta,
        Column("id", Integer, primary_key=True),
        Column("uuid", String(36), nullable=False, unique=True),
        Column("copy_uuid", String(36), nullable=False, index=True),
        Column("copy_path", String(1000), nullable=False),
        Column("copy_coder", String(100), nullable=False),
        Column("copy_made_at", String(40)),
        Column("merged_at", DateTime(timezone=True), nullable=False, default=utcnow),
        Column("merged_by", String(100), nullable=False),
        Column("counts", JSON, nullable=False),
    )
    merges.create(conn, checkfirst=True)
    if "merge_id" not in {column["name"] for column in inspect(conn).get_columns("codings")}:
        conn.execute(text("ALTER TABLE codings ADD COLUMN merge_id INTEGER"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_codings_merge_id ON codings (merge_id)"))


def _suggestions(conn: Connection) -> None:
    """Proposed codings and where an accepted one came from: the ``suggestions`` table and ``codings.suggestion_id``, spelled out."""
    meta = MetaData(naming_convention=NAMING_CONVENTION)
    Table("coders", meta, Column("id", Integer, primary_key=True))  # only referred to
    Table("documents", meta, Column("id", Integer, primary_key=True))
    suggestions = Table(
        "suggestions",
        meta,
        Column("id", Integer, primary_key=True),
        Column("code_id", Integer, nullable=False),
        Column("coder_id", Integer, ForeignKey("coders.id", ondelete="CASCADE"), nullable=False),
        Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        Column("unit", String(10), nullable=False),
        Column("position", Integer),
        Column("start_offset", Integer, nullable=False),
        Column("end_offset", Integer, nullable=False),
        Column("score", Float, nullable=False),
        Column("reasons", JSON, nullable=False),
        Column("source", String(12), nullable=False),
        Column("model", JSON, nullable=False),
        Column("status", String(10), nullable=False),
        Column("created_at", DateTime(timezone=True), nullable=False, default=utcnow),
        Column("decided_at", DateTime(timezone=True)),
        Column("decided_by", String(100)),
        Column("coding_id", Integer),
        CheckConstraint("start_offset < end_offset", name="span"),
        CheckConstraint("source IN ('model', 'search', 'definition')", name="source"),
        CheckConstraint("status IN ('open', 'accepted', 'rejected', 'skipped')", name="status"),
        CheckConstraint("unit IN ('turn', 'sentence', 'span')", name="unit"),
        Index("ix_suggestions_queue", "coder_id", "code_id", "status"),
    )
    suggestions.create(conn, checkfirst=True)
    if "suggestion_id" not in {column["name"] for column in inspect(conn).get_columns("codings")}:
        conn.execute(text("ALTER TABLE codings ADD COLUMN suggestion_id INTEGER"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_codings_suggestion_id ON codings (suggestion_id)"))


CHANGES_CHANNEL = "mda_coder_changes"
"""The PostgreSQL channel on which the change feed (migration 8) announces every committed change to codings,
memos, the codebook and the consensus layer (``store.changes`` listens to it)."""

_FED_TABLES = {
    # table: (its document column, its coder column); "" where it has none
    "codings": ("document_id", "coder_id"),
    "memos": ("", "coder_id"),
    "codes": ("", ""),
    "exclusive_groups": ("", ""),
    "consensus_decisions": ("document_id", ""),
}

_CHANGE_NOTICE = """
CREATE OR REPLACE FUNCTION mda_coder_notify_change() RETURNS trigger AS $$
DECLARE
    rows bigint;
    documents jsonb;
    coders jsonb;
BEGIN
    SELECT count(*) INTO rows FROM changed;
    IF rows = 0 THEN
        RETURN NULL;
    END IF;
    IF TG_ARGV[0] <> '' THEN
        EXECUTE format('SELECT CASE WHEN count(DISTINCT %1$I) <= 20 THEN jsonb_agg(DISTINCT %1$I) END FROM changed',
                       TG_ARGV[0]) INTO documents;
    END IF;
    IF TG_ARGV[1] <> '' THEN
        EXECUTE format('SELECT CASE WHEN count(DISTINCT %1$I) <= 20 THEN jsonb_agg(DISTINCT %1$I) END FROM changed',
                       TG_ARGV[1]) INTO coders;
    END IF;
    PERFORM pg_notify('{channel}', jsonb_build_object(
        'table', TG_TABLE_NAME, 'op', lower(TG_OP), 'rows', rows, 'pid', pg_backend_pid(),
        'documents', documents, 'coders', coders)::text);
    RETURN NULL;
END $$ LANGUAGE plpgsql
"""


def _change_feed(conn: Connection) -> None:
    """On PostgreSQL, announce each statement that changes codings, memos, the codebook or the consensus layer.

    Statement-level triggers with a transition table: a merge or an import inserting 50,000 codings in
    a few statements sends a few notifications, not 50,000. The payload names the table, the operation,
    the number of rows, the sender's ``pg_backend_pid()`` (so a workspace skips its own) and the ids of
    the documents and coders touched (null when more than 20): never any text, since a blind coder
    must not learn others' content from it; what a re-read then shows is for row-level security to
    decide. PostgreSQL delivers a notification only when its transaction commits. On SQLite nothing
    is needed: the workspace there has no one to listen to.
    """
    if conn.dialect.name != "postgresql":
        return
    conn.execute(text(_CHANGE_NOTICE.replace("{channel}", CHANGES_CHANNEL)))
    for table, (document, coder) in _FED_TABLES.items():
        for op, rows in (("INSERT", "NEW"), ("UPDATE", "NEW"), ("DELETE", "OLD")):
            conn.execute(
                text(
                    f"CREATE OR REPLACE TRIGGER {table}_notify_{op.lower()} AFTER {op} ON {table} "
                    f"REFERENCING {rows} TABLE AS changed FOR EACH STATEMENT "
                    f"EXECUTE FUNCTION mda_coder_notify_change('{document}', '{coder}')"
                )
            )


def _search_index(conn: Connection) -> None:
    """The corpus search index (``store/search_index.py``), built for every document the project holds.

    SQLite: an FTS5 table (``unicode61 remove_diacritics 0``) and its vocabulary; PostgreSQL: a table with
    ``tsvector`` columns (``simple``) under GIN indexes. Each turn's words and their lemmas.
    """
    search_index.create(conn)
    search_index.rebuild(conn)


def _anchor_flags(conn: Connection) -> None:
    """Codings a text correction moved onto changed words, or took away, kept for review: ``anchor_flags``, spelled out."""
    meta = MetaData(naming_convention=NAMING_CONVENTION)
    Table("coders", meta, Column("id", Integer, primary_key=True))  # only referred to
    Table("documents", meta, Column("id", Integer, primary_key=True))
    flags = Table(
        "anchor_flags",
        meta,
        Column("id", Integer, primary_key=True),
        Column("document_id", Integer, ForeignKey("documents.id", ondelete="CASCADE"), nullable=False),
        Column("event_id", Integer),
        Column("kind", String(10), nullable=False),
        Column("coding_id", Integer),
        Column("coder_id", Integer, ForeignKey("coders.id", ondelete="CASCADE")),
        Column("code_id", Integer, nullable=False),
        Column("status", String(10), nullable=False),
        Column("kept", Float, nullable=False),
        Column("old_start", Integer, nullable=False),
        Column("old_end", Integer, nullable=False),
        Column("old_text", Text, nullable=False),
        Column("new_start", Integer),
        Column("new_end", Integer),
        Column("new_text", Text),
        Column("memo", Text),
        Column("created_at", DateTime(timezone=True), nullable=False, default=utcnow),
        Column("resolved_by", String(100)),
        Column("resolved_at", DateTime(timezone=True)),
        CheckConstraint("status IN ('doubtful', 'gone')", name="status"),
        CheckConstraint("kind IN ('coding', 'consensus')", name="kind"),
    )
    flags.create(conn, checkfirst=True)
    # one after the other (a Table's indexes are a set, created in no fixed order)
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_anchor_flags_coder_id ON anchor_flags (coder_id)"))
    conn.execute(text("CREATE INDEX IF NOT EXISTS ix_anchor_flags_document ON anchor_flags (document_id, resolved_at)"))


MIGRATIONS: list[Migration] = [
    Migration(1, "initial schema: documents, speakers, turns, sentences, codes, codings, memos, journal", _initial),
    Migration(2, "index the journal by actor, for undo and redo", _events_actor_index),
    Migration(
        3,
        "consensus decisions: how each reviewed disagreement was settled, and from which codings",
        _consensus_decisions,
    ),
    Migration(4, "documents remember the importer's doubts and whether their layout was a guess", _document_doubts),
    Migration(
        5,
        "the workspace remembers where each coder left off, and which windows have the project open",
        _workspace_places_and_windows,
    ),
    Migration(
        6,
        "stable identity: documents, persons, speakers, codes, coders, codings and memos carry a uuid",
        _stable_identity,
    ),
    Migration(7, "merged codings remember which coder's copy they came from, and when", _merge_provenance),
    Migration(
        8,
        "on PostgreSQL, a change feed: each change to codings, memos, the codebook or consensus is announced",
        _change_feed,
    ),
    Migration(9, "proposed codings to review, and which proposal an accepted coding came from", _suggestions),
    Migration(
        10, "a search index of every turn's words and their lemmas, for searching the whole corpus", _search_index
    ),
    Migration(11, "codings a text correction moved onto changed words, or took away, kept for review", _anchor_flags),
]


def latest_version() -> int:
    return MIGRATIONS[-1].version


def current_version(conn: Connection) -> int:
    """The schema version of a database; 0 for one with no mda-coder tables."""
    if not inspect(conn).has_table(SchemaInfo.__tablename__):
        return 0
    return conn.execute(select(func.max(SchemaInfo.version))).scalar_one() or 0


def whole(conn: Connection) -> None:
    """Make the transaction ``conn`` is in hold its schema changes too, so that they go in all or not at all.

    Python's sqlite3 driver opens a transaction only before INSERT, UPDATE or DELETE; a CREATE or
    ALTER before them is committed at once, so a migration killed half-way would keep half its
    tables. Opening the transaction here (IMMEDIATE: the write lock first, so two programs opening
    an old project upgrade it one after the other) makes the DDL part of it. PostgreSQL's DDL is
    transactional already.
    """
    if conn.dialect.name == "sqlite" and not getattr(conn.connection.dbapi_connection, "in_transaction", True):
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def create_schema(conn: Connection) -> None:
    """Build the current schema in an empty database and stamp every version."""
    whole(conn)
    _initial(conn)
    conn.execute(insert(Setting), {"key": PROJECT_UUID, "value": str(uuid.uuid4())})
    _change_feed(conn)
    search_index.create(conn)
    conn.execute(
        insert(SchemaInfo),
        [{"version": m.version, "description": m.description} for m in MIGRATIONS],
    )


def upgrade(engine_connect: Callable[[], Connection], location: str) -> list[int]:
    """Apply the migrations a project has not had yet; returns the versions applied."""
    with engine_connect() as conn:
        have = current_version(conn)
    if have > latest_version():
        raise ProjectError(
            Message(
                "{location}: made by a newer mda-coder (schema {have}, this version knows up to {latest}); "
                "upgrade mda-coder to open it",
                location=location,
                have=have,
                latest=latest_version(),
            )
        )
    applied = []
    for migration in MIGRATIONS:
        if migration.version <= have:
            continue
        with engine_connect() as conn, conn.begin():
            whole(conn)
            if current_version(conn) >= migration.version:
                continue  # another program opening the project upgraded it meanwhile
            migration.apply(conn)
            conn.execute(insert(SchemaInfo), {"version": migration.version, "description": migration.description})
        applied.append(migration.version)
    return applied
