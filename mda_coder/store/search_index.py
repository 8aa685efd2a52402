"""The corpus search index: per turn (and per stretch of text outside the turns) its words and their lemmas.

SQLite keeps it in an FTS5 table, ``search_index``, tokenised ``unicode61 remove_diacritics 0``: å, ä and ö
are letters of their own (``får`` is not ``far``), case is folded. PostgreSQL keeps the same rows in an
ordinary table with two ``tsvector`` columns (``simple`` configuration: lowercased, nothing stemmed or
unaccented) under GIN indexes. The ``lemmas`` column holds each word's lemma, lowercase, in text order
(greedy simplemma also takes compounds apart: ``jobbfokuset`` → ``jobbfokus``), so a phrase of lemmas is a
phrase there too.

The index only narrows a search to candidate rows: the exact code-point spans are found again in each
row's text (``services/corpus_search``), so it never has to agree with our own idea of a word to the letter.

:func:`index_document` is the one way a document's rows are (re)made; every write that adds, removes
or changes a document's text or turns calls it (or :func:`drop_document`) in the same transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Connection, select, text

from mda_coder.nlp.words import WORD, Lemmatizer, lemma_lookup, words
from mda_coder.store.models import Document, Setting, Speaker, TurnRow

TABLE = "search_index"
FORMS = "search_forms"
"""Each document's word forms (lowercase) with their lemmas: which forms a search for a lemma looks for.

Kept per document, so that it goes and comes back with the document (a removal, its undo) and equals a rebuild."""
VOCABULARY = "search_vocab"
"""SQLite only: an ``fts5vocab`` table over the index (term, column, rows, occurrences)."""

Entry = tuple[int, int | None, int, int, str, str]
"""One row of the index: (document id, turn number or None outside the turns, start, end, text, lemmas)."""


def create(conn: Connection) -> None:
    """The index's table (and on SQLite its vocabulary), if missing: the DDL of migration 10."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {TABLE} USING fts5(text, lemmas, document_id UNINDEXED, "
            "turn UNINDEXED, start_offset UNINDEXED, end_offset UNINDEXED, "
            "tokenize = 'unicode61 remove_diacritics 0')"
        )
        conn.exec_driver_sql(f"CREATE VIRTUAL TABLE IF NOT EXISTS {VOCABULARY} USING fts5vocab({TABLE}, 'col')")
        conn.exec_driver_sql(
            f"CREATE TABLE IF NOT EXISTS {FORMS} (document_id INTEGER NOT NULL, form TEXT NOT NULL, "
            "lemma TEXT NOT NULL, PRIMARY KEY (document_id, form)) WITHOUT ROWID"
        )
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_{FORMS}_lemma ON {FORMS} (lemma)")
        conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_{FORMS}_form ON {FORMS} (form)")
        return
    conn.exec_driver_sql(
        f"CREATE TABLE IF NOT EXISTS {TABLE} ("
        "id SERIAL PRIMARY KEY, "
        "document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE, "
        "turn INTEGER, start_offset INTEGER NOT NULL, end_offset INTEGER NOT NULL, "
        "text TEXT NOT NULL, lemmas TEXT NOT NULL, "
        "text_tsv TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', text)) STORED, "
        "lemma_tsv TSVECTOR GENERATED ALWAYS AS (to_tsvector('simple', lemmas)) STORED)"
    )
    conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_document ON {TABLE} (document_id)")
    conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_text ON {TABLE} USING gin (text_tsv)")
    conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_{TABLE}_lemmas ON {TABLE} USING gin (lemma_tsv)")
    conn.exec_driver_sql(
        f"CREATE TABLE IF NOT EXISTS {FORMS} (document_id INTEGER NOT NULL REFERENCES documents (id) ON DELETE CASCADE, "
        "form TEXT NOT NULL, lemma TEXT NOT NULL, PRIMARY KEY (document_id, form))"
    )
    conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_{FORMS}_lemma ON {FORMS} (lemma)")
    conn.exec_driver_sql(f"CREATE INDEX IF NOT EXISTS ix_{FORMS}_form ON {FORMS} (form)")


def present(conn: Connection) -> bool:
    """Whether the project has the index's table (a project not yet at schema 10 has not)."""
    if conn.dialect.name == "sqlite":
        found = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = ?", (TABLE,)).first()
    else:
        found = conn.execute(text("SELECT to_regclass(:t)"), {"t": TABLE}).scalar()
    return found is not None


def lemmatizer(conn: Connection) -> Lemmatizer | None:
    """The project language's lemmatiser (``None`` where simplemma has no list: lemmas are then the words)."""
    language = conn.scalar(select(Setting.value).where(Setting.key == "language")) or "sv"
    return lemma_lookup(language)


def regions(
    document_text: str, turns: Sequence[tuple[int | None, int, int]], labels: Iterable[str] = ()
) -> list[tuple[int | None, int, int]]:
    """The document's turns ``(number, start, end)`` and every stretch between them that holds a word, in order.

    A title line, a note before the first speaker: nothing of a document's text is left unsearchable.
    A stretch that holds only speaker labels (``R1:``) and numbers (times) is the turns' markup, not text.
    """
    markup = {word.lower() for label in labels for word in _words_of(label)}

    def has_text(start: int, end: int) -> bool:
        found = _words_of(document_text[start:end])
        return any(not w.isdigit() and w.lower() not in markup for w in found)

    result: list[tuple[int | None, int, int]] = []
    at = 0
    for number, start, end in sorted(turns, key=lambda t: t[1]):
        if start > at and has_text(at, start):
            result.append((None, at, start))
        result.append((number, start, end))
        at = max(at, end)
    if at < len(document_text) and has_text(at, len(document_text)):
        result.append((None, at, len(document_text)))
    return result


def _words_of(part: str) -> list[str]:
    return [part[start:end] for start, end in words(part)]


def lemmas_of(region_text: str, lemmatize: Lemmatizer | None, forms: dict[str, str] | None = None) -> str:
    """The lemma of each word of ``region_text``, lowercase, in order, separated by spaces (one token each).

    ``forms``, when given, gets each word form with its lemma (what :func:`forms_of` would read back).
    """
    words_here = WORD.findall(region_text.lower())  # one pass in C, no span per word
    lemmas = words_here if lemmatize is None else ["".join(lemma.split()) for lemma in map(lemmatize, words_here)]
    if forms is not None:
        forms.update(zip(words_here, lemmas, strict=True))
    return " ".join(lemmas)


def forms_of(entries: Iterable[Entry]) -> dict[str, str]:
    """Each word form (lowercase) of the entries' text with its lemma, read from the entries' own lemma column."""
    found: dict[str, str] = {}
    for entry in entries:
        found.update(zip(WORD.findall(entry[4].lower()), entry[5].split(" "), strict=False))
    return found


def entries_for(
    conn: Connection, doc_id: int, lemmatize: Lemmatizer | None, forms: dict[str, str] | None = None
) -> list[Entry]:
    """What the index should hold for a document, made afresh from its text and turns (its forms into ``forms``)."""
    document_text = conn.scalar(select(Document.text).where(Document.id == doc_id))
    if document_text is None:
        return []
    turns = conn.execute(
        select(TurnRow.position, TurnRow.start_offset, TurnRow.end_offset).where(TurnRow.document_id == doc_id)
    ).all()
    labels = conn.scalars(select(Speaker.label).where(Speaker.document_id == doc_id)).all()
    result: list[Entry] = []
    for number, start, end in regions(document_text, [(t[0], t[1], t[2]) for t in turns], labels):
        part = document_text[start:end]
        result.append((doc_id, number, start, end, part, lemmas_of(part, lemmatize, forms)))
    return result


ROWS_PER_DOCUMENT = 1 << 20
"""SQLite: a document's rows have the rowids ``id × ROWS_PER_DOCUMENT + i``. FTS5 finds a rowid range at once,
while a ``document_id`` (an unindexed column) it can only find by reading every row: an import would read
the whole index once per document."""


def drop_document(conn: Connection, doc_id: int) -> None:
    """Take a document's rows out of the index (its removal; before it is indexed again)."""
    conn.execute(text(f"DELETE FROM {FORMS} WHERE document_id = :d"), {"d": doc_id})
    if conn.dialect.name == "sqlite":
        low = doc_id * ROWS_PER_DOCUMENT
        conn.execute(
            text(f"DELETE FROM {TABLE} WHERE rowid >= :lo AND rowid < :hi"), {"lo": low, "hi": low + ROWS_PER_DOCUMENT}
        )
    else:
        conn.execute(text(f"DELETE FROM {TABLE} WHERE document_id = :d"), {"d": doc_id})


def index_document(conn: Connection, doc_id: int, lemmatize: Lemmatizer | None = None) -> int:
    """(Re)index one document from its text and turns, in the caller's transaction; returns the rows written.

    The one function that writes a document's rows: an import, a removal's undo, a merge that brings
    a document in, and any later change to a document's text or turns call it. ``lemmatize`` defaults
    to the project language's (:func:`lemmatizer`); a caller indexing many documents passes it once.
    """
    drop_document(conn, doc_id)
    forms: dict[str, str] = {}
    rows = entries_for(conn, doc_id, lemmatize if lemmatize is not None else lemmatizer(conn), forms)
    _insert(conn, rows)
    _insert_forms(conn, doc_id, forms)
    return len(rows)


def _insert_forms(conn: Connection, doc_id: int, forms: dict[str, str]) -> None:
    if not forms:
        return
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    conn.exec_driver_sql(
        f"INSERT INTO {FORMS} (document_id, form, lemma) VALUES ({mark}, {mark}, {mark})",
        [(doc_id, form, lemma) for form, lemma in sorted(forms.items())],
    )


def forms_for(conn: Connection, keys: Iterable[str]) -> dict[str, str]:
    """The word forms of the project whose lemma, or which themselves, are among ``keys``; with their lemmas."""
    wanted = sorted(set(keys))
    found: dict[str, str] = {}
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        marks = ", ".join(f":k{i}" for i in range(len(chunk)))
        params = {f"k{i}": k for i, k in enumerate(chunk)}
        rows = conn.execute(
            text(f"SELECT DISTINCT form, lemma FROM {FORMS} WHERE lemma IN ({marks}) OR form IN ({marks})"), params
        )
        found.update((str(form), str(lemma)) for form, lemma in rows)
    return found


def _insert(conn: Connection, rows: Sequence[Entry]) -> None:
    if not rows:
        return
    columns = "document_id, turn, start_offset, end_offset, text, lemmas"
    if conn.dialect.name == "sqlite":
        first = rows[0][0] * ROWS_PER_DOCUMENT
        conn.exec_driver_sql(
            f"INSERT INTO {TABLE} (rowid, {columns}) VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(first + i, *row) for i, row in enumerate(rows)],
        )
    else:
        conn.exec_driver_sql(f"INSERT INTO {TABLE} ({columns}) VALUES (%s, %s, %s, %s, %s, %s)", list(rows))


def rebuild(conn: Connection) -> int:
    """Index every document again from scratch (migration 10, ``doctor --repair``, a copy to a server); rows written."""
    conn.execute(text(f"DELETE FROM {TABLE}"))
    conn.execute(text(f"DELETE FROM {FORMS}"))
    lemmatize = lemmatizer(conn)
    total = 0
    for doc_id in conn.scalars(select(Document.id).order_by(Document.id)).all():
        total += index_document(conn, doc_id, lemmatize)
    return total


def entries(conn: Connection, doc_ids: Iterable[int] | None = None) -> list[Entry]:
    """The index's rows as stored (of some documents, or all), sorted: for checking it against a rebuild."""
    rows = conn.execute(text(f"SELECT document_id, turn, start_offset, end_offset, text, lemmas FROM {TABLE}")).all()
    wanted = None if doc_ids is None else set(doc_ids)
    found = [
        (int(r[0]), None if r[1] is None else int(r[1]), int(r[2]), int(r[3]), str(r[4]), str(r[5]))
        for r in rows
        if wanted is None or int(r[0]) in wanted
    ]
    return sorted(found, key=lambda e: (e[0], e[2], e[3]))


def stale_documents(conn: Connection) -> list[int]:
    """The documents whose rows in the index differ from what their text and turns give now (and rows of none)."""
    lemmatize = lemmatizer(conn)
    stored: dict[int, list[Entry]] = {}
    for entry in entries(conn):
        stored.setdefault(entry[0], []).append(entry)
    documents = conn.scalars(select(Document.id).order_by(Document.id)).all()
    known: dict[int, dict[str, str]] = {}
    for doc_id, form, lemma in conn.execute(text(f"SELECT document_id, form, lemma FROM {FORMS}")).all():
        known.setdefault(int(doc_id), {})[str(form)] = str(lemma)
    stale = []
    for doc_id in documents:
        fresh = entries_for(conn, doc_id, lemmatize)
        # forms missing (or with another lemma) would leave their hits unfound
        if stored.pop(doc_id, []) != fresh or known.pop(doc_id, {}) != forms_of(fresh):
            stale.append(doc_id)
    for doc_id in known:  # forms of a document that is gone
        stored.setdefault(doc_id, [])
    return sorted(stale + list(stored))


# Finding candidate rows ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Want:
    """A row must hold one of ``terms`` (a term of several words is a phrase) in one of ``columns``."""

    terms: tuple[str, ...]
    columns: tuple[str, ...] = ("text",)


@dataclass(frozen=True, slots=True)
class Candidate:
    """A row of the index that may hold a hit, with what a hit line says about where it is."""

    document: str
    group: str | None
    turn: int | None
    start: int
    text: str
    speaker: str | None
    name: str | None
    role: str | None
    document_id: int


_COLUMNS = {"text": ("text", "text_tsv"), "lemmas": ("lemmas", "lemma_tsv")}


def _fts_string(term: str) -> str:
    return '"' + term.replace('"', '""') + '"'


def candidates(conn: Connection, wants: Sequence[Want]) -> list[Candidate]:
    """The rows that hold every ``Want``, in document and text order; none when a want has no usable term."""
    usable = [Want(tuple(t for t in w.terms if words(t)), w.columns) for w in wants]
    if not usable or any(not w.terms for w in usable):
        return []
    params: dict[str, object] = {}
    if conn.dialect.name == "sqlite":
        parts = []
        for want in usable:
            columns = " ".join(_COLUMNS[c][0] for c in want.columns)
            parts.append(f"{{{columns}}} : ({' OR '.join(_fts_string(t) for t in want.terms)})")
        params["q"] = " AND ".join(parts)
        where = f"{TABLE} MATCH :q"
    else:
        clauses = []
        for i, want in enumerate(usable):
            ors: list[str] = []
            for j, term in enumerate(want.terms):
                params[f"t{i}_{j}"] = term
                ors.extend(f"si.{_COLUMNS[c][1]} @@ phraseto_tsquery('simple', :t{i}_{j})" for c in want.columns)
            clauses.append("(" + " OR ".join(ors) + ")")
        where = " AND ".join(clauses)
    sql = (
        "SELECT d.name, d.group_name, si.turn, si.start_offset, si.text, sp.label, "
        "coalesce(sp.display_name, p.name), sp.role, d.id "
        f"FROM {TABLE} si JOIN documents d ON d.id = si.document_id "
        "LEFT JOIN turns t ON t.document_id = si.document_id AND t.position = si.turn "
        "LEFT JOIN speakers sp ON sp.id = t.speaker_id LEFT JOIN persons p ON p.id = sp.person_id "
        f"WHERE {where} ORDER BY d.name, si.start_offset"
    )
    return [
        Candidate(r[0], r[1], r[2], int(r[3]), r[4], r[5], r[6], r[7], int(r[8]))
        for r in conn.execute(text(sql), params).all()
    ]


def vocabulary(conn: Connection, column: str, ending: str | None = None) -> list[str]:
    """The project's distinct word forms (``text``) or lemmas (``lemmas``), those ending in ``ending`` if given.

    Read from the forms table (one index scan), not from FTS5's vocabulary, which walks every term's whole
    list of rows to count them: a tenth of a second on two million words, for counts nobody needs here.
    """
    name = "form" if column == "text" else "lemma"
    sql = f"SELECT DISTINCT {name} FROM {FORMS}"
    params: dict[str, object] = {}
    if ending is not None:
        sql += f" WHERE substr({name}, -:n) = :e" if conn.dialect.name == "sqlite" else f" WHERE right({name}, :n) = :e"
        params = {"n": len(ending), "e": ending}
    return [str(term) for term in conn.execute(text(sql), params).scalars()]
