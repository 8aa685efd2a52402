"""What a corpus search takes (the query and its filters) and gives back (keyword-in-context hits)."""

from __future__ import annotations

from dataclasses import dataclass

from mda_coder.core.spans import Span

MODES = ("auto", "exact", "lemma", "fuzzy")
"""``auto`` is ``lemma`` where the project language has word forms, else ``exact``; ``fuzzy`` adds near spellings."""
SORTS = ("text", "left", "right")
MATCHES = ("exact", "lemma", "compound", "fuzzy")
"""How a hit matched, from the closest to the loosest; a phrase matched as loosely as its loosest word."""


@dataclass(frozen=True, slots=True)
class SearchRequest:
    """A query over the whole project, and which hits to keep; every filter left empty means "all"."""

    query: str
    """One word or several (a phrase: the words in a row); quotes around it are allowed and mean the same."""
    mode: str = "auto"
    compounds: bool = False
    """Also words whose head is a query word's lemma (``självtilltro`` for ``tilltro``)."""
    documents: tuple[str, ...] = ()
    speakers: tuple[str, ...] = ()
    """Speaker labels (``R1``), display names or linked persons' names."""
    roles: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    code: str | None = None
    """Only hits inside text coded with this code (or a code under it)."""
    not_code: str | None = None
    """Only hits that no coding of this code (or a code under it) touches."""
    coder: str | None = None
    """Whose codings ``code`` and ``not_code`` look at; everyone's when None."""
    no_moderator: bool = False
    sort: str = "text"
    """``text`` (document, then place in it), ``left`` (the words just left of the hit, read right to left),
    or ``right`` (the words right of it): a concordancer's orders."""
    limit: int | None = None
    context: int = 40
    """About how many characters of context either side of a hit."""


@dataclass(frozen=True, slots=True)
class CorpusHit:
    """One hit, as a keyword-in-context line says it."""

    document: str
    group: str | None
    turn: int | None
    """1-based turn number; None for text outside every turn (a title line)."""
    speaker: str | None
    """The speaker's label in the document (``R1``)."""
    name: str | None
    """The speaker's display name, or the linked person's name."""
    role: str | None
    span: Span
    """Code points into the document's text."""
    text: str
    match: str
    """One of ``MATCHES``."""
    score: float
    """100 but for near spellings (``fuzzy``), where it is the spelling's likeness, 0–100."""
    left: str
    """The context before the hit, in the same turn, on one line."""
    right: str


@dataclass(frozen=True, slots=True)
class CorpusSearch:
    """The hits of a search (up to its limit), how many there were in all, and what the searcher should know."""

    query: str
    mode: str
    """The mode searched in (``auto`` resolved)."""
    hits: tuple[CorpusHit, ...]
    total: int
    word_forms: bool
    """Whether other forms of words could be found in the project's language."""
    notes: tuple[str, ...] = ()
    """E.g. that word forms are not available, or which spellings and compounds were searched for."""
    terms: tuple[str, ...] = ()
    """The words of the index that compounds and near spellings brought in, for saying what was searched."""
