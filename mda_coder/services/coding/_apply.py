"""Coding use cases: apply and remove codes on turns, sentences or spans; list, import and export codings."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mda_coder.core.coding import Coding
from mda_coder.core.errors import MdaError, NotFoundError
from mda_coder.core.spans import Span, check_span
from mda_coder.i18n import Message
from mda_coder.store import codes as code_repo
from mda_coder.store import codings as coding_repo
from mda_coder.store import documents as doc_repo
from mda_coder.store import journal
from mda_coder.store.engine import Database
from mda_coder.store.models import Coder, CodeRow, CodingRow, Document


@dataclass(frozen=True)
class Target:
    """Where to apply a code: a turn, a sentence, or a span.

    A sentence number counts in the document, or within the turn when a turn is given too
    (``--turn 3 --sentence 2``: the second sentence of turn 3).
    """

    turn: int | None = None
    sentence: int | None = None
    span: tuple[int, int] | None = None

    def __post_init__(self) -> None:
        if (self.span is None) == (self.turn is None and self.sentence is None):
            raise MdaError(
                Message(
                    "say where to code: a turn, a sentence (of the document, or of the turn given with it), "
                    "or a start-end span"
                )
            )

    def describe(self) -> str:
        if self.turn is not None and self.sentence is not None:
            return Message("sentence {sentence} of turn {turn}", sentence=self.sentence, turn=self.turn)
        if self.turn is not None:
            return Message("turn {turn}", turn=self.turn)
        if self.sentence is not None:
            return Message("sentence {sentence}", sentence=self.sentence)
        assert self.span is not None
        start, end = self.span
        return Message("span {start}-{end}", start=start, end=end)


def _span(session: Session, doc: Document, target: Target) -> Span:
    if target.turn is not None and target.sentence is not None:
        return doc_repo.sentence_in_turn(session, doc, target.turn, target.sentence)
    if target.turn is not None:
        return doc_repo.turn_span(session, doc, target.turn)
    if target.sentence is not None:
        return doc_repo.sentence_span(session, doc, target.sentence)
    assert target.span is not None
    try:
        return check_span(target.span[0], target.span[1], len(doc.text))
    except ValueError as exc:
        raise MdaError(Message("document '{document}': {error}", document=doc.name, error=str(exc))) from exc


def check_exclusive(session: Session, coder: Coder, code: CodeRow, doc: Document, span: Span) -> None:
    """Refuse a second code of a mutually exclusive group on overlapping text by the same coder."""
    if code.exclusive_group_id is None:
        return
    clash = session.scalar(
        select(CodingRow)
        .join(CodeRow, CodingRow.code_id == CodeRow.id)
        .where(
            CodeRow.exclusive_group_id == code.exclusive_group_id,
            CodingRow.code_id != code.id,
            CodingRow.coder_id == coder.id,
            CodingRow.document_id == doc.id,
            CodingRow.start_offset < span.end,
            CodingRow.end_offset > span.start,
        )
    )
    if clash is not None:
        paths = code_repo.paths(session)
        group = code.exclusive_group.name if code.exclusive_group else "?"
        raise MdaError(
            Message(
                "'{code}' and '{other}' are mutually exclusive (group '{group}'), and {coder} already applied '{other}' at {start}-{end}",
                code=paths[code.id],
                other=paths[clash.code_id],
                group=group,
                coder=coder.name,
                start=clash.start_offset,
                end=clash.end_offset,
            )
        )


def apply_in(
    session: Session, coder: str, code: str, document: str, target: Target, memo: str | None
) -> tuple[Coding, bool]:
    """Apply a code inside the caller's transaction: the one step both single and bulk coding share."""
    coder_row = coding_repo.coder(session, coder)
    code_row = code_repo.resolve(session, code)
    doc = doc_repo.get(session, document)
    span = _span(session, doc, target)
    check_exclusive(session, coder_row, code_row, doc, span)
    row, created = coding_repo.add(session, coder_row, code_row, doc, span, memo)
    if created:
        journal.record(session, coder_row.name, "coding.apply", "coding", row.id, coding_repo.as_dict(row))
    path = code_repo.paths(session)[code_row.id]
    return coding_repo.to_value(row, doc.text, path, coder_row.name, doc.name), created


def apply_code(
    db: Database, *, coder: str, code: str, document: str, target: Target, memo: str | None = None
) -> tuple[Coding, bool]:
    """Apply ``code`` for ``coder``; returns the coding and False when it was already there."""
    with db.transaction() as s:
        return apply_in(s, coder, code, document, target, memo)


def remove_code(db: Database, *, coder: str, code: str, document: str, target: Target) -> list[Coding]:
    """Remove the coder's codings of ``code`` that lie inside the target; returns what was removed."""
    with db.transaction() as s:
        coder_row = coding_repo.coder(s, coder, create=False)
        code_row = code_repo.resolve(s, code)
        doc = doc_repo.get(s, document)
        span = _span(s, doc, target)
        overlapping = coding_repo.listing(s, document=doc, coder_row=coder_row, code_row=code_row, span=span)
        inside = [c for c in overlapping if span.contains(c.span)]
        if not inside:
            if overlapping:
                other = overlapping[0].span
                raise MdaError(
                    Message(
                        "no coding of '{code}' by {coder} lies inside {target} of '{document}' "
                        "(one at {start}-{end} overlaps it: remove that span)",
                        code=code,
                        coder=coder,
                        target=target.describe(),
                        document=document,
                        start=other.start,
                        end=other.end,
                    )
                )
            raise NotFoundError(
                Message(
                    "{coder} has not coded {target} of '{document}' with '{code}'",
                    coder=coder,
                    target=target.describe(),
                    document=document,
                    code=code,
                )
            )
        for coding in inside:
            row = s.get(CodingRow, coding.id)
            assert row is not None
            journal.record(s, coder_row.name, "coding.remove", "coding", row.id, coding_repo.as_dict(row))
            s.delete(row)
        return inside


def list_codings(
    db: Database,
    *,
    document: str | None = None,
    coder: str | None = None,
    code: str | None = None,
    documents: Sequence[str] = (),
    coders: Sequence[str] = (),
    codes: Sequence[str] = (),
) -> list[Coding]:
    """Codings in document order: of ``document`` or any of ``documents``, by ``coder`` or any of ``coders``,
    of exactly ``code``, and of any of ``codes`` or their sub-codes (no filter where none is given)."""
    with db.transaction() as s:
        doc_ids = [doc_repo.get(s, name).id for name in ([document] if document else []) + list(documents)]
        coder_ids = [coding_repo.coder(s, name, create=False).id for name in ([coder] if coder else []) + list(coders)]
        return coding_repo.listing(
            s,
            code_row=code_repo.resolve(s, code) if code else None,
            document_ids=doc_ids or None,
            coder_ids=coder_ids or None,
            code_ids=code_repo.families(s, codes) if codes else None,
        )
