"""Reading a consensus review's units: each coder's codings on each unit, the consensus's, and how it was settled."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mda_coder.core.codebook import PATH_SEPARATOR
from mda_coder.core.coding import Coding
from mda_coder.core.spans import Span
from mda_coder.services.agreement import Unit
from mda_coder.services.consensus._steps import CONSENSUS, family_label, label
from mda_coder.services.consensus._units import units_of
from mda_coder.services.consensus._values import (
    CoderCodings,
    ReviewItem,
    SettledCoding,
    Settlement,
    Source,
    UnitRef,
)
from mda_coder.store import codes as code_repo
from mda_coder.store import codings as coding_repo
from mda_coder.store import consensus as decision_repo
from mda_coder.store.models import Coder, CodingRow, Document
from mda_coder.store.snapshots import parse_time

Pair = tuple[UnitRef, tuple[int | None, ...]]
"""A unit to review, and each coder's value on it as the agreement found it (None: did not code the document)."""


def family_of(paths: dict[int, str], root: str) -> dict[int, str]:
    """The code at ``root`` and its sub-codes, by id."""
    return {i: p for i, p in paths.items() if p == root or p.startswith(root + PATH_SEPARATOR)}


def family_pairs(pairs: Sequence[Pair], root: str) -> list[Pair]:
    """The per-code disagreements of a family as one unit each: a unit is open when any code of the family is.

    Coders differ on the family exactly when they differ on one of its codes; the values kept are
    only read for who coded the document (the same for every code), the rest is read from the codings.
    """
    units: dict[tuple[str, int], Pair] = {}
    for ref, values in pairs:
        key = (ref.document, ref.number)
        if key not in units:
            units[key] = (UnitRef(root, ref.document, ref.unit, ref.number, family=True), values)
    return list(units.values())


def settlement(snap: dict[str, Any], code: str | None = None) -> Settlement:
    made = snap["codings"]["made"]
    return Settlement(
        decision=str(snap["decision"]),
        label=label(snap),
        compared=tuple(snap["coders"]["compared"]),
        taken=tuple(snap["coders"]["taken"]),
        codings=tuple(
            SettledCoding(
                Span(m["start"], m["end"]),
                tuple(Source(src["coder"], src["coding_id"], Span(src["start"], src["end"])) for src in m["sources"]),
                code,
            )
            for m in made
        ),
        reviewer=str(snap["reviewer"]),
        at=parse_time(snap.get("created")),
    )


def _combined(snaps: Sequence[tuple[str, dict[str, Any]]]) -> Settlement:
    """The decisions on a family's codes in one unit, as one settlement."""
    parts = [settlement(snap, path) for path, snap in snaps]
    compared = tuple(dict.fromkeys(name for p in parts for name in p.compared))
    taken = {name for p in parts for name in p.taken}
    times = [p.at for p in parts if p.at is not None]
    return Settlement(
        decision=parts[0].decision if len({p.decision for p in parts}) == 1 else "mixed",
        label=family_label(snaps),
        compared=compared,
        taken=tuple(name for name in compared if name in taken),
        codings=tuple(c for p in parts for c in p.codings),
        reviewer=", ".join(dict.fromkeys(p.reviewer for p in parts)),
        at=max(times) if times else None,
    )


def items(session: Session, names: Sequence[str], unit: Unit, pairs: Sequence[Pair]) -> list[ReviewItem]:
    """The review items for ``pairs``, read afresh; units whose document, code or unit is gone are left out."""
    docs = {
        name: (doc_id, text)
        for doc_id, name, text in session.execute(
            select(Document.id, Document.name, Document.text).where(Document.name.in_({r.document for r, _ in pairs}))
        )
    }
    paths = code_repo.paths(session)
    code_ids = {path: code_id for code_id, path in paths.items()}
    families = {ref.code: family_of(paths, ref.code) for ref, _ in pairs if ref.code in code_ids}
    coder_names = dict(session.execute(select(Coder.id, Coder.name).where(Coder.name.in_([*names, CONSENSUS]))).all())
    units = {
        (doc_id, u.position): u
        for doc_id, rows in units_of(session, [d for d, _ in docs.values()], unit).items()
        for u in rows
    }
    codings: dict[tuple[int, int, str], list[CodingRow]] = {}
    query = select(CodingRow).where(
        CodingRow.document_id.in_([d for d, _ in docs.values()]),
        CodingRow.coder_id.in_(list(coder_names)),
        CodingRow.code_id.in_({code_id for family in families.values() for code_id in family}),
    )
    for row in session.scalars(query.order_by(CodingRow.start_offset, CodingRow.end_offset, CodingRow.id)):
        codings.setdefault((row.code_id, row.document_id, coder_names[row.coder_id]), []).append(row)
    decisions = decision_repo.of_documents(session, [d for d, _ in docs.values()], unit)
    result = []
    for ref, values in pairs:
        if ref.document not in docs or ref.code not in code_ids or (docs[ref.document][0], ref.number) not in units:
            continue  # removed or renamed since the review was made
        doc_id, text = docs[ref.document]
        u = units[(doc_id, ref.number)]
        family = families[ref.code]
        compared = family if ref.family else {code_ids[ref.code]: ref.code}

        def here(coder: str, code_set: dict[int, str], doc_id: int = doc_id, span: Span = u.span) -> list[CodingRow]:
            return _overlapping(codings, code_set, doc_id, coder, span)

        def values_of(
            coder: str, text: str = text, ref: UnitRef = ref, compared: dict[int, str] = compared
        ) -> tuple[Coding, ...]:
            return tuple(
                coding_repo.to_value(row, text, paths[row.code_id], coder, ref.document)
                for row in here(coder, compared)
            )

        below = {i: p for i, p in family.items() if p != ref.code}
        coders = []
        for name, value in zip(names, values, strict=True):
            mine = values_of(name)
            if ref.family:
                coders.append(CoderCodings(name, None if value is None else int(bool(mine)), mine))
            else:
                subs = tuple(dict.fromkeys(paths[row.code_id] for row in here(name, below)))
                coders.append(CoderCodings(name, value, mine, subs))
        consensus = values_of(CONSENSUS)
        if ref.family:
            used = {c.code_path for coder in coders for c in coder.codings} | {c.code_path for c in consensus}
            used |= {p for i, p in family.items() if (i, doc_id, ref.number) in decisions}
            snaps = [(p, decisions.get((code_ids[p], doc_id, ref.number))) for p in sorted(used)]
            known = [(p, snap) for p, snap in snaps if snap is not None]
            settled = _combined(known) if snaps and len(known) == len(snaps) else None
        else:
            snap = decisions.get((code_ids[ref.code], doc_id, ref.number))
            settled = settlement(snap) if snap is not None else None
        result.append(
            ReviewItem(
                ref=ref,
                span=u.span,
                turn=u.turn,
                speaker=u.speaker,
                text=u.span.of(text),
                coders=tuple(coders),
                consensus=consensus,
                settlement=settled,
            )
        )
    return result


def _overlapping(
    codings: dict[tuple[int, int, str], list[CodingRow]], code_set: dict[int, str], doc_id: int, coder: str, span: Span
) -> list[CodingRow]:
    """The coder's codings of any code in ``code_set`` that overlap ``span``, in text order."""
    rows = [
        row
        for code_id in code_set
        for row in codings.get((code_id, doc_id, coder), [])
        if row.start_offset < span.end and row.end_offset > span.start
    ]
    return sorted(rows, key=lambda r: (r.start_offset, r.end_offset, r.id))
