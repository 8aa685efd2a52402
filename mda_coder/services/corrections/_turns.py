"""Turn edits over the text: edit a turn's words, split a turn, merge two, give a turn to another speaker.

Each builds the document's new text and hands it to ``_apply.correct``, then fixes the turn rows the
text alone cannot tell (where the new turn starts, which turn goes, whose turn it is). Where the stored
text carries the speaker's label before a turn (``R1: `` at the start of its line, as the label-colon
layouts and Zoom's WebVTT store it), a split writes a new line with the label, a merge takes the second
label away and a change of speaker rewrites it; where it does not, only the rows change.
"""

from __future__ import annotations

import re

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from mda_coder.core.errors import InputError
from mda_coder.i18n import Message
from mda_coder.services.corrections._apply import Work, correct
from mda_coder.services.corrections._values import CorrectionReport
from mda_coder.store import documents as doc_repo
from mda_coder.store.models import Document, MemoRow, SentenceRow, Speaker, TurnRow

_AFTER_LABEL = re.compile(r"\s*[:：]?\s*")


def turn_row(session: Session, doc: Document, number: int) -> TurnRow:
    doc_repo.turn_span(session, doc, number)  # the one-line error for a turn that is not there
    row = session.scalar(select(TurnRow).where(TurnRow.document_id == doc.id, TurnRow.position == number))
    assert row is not None
    return row


def label_of(session: Session, turn: TurnRow) -> str | None:
    if turn.speaker_id is None:
        return None
    return session.scalar(select(Speaker.label).where(Speaker.id == turn.speaker_id))


def label_span(text: str, start: int, label: str | None) -> tuple[int, int] | None:
    """Where ``label`` stands before the turn starting at ``start``, on the turn's line; None when it does not."""
    if not label:
        return None
    line = text.rfind("\n", 0, start) + 1
    at = text.rfind(label, line, start)
    if at < 0 or not _AFTER_LABEL.fullmatch(text, at + len(label), start):
        return None
    return at, at + len(label)


def _separator(session: Session, doc: Document, turn: TurnRow) -> str:
    """What stands between two turns' lines in this document (a blank line, or a line break)."""
    after = session.scalar(
        select(TurnRow.start_offset)
        .where(TurnRow.document_id == doc.id, TurnRow.start_offset > turn.start_offset)
        .order_by(TurnRow.start_offset)
        .limit(1)
    )
    text = doc.text
    if after is not None:
        gap = text[turn.end_offset : text.rfind("\n", 0, after) + 1]
        if gap and not gap.strip():
            return gap
    return "\n\n" if "\n\n" in text else "\n"


def _find(work: Work, turn_id: int) -> TurnRow:
    return next(t for t in work.turns if t.id == turn_id)


def edit(session: Session, doc: Document, number: int, new_text: str, actor: str) -> CorrectionReport:
    turn = turn_row(session, doc, number)
    words = new_text.strip()
    if not words:
        raise InputError(Message("{document} turn {turn}: the new text is empty", document=doc.name, turn=number))
    start, end = turn.start_offset, turn.end_offset
    if words == doc.text[start:end]:
        raise InputError(Message("{document} turn {turn}: nothing changed", document=doc.name, turn=number))
    turn_id = turn.id

    def fix(work: Work) -> None:
        row = _find(work, turn_id)
        row.start_offset, row.end_offset = start, start + len(words)
        work.description.update(turn=number)

    text = doc.text[:start] + words + doc.text[end:]
    return correct(session, doc.id, text, actor=actor, action="turn.edit", fix=fix)


def split(session: Session, doc: Document, number: int, at: int, actor: str, speaker: str | None) -> CorrectionReport:
    turn = turn_row(session, doc, number)
    text = doc.text
    start, end = turn.start_offset, turn.end_offset
    first = text[start : start + at].rstrip() if 0 < at < end - start else ""
    second = text[start + at : end].lstrip() if 0 < at < end - start else ""
    if not first or not second:
        raise InputError(
            Message(
                "{document} turn {turn}: a split must leave words on both sides (at {at} of {length} characters)",
                document=doc.name,
                turn=number,
                at=at,
                length=end - start,
            )
        )
    label = label_of(session, turn)
    new_speaker = speaker is not None and _speaker_id(session, doc, speaker.strip()) is None
    if speaker is not None and (not speaker.strip() or "\n" in speaker):
        raise InputError(Message("a speaker label must be one line of text"))
    new_label = speaker if speaker is not None else label
    where = label_span(text, start, label)
    if where is not None:
        prefix = text[where[0] : start]
        if new_label is not None and new_label != label:
            prefix = new_label + prefix[len(label or "") :]
        between = _separator(session, doc, turn) + prefix
    else:
        between = text[start + len(first) : start + at + (len(text[start + at : end]) - len(second))]
    new_text = text[:start] + first + between + second + text[end:]
    second_start = start + len(first) + len(between)
    turn_id, speaker_id = turn.id, turn.speaker_id

    def fix(work: Work) -> None:
        row = _find(work, turn_id)
        row.start_offset, row.end_offset = start, start + len(first)
        speaker_row = _speaker(work.session, doc, speaker) if speaker is not None else None
        second_turn = TurnRow(
            document_id=doc.id,
            position=-1_000_000,
            speaker_id=speaker_row.id if speaker_row is not None else speaker_id,
            start_offset=second_start,
            end_offset=second_start + len(second),
            time_start=None,
            time_end=row.time_end,
        )
        row.time_end = None
        work.session.add(second_turn)
        work.session.flush()
        work.turns.append(second_turn)
        work.turns.sort(key=lambda t: t.start_offset)
        work.description.update(turn=number)
        if new_speaker and speaker_row is not None:
            work.notes.append(
                Message("speaker {label} added to {document}", label=speaker_row.label, document=doc.name)
            )

    return correct(session, doc.id, new_text, actor=actor, action="turn.split", fix=fix)


def _speaker_id(session: Session, doc: Document, label: str) -> int | None:
    return session.scalar(select(Speaker.id).where(Speaker.document_id == doc.id, Speaker.label == label))


def _speaker(session: Session, doc: Document, label: str) -> Speaker:
    """The document's speaker called ``label``, added when it has none by that label."""
    label = label.strip()
    if not label or "\n" in label:
        raise InputError(Message("a speaker label must be one line of text"))
    row = session.scalar(select(Speaker).where(Speaker.document_id == doc.id, Speaker.label == label))
    if row is None:
        row = Speaker(document_id=doc.id, label=label, attributes={})
        session.add(row)
        session.flush()
    return row


def merge(session: Session, doc: Document, number: int, actor: str) -> CorrectionReport:
    turn = turn_row(session, doc, number)
    count = session.scalar(
        select(TurnRow.position).where(TurnRow.document_id == doc.id).order_by(TurnRow.position.desc()).limit(1)
    )
    if number >= (count or 0):
        raise InputError(
            Message(
                "{document} turn {turn} is the last turn: there is no next turn to merge it with",
                document=doc.name,
                turn=number,
            )
        )
    nxt = turn_row(session, doc, number + 1)
    text = doc.text
    where = label_span(text, nxt.start_offset, label_of(session, nxt))
    if where is not None:
        new_text = text[: turn.end_offset] + " " + text[nxt.start_offset :]
        end = turn.end_offset + 1 + (nxt.end_offset - nxt.start_offset)
    else:
        new_text = text
        end = nxt.end_offset
    turn_id, next_id, start = turn.id, nxt.id, turn.start_offset

    def fix(work: Work) -> None:
        row = _find(work, turn_id)
        gone = _find(work, next_id)
        row.start_offset, row.end_offset = start, end
        if gone.time_end is not None:
            row.time_end = gone.time_end
        memos = list(
            work.session.scalars(select(MemoRow).where(MemoRow.target_kind == "turn", MemoRow.target_id == next_id))
        )
        for memo in memos:
            memo.target_id = turn_id
        if memos:
            work.notes.append(Message("the memo on turn {old} moved to turn {new}", old=number + 1, new=number))
        work.turns.remove(gone)
        work.session.execute(delete(SentenceRow).where(SentenceRow.turn_id == next_id))
        work.session.delete(gone)
        work.session.flush()
        work.description.update(turn=number)

    return correct(session, doc.id, new_text, actor=actor, action="turn.merge", fix=fix)


def set_speaker(session: Session, doc: Document, number: int, label: str, actor: str) -> CorrectionReport:
    turn = turn_row(session, doc, number)
    old_label = label_of(session, turn)
    label = label.strip()
    if label == old_label:
        raise InputError(
            Message(
                "{document} turn {turn} is {label}'s already: nothing changed",
                document=doc.name,
                turn=number,
                label=label,
            )
        )
    added = _speaker_id(session, doc, label) is None
    if not label or "\n" in label:
        raise InputError(Message("a speaker label must be one line of text"))
    text = doc.text
    start, end = turn.start_offset, turn.end_offset
    where = label_span(text, start, old_label)
    if where is not None:
        new_text = text[: where[0]] + label + text[where[1] :]
        delta = len(label) - (where[1] - where[0])
    else:
        new_text, delta = text, 0
    turn_id = turn.id

    def fix(work: Work) -> None:
        row = _find(work, turn_id)
        row.speaker_id = _speaker(work.session, doc, label).id
        row.start_offset, row.end_offset = start + delta, end + delta
        work.description.update(turn=number, speaker=label)
        if added:
            work.notes.append(Message("speaker {label} added to {document}", label=label, document=doc.name))

    return correct(session, doc.id, new_text, actor=actor, action="turn.speaker", fix=fix)
