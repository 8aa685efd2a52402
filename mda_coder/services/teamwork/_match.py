"""Matching a copy's documents, persons, codes and coders to the master's: by uuid, then by content or path."""

from __future__ import annotations

from collections import Counter
from typing import Any

from mda_coder.i18n import Message
from mda_coder.services.teamwork._base import Row
from mda_coder.services.teamwork._plan import Plan
from mda_coder.services.teamwork._sides import Copy, Ids, Master, later, stored_text


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


def documents(master: Master, copy: Copy, ids: Ids, plan: Plan) -> dict[int, int]:
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


def codes(master: Master, copy: Copy, ids: Ids, plan: Plan) -> dict[int, int]:
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
            target = master.merged_target(c["uuid"])
            if target is not None:
                mapped[c["id"]] = target
                if used[c["id"]]:
                    plan.conflict(
                        "code-merged",
                        here,
                        Message(
                            "merged into {path} in the master since the copy was made; its {n} codings in the copy "
                            "came in on {path}",
                            path=m_paths.get(target) or _paths(master.codes)[target],
                            n=used[c["id"]],
                        ),
                        Message("check those codings in the master"),
                    )
                continue
            if used[c["id"]]:
                plan.conflict(
                    "code-deleted",
                    here,
                    Message(
                        "deleted in the master since the copy was made; {n} codings on it not merged",
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
                Message(
                    "merged or deleted in the copy ({name}): the codebook is the master's and keeps it; the copy's "
                    "own codings moved with its merge",
                    name=name,
                ),
                Message("merge it in the master too if the coders agree (in the workspace's codebook)"),
            )
    plan.insert("codes", new)
    return mapped


def coders(master: Master, copy: Copy, ids: Ids, plan: Plan) -> dict[int, int]:
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
