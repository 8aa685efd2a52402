"""A document with every row that hangs on it: read as a snapshot, delete, and put back with the same ids.

The snapshot is generic: each table's columns are read from the table itself, so a column added to
``documents`` (or any table here) later is kept and restored without this module changing. Rows
are stored column-wise (``{"columns": [...], "values": [[...], ...]}``) because a long focus group
has thousands of sentences and the snapshot lives in the journal.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, CursorResult, Table, delete, func, insert, or_, select, update
from sqlalchemy.orm import Session

from mda_coder.core.errors import MdaError
from mda_coder.store import codes as code_repo
from mda_coder.store import search_index
from mda_coder.store.models import (
    AnchorFlag,
    Base,
    Coder,
    CodingRow,
    ConsensusDecision,
    Document,
    MemoRow,
    Person,
    SentenceRow,
    Speaker,
    SuggestionRow,
    TurnRow,
)
from mda_coder.store.snapshots import stored_rows

Snapshot = dict[str, Any]

TABLES: tuple[Table, ...] = tuple(
    Base.metadata.tables[model.__tablename__]
    for model in (
        Document,
        Speaker,
        TurnRow,
        SentenceRow,
        CodingRow,
        MemoRow,
        ConsensusDecision,
        SuggestionRow,
        AnchorFlag,
    )
)
"""Every table holding a document's rows, parents first (the order rows go back in)."""
_DOCUMENTS, _SPEAKERS, _TURNS, _SENTENCES, _CODINGS, _MEMOS, _DECISIONS, _SUGGESTIONS, _FLAGS = TABLES

_AS_ANOTHER = "with --as another name (undo would take back your own removal of it first)"

_CHUNK = 500
"""Ids per ``IN (…)``: well under every backend's limit on bound parameters."""


def _owned(table: Table, doc_id: int) -> ColumnElement[bool]:
    """The rows of ``table`` that belong to the document: by ``document_id``, or for memos by what they are on."""
    if table is _MEMOS:
        turns = select(TurnRow.id).where(TurnRow.document_id == doc_id)
        on_turns = (MemoRow.target_kind == "turn") & MemoRow.target_id.in_(turns)
        return or_((MemoRow.target_kind == "document") & (MemoRow.target_id == doc_id), on_turns)
    if table is _DOCUMENTS:
        return table.c.id == doc_id
    return table.c.document_id == doc_id


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def take(session: Session, doc_id: int) -> Snapshot:
    """Every row of the document in every table of ``TABLES``, with its id, and the names of what they refer to.

    ``persons``, ``codes`` and ``coders`` map the ids the rows refer to outside the document to
    names, so that a refusal to restore can say which one has gone.
    """
    rows: dict[str, dict[str, Any]] = {}
    for table in TABLES:
        columns = [c.name for c in table.columns]
        result = session.execute(select(table).where(_owned(table, doc_id)).order_by(table.c.id))
        rows[table.name] = {"columns": columns, "values": [[_plain(v) for v in row] for row in result]}
    persons = (
        select(Person.id, Person.name)
        .join(Speaker, Speaker.person_id == Person.id)
        .where(Speaker.document_id == doc_id)
    )
    code_ids = set(session.scalars(select(CodingRow.code_id).where(CodingRow.document_id == doc_id).distinct()))
    paths = code_repo.paths(session)
    coder_ids = select(CodingRow.coder_id).where(CodingRow.document_id == doc_id)
    memo_coders = select(MemoRow.coder_id).where(_owned(_MEMOS, doc_id))
    coders = select(Coder.id, Coder.name).where(or_(Coder.id.in_(coder_ids), Coder.id.in_(memo_coders)))
    return {
        "rows": rows,
        "persons": {str(i): name for i, name in session.execute(persons)},
        "codes": {str(i): paths.get(i, "?") for i in sorted(code_ids)},
        "coders": {str(i): name for i, name in session.execute(coders)},
    }


def delete_all(session: Session, doc_id: int) -> None:
    """Delete the document and every row of it, children first (nothing is left to a cascade).

    Memos go before the turns they are on: they find them by ``target_id``, without a foreign key.
    The document's rows in the search index go first (FTS5 knows no foreign key either).
    """
    search_index.drop_document(session.connection(), doc_id)
    for table in reversed(TABLES):
        session.execute(delete(table).where(_owned(table, doc_id)))
    session.expire_all()


def counts(session: Session, doc_id: int) -> tuple[int, dict[str, int], int, int]:
    """The document's turns, codings per coder, memos (on it and its turns) and consensus decisions."""
    turns = session.scalar(select(func.count()).select_from(TurnRow).where(TurnRow.document_id == doc_id)) or 0
    per_coder = session.execute(
        select(Coder.name, func.count())
        .join(CodingRow, CodingRow.coder_id == Coder.id)
        .where(CodingRow.document_id == doc_id)
        .group_by(Coder.id, Coder.name)
        .order_by(Coder.id)
    )
    memos = session.scalar(select(func.count()).select_from(MemoRow).where(_owned(_MEMOS, doc_id))) or 0
    decisions = (
        session.scalar(
            select(func.count()).select_from(ConsensusDecision).where(ConsensusDecision.document_id == doc_id)
        )
        or 0
    )
    return turns, dict(per_coder.all()), memos, decisions


def _rows(snapshot: Snapshot, table: Table) -> list[dict[str, Any]]:
    """The table's rows from the snapshot as values to insert: columns gone since are dropped, times parsed."""
    return stored_rows(snapshot["rows"].get(table.name), table)


def _chunks(ids: Sequence[int]) -> Iterator[Sequence[int]]:
    for i in range(0, len(ids), _CHUNK):
        yield ids[i : i + _CHUNK]


def _taken(session: Session, table: Table, ids: Iterable[int]) -> set[int]:
    wanted = sorted(set(ids))
    found: set[int] = set()
    for chunk in _chunks(wanted):
        found.update(session.scalars(select(table.c.id).where(table.c.id.in_(chunk))))
    return found


def _put(session: Session, table: Table, rows: list[dict[str, Any]]) -> dict[int, int]:
    """Insert rows with their own ids where still free; the others get new ids. Returns ``{old id: new id}``.

    Ids are free unless something was added since: another document imported (turns, speakers,
    sentences) or codings, memos and decisions made elsewhere, which take the next ids in SQLite.
    """
    taken = _taken(session, table, (r["id"] for r in rows))
    free = [r for r in rows if r["id"] not in taken]
    if free:
        session.execute(insert(table), free)
    moved: dict[int, int] = {}
    for row in rows:
        if row["id"] in taken:
            fresh = {k: v for k, v in row.items() if k != "id"}
            done = session.execute(insert(table).values(**fresh))
            assert isinstance(done, CursorResult)  # an INSERT's result is a cursor's
            key = done.inserted_primary_key
            assert key is not None
            moved[row["id"]] = int(key[0])
    return moved


def check(session: Session, snapshot: Snapshot) -> None:
    """Refuse (``MdaError``, saying what to do) when the project no longer has room for the snapshot."""
    [doc] = _rows(snapshot, _DOCUMENTS)
    same_file = session.scalar(select(Document.name).where(Document.content_hash == doc["content_hash"]))
    same_name = session.scalar(select(Document.id).where(Document.name == doc["name"])) is not None
    if same_file is not None or same_name:
        what = f"a document with the same file ('{same_file}')" if same_file else f"a document called '{doc['name']}'"
        raise MdaError(f"{what} was imported since; remove it first {_AS_ANOTHER}")
    if session.get(Document, doc["id"]) is not None:
        raise MdaError(f"a document imported since has taken its place in the project; remove it first {_AS_ANOTHER}")
    _check_present(
        session, Person, snapshot["persons"], "the person {} that a speaker was linked to {} no longer in the project"
    )
    _check_present(session, Coder, snapshot["coders"], "the coder {} {} no longer in the project")
    codes = snapshot["codes"]
    present = code_repo.paths(session)
    gone = [path for i, path in codes.items() if int(i) not in present]
    if gone:
        raise MdaError(
            f"{_listed(gone)} that its codings use {'is' if len(gone) == 1 else 'are'} no longer in the codebook "
            f"(deleted or merged since); add {'it' if len(gone) == 1 else 'them'} back or undo the merge first"
        )


def _listed(names: Sequence[str]) -> str:
    quoted = ", ".join(f"'{n}'" for n in names)
    return f"the code {quoted}" if len(names) == 1 else f"the codes {quoted}"


def _check_present(session: Session, model: type[Person] | type[Coder], names: dict[str, str], message: str) -> None:
    wanted = [int(i) for i in names]
    present = set(session.scalars(select(model.id).where(model.id.in_(wanted)))) if wanted else set()
    gone = [f"'{names[str(i)]}'" for i in wanted if i not in present]
    if gone:
        raise MdaError(message.format(", ".join(gone), "is" if len(gone) == 1 else "are"))


def restore(session: Session, snapshot: Snapshot) -> int:
    """Put every row of the snapshot back (the document with its own id); returns the document id.

    Rows whose id was taken since get new ids, and what refers to them (a turn's speaker, a
    sentence's turn, a memo on a turn, a decision's source codings) follows.
    """
    check(session, snapshot)
    [doc] = _rows(snapshot, _DOCUMENTS)
    _put(session, _DOCUMENTS, [doc])
    speakers = _put(session, _SPEAKERS, _rows(snapshot, _SPEAKERS))
    turns = _rows(snapshot, _TURNS)
    for row in turns:
        row["speaker_id"] = speakers.get(row["speaker_id"], row["speaker_id"])
    turn_ids = _put(session, _TURNS, turns)
    sentences = _rows(snapshot, _SENTENCES)
    for row in sentences:
        row["turn_id"] = turn_ids.get(row["turn_id"], row["turn_id"])
    _put(session, _SENTENCES, sentences)
    coding_ids = _put(session, _CODINGS, _rows(snapshot, _CODINGS))
    memos = _rows(snapshot, _MEMOS)
    for row in memos:
        if row["target_kind"] == "turn":
            row["target_id"] = turn_ids.get(row["target_id"], row["target_id"])
    _put(session, _MEMOS, memos)
    decisions = _rows(snapshot, _DECISIONS)
    if coding_ids:
        for row in decisions:
            row["codings"] = _with_coding_ids(row["codings"], coding_ids)
    _put(session, _DECISIONS, decisions)
    suggestions = _rows(snapshot, _SUGGESTIONS)
    for row in suggestions:
        row["coding_id"] = coding_ids.get(row["coding_id"], row["coding_id"])
    moved = _put(session, _SUGGESTIONS, suggestions)
    flags = _rows(snapshot, _FLAGS)
    for row in flags:  # a flag on a coding that stays points at it
        row["coding_id"] = (
            coding_ids.get(row["coding_id"], row["coding_id"]) if row["kind"] == "coding" else row["coding_id"]
        )
    _put(session, _FLAGS, flags)
    for old, new in moved.items():  # an accepted proposal's coding keeps pointing at it
        if old != new:
            session.execute(update(CodingRow).where(CodingRow.suggestion_id == old).values(suggestion_id=new))
    session.flush()
    search_index.index_document(session.connection(), int(doc["id"]))
    return int(doc["id"])


def _with_coding_ids(codings: dict[str, Any], moved: dict[int, int]) -> dict[str, Any]:
    """A decision's ``codings`` with the source codings that got new ids renumbered."""
    made = []
    for item in codings.get("made", []):
        sources = [
            {**src, "coding_id": moved.get(src.get("coding_id"), src.get("coding_id"))}
            for src in item.get("sources", [])
        ]
        made.append({**item, "sources": sources})
    return {**codings, "made": made}
