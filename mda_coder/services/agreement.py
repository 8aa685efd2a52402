"""Inter-coder agreement on a project: per code, did the coders apply it to the same turns (or sentences)?"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from sqlalchemy import select

from mda_coder.analysis.agreement import (
    MISSING,
    ReliabilityData,
    Result,
    cohen_kappa,
    fleiss_kappa,
    gwet_ac1,
    krippendorff_alpha,
    percent_agreement,
    verdict,
)
from mda_coder.core.codebook import PATH_SEPARATOR
from mda_coder.core.errors import MdaError, NotFoundError
from mda_coder.store import codes as code_repo
from mda_coder.store import documents as doc_repo
from mda_coder.store.engine import Database
from mda_coder.store.models import Coder, CodingRow, Document, SentenceRow, TurnRow

Unit = Literal["turn", "sentence"]
UNITS: tuple[Unit, ...] = ("turn", "sentence")

CATEGORIES = (0, 1)
"""Binary data per code: 0 the coder covered the document but did not apply the code to the unit, 1 applied."""


@dataclass(frozen=True, slots=True)
class Disagreement:
    """A unit on which the coders who coded its document gave different values."""

    document: str
    unit: int
    """The turn or sentence number within the document (1-based)."""
    values: tuple[int | None, ...]
    """Per coder, in the report's coder order: 1 applied, 0 not applied, None document not covered."""


@dataclass(frozen=True, slots=True)
class CodeAgreement:
    """The coefficients for one code on the binary units × coders matrix."""

    code: str
    n_units: int
    alpha: Result
    """Krippendorff's α, nominal."""
    cohen_kappa: Result | None
    """None unless there are exactly two coders."""
    fleiss_kappa: Result
    gwet_ac1: Result
    percent_agreement: Result
    """Pairwise percent agreement (no chance correction)."""
    disagreements: tuple[Disagreement, ...]

    @property
    def verdict(self) -> str:
        return verdict(self.alpha)


@dataclass(frozen=True, slots=True)
class AgreementReport:
    coders: tuple[str, ...]
    unit: Unit
    documents: tuple[str, ...]
    n_units: int
    """Turns or sentences in the documents compared."""
    covered: dict[str, tuple[str, ...]]
    """Per coder, the documents in which they made at least one coding (of any code)."""
    codes: tuple[CodeAgreement, ...]
    skipped_unused: int
    """Codes in scope that none of the coders applied in these documents: no table row for them."""
    pooled_alpha: Result
    """Pooled binary α: nominal α over the (unit, code) rows of every reported code stacked.

    Not the mean of the per-code α (a mean of ratios is no coefficient). Unused codes are left out
    of the pool: their all-zero rows would agree by construction and inflate it.
    """


def agreement(
    db: Database,
    coders: Sequence[str],
    unit: Unit = "turn",
    codes: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
) -> AgreementReport:
    """Agreement between ``coders`` on every code, with turns or sentences as the units.

    A coder covered a document when they made at least one coding in it; for the documents a coder
    did not cover, their values are missing, not "absent", so coding one focus group of three does
    not count as disagreeing about the other two.
    """
    names = tuple(dict.fromkeys(c.strip() for c in coders if c.strip()))
    if len(names) < 2:
        raise MdaError("agreement needs at least two coders (e.g. --coders anna,erik)")
    if unit not in UNITS:
        raise MdaError(f"unknown unit '{unit}': use turn or sentence")
    with db.transaction() as s:
        coder_ids = dict(s.execute(select(Coder.name, Coder.id).where(Coder.name.in_(names))).all())
        unknown = [n for n in names if n not in coder_ids]
        if unknown:
            known = ", ".join(s.scalars(select(Coder.name).order_by(Coder.name))) or "none yet"
            raise NotFoundError(f"unknown coder '{unknown[0]}' (coders: {known})")
        all_paths = code_repo.paths(s)
        if codes:
            roots = [all_paths[code_repo.resolve(s, ref).id] for ref in codes]
            in_scope = {i: p for i, p in all_paths.items()
                        if any(p == r or p.startswith(r + PATH_SEPARATOR) for r in roots)}
        else:
            in_scope = dict(all_paths)
        if documents:
            docs = [(d.id, d.name) for d in (doc_repo.get(s, name) for name in dict.fromkeys(documents))]
        else:
            docs = [(d, n) for d, n in s.execute(select(Document.id, Document.name).order_by(Document.name))]
        doc_ids = [d for d, _ in docs]
        table = TurnRow if unit == "turn" else SentenceRow
        unit_rows = np.array(
            s.execute(
                select(table.document_id, table.position, table.start_offset, table.end_offset)
                .where(table.document_id.in_(doc_ids))
            ).all(),
            dtype=np.int64,
        ).reshape(-1, 4)
        coding_rows = np.array(
            s.execute(
                select(CodingRow.coder_id, CodingRow.code_id, CodingRow.document_id,
                       CodingRow.start_offset, CodingRow.end_offset)
                .where(CodingRow.document_id.in_(doc_ids), CodingRow.coder_id.in_(list(coder_ids.values())))
            ).all(),
            dtype=np.int64,
        ).reshape(-1, 5)
    return _report(names, unit, docs, coder_ids, in_scope, unit_rows, coding_rows)


def _report(
    names: tuple[str, ...],
    unit: Unit,
    docs: list[tuple[int, str]],
    coder_ids: dict[str, int],
    in_scope: dict[int, str],
    unit_rows: np.ndarray,
    coding_rows: np.ndarray,
) -> AgreementReport:
    doc_rank = {doc_id: i for i, (doc_id, _) in enumerate(docs)}
    coder_rank = {coder_ids[n]: i for i, n in enumerate(names)}
    n_docs, n_coders = len(docs), len(names)

    # Units in document order, then text order; one key per offset so that every document's units
    # are a contiguous, sorted run of one array (turns and sentences do not overlap within a document).
    unit_doc = np.array([doc_rank[d] for d in unit_rows[:, 0].tolist()], dtype=np.int64)
    stride = int(max(unit_rows[:, 3].max(initial=0), coding_rows[:, 4].max(initial=0))) + 1
    order = np.lexsort((unit_rows[:, 2], unit_doc))
    unit_doc, unit_rows = unit_doc[order], unit_rows[order]
    starts = unit_doc * stride + unit_rows[:, 2]
    ends = unit_doc * stride + unit_rows[:, 3]
    n_units = len(unit_rows)

    c_coder = np.array([coder_rank[c] for c in coding_rows[:, 0].tolist()], dtype=np.int64)
    c_doc = np.array([doc_rank[d] for d in coding_rows[:, 2].tolist()], dtype=np.int64)
    covered = np.zeros((n_docs, n_coders), dtype=bool)
    covered[c_doc, c_coder] = True

    code_ids = sorted(in_scope, key=lambda i: in_scope[i])
    code_rank = {cid: i for i, cid in enumerate(code_ids)}
    keep = np.array([cid in code_rank for cid in coding_rows[:, 1].tolist()], dtype=bool)
    c_code = np.array([code_rank[c] for c in coding_rows[keep, 1].tolist()], dtype=np.int64)
    # A coding hits every unit it overlaps: units whose end is after its start and whose start is before its end.
    first = np.searchsorted(ends, c_doc[keep] * stride + coding_rows[keep, 3], side="right")
    stop = np.searchsorted(starts, c_doc[keep] * stride + coding_rows[keep, 4], side="left")
    lengths = np.maximum(stop - first, 0)
    offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    hit_unit = np.repeat(first, lengths) + offsets

    # values[code, unit, coder]: MISSING where the coder did not cover the unit's document, else 0/1.
    base = np.where(covered[unit_doc], 0, MISSING).astype(np.int64)
    values = np.broadcast_to(base, (len(code_ids), n_units, n_coders)).copy()
    values[np.repeat(c_code, lengths), hit_unit, np.repeat(c_coder[keep], lengths)] = 1

    used = values.max(axis=(1, 2), initial=0) == 1
    doc_names = [name for _, name in docs]
    positions = unit_rows[:, 1]
    results = []
    for k in np.flatnonzero(used).tolist():
        data = ReliabilityData(np.ascontiguousarray(values[k]), CATEGORIES, True)
        present = data.present
        lo = np.where(present, data.codes, 2).min(axis=1)
        hi = np.where(present, data.codes, -1).max(axis=1)
        differ = np.flatnonzero(data.pairable & (lo != hi))
        results.append(
            CodeAgreement(
                code=in_scope[code_ids[k]],
                n_units=n_units,
                alpha=krippendorff_alpha(data, "nominal"),
                cohen_kappa=cohen_kappa(data) if n_coders == 2 else None,
                fleiss_kappa=fleiss_kappa(data),
                gwet_ac1=gwet_ac1(data),
                percent_agreement=percent_agreement(data, "pairwise"),
                disagreements=tuple(
                    Disagreement(
                        document=doc_names[int(unit_doc[u])],
                        unit=int(positions[u]),
                        values=tuple(None if v == MISSING else int(v) for v in data.codes[u].tolist()),
                    )
                    for u in differ.tolist()
                ),
            )
        )
    pooled = ReliabilityData(np.ascontiguousarray(values[used].reshape(-1, n_coders)), CATEGORIES, True)
    return AgreementReport(
        coders=names,
        unit=unit,
        documents=tuple(doc_names),
        n_units=n_units,
        covered={n: tuple(doc_names[d] for d in np.flatnonzero(covered[:, i]).tolist()) for i, n in enumerate(names)},
        codes=tuple(results),
        skipped_unused=int(len(code_ids) - used.sum()),
        pooled_alpha=krippendorff_alpha(pooled, "nominal"),
    )
