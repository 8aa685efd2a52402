"""Search use cases: codes by fuzzy name, a document's text, and every coded excerpt of a code."""

from __future__ import annotations

from bisect import bisect_right

from sqlalchemy import select

from mda_coder.core.errors import MdaError
from mda_coder.core.search import Excerpt, Hit
from mda_coder.core.spans import Span
from mda_coder.i18n import Message
from mda_coder.nlp import search as text_search
from mda_coder.store import codes as code_repo
from mda_coder.store import codings as coding_repo
from mda_coder.store import documents as doc_repo
from mda_coder.store import settings
from mda_coder.store.engine import Database
from mda_coder.store.models import Coder, CodeRow, CodingRow, Document, Speaker, TurnRow

MODES = ("auto", "exact", "lemma", "fuzzy")


def find_in_document(db: Database, document: str, query: str, *, mode: str = "auto") -> list[Hit]:
    """Where ``query`` occurs in the turns of ``document``, in text order.

    ``exact`` ignores case; ``lemma`` finds other forms of the words (``tilltron`` for
    ``tilltro``, ``rättigheterna`` for ``rättighet``) where the language has a word list (see
    :func:`word_forms_note`); ``fuzzy`` forgives typos and diacritics (``tiltro``, ``rattigheter``).
    ``auto`` gives the exact hits if there are any, else the lemma hits, else the fuzzy ones;
    each hit says which it is.
    """
    if mode not in MODES:
        raise MdaError(Message("unknown search mode '{mode}' (modes: {modes})", mode=mode, modes=", ".join(MODES)))
    with db.transaction() as s:
        doc = doc_repo.get(s, document)
        text, language = doc.text, settings.get(s, "language") or "sv"
        rows = s.execute(
            select(TurnRow.position, TurnRow.start_offset, TurnRow.end_offset)
            .where(TurnRow.document_id == doc.id)
            .order_by(TurnRow.start_offset)
        ).all()
    turns = [Span(start, end) for _, start, end in rows]
    numbers = [position for position, _, _ in rows]
    if not query.strip():
        return []

    def hits(spans: list[Span], how: str, scores: list[float] | None = None) -> list[Hit]:
        result = []
        starts = [t.start for t in turns]
        for n, span in enumerate(spans):
            i = bisect_right(starts, span.start) - 1
            turn_text = turns[i].of(text)
            result.append(
                Hit(
                    turn=numbers[i],
                    span=span,
                    text=span.of(text),
                    snippet=text_search.snippet(turn_text, span.shifted(-turns[i].start)),
                    match=how,
                    score=scores[n] if scores else 100.0,
                )
            )
        return result

    if mode in ("auto", "exact"):
        found = text_search.find_exact(text, query, turns)
        if found or mode == "exact":
            return hits(found, "exact")
    if mode in ("auto", "lemma"):
        lemmatize = text_search.lemma_lookup(language)
        if lemmatize is None and mode == "lemma":
            raise MdaError(_no_word_forms(language))
        if lemmatize is not None:
            found = text_search.find_lemma(text, query, lemmatize, turns)
            if found or mode == "lemma":
                return hits(found, "lemma")
    fuzzy = text_search.find_fuzzy(text, query, turns)
    return hits([span for span, _ in fuzzy], "fuzzy", [score for _, score in fuzzy])


def word_forms_note(db: Database) -> str | None:
    """What to tell a searcher when other forms of a word cannot be found in the project's language, else None.

    Searching then matches the exact text and near spellings only; a screen that does not say
    so would let a missing ``rättigheterna`` pass for an absent ``rättighet``.
    """
    with db.transaction() as s:
        language = settings.get(s, "language") or "sv"
    return None if text_search.word_forms_available(language) else _no_word_forms(language)


def _no_word_forms(language: str) -> str:
    return Message("other word forms: not available for {language}", language=language)


def code_excerpts(
    db: Database, code: str, *, coder: str | None = None, include_children: bool = False
) -> list[Excerpt]:
    """Every coded passage of ``code`` (and of its sub-codes, with ``include_children``) in all documents.

    In document order, then text order; only ``coder``'s when given.
    """
    with db.transaction() as s:
        root = code_repo.resolve(s, code)
        ids = {root.id}
        if include_children:
            frontier = [root.id]
            while frontier:
                frontier = list(s.scalars(select(CodeRow.id).where(CodeRow.parent_id.in_(frontier))))
                ids.update(frontier)
        query = (
            select(CodingRow, Coder.name)
            .join(Coder, CodingRow.coder_id == Coder.id)
            .where(CodingRow.code_id.in_(ids))
            .order_by(CodingRow.document_id, CodingRow.start_offset, CodingRow.end_offset, CodingRow.id)
        )
        if coder is not None:
            query = query.where(CodingRow.coder_id == coding_repo.coder(s, coder, create=False).id)
        paths = code_repo.paths(s)
        documents: dict[int, tuple[Document, list[int], list[tuple[int, int, str | None, str | None]]]] = {}
        result = []
        for row, coder_name in s.execute(query):
            if row.document_id not in documents:
                doc = s.get(Document, row.document_id)
                assert doc is not None
                turn_rows = s.execute(
                    select(TurnRow.start_offset, TurnRow.end_offset, TurnRow.position, Speaker.label, Speaker.role)
                    .outerjoin(Speaker, TurnRow.speaker_id == Speaker.id)
                    .where(TurnRow.document_id == doc.id)
                    .order_by(TurnRow.start_offset)
                ).all()
                documents[doc.id] = (doc, [t[0] for t in turn_rows], [(t[1], t[2], t[3], t[4]) for t in turn_rows])
            doc, starts, info = documents[row.document_id]
            i = bisect_right(starts, row.start_offset) - 1
            end, turn, speaker, role = info[i] if i >= 0 else (0, None, None, None)
            if i >= 0 and row.start_offset >= end:
                turn = speaker = role = None
            span = Span(row.start_offset, row.end_offset)
            result.append(
                Excerpt(
                    coding_id=row.id,
                    document=doc.name,
                    group=doc.group_name,
                    turn=turn,
                    speaker=speaker,
                    role=role,
                    span=span,
                    text=span.of(doc.text),
                    coder=coder_name,
                    code_path=paths[row.code_id],
                    memo=row.memo,
                )
            )
        return result
