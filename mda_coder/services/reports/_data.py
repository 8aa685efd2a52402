"""What a report reads from the project, once: the documents, turns, speakers, codes and codings in scope, as arrays.

Every report takes the same filters (`Scope`); this module checks them against the project
(an unknown document, group, speaker, role, coder or code is one clear error) and reads what is
in scope in one read-only transaction, with one query per table.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from sqlalchemy import BigInteger, Text, cast, func, select
from sqlalchemy.orm import Session

from mda_coder.analysis.units import INT, Spans, clip
from mda_coder.core.codebook import PATH_SEPARATOR
from mda_coder.core.errors import MdaError
from mda_coder.core.names import not_found
from mda_coder.i18n import Message, Phrase
from mda_coder.store import codes as code_repo
from mda_coder.store import documents as doc_repo
from mda_coder.store.engine import Database
from mda_coder.store.models import (
    Coder,
    CodeRow,
    CodingRow,
    Document,
    Person,
    SentenceRow,
    Speaker,
    TurnRow,
)

MODERATOR = "moderator"
"""The role the importer gives interviewers and moderators (``I:``, ``Intervjuare:``, ``Moderator:``)."""


@dataclass(frozen=True, slots=True)
class Scope:
    """Which part of the project a report covers; every filter left empty means "all"."""

    documents: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    """Speaker labels (``R1``), display names or linked persons' names."""
    roles: tuple[str, ...] = ()
    coders: tuple[str, ...] = ()
    """``consensus`` is a coder like any other."""
    codes: tuple[str, ...] = ()
    """Codes by name or path; each brings its sub-codes."""
    no_moderator: bool = False
    """Leave out the turns of speakers whose role is ``moderator``."""

    @property
    def by_turn(self) -> bool:
        """Whether turns are filtered, so that codings must be cut to the turns kept."""
        return bool(self.speakers or self.roles or self.no_moderator)


@dataclass(frozen=True, slots=True)
class SpeakerInfo:
    label: str
    document: int
    """Index into `ReportData.documents`."""
    role: str | None
    attributes: dict[str, Any]
    person: str | None


@dataclass(frozen=True, slots=True)
class ReportData:
    """The scope as plain arrays; document, code, coder and speaker references are list indexes."""

    documents: list[str]
    groups: list[str | None]
    codes: list[str]
    """Code paths, sorted."""
    parents: list[int | None]
    coders: list[str]
    speakers: list[SpeakerInfo]
    turns: Spans
    """Turns kept, sorted by document and offset."""
    turn_speaker: np.ndarray
    """Speaker index per turn, −1 for none."""
    codings: Spans
    """The codings' pieces in scope: whole codings, or cut to the turns kept when turns are filtered."""
    coding: np.ndarray
    """Per piece: which coding it is of (a row of the query, so one coding's pieces share it)."""
    code: np.ndarray
    coder: np.ndarray
    sentences: Spans | None = None
    texts: list[str] | None = None
    facts: list[str] = field(default_factory=list)


def load(db: Database, scope: Scope, *, sentences: bool = False, texts: bool = False) -> ReportData:
    """Read everything in ``scope``; ``sentences`` and ``texts`` only when the report needs them."""
    with db.transaction() as s:
        doc_query = select(Document.id, Document.name, Document.group_name).order_by(Document.name)
        if scope.documents:
            for name in scope.documents:
                doc_repo.get(s, name)  # one clear error for an unknown name
            doc_query = doc_query.where(Document.name.in_(scope.documents))
        docs = s.execute(doc_query).all()
        if scope.groups:
            known = {g for _, _, g in s.execute(select(Document.id, Document.name, Document.group_name)) if g}
            _check("group", scope.groups, known)
            docs = [d for d in docs if d.group_name in scope.groups]
            if not docs:
                raise MdaError(
                    f"no document is in group {', '.join(scope.groups)} and among --document {', '.join(scope.documents)}"
                )
        doc_ids = [d.id for d in docs]
        doc_index = _lookup(doc_ids)

        all_paths = code_repo.paths(s)
        if scope.codes:
            roots = [all_paths[code_repo.resolve(s, ref).id] for ref in scope.codes]
            in_scope = [
                i for i, p in all_paths.items() if any(p == r or p.startswith(r + PATH_SEPARATOR) for r in roots)
            ]
        else:
            in_scope = list(all_paths)
        code_ids = sorted(in_scope, key=lambda i: all_paths[i])
        code_index = _lookup(code_ids)
        parent_of = dict(s.execute(select(CodeRow.id, CodeRow.parent_id)).all())
        parents = [code_index.get(p) if (p := parent_of[c]) is not None else None for c in code_ids]

        coder_rows = dict(s.execute(select(Coder.name, Coder.id).order_by(Coder.name)).all())
        coders = list(dict.fromkeys(scope.coders)) or list(coder_rows)
        _check("coder", coders, set(coder_rows))
        coder_ids = [coder_rows[c] for c in coders]

        speaker_rows = s.execute(
            select(
                Speaker.id,
                Speaker.document_id,
                Speaker.label,
                Speaker.display_name,
                Speaker.role,
                Speaker.attributes,
                Person.name,
            )
            .outerjoin(Person, Speaker.person_id == Person.id)
            .where(Speaker.document_id.in_(doc_ids))
            .order_by(Speaker.document_id, Speaker.id)
        ).all()
        speakers = [
            SpeakerInfo(r.label, doc_index[r.document_id], r.role, dict(r.attributes or {}), r.name)
            for r in speaker_rows
        ]
        speaker_index = {r.id: i for i, r in enumerate(speaker_rows)}
        keep_speaker = _speaker_filter(scope, speaker_rows)

        turn_rows = s.execute(
            select(TurnRow.id, TurnRow.document_id, TurnRow.start_offset, TurnRow.end_offset, TurnRow.speaker_id).where(
                TurnRow.document_id.in_(doc_ids)
            )
        ).all()
        sentence_rows = (
            s.execute(
                select(
                    SentenceRow.turn_id, SentenceRow.document_id, SentenceRow.start_offset, SentenceRow.end_offset
                ).where(SentenceRow.document_id.in_(doc_ids))
            ).all()
            if sentences
            else None
        )
        text_rows = (
            dict(s.execute(select(Document.id, Document.text).where(Document.id.in_(doc_ids))).all()) if texts else None
        )

        filters = []
        if scope.documents or scope.groups:
            filters.append(CodingRow.document_id.in_(doc_ids))
        if scope.coders:
            filters.append(CodingRow.coder_id.in_(coder_ids))
        if scope.codes:
            filters.append(CodingRow.code_id.in_(code_ids))
        coding_rows = _coding_rows(s, filters)

    kept = [t for t in turn_rows if keep_speaker(t.speaker_id)]
    kept.sort(key=lambda t: (doc_index[t.document_id], t.start_offset))
    turns = Spans.of(
        [doc_index[t.document_id] for t in kept], [t.start_offset for t in kept], [t.end_offset for t in kept]
    )
    turn_speaker = np.array([-1 if t.speaker_id is None else speaker_index[t.speaker_id] for t in kept], dtype=INT)

    code_map, coder_map, doc_map = (_dense(ids) for ids in (code_ids, coder_ids, doc_ids))
    code_of, coder_of, doc_of = (_get(m, coding_rows[:, i]) for i, m in enumerate((code_map, coder_map, doc_map)))
    inside = (code_of >= 0) & (coder_of >= 0) & (doc_of >= 0)
    if not inside.all():
        code_of, coder_of, doc_of, coding_rows = code_of[inside], coder_of[inside], doc_of[inside], coding_rows[inside]
    codings = Spans(doc_of, coding_rows[:, 3], coding_rows[:, 4])
    coding = np.arange(len(coding_rows), dtype=INT)
    if scope.by_turn:
        coding, codings = clip(codings, turns)
    sentence_spans = None
    if sentence_rows is not None:
        kept_ids = {t.id for t in kept}
        chosen = sorted(
            (doc_index[r.document_id], r.start_offset, r.end_offset) for r in sentence_rows if r.turn_id in kept_ids
        )
        sentence_spans = Spans.of([c[0] for c in chosen], [c[1] for c in chosen], [c[2] for c in chosen])
    return ReportData(
        documents=[d.name for d in docs],
        groups=[d.group_name for d in docs],
        codes=[all_paths[c] for c in code_ids],
        parents=parents,
        coders=coders,
        speakers=speakers,
        turns=turns,
        turn_speaker=turn_speaker,
        codings=codings,
        coding=coding,
        code=code_of[coding],
        coder=coder_of[coding],
        sentences=sentence_spans,
        texts=None if text_rows is None else [text_rows[i] for i in doc_ids],
        facts=_facts(scope, docs, coders),
    )


def _coding_rows(s: Session, filters: list[Any], pack: bool = True) -> np.ndarray:
    """(code, coder, document, start, end) of every coding that passes ``filters``, as an n × 5 array.

    A million codings are a million rows, and making Python objects of them is most of a report's
    cost. When the largest ids and offsets allow (``pack``), the database packs each coding into
    one 63-bit integer and joins them all into one text, which numpy parses in C: a million
    codings arrive in a third of a second instead of a second and a half.
    """
    bounds = s.execute(
        select(
            select(func.max(CodeRow.id)).scalar_subquery(),
            select(func.max(Coder.id)).scalar_subquery(),
            select(func.max(Document.id)).scalar_subquery(),
            select(func.max(func.length(Document.text))).scalar_subquery(),
        )
    ).one()
    sizes = [int(b or 0) + 1 for b in bounds[:3]] + [int(bounds[3] or 0) + 2] * 2  # an end may equal the length
    columns = (
        CodingRow.code_id,
        CodingRow.coder_id,
        CodingRow.document_id,
        CodingRow.start_offset,
        CodingRow.end_offset,
    )
    if not (pack and math.prod(sizes) < 2**63):
        rows = s.execute(select(*columns).where(*filters))
        return np.fromiter(itertools.chain.from_iterable(rows), dtype=INT).reshape(-1, 5)
    postgres = s.get_bind().dialect.name == "postgresql"
    key: Any = cast(columns[0], BigInteger) if postgres else columns[0]  # PostgreSQL's integers are 32 bits
    for column, size in zip(columns[1:], sizes[1:]):
        key = key * size + column
    joined = func.string_agg(cast(key, Text), " ") if postgres else func.group_concat(key, " ")
    text = s.execute(select(joined).where(*filters)).scalar()
    flat = np.fromstring(text, dtype=INT, sep=" ") if text else np.zeros(0, dtype=INT)
    out = np.empty((len(flat), 5), dtype=INT)
    for i in range(4, 0, -1):
        flat, out[:, i] = np.divmod(flat, sizes[i])
    out[:, 0] = flat
    return out


def _lookup(ids: list[int]) -> dict[int, int]:
    return {v: i for i, v in enumerate(ids)}


def _dense(ids: list[int]) -> np.ndarray:
    """A lookup array from database id to list index, −1 where the id is not in the list."""
    table = np.full(max(ids, default=0) + 1, -1, dtype=INT)
    table[np.array(ids, dtype=INT)] = np.arange(len(ids), dtype=INT)
    return table


def _get(table: np.ndarray, ids: np.ndarray) -> np.ndarray:
    inside = ids < len(table)
    return np.where(inside, table[np.where(inside, ids, 0)], -1)


_UNKNOWN = {
    "group": (Message("unknown group '{name}'"), Message("groups")),
    "coder": (Message("unknown coder '{name}'"), Message("coders")),
    "speaker": (Message("unknown speaker '{name}'"), Message("speakers")),
    "role": (Message("unknown role '{name}'"), Message("roles")),
}
"""What a report's filter says of a name it does not know, and what it lists instead."""


def _check(what: str, given: Any, known: set[str]) -> None:
    for name in given:
        if name not in known:
            head, noun = _UNKNOWN[what]
            raise not_found(Message(head.template, name=name), name, sorted(known), noun)


def _speaker_filter(scope: Scope, rows: Any) -> Any:
    """Which speaker ids' turns are kept (None is a turn without a speaker)."""
    if not scope.by_turn:
        return lambda _speaker_id: True
    names = {n for r in rows for n in (r.label, r.display_name, r.name) if n}
    _check("speaker", scope.speakers, names)
    _check("role", scope.roles, {r.role for r in rows if r.role})
    wanted = set(scope.speakers)
    roles = set(scope.roles)
    ok: set[int] = set()
    for r in rows:
        if wanted and not wanted & {r.label, r.display_name, r.name}:
            continue
        if roles and r.role not in roles:
            continue
        if scope.no_moderator and (r.role or "").strip().casefold() == MODERATOR:
            continue
        ok.add(r.id)
    keep_unlabelled = not (wanted or roles)
    return lambda speaker_id: keep_unlabelled if speaker_id is None else speaker_id in ok


def _facts(scope: Scope, docs: Any, coders: list[str]) -> list[str]:
    """What the report covers; Phrases, so that a picture or a screen can say them in the interface's language."""
    if len(docs) <= 6:
        facts: list[str] = [Phrase("documents: {n} ({names})", n=len(docs), names=", ".join(d.name for d in docs))]
    else:
        facts = [Phrase("documents: {n}", n=len(docs))]
    facts.append(Phrase("coders: {coders}", coders=", ".join(coders)) if coders else Phrase("coders: none"))
    if scope.speakers:
        facts.append(Phrase("speakers: {speakers}", speakers=", ".join(scope.speakers)))
    if scope.roles:
        facts.append(Phrase("roles: {roles}", roles=", ".join(scope.roles)))
    if scope.no_moderator:
        facts.append(Phrase("the moderator's turns are left out"))
    if scope.codes:
        facts.append(Phrase("codes: {codes} with their sub-codes", codes=", ".join(scope.codes)))
    return facts
