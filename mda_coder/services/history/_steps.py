"""How to undo and how to redo each undoable journal action, from the entry's data.

Each step runs inside the caller's transaction, checks the project still allows it (raising
``MdaError`` with the reason otherwise), and returns the data the opposite direction needs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy.orm import Session

from mda_coder.services import document_removal
from mda_coder.services.codebook import _tree as code_tree
from mda_coder.services.codebook._merge import merge_in, unmerge_in
from mda_coder.services.coding import _edit as coding_edit
from mda_coder.services.consensus import _steps as consensus_steps
from mda_coder.services.corrections import _steps as corrections_steps
from mda_coder.services.suggest import _steps as suggest_steps
from mda_coder.services.teamwork import _steps as teamwork_steps
from mda_coder.store.snapshots import coding_snapshot

Data = dict[str, Any]
Step = Callable[[Session, Data], Data]
"""Performs one direction of an action from its data; returns the data the opposite direction needs."""


def _create(s: Session, d: Data) -> Data:
    return coding_snapshot(coding_edit.create_coding(s, d))


def _memo(which: str) -> Step:
    def step(s: Session, d: Data) -> Data:
        coding_edit.put_memo(s, d, d[which], d["modified"] if which == "before" else None)
        return d

    return step


def _span(old: str, new: str) -> Step:
    def step(s: Session, d: Data) -> Data:
        coding_edit.put_span(s, d, d[old], d[new], d["modified"] if new == "before" else None)
        return d

    return step


def _rename(which: str) -> Step:
    def step(s: Session, d: Data) -> Data:
        code_tree.set_name(s, d["id"], d[which])
        return d

    return step


def _move(which: str) -> Step:
    def step(s: Session, d: Data) -> Data:
        code_tree.set_parent(s, d["id"], d[which]["parent_id"], d[which]["position"])
        return d

    return step


def _edit(which: str) -> Step:
    def step(s: Session, d: Data) -> Data:
        code_tree.set_fields(s, d["id"], d[which])
        return d

    return step


def _unadd(s: Session, d: Data) -> Data:
    return {**d, "code": code_tree.drop_code(s, d["code"]["id"])}


def _readd(s: Session, d: Data) -> Data:
    code_tree.restore_code(s, d["code"])
    return d


def _unmerge(s: Session, d: Data) -> Data:
    unmerge_in(s, d)
    return d


STEPS: dict[str, tuple[Step, Step]] = {
    "coding.apply": (coding_edit.delete_coding, _create),
    "coding.remove": (_create, coding_edit.delete_coding),
    "coding.memo": (_memo("before"), _memo("after")),
    "coding.span": (_span("after", "before"), _span("before", "after")),
    "code.add": (_unadd, _readd),
    "code.rename": (_rename("before"), _rename("after")),
    "code.move": (_move("before"), _move("after")),
    "code.edit": (_edit("before"), _edit("after")),
    "code.merge": (_unmerge, lambda s, d: merge_in(s, d["source"]["id"], d["target_id"])),
    **consensus_steps.STEPS,
    **document_removal.STEPS,
    **teamwork_steps.STEPS,
    **suggest_steps.STEPS,
    **corrections_steps.STEPS,
}
"""Each undoable journal action: how to undo it and how to redo it."""

UNDOABLE = tuple(STEPS)
