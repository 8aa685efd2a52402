"""A copy's codings and memos joined with the master's: per coder, by uuid and natural key, edits and removals followed."""

from __future__ import annotations

import uuid

from mda_coder.i18n import Message
from mda_coder.services.teamwork._base import Row, rows, table
from mda_coder.services.teamwork._plan import Plan
from mda_coder.services.teamwork._sides import Copy, Ids, Master, later, stored_text


def codings(
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
    doc_names = {d["id"]: d["name"] for d in master.documents}
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
                    f"{doc_names.get(m['document_id'], '?')} {m['start_offset']}-{m['end_offset']} ({names[coder]})",
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
            keys.pop((m["coder_id"], m["code_id"], m["document_id"], m["start_offset"], m["end_offset"]), None)
            keys[key] = m
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
            # The copy's proposals are its own and are not merged: an id here would name another master row.
            "suggestion_id": None,
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


def memos(
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
            # The copy's version gets an identity of its own, the same at every merge of this copy:
            # merging it again finds it and adds nothing.
            second = str(uuid.uuid5(uuid.NAMESPACE_URL, f"urn:mda-coder:memo/{m['uuid']}/{copy.facts.copy_uuid}"))
            if second in m_by_uuid:
                continue
            plan.conflict(
                "memo-both-edited",
                m["title"] or kind,
                Message("the memo was edited in the master and in the copy: the copy's is added as a second memo"),
                Message("read both, keep one"),
            )
            new.append({**m, "id": ids.take("memos"), "uuid": second, "target_id": target, "coder_id": coder})
            plan.memos += 1
            continue
        if was is not None:
            continue  # removed in the master since the copy was made
        new.append({**m, "id": ids.take("memos"), "target_id": target, "coder_id": coder})
        plan.memos += 1
    plan.insert("memos", new)
