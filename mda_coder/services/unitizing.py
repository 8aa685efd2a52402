"""Agreement on free spans: per code, unitizing α on the characters and MAXQDA-style segment matching."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from sqlalchemy import func, select

from mda_coder.analysis.agreement import (
    Result,
    SegmentMatching,
    Unitization,
    segment_kappa,
    segment_matching,
    unitizing_alpha,
    verdict,
)
from mda_coder.core.codebook import PATH_SEPARATOR
from mda_coder.core.errors import MdaError, NotFoundError
from mda_coder.store import codes as code_repo
from mda_coder.store import documents as doc_repo
from mda_coder.store.engine import Database
from mda_coder.store.models import Coder, CodingRow, Document

DEFAULT_THRESHOLD = 0.9


@dataclass(frozen=True, slots=True)
class CodeUnitizing:
    """One code: how alike the coders drew its segments."""

    code: str
    alpha: Result
    """Krippendorff's uα for the code against its gaps, over the characters of the documents compared."""
    segments: SegmentMatching | None
    """MAXQDA-style segment matching at the report's threshold; None unless there are exactly two coders."""
    codings: dict[str, int]
    """Per coder, their codings of this code in the documents compared (before overlapping ones merge)."""

    @property
    def verdict(self) -> str:
        return verdict(self.alpha)


@dataclass(frozen=True, slots=True)
class UnitizingReport:
    coders: tuple[str, ...]
    documents: tuple[str, ...]
    characters: int
    """The length of the documents compared, in characters (code points)."""
    covered: dict[str, tuple[str, ...]]
    """Per coder, the documents in which they made at least one coding (of any code); in the others
    that coder is missing, not "coded nothing"."""
    threshold: float
    """The least overlap (intersection / union) at which two segments match."""
    codes: tuple[CodeUnitizing, ...]
    skipped_unused: int
    """Codes in scope that none of the coders applied in these documents: no row for them."""
    segment_kappa: Result | None
    """MAXQDA's Brennan–Prediger κ over the segment tables of all reported codes (q = their number);
    None unless there are exactly two coders."""


def unitizing_agreement(
    db: Database,
    coders: Sequence[str],
    codes: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> UnitizingReport:
    """Agreement between ``coders`` on where each code begins and ends, character by character.

    Unlike turn or sentence agreement, no units are given in advance: each coder's codings of a
    code and the gaps between them divide a document, and uα compares those divisions. A coder
    covered a document when they made at least one coding in it; elsewhere they are missing.
    ``codes`` narrows the report to those codes and their sub-codes, ``documents`` to those documents.
    """
    names = tuple(dict.fromkeys(c.strip() for c in coders if c.strip()))
    if len(names) < 2:
        raise MdaError("agreement needs at least two coders (e.g. --coders anna,erik)")
    if not 0 < threshold <= 1:
        raise MdaError(f"the overlap threshold must be more than 0 and at most 1, e.g. 0.9 for 90% (got {threshold})")
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
        length = func.length(Document.text)
        if documents:
            wanted = [doc_repo.get(s, name).id for name in dict.fromkeys(documents)]
            docs = s.execute(select(Document.id, Document.name, length).where(Document.id.in_(wanted))
                             .order_by(Document.name)).all()
        else:
            docs = s.execute(select(Document.id, Document.name, length).order_by(Document.name)).all()
        coding_rows = np.array(
            s.execute(
                select(CodingRow.coder_id, CodingRow.code_id, CodingRow.document_id,
                       CodingRow.start_offset, CodingRow.end_offset)
                .where(CodingRow.document_id.in_([d for d, _, _ in docs]),
                       CodingRow.coder_id.in_(list(coder_ids.values())))
            ).all(),
            dtype=np.int64,
        ).reshape(-1, 5)
    return _report(names, [(int(d), str(n), int(k)) for d, n, k in docs], coder_ids, in_scope, coding_rows, threshold)


def _report(
    names: tuple[str, ...],
    docs: list[tuple[int, str, int]],
    coder_ids: dict[str, int],
    in_scope: dict[int, str],
    coding_rows: np.ndarray,
    threshold: float,
) -> UnitizingReport:
    doc_rank = {doc_id: i for i, (doc_id, _, _) in enumerate(docs)}
    coder_rank = {coder_ids[n]: i for i, n in enumerate(names)}
    lengths = np.array([k for _, _, k in docs], dtype=np.int64)
    doc_names = [name for _, name, _ in docs]

    # Rows: continuum (document rank), coder rank, start, end; and the code id beside them.
    rows = np.column_stack((
        np.array([doc_rank[d] for d in coding_rows[:, 2].tolist()], dtype=np.int64),
        np.array([coder_rank[c] for c in coding_rows[:, 0].tolist()], dtype=np.int64),
        coding_rows[:, 3],
        coding_rows[:, 4],
    )).reshape(-1, 4)
    code_of = coding_rows[:, 1]
    covered = np.zeros((len(docs), len(names)), dtype=bool)
    covered[rows[:, 0], rows[:, 1]] = True

    results = []
    used_codes = set(code_of.tolist())
    for code_id in sorted((c for c in in_scope if c in used_codes), key=lambda c: in_scope[c]):
        mine = rows[code_of == code_id]
        data = Unitization.from_segments(lengths, mine, covered)
        counts = np.bincount(mine[:, 1], minlength=len(names))
        results.append(
            CodeUnitizing(
                code=in_scope[code_id],
                alpha=unitizing_alpha(data),
                segments=segment_matching(data, threshold) if len(names) == 2 else None,
                codings={n: int(counts[i]) for i, n in enumerate(names)},
            )
        )
    matchings = [r.segments for r in results if r.segments is not None]
    return UnitizingReport(
        coders=names,
        documents=tuple(doc_names),
        characters=int(lengths.sum()),
        covered={n: tuple(doc_names[d] for d in np.flatnonzero(covered[:, i]).tolist()) for i, n in enumerate(names)},
        threshold=threshold,
        codes=tuple(results),
        skipped_unused=len(in_scope) - len(results),
        segment_kappa=segment_kappa(matchings) if len(names) == 2 else None,
    )
