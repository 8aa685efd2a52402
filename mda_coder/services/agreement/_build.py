"""From units and codings to one binary units × coders matrix per code, and the report's figures on them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from mda_coder.analysis.agreement import (
    MISSING,
    AlphaInterval,
    ReliabilityData,
    Result,
    bootstrap_alpha,
    krippendorff_alpha,
)
from mda_coder.analysis.figures import as_fields, figures
from mda_coder.core.codebook import PATH_SEPARATOR
from mda_coder.i18n import Phrase
from mda_coder.services.agreement._values import (
    COMBINED,
    NO_ROLE,
    NONE_LABEL,
    AgreementReport,
    CodeAgreement,
    Disagreement,
    GroupAgreement,
    GroupDisagreement,
    Split,
    SplitAgreement,
    Unit,
)

CATEGORIES = (0, 1)
"""Binary data per code: 0 the coder covered the document but did not apply the code to the unit, 1 applied."""


@dataclass(frozen=True, slots=True)
class Inputs:
    """What the use case read from the project, as plain numbers and names."""

    names: tuple[str, ...]
    unit: Unit
    docs: list[tuple[int, str]]
    coder_ids: dict[str, int]
    in_scope: dict[int, str]
    """Code id → path, for the codes asked about."""
    parents: dict[int, int | None]
    """Every code's parent, to credit a sub-code's codings to its ancestors."""
    groups: list[tuple[str, tuple[int, ...]]]
    """Mutually exclusive groups: name and member code ids."""
    unit_rows: np.ndarray
    """(document id, position, start, end) per unit."""
    unit_roles: Sequence[str | None] | None
    """The speaker role per unit row, when splitting by role."""
    coding_rows: np.ndarray
    """(coder id, code id, document id, start, end) per coding."""
    by: Split | None = None
    include_subcodes: bool = False
    samples: int = 0
    seed: int | None = 0


@dataclass(frozen=True, slots=True)
class _Group:
    name: str
    paths: tuple[str, ...]
    labels: tuple[str, ...]
    codes: np.ndarray
    """(units, coders): index into labels, or MISSING."""
    combined: np.ndarray
    """(units, coders): True where a coder gave two or more of the group's codes."""


class _Matrices:
    """The values of every code on every unit by every coder, built once for all sections."""

    def __init__(self, inp: Inputs) -> None:
        self.inp = inp
        names, docs = inp.names, inp.docs
        doc_rank = {doc_id: i for i, (doc_id, _) in enumerate(docs)}
        coder_rank = {inp.coder_ids[n]: i for i, n in enumerate(names)}
        n_coders = len(names)
        unit_rows, coding_rows = inp.unit_rows, inp.coding_rows

        # Units in document order, then text order; one key per offset so that every document's units
        # are a contiguous, sorted run of one array (turns and sentences do not overlap within a document).
        unit_doc = np.array([doc_rank[d] for d in unit_rows[:, 0].tolist()], dtype=np.int64)
        stride = int(max(unit_rows[:, 3].max(initial=0), coding_rows[:, 4].max(initial=0))) + 1
        order = np.lexsort((unit_rows[:, 2], unit_doc))
        self.unit_doc, unit_rows = unit_doc[order], unit_rows[order]
        self.positions = unit_rows[:, 1]
        self.roles = None if inp.unit_roles is None else [_role(inp.unit_roles[i]) for i in order.tolist()]
        starts = self.unit_doc * stride + unit_rows[:, 2]
        ends = self.unit_doc * stride + unit_rows[:, 3]
        n_units = len(unit_rows)

        c_coder = np.array([coder_rank[c] for c in coding_rows[:, 0].tolist()], dtype=np.int64)
        c_doc = np.array([doc_rank[d] for d in coding_rows[:, 2].tolist()], dtype=np.int64)
        self.covered = np.zeros((len(docs), n_coders), dtype=bool)
        self.covered[c_doc, c_coder] = True

        self.code_ids = sorted(inp.in_scope, key=lambda i: inp.in_scope[i])
        code_rank = {cid: i for i, cid in enumerate(self.code_ids)}
        # Each coding counts for its own code, and with include_subcodes for every ancestor in scope too.
        targets = {
            cid: [code_rank[t] for t in self._credited(cid) if t in code_rank]
            for cid in set(coding_rows[:, 1].tolist())
        }
        per_row = np.array([len(targets[c]) for c in coding_rows[:, 1].tolist()], dtype=np.int64)
        row = np.repeat(np.arange(len(coding_rows)), per_row)
        c_code = np.array([t for c in coding_rows[:, 1].tolist() for t in targets[c]], dtype=np.int64)
        # A coding hits every unit it overlaps: units whose end is after its start and whose start is before its end.
        first = np.searchsorted(ends, c_doc[row] * stride + coding_rows[row, 3], side="right")
        stop = np.searchsorted(starts, c_doc[row] * stride + coding_rows[row, 4], side="left")
        lengths = np.maximum(stop - first, 0)
        offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        hit_unit = np.repeat(first, lengths) + offsets

        # values[code, unit, coder]: MISSING where the coder did not cover the unit's document, else 0/1.
        self.base = np.where(self.covered[self.unit_doc], 0, MISSING).astype(np.int64)
        self.values = np.broadcast_to(self.base, (len(self.code_ids), n_units, n_coders)).copy()
        self.values[np.repeat(c_code, lengths), hit_unit, np.repeat(c_coder[row], lengths)] = 1
        self.groups = [g for g in (self._group(name, members, code_rank) for name, members in inp.groups) if g]

    def _credited(self, code_id: int) -> list[int]:
        chain = [code_id]
        if self.inp.include_subcodes:
            parent = self.inp.parents.get(code_id)
            while parent is not None:
                chain.append(parent)
                parent = self.inp.parents.get(parent)
        return chain

    def _group(self, name: str, members: tuple[int, ...], code_rank: dict[int, int]) -> _Group | None:
        if len(members) < 2 or any(m not in code_rank for m in members):
            return None
        paths = tuple(self.inp.in_scope[m] for m in members)
        short = [p.rsplit(PATH_SEPARATOR, 1)[-1] for p in paths]
        own = short if len(set(short)) == len(short) else list(paths)
        bits = self.values[[code_rank[m] for m in members]] == 1  # (members, units, coders)
        count = bits.sum(axis=0)
        # A combination's key is its bit pattern read as a number: one category per distinct combination.
        weights = (1 << np.arange(len(members), dtype=np.int64))[:, None, None]
        pattern = (bits * weights).sum(axis=0)
        combos = sorted(set(pattern[count >= 2].tolist()))
        labels = (NONE_LABEL, *own, *(COMBINED.join(own[i] for i in range(len(own)) if p >> i & 1) for p in combos))
        codes = np.where(count == 0, 0, 1 + bits.argmax(axis=0))
        for i, p in enumerate(combos):
            codes[pattern == p] = 1 + len(own) + i
        codes = np.where(self.base == MISSING, MISSING, codes).astype(np.int64)
        return _Group(name, paths, labels, codes, count >= 2)

    def sections(self) -> list[tuple[str, np.ndarray]]:
        """(value, unit mask) per split value, in document order or by role name."""
        if self.inp.by == "document":
            return [(name, self.unit_doc == i) for i, (_, name) in enumerate(self.inp.docs)]
        if self.inp.by == "role":
            assert self.roles is not None
            roles = np.array(self.roles, dtype=object)
            values = sorted(set(self.roles) - {NO_ROLE}) + ([NO_ROLE] if NO_ROLE in self.roles else [])
            return [(role, roles == role) for role in values]
        return []


def _role(role: str | None) -> str:
    return role.strip() if role and role.strip() else NO_ROLE


def build_report(inp: Inputs) -> AgreementReport:
    m = _Matrices(inp)
    everything = np.ones(len(m.positions), dtype=bool)
    codes, groups, pooled, interval, skipped = _section(m, everything)
    doc_names = [name for _, name in inp.docs]
    by = inp.by
    splits = (
        ()
        if by is None
        else tuple(SplitAgreement(by, value, int(mask.sum()), *_section(m, mask)) for value, mask in m.sections())
    )
    return AgreementReport(
        coders=inp.names,
        unit=inp.unit,
        documents=tuple(doc_names),
        n_units=len(m.positions),
        covered={
            n: tuple(doc_names[d] for d in np.flatnonzero(m.covered[:, i]).tolist()) for i, n in enumerate(inp.names)
        },
        codes=codes,
        skipped_unused=skipped,
        pooled_alpha=pooled,
        groups=groups,
        by=inp.by,
        splits=splits,
        include_subcodes=inp.include_subcodes,
        pooled_interval=interval,
        samples=inp.samples,
        seed=inp.seed if inp.samples else None,
    )


NO_CODE_USED = Phrase("none of the coders used any of these codes on these units: there is nothing to pool")

_NOTHING_POOLED = Result(
    coefficient="krippendorff_alpha",
    value=None,
    undefined=NO_CODE_USED,
    basis="disagreement",
    observed=None,
    expected=None,
    n_units=0,
    n_pairable=0,
    n_values=0,
    table=None,
)


class _Section(NamedTuple):
    """The figures of one section, in the order SplitAgreement takes them after its by, value and n_units."""

    codes: tuple[CodeAgreement, ...]
    groups: tuple[GroupAgreement, ...]
    pooled_alpha: Result
    pooled_interval: AlphaInterval | None
    skipped_unused: int


def _section(m: _Matrices, mask: np.ndarray) -> _Section:
    """Codes, groups, pooled α, its interval and the unused-code count on the units in ``mask``."""
    inp = m.inp
    values = m.values[:, mask]
    used = values.max(axis=(1, 2), initial=0) == 1
    units = np.flatnonzero(mask)
    codes = []
    for k in np.flatnonzero(used).tolist():
        data = ReliabilityData(np.ascontiguousarray(values[k]), CATEGORIES, True)
        fig = figures(data, "nominal", inp.samples, inp.seed)
        codes.append(
            CodeAgreement(
                code=inp.in_scope[m.code_ids[k]],
                n_units=len(units),
                disagreements=tuple(
                    Disagreement(doc, unit, tuple(None if v == MISSING else v for v in row))
                    for doc, unit, row in _places(m, units, data, _differing(data))
                ),
                **as_fields(fig),
            )
        )
    groups = []
    for g in m.groups:
        gcodes = np.ascontiguousarray(g.codes[mask])
        if not (gcodes > 0).any():
            continue
        data = ReliabilityData(gcodes, g.labels, False)
        fig = figures(data, "nominal", inp.samples, inp.seed)
        groups.append(
            GroupAgreement(
                group=g.name,
                codes=g.paths,
                labels=g.labels,
                n_units=len(units),
                **as_fields(fig),
                combined={n: int(c) for n, c in zip(inp.names, g.combined[mask].sum(axis=0).tolist())},
                disagreements=tuple(
                    GroupDisagreement(doc, unit, tuple(None if v == MISSING else g.labels[v] for v in row))
                    for doc, unit, row in _places(m, units, data, _differing(data))
                ),
            )
        )
    skipped = int(len(m.code_ids) - used.sum())
    if not codes:
        return _Section((), tuple(groups), _NOTHING_POOLED, None, skipped)
    pooled = ReliabilityData(np.ascontiguousarray(values[used].reshape(-1, len(inp.names))), CATEGORIES, True)
    interval = bootstrap_alpha(pooled, "nominal", inp.samples, inp.seed) if inp.samples else None
    return _Section(tuple(codes), tuple(groups), krippendorff_alpha(pooled, "nominal"), interval, skipped)


def _places(
    m: _Matrices, units: np.ndarray, data: ReliabilityData, rows: np.ndarray
) -> zip[tuple[str, int, list[int]]]:
    """(document, unit number, values) of the section's ``rows``, converted to Python in bulk."""
    names = [name for _, name in m.inp.docs]
    picked = units[rows]
    return zip([names[d] for d in m.unit_doc[picked].tolist()], m.positions[picked].tolist(), data.codes[rows].tolist())


def _differing(data: ReliabilityData) -> np.ndarray:
    """Pairable units whose values are not all equal."""
    present = data.present
    lo = np.where(present, data.codes, data.n_categories).min(axis=1)
    hi = np.where(present, data.codes, -1).max(axis=1)
    return np.flatnonzero(data.pairable & (lo != hi))
