"""Agreement on free spans: per code, unitizing α on the characters and MAXQDA-style segment matching."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final

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
from mda_coder.analysis.agreement.result import undefined
from mda_coder.core.codebook import PATH_SEPARATOR
from mda_coder.core.errors import MdaError
from mda_coder.services.agreement._scope import read_scope
from mda_coder.store import documents as doc_repo
from mda_coder.store.engine import Database
from mda_coder.store.models import (
    CodingRow,
    Document,
)

DEFAULT_THRESHOLD = 0.9
UNIT: Final = "character"
"""What `mda-coder agree --unit` calls this comparison: no units are given, the characters are the continuum."""
GAP = "gap"
"""The value of text a coder left without any of the codes compared."""


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
class GroupUnitizing:
    """A mutually exclusive group: one division of the text into the group's codes and gaps per coder."""

    group: str
    codes: tuple[str, ...]
    """The member codes' paths."""
    labels: tuple[str, ...]
    """The values α_U compares: "gap", then the members by name (by path where two share a name)."""
    alpha: Result
    """uα with one value per member code (Krippendorff et al. 2016), over the characters."""
    codings: dict[str, int]
    """Per coder, their codings of the group's codes in the documents compared."""

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
    groups: tuple[GroupUnitizing, ...] = ()
    """Mutually exclusive groups all of whose codes are in scope and of which some coder used one."""
    include_subcodes: bool = False
    """Whether a sub-code's codings also counted as codings of the codes above it."""
    unit: str = UNIT


def unitizing_agreement(
    db: Database,
    coders: Sequence[str],
    codes: Sequence[str] | None = None,
    documents: Sequence[str] | None = None,
    threshold: float = DEFAULT_THRESHOLD,
    include_subcodes: bool = False,
) -> UnitizingReport:
    """Agreement between ``coders`` on where each code begins and ends, character by character.

    Unlike turn or sentence agreement, no units are given in advance: each coder's codings of a
    code and the gaps between them divide a document, and uα compares those divisions. A coder
    covered a document when they made at least one coding in it; elsewhere they are missing.
    ``codes`` narrows the report to those codes and their sub-codes, ``documents`` to those documents.
    ``include_subcodes`` counts a coding of ``tilltro/tvivel`` as a coding of ``tilltro`` too (where
    it overlaps another of the same coder's, the two become one segment, their union).
    """
    names = tuple(dict.fromkeys(c.strip() for c in coders if c.strip()))
    if len(names) < 2:
        raise MdaError("agreement needs at least two coders (e.g. --coder anna,erik)")
    if not 0 < threshold <= 1:
        raise MdaError(f"the overlap threshold must be more than 0 and at most 1, e.g. 0.9 for 90% (got {threshold})")
    with db.transaction() as s:
        scope = read_scope(s, names, codes)
        coder_ids, in_scope, parents, groups = scope.coder_ids, scope.in_scope, scope.parents, scope.groups
        length = func.length(Document.text)
        if documents:
            wanted = [doc_repo.get(s, name).id for name in dict.fromkeys(documents)]
            docs = s.execute(
                select(Document.id, Document.name, length).where(Document.id.in_(wanted)).order_by(Document.name)
            ).all()
        else:
            docs = s.execute(select(Document.id, Document.name, length).order_by(Document.name)).all()
        coding_rows = np.array(
            s.execute(
                select(
                    CodingRow.coder_id,
                    CodingRow.code_id,
                    CodingRow.document_id,
                    CodingRow.start_offset,
                    CodingRow.end_offset,
                ).where(
                    CodingRow.document_id.in_([d for d, _, _ in docs]), CodingRow.coder_id.in_(list(coder_ids.values()))
                )
            ).all(),
            dtype=np.int64,
        ).reshape(-1, 5)
    if include_subcodes:
        coding_rows = _credit_ancestors(coding_rows, parents, in_scope)
    docs_read = [(int(d), str(n), int(k)) for d, n, k in docs]
    return _report(names, docs_read, coder_ids, in_scope, coding_rows, threshold, groups, include_subcodes)


def _credit_ancestors(coding_rows: np.ndarray, parents: dict[int, int | None], in_scope: dict[int, str]) -> np.ndarray:
    """Each coding once for its own code and once more for every ancestor in scope."""
    extra = []
    for row in coding_rows.tolist():
        parent = parents.get(row[1])
        while parent is not None:
            if parent in in_scope:
                extra.append([row[0], parent, *row[2:]])
            parent = parents.get(parent)
    if not extra:
        return coding_rows
    return np.vstack((coding_rows, np.array(extra, dtype=np.int64)))


def _report(
    names: tuple[str, ...],
    docs: list[tuple[int, str, int]],
    coder_ids: dict[str, int],
    in_scope: dict[int, str],
    coding_rows: np.ndarray,
    threshold: float,
    groups: list[tuple[str, tuple[int, ...]]],
    include_subcodes: bool,
) -> UnitizingReport:
    doc_rank = {doc_id: i for i, (doc_id, _, _) in enumerate(docs)}
    coder_rank = {coder_ids[n]: i for i, n in enumerate(names)}
    lengths = np.array([k for _, _, k in docs], dtype=np.int64)
    doc_names = [name for _, name, _ in docs]

    # Rows: continuum (document rank), coder rank, start, end; and the code id beside them.
    rows = np.column_stack(
        (
            np.array([doc_rank[d] for d in coding_rows[:, 2].tolist()], dtype=np.int64),
            np.array([coder_rank[c] for c in coding_rows[:, 0].tolist()], dtype=np.int64),
            coding_rows[:, 3],
            coding_rows[:, 4],
        )
    ).reshape(-1, 4)
    code_of = coding_rows[:, 1]
    covered = np.zeros((len(docs), len(names)), dtype=bool)
    covered[rows[:, 0], rows[:, 1]] = True

    def per_coder(mine: np.ndarray) -> dict[str, int]:
        counts = np.bincount(mine[:, 1], minlength=len(names))
        return {n: int(counts[i]) for i, n in enumerate(names)}

    results = []
    used_codes = set(code_of.tolist())
    for code_id in sorted((c for c in in_scope if c in used_codes), key=lambda c: in_scope[c]):
        mine = rows[code_of == code_id]
        data = Unitization.from_segments(lengths, mine, covered)
        results.append(
            CodeUnitizing(
                code=in_scope[code_id],
                alpha=unitizing_alpha(data),
                segments=segment_matching(data, threshold) if len(names) == 2 else None,
                codings=per_coder(mine),
            )
        )
    group_results = []
    for group, member_ids in groups:
        if len(member_ids) < 2 or any(m not in in_scope for m in member_ids) or not used_codes & set(member_ids):
            continue
        paths = tuple(in_scope[m] for m in member_ids)
        short = [p.rsplit(PATH_SEPARATOR, 1)[-1] for p in paths]
        labels = (GAP, *(short if len(set(short)) == len(short) else paths))
        value = {m: i + 1 for i, m in enumerate(member_ids)}
        picked = np.isin(code_of, member_ids)
        values = np.array([value[c] for c in code_of[picked].tolist()], dtype=np.int64)
        mine = np.column_stack((rows[picked], values)).reshape(-1, 5)
        try:
            alpha = unitizing_alpha(Unitization.from_segments(lengths, mine, covered, labels))
        except ValueError:
            # The rows are checked before: only one coder's overlapping codes of the group can be refused.
            alpha = undefined(
                "unitizing_alpha",
                _overlap(mine, labels, names, doc_names),
                basis="disagreement",
                observed=None,
                expected=None,
                n_units=len(docs),
                n_pairable=int((covered.sum(axis=1) >= 2).sum()),
                n_values=0,
                table=None,
            )
        group_results.append(GroupUnitizing(group, paths, labels, alpha, per_coder(mine)))
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
        groups=tuple(group_results),
        include_subcodes=include_subcodes,
    )


def _overlap(rows: np.ndarray, labels: tuple[str, ...], names: tuple[str, ...], doc_names: list[str]) -> str:
    """Why a group has no α_U: where one coder gave two of its codes to the same text."""
    reach: tuple[int, int, int, int] | None = None  # continuum, coder, end, value of the farthest-reaching segment
    for continuum, coder, start, end, value in sorted(rows.tolist()):
        if reach is not None and reach[:2] == (continuum, coder) and start < reach[2] and value != reach[3]:
            return (
                f"{names[coder]} gave two of the group's codes ({labels[reach[3]]}, {labels[value]}) to the same "
                f"text in {doc_names[continuum]} (from character {start}): α_U needs a coder's codes of a "
                "group not to overlap"
            )
        if reach is None or reach[:2] != (continuum, coder) or end > reach[2]:
            reach = (continuum, coder, end, value)
    return "a coder gave two of the group's codes to the same text: α_U needs a coder's codes of a group not to overlap"
