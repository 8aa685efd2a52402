"""Bulk coding use cases: import codings from CSV (all or nothing) and export them as tidy rows."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy import select

from mda_coder.core.errors import MdaError
from mda_coder.export.codings_table import CodingExportRow
from mda_coder.i18n import Message, message_of
from mda_coder.ingest.codings_csv import read_codings_csv
from mda_coder.services.coding._apply import Target, apply_in, list_codings
from mda_coder.store import documents as doc_repo
from mda_coder.store.engine import Database
from mda_coder.store.models import Document, Speaker, TurnRow


def import_codings(db: Database, path: Path) -> tuple[int, int]:
    """Apply every row of a codings CSV in one transaction; returns (new codings, already present)."""
    records = read_codings_csv(path)
    created = existing = 0
    with db.transaction() as s:
        for rec in records:
            target = Target(turn=rec.turn, sentence=rec.sentence, span=rec.span)
            try:
                _, is_new = apply_in(s, rec.coder, rec.code, rec.document, target, rec.memo)
            except MdaError as exc:
                raise type(exc)(
                    Message("{path}:{line}: {error}", path=str(path), line=rec.line, error=message_of(exc))
                ) from None
            created += is_new
            existing += not is_new
    return created, existing


def export_rows(
    db: Database,
    *,
    document: str | None = None,
    coder: str | None = None,
    code: str | None = None,
    documents: Sequence[str] = (),
    coders: Sequence[str] = (),
    codes: Sequence[str] = (),
) -> list[CodingExportRow]:
    """Tidy rows for every coding matching the filters (as ``list_codings``), with the turn and speaker where each begins."""
    codings = list_codings(
        db, document=document, coder=coder, code=code, documents=documents, coders=coders, codes=codes
    )
    with db.transaction() as s:
        groups = dict(s.execute(select(Document.name, Document.group_name)).all())
        turn_index: dict[str, tuple[list[int], list[tuple[int, str | None, str | None]]]] = {}
        for name in {c.document for c in codings}:
            doc = doc_repo.get(s, name)
            rows = s.execute(
                select(TurnRow.start_offset, TurnRow.position, Speaker.label, Speaker.role)
                .outerjoin(Speaker, TurnRow.speaker_id == Speaker.id)
                .where(TurnRow.document_id == doc.id)
                .order_by(TurnRow.start_offset)
            ).all()
            turn_index[name] = ([r[0] for r in rows], [(r[1], r[2], r[3]) for r in rows])
    result = []
    for c in codings:
        starts, info = turn_index[c.document]
        i = bisect_right(starts, c.span.start) - 1
        turn, speaker, role = info[i] if i >= 0 else (None, None, None)
        result.append(
            CodingExportRow(
                coding_id=c.id,
                document=c.document,
                group=groups.get(c.document),
                coder=c.coder,
                code=c.code_path,
                start=c.span.start,
                end=c.span.end,
                turn=turn,
                speaker=speaker,
                role=role,
                text=c.text,
                memo=c.memo,
                created=c.created.isoformat(timespec="seconds"),
                modified=c.modified.isoformat(timespec="seconds"),
            )
        )
    return result
