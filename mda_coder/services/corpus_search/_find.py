"""Search every document: the index finds the rows that may hold a hit, the span finders find the hits in them.

The index (``store/search_index``) is asked for the rows holding every query word in one of its accepted
forms (the project's word forms whose lemma is the query's: ``store.search_index.FORMS``); each such row's
text is then searched for those forms as whole words (``nlp.search.find_forms``) for the exact code-point
spans, so a hit is always where the words are, whatever the index's tokeniser made of them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace

from rapidfuzz import fuzz, process
from sqlalchemy import Connection, select
from sqlalchemy.orm import Session

from mda_coder.core.errors import MdaError
from mda_coder.core.names import not_found
from mda_coder.core.spans import Span
from mda_coder.i18n import Message
from mda_coder.nlp.search import FUZZY_CUTOFF, Lemmatizer, find_forms, fold, forms_pattern
from mda_coder.nlp.words import collation_key, known_word, lemma_lookup, word_forms_available, words
from mda_coder.services.corpus_search._values import MATCHES, MODES, SORTS, CorpusHit, CorpusSearch, SearchRequest
from mda_coder.store import codes as code_repo
from mda_coder.store import codings as coding_repo
from mda_coder.store import documents as doc_repo
from mda_coder.store import search_index, settings
from mda_coder.store.engine import Database
from mda_coder.store.models import CodingRow, Document, Person, Speaker

MODERATOR = "moderator"
"""The role the importer gives interviewers and moderators (as reports have it)."""
MIN_REST = 3
"""The shortest word a compound's other part may be (``själv`` in ``självtilltro``): shorter ones are mostly noise."""
LINKS = ("s", "e")
"""Swedish and Danish linking letters between a compound's parts (``arbets``+``marknad``, ``borger``+``e``…)."""
MOST_TERMS = 200
"""The most compounds or near spellings one query word brings in: more would be a different search."""


@dataclass
class _Word:
    """What one query word accepts: its forms, compounds with it as head, and near spellings (with scores)."""

    word: str
    lemmas: frozenset[str] = frozenset()
    compounds: frozenset[str] = frozenset()
    near: dict[str, float] = field(default_factory=dict)


def search_corpus(db: Database, request: SearchRequest) -> CorpusSearch:
    """Every place in the project that matches ``request.query``, with its speaker, turn and context.

    ``exact`` finds the words as written (case aside); ``lemma`` also their other forms (``tilltron``,
    ``Tilltro``, ``tilltrons`` for ``tilltro``); ``auto`` is ``lemma`` where the project's language has
    word forms, else ``exact`` (and says so); ``fuzzy`` adds near spellings from the project's own
    words (``tiltro``). ``compounds`` adds words whose head is a query word (``självtilltro``).
    Several words are a phrase: the words in a row, each in any form the mode accepts.
    """
    _check(request)
    wanted = [w.lower() for w in _query_words(request.query)]
    with db.transaction() as s:
        conn = s.connection()
        language = settings.get(s, "language") or "sv"
        has_forms = word_forms_available(language)
        notes: list[str] = []
        mode = request.mode
        if mode == "auto":
            mode = "lemma" if has_forms else "exact"
        lemmatize = lemma_lookup(language) if mode != "exact" or request.compounds else None
        if (request.mode != "exact" or request.compounds) and (lemmatize is None or not has_forms):
            missing = Message("other word forms: not available for {language}", language=language)
            if request.mode == "lemma" or request.compounds:  # asked for by name: matching less would pass for it
                raise MdaError(missing)
            notes.append(missing)
        if not wanted:
            return CorpusSearch(request.query, mode, (), 0, has_forms, tuple(notes))
        query = [_Word(w) for w in wanted]
        if lemmatize is not None and mode != "exact":
            for q in query:
                q.lemmas = frozenset({q.word, lemmatize(q.word)})
        if request.compounds:
            _add_compounds(conn, query, lemmatize, language)
        if mode == "fuzzy":
            _add_near(conn, query)
        terms = sorted({t for q in query for t in (*q.compounds, *q.near)} - set(wanted))
        if request.compounds and not any(q.compounds for q in query):
            notes.append(Message("no compound in the project has the query as its head"))
        keep = _filters(s, request)
        accepted = [_accepted(conn, q) for q in query]
        if mode == "exact" and not request.compounds:
            wants = [search_index.Want((" ".join(wanted),), ("text",))]
        else:
            wants = [search_index.Want(tuple(each), ("text",)) for each in accepted]
        pattern = forms_pattern(tuple(frozenset(each) for each in accepted))
        hits: list[CorpusHit] = []
        for row in search_index.candidates(conn, wants):
            if not keep(row):
                continue
            for span, found in find_forms(row.text, pattern):
                how = [accepted[i].get(form, ("exact", 100.0)) for i, form in enumerate(found)]
                hit = _hit(row, span, how, request.context)
                if keep.codes(row.document_id, hit.span):
                    hits.append(hit)
    hits = _sorted(hits, request.sort, language)
    shown = hits if request.limit is None else hits[: request.limit]
    return CorpusSearch(request.query, mode, tuple(shown), len(hits), has_forms, tuple(notes), tuple(terms))


def _check(request: SearchRequest) -> None:
    if request.mode not in MODES:
        raise MdaError(
            Message("unknown search mode '{mode}' (modes: {modes})", mode=request.mode, modes=", ".join(MODES))
        )
    if request.sort not in SORTS:
        raise MdaError(Message("unknown sort '{sort}' (sorts: {sorts})", sort=request.sort, sorts=", ".join(SORTS)))
    if request.limit is not None and request.limit < 1:
        raise MdaError(Message("--limit must be 1 or more, not {n}", n=request.limit))


def _query_words(query: str) -> list[str]:
    """The query's words; quotes around a phrase (``"sociala rättigheter"``) are only quotes."""
    text = query.strip().strip("\"'“”„«»")
    return [text[a:b] for a, b in words(text)]


def _add_compounds(conn: Connection, query: list[_Word], lemmatize: Lemmatizer | None, language: str) -> None:
    """Words of the project (their lemmas) that end in a query word's lemma after another word of at least ``MIN_REST``.

    ``självtilltro`` has the head ``tilltro`` (``själv`` is a word); ``arbetsmarknaden`` the head ``marknad``
    (``arbets`` is ``arbete`` with its linking ``s``); ``kontroll`` has no head ``roll`` (``kont`` is no word).
    The other part is a word when simplemma's list or the project's own words hold it.
    """
    known = known_word(language)
    own = set(search_index.vocabulary(conn, "lemmas"))

    def is_word(part: str) -> bool:
        part = part.rstrip("-")
        candidates = [part] + [part[:-1] for link in LINKS if part.endswith(link)]
        return any(len(p) >= MIN_REST and (p in own or (known is not None and known(p))) for p in candidates)

    for q in query:
        heads = {q.word, lemmatize(q.word) if lemmatize is not None else q.word}
        found: set[str] = set()
        for head in heads:
            for term in search_index.vocabulary(conn, "lemmas", head):
                if term != head and term.endswith(head) and is_word(term[: -len(head)]):
                    found.add(term)
        q.compounds = frozenset(sorted(found)[:MOST_TERMS])


def _add_near(conn: Connection, query: list[_Word]) -> None:
    """Words of the project spelled nearly like a query word (case and diacritics aside), with their likeness."""
    vocabulary = search_index.vocabulary(conn, "text")
    folded = [fold(t) for t in vocabulary]
    for q in query:
        matches = process.extract(fold(q.word), folded, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=MOST_TERMS)
        q.near = {vocabulary[i]: round(fuzz.ratio(q.word, vocabulary[i]), 1) for _, _, i in matches}


def _accepted(conn: Connection, q: _Word) -> dict[str, tuple[str, float]]:
    """The word forms (lowercase) a query word stands for, each with how it matches: the closest way first.

    Other forms and compounds are the project's own forms whose lemma (or which themselves) are the query
    word's lemmas or its compounds (``store.search_index.FORMS``); near spellings come with their likeness.
    """
    found: dict[str, tuple[str, float]] = {q.word: ("exact", 100.0)}
    if q.lemmas:
        for form in search_index.forms_for(conn, q.lemmas):
            found.setdefault(form, ("lemma", 100.0))
    if q.compounds:
        for form in search_index.forms_for(conn, q.compounds):
            found.setdefault(form, ("compound", 100.0))
    for form, score in q.near.items():
        found.setdefault(form, ("fuzzy", score))
    return found


class _Keep:
    """Whether a candidate row, and then a hit in it, passes the request's filters."""

    def __init__(
        self, request: SearchRequest, coded: dict[int, list[Span]] | None, barred: dict[int, list[Span]] | None
    ):
        self.request = request
        self.coded = coded
        self.barred = barred

    def __call__(self, row: search_index.Candidate) -> bool:
        r = self.request
        if r.documents and row.document not in r.documents:
            return False
        if r.groups and row.group not in r.groups:
            return False
        if r.speakers and row.speaker not in r.speakers and row.name not in r.speakers:
            return False
        if r.roles and row.role not in r.roles:
            return False
        return not (r.no_moderator and (row.role or "").casefold() == MODERATOR)

    def codes(self, document_id: int, span: Span) -> bool:
        if self.coded is not None and not any(c.contains(span) for c in self.coded.get(document_id, ())):
            return False
        return self.barred is None or not any(c.overlaps(span) for c in self.barred.get(document_id, ()))


def _filters(s: Session, request: SearchRequest) -> _Keep:
    """The request's filters, each name checked: a name nobody has is a mistake to say, not an empty result."""
    for name in request.documents:
        doc_repo.get(s, name)
    if request.groups:
        _known(request.groups, s.scalars(select(Document.group_name).distinct()), _no_group, Message("groups"))
    if request.speakers:
        rows = s.execute(
            select(Speaker.label, Speaker.display_name, Person.name).outerjoin(Person, Speaker.person_id == Person.id)
        ).all()
        _known(request.speakers, (n for row in rows for n in row), _no_speaker, Message("speakers"))
        # a person's name stands for each label linked to it, also where a display name is shown instead
        linked = {row[0] for row in rows if row[2] in request.speakers or row[1] in request.speakers}
        request = _with_speakers(request, linked)
    if request.roles:
        _known(request.roles, s.scalars(select(Speaker.role).distinct()), _no_role, Message("roles"))
    coder_id = coding_repo.coder(s, request.coder, create=False).id if request.coder is not None else None
    coded = _coded(s, request.code, coder_id) if request.code is not None else None
    barred = _coded(s, request.not_code, coder_id) if request.not_code is not None else None
    return _Keep(request, coded, barred)


def _no_group(name: str) -> str:
    return Message("no group called '{name}'", name=name)


def _no_speaker(name: str) -> str:
    return Message("no speaker called '{name}'", name=name)


def _no_role(name: str) -> str:
    return Message("no speaker has the role '{name}'", name=name)


def _with_speakers(request: SearchRequest, labels: set[str]) -> SearchRequest:
    return replace(request, speakers=tuple(sorted(set(request.speakers) | labels)))


def _known(names: Iterable[str], known: Iterable[str | None], head: Callable[[str], str], noun: str) -> None:
    have = sorted({k for k in known if k})
    for name in names:
        if name not in have:
            raise not_found(head(name), name, have, noun)


def _coded(s: Session, code: str, coder_id: int | None) -> dict[int, list[Span]]:
    """Per document, the spans coded with ``code`` or a code under it (by one coder, when given)."""
    ids = code_repo.families(s, [code])
    query = select(CodingRow.document_id, CodingRow.start_offset, CodingRow.end_offset).where(
        CodingRow.code_id.in_(ids)
    )
    if coder_id is not None:
        query = query.where(CodingRow.coder_id == coder_id)
    found: dict[int, list[Span]] = {}
    for doc_id, start, end in s.execute(query):
        found.setdefault(doc_id, []).append(Span(start, end))
    return found


def _hit(row: search_index.Candidate, span: Span, how: list[tuple[str, float]], context: int) -> CorpusHit:
    match = max((kind for kind, _ in how), key=MATCHES.index)
    left, right = _context(row.text, span, context)
    return CorpusHit(
        document=row.document,
        group=row.group,
        turn=row.turn,
        speaker=row.speaker,
        name=row.name,
        role=row.role,
        span=span.shifted(row.start),
        text=span.of(row.text),
        match=match,
        score=min(score for _, score in how),
        left=left,
        right=right,
    )


_NON_WORD = re.compile(r"\W")
_LAST_WORD = re.compile(r"\W\w*$")


def _context(text: str, span: Span, width: int) -> tuple[str, str]:
    """About ``width`` characters either side of ``span`` in ``text``, cut at whole words, on one line."""
    start = max(0, span.start - width)
    if start > 0 and text[start - 1].isalnum():
        cut = _NON_WORD.search(text, start, span.start)
        start = cut.end() if cut else span.start
    end = min(len(text), span.end + width)
    if end < len(text) and text[end].isalnum():
        cut = _LAST_WORD.search(text, span.end, end)
        end = cut.start() if cut else span.end
    return " ".join(text[start : span.start].split()), " ".join(text[span.end : end].split())


def _sort_key(text: str, language: str) -> list[str]:
    return [collation_key(text[a:b], language) for a, b in words(text)]


def _sorted(hits: list[CorpusHit], order: str, language: str) -> list[CorpusHit]:
    """In text order; or by the words just left of the hit, nearest first (a concordance's left sort); or right of it.

    Words compare as the project language's alphabet orders them (Swedish å, ä, ö after z).
    """
    in_text = sorted(hits, key=lambda h: (h.document, h.span.start))
    if order == "left":
        return sorted(in_text, key=lambda h: (_sort_key(h.left, language)[::-1], _sort_key(h.text, language)))
    if order == "right":
        return sorted(in_text, key=lambda h: (_sort_key(h.text, language), _sort_key(h.right, language)))
    return in_text
