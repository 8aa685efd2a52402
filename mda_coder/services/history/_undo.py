"""Undo and redo, per coder and many levels deep, computed from the journal alone (so they survive restarts).

A coder's undo stack is their undoable journal entries minus those undone; undoing reverses the
newest in one transaction and appends ``history.undo`` (the entry's id and the data redo needs);
redo re-applies the most recently undone entry and appends ``history.redo``. A new undoable
action clears the redo stack. Codings are found by their natural key (coder, code, document,
span), never by row id, because undoing a removal re-creates the row with a new id.

Finding the tops of both stacks takes one or two indexed look-ups, however long the journal:
after a new action the stacks are (that action, empty), and each ``history.*`` entry records
the tops it leaves (``state``). What lies under a top is the state just before that top was
pushed, i.e. the state after the coder's preceding entry. ``_scan`` derives the same tops by
reading the journal backwards; it is the fallback for an entry without ``state`` and the
reference the tests check the fast path against.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from mda_coder.core.errors import MdaError
from mda_coder.core.spans import Span
from mda_coder.i18n import Message, message_of
from mda_coder.services import document_removal
from mda_coder.services.codebook import _tree as code_tree
from mda_coder.services.consensus import _steps as consensus_steps
from mda_coder.services.corrections import _steps as corrections_steps
from mda_coder.services.history._steps import STEPS, UNDOABLE, Data
from mda_coder.services.suggest import _steps as suggest_steps
from mda_coder.services.teamwork import _steps as teamwork_steps
from mda_coder.store import codes as code_repo
from mda_coder.store import journal
from mda_coder.store.engine import Database
from mda_coder.store.models import Document, Event, TurnRow

UNDO = "history.undo"
REDO = "history.redo"
_PAGE = 200
_SELF = -1
"""In a recorded state, "the history entry holding this state" (its id is not known before it is written)."""

Top = tuple[int, int | None]
"""A stack top: the undoable entry's id, and the id of the history entry holding its current data (None: its own)."""
Tops = tuple[Top | None, Top | None]


@dataclass(frozen=True, slots=True)
class HistoryStep:
    """One step undone or redone, for the message and for refreshing and jumping to what changed."""

    direction: str
    """``undo`` or ``redo``."""
    action: str
    """The journal action the step reverses or repeats, e.g. ``coding.apply``, ``code.merge``."""
    description: str
    """What the action did, e.g. ``apply tilltro to FG1 turn 12``; show as "Undone: …"."""
    document: str | None = None
    """The document concerned, when a coding is; None for codebook changes (refresh everything)."""
    span: Span | None = None
    """The text concerned (for a span change, both the old and the new span)."""
    turn: int | None = None
    """The 1-based turn the span begins in."""
    code: str | None = None
    """The path of the code concerned, as it is after the step (as it was, when the step deleted it)."""


class NotShown(MdaError):
    """The step to undo or redo was taken after the screen asking last refreshed (in another window of the coder's).

    Nothing was changed; ``step`` says what the step would have been, so the screen can show it first.
    """

    def __init__(self, step: HistoryStep) -> None:
        said = (
            Message("not undone: '{step}' was done in another window since this one refreshed")
            if step.direction == "undo"
            else Message("not redone: '{step}' was done in another window since this one refreshed")
        )
        super().__init__(Message(said.template, step=step.description))
        self.step = step


@dataclass(frozen=True, slots=True)
class _Entry:
    event_id: int
    action: str
    data: Data


def _relevant(coder: str) -> Any:
    return (Event.actor == coder, Event.action.in_((*UNDOABLE, UNDO, REDO)))


def _state_after(event_id: int, action: str, data: Data) -> Tops | None:
    """The stack tops right after one of the coder's entries; None for a history entry without ``state``."""
    if action not in (UNDO, REDO):
        return (event_id, None), None
    state = data.get("state")
    if state is None:
        return None

    def top(value: list[int] | None) -> Top | None:
        return None if value is None else (value[0], event_id if value[1] == _SELF else value[1])

    return top(state["undo"]), top(state["redo"])


def _state_before(session: Session, coder: str, event_id: int) -> Tops | None:
    """The stack tops just before ``event_id``: after the coder's preceding entry (empty if none)."""
    row = session.execute(
        select(Event.id, Event.action, Event.data)
        .where(*_relevant(coder), Event.id < event_id)
        .order_by(Event.id.desc())
        .limit(1)
    ).first()
    return (None, None) if row is None else _state_after(row.id, row.action, row.data)


def _tops(session: Session, coder: str) -> Tops:
    """The tops of the coder's undo and redo stacks."""
    row = session.execute(
        select(Event.id, Event.action, Event.data).where(*_relevant(coder)).order_by(Event.id.desc()).limit(1)
    ).first()
    if row is None:
        return None, None
    return _state_after(row.id, row.action, row.data) or _scan(session, coder)


def _scan(session: Session, coder: str) -> Tops:
    """The tops, derived by reading the coder's journal backwards (usually a page or two).

    Entry ``x`` is on the undo stack when the last history entry naming it is not an undo; the
    redo stack holds what was undone since the coder's newest new action, smallest id on top.
    """
    latest: dict[int, tuple[str, int]] = {}
    redo_top: Top | None = None
    seen_new_action = False
    before: int | None = None
    while True:
        query = (
            select(Event.id, Event.action, Event.data["event"].as_integer())
            .where(*_relevant(coder))
            .order_by(Event.id.desc())
            .limit(_PAGE)
        )
        if before is not None:
            query = query.where(Event.id < before)
        rows = session.execute(query).all()
        for event_id, action, ref in rows:
            if action in (UNDO, REDO):
                latest.setdefault(ref, (action, event_id))
                continue
            if not seen_new_action:
                seen_new_action = True
                undone = [ref for ref, (op, _) in latest.items() if op == UNDO]
                if undone:
                    top = min(undone)
                    redo_top = (top, latest[top][1])
            op, op_id = latest.get(event_id, (REDO, None))
            if op == REDO:
                return (event_id, op_id), redo_top
        if len(rows) < _PAGE:
            return None, redo_top
        before = rows[-1][0]


def _state_after_step(
    session: Session, coder: str, direction: str, top: Top
) -> dict[str, list[int | None] | None] | None:
    """The tops the step on ``top`` leaves, for its history entry; None when they cannot be known cheaply."""
    entry_id, op_id = top
    # Undo pops the entry pushed by its latest redo (or by the action itself); redo pops the one
    # pushed by its latest undo. Under it lies the state from just before that push.
    below = _state_before(session, coder, op_id if op_id is not None else entry_id)
    if below is None:
        return None
    if direction == "undo":
        return {"undo": list(below[0]) if below[0] else None, "redo": [entry_id, _SELF]}
    return {"undo": [entry_id, _SELF], "redo": list(below[1]) if below[1] else None}


def _entry(session: Session, event_id: int, op_id: int | None) -> _Entry:
    event = session.get(Event, event_id)
    assert event is not None
    data = event.data
    if op_id is not None:
        op = session.get(Event, op_id)
        if op is not None and "data" in op.data:
            data = op.data["data"]
    return _Entry(event_id, event.action, data)


class Places:
    """How a description names a code, a document and the place in it: a query or two each, as one undo needs.

    A reader of many entries (the log, ``services.history._words``) passes one that reads each thing once.
    """

    def __init__(self, session: Session) -> None:
        self.session = session

    def code(self, code_id: int) -> str:
        """The code's path now, or the last path it had."""
        return code_repo.paths(self.session).get(code_id) or _former_path(self.session, code_id)

    def document(self, document_id: int) -> str | None:
        """The document's name; None when it has been removed."""
        return self.session.scalar(select(Document.name).where(Document.id == document_id))

    def name(self, document_id: int) -> str:
        """The document's name, or the name the journal last gave it: ``FG3 (removed)``."""
        name = self.document(document_id)
        if name is not None:
            return name
        former = journal.former_document_name(self.session, document_id)
        return Message("{document} (removed)", document=former) if former else Message("a removed document")

    def turn(self, document_id: int, offset: int) -> tuple[int, int, int] | None:
        """``(start, end, number)`` of the last turn that starts at or before ``offset``."""
        row = self.session.execute(
            select(TurnRow.start_offset, TurnRow.end_offset, TurnRow.position)
            .where(TurnRow.document_id == document_id, TurnRow.start_offset <= offset)
            .order_by(TurnRow.start_offset.desc())
            .limit(1)
        ).first()
        return None if row is None else (row[0], row[1], row[2])


def _where(places: Places, document_id: int, span: Span) -> tuple[str, int | None]:
    turn = places.turn(document_id, span.start)
    if turn is None or turn[1] <= span.start:
        return f"{span.start}-{span.end}", None
    start, end, position = turn
    if (start, end) == (span.start, span.end):
        return Message("turn {turn}", turn=position), position
    return Message("turn {turn} ({start}-{end})", turn=position, start=span.start, end=span.end), position


def _former_path(session: Session, code_id: int) -> str:
    """The last path a code had, from the journal entry that merged it away or added it."""
    data = session.scalar(
        select(Event.data)
        .where(Event.action.in_(("code.merge", "code.add")), Event.entity_id == code_id)
        .order_by(Event.id.desc())
        .limit(1)
    )
    path = (data or {}).get("source_path") or (data or {}).get("path")
    return str(path) if path else Message("a deleted code")


_CODING_VERBS = {
    "coding.apply": Message("apply {code} to {doc} {where}"),
    "coding.remove": Message("remove {code} from {doc} {where}"),
    "coding.memo": Message("edit the memo of {code} on {doc} {where}"),
    "coding.span": Message("change the span of {code} on {doc} {where}"),
}


def _describe(session: Session, entry: _Entry, direction: str, places: Places | None = None) -> HistoryStep:
    d, action = entry.data, entry.action
    if action in consensus_steps.STEPS:
        return HistoryStep(direction, action, *consensus_steps.describe(session, action, d))
    if action in corrections_steps.STEPS:
        turn = d.get("turn")
        return HistoryStep(
            direction,
            action,
            corrections_steps.describe(d, action),
            d.get("name"),
            turn=turn if isinstance(turn, int) else None,
        )
    if action == document_removal.REMOVE:
        return HistoryStep(direction, action, document_removal.describe(d), d["name"])
    if action in teamwork_steps.STEPS:
        return HistoryStep(direction, action, teamwork_steps.describe(d))
    if action in suggest_steps.STEPS:
        return HistoryStep(direction, action, *suggest_steps.describe(session, action, d))
    if action in _CODING_VERBS:
        if action == "coding.span":
            span = Span(*d["before"]).cover(Span(*d["after"]))
            here = Span(*d["after"])
        else:
            span = here = Span(d["start"], d["end"])
        places = places or Places(session)
        code = places.code(d["code_id"])
        doc_name = places.document(d["document_id"])
        where, turn = (
            _where(places, d["document_id"], here) if doc_name is not None else (f"{span.start}-{span.end}", None)
        )
        text = Message(_CODING_VERBS[action].template, code=code, doc=places.name(d["document_id"]), where=where)
        return HistoryStep(direction, action, text, doc_name, span, turn, code)
    if action == "code.add":
        text, code = Message("add code {code}", code=d["path"]), d["path"]
    elif action == "code.rename":
        text, code = Message("rename {code} to {name}", code=d["path"], name=d["after"]), d["path"]
    elif action == "code.move":
        text, code = Message("move {code} to {path}", code=d["path_before"], path=d["path_after"]), d["path_after"]
    elif action == "code.edit":
        text, code = Message("edit code {code}", code=d["path"]), d["path"]
    else:
        text, code = (
            Message("merge {code} into {target}", code=d["source_path"], target=d["target_path"]),
            d["source_path"],
        )
    return HistoryStep(direction, action, text, code=code)


def describe_entry(session: Session, event_id: int, action: str, data: Data, places: Places | None = None) -> str:
    """What an undoable journal entry did, as undo names it: ``apply tilltro to FG1 turn 12``."""
    return _describe(session, _Entry(event_id, action, data), "", places).description


def _code_now(session: Session, step: HistoryStep, d: Data) -> HistoryStep:
    """The step with the current path of the code it concerns, for a codebook change."""
    if step.document is not None:
        return step
    for ident in (d.get("id"), d.get("code", {}).get("id"), d.get("source", {}).get("id"), d.get("target_id")):
        path = code_tree.path_of(session, ident)
        if path is not None:
            return replace(step, code=path)
    return step


def _perform(
    db: Database, coder: str, direction: str, shown: Callable[[int], bool] | None = None
) -> HistoryStep | None:
    coder = coder.strip()
    with db.transaction() as s:
        tops = _tops(s, coder)
        top = tops[0] if direction == "undo" else tops[1]
        if top is None:
            return None
        entry = _entry(s, *top)
        step = _describe(s, entry, direction)
        # The entry's latest journal entry (the action, or the undo or redo that put it on this
        # stack): the screen must have shown what that entry did, or it would change unseen work.
        if shown is not None and not shown(top[1] if top[1] is not None else top[0]):
            raise NotShown(_code_now(s, step, entry.data))
        undo_step, redo_step = STEPS[entry.action]
        changed = corrections_steps.stale(s, entry.event_id, entry.action, entry.data)
        if changed is not None:
            document, pseudonymised = changed
            if pseudonymised:
                said = (
                    Message("cannot undo '{step}': {document} was pseudonymised since (its offsets are into the names)")
                    if direction == "undo"
                    else Message(
                        "cannot redo '{step}': {document} was pseudonymised since (its offsets are into the names)"
                    )
                )
            else:
                said = (
                    Message("cannot undo '{step}': the text of {document} was corrected since; undo that first")
                    if direction == "undo"
                    else Message("cannot redo '{step}': the text of {document} was corrected since; redo that first")
                )
            raise MdaError(Message(said.template, step=step.description, document=document))
        given = {**entry.data, "event_id": entry.event_id} if entry.action in corrections_steps.STEPS else entry.data
        try:
            data = (undo_step if direction == "undo" else redo_step)(s, given)
        except MdaError as exc:
            said = (
                Message("cannot undo '{step}': {error}")
                if direction == "undo"
                else Message("cannot redo '{step}': {error}")
            )
            raise MdaError(Message(said.template, step=step.description, error=message_of(exc))) from None
        except IntegrityError:
            said = (
                Message("cannot undo '{step}': the project has changed since")
                if direction == "undo"
                else Message("cannot redo '{step}': the project has changed since")
            )
            raise MdaError(Message(said.template, step=step.description)) from None
        record: Data = {"event": entry.event_id, "action": entry.action, "data": data}
        state = _state_after_step(s, coder, direction, top)
        if state is not None:
            record["state"] = state
        journal.record(s, coder, UNDO if direction == "undo" else REDO, "event", entry.event_id, record)
        return _code_now(s, step, entry.data)


def undo(db: Database, coder: str, *, shown: Callable[[int], bool] | None = None) -> HistoryStep | None:
    """Undo ``coder``'s newest step not yet undone; None when there is nothing to undo.

    ``shown(event_id)`` says whether the caller's screen has shown the effect of a journal entry;
    when it has not shown the step's, nothing changes and ``NotShown`` is raised (see the workspace).
    """
    return _perform(db, coder, "undo", shown)


def redo(db: Database, coder: str, *, shown: Callable[[int], bool] | None = None) -> HistoryStep | None:
    """Redo the step ``coder`` undid last; None when there is nothing to redo (``shown`` as for ``undo``)."""
    return _perform(db, coder, "redo", shown)


def history_state(db: Database, coder: str) -> tuple[str | None, str | None]:
    """What undo and redo would do now, e.g. ``("apply tilltro to FG1 turn 12", None)``, for the UI to show."""
    with db.transaction() as s:
        labels = []
        for top in _tops(s, coder.strip()):
            labels.append(None if top is None else _describe(s, _entry(s, *top), "").description)
        return labels[0], labels[1]
