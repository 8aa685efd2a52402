"""A coder's working copy of the project: the whole project, or without other coders' work when blind."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import delete, func, or_, select, text
from sqlalchemy.orm import Session

from mda_coder.core.errors import MdaError
from mda_coder.i18n import Message
from mda_coder.services.project import open_project
from mda_coder.services.teamwork._base import (
    COPY,
    COPY_BASE,
    COPY_BLIND,
    COPY_CODER,
    COPY_MADE_AT,
    COPY_UUID,
)
from mda_coder.store import journal, migrations, settings
from mda_coder.store.engine import Database, copy_file, is_url
from mda_coder.store.models import Coder, CodeRow, CodingRow, ConsensusDecision, Event, MemoRow, utcnow
from mda_coder.store.settings import PROJECT_UUID


@dataclass(frozen=True, slots=True)
class CopyMade:
    """A coder's copy, as made."""

    path: str
    coder: str
    blind: bool
    documents: int
    codings: int
    """The codings in the copy (only the coder's own, when blind)."""
    left_out: int
    """Other coders' codings and consensus codings left out (blind copies only)."""


def _base(s: Session) -> dict[str, object]:
    """The codebook and the memos as they are now: what the merge compares both sides with."""
    codes = s.execute(select(CodeRow.id, CodeRow.uuid, CodeRow.name, CodeRow.parent_id)).all()
    by_id = {row.id: row.uuid for row in codes}
    memos = s.execute(select(MemoRow.uuid, MemoRow.title, MemoRow.text)).all()
    return {
        "codes": {row.uuid: [row.name, by_id.get(row.parent_id)] for row in codes},
        "memos": {row.uuid: [row.title, row.text] for row in memos},
    }


def _leave_out_others(s: Session, coder: str) -> int:
    """Delete other coders' codings, memos and consensus work, and the journal entries that show them."""
    others = select(Coder.id).where(Coder.name != coder)
    left_out = s.scalar(select(func.count()).select_from(CodingRow).where(CodingRow.coder_id.in_(others))) or 0
    s.execute(delete(CodingRow).where(CodingRow.coder_id.in_(others)))
    s.execute(delete(MemoRow).where(MemoRow.coder_id.in_(others)))
    s.execute(delete(ConsensusDecision))
    # The journal is append-only; in a blind copy (a new file of the coder's own) its entries about
    # others' work must go too, or `mda-coder log` would show them.
    s.execute(text("DROP TRIGGER IF EXISTS events_no_delete"))
    s.execute(text("DROP TRIGGER IF EXISTS events_no_update"))
    names = select(Coder.name).where(Coder.name != coder)
    s.execute(
        delete(Event).where(
            or_(
                Event.actor.in_(names),
                Event.action.like("coding.%") & (Event.actor != coder),
                Event.action.like("consensus.%"),
                Event.action == "document.remove",
            )
        )
    )
    migrations.restore_journal_triggers(s.connection())
    return left_out


def copy_for_coder(master: str | Path, target: str | Path, coder: str, *, blind: bool, actor: str) -> CopyMade:
    """Make ``coder``'s working copy of ``master`` at ``target``; it appears only when complete.

    The copy keeps the master's ``project_uuid`` (merge checks a copy belongs) and records its
    own identity, its coder, whether it is blind, when it was made and the codebook and memos as
    they were then (the base a merge compares both sides with).
    """
    coder = coder.strip()
    if not coder:
        raise MdaError("name the coder the copy is for (--coder NAME)")
    for where in (master, target):
        if is_url(where):
            raise MdaError(Message("{location}: a coder's copy is made from and to project files", location=str(where)))
    target = Path(target)
    if target.exists():
        raise MdaError(Message("{path} exists; choose another name for the copy", path=str(target)))
    with open_project(master) as db, db.transaction() as s:
        if settings.get(s, PROJECT_UUID) is None:
            raise MdaError(Message("{location}: the project has no identity (project_uuid)", location=str(master)))
    if not target.parent.is_dir():
        raise MdaError(Message("{path}: folder {folder} does not exist", path=str(target), folder=str(target.parent)))
    made: list[tuple[int, int, int]] = []
    copy_file(
        Path(master), target, then=lambda partial: made.append(_make_copy(partial, coder, blind=blind, actor=actor))
    )
    [made_counts] = made
    return CopyMade(str(target), coder, blind, *made_counts)


def _make_copy(path: Path, coder: str, *, blind: bool, actor: str) -> tuple[int, int, int]:
    db = Database.open(path)
    try:
        with db.transaction() as s:
            migrations.whole(s.connection())
            left_out = _leave_out_others(s, coder) if blind else 0
            settings.put(s, COPY_UUID, str(uuid.uuid4()))
            settings.put(s, COPY_CODER, coder)
            settings.put(s, COPY_BLIND, "yes" if blind else "no")
            settings.put(s, COPY_MADE_AT, utcnow().isoformat())
            settings.put(s, COPY_BASE, json.dumps(_base(s), ensure_ascii=False))
            journal.record(s, actor, COPY, "project", None, {"coder": coder, "blind": blind})
            documents = s.scalar(text("SELECT count(*) FROM documents")) or 0
            codings = s.scalar(select(func.count()).select_from(CodingRow)) or 0
        with db.engine.connect() as conn:
            if blind:
                conn.exec_driver_sql("VACUUM")  # what was left out is not left in free pages either
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        db.close()
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return documents, codings, left_out
