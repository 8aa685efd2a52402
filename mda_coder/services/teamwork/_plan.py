"""What one coder's copy brings into the master: matching by uuid (then by content or path), and every conflict.

The plan is a list of row operations (insert, update, delete) on the master, in the order they
apply; the same list, kept in the journal, is what undo runs backwards and redo forwards.
"""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, func, select

from mda_coder.i18n import Message
from mda_coder.services.teamwork._base import CopyFacts, Row, raw, rows, table, when
from mda_coder.store.models import Event


@dataclass(frozen=True, slots=True)
class Conflict:
    """Something the merge did not settle by itself: what, where, in which copy, and what to do."""

    kind: str
    """``document-text``, ``document-removed``, ``code-both-changed``, ``code-deleted``, ``code-name-taken``,
    ``code-gone-in-copy``, ``memo-both-edited``, ``coding-both-changed``."""
    where: str
    copy: str
    what: str
    todo: str


@dataclass
class Ids:
    """The next free id of each table in the master (SQLite reuses the highest id + 1; these never go back)."""

    next: dict[str, int] = field(default_factory=dict)

    def take(self, name: str) -> int:
        value = self.next[name]
        self.next[name] = value + 1
        return value


@dataclass
class Plan:
    """One copy's merge: the operations, what they amount to, and the conflicts."""

    copy: str
    coder: str
    ops: list[dict[str, Any]] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    code_changes: list[str] = field(default_factory=list)
    coders: list[str] = field(default_factory=list)
    codings: Counter[str] = field(default_factory=Counter)
    removed: Counter[str] = field(default_factory=Counter)
    changed: int = 0
    memos: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def insert(self, name: str, values: list[Row]) -> None:
        if values:
            self.ops.append({"op": "insert", **columns(name, values)})

    def update(self, name: str, row_id: int, before: Row, after: Row) -> None:
        self.ops.append({"op": "update", "table": name, "id": row_id, "before": before, "after": after})

    def delete(self, name: str, values: list[Row]) -> None:
        if values:
            self.ops.append({"op": "delete", **columns(name, values)})

    def conflict(self, kind: str, where: str, what: str, todo: str) -> None:
        self.conflicts.append(Conflict(kind, where, self.copy, what, todo))


def later(value: object, than: datetime, than_text: str) -> bool:
    """Whether a stored time is after ``than``; SQLite's stored text compares as text (UTC, fixed width)."""
    if type(value) is str and len(value) == 26 and value[10] == " ":
        return value > than_text
    moment = when(value)
    return moment is not None and moment > than


def stored_text(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def columns(name: str, values: list[Row]) -> dict[str, Any]:
    """Rows as one operation's ``table``, ``columns`` and ``values`` (column-wise: compact in the journal)."""
    names = [c.name for c in table(name).columns]
    get = itemgetter(*names)
    return {"table": name, "columns": names, "values": [get(r) for r in values]}


def _paths(codes: list[Row]) -> dict[int, str]:
    by_id = {c["id"]: c for c in codes}
    out: dict[int, str] = {}

    def path(code_id: int) -> str:
        if code_id not in out:
            c = by_id[code_id]
            parent = c["parent_id"]
            out[code_id] = c["name"] if parent is None or parent not in by_id else f"{path(parent)}/{c['name']}"
        return out[code_id]

    for code_id in by_id:
        path(code_id)
    return out


def _parents_first(codes: list[Row]) -> list[Row]:
    by_id = {c["id"]: c for c in codes}
    done: set[int] = set()
    ordered: list[Row] = []

    def visit(c: Row) -> None:
        if c["id"] in done:
            return
        done.add(c["id"])
        if c["parent_id"] in by_id:
            visit(by_id[c["parent_id"]])
        ordered.append(c)

    for c in codes:
        visit(c)
    return ordered


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


def next_ids(conn: Connection) -> Ids:
    ids = Ids()
    for name in (
        "documents",
        "speakers",
        "turns",
        "sentences",
        "persons",
        "codes",
        "coders",
        "codings",
        "memos",
        "merges",
    ):
        ids.next[name] = (conn.scalar(select(func.max(table(name).c.id))) or 0) + 1
    removed = conn.scalar(select(func.max(Event.entity_id)).where(Event.action == "document.remove")) or 0
    ids.next["documents"] = max(ids.next["documents"], removed + 1)
    return ids


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


def plan_copy(master: Master, copy: Copy, ids: Ids, location: str, merge_id: int) -> Plan:
    """What merging ``copy`` into ``master`` does, as operations and a report; changes nothing itself."""
    plan = Plan(location, copy.facts.coder)
    docs = _documents(master, copy, ids, plan)
    codes = _codes(master, copy, ids, plan)
    coders = _coders(master, copy, ids, plan)
    _codings(master, copy, ids, plan, docs, codes, coders, merge_id)
    _memos(master, copy, ids, plan, docs, codes, coders)
    return plan


def _documents(master: Master, copy: Copy, ids: Ids, plan: Plan) -> dict[int, int]:
    by_uuid = {d["uuid"]: d for d in master.documents}
    by_hash = {d["content_hash"]: d for d in master.documents}
    by_name = {d["name"]: d for d in master.documents}
    coded = Counter(c["document_id"] for c in copy.codings)
    mapped: dict[int, int] = {}
    new: list[Row] = []
    for d in copy.documents:
        same = by_uuid.get(d["uuid"]) or by_hash.get(d["content_hash"])
        if same is not None and same["content_hash"] == d["content_hash"]:
            mapped[d["id"]] = same["id"]
        elif same is not None or d["name"] in by_name:
            plan.conflict(
                "document-text",
                d["name"],
                Message(
                    "the document has a different text in the copy than in the master ({n} codings on it not merged)",
                    n=coded[d["id"]],
                ),
                Message(
                    "compare the two files; import the copy's text under another name, or code it again in the master"
                ),
            )
        elif later(d["imported_at"], copy.facts.made_at, stored_text(copy.facts.made_at)):
            new.append(d)
        elif coded[d["id"]]:
            plan.conflict(
                "document-removed",
                d["name"],
                Message(
                    "removed in the master since the copy was made ({n} codings on it not merged)", n=coded[d["id"]]
                ),
                Message("undo the removal in the master if it was a mistake, then merge again"),
            )
    if new:
        _bring_documents(master, copy, ids, plan, new, mapped)
    return mapped


def _bring_documents(master: Master, copy: Copy, ids: Ids, plan: Plan, new: list[Row], mapped: dict[int, int]) -> None:
    """Documents imported in the copy come in whole: the row, speakers (and their persons), turns, sentences."""
    doc_ids = [d["id"] for d in new]
    documents = copy.whole("documents", "id", doc_ids)
    for d in documents:
        mapped[d["id"]] = d["id"] = ids.take("documents")
        plan.documents.append(d["name"])
    speakers = copy.whole("speakers", "document_id", doc_ids)
    persons = _persons(master, copy, ids, plan, {s["person_id"] for s in speakers if s["person_id"] is not None})
    speaker_ids: dict[int, int] = {}
    for s in speakers:
        speaker_ids[s["id"]] = s["id"] = ids.take("speakers")
        s["document_id"] = mapped[s["document_id"]]
        s["person_id"] = persons.get(s["person_id"]) if s["person_id"] is not None else None
    turns = copy.whole("turns", "document_id", doc_ids)
    turn_ids: dict[int, int] = {}
    for t in turns:
        turn_ids[t["id"]] = t["id"] = ids.take("turns")
        t["document_id"] = mapped[t["document_id"]]
        t["speaker_id"] = speaker_ids.get(t["speaker_id"]) if t["speaker_id"] is not None else None
        master.turns[(t["document_id"], t["position"])] = t["id"]
    sentences = copy.whole("sentences", "document_id", doc_ids)
    for s in sentences:
        s["id"] = ids.take("sentences")
        s["document_id"] = mapped[s["document_id"]]
        s["turn_id"] = turn_ids[s["turn_id"]]
    plan.insert("documents", documents)
    plan.insert("speakers", speakers)
    plan.insert("turns", turns)
    plan.insert("sentences", sentences)


def _persons(master: Master, copy: Copy, ids: Ids, plan: Plan, wanted: set[int]) -> dict[int, int]:
    by_uuid = {p["uuid"]: p["id"] for p in master.persons}
    by_name = {p["name"]: p["id"] for p in master.persons}
    mapped: dict[int, int] = {}
    new = []
    for p in copy.persons:
        if p["id"] not in wanted:
            continue
        found = by_uuid.get(p["uuid"]) or by_name.get(p["name"])
        if found is None:
            found = ids.take("persons")
            new.append({**p, "id": found})
            by_name[p["name"]] = found
            master.persons.append({**p, "id": found})
        mapped[p["id"]] = found
    plan.insert("persons", new)
    return mapped


def _codes(master: Master, copy: Copy, ids: Ids, plan: Plan) -> dict[int, int]:
    """Codes by uuid, else by path; a rename or move made in one side only is kept, both = a conflict."""
    base: dict[str, list[Any]] = copy.facts.base.get("codes", {})
    m_by_uuid = {c["uuid"]: c for c in master.codes}
    m_uuid_of = {c["id"]: c["uuid"] for c in master.codes}
    m_paths = _paths(master.codes)
    m_by_path = {p: i for i, p in m_paths.items()}
    c_uuid_of = {c["id"]: c["uuid"] for c in copy.codes}
    c_paths = _paths(copy.codes)
    used = Counter(c["code_id"] for c in copy.codings)
    mapped: dict[int, int] = {}
    new: list[Row] = []
    for c in _parents_first(copy.codes):
        here = c_paths[c["id"]]
        parent = mapped.get(c["parent_id"]) if c["parent_id"] is not None else None
        m = m_by_uuid.get(c["uuid"])
        if m is not None:
            mapped[c["id"]] = m["id"]
            theirs = [c["name"], c_uuid_of.get(c["parent_id"])]
            ours = [m["name"], m_uuid_of.get(m["parent_id"])]
            was = base.get(c["uuid"])
            if theirs in (ours, was) or was is None:
                continue
            if ours != was:
                plan.conflict(
                    "code-both-changed",
                    m_paths[m["id"]],
                    Message("renamed or moved in the master and in the copy (to {path})", path=here),
                    Message(
                        "the master's name and place are kept; rename or move it in the master if the copy's is better"
                    ),
                )
                continue
            taken = any(
                o["name"] == c["name"] and o["parent_id"] == parent and o["id"] != m["id"] for o in master.codes
            )
            if taken or (c["parent_id"] is not None and parent is None):
                plan.conflict(
                    "code-name-taken",
                    m_paths[m["id"]],
                    Message("renamed or moved in the copy to {path}, which the master has already", path=here),
                    Message("rename one of them in the master"),
                )
                continue
            before = {"name": m["name"], "parent_id": m["parent_id"], "position": m["position"]}
            after = {"name": c["name"], "parent_id": parent, "position": m["position"]}
            plan.update("codes", m["id"], before, after)
            plan.code_changes.append(f"{m_paths[m['id']]} → {here}")
            m.update(after)
            continue
        same_path = m_by_path.get(here)
        if same_path is not None:
            mapped[c["id"]] = same_path
            plan.notes.append(
                Message("the code {path} was made in both, with different identities: matched by its path", path=here)
            )
            continue
        if c["uuid"] in base:
            if used[c["id"]]:
                plan.conflict(
                    "code-deleted",
                    here,
                    Message(
                        "deleted or merged in the master since the copy was made; {n} codings on it not merged",
                        n=used[c["id"]],
                    ),
                    Message("add the code back in the master (or undo its deletion), then merge again"),
                )
            continue
        if parent is None and c["parent_id"] is not None:
            continue  # its parent could not be brought in; reported there
        row = {**c, "id": ids.take("codes"), "parent_id": parent, "shortcut": None}
        if c["shortcut"] is not None and not any(o["shortcut"] == c["shortcut"] for o in master.codes):
            row["shortcut"] = c["shortcut"]
        row["exclusive_group_id"] = None
        mapped[c["id"]] = row["id"]
        new.append(row)
        master.codes.append(row)
        plan.codes.append(here)
    in_copy = set(c_uuid_of.values())
    for code_uuid, (name, _parent) in base.items():
        if code_uuid in m_by_uuid and code_uuid not in in_copy:
            m = m_by_uuid[code_uuid]
            plan.conflict(
                "code-gone-in-copy",
                m_paths[m["id"]],
                Message("merged or deleted in the copy ({name}); the master keeps it", name=name),
                Message("merge it in the master too if the coders agree (in the workspace's codebook)"),
            )
    plan.insert("codes", new)
    return mapped


def _coders(master: Master, copy: Copy, ids: Ids, plan: Plan) -> dict[int, int]:
    by_uuid = {c["uuid"]: c["id"] for c in master.coders}
    by_name = {c["name"]: c["id"] for c in master.coders}
    mapped: dict[int, int] = {}
    new = []
    for c in copy.coders:
        found = by_uuid.get(c["uuid"]) or by_name.get(c["name"])
        if found is None:
            found = ids.take("coders")
            new.append({**c, "id": found})
            master.coders.append({**c, "id": found})
            plan.coders.append(c["name"])
        mapped[c["id"]] = found
    plan.insert("coders", new)
    return mapped


def _codings(
    master: Master,
    copy: Copy,
    ids: Ids,
    plan: Plan,
    docs: dict[int, int],
    codes: dict[int, int],
    coders: dict[int, int],
    merge_id: int,
) -> None:
    """Codings unioned per coder: by uuid, then by coder, code, document and span; removals in the copy follow."""
    made = copy.facts.made_at
    made_text = stored_text(made)
    names = {c["id"]: c["name"] for c in master.coders}
    m_by_uuid = {c["uuid"]: c for c in master.codings}
    keys = {
        (c["coder_id"], c["code_id"], c["document_id"], c["start_offset"], c["end_offset"]): c for c in master.codings
    }
    new: list[Row] = []
    in_copy: set[str] = set()
    for c in copy.codings:
        in_copy.add(c["uuid"])
        doc, code, coder = docs.get(c["document_id"]), codes.get(c["code_id"]), coders[c["coder_id"]]
        if doc is None or code is None:
            continue  # reported with the document's or the code's conflict
        key = (coder, code, doc, c["start_offset"], c["end_offset"])
        m = m_by_uuid.get(c["uuid"])
        if m is not None:
            ours = (m["code_id"], m["document_id"], m["start_offset"], m["end_offset"], m["memo"])
            theirs = (code, doc, c["start_offset"], c["end_offset"], c["memo"])
            if ours == theirs or not later(c["modified_at"], made, made_text):
                continue
            if later(m["modified_at"], made, made_text) or key in keys:
                plan.conflict(
                    "coding-both-changed",
                    f"{names[coder]}: {c['start_offset']}-{c['end_offset']}",
                    Message("a coding changed in the master and in the copy"),
                    Message("the master's is kept; change it in the master if the copy's is right"),
                )
                continue
            before = {
                "code_id": m["code_id"],
                "document_id": m["document_id"],
                "start_offset": m["start_offset"],
                "end_offset": m["end_offset"],
                "memo": m["memo"],
                "modified_at": m["modified_at"],
            }
            after = {
                "code_id": code,
                "document_id": doc,
                "start_offset": c["start_offset"],
                "end_offset": c["end_offset"],
                "memo": c["memo"],
                "modified_at": c["modified_at"],
            }
            plan.update("codings", m["id"], before, after)
            plan.changed += 1
            continue
        if key in keys:
            continue  # the same coding, made in both
        if not later(c["created_at"], made, made_text):
            continue  # it was there when the copy was made, and removed from the master since
        row = {
            **c,
            "id": ids.take("codings"),
            "coder_id": coder,
            "code_id": code,
            "document_id": doc,
            "merge_id": merge_id,
        }
        new.append(row)
        keys[key] = row
        plan.codings[names[coder]] += 1
    plan.insert("codings", new)
    gone_ids: set[int] = set()
    c_coders = {c["id"]: c["name"] for c in copy.coders}
    for actor, data in copy.removals:
        owner = c_coders.get(data.get("coder_id"))
        if owner != actor:
            continue
        doc, code, whose = docs.get(data["document_id"]), codes.get(data["code_id"]), coders.get(data["coder_id"])
        m = keys.get((whose, code, doc, data["start"], data["end"]))
        if m is None or m.get("uuid") in in_copy or m.get("merge_id") == merge_id or m["id"] in gone_ids:
            continue
        if later(m["created_at"], made, made_text):
            continue  # made in the master after the copy: not the coding the copy removed
        gone_ids.add(m["id"])
        plan.removed[owner] += 1
    removed = sorted(gone_ids)
    for i in range(0, len(removed), 500):
        plan.delete("codings", rows(master.conn, "codings", table("codings").c.id.in_(removed[i : i + 500])))


def _memos(
    master: Master,
    copy: Copy,
    ids: Ids,
    plan: Plan,
    docs: dict[int, int],
    codes: dict[int, int],
    coders: dict[int, int],
) -> None:
    """Memos by uuid; edited in one side only, the edit is kept; edited in both, the copy's comes in as a second memo."""
    base: dict[str, list[str]] = copy.facts.base.get("memos", {})
    m_by_uuid = {m["uuid"]: m for m in master.memos}
    new: list[Row] = []
    for m in copy.memos:
        kind, target = m["target_kind"], m["target_id"]
        if kind == "document":
            target = docs.get(target)
        elif kind == "code":
            target = codes.get(target)
        elif kind == "turn":
            place = copy.turns.get(target)
            target = None if place is None or place[0] not in docs else master.turns.get((docs[place[0]], place[1]))
        if kind != "project" and target is None:
            continue
        coder = coders.get(m["coder_id"]) if m["coder_id"] is not None else None
        ours = m_by_uuid.get(m["uuid"])
        theirs = [m["title"], m["text"]]
        was = base.get(m["uuid"])
        if ours is not None:
            now = [ours["title"], ours["text"]]
            if theirs in (now, was):
                continue
            if now == was:
                plan.update(
                    "memos",
                    ours["id"],
                    {"title": ours["title"], "text": ours["text"]},
                    {"title": m["title"], "text": m["text"]},
                )
                plan.memos += 1
                continue
            plan.conflict(
                "memo-both-edited",
                m["title"] or kind,
                Message("the memo was edited in the master and in the copy: the copy's is added as a second memo"),
                Message("read both, keep one"),
            )
            new.append(
                {**m, "id": ids.take("memos"), "uuid": str(uuid.uuid4()), "target_id": target, "coder_id": coder}
            )
            plan.memos += 1
            continue
        if was is not None:
            continue  # removed in the master since the copy was made
        new.append({**m, "id": ids.take("memos"), "target_id": target, "coder_id": coder})
        plan.memos += 1
    plan.insert("memos", new)
