"""Inter-coder agreement on a project: per code, did the coders apply it to the same turns (or sentences)?"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from sqlalchemy import select

from mda_coder.core.errors import MdaError
from mda_coder.services.agreement._build import CATEGORIES, Inputs, build_report
from mda_coder.services.agreement._scope import read_scope
from mda_coder.services.agreement._values import (
    NO_ROLE,
    SPLITS,
    UNITS,
    AgreementReport,
    CodeAgreement,
    Disagreement,
    GroupAgreement,
    GroupDisagreement,
    Split,
    SplitAgreement,
    Unit,
)
from mda_coder.store import documents as doc_repo
from mda_coder.store.engine import Database
from mda_coder.store.models import (
    CodingRow,
    Document,
    SentenceRow,
    Speaker,
    TurnRow,
)

__all__ = [
    "CATEGORIES",
    "NO_ROLE",
    "SPLITS",
    "UNITS",
    "AgreementReport",
    "CodeAgreement",
    "Disagreement",
    "GroupAgreement",
    "GroupDisagreement",
    "Split",
    "SplitAgreement",
    "Unit",
    "agreement",
    "check_samples",
]

MIN_SAMPLES = 40
"""Fewer bootstrap samples than this give no 95% interval (the 2.5th percentile needs 40)."""


def check_samples(samples: int) -> None:
    if samples != 0 and samples < MIN_SAMPLES:
        raise MdaError(
            f"--bootstrap {samples}: a 95% interval needs at least {MIN_SAMPLES} samples (1000 is usual), or 0 for none"
        )


def agreement(
    db: Database,
    coders: Sequence[str],
    unit: Unit = "turn",
    codes: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
    *,
    by: Split | None = None,
    include_subcodes: bool = False,
    samples: int = 0,
    seed: int | None = 0,
) -> AgreementReport:
    """Agreement between ``coders`` on every code, with turns or sentences as the units.

    A coder covered a document when they made at least one coding in it; for the documents a coder
    did not cover, their values are missing, not "absent", so coding one focus group of three does
    not count as disagreeing about the other two.

    ``by`` adds the same figures per document or per speaker role (of the turn's speaker; a
    sentence takes its turn's). ``include_subcodes`` counts a coding of ``tilltro/tvivel`` as a
    coding of ``tilltro`` as well. ``samples`` > 0 adds bootstrap 95% intervals of every α.
    """
    names = tuple(dict.fromkeys(c.strip() for c in coders if c.strip()))
    if len(names) < 2:
        raise MdaError("agreement needs at least two coders (e.g. --coder anna,erik)")
    if unit not in UNITS:
        raise MdaError(f"unknown unit '{unit}': use turn or sentence")
    if by is not None and by not in SPLITS:
        raise MdaError(f"unknown split '{by}': use document or role")
    check_samples(samples)
    with db.transaction() as s:
        scope = read_scope(s, names, codes)
        coder_ids, in_scope, parents, groups = scope.coder_ids, scope.in_scope, scope.parents, scope.groups
        if documents:
            docs = [(d.id, d.name) for d in (doc_repo.get(s, name) for name in dict.fromkeys(documents))]
        else:
            docs = [(d, n) for d, n in s.execute(select(Document.id, Document.name).order_by(Document.name))]
        doc_ids = [d for d, _ in docs]
        table = TurnRow if unit == "turn" else SentenceRow
        columns = select(table.document_id, table.position, table.start_offset, table.end_offset)
        roles: list[str | None] | None = None
        unit_data: Sequence[Sequence[int]]
        if by == "role":
            query = columns.add_columns(Speaker.role)
            if table is SentenceRow:
                query = query.join(TurnRow, SentenceRow.turn_id == TurnRow.id)
            rows = s.execute(
                query.outerjoin(Speaker, TurnRow.speaker_id == Speaker.id).where(table.document_id.in_(doc_ids))
            ).all()
            roles = [r[4] for r in rows]
            unit_data = [r[:4] for r in rows]
        else:
            unit_data = s.execute(columns.where(table.document_id.in_(doc_ids))).all()
        unit_rows = np.array(unit_data, dtype=np.int64).reshape(-1, 4)
        coding_rows = np.array(
            s.execute(
                select(
                    CodingRow.coder_id,
                    CodingRow.code_id,
                    CodingRow.document_id,
                    CodingRow.start_offset,
                    CodingRow.end_offset,
                ).where(CodingRow.document_id.in_(doc_ids), CodingRow.coder_id.in_(list(coder_ids.values())))
            ).all(),
            dtype=np.int64,
        ).reshape(-1, 5)
    return build_report(
        Inputs(
            names=names,
            unit=unit,
            docs=docs,
            coder_ids=coder_ids,
            in_scope=in_scope,
            parents=parents,
            groups=groups,
            unit_rows=unit_rows,
            unit_roles=roles,
            coding_rows=coding_rows,
            by=by,
            include_subcodes=include_subcodes,
            samples=samples,
            seed=seed,
        )
    )
