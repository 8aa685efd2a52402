"""The use cases of corrections, each one transaction: correct a text, replace it from a file, edit turns; flags."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from mda_coder.core.errors import InputError
from mda_coder.core.reanchor import Edit
from mda_coder.i18n import Message
from mda_coder.ingest import read_transcript
from mda_coder.services.corrections import _turns
from mda_coder.services.corrections._apply import Work, correct
from mda_coder.services.corrections._values import CorrectionReport, FlagInfo
from mda_coder.store import codes as code_repo
from mda_coder.store import documents as doc_repo
from mda_coder.store import journal, server
from mda_coder.store.engine import Database
from mda_coder.store.models import AnchorFlag, Coder, Document, Speaker, TurnRow


def apply_text(
    session: Session,
    document_id: int,
    new_text: str,
    *,
    actor: str,
    action: str = "document.correct",
    record: bool = True,
    dry_run: bool = False,
    edits: Sequence[Edit] | None = None,
) -> CorrectionReport:
    """One text change of one document inside the caller's open transaction (no commit); see ``_apply``.

    A caller that knows exactly what it replaced (pseudonymisation) gives ``edits`` (in order, none
    touching another, leading from the stored text to ``new_text``) instead of having them guessed by
    the diff; they are checked against both texts.
    """
    return correct(
        session, document_id, new_text, actor=actor, action=action, record=record, dry_run=dry_run, edits=edits
    )


def correct_text(db: Database, document: str, new_text: str, *, actor: str, dry_run: bool = False) -> CorrectionReport:
    """Change a document's whole text to ``new_text``, every coding following its words (one undoable step)."""
    with db.transaction() as s:
        doc = doc_repo.get(s, document)
        return correct(s, doc.id, new_text, actor=actor, dry_run=dry_run)


def replace_document(
    db: Database,
    document: str,
    path: Path,
    *,
    actor: str,
    dry_run: bool = False,
    speaker_pattern: str | None = None,
) -> CorrectionReport:
    """Replace a document's text with a corrected file, read as the import reads it (same layout, or refused)."""
    parsed = read_transcript(path, speaker_pattern=speaker_pattern)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    with db.transaction() as s:
        doc = doc_repo.get(s, document)
        if not parsed.turns:
            raise InputError(Message("{path}: no text to code was found", path=str(path)))
        if parsed.layout != doc.layout:
            raise InputError(
                Message(
                    "{path}: its layout is {layout}, but {document} was imported as {known}; "
                    "give the same layout (--speaker-pattern) or import it as a new document",
                    path=str(path),
                    layout=parsed.layout,
                    document=doc.name,
                    known=doc.layout,
                )
            )
        other = s.scalar(select(Document.name).where(Document.content_hash == digest))
        if other == doc.name and parsed.text == doc.text:
            raise InputError(
                Message(
                    "{path}: nothing changed: it is the file {document} was imported from",
                    path=str(path),
                    document=doc.name,
                )
            )
        if other is not None and other != doc.name:
            raise InputError(
                Message("{path}: this file is already in the project as {document}", path=str(path), document=other)
            )
        readings = [(t.span.start, t.span.end, t.speaker) for t in parsed.turns]

        def fix(work: Work) -> None:
            _follow_file(work, readings)

        return correct(
            s,
            doc.id,
            parsed.text,
            actor=actor,
            action="document.replace",
            dry_run=dry_run,
            fix=fix,
            doc_fields={"content_hash": digest, "source_file": path.name},
        )


def _follow_file(work: Work, readings: list[tuple[int, int, str | None]]) -> None:
    """Where the file's own reading of its turns differs from the moved turns, the file is right: a new turn is
    added, a turn's edges and speaker follow the file's."""
    s = work.session
    labels = {
        label: i for i, label in s.execute(select(Speaker.id, Speaker.label).where(Speaker.document_id == work.doc.id))
    }
    taken: set[int] = set()
    for number, (start, end, label) in enumerate(readings, start=1):
        overlapping = [t for t in work.turns if t.start_offset < end and start < t.end_offset and t.id not in taken]
        speaker_id = None
        if label is not None:
            if label not in labels:
                row = Speaker(document_id=work.doc.id, label=label, attributes={})
                s.add(row)
                s.flush()
                labels[label] = row.id
                work.notes.append(Message("speaker {label} added to {document}", label=label, document=work.doc.name))
            speaker_id = labels[label]
        if len(overlapping) == 1:
            t = overlapping[0]
            taken.add(t.id)
            t.start_offset, t.end_offset = start, end
            if t.speaker_id != speaker_id:
                # a turn given to another speaker is the change a reader most needs to hear of
                names = {i: name for name, i in labels.items()}
                work.notes.append(
                    Message(
                        "turn {turn}: speaker {before} → {after}",
                        turn=number,
                        before=names.get(t.speaker_id, "–") if t.speaker_id is not None else "–",
                        after=label or "–",
                    )
                )
                t.speaker_id = speaker_id
        elif not overlapping:
            added = TurnRow(
                document_id=work.doc.id,
                position=-1_000_000 - len(taken),
                speaker_id=speaker_id,
                start_offset=start,
                end_offset=end,
            )
            s.add(added)
            s.flush()
            taken.add(added.id)
            work.turns.append(added)
            work.notes.append(
                Message("a new turn at {start}-{end} (the file has it, the document had not)", start=start, end=end)
            )
    work.turns.sort(key=lambda t: t.start_offset)
    s.flush()


def edit_turn(db: Database, document: str, turn: int, new_text: str, *, actor: str) -> CorrectionReport:
    """Replace turn ``turn``'s own words (1-based) with ``new_text``."""
    with db.transaction() as s:
        return _turns.edit(s, doc_repo.get(s, document), turn, new_text, actor)


def split_turn(
    db: Database, document: str, turn: int, at: int, *, actor: str, speaker: str | None = None
) -> CorrectionReport:
    """Split turn ``turn`` at code point ``at`` of its own text; the second part becomes turn ``turn + 1``."""
    with db.transaction() as s:
        return _turns.split(s, doc_repo.get(s, document), turn, at, actor, speaker)


def merge_turns(db: Database, document: str, turn: int, *, actor: str) -> CorrectionReport:
    """Merge turn ``turn`` with the next; the merged turn keeps ``turn``'s speaker."""
    with db.transaction() as s:
        return _turns.merge(s, doc_repo.get(s, document), turn, actor)


def set_speaker(db: Database, document: str, turn: int, label: str, *, actor: str) -> CorrectionReport:
    """Give turn ``turn`` to the speaker ``label`` (added to the document when it has no such speaker)."""
    with db.transaction() as s:
        return _turns.set_speaker(s, doc_repo.get(s, document), turn, label, actor)


def turn_text(db: Database, document: str, turn: int) -> tuple[str, str | None]:
    """Turn ``turn``'s own text and its speaker's label."""
    with db.transaction() as s:
        doc = doc_repo.get(s, document)
        row = _turns.turn_row(s, doc, turn)
        return doc.text[row.start_offset : row.end_offset], _turns.label_of(s, row)


def flags(db: Database, document: str | None = None, *, resolved: bool = False) -> list[FlagInfo]:
    """The flagged codings (of one document, or all), unresolved ones only unless ``resolved``."""
    with db.transaction() as s:
        return _flags(s, document, resolved)


def _flags(s: Session, document: str | None, resolved: bool) -> list[FlagInfo]:
    query = (
        select(AnchorFlag, Document.name, Coder.name)
        .join(Document, AnchorFlag.document_id == Document.id)
        .outerjoin(Coder, AnchorFlag.coder_id == Coder.id)
    )
    if document is not None:
        query = query.where(AnchorFlag.document_id == doc_repo.get(s, document).id)
    if not resolved:
        query = query.where(AnchorFlag.resolved_at.is_(None))
    paths = code_repo.paths(s)
    result = []
    for flag, name, coder in s.execute(query.order_by(AnchorFlag.document_id, AnchorFlag.id)):
        where = flag.new_start if flag.new_start is not None else flag.old_start
        turn = s.scalar(
            select(TurnRow.position)
            .where(TurnRow.document_id == flag.document_id, TurnRow.start_offset <= where)
            .order_by(TurnRow.start_offset.desc())
            .limit(1)
        )
        result.append(
            FlagInfo(
                flag.id,
                name,
                flag.kind,
                coder,
                paths.get(flag.code_id, "?"),
                flag.status,
                flag.kept,
                turn,
                flag.old_text,
                flag.new_text,
                flag.resolved_by,
            )
        )
    return result


def resolve_flags(db: Database, ids: list[int] | None, *, actor: str, document: str | None = None) -> int:
    """Mark flags reviewed (those of ``ids``, or every unresolved one of ``document`` or the project); journalled."""
    with db.transaction() as s:
        query = select(AnchorFlag).where(AnchorFlag.resolved_at.is_(None))
        member = server.me(s.connection()) if s.connection().dialect.name == "postgresql" else None
        if member is not None and not member.is_lead:  # a coder reviews their own flags (the server holds them to it)
            query = query.where(
                AnchorFlag.coder_id == select(Coder.id).where(Coder.name == member.coder).scalar_subquery()
            )
        if document is not None:
            query = query.where(AnchorFlag.document_id == doc_repo.get(s, document).id)
        if ids is not None:
            rows = {r.id: r for r in s.scalars(query.where(AnchorFlag.id.in_(ids)))}
            missing = [i for i in ids if i not in rows]
            if missing:
                raise InputError(Message("no unresolved flag {id}: see mda-coder document flags", id=missing[0]))
            chosen = list(rows.values())
        else:
            chosen = list(s.scalars(query))
        now = datetime.now(UTC)
        for row in chosen:
            row.resolved_by, row.resolved_at = actor.strip(), now
        if chosen:
            journal.record(
                s, actor.strip(), "flags.resolve", "anchor_flags", None, {"ids": sorted(r.id for r in chosen)}
            )
        return len(chosen)
