"""Consensus coding: review the units where coders disagree on a code and settle each into the `consensus` coder.

A review lists, per code, every turn (or sentence) on which the chosen coders gave different
values, with each coder's codings there. Settling a unit copies the codings decided on into the
coder ``consensus`` and records the decision with where each consensus coding came from (a row
of ``consensus_decisions``), in one transaction journalled as the consensus coder's action, so
that undo and redo work as for any coding. The units all coders applied a code to can be adopted
in one step, so that the consensus holds agreed and settled codings alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from mda_coder.core.coding import Coding
from mda_coder.core.errors import MdaError
from mda_coder.core.spans import Span
from mda_coder.services.agreement import Unit, agreement
from mda_coder.services.consensus_steps import (
    ADOPT,
    CONSENSUS,
    SETTLE,
    Made,
    label,
    overlapping,
    record,
    settle_unit,
    union,
    unit_span,
)
from mda_coder.services.consensus_units import agreed_units, units_of
from mda_coder.store import codes as code_repo
from mda_coder.store import codings as coding_repo
from mda_coder.store import consensus as decision_repo
from mda_coder.store import documents as doc_repo
from mda_coder.store.engine import Database
from mda_coder.store.models import (
    Coder,
    CodeRow,
    CodingRow,
    Document,
)
from mda_coder.store.snapshots import parse_time

SETTLE_DECISIONS = ("take", "both", "neither", "span")


@dataclass(frozen=True, slots=True)
class UnitRef:
    """One unit to review: a code on a turn or sentence of a document."""

    code: str
    document: str
    unit: Unit
    number: int
    """The 1-based turn or sentence number."""

    def describe(self) -> str:
        return f"{self.code} on {self.document} {self.unit} {self.number}"


@dataclass(frozen=True, slots=True)
class CoderCodings:
    coder: str
    value: int | None
    """1 applied the code to text overlapping the unit, 0 did not, None did not code the document at all."""
    codings: tuple[Coding, ...]
    """The coder's codings of the code that overlap the unit (whole, also where they run past it)."""


@dataclass(frozen=True, slots=True)
class Source:
    """A coding a consensus coding was copied from, as it was when the unit was settled."""

    coder: str
    coding_id: int
    span: Span


@dataclass(frozen=True, slots=True)
class SettledCoding:
    span: Span
    sources: tuple[Source, ...]


@dataclass(frozen=True, slots=True)
class Settlement:
    """How a unit was settled: the provenance of its consensus codings."""

    decision: str
    """``take``, ``both``, ``neither``, ``span`` or ``agreed``."""
    label: str
    """In a few words: ``take anna``, ``span 120-250``."""
    compared: tuple[str, ...]
    taken: tuple[str, ...]
    """The coders whose codings the consensus kept."""
    codings: tuple[SettledCoding, ...]
    reviewer: str
    at: datetime | None


@dataclass(frozen=True, slots=True)
class ReviewItem:
    ref: UnitRef
    span: Span
    turn: int
    """The turn the unit is (or lies in)."""
    speaker: str | None
    text: str
    """The unit's text; coding spans are offsets into the document, ``span.start`` is this text's 0."""
    coders: tuple[CoderCodings, ...]
    consensus: tuple[Coding, ...]
    """What the consensus coder has for the code on the unit now."""
    settlement: Settlement | None

    @property
    def settled(self) -> bool:
        return self.settlement is not None


@dataclass(frozen=True, slots=True)
class Review:
    coders: tuple[str, ...]
    unit: Unit
    code: str | None
    """The code reviewed (with its sub-codes), or None for every code."""
    items: tuple[ReviewItem, ...]
    """Every unit the coders disagree on, in document and text order, then by code."""
    agreed: int
    """Units every coder who coded the document applied the code to: no review needed."""
    adopted: int
    """Of those, the units the consensus has (adopt them with ``adopt_agreed``)."""

    @property
    def settled(self) -> int:
        return sum(1 for item in self.items if item.settled)

    @property
    def remaining(self) -> int:
        return len(self.items) - self.settled


def default_coders(db: Database) -> list[str]:
    """Every coder with at least one coding, but the consensus coder, in the order they started."""
    with db.transaction() as s:
        query = select(Coder.name).where(Coder.id.in_(select(CodingRow.coder_id).distinct()), Coder.name != CONSENSUS)
        return list(s.scalars(query.order_by(Coder.id)))


def _names(db: Database, coders: Sequence[str] | None) -> tuple[str, ...]:
    names = tuple(dict.fromkeys(c.strip() for c in (coders if coders is not None else default_coders(db)) if c.strip()))
    if CONSENSUS in names:
        raise MdaError(f"'{CONSENSUS}' holds the settled codings and cannot be one of the coders reviewed")
    if len(names) < 2:
        have = ", ".join(names) or "none"
        raise MdaError(f"reviewing needs two or more coders with codings (have: {have})")
    return names


def review(db: Database, coders: Sequence[str] | None = None, unit: Unit = "turn", code: str | None = None) -> Review:
    """The units ``coders`` (default: all with codings) disagree on, for ``code`` and its sub-codes or every code."""
    names = _names(db, coders)
    report = agreement(db, names, unit, codes=[code] if code else None)
    rank = {name: i for i, name in enumerate(report.documents)}
    pairs = [
        (UnitRef(c.code, d.document, unit, d.unit), d.values) for c in report.codes for d in c.disagreements
    ]
    pairs.sort(key=lambda p: (rank[p[0].document], p[0].number, p[0].code))
    with db.transaction() as s:
        items = _items(s, names, unit, pairs)
        agreed = agreed_units(s, names, unit, code)
        adopted = sum(1 for a in agreed if a.decided)
    return Review(names, unit, code, tuple(items), len(agreed), adopted)


def reload(db: Database, current: Review) -> Review:
    """The same units read again (after undo or redo, or another process's changes): codings and decisions."""
    pairs = [(item.ref, tuple(c.value for c in item.coders)) for item in current.items]
    with db.transaction() as s:
        items = _items(s, current.coders, current.unit, pairs)
        agreed = agreed_units(s, current.coders, current.unit, current.code)
    return replace(current, items=tuple(items), adopted=sum(1 for a in agreed if a.decided))


def settle(
    db: Database, item: ReviewItem, decision: str, *, reviewer: str, take: str | None = None,
    span: tuple[int, int] | None = None,
) -> ReviewItem:
    """Settle one unit: ``take`` one coder's codings, ``both`` (everyone's, joined), ``neither``, or a ``span``.

    One transaction, journalled as the consensus coder's action; returns the unit as it is now.
    """
    if decision not in SETTLE_DECISIONS:
        raise MdaError(f"unknown decision '{decision}': use take, both, neither or span")
    ref = item.ref
    compared = [c.coder for c in item.coders]
    with db.transaction() as s:
        code = code_repo.resolve(s, ref.code)
        doc = doc_repo.get(s, ref.document)
        within, _ = unit_span(s, doc, ref.unit, ref.number)
        ids = {name: coding_repo.coder(s, name, create=False).id for name in compared}
        made: list[Made]
        if decision == "take":
            if take not in ids:
                raise MdaError(f"take whose codings? '{take}' is not one of the coders reviewed ({', '.join(compared)})")
            if not s.scalar(select(CodingRow.id).where(CodingRow.coder_id == ids[take], CodingRow.document_id == doc.id).limit(1)):
                raise MdaError(f"{take} did not code '{doc.name}' at all: take another coder, or settle with neither")
            made, taken = union(overlapping(s, [ids[take]], code.id, doc.id, within), within), [take]
        elif decision == "both":
            made = union(overlapping(s, list(ids.values()), code.id, doc.id, within), within)
            taken = _coders_of(made, compared)
        elif decision == "span":
            if span is None:
                raise MdaError("say which span the consensus coding covers (start-end)")
            chosen = _inside(span, within, ref)
            made = [Made(chosen, tuple(overlapping(s, list(ids.values()), code.id, doc.id, chosen)))]
            taken = _coders_of(made, compared)
        else:
            made, taken = [], []
        data = settle_unit(
            s, consensus=coding_repo.coder(s, CONSENSUS), code=code, doc=doc, unit=ref.unit, position=ref.number,
            span=within, decision=decision, compared=compared, taken=taken, made=made, reviewer=reviewer,
        )
        record(s, SETTLE, [data])
        return _items(s, tuple(compared), ref.unit, [(ref, tuple(c.value for c in item.coders))])[0]


def adopt_agreed(
    db: Database, coders: Sequence[str] | None = None, unit: Unit = "turn", code: str | None = None, *, reviewer: str
) -> int:
    """Copy every unit all coders applied a code to into the consensus (one undoable step); returns how many.

    Units the consensus already has a decision for are left as they are.
    """
    names = _names(db, coders)
    with db.transaction() as s:
        consensus = coding_repo.coder(s, CONSENSUS)
        todo = [a for a in agreed_units(s, names, unit, code) if not a.decided]
        units = []
        for a in todo:
            doc, code_row = s.get(Document, a.document_id), s.get(CodeRow, a.code_id)
            assert doc is not None and code_row is not None
            made = union(a.sources, a.span)
            units.append(settle_unit(
                s, consensus=consensus, code=code_row, doc=doc, unit=unit, position=a.position, span=a.span,
                decision="agreed", compared=list(names), taken=_coders_of(made, names), made=made, reviewer=reviewer,
            ))
        if units:
            record(s, ADOPT, units)
        return len(units)


# -- reading ------------------------------------------------------------------------------------


def _coders_of(made: Sequence[Made], order: Sequence[str]) -> list[str]:
    have = {row.coder.name for m in made for row in m.sources}
    return [name for name in order if name in have]


def _inside(span: tuple[int, int], within: Span, ref: UnitRef) -> Span:
    start, end = span
    if not (within.start <= start < end <= within.end):
        raise MdaError(
            f"span {start}-{end} is not inside {ref.unit} {ref.number} of '{ref.document}' ({within.start}-{within.end})"
        )
    return Span(start, end)


def _settlement(snap: dict[str, object]) -> Settlement:
    made = snap["codings"]["made"]  # type: ignore[index]
    return Settlement(
        decision=str(snap["decision"]),
        label=label(snap),  # type: ignore[arg-type]
        compared=tuple(snap["coders"]["compared"]),  # type: ignore[index]
        taken=tuple(snap["coders"]["taken"]),  # type: ignore[index]
        codings=tuple(
            SettledCoding(
                Span(m["start"], m["end"]),
                tuple(Source(src["coder"], src["coding_id"], Span(src["start"], src["end"])) for src in m["sources"]),
            )
            for m in made
        ),
        reviewer=str(snap["reviewer"]),
        at=parse_time(snap.get("created")),
    )


def _items(
    session: Session, names: Sequence[str], unit: Unit, pairs: Sequence[tuple[UnitRef, tuple[int | None, ...]]]
) -> list[ReviewItem]:
    docs = {name: (doc_id, text) for doc_id, name, text in session.execute(
        select(Document.id, Document.name, Document.text).where(Document.name.in_({r.document for r, _ in pairs}))
    )}
    paths = code_repo.paths(session)
    code_ids = {path: code_id for code_id, path in paths.items()}
    coder_names = dict(session.execute(select(Coder.id, Coder.name).where(Coder.name.in_([*names, CONSENSUS]))).all())
    units = {
        (doc_id, u.position): u for doc_id, rows in units_of(session, [d for d, _ in docs.values()], unit).items() for u in rows
    }
    codings: dict[tuple[int, int, str], list[CodingRow]] = {}
    query = select(CodingRow).where(
        CodingRow.document_id.in_([d for d, _ in docs.values()]),
        CodingRow.coder_id.in_(list(coder_names)),
        CodingRow.code_id.in_([code_ids[r.code] for r, _ in pairs if r.code in code_ids]),
    )
    for row in session.scalars(query.order_by(CodingRow.start_offset, CodingRow.end_offset, CodingRow.id)):
        codings.setdefault((row.code_id, row.document_id, coder_names[row.coder_id]), []).append(row)
    decisions = decision_repo.of_documents(session, [d for d, _ in docs.values()], unit)
    items = []
    for ref, values in pairs:
        if ref.document not in docs or ref.code not in code_ids or (docs[ref.document][0], ref.number) not in units:
            continue  # removed or renamed since the review was made
        doc_id, text = docs[ref.document]
        code_id = code_ids[ref.code]
        u = units[(doc_id, ref.number)]
        here = {
            coder: tuple(
                coding_repo.to_value(row, text, ref.code, coder, ref.document)
                for row in codings.get((code_id, doc_id, coder), [])
                if row.start_offset < u.span.end and row.end_offset > u.span.start
            )
            for coder in (*names, CONSENSUS)
        }
        snap = decisions.get((code_id, doc_id, ref.number))
        items.append(ReviewItem(
            ref=ref, span=u.span, turn=u.turn, speaker=u.speaker, text=u.span.of(text),
            coders=tuple(CoderCodings(name, value, here[name]) for name, value in zip(names, values, strict=True)),
            consensus=here[CONSENSUS],
            settlement=_settlement(snap) if snap is not None else None,
        ))
    return items
