"""The two sides of a merge, read once each: the master (inside the merge's transaction) and a coder's copy."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, func, select, text

from mda_coder.services.teamwork._base import CopyFacts, Row, raw, rows, table, when
from mda_coder.store.models import Event


class Ids:
    """New ids for the rows a merge adds, given explicitly so that the journal can put the same rows back.

    On SQLite, the highest id + 1 onwards (documents also above every removed document's id, which
    SQLite would otherwise hand out again). On PostgreSQL, drawn from each table's own sequence, a
    block at a time, so that coders inserting at the same moment never get one of them.
    """

    _BLOCK = 1000

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.server = conn.dialect.name == "postgresql"
        self.next: dict[str, int] = {}
        self.drawn: dict[str, list[int]] = {}

    def take(self, name: str) -> int:
        if self.server:
            pool = self.drawn.setdefault(name, [])
            if not pool:
                pool.extend(
                    self.conn.execute(
                        text(f"SELECT nextval(pg_get_serial_sequence('{name}', 'id')) FROM generate_series(1, :n)"),
                        {"n": self._BLOCK},
                    ).scalars()
                )
                pool.reverse()
            return int(pool.pop())
        if name not in self.next:
            self.next[name] = (self.conn.scalar(select(func.max(table(name).c.id))) or 0) + 1
            if name == "documents":
                removed = self.conn.scalar(select(func.max(Event.entity_id)).where(Event.action == "document.remove"))
                self.next[name] = max(self.next[name], (removed or 0) + 1)
        value = self.next[name]
        self.next[name] = value + 1
        return value


def later(value: object, than: datetime, than_text: str) -> bool:
    """Whether a stored time is after ``than``; SQLite's stored text compares as text (UTC, fixed width)."""
    if type(value) is str and len(value) == 26 and value[10] == " ":
        return value > than_text
    moment = when(value)
    return moment is not None and moment > than


def stored_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


class Master:
    """The master's rows a merge matches against, read once per copy inside the merge's transaction."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.documents = rows(conn, "documents")
        self.codes = rows(conn, "codes")
        self.coders = rows(conn, "coders")
        self.persons = rows(conn, "persons")
        self.memos = rows(conn, "memos")
        c = table("codings").c
        self.codings = raw(
            conn,
            select(
                c.id,
                c.uuid,
                c.coder_id,
                c.code_id,
                c.document_id,
                c.start_offset,
                c.end_offset,
                c.memo,
                c.created_at,
                c.modified_at,
            ),
        )
        t = table("turns").c
        self.turns = {(r.document_id, r.position): r.id for r in conn.execute(select(t.id, t.document_id, t.position))}
        self.merged_into: dict[str, int] = {}
        """Codes merged away in the master: the source's uuid → the id of the code it was merged into."""
        self.merged_ids: dict[int, int] = {}
        """The same by the source's id, to follow a target that was merged away later in turn."""
        for data in conn.scalars(select(Event.data).where(Event.action == "code.merge").order_by(Event.id)):
            source = data.get("source") if isinstance(data, dict) else None
            if isinstance(source, dict):
                if source.get("uuid"):
                    self.merged_into[source["uuid"]] = data["target_id"]
                self.merged_ids[source["id"]] = data["target_id"]

    def merged_target(self, code_uuid: str) -> int | None:
        """The master's code that a code merged away here now lives in (following later merges); None if none."""
        present = {c["id"] for c in self.codes}
        target = self.merged_into.get(code_uuid)
        seen: set[int] = set()
        while target is not None and target not in present and target not in seen:
            seen.add(target)
            target = self.merged_ids.get(target)
        return target if target in present else None


def next_ids(conn: Connection) -> Ids:
    return Ids(conn)


class Copy:
    """A coder's copy, read with one SELECT per table through its own connection."""

    def __init__(self, conn: Connection, facts: CopyFacts) -> None:
        self.conn = conn
        self.facts = facts
        d = table("documents").c
        self.documents = raw(conn, select(d.id, d.uuid, d.name, d.content_hash, d.imported_at).order_by(d.id))
        self.codes = rows(conn, "codes")
        self.coders = rows(conn, "coders")
        self.persons = rows(conn, "persons")
        self.codings = rows(conn, "codings")
        self.memos = rows(conn, "memos")
        t = table("turns").c
        self.turns = {r.id: (r.document_id, r.position) for r in conn.execute(select(t.id, t.document_id, t.position))}
        start = conn.scalar(select(func.max(Event.id)).where(Event.action == "project.copy_for_coder")) or 0
        self.removals = [
            (e.actor, e.data)
            for e in conn.execute(
                select(Event.actor, Event.data).where(Event.id > start, Event.action == "coding.remove")
            )
        ]

    def whole(self, name: str, column: str, ids: list[int]) -> list[Row]:
        return rows(self.conn, name, table(name).c[column].in_(ids)) if ids else []
