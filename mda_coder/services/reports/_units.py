"""The excerpts behind a report's cell: the turns, sentences, passages, windows or turn pairs a count counts.

A report says "12 turns carry both codes"; a researcher then wants to read those twelve turns.
Each function here reads the same scope as the report (`_data.load`), finds the units the
report counted with the same span arithmetic (`analysis.units`, `analysis.cooccurrence`), and
lists them in document order, so the number listed is the number in the cell.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import numpy as np
from sqlalchemy import select

from mda_coder.analysis import cooccurrence as co
from mda_coder.analysis.frequencies import families
from mda_coder.analysis.units import Spans, hits, passages
from mda_coder.core.errors import MdaError
from mda_coder.core.spans import Span
from mda_coder.i18n import Phrase
from mda_coder.services.reports._data import ReportData, Scope, load

# The matrix's own column labels and the sentences' speakers, so a column here is the column there.
from mda_coder.services.reports._tables import _categories, _sentence_speakers
from mda_coder.store.engine import Database
from mda_coder.store.models import Document, SentenceRow, TurnRow

Unit = Literal["turn", "sentence", "overlap", "document"]
Speakers = Literal["all", "changed", "same"]

TEXT_LIMIT = 400
"""Characters of a unit's text kept for the listing; the jump shows the rest."""


@dataclass(frozen=True, slots=True)
class Excerpt:
    """One unit a cell counts, and where the workspace shows it."""

    document: str
    turn: int | None
    """Number of the turn the unit begins in (1-based); None for text outside every turn."""
    span: Span
    """The unit's text in the document (a window or a turn pair: from its first turn to its last)."""
    label: str
    """What the unit is, as a researcher cites it: ``turn 12``, ``sentence 40``, ``turns 12–14``, ``turns 12 → 13``."""
    text: str
    """The beginning of the unit's text (at most `TEXT_LIMIT` characters)."""
    selection: Span | None = None
    """The part of the unit inside its first turn, to select after the jump, when it is less than the turn."""


@dataclass(frozen=True, slots=True)
class Excerpts:
    title: str
    """What is listed: ``turns with tilltro and jobbfokus``."""
    items: tuple[Excerpt, ...]


class _Places:
    """Turn numbers by offset, per document of the report, to name and jump to any span."""

    def __init__(self, db: Database, data: ReportData, sentences: bool = False) -> None:
        # Turns and sentences never change after import, so reading their numbers after `load` agrees with it.
        with db.transaction() as s:
            rows = s.execute(
                select(Document.name, TurnRow.position, TurnRow.start_offset, TurnRow.end_offset)
                .join(Document, TurnRow.document_id == Document.id)
                .where(Document.name.in_(data.documents))
                .order_by(Document.name, TurnRow.start_offset)
            ).all()
            sentence_rows = (
                s.execute(
                    select(Document.name, SentenceRow.start_offset, SentenceRow.position)
                    .join(Document, SentenceRow.document_id == Document.id)
                    .where(Document.name.in_(data.documents))
                ).all()
                if sentences
                else []
            )
        self.data = data
        index = {name: i for i, name in enumerate(data.documents)}
        self.sentences = {(index[name], start): position for name, start, position in sentence_rows}
        self.turns: list[list[tuple[int, int, int]]] = [[] for _ in data.documents]
        for name, position, start, end in rows:
            self.turns[index[name]].append((start, end, position))
        self.starts = [[t[0] for t in turns] for turns in self.turns]

    def turn_at(self, doc: int, offset: int) -> tuple[int, int, int] | None:
        """(start, end, number) of the turn holding ``offset`` (or the first one after it); None past the last."""
        i = bisect_right(self.starts[doc], offset) - 1
        for start, end, number in self.turns[doc][max(i, 0) : max(i, 0) + 2]:
            if end > offset:
                return start, end, number
        return None

    def excerpt(self, doc: int, start: int, end: int, label: str, part: bool = True) -> Excerpt:
        """The excerpt of ``[start, end)``; ``part``: select it in its turn after the jump."""
        turn = self.turn_at(doc, start)
        texts = self.data.texts
        text = texts[doc][start : min(end, start + TEXT_LIMIT)] if texts is not None else ""
        selection = None
        if part and turn is not None and (start, end) != turn[:2]:
            selection = Span(max(start, turn[0]), min(end, turn[1]))
        return Excerpt(
            self.data.documents[doc], None if turn is None else turn[2], Span(start, end), label, text, selection
        )

    def number(self, doc: int, start: int) -> int | None:
        turn = self.turn_at(doc, start)
        return None if turn is None else turn[2]


def _code_index(data: ReportData, path: str) -> int:
    try:
        return data.codes.index(path)
    except ValueError:
        raise MdaError(f"code '{path}' is not in this report's scope") from None


def _pieces(data: ReportData, coder: str | None, include_subcodes: bool) -> tuple[np.ndarray, Spans, np.ndarray]:
    """(code, piece, coding) per coded piece in scope: one coder's only, and with sub-codes counted as parents."""
    code, pieces, coding = data.code, data.codings, data.coding
    if coder is not None:
        if coder not in data.coders:
            raise MdaError(f"coder '{coder}' is not in this report's scope")
        mine = np.flatnonzero(data.coder == data.coders.index(coder))
        code, pieces, coding = code[mine], pieces.take(mine), coding[mine]
    if include_subcodes:
        rows, code = families(code, data.parents)
        pieces, coding = pieces.take(rows), coding[rows]
    return code, pieces, coding


def _joined(data: ReportData, paths: Sequence[str]) -> str:
    if not paths:
        return Phrase("any code or none")
    return paths[0] if len(paths) == 1 else Phrase("{codes} and {last}", codes=" and ".join(paths[:-1]), last=paths[-1])


def units_with(
    db: Database,
    scope: Scope,
    codes: Sequence[str],
    unit: Unit = "turn",
    within: int | None = None,
    include_subcodes: bool = False,
    coder: str | None = None,
    column: tuple[str, str] | None = None,
) -> Excerpts:
    """The units on which every code of ``codes`` occurs (none given: every unit), in document order.

    ``unit`` and ``within`` are those of the co-occurrence report; ``column`` (kind, label) keeps
    the units of one matrix column (``("role", "arbetskonsulent")``); ``coder`` keeps one coder's
    codings (a per-coder frequencies row). With ``overlap``, a unit is one stretch of text where the
    codes' codings overlap, as the co-occurrence report counts them.
    """
    data = load(db, scope, sentences=unit == "sentence", texts=True)
    places = _Places(db, data, sentences=unit == "sentence")
    code, pieces, _ = _pieces(data, coder, include_subcodes)
    wanted = [_code_index(data, c) for c in codes]
    what = _joined(data, codes)
    if unit == "overlap":
        return Excerpts(Phrase("passages of {codes}", codes=what), _overlaps(places, code, pieces, wanted))
    if unit == "document":
        present = co.presence(len(data.documents), len(data.codes), pieces.doc, code)
        docs = np.flatnonzero(present[:, wanted].all(axis=1)) if wanted else np.arange(len(data.documents))
        items = []
        for d in docs.tolist():
            first = pieces.start[(pieces.doc == d) & np.isin(code, wanted)] if wanted else np.zeros(0)
            start = int(first.min()) if len(first) else (places.turns[d][0][0] if places.turns[d] else 0)
            found = places.excerpt(d, start, start + TEXT_LIMIT, "", part=False)
            items.append(Excerpt(found.document, found.turn, found.span, Phrase("document"), found.text))
        return Excerpts(Phrase("documents with {codes}", codes=what), tuple(items))
    units = data.turns if unit == "turn" else data.sentences
    assert units is not None
    piece, hit = hits(units, pieces)
    present = co.presence(len(units), len(data.codes), hit, code[piece])
    if within:
        present = co.windows(present, data.turns.doc, within)
    keep = present[:, wanted].all(axis=1) if wanted else np.ones(len(units), dtype=bool)
    if column is not None:
        speaker = data.turn_speaker if unit == "turn" else _sentence_speakers(data)
        labels, category = _categories(data, column[0], units.doc, speaker)
        if column[1] not in labels:
            raise MdaError(f"no column '{column[1]}' among the {column[0]}s of this report")
        keep &= category == labels.index(column[1])
    rows = np.flatnonzero(keep).tolist()
    if within:
        windows = tuple(_window(places, data.turns, r, within) for r in rows)
        return Excerpts(Phrase("windows (a turn and the {k} after it) with {codes}", k=within, codes=what), windows)
    noun = unit
    excerpts = tuple(_unit(places, units, r, noun) for r in rows)
    return Excerpts(_units_title(noun, what if wanted else None, column[1] if column is not None else None), excerpts)


def _units_title(noun: str, what: str | None, column: str | None) -> Phrase:
    """``turns with tilltro in FG1``, ``every sentence``: what a list of units holds."""
    if noun == "sentence":
        if what is None:
            return Phrase("every sentence in {column}", column=column) if column else Phrase("every sentence")
        if column:
            return Phrase("sentences with {codes} in {column}", codes=what, column=column)
        return Phrase("sentences with {codes}", codes=what)
    if what is None:
        return Phrase("every turn in {column}", column=column) if column else Phrase("every turn")
    if column:
        return Phrase("turns with {codes} in {column}", codes=what, column=column)
    return Phrase("turns with {codes}", codes=what)


def _unit(places: _Places, units: Spans, row: int, noun: str) -> Excerpt:
    doc, start, end = int(units.doc[row]), int(units.start[row]), int(units.end[row])
    found = places.excerpt(doc, start, end, "")
    if noun == "turn":
        return Excerpt(found.document, found.turn, found.span, Phrase("turn {turn}", turn=found.turn), found.text)
    number = places.sentences.get((doc, start))
    return Excerpt(
        found.document,
        found.turn,
        found.span,
        Phrase("turn {turn}, sentence {number}", turn=found.turn, number=number),
        found.text,
        found.selection,
    )


def _window(places: _Places, turns: Spans, row: int, k: int) -> Excerpt:
    doc = int(turns.doc[row])
    last = row
    while last + 1 < len(turns) and last < row + k and int(turns.doc[last + 1]) == doc:
        last += 1
    first_n, last_n = places.number(doc, int(turns.start[row])), places.number(doc, int(turns.start[last]))
    found = places.excerpt(doc, int(turns.start[row]), int(turns.end[last]), "", part=False)
    label = (
        Phrase("turn {turn}", turn=first_n)
        if last == row
        else Phrase("turns {first}–{last}", first=first_n, last=last_n)
    )
    return Excerpt(found.document, found.turn, found.span, label, found.text)


def _overlaps(places: _Places, code: np.ndarray, pieces: Spans, wanted: list[int]) -> tuple[Excerpt, ...]:
    """One code's passages, or the stretches where two codes' passages overlap (as `co.overlap_counts` counts)."""
    merged = passages(code, pieces)
    mine = np.isin(merged.group, wanted)
    spans = merged.spans.take(np.flatnonzero(mine))
    if len(wanted) > 1:
        # Passages of one code are disjoint, so merging both codes' passages where they overlap gives
        # the connected stretches; those of more than one passage are the co-occurrences.
        joined = passages(np.zeros(len(spans), dtype=np.int64), spans)
        sizes = np.bincount(joined.member, minlength=len(joined.spans))
        spans = joined.spans.take(np.flatnonzero(sizes > 1))
    order = np.lexsort((spans.start, spans.doc))
    items = []
    for r in order.tolist():
        doc, start, end = int(spans.doc[r]), int(spans.start[r]), int(spans.end[r])
        found = places.excerpt(doc, start, end, "")
        items.append(
            Excerpt(
                found.document,
                found.turn,
                found.span,
                Phrase("turn {turn}, {start}–{end}", turn=found.turn, start=start, end=end),
                found.text,
                found.selection,
            )
        )
    return tuple(items)


def codings_of(
    db: Database,
    scope: Scope,
    code: str,
    coder: str | None = None,
    include_subcodes: bool = False,
) -> Excerpts:
    """The codings of ``code`` (with its sub-codes when ``include_subcodes``), each once, in document order."""
    data = load(db, scope, texts=True)
    places = _Places(db, data)
    codes, pieces, coding = _pieces(data, coder, include_subcodes)
    mine = np.flatnonzero(codes == _code_index(data, code))
    coder_of = dict(zip(data.coding.tolist(), data.coder.tolist()))
    found: dict[int, tuple[int, int, int, int]] = {}
    for r in mine.tolist():  # a coding cut by a speaker filter is several pieces: from its first to its last
        c, doc, start, end = int(coding[r]), int(pieces.doc[r]), int(pieces.start[r]), int(pieces.end[r])
        if c in found:
            start, end = min(start, found[c][1]), max(end, found[c][2])
        found[c] = (doc, start, end, c)
    items = []
    for doc, start, end, c in sorted(found.values()):
        who = data.coders[coder_of[c]]
        excerpt = places.excerpt(doc, start, end, "")
        items.append(
            Excerpt(
                excerpt.document,
                excerpt.turn,
                excerpt.span,
                Phrase("turn {turn}, {start}–{end}, {coder}", turn=excerpt.turn, start=start, end=end, coder=who),
                excerpt.text,
                excerpt.selection,
            )
        )
    title = (
        Phrase("codings of {code} and its sub-codes", code=code)
        if include_subcodes
        else Phrase("codings of {code}", code=code)
    )
    return Excerpts(title, tuple(items))


def transitions_of(
    db: Database,
    scope: Scope,
    first: str,
    second: str | None,
    include_subcodes: bool = False,
    speakers: Speakers = "all",
) -> Excerpts:
    """The pairs of consecutive turns with ``first`` on the first and ``second`` on the next, as the sequences report counts them.

    ``second`` None: every turn with ``first`` that another turn follows (the report's ``from_followed``).
    ``speakers``: only the pairs where the speaker changes, or stays the same.
    """
    data = load(db, scope, texts=True)
    places = _Places(db, data)
    code, pieces, _ = _pieces(data, None, include_subcodes)
    a = _code_index(data, first)
    b = None if second is None else _code_index(data, second)
    turns = data.turns
    piece, hit = hits(turns, pieces)
    present = co.presence(len(turns), len(data.codes), hit, code[piece])
    if len(turns) < 2:
        return Excerpts(Phrase("turn pairs {first} → {second}", first=first, second=second), ())
    keep = (turns.doc[1:] == turns.doc[:-1]) & present[:-1, a]
    if b is not None:
        keep &= present[1:, b]
    speaker = data.turn_speaker
    known = (speaker[1:] >= 0) & (speaker[:-1] >= 0)
    if speakers == "changed":
        keep &= known & (speaker[1:] != speaker[:-1])
    elif speakers == "same":
        keep &= known & (speaker[1:] == speaker[:-1])
    items = []
    for r in np.flatnonzero(keep).tolist():
        doc = int(turns.doc[r])
        n1, n2 = places.number(doc, int(turns.start[r])), places.number(doc, int(turns.start[r + 1]))
        found = places.excerpt(doc, int(turns.start[r]), int(turns.end[r + 1]), "", part=False)
        items.append(
            Excerpt(
                found.document,
                found.turn,
                found.span,
                Phrase("turns {first} → {second}", first=n1, second=n2),
                found.text,
            )
        )
    if second is None:
        title = Phrase("turns with {first} that another turn follows", first=first)
    else:
        title = {
            "all": Phrase("turn pairs {first} → {second}", first=first, second=second),
            "changed": Phrase("turn pairs {first} → {second} with a change of speaker", first=first, second=second),
            "same": Phrase("turn pairs {first} → {second} by one speaker", first=first, second=second),
        }[speakers]
    return Excerpts(title, tuple(items))
