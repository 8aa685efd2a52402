"""Settling units into the consensus coder inside a transaction, and undoing and redoing it from the journal.

One journal entry holds every unit an action settled (one for a key press in review, many when
the agreed units are adopted), each with the decision it replaced and the consensus codings it
removed and added, so that ``services.history`` can take the whole action back in one step.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mda_coder.core.errors import MdaError
from mda_coder.core.spans import Span
from mda_coder.i18n import Message
from mda_coder.services.coding import _edit as coding_edit
from mda_coder.store import codes as code_repo
from mda_coder.store import consensus as decision_repo
from mda_coder.store import journal
from mda_coder.store.models import (
    Coder,
    CodeRow,
    CodingRow,
    Document,
    SentenceRow,
    TurnRow,
)
from mda_coder.store.snapshots import coding_snapshot

CONSENSUS = "consensus"
"""The coder that holds the settled codings: journal entries of settling are this coder's, so its undo undoes them."""
SETTLE = "consensus.settle"
ADOPT = "consensus.adopt"

Data = dict[str, Any]


@dataclass(frozen=True, slots=True)
class Made:
    """One consensus coding a decision makes: its span and the codings it was drawn from."""

    span: Span
    sources: tuple[CodingRow, ...]


def unit_span(session: Session, doc: Document, unit: str, position: int) -> tuple[Span, int]:
    """The span of turn or sentence ``position`` of ``doc``, and the number of the turn it lies in."""
    if unit == "turn":
        row = session.scalar(select(TurnRow).where(TurnRow.document_id == doc.id, TurnRow.position == position))
        if row is not None:
            return Span(row.start_offset, row.end_offset), row.position
    else:
        found = session.execute(
            select(SentenceRow.start_offset, SentenceRow.end_offset, TurnRow.position)
            .join(TurnRow, SentenceRow.turn_id == TurnRow.id)
            .where(SentenceRow.document_id == doc.id, SentenceRow.position == position)
        ).first()
        if found is not None:
            return Span(found[0], found[1]), found[2]
    raise MdaError(f"document '{doc.name}' has no {unit} {position}")


def overlapping(session: Session, coder_ids: Sequence[int], code_id: int, doc_id: int, span: Span) -> list[CodingRow]:
    """The codings of ``code_id`` by these coders that overlap ``span``, in text order."""
    return list(
        session.scalars(
            select(CodingRow)
            .where(
                CodingRow.coder_id.in_(list(coder_ids)),
                CodingRow.code_id == code_id,
                CodingRow.document_id == doc_id,
                CodingRow.start_offset < span.end,
                CodingRow.end_offset > span.start,
            )
            .order_by(CodingRow.start_offset, CodingRow.end_offset, CodingRow.id)
        )
    )


def union(rows: Sequence[CodingRow], within: Span) -> list[Made]:
    """The codings clipped to the unit, overlapping or touching ones joined: the text any of them covers.

    Clipping keeps a decision inside its unit: a coding that runs on into the next turn must not
    settle that turn too, which is reviewed (and may be decided otherwise) on its own.
    """
    made: list[tuple[Span, list[CodingRow]]] = []
    for row in sorted(rows, key=lambda r: (r.start_offset, r.end_offset)):
        clipped = Span(row.start_offset, row.end_offset).intersection(within)
        if clipped is None:
            continue
        if made and clipped.start <= made[-1][0].end:
            made[-1] = (made[-1][0].cover(clipped), [*made[-1][1], row])
        else:
            made.append((clipped, [row]))
    return [Made(span, tuple(sources)) for span, sources in made]


def _memo(sources: Sequence[CodingRow]) -> str | None:
    """The memos of the codings a consensus coding comes from, each signed by its coder."""
    memos = [f"{row.coder.name}: {row.memo}" for row in sources if row.memo]
    return "\n".join(dict.fromkeys(memos)) or None


def settle_unit(
    session: Session,
    *,
    consensus: Coder,
    code: CodeRow,
    doc: Document,
    unit: str,
    position: int,
    span: Span,
    decision: str,
    compared: Sequence[str],
    taken: Sequence[str],
    made: Sequence[Made],
    reviewer: str,
) -> Data:
    """Replace what the consensus coder has for ``code`` in the unit by ``made``; returns the journal data.

    The consensus coder's codings of the code inside the unit, and an earlier decision on it, are
    removed (and kept in the data, for undo): deciding a unit again replaces the earlier decision.
    """
    mine = overlapping(session, [consensus.id], code.id, doc.id, span)
    paths = code_repo.paths(session)
    for row in mine:
        if not span.contains(Span(row.start_offset, row.end_offset)):
            raise MdaError(
                f"{consensus.name} has a coding of '{paths[code.id]}' at {row.start_offset}-{row.end_offset} of "
                f"'{doc.name}' that runs past {unit} {position} ({span.start}-{span.end}): change it in the workspace first"
            )
    removed = [coding_edit.delete_coding(session, coding_snapshot(row)) for row in mine]
    earlier = decision_repo.find(session, code.id, doc.id, unit, position)
    replaced = decision_repo.snapshot(earlier) if earlier is not None else None
    if earlier is not None:
        session.delete(earlier)
        session.flush()
    added = []
    for item in made:
        data = {
            "coder_id": consensus.id,
            "code_id": code.id,
            "document_id": doc.id,
            "start": item.span.start,
            "end": item.span.end,
            "memo": _memo(item.sources),
        }
        added.append(coding_snapshot(coding_edit.create_coding(session, data)))
    record = decision_repo.insert(
        session,
        {
            "code_id": code.id,
            "document_id": doc.id,
            "unit": unit,
            "position": position,
            "start": span.start,
            "end": span.end,
            "decision": decision,
            "coders": {"compared": list(compared), "taken": list(taken)},
            "codings": {
                "made": [
                    {
                        "start": m.span.start,
                        "end": m.span.end,
                        "sources": [
                            {"coder": r.coder.name, "coding_id": r.id, "start": r.start_offset, "end": r.end_offset}
                            for r in m.sources
                        ],
                    }
                    for m in made
                ]
            },
            "reviewer": reviewer,
        },
    )
    return {"decision": decision_repo.snapshot(record), "replaced": replaced, "removed": removed, "added": added}


def record(session: Session, action: str, units: list[Data]) -> None:
    """Journal a settle or adopt action, as the consensus coder's (so that its undo takes it back)."""
    first = units[0]["decision"] if units else {}
    journal.record(session, CONSENSUS, action, "consensus_decision", first.get("id"), {"units": units})


# -- undo and redo ------------------------------------------------------------------------


def _drop_decision(session: Session, snap: Data) -> None:
    """Delete the decision ``snap`` describes, found by its unit (ids of restored rows may differ)."""
    row = decision_repo.find(session, snap["code_id"], snap["document_id"], snap["unit"], snap["position"])
    if row is None or row.decision != snap["decision"] or row.codings != snap["codings"]:
        raise MdaError(f"the decision on {snap['unit']} {snap['position']} has been changed since")
    session.delete(row)
    session.flush()


def _undo_unit(session: Session, d: Data) -> Data:
    added = [coding_edit.delete_coding(session, c) for c in d["added"]]
    _drop_decision(session, d["decision"])
    if d["replaced"] is not None:
        decision_repo.insert(session, d["replaced"])
    removed = [coding_snapshot(coding_edit.create_coding(session, c, keep_id=True)) for c in d["removed"]]
    return {**d, "added": added, "removed": removed}


def _redo_unit(session: Session, d: Data) -> Data:
    removed = [coding_edit.delete_coding(session, c) for c in d["removed"]]
    if d["replaced"] is not None:
        _drop_decision(session, d["replaced"])
    decision_repo.insert(session, d["decision"])
    added = [coding_snapshot(coding_edit.create_coding(session, c, keep_id=True)) for c in d["added"]]
    return {**d, "added": added, "removed": removed}


def undo(session: Session, data: Data) -> Data:
    """Take a settle or adopt action back: the units in reverse order, each to what it was before."""
    units = [_undo_unit(session, d) for d in reversed(data["units"])]
    return {**data, "units": units[::-1]}


def redo(session: Session, data: Data) -> Data:
    return {**data, "units": [_redo_unit(session, d) for d in data["units"]]}


STEPS = {SETTLE: (undo, redo), ADOPT: (undo, redo)}
"""The consensus actions for ``services.history._steps``."""


def label(decision: Data) -> str:
    """A decision in a few words: ``take anna``, ``both``, ``neither``, ``span 120-250``, ``agreed``."""
    kind = decision["decision"]
    if kind == "take":
        return Message("take {coders}", coders=", ".join(decision["coders"]["taken"]))
    if kind == "span":
        made = decision["codings"]["made"]
        return Message("span {spans}", spans=", ".join(f"{m['start']}-{m['end']}" for m in made))
    return _WORDS.get(kind) or str(kind)


_WORDS = {"both": Message("both"), "neither": Message("neither"), "agreed": Message("agreed")}


def family_label(decisions: Sequence[tuple[str, Data]]) -> str:
    """Decisions on the codes of a family in one unit: ``take anna`` when they read alike, else per code
    (``tilltro: neither; tilltro/tvivel: span 120-250``)."""
    labels = [(path, label(d)) for path, d in decisions]
    if len({text for _, text in labels}) == 1:
        return labels[0][1]
    return Message.joined([Message("{path}: {decision}", path=path, decision=text) for path, text in labels], "; ")


def describe(session: Session, action: str, data: Data) -> tuple[str, str | None, Span | None, int | None, str | None]:
    """For the history: what the action did, the document, the text, the turn and the code concerned.

    Settling a code with its sub-codes writes one unit per code of the family, all on one turn or
    sentence: they are described together, with the family's top code as the code concerned.
    """
    units = data["units"]
    if action == ADOPT or not units:
        return (
            Message("adopt {n} agreed units into {consensus}", n=len(units), consensus=CONSENSUS),
            None,
            None,
            None,
            None,
        )
    d = units[0]["decision"]
    paths = code_repo.paths(session)
    decided = sorted(
        ((paths.get(u["decision"]["code_id"], Message("a deleted code")), u["decision"]) for u in units),
        key=lambda p: p[0],
    )
    code = min((path for path, _ in decided), key=lambda p: (p.count("/"), p))
    name = session.scalar(select(Document.name).where(Document.id == d["document_id"]))
    span = Span(d["start"], d["end"])
    turn = session.scalar(
        select(TurnRow.position).where(
            TurnRow.document_id == d["document_id"], TurnRow.start_offset <= span.start, TurnRow.end_offset > span.start
        )
    )
    codes = ", ".join(path for path, _ in decided)
    where: str
    if name is None:
        former = journal.former_document_name(session, d["document_id"])
        where = Message("{document} (removed)", document=former) if former else Message("a removed document")
    else:
        where = name
    said = (
        Message("settle {codes} on {where} turn {position}: {decision}")
        if d["unit"] == "turn"
        else Message("settle {codes} on {where} sentence {position}: {decision}")
    )
    text = Message(said.template, codes=codes, where=where, position=d["position"], decision=family_label(decided))
    return text, name, span, turn, code
