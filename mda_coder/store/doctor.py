"""The project's own checks of its database: what ``mda-coder doctor`` reads, and what ``--repair`` may change.

Each check reads one invariant the rest of the code relies on and says where it does not hold,
with the first few places. A repair changes only what has one safe answer (an orphan turn of a
removed document, a missing journal trigger); a coding is never removed without being named.
Everything runs on one connection, in the caller's transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Connection, and_, select, text

from mda_coder.i18n import Message
from mda_coder.store import search_index as index
from mda_coder.store.models import IDENTIFIED, CodingRow, Event, new_uuid

EXAMPLES = 20
"""How many places a check keeps for the report: enough to see the pattern, bounded on a wrecked file."""


@dataclass
class Check:
    """One check's result: how many things it read, how many problems it found, and the first ones."""

    name: str
    """A stable key for scripts: ``integrity``, ``foreign_keys``, ``codings``, ``turns``, ``sentences``,
    ``journal``, ``memos``, ``flags``, ``search_index``, ``code_tree``, ``identity``."""
    title: str
    """What is checked, for people (a Message)."""
    checked: int = 0
    problems: int = 0
    examples: list[str] = field(default_factory=list)
    """The first ``EXAMPLES`` problems, each naming the place."""
    repaired: list[str] = field(default_factory=list)
    """What ``--repair`` changed, one line per change (each coding it removed by itself)."""
    note: str | None = None
    """Why the check did not run, or what it could not repair."""
    skipped: bool = False
    """The check does not apply here (SQLite's own checks on PostgreSQL)."""

    def problem(self, said: str) -> None:
        self.problems += 1
        if len(self.examples) < EXAMPLES:
            self.examples.append(said)


TITLES = {
    "integrity": Message("database file (SQLite integrity check)"),
    "foreign_keys": Message("references between rows (foreign keys)"),
    "codings": Message("codings inside their document's text"),
    "turns": Message("turns in order, not overlapping, inside the text"),
    "sentences": Message("sentences in order, each inside its turn"),
    "journal": Message("the journal agrees with itself and with the codings"),
    "memos": Message("memos on things that exist"),
    "search_index": Message("search index in step with the text"),
    "code_tree": Message("the code tree has no cycles"),
    "identity": Message("every document, speaker, code, coder, coding and memo has its own uuid"),
    "flags": Message("codings flagged by text corrections lie inside the text"),
}
"""What each check looks at, for people, in the order they run."""


def unreadable(name: str, error: Exception) -> Check:
    """A check that could not read its rows (a damaged page): one problem, SQLite's words for it."""
    check = Check(name, TITLES[name])
    reason = str(getattr(error, "orig", None) or error).splitlines()[0]
    check.problem(Message("could not be read: {reason}", reason=reason))
    check.note = Message("cannot be repaired here: restore a backup, or rebuild the file with sqlite3's .recover")
    return check


def _rows(conn: Connection, sql: str, **params: Any) -> Sequence[Any]:
    return conn.execute(text(sql), params).all()


def _count(conn: Connection, table: str) -> int:
    return int(conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one())


def document_lengths(conn: Connection) -> dict[int, tuple[str, int]]:
    """Every document's name and text length in code points (SQLite's and PostgreSQL's length() count characters)."""
    return {row[0]: (row[1], row[2]) for row in _rows(conn, "SELECT id, name, length(text) FROM documents")}


# --- the database file --------------------------------------------------------------------------------------------


def integrity(conn: Connection, quick: bool = False) -> Check:
    """SQLite's own check of the file: pages, records and indexes (``quick``: without matching indexes to tables)."""
    check = Check("integrity", TITLES["integrity"])
    if conn.dialect.name != "sqlite":
        check.note, check.skipped = Message("skipped: the server keeps its own files whole"), True
        return check
    pragma = "quick_check" if quick else "integrity_check"
    lines = [row[0] for row in conn.exec_driver_sql(f"PRAGMA {pragma}({EXAMPLES})").all()]
    check.checked = 1
    for line in lines:
        if line != "ok":
            check.problem(line)  # SQLite's own words
    if check.problems:
        check.note = Message("cannot be repaired here: restore a backup, or rebuild the file with sqlite3's .recover")
    return check


# Which column each foreign key is, and what a repair does with a row whose key points nowhere:
# the same as the schema's ON DELETE (CASCADE: the row goes; SET NULL: the key is cleared);
# a coding or a code is not touched without a person's decision, except a coding whose document
# is gone (the schema would have removed it with the document), which is removed and named.
_SET_NULL = {("turns", "speaker_id"), ("speakers", "person_id"), ("codes", "exclusive_group_id"), ("memos", "coder_id")}
_DELETE = {
    ("turns", "document_id"),
    ("speakers", "document_id"),
    ("sentences", "document_id"),
    ("sentences", "turn_id"),
    ("consensus_decisions", "document_id"),
    ("codings", "document_id"),
}


def foreign_keys(conn: Connection, repair: bool) -> Check:
    """Every reference points at a row that exists (SQLite: ``PRAGMA foreign_key_check``)."""
    check = Check("foreign_keys", TITLES["foreign_keys"])
    if conn.dialect.name != "sqlite":
        check.note, check.skipped = Message("skipped: the server enforces foreign keys itself"), True
        return check
    # One problem per row, however many of its references point nowhere (a coding whose code and
    # document are both gone is one coding to decide about).
    broken: dict[tuple[str, int], list[tuple[str, str]]] = {}
    columns: dict[tuple[str, int], tuple[str, str]] = {}
    for table, rowid, parent, fkid in conn.exec_driver_sql("PRAGMA foreign_key_check").all():
        if (table, fkid) not in columns:
            for fk in conn.exec_driver_sql(f"PRAGMA foreign_key_list({table})").all():
                columns[(table, fk[0])] = (fk[3], fk[2])
        broken.setdefault((table, rowid), []).append(columns.get((table, fkid), ("?", parent)))
    for (table, rowid), refs in broken.items():
        column, parent = refs[0]
        value = conn.exec_driver_sql(f"SELECT {column} FROM {table} WHERE rowid = ?", (rowid,)).scalar()
        said = Message(
            "{table} row {row}: {column} = {value} names no row in {parent}",
            table=table,
            row=rowid,
            column=column,
            value=value,
            parent=parent,
        )
        check.problem(
            said if len(refs) == 1 else Message("{first} (and {n} more of its references)", first=said, n=len(refs) - 1)
        )
        if repair:
            _repair_row(conn, check, table, rowid, [column for column, _ in refs])
    check.checked = sum(_count(conn, t) for t in ("speakers", "turns", "sentences", "codes", "codings", "memos"))
    if repair and check.problems > len(check.repaired):
        check.note = Message(
            "codings whose code or coder is missing, and codes whose parent is missing, are left for you to decide"
        )
    return check


def _repair_row(conn: Connection, check: Check, table: str, rowid: int, columns: list[str]) -> None:
    """Remove the row, or clear its dangling references, as the schema's ON DELETE would have; else leave it."""
    gone = [c for c in columns if (table, c) in _DELETE]
    if gone:
        said = (
            _coding_words(conn, rowid) if table == "codings" else Message("{table} row {row}", table=table, row=rowid)
        )
        conn.exec_driver_sql(f"DELETE FROM {table} WHERE rowid = ?", (rowid,))
        check.repaired.append(Message("removed {row}: its {column} names nothing", row=said, column=gone[0]))
    elif all((table, c) in _SET_NULL for c in columns):
        for column in columns:
            conn.exec_driver_sql(f"UPDATE {table} SET {column} = NULL WHERE rowid = ?", (rowid,))
        check.repaired.append(
            Message("{table} row {row}: {column} cleared", table=table, row=rowid, column=", ".join(columns))
        )


def _coding_words(conn: Connection, coding_id: int) -> str:
    row = conn.exec_driver_sql(
        "SELECT c.id, coders.name, codes.name, c.document_id, c.start_offset, c.end_offset FROM codings c "
        "LEFT JOIN coders ON coders.id = c.coder_id LEFT JOIN codes ON codes.id = c.code_id WHERE c.id = ?",
        (coding_id,),
    ).one()
    return Message(
        "coding {id} ({coder}, {code}, document {document}, {start}-{end})",
        id=row[0],
        coder=row[1] or "?",
        code=row[2] or "?",
        document=row[3],
        start=row[4],
        end=row[5],
    )


# --- the text and what lies on it ---------------------------------------------------------------------------------


def codings(conn: Connection, documents: dict[int, tuple[str, int]]) -> Check:
    """Every coding lies inside its document's text: 0 ≤ start < end ≤ length."""
    check = Check("codings", TITLES["codings"])
    check.checked = _count(conn, "codings")
    for doc_id, (name, length) in documents.items():
        # One range of the (document, start, end) index per document: the text's length is known here.
        for row in _rows(
            conn,
            "SELECT c.id, c.start_offset, c.end_offset, coders.name AS coder, codes.name AS code "
            "FROM codings c LEFT JOIN coders ON coders.id = c.coder_id LEFT JOIN codes ON codes.id = c.code_id "
            "WHERE c.document_id = :doc AND (c.start_offset < 0 OR c.start_offset >= c.end_offset "
            "OR c.end_offset > :length)",
            doc=doc_id,
            length=length,
        ):
            check.problem(
                Message(
                    "{document}: coding {id} ({coder}, {code}) at {start}-{end} is not inside the text "
                    "({length} characters)",
                    document=name,
                    id=row.id,
                    coder=row.coder,
                    code=row.code,
                    start=row.start_offset,
                    end=row.end_offset,
                    length=length,
                )
            )
    if check.problems:
        check.note = Message("not repaired: look at each coding (mda-coder codings list) and remove or re-apply it")
    return check


_ORDERED = """
SELECT position, start_offset, end_offset, prev_position, prev_end{extra} FROM (
  SELECT u.position, u.start_offset, u.end_offset{inner},
         LAG(u.position) OVER (ORDER BY u.position) AS prev_position,
         LAG(u.end_offset) OVER (ORDER BY u.position) AS prev_end
  FROM {table} u{join} WHERE u.document_id = :doc
) w
WHERE start_offset < 0 OR start_offset >= end_offset OR end_offset > :length
   OR position <> COALESCE(prev_position, 0) + 1 OR start_offset < COALESCE(prev_end, 0){more}
"""


def _unit_problems(check: Check, name: str, length: int, row: Any, unit: str) -> None:
    words = {"document": name, "unit": unit, "n": row.position, "start": row.start_offset, "end": row.end_offset}
    if row.start_offset < 0 or row.start_offset >= row.end_offset or row.end_offset > length:
        check.problem(
            Message(
                "{document} {unit} {n}: {start}-{end} is not inside the text ({length} characters)",
                length=length,
                **words,
            )
        )
    elif row.position != (row.prev_position or 0) + 1:
        check.problem(
            Message("{document}: {unit} numbers jump from {before} to {n}", before=row.prev_position or 0, **words)
        )
    elif row.start_offset < (row.prev_end or 0):
        check.problem(
            Message(
                "{document} {unit} {n}: {start}-{end} overlaps the one before (which ends at {before})",
                before=row.prev_end,
                **words,
            )
        )


def turns(conn: Connection, documents: dict[int, tuple[str, int]]) -> Check:
    """Turns tile the text: numbered 1, 2, 3 …, in order, not overlapping, inside it (gaps hold speaker labels)."""
    check = Check("turns", TITLES["turns"])
    check.checked = _count(conn, "turns")
    for doc_id, (name, length) in documents.items():
        sql = _ORDERED.format(extra="", inner="", table="turns", join="", more="")
        for row in _rows(conn, sql, doc=doc_id, length=length):
            _unit_problems(check, name, length, row, Message("turn"))
    if check.problems:
        check.note = Message("not repaired: import the document again to rebuild its turns")
    return check


def sentences(conn: Connection, documents: dict[int, tuple[str, int]]) -> Check:
    """Sentences tile their turns: numbered through the document, in order, each inside its own turn."""
    check = Check("sentences", TITLES["sentences"])
    check.checked = _count(conn, "sentences")
    for doc_id, (name, length) in documents.items():
        sql = _ORDERED.format(
            extra=", turn, turn_start, turn_end, turn_document",
            table="sentences",
            inner=", t.position AS turn, t.start_offset AS turn_start, t.end_offset AS turn_end, t.document_id AS turn_document",
            join=" LEFT JOIN turns t ON t.id = u.turn_id",
            more=" OR turn IS NULL OR turn_document <> :doc OR start_offset < turn_start OR end_offset > turn_end",
        )
        for row in _rows(conn, sql, doc=doc_id, length=length):
            before = check.problems
            _unit_problems(check, name, length, row, Message("sentence"))
            if check.problems == before:
                check.problem(
                    Message(
                        "{document} sentence {n}: {start}-{end} is not inside its turn {turn}",
                        document=name,
                        n=row.position,
                        start=row.start_offset,
                        end=row.end_offset,
                        turn=row.turn if row.turn_document == doc_id else "?",
                    )
                )
    if check.problems:
        check.note = Message("not repaired: import the document again to rebuild its sentences")
    return check


# --- the journal --------------------------------------------------------------------------------------------------

_TRIGGERS = ("events_no_update", "events_no_delete")


def journal(
    conn: Connection, repair: bool, undoable: Sequence[str], restore_triggers: Callable[[Connection], None]
) -> Check:
    """The journal undo reads: each undo or redo names an earlier step of the same person, undo and redo alternate,
    each recorded stack top exists, no removed coding is still there, and nothing can change an entry."""
    check = Check("journal", TITLES["journal"])
    check.checked = _count(conn, "events")
    steps = ", ".join(f"'{a}'" for a in undoable)
    history = "('history.undo', 'history.redo')"
    for row in _rows(
        conn,
        f"SELECT h.id, h.action, h.entity_id, t.id AS target, t.actor AS target_actor, h.actor, "
        f"t.action AS target_action FROM events h LEFT JOIN events t ON t.id = h.entity_id "
        f"WHERE h.action IN {history} AND (t.id IS NULL OR t.id >= h.id OR t.actor <> h.actor "
        f"OR t.action NOT IN ({steps}))",
    ):
        reason = (
            Message("which does not exist")
            if row.target is None
            else Message("which comes after it")
            if row.target >= row.id
            else Message("which is {actor}'s, not {who}'s", actor=row.target_actor, who=row.actor)
            if row.target_actor != row.actor
            else Message("which cannot be undone")
        )
        check.problem(
            Message(
                "journal entry {id} ({action}) names entry {target}, {reason}",
                id=row.id,
                action=row.action,
                target=row.entity_id,
                reason=reason,
            )
        )
    for row in _rows(
        conn,
        f"SELECT id, action, entity_id, prev FROM (SELECT id, action, entity_id, "
        f"LAG(action) OVER (PARTITION BY entity_id ORDER BY id) AS prev FROM events "
        f"WHERE action IN {history}) w WHERE action = COALESCE(prev, 'history.redo')",
    ):
        check.problem(
            Message(
                "journal entry {id} ({action}) repeats the step before it on entry {target}",
                id=row.id,
                action=row.action,
                target=row.entity_id,
            )
        )
    _stack_tops(conn, check, history)
    _removed_codings(conn, check, history)
    if check.problems:
        check.note = Message("the journal is never rewritten: undo may refuse the steps named")
    if conn.dialect.name == "sqlite":
        have = {row[0] for row in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").all()}
        missing = [name for name in _TRIGGERS if name not in have]
        for name in missing:
            check.problem(Message("the journal can be changed: its trigger {name} is missing", name=name))
        if missing and repair:
            restore_triggers(conn)
            check.repaired.append(Message("the journal is append-only again (triggers restored)"))
    return check


def _stack_tops(conn: Connection, check: Check, history: str) -> None:
    """Each undo and redo records the stack tops it leaves; they must name entries that exist."""
    ids = {row[0] for row in _rows(conn, f"SELECT entity_id FROM events WHERE action IN {history}")}
    for event_id, data in _rows(conn, f"SELECT id, data FROM events WHERE action IN {history}"):
        state = _json(data).get("state") or {}
        for stack in ("undo", "redo"):
            top = state.get(stack)
            if not top:
                continue
            target = top[0]
            if target in ids:
                continue
            if conn.execute(text("SELECT 1 FROM events WHERE id = :id"), {"id": target}).first() is None:
                check.problem(
                    Message(
                        "journal entry {id}: its {stack} stack top names entry {target}, which does not exist",
                        id=event_id,
                        stack=stack,
                        target=target,
                    )
                )
            else:
                ids.add(target)


def _removed_codings(conn: Connection, check: Check, history: str) -> None:
    """A removal not undone leaves no coding with the removed one's key and creation time.

    One join on the codings' (coder, code, document, span) key, whatever the number of removals;
    only removals whose coding is back come to Python, to compare creation times.
    """
    undone = {
        row[0]
        for row in _rows(
            conn,
            f"SELECT e.entity_id FROM events e JOIN (SELECT entity_id, max(id) AS last FROM events "
            f"WHERE action IN {history} GROUP BY entity_id) l ON l.last = e.id WHERE e.action = 'history.undo'",
        )
    }
    data = Event.data
    query = (
        select(Event.id, CodingRow.id, CodingRow.created_at, data["created"].as_string())
        .join(
            CodingRow,
            and_(
                CodingRow.coder_id == data["coder_id"].as_integer(),
                CodingRow.code_id == data["code_id"].as_integer(),
                CodingRow.document_id == data["document_id"].as_integer(),
                CodingRow.start_offset == data["start"].as_integer(),
                CodingRow.end_offset == data["end"].as_integer(),
            ),
        )
        .where(Event.action == "coding.remove")
    )
    for event_id, coding_id, created, recorded in conn.execute(query):
        if event_id not in undone and _same_time(created, recorded):
            check.problem(
                Message(
                    "journal entry {id} removed a coding that is still there (coding {coding})",
                    id=event_id,
                    coding=coding_id,
                )
            )


def _same_time(stored: Any, recorded: Any) -> bool:
    from datetime import datetime

    if recorded is None or stored is None:
        return False
    try:
        then = datetime.fromisoformat(recorded)
        now = stored if isinstance(stored, datetime) else datetime.fromisoformat(str(stored))
    except ValueError:
        return False
    if then.tzinfo is not None and now.tzinfo is not None:  # PostgreSQL: both moments, compared as moments
        return then == now
    return then.replace(tzinfo=None) == now.replace(tzinfo=None)  # SQLite keeps UTC without the zone


def _json(value: Any) -> dict[str, Any]:
    import json

    if isinstance(value, dict):
        return value
    try:
        loaded = json.loads(value) if value else {}
    except (TypeError, ValueError):
        return {}
    return loaded if isinstance(loaded, dict) else {}


_MEMO_TARGETS = {
    "document": ("documents", Message("document")),
    "turn": ("turns", Message("turn")),
    "code": ("codes", Message("code")),
}


def flags(conn: Connection, documents: dict[int, tuple[str, int]]) -> Check:
    """A flagged coding's new place lies inside its document's text; the flags not yet reviewed are counted."""
    check = Check("flags", TITLES["flags"])
    check.checked = _count(conn, "anchor_flags")
    for row in _rows(
        conn, "SELECT id, document_id, new_start, new_end FROM anchor_flags WHERE new_start IS NOT NULL ORDER BY id"
    ):
        name, length = documents.get(row.document_id, ("?", -1))
        if not 0 <= row.new_start < row.new_end <= length:
            check.problem(
                Message(
                    "flag {id} on {document} places its coding at {start}-{end}, outside the text ({length} characters)",
                    id=row.id,
                    document=name,
                    start=row.new_start,
                    end=row.new_end,
                    length=length,
                )
            )
    open_flags = int(conn.execute(text("SELECT count(*) FROM anchor_flags WHERE resolved_at IS NULL")).scalar_one())
    if open_flags:
        check.note = Message("{n} flagged codings not yet reviewed: mda-coder document flags lists them", n=open_flags)
    return check


def memos(conn: Connection) -> Check:
    """A memo on a document, a turn or a code is on one that exists (they go with it when it is removed)."""
    check = Check("memos", TITLES["memos"])
    check.checked = _count(conn, "memos")
    for kind, (table, word) in _MEMO_TARGETS.items():
        for row in _rows(
            conn,
            f"SELECT m.id, m.target_id, m.text FROM memos m LEFT JOIN {table} t ON t.id = m.target_id "
            f"WHERE m.target_kind = :kind AND t.id IS NULL ORDER BY m.id",
            kind=kind,
        ):
            words = row.text if len(row.text) <= 40 else row.text[:39] + "…"
            check.problem(
                Message(
                    "memo {id} is on {kind} {target}, which does not exist: “{text}”",
                    id=row.id,
                    kind=word,
                    target=row.target_id,
                    text=words,
                )
            )
    if check.problems:
        check.note = Message("not repaired: a memo is your writing, and is kept (mda-coder memos list shows it)")
    return check


# --- the rest -----------------------------------------------------------------------------------------------------


def search_index(conn: Connection, repair: bool) -> Check:
    """The search index holds, for every document, what its text and turns give now (``store/search_index``).

    The index is made from the text, so ``--repair`` makes a stale document's rows again: nothing a
    user wrote is touched.
    """
    check = Check("search_index", TITLES["search_index"])
    if not index.present(conn):
        check.problem(Message("the search index is missing"))
        if repair:
            index.create(conn)
            rows = index.rebuild(conn)
            check.repaired.append(Message("made the search index again ({n} rows)", n=rows))
        return check
    check.checked = _count(conn, index.TABLE)
    names = {row[0]: row[1] for row in _rows(conn, "SELECT id, name FROM documents")}
    stale = index.stale_documents(conn)
    for doc_id in stale:
        if doc_id in names:
            check.problem(Message("the search index is out of step with document {name}", name=names[doc_id]))
        else:
            check.problem(Message("the search index holds rows of a document that is gone (id {id})", id=doc_id))
    if stale and repair:
        for doc_id in stale:
            if doc_id in names:
                index.index_document(conn, doc_id)
                check.repaired.append(Message("indexed {name} again", name=names[doc_id]))
            else:
                index.drop_document(conn, doc_id)
                check.repaired.append(Message("took the rows of a gone document (id {id}) out of the index", id=doc_id))
    elif stale:
        check.note = Message("repair: mda-coder doctor --repair makes the index again from the text")
    return check


def code_tree(conn: Connection) -> Check:
    """Every code's chain of parents ends at the top: no code is its own ancestor."""
    check = Check("code_tree", TITLES["code_tree"])
    parents = {row[0]: row[1] for row in _rows(conn, "SELECT id, parent_id FROM codes")}
    names = {row[0]: row[1] for row in _rows(conn, "SELECT id, name FROM codes")}
    check.checked = len(parents)
    reported: set[int] = set()
    for start in parents:
        seen: list[int] = []
        node: int | None = start
        while node is not None and node in parents and node not in seen:
            seen.append(node)
            node = parents[node]
        if node is not None and node in seen:
            cycle = seen[seen.index(node) :]
            if not reported.intersection(cycle):
                reported.update(cycle)
                check.problem(
                    Message(
                        "codes {codes} are each other's parents (a cycle)",
                        codes=" → ".join(names[c] for c in [*cycle, cycle[0]]),
                    )
                )
    if check.problems:
        check.note = Message("not repaired: move one of the codes to the top (codebook move)")
    return check


def identity(conn: Connection, repair: bool) -> Check:
    """Every row a merge or a REFI-QDA exchange matches has a uuid, and no two share one.

    A project upgraded on SQLite cannot forbid a missing uuid in the table itself (see migration 6):
    a row added by another tool may lack one. ``--repair`` gives it a new one; a repeated uuid
    (only possible without the unique index) is reported, since which row keeps it is a judgement.
    """
    check = Check("identity", TITLES["identity"])
    for table in IDENTIFIED:
        check.checked += _count(conn, table)
        missing = [row[0] for row in _rows(conn, f"SELECT id FROM {table} WHERE uuid IS NULL OR uuid = '' ORDER BY id")]
        for ident in missing:
            check.problem(Message("{table} row {id} has no uuid", table=table, id=ident))
            if repair:
                conn.execute(text(f"UPDATE {table} SET uuid = :uuid WHERE id = :id"), {"uuid": new_uuid(), "id": ident})
                check.repaired.append(Message("gave {table} row {id} a new uuid", table=table, id=ident))
        for row in _rows(
            conn, f"SELECT uuid, count(*) AS n FROM {table} WHERE uuid IS NOT NULL GROUP BY uuid HAVING count(*) > 1"
        ):
            check.problem(Message("{n} {table} rows share the uuid {uuid}", n=row.n, table=table, uuid=row.uuid))
    if check.problems > len(check.repaired):
        check.note = Message("a missing uuid is given one by mda-coder doctor --repair; a shared one is not repaired")
    return check
