"""Make proposals and store them: from a model trained on a coder's codings, from a search, from a code's examples.

Nothing here writes a coding. Proposals are read in one transaction and stored in another (training
may take seconds, and must not hold the project's write lock meanwhile); the store re-checks that
each unit is still uncoded. A new run replaces the open proposals of the same code, coder and
source; decided ones stay, and rejected spans are never proposed again.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from typing import Any

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from mda_coder.analysis.suggest import featurize, fit, similar
from mda_coder.analysis.suggest.features import DESCRIPTION
from mda_coder.core.codebook import Texts
from mda_coder.core.errors import MdaError
from mda_coder.core.spans import Span
from mda_coder.i18n import Message
from mda_coder.services import corpus_search
from mda_coder.services.suggest import _units
from mda_coder.services.suggest._learn import Ground, enough, folds_of, ground, lemmatizer
from mda_coder.services.suggest._rows import model_json, values
from mda_coder.services.suggest._values import ModelInfo, Proposal, Suggested
from mda_coder.store import codes as code_repo
from mda_coder.store import codings as coding_repo
from mda_coder.store import documents as doc_repo
from mda_coder.store.engine import Database
from mda_coder.store.models import CodeRow, SentenceRow, SuggestionRow, TurnRow

KIND = "logistic regression"
DEFAULT_LIMIT = 20
DEFINITION_THRESHOLD = 0.2
"""How like one of a code's examples a unit must be (cosine of tf-idf rows, 0–1) to be proposed from the definition."""

CROSS_FOLDS = 3
"""Folds of the models that score the units the main model learned from as uncoded (see ``_from_model``)."""
SEED = 15
_Pick = tuple[int, float, dict[str, Any]]
"""A unit to propose: its index, its score, its reasons."""


def suggest(
    db: Database,
    *,
    coder: str,
    code: str,
    unit: str = "turn",
    limit: int | None = DEFAULT_LIMIT,
    teach: bool = False,
    consensus: bool = False,
    from_search: str | None = None,
    from_definition: bool = False,
) -> Suggested:
    """Propose ``code`` for ``coder``'s uncoded units and store the proposals (never a coding).

    From a model (the default) trained on ``coder``'s codings, or on the consensus codings with
    ``consensus``: the ``limit`` units it scores highest, or with ``teach`` those it is least sure of
    (score nearest 0.5). From a search (``from_search``): every unit a hit of the query lies in. From the
    definition (``from_definition``): the units like one of the code's examples.
    """
    if from_search is not None and from_definition:
        raise MdaError(Message("propose from a search or from the definition, not both at once"))
    if limit is not None and limit < 1:
        raise MdaError(Message("--limit must be 1 or more (got {limit})", limit=limit))
    now = datetime.now(UTC)
    with db.transaction() as s:
        g = ground(s, coder=coder, code=code, unit=unit, consensus=consensus)
        examples = _examples(s, g.code_id) if from_definition else []
    if from_search is not None:
        source, picks, model = "search", _from_search(db, g, from_search), _rule_model("search", from_search, g, now)
    elif from_definition:
        if not examples:
            raise MdaError(Message("code '{code}' has no examples in its definition to compare with", code=g.code))
        source, picks, model = "definition", _from_definition(g, examples), _rule_model("definition", g.code, g, now)
    else:
        enough(g)
        source = "model"
        picks, model = _from_model(g, limit or DEFAULT_LIMIT, teach, now)
    if limit is not None:
        picks = picks[:limit]
    with db.transaction() as s:
        replaced, rows = _store(s, g, source, model, picks, now)
        return Suggested(
            code=g.code,
            coder=g.coder,
            unit=unit,
            source=source,
            model=model,
            proposals=tuple(values(s, rows)),
            candidates=int(g.candidate.sum()),
            replaced=replaced,
        )


def _from_model(g: Ground, limit: int, teach: bool, now: datetime) -> tuple[list[_Pick], ModelInfo]:
    features = featurize(g.texts, lemmatizer(g.language))
    x = features.matrix
    labelled = np.flatnonzero(g.labelled)
    candidates = np.flatnonzero(g.candidate)
    scores = np.zeros(len(candidates))
    scorer = np.zeros(len(candidates), dtype=np.int64)
    models = [fit(x.take(labelled), g.positive[labelled])]
    # A candidate the model learned from as uncoded (in a document the coder has coded) is scored by
    # a model that did not see it, from folds of the labelled units: else it would only be told back
    # what it was taught, and nothing the coder missed would ever come up.
    fold = folds_of(labelled, g.positive, CROSS_FOLDS, np.random.default_rng(SEED))
    in_fold = {int(i): int(f) for i, f in zip(labelled.tolist(), fold.tolist())}
    for f in range(CROSS_FOLDS):
        train = labelled[fold != f]
        if g.positive[train].all() or not g.positive[train].any():
            models.append(models[0])
        else:
            models.append(fit(x.take(train), g.positive[train], start=models[0]))
    scorer = np.array([1 + in_fold[i] if i in in_fold else 0 for i in candidates.tolist()], dtype=np.int64)
    for k, model in enumerate(models):
        mine = np.flatnonzero(scorer == k)
        if len(mine):
            scores[mine] = model.scores(x.take(candidates[mine]))
    order = np.lexsort((candidates, np.abs(scores - 0.5))) if teach else np.lexsort((candidates, -scores))
    picks = []
    for k in order[:limit].tolist():
        i = int(candidates[k])
        words = features.contributions(i, models[int(scorer[k])].coefficients)
        reasons = {"words": [{"word": w, "lemma": lemma, "weight": v} for w, lemma, v in words]}
        picks.append((i, round(float(scores[k]), 4), reasons))
    info = ModelInfo(
        kind=KIND,
        trained_on=g.trained_on,
        codings=g.codings,
        positives=int(g.positive.sum()),
        negatives=int(g.negative.sum()),
        rejected=int(g.rejected.sum()),
        at=now,
        features=f"{DESCRIPTION}: {features.matrix.columns}",
        unit=g.unit,
    )
    return picks, info


def _rule_model(kind: str, what: str, g: Ground, now: datetime) -> ModelInfo:
    return ModelInfo(
        kind=kind,
        trained_on=what,
        codings=0,
        positives=0,
        negatives=0,
        rejected=int(g.rejected.sum()),
        at=now,
        features="",
        unit=g.unit,
    )


def _from_search(db: Database, g: Ground, query: str) -> list[_Pick]:
    """Every candidate unit a hit of ``query`` lies in (the one-document search, over every document)."""
    hits = find_everywhere(db, query)
    where: dict[int, list[int]] = {}
    starts: dict[int, list[int]] = {}
    for i, u in enumerate(g.units):
        where.setdefault(u.document_id, []).append(i)
        starts.setdefault(u.document_id, []).append(u.start)
    by_name = {u.document: u.document_id for u in g.units}
    picks: dict[int, _Pick] = {}
    for document, span, match, score in hits:
        d = by_name.get(document)
        if d is None:
            continue
        k = bisect_right(starts[d], span.start) - 1
        if k < 0:
            continue
        i = where[d][k]
        if g.units[i].end <= span.start or not g.candidate[i] or i in picks:
            continue
        picks[i] = (i, round(score / 100.0, 4), {"query": query, "match": match})
    return sorted(picks.values(), key=lambda p: p[0])


def find_everywhere(db: Database, query: str) -> list[tuple[str, Span, str, float]]:
    """``(document, span, match, score 0–100)`` of every hit of ``query`` in every document.

    The corpus search in its default mode: the words in every form (``tilltron`` for ``tilltro``), as
    ``mda-coder search`` finds them, never near spellings unless asked for there.
    """
    found = corpus_search.search_corpus(db, corpus_search.SearchRequest(query))
    return [(hit.document, hit.span, hit.match, hit.score) for hit in found.hits]


def queue_hits(db: Database, *, coder: str, code: str, request: corpus_search.SearchRequest) -> QueuedHits:
    """Every hit of a corpus search (its filters kept, no limit) queued for ``coder`` to review as ``code``.

    Each hit is queued at its sentence, the unit the search screen codes a hit at (its own words when it
    lies outside every sentence); a sentence with several hits is queued once. What is already coded,
    waiting or rejected is left out (:func:`queue`).
    """
    found = corpus_search.search_corpus(db, replace(request, limit=None))
    spans: dict[tuple[str, Span], None] = {}
    with db.transaction() as s:
        sentences: dict[str, tuple[list[int], list[int]]] = {}
        for hit in found.hits:
            if hit.document not in sentences:
                doc = doc_repo.get(s, hit.document)
                rows = s.execute(
                    select(SentenceRow.start_offset, SentenceRow.end_offset)
                    .where(SentenceRow.document_id == doc.id)
                    .order_by(SentenceRow.start_offset)
                ).all()
                sentences[hit.document] = ([r[0] for r in rows], [r[1] for r in rows])
            starts, ends = sentences[hit.document]
            k = bisect_right(starts, hit.span.start) - 1
            inside = k >= 0 and ends[k] > hit.span.start
            spans[(hit.document, Span(starts[k], ends[k]) if inside else hit.span)] = None
    queued = queue(db, coder=coder, code=code, spans=list(spans), source="search", reason=request.query)
    return QueuedHits(hits=found.total, units=len(spans), queued=len(queued))


@dataclass(frozen=True, slots=True)
class QueuedHits:
    """What queueing a search's hits did: how many hits, in how many units, of which how many were new to the queue."""

    hits: int
    units: int
    queued: int


def _examples(session: Session, code_id: int) -> list[str]:
    row = session.get(CodeRow, code_id)
    assert row is not None
    texts = Texts.of(row.example or None)
    found = []
    for _, text in texts.items:
        for line in text.splitlines():
            line = line.strip().lstrip("-•*").strip().strip("\"'“”„")
            if line:
                found.append(line)
    return found


def _from_definition(g: Ground, examples: list[str]) -> list[_Pick]:
    candidates = np.flatnonzero(g.candidate).tolist()
    scored = similar([g.texts[i] for i in candidates], examples, lemmatizer(g.language))
    picks = [
        (i, score, {"example": examples[which]})
        for i, (score, which) in zip(candidates, scored)
        if score >= DEFINITION_THRESHOLD
    ]
    return sorted(picks, key=lambda p: (-p[1], p[0]))


def _store(
    s: Session, g: Ground, source: str, model: ModelInfo, picks: Sequence[_Pick], now: datetime
) -> tuple[int, list[SuggestionRow]]:
    """Replace the open proposals of the code, coder and source with ``picks``; returns how many went and the rows."""
    replaced = s.execute(  # type: ignore[attr-defined] # a DELETE's result is a CursorResult, which has rowcount
        delete(SuggestionRow).where(
            SuggestionRow.code_id == g.code_id,
            SuggestionRow.coder_id == g.coder_id,
            SuggestionRow.source == source,
            SuggestionRow.status.in_(("open", "skipped")),
        )
    ).rowcount
    units = [g.units[i] for i, _, _ in picks]
    coded_now = _units.overlapping(units, _units.coded_spans(s, g.coder_id, g.code_id))
    rejected_now = _units.marked(units, _units.rejected_spans(s, g.coder_id, g.code_id))
    described = model_json(model)
    rows = []
    for (i, score, reasons), coded, rejected in zip(picks, coded_now.tolist(), rejected_now.tolist()):
        if coded or rejected:
            continue  # coded or rejected in another window since the units were read
        u = g.units[i]
        row = SuggestionRow(
            code_id=g.code_id,
            coder_id=g.coder_id,
            document_id=u.document_id,
            unit=g.unit,
            position=u.number,
            start_offset=u.start,
            end_offset=u.end,
            score=score,
            reasons=reasons,
            source=source,
            model=described,
            status="open",
            created_at=now,
        )
        s.add(row)
        rows.append(row)
    s.flush()
    return int(replaced or 0), rows


def queue(
    db: Database, *, coder: str, code: str, spans: Sequence[tuple[str, Span]], source: str, reason: str
) -> list[Proposal]:
    """Put spans (e.g. every hit of a search) in ``coder``'s review queue for ``code``, as they are.

    A span the coder has already coded with the code (one of their codings of it overlaps the span, as
    a unit counts as coded when learning), has rejected, or that is already waiting, is left out. ``reason`` is the query (for a search) or the example (for a definition). Returns what
    was queued.
    """
    if source not in ("search", "definition"):
        raise MdaError(Message("unknown source '{source}' (sources: search, definition)", source=source))
    now = datetime.now(UTC)
    with db.transaction() as s:
        code_row = code_repo.resolve(s, code)
        coder_row = coding_repo.coder(s, coder)
        waiting = {
            (d, start, end)
            for d, start, end in s.execute(
                select(SuggestionRow.document_id, SuggestionRow.start_offset, SuggestionRow.end_offset).where(
                    SuggestionRow.coder_id == coder_row.id,
                    SuggestionRow.code_id == code_row.id,
                    SuggestionRow.status.in_(("open", "skipped", "rejected")),
                )
            )
        }
        coded = _units.coded_spans(s, coder_row.id, code_row.id)
        model = {"kind": source, "trained_on": reason, "at": now.isoformat(timespec="seconds"), "unit": "span"}
        reasons: dict[str, Any] = {"query": reason, "match": source} if source == "search" else {"example": reason}
        rows = []
        for name, span in spans:
            doc = doc_repo.get(s, name)
            if not 0 <= span.start < span.end <= len(doc.text):
                raise MdaError(
                    Message(
                        "document '{document}': no text at {start}-{end}", document=name, start=span.start, end=span.end
                    )
                )
            key = (doc.id, span.start, span.end)
            if key in waiting or any(start < span.end and end > span.start for start, end in coded.get(doc.id, ())):
                continue
            waiting.add(key)
            unit, number = _unit_of(s, doc.id, span)
            row = SuggestionRow(
                code_id=code_row.id,
                coder_id=coder_row.id,
                document_id=doc.id,
                unit=unit,
                position=number,
                start_offset=span.start,
                end_offset=span.end,
                score=1.0,
                reasons=reasons,
                source=source,
                model=model,
                status="open",
                created_at=now,
            )
            s.add(row)
            rows.append(row)
        s.flush()
        return values(s, rows)


def _unit_of(s: Session, document_id: int, span: Span) -> tuple[str, int | None]:
    """``turn``/``sentence`` and its number when ``span`` is exactly one, else ``span``."""
    turn = s.scalar(
        select(TurnRow.position).where(
            TurnRow.document_id == document_id, TurnRow.start_offset == span.start, TurnRow.end_offset == span.end
        )
    )
    if turn is not None:
        return "turn", turn
    sentence = s.scalar(
        select(SentenceRow.position).where(
            SentenceRow.document_id == document_id,
            SentenceRow.start_offset == span.start,
            SentenceRow.end_offset == span.end,
        )
    )
    return ("sentence", sentence) if sentence is not None else ("span", None)
