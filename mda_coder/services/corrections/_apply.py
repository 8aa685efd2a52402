"""One change of one document's text, inside the caller's transaction: everything on the text follows its words.

:func:`correct` diffs the old and new text once (``core.reanchor``) and moves through it the turns,
the sentences (re-split only in turns whose text changed), every coder's codings, the consensus
decisions, the proposals and the memos on turns. A coding whose words changed beyond doubt stays on
its moved span and is flagged; a coding whose words are gone is taken out of ``codings`` and kept
in its flag row. The journal entry holds the text edits and the rows that did not merely shift
(``_rows``), so undo and redo are exact and the entry is in proportion to the change.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, NamedTuple

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from mda_coder.core.errors import InputError, NotFoundError
from mda_coder.core.reanchor import DOUBTFUL, EDITED, GONE, KEPT, Edit, Moved, diff, reanchor
from mda_coder.core.spans import Span, strip_span
from mda_coder.i18n import Message
from mda_coder.nlp.sentences import split_sentences
from mda_coder.services.corrections import _rows
from mda_coder.services.corrections._values import CorrectionReport, MovedSpan
from mda_coder.store import codes as code_repo
from mda_coder.store import journal, search_index, server, settings
from mda_coder.store.models import (
    AnchorFlag,
    Coder,
    CodingRow,
    ConsensusDecision,
    Document,
    MemoRow,
    SentenceRow,
    SuggestionRow,
    TurnRow,
)

TEXT_ACTIONS = ("document.correct", "document.replace", "turn.edit", "turn.split", "turn.merge", "turn.speaker")
"""The journal actions of this capability that change a document's text or turns (each undoable)."""


@dataclass
class Work:
    """A correction in progress: what a turn-structure fix (a split, a merge, a speaker) sees and adds to."""

    session: Session
    doc: Document
    old: str
    new: str
    edits: list[Edit]
    turns: list[TurnRow]
    """The surviving turns, moved, in text order."""
    notes: list[str] = field(default_factory=list)
    description: dict[str, Any] = field(default_factory=dict)
    """What the journal says of the change beyond the counts (the turn, the speaker)."""


Fix = Callable[[Work], None]


class _DryRun(Exception):
    """Raised to roll back a dry run's savepoint."""


def correct(
    session: Session,
    document_id: int,
    new_text: str,
    *,
    actor: str,
    action: str = "document.correct",
    record: bool = True,
    dry_run: bool = False,
    fix: Fix | None = None,
    doc_fields: dict[str, Any] | None = None,
    edits: Sequence[Edit] | None = None,
) -> CorrectionReport:
    """Change the document's text to ``new_text`` and move everything on it (see the module); returns the report."""
    doc = session.get(Document, document_id)
    if doc is None:
        raise NotFoundError(Message("the document is no longer in the project"))
    if not server.may_change_every_coding(session.connection()):
        raise InputError(
            Message(
                "{document}: only the project lead may correct a document's text on a team server "
                "(it moves every coder's codings); ask the lead",
                document=doc.name,
            )
        )
    if not new_text.strip():
        raise InputError(Message("{document}: the new text is empty", document=doc.name))
    if new_text == doc.text and fix is None and not doc_fields:
        raise InputError(Message("{document}: nothing changed: the new text is the same", document=doc.name))
    if edits is not None:
        _check_edits(doc.text, new_text, edits)
    if not dry_run:
        return _correct(session, doc, new_text, actor, action, record, False, fix, doc_fields, edits)
    session.flush()
    nested = session.begin_nested()
    try:
        return _correct(session, doc, new_text, actor, action, False, True, fix, doc_fields, edits)
    finally:
        nested.rollback()
        session.expire_all()


def _check_edits(old: str, new: str, edits: Sequence[Edit]) -> None:
    """Refuse edits that do not lead from ``old`` to ``new``: in order, apart, each where the ones before put it."""
    pieces: list[str] = []
    at, shift = -1, 0
    for e in edits:
        in_order = at < e.old_start <= e.old_end <= len(old) and e.new_start <= e.new_end
        if not in_order or e.new_start != e.old_start + shift:
            raise ValueError(f"edits out of order, touching or not adding up at {e}")
        pieces += [old[max(at, 0) : e.old_start], new[e.new_start : e.new_end]]
        at, shift = e.old_end, shift + e.delta
    pieces.append(old[max(at, 0) :])
    if "".join(pieces) != new:
        raise ValueError("the edits do not lead from the stored text to the new one")


def _correct(
    session: Session,
    doc: Document,
    new: str,
    actor: str,
    action: str,
    record: bool,
    dry_run: bool,
    fix: Fix | None,
    doc_fields: dict[str, Any] | None,
    given: Sequence[Edit] | None = None,
) -> CorrectionReport:
    old = doc.text
    doc_id = doc.id
    turns_before = _rows.turn_ids(session, doc_id)
    before = _rows.capture(session, doc_id, turns_before) if record else None
    fp_before = _rows.fingerprint(session, doc_id, old) if record else ""
    edits = diff(old, new) if given is None else list(given)
    paths = code_repo.paths(session)
    coders = dict(session.execute(select(Coder.id, Coder.name)).all())
    old_turns = {
        r[0]: (r[1], r[2], r[3])
        for r in session.execute(
            select(TurnRow.id, TurnRow.position, TurnRow.start_offset, TurnRow.end_offset).where(
                TurnRow.document_id == doc_id
            )
        )
    }
    fields_before = {key: getattr(doc, key) for key in doc_fields or {}}
    work = Work(session, doc, old, new, edits, _move_turns(session, doc, old, new, edits))
    # the text changes before any span is written that only fits the new text (a flush writes it first)
    doc.text = new
    for key, value in (doc_fields or {}).items():
        setattr(doc, key, value)
    session.flush()
    if fix is not None:
        fix(work)
        session.flush()
    for note in _memos_of_gone_turns(session, doc, old_turns, work.turns):
        work.notes.append(note)
    _sentences(session, doc, old, new, old_turns, work.turns, edits)
    _rows.renumber(session, "turns", doc_id)
    _rows.renumber(session, "sentences", doc_id)
    session.expire_all()
    turn_starts = _turn_starts(session, doc_id)
    flags: list[AnchorFlag] = []
    moved, counts, coding_rows = _codings(
        session, doc_id, old, new, edits, paths, coders, turn_starts, old_turns, flags, record
    )
    moved += _decisions(session, doc_id, old, new, edits, paths, turn_starts, old_turns, flags)
    dropped = _suggestions(session, doc_id, edits)
    if dropped:
        work.notes.append(
            Message("{n} proposal on words now gone was dropped", n=dropped)
            if dropped == 1
            else Message("{n} proposals on words now gone were dropped", n=dropped)
        )
    _earlier_flags(session, doc_id, edits, new)
    session.add_all(flags)
    session.flush()
    search_index.index_document(session.connection(), doc_id)
    moved.sort(key=lambda pair: pair[0])
    report_moved = tuple(
        MovedSpan(m.kind, m.coder, m.code, m.turn, m.status, m.kept, m.old_text, m.new_text, flag.id if flag else None)
        for _, m, flag in moved
    )
    if dry_run:
        report_moved = tuple(
            MovedSpan(m.kind, m.coder, m.code, m.turn, m.status, m.kept, m.old_text, m.new_text, None)
            for m in report_moved
        )
    turns_after = len(turn_starts)
    report = CorrectionReport(
        document=doc.name,
        dry_run=dry_run,
        regions=len(edits),
        turns_before=len(old_turns),
        turns_after=turns_after,
        counts=counts,
        moved=report_moved,
        notes=tuple(work.notes),
    )
    if record and before is not None:
        after = _rows.capture(session, doc_id, sorted(set(turns_before) | set(_rows.turn_ids(session, doc_id))))
        data: dict[str, Any] = {
            "document_id": doc_id,
            "name": doc.name,
            "text_before": _rows.text_hash(old),
            "text_after": _rows.text_hash(new),
            "fp_before": fp_before,
            "fp_after": _rows.fingerprint(session, doc_id, new),
            "edits": _rows.stored_edits(edits, old, new),
            "rows": {**_rows.delta(before, after, edits), **coding_rows},
            "regions": len(edits),
            "counts": counts,
            "turns": [len(old_turns), turns_after],
            **work.description,
        }
        if doc_fields:
            data["doc"] = {"before": fields_before, "after": dict(doc_fields)}
        event = journal.record_returning(session, actor.strip(), action, "document", doc_id, data)
        if flags:
            session.execute(update(AnchorFlag).where(AnchorFlag.id.in_([f.id for f in flags])).values(event_id=event))
    return report


def _move_turns(session: Session, doc: Document, old: str, new: str, edits: list[Edit]) -> list[TurnRow]:
    """Move the turns through the edits; a turn whose text is gone is left out (its row deleted by the caller)."""
    rows = list(session.scalars(select(TurnRow).where(TurnRow.document_id == doc.id).order_by(TurnRow.start_offset)))
    moved = reanchor([Span(t.start_offset, t.end_offset) for t in rows], edits)
    survivors = []
    by_new_end = {e.new_end: e for e in edits}
    by_new_start = {e.new_start: e for e in edits}
    for t, m in zip(rows, moved, strict=True):
        if m.new is None:
            continue
        start, end = m.new.start, m.new.end
        # Words typed at a turn's very start or end (on its line) are the turn's words, not text between turns.
        e = by_new_end.get(start)
        if e is not None and e.old_end == t.start_offset and _joins(new[e.new_start : e.new_end]):
            start = e.new_start
        e = by_new_start.get(end)
        if e is not None and e.old_start == t.end_offset and _joins(new[e.new_start : e.new_end]):
            end = e.new_end
        span = strip_span(new, start, end)
        if span is None:
            continue
        t.start_offset, t.end_offset = span.start, span.end
        survivors.append(t)
    if not survivors:
        raise InputError(Message("{document}: the new text leaves no turn with words", document=doc.name))
    return survivors


def _joins(fragment: str) -> bool:
    return bool(fragment.strip()) and "\n" not in fragment and ":" not in fragment


def _memos_of_gone_turns(
    session: Session, doc: Document, old_turns: dict[int, tuple[int, int, int]], survivors: list[TurnRow]
) -> list[str]:
    """Delete the turns that are gone; their memos move to the turn that took their text (the one before)."""
    alive = {t.id for t in survivors}
    gone = sorted((v[1], i) for i, v in old_turns.items() if i not in alive)
    notes: list[str] = []
    if not gone:
        return notes
    order = sorted((old_turns[t.id][1], t.id) for t in survivors if t.id in old_turns)
    starts = [o[0] for o in order]
    position = {t.id: t for t in survivors}
    for old_start, turn_id in gone:
        k = bisect_right(starts, old_start) - 1
        heir = order[k][1] if k >= 0 else order[0][1]
        memos = list(
            session.scalars(select(MemoRow).where(MemoRow.target_kind == "turn", MemoRow.target_id == turn_id))
        )
        for memo in memos:
            memo.target_id = heir
        if memos:
            notes.append(
                Message(
                    "the memo on turn {old} moved to turn {new}: its turn is gone",
                    old=old_turns[turn_id][0],
                    new=old_turns[position[heir].id][0],
                )
            )
        session.execute(delete(SentenceRow).where(SentenceRow.turn_id == turn_id))
        session.execute(delete(TurnRow).where(TurnRow.id == turn_id))
    session.flush()
    return notes


def _sentences(
    session: Session,
    doc: Document,
    old: str,
    new: str,
    old_turns: dict[int, tuple[int, int, int]],
    turns: list[TurnRow],
    edits: list[Edit],
) -> None:
    """Shift the sentences of untouched turns; split again those turns whose text changed (and new turns)."""
    rows = session.execute(
        select(SentenceRow.id, SentenceRow.turn_id, SentenceRow.start_offset, SentenceRow.end_offset).where(
            SentenceRow.document_id == doc.id
        )
    ).all()
    by_turn: dict[int, list[Any]] = {}
    for r in rows:
        by_turn.setdefault(r.turn_id, []).append(r)
    changed = [
        t
        for t in turns
        if t.id not in old_turns or old[old_turns[t.id][1] : old_turns[t.id][2]] != new[t.start_offset : t.end_offset]
    ]
    changed_ids = {t.id for t in changed}
    keep = [r for r in rows if r.turn_id not in changed_ids]
    moved = reanchor([Span(r.start_offset, r.end_offset) for r in keep], edits)
    shifts: list[tuple[int, int, int]] = []
    for r, m in zip(keep, moved, strict=True):
        if m.new is None or m.status != KEPT:  # cannot happen in an unchanged turn; re-split it to be sure
            changed_ids.add(r.turn_id)
            continue
        if m.new.start != r.start_offset:
            shifts.append((m.new.start, m.new.end, r.id))
    _rows._update_spans(session, SentenceRow.__table__, ("start_offset", "end_offset"), shifts)
    if not changed_ids:
        return
    session.execute(delete(SentenceRow).where(SentenceRow.turn_id.in_(changed_ids)))
    resplit = [t for t in turns if t.id in changed_ids]
    language = settings.get(session, "language", "sv") or "sv"
    spans = split_sentences((new[t.start_offset : t.end_offset] for t in resplit), language)
    rows_out: list[SentenceRow] = []
    for t, found in zip(resplit, spans, strict=True):
        for s in found:
            rows_out.append(
                SentenceRow(
                    document_id=doc.id,
                    turn_id=t.id,
                    position=-(len(rows_out) + 1) - 1_000_000,
                    start_offset=t.start_offset + s.start,
                    end_offset=t.start_offset + s.end,
                )
            )
    session.add_all(rows_out)
    session.flush()


def _turn_starts(session: Session, doc_id: int) -> list[tuple[int, int, int]]:
    return [
        (r[0], r[1], r[2])
        for r in session.execute(
            select(TurnRow.start_offset, TurnRow.end_offset, TurnRow.position)
            .where(TurnRow.document_id == doc_id)
            .order_by(TurnRow.start_offset)
        )
    ]


def _turn_at(turns: list[tuple[int, int, int]], offset: int) -> int | None:
    k = bisect_right(turns, offset, key=lambda t: t[0]) - 1
    return turns[k][2] if k >= 0 else (turns[0][2] if turns else None)


def _old_turn_at(old_turns: dict[int, tuple[int, int, int]], offset: int) -> int | None:
    return _turn_at(sorted((v[1], v[2], v[0]) for v in old_turns.values()), offset)


Line = tuple[tuple[int, int], MovedSpan, AnchorFlag | None]


def _line(
    kind: str,
    coder: str | None,
    code: str,
    m: Moved,
    old: str,
    new: str,
    turn_starts: list[tuple[int, int, int]],
    old_turns: dict[int, tuple[int, int, int]],
    flag: AnchorFlag | None,
    status: str | None = None,
) -> Line:
    at = (m.new.start, m.new.end) if m.new is not None else (-1, m.old.start)
    turn = _turn_at(turn_starts, m.new.start) if m.new is not None else _old_turn_at(old_turns, m.old.start)
    return (
        at,
        MovedSpan(
            kind,
            coder,
            code,
            turn,
            status or m.status,
            m.kept,
            old[m.old.start : m.old.end],
            new[m.new.start : m.new.end] if m.new is not None else None,
            None,
        ),
        flag,
    )


def _flag(
    doc_id: int,
    kind: str,
    row_id: int | None,
    coder_id: int | None,
    code_id: int,
    status: str,
    m: Moved,
    old: str,
    new: str,
    memo: str | None,
) -> AnchorFlag:
    return AnchorFlag(
        document_id=doc_id,
        kind=kind,
        coding_id=row_id,
        coder_id=coder_id,
        code_id=code_id,
        status=status,
        kept=m.kept,
        old_start=m.old.start,
        old_end=m.old.end,
        old_text=old[m.old.start : m.old.end],
        new_start=m.new.start if m.new is not None else None,
        new_end=m.new.end if m.new is not None else None,
        new_text=new[m.new.start : m.new.end] if m.new is not None else None,
        memo=memo,
    )


class _Coding(NamedTuple):
    id: int
    coder_id: int
    code_id: int
    start_offset: int
    end_offset: int
    memo: str | None


def _codings(
    session: Session,
    doc_id: int,
    old: str,
    new: str,
    edits: list[Edit],
    paths: dict[int, str],
    coders: dict[int, str],
    turn_starts: list[tuple[int, int, int]],
    old_turns: dict[int, tuple[int, int, int]],
    flags: list[AnchorFlag],
    keep: bool,
) -> tuple[list[Line], dict[str, int], dict[str, dict[str, Any]]]:
    """Move every coding; returns the report's lines, the counts and (``keep``) the journal's rows of those not kept."""
    touched: list[int] = []
    # Straight from the driver's cursor, in the session's transaction: SQLAlchemy's row objects for 20,000
    # codings cost a fifth of a second (bench/bench_corrections.py).
    conn = session.connection()
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    cursor = conn.connection.cursor()
    try:
        cursor.execute(
            f"SELECT id, coder_id, code_id, start_offset, end_offset, memo FROM codings WHERE document_id = {mark}",
            (doc_id,),
        )
        rows = [_Coding(*r) for r in cursor.fetchall()]
    finally:
        cursor.close()
    moved = reanchor([Span(r.start_offset, r.end_offset) for r in rows], edits)
    counts = {KEPT: 0, EDITED: 0, DOUBTFUL: 0, GONE: 0}
    lines: list[Line] = []
    taken: set[tuple[int, int, int, int]] = set()
    gone: list[int] = []
    down: list[tuple[int, int, int, int]] = []
    up: list[tuple[int, int, int, int]] = []
    for r, m in zip(rows, moved, strict=True):
        status = m.status
        if m.new is not None:
            key = (r.coder_id, r.code_id, m.new.start, m.new.end)
            if key in taken:  # two codings of one code by one coder now on the same words: one stays
                status = GONE
            else:
                taken.add(key)
        counts[status] += 1
        if status != KEPT:
            touched.append(r.id)
        if status == KEPT:
            if m.new is not None and m.new.start != r.start_offset:
                (down if m.new.start < r.start_offset else up).append((r.start_offset, m.new.start, m.new.end, r.id))
            continue
        if status == GONE:
            gone.append(r.id)
            shown = Moved(m.old, None, m.kept if m.new is not None else 0.0, GONE)
            lost = _flag(doc_id, "coding", None, r.coder_id, r.code_id, GONE, shown, old, new, r.memo)
            flags.append(lost)
            lines.append(
                _line(
                    "coding",
                    coders.get(r.coder_id),
                    paths.get(r.code_id, "?"),
                    shown,
                    old,
                    new,
                    turn_starts,
                    old_turns,
                    lost,
                )
            )
            continue
        assert m.new is not None
        (down if m.new.start < r.start_offset else up).append((r.start_offset, m.new.start, m.new.end, r.id))
        flag: AnchorFlag | None = None
        if status == DOUBTFUL:
            flag = _flag(doc_id, "coding", r.id, r.coder_id, r.code_id, DOUBTFUL, m, old, new, r.memo)
            flags.append(flag)
        lines.append(
            _line(
                "coding", coders.get(r.coder_id), paths.get(r.code_id, "?"), m, old, new, turn_starts, old_turns, flag
            )
        )
    before = _rows.rows_of(session, "codings", touched) if keep else {}
    if gone:
        for i in range(0, len(gone), 500):
            session.execute(delete(CodingRow).where(CodingRow.id.in_(gone[i : i + 500])))
    down.sort()
    up.sort(reverse=True)
    _rows._update_spans(
        session, CodingRow.__table__, ("start_offset", "end_offset"), [(s, e, i) for _, s, e, i in down + up]
    )
    after = _rows.rows_of(session, "codings", touched) if keep else {}
    return lines, counts, _rows.recorded("codings", before, after)


def _unit_positions(session: Session, doc_id: int) -> dict[str, dict[tuple[int, int], int]]:
    turns = {
        (r[0], r[1]): r[2]
        for r in session.execute(
            select(TurnRow.start_offset, TurnRow.end_offset, TurnRow.position).where(TurnRow.document_id == doc_id)
        )
    }
    sentences = {
        (r[0], r[1]): r[2]
        for r in session.execute(
            select(SentenceRow.start_offset, SentenceRow.end_offset, SentenceRow.position).where(
                SentenceRow.document_id == doc_id
            )
        )
    }
    return {"turn": turns, "sentence": sentences}


def _decisions(
    session: Session,
    doc_id: int,
    old: str,
    new: str,
    edits: list[Edit],
    paths: dict[int, str],
    turn_starts: list[tuple[int, int, int]],
    old_turns: dict[int, tuple[int, int, int]],
    flags: list[AnchorFlag],
) -> list[Line]:
    rows = list(session.scalars(select(ConsensusDecision).where(ConsensusDecision.document_id == doc_id)))
    if not rows:
        return []
    moved = reanchor([Span(r.start_offset, r.end_offset) for r in rows], edits)
    units = _unit_positions(session, doc_id)
    lines: list[Line] = []
    placed: list[tuple[ConsensusDecision, int]] = []
    for r, m in zip(rows, moved, strict=True):
        code = paths.get(r.code_id, "?")
        if m.new is None:
            lost = _flag(doc_id, "consensus", None, None, r.code_id, GONE, m, old, new, None)
            flags.append(lost)
            lines.append(_line("consensus", None, code, m, old, new, turn_starts, old_turns, lost))
            session.delete(r)
            continue
        position = units[r.unit].get((m.new.start, m.new.end))
        status = m.status
        if position is None:
            status = DOUBTFUL
            position = r.position
        r.start_offset, r.end_offset = m.new.start, m.new.end
        placed.append((r, position))
        if status == KEPT:
            continue
        flag: AnchorFlag | None = None
        if status == DOUBTFUL:
            flag = _flag(doc_id, "consensus", r.id, None, r.code_id, DOUBTFUL, m, old, new, None)
            flags.append(flag)
        lines.append(_line("consensus", None, code, m, old, new, turn_starts, old_turns, flag, status))
    session.flush()
    # numbers change together: out of the way first, so that no two decisions share one on the way
    for r, _ in placed:
        r.position = -r.id
    session.flush()
    for r, position in placed:
        r.position = position
    session.flush()
    return lines


def _suggestions(session: Session, doc_id: int, edits: list[Edit]) -> int:
    """Move the proposals; those on words now gone are deleted (machine proposals, made again on demand)."""
    rows = list(session.scalars(select(SuggestionRow).where(SuggestionRow.document_id == doc_id)))
    if not rows or not edits:
        return 0
    moved = reanchor([Span(r.start_offset, r.end_offset) for r in rows], edits)
    units = _unit_positions(session, doc_id)
    dropped = 0
    for r, m in zip(rows, moved, strict=True):
        if m.new is None:
            dropped += r.status == "open"
            session.delete(r)
            continue
        if (m.new.start, m.new.end) != (r.start_offset, r.end_offset):
            r.start_offset, r.end_offset = m.new.start, m.new.end
        if r.unit in units:
            position = units[r.unit].get((m.new.start, m.new.end))
            if position is not None and position != r.position:
                r.position = position
    session.flush()
    return dropped


def _earlier_flags(session: Session, doc_id: int, edits: list[Edit], new: str) -> None:
    """Flags of earlier corrections say where the coding is now: they move with the text too."""
    rows = list(
        session.scalars(select(AnchorFlag).where(AnchorFlag.document_id == doc_id, AnchorFlag.new_start.is_not(None)))
    )
    if not rows or not edits:
        return
    moved = reanchor([Span(r.new_start or 0, r.new_end or 0) for r in rows], edits)
    for r, m in zip(rows, moved, strict=True):
        if m.status == KEPT and m.new is not None:
            if m.new.start != r.new_start:
                r.new_start, r.new_end = m.new.start, m.new.end
        elif m.new is None:
            r.new_start = r.new_end = None
            r.new_text = None
        else:
            r.new_start, r.new_end = m.new.start, m.new.end
            r.new_text = new[m.new.start : m.new.end]
    session.flush()
