"""Merge coders' copies into the master: all copies in one transaction, journalled as one undoable entry."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from mda_coder.core.errors import MdaError
from mda_coder.i18n import Message
from mda_coder.services import backups
from mda_coder.services.teamwork import _match, _steps, _union
from mda_coder.services.teamwork._base import MERGE, CopyFacts, copy_facts, table
from mda_coder.services.teamwork._plan import Conflict, Plan, columns
from mda_coder.services.teamwork._sides import Copy, Ids, Master, next_ids
from mda_coder.store import journal, migrations, settings
from mda_coder.store.engine import Database, is_url
from mda_coder.store.models import utcnow
from mda_coder.store.settings import PROJECT_UUID


@dataclass(frozen=True, slots=True)
class CopyMerged:
    """What one copy brought in (or would bring in, in a dry run)."""

    path: str
    coder: str
    blind: bool
    made_at: str
    documents: tuple[str, ...]
    """Documents imported in the copy, brought in whole."""
    codes: tuple[str, ...]
    """Codes added in the copy, by path."""
    code_changes: tuple[str, ...]
    """Renames and moves made in the copy and brought in: ``old path → new path``."""
    coders: tuple[str, ...]
    codings: dict[str, int]
    """New codings per coder."""
    removed: dict[str, int]
    """Codings the copy's coder removed in the copy, removed from the master too, per coder."""
    changed: int
    """Codings whose span or memo the copy changed, changed in the master too."""
    memos: int
    conflicts: tuple[Conflict, ...]
    notes: tuple[str, ...]

    @property
    def nothing_new(self) -> bool:
        return not (
            self.documents
            or self.codes
            or self.code_changes
            or self.coders
            or self.codings
            or self.removed
            or self.changed
            or self.memos
        )


@dataclass(frozen=True, slots=True)
class MergeResult:
    copies: tuple[CopyMerged, ...]
    dry_run: bool

    @property
    def conflicts(self) -> tuple[Conflict, ...]:
        return tuple(c for copy in self.copies for c in copy.conflicts)

    @property
    def codings(self) -> int:
        return sum(sum(c.codings.values()) for c in self.copies)


class _DryRun(Exception):
    """Raised at the end of a dry run to roll back everything it did."""


def plan_copy(master: Master, copy: Copy, ids: Ids, location: str, merge_id: int) -> Plan:
    """What merging ``copy`` into ``master`` does, as operations and a report; changes nothing itself."""
    plan = Plan(location, copy.facts.coder)
    docs = _match.documents(master, copy, ids, plan)
    codes = _match.codes(master, copy, ids, plan)
    coders = _match.coders(master, copy, ids, plan)
    _union.codings(master, copy, ids, plan, docs, codes, coders, merge_id)
    _union.memos(master, copy, ids, plan, docs, codes, coders)
    return plan


def _value(plan: Plan, facts: CopyFacts) -> CopyMerged:
    return CopyMerged(
        plan.copy,
        facts.coder,
        facts.blind,
        facts.made_at.isoformat(timespec="seconds"),
        tuple(plan.documents),
        tuple(plan.codes),
        tuple(plan.code_changes),
        tuple(plan.coders),
        dict(plan.codings),
        dict(plan.removed),
        plan.changed,
        plan.memos,
        tuple(plan.conflicts),
        tuple(plan.notes),
    )


def _open_copies(db: Database, master_uuid: str, copies: Sequence[str | Path]) -> list[tuple[str, Database, CopyFacts]]:
    """Every copy opened and checked before anything changes: a coder's copy, of this project."""
    opened: list[tuple[str, Database, CopyFacts]] = []
    try:
        for path in copies:
            where = str(path)
            if is_url(where):
                raise MdaError(Message("{location}: a coder's copy is a project file", location=where))
            if not is_url(db.location) and Path(where).resolve() == Path(db.location).resolve():
                raise MdaError(Message("{path}: is the project itself, not a copy of it", path=where))
            copy_db = Database.open(where)
            opened.append((where, copy_db, None))  # type: ignore[arg-type]  # facts filled in below
            with copy_db.engine.connect() as conn:
                t = table("settings")
                found = dict(conn.execute(select(t.c.key, t.c.value)).all())
            facts = copy_facts(found)
            if facts is None:
                raise MdaError(
                    Message("{path}: not a coder's copy (make copies with 'mda-coder copy-for-coder')", path=where)
                )
            if facts.project_uuid != master_uuid:
                raise MdaError(
                    Message(
                        "{path}: a copy of another project, not of {master}; nothing was merged",
                        path=where,
                        master=db.location,
                    )
                )
            opened[-1] = (where, copy_db, facts)
    except BaseException:
        for _where, copy_db, _facts in opened:
            copy_db.close()
        raise
    return opened


def merge_copies(db: Database, copies: Sequence[str | Path], *, actor: str, dry_run: bool = False) -> MergeResult:
    """Bring the copies' work into the project, all in one transaction, journalled as one undoable entry.

    With ``dry_run`` the merge is done and rolled back: the result says exactly what would come in.
    A snapshot of the project is taken first (not for a dry run).
    """
    with db.transaction() as s:
        master_uuid = settings.get(s, PROJECT_UUID)
    if master_uuid is None:
        raise MdaError(Message("{location}: the project has no identity (project_uuid)", location=db.location))
    opened = _open_copies(db, master_uuid, copies)
    values: list[CopyMerged] = []
    try:
        if not dry_run:
            backups.before(db.location, "merge")
        try:
            with db.transaction() as s:
                conn = s.connection()
                migrations.whole(conn)
                ids = next_ids(conn)
                ops: list[dict[str, Any]] = []
                for where, copy_db, facts in opened:
                    merge_id = ids.take("merges")
                    with copy_db.engine.connect() as copy_conn:
                        plan = plan_copy(Master(conn), Copy(copy_conn, facts), ids, where, merge_id)
                    value = _value(plan, facts)
                    values.append(value)
                    if value.nothing_new:
                        continue
                    counts = {
                        "documents": len(plan.documents),
                        "codes": len(plan.codes),
                        "codings": sum(plan.codings.values()),
                        "removed": sum(plan.removed.values()),
                        "memos": plan.memos,
                        "conflicts": len(plan.conflicts),
                    }
                    row = {
                        "id": merge_id,
                        "uuid": str(uuid.uuid4()),
                        "copy_uuid": facts.copy_uuid,
                        "copy_path": where,
                        "copy_coder": facts.coder,
                        "copy_made_at": facts.made_at.isoformat(),
                        "merged_at": utcnow(),
                        "merged_by": actor,
                        "counts": counts,
                    }
                    plan.ops.insert(0, {"op": "insert", **columns("merges", [row])})
                    _steps.forward(s, plan.ops)
                    ops.extend(plan.ops)
                if dry_run:
                    raise _DryRun
                if ops:
                    data = {
                        "copies": [v.path for v in values if not v.nothing_new],
                        "counts": {"codings": sum(sum(v.codings.values()) for v in values)},
                        "ops": _steps.stored(ops),
                    }
                    journal.record(s, actor, MERGE, "project", None, data)
        except _DryRun:
            pass
        except IntegrityError:
            # Only where others write at the same time (a server): someone made the same row meanwhile.
            raise MdaError(
                Message(
                    "{location} changed while the copies were being merged; nothing was merged: merge again",
                    location=db.location,
                )
            ) from None
    finally:
        for _where, copy_db, _facts in opened:
            copy_db.close()
    return MergeResult(tuple(values), dry_run)
