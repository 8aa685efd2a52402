"""Fuzzy code search for the code picker, and exact, lemma and fuzzy search in a document's text.

Everything here works on plain strings and returns code-point spans into them (half-open);
``fold`` lowercases and strips diacritics *without changing the length* of a text, so an offset
found in the folded text is the same offset in the original.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache

from rapidfuzz import fuzz, process

from mda_coder.core.codebook import PATH_SEPARATOR
from mda_coder.core.coding import CodeInfo
from mda_coder.core.spans import Span
from mda_coder.nlp.words import WORD as _WORD
from mda_coder.nlp.words import Lemmatizer, lemma_lookup, word_forms_available

NAME_WEIGHT, PATH_WEIGHT, DEFINITION_WEIGHT = 1.0, 0.9, 0.7
"""A match in a code's name counts more than one in its path, and that more than one in its definition."""
CODE_CUTOFF = 60.0
FUZZY_CUTOFF = 85.0


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    lower = ch.lower()
    if len(lower) != 1:  # e.g. 'İ' lowercases to two code points: keep it, keep the length
        return ch
    parts = unicodedata.normalize("NFD", lower)
    if len(parts) > 1 and all(unicodedata.combining(p) for p in parts[1:]):
        return parts[0]
    return lower


def fold(text: str) -> str:
    """``text`` lowercased and without diacritics (``Rättigheter`` → ``rattigheter``), of the same length."""
    return "".join(map(_fold_char, text))


@lru_cache(maxsize=8192)
def _folded(text: str) -> str:
    """``fold`` remembered, for the names, paths and definitions searched at every key press."""
    return fold(text)


def _name_score(query: str, name: str) -> float:
    if name == query:
        return 100.0
    if name.startswith(query):
        return 98.0
    if query in name:
        return 95.0
    return fuzz.WRatio(query, name)


def code_matches(query: str, codes: Sequence[CodeInfo], limit: int | None = 20) -> list[tuple[CodeInfo, float]]:
    """Codes matching ``query`` best first, with a score of 0–100; ties keep codebook order.

    Case and diacritics do not matter (``rattigheter`` finds ``sociala rättigheter``), typos
    are forgiven (``tiltro``), and the definition is searched too, with less weight.
    An empty query gives the codes in codebook order.
    """
    q = fold(query.strip())
    if not q:
        chosen = list(codes) if limit is None else list(codes)[:limit]
        return [(code, 100.0) for code in chosen]
    names = [_folded(c.name) for c in codes]
    scores = [NAME_WEIGHT * _name_score(q, name) for name in names]
    # A query with a '/' is a path being typed: then the path counts as much as the name.
    path_weight = NAME_WEIGHT if PATH_SEPARATOR in q else PATH_WEIGHT
    for i, code in enumerate(codes):
        if code.parent_id is not None or PATH_SEPARATOR in code.path:
            scores[i] = max(scores[i], path_weight * _name_score(q, _folded(code.path)))
    if len(q) >= 3:  # a letter or two is in every definition
        definitions = [_folded(c.definition) for c in codes]
        for _, score, i in process.extract(
            q, definitions, scorer=fuzz.partial_ratio, limit=None, score_cutoff=CODE_CUTOFF
        ):
            scores[i] = max(scores[i], DEFINITION_WEIGHT * score)
    ranked = sorted((i for i, score in enumerate(scores) if score >= CODE_CUTOFF), key=lambda i: -scores[i])
    if limit is not None:
        ranked = ranked[:limit]
    return [(codes[i], round(scores[i], 1)) for i in ranked]


def _whole(text: str) -> list[Span]:
    return [Span(0, len(text))] if text else []


def find_exact(text: str, query: str, regions: Sequence[Span] | None = None) -> list[Span]:
    """Every occurrence of ``query`` (in the regions, e.g. turns), ignoring case.

    White space in the query matches any run of white space, so a phrase is found across a line break.
    """
    words = query.split()
    if not words:
        return []
    pattern = re.compile(r"\s+".join(re.escape(w) for w in words), re.IGNORECASE)
    return [
        Span(m.start(), m.end())
        for region in (regions if regions is not None else _whole(text))
        for m in pattern.finditer(text, region.start, region.end)
    ]


def _words(text: str, region: Span) -> list[Span]:
    return [Span(*m.span()) for m in _WORD.finditer(text, region.start, region.end)]


def find_lemma(text: str, query: str, lemmatize: Lemmatizer, regions: Sequence[Span] | None = None) -> list[Span]:
    """Runs of words that are other forms of the query's words (``tilltron`` for ``tilltro``).

    A word matches a query word when the two share a lemma or one is the other's lemma: the
    word itself counts too, because a lemmatiser sometimes goes one step too far (Danish
    ``borger`` → ``borge``, while ``borgeren`` → ``borger``).
    """
    known: dict[str, frozenset[str]] = {}

    def keys(word: str) -> frozenset[str]:
        found = known.get(word)
        if found is None:
            lower = word.lower()
            found = known[word] = frozenset((lower, lemmatize(lower)))
        return found

    wanted = [keys(m.group()) for m in _WORD.finditer(query)]
    if not wanted:
        return []
    hits: list[Span] = []
    for region in regions if regions is not None else _whole(text):
        words = _words(text, region)
        forms = [keys(w.of(text)) for w in words]
        for i in range(len(words) - len(wanted) + 1):
            if all(not forms[i + j].isdisjoint(want) for j, want in enumerate(wanted)):
                hits.append(Span(words[i].start, words[i + len(wanted) - 1].end))
    return hits


_AFTER_WORD = r"(?![\w])(?![-'’]\w)"
_BEFORE_WORD = r"(?<![\w])(?<![\w][-'’])"
_WORD_CHAR = re.compile(r"\w")


@lru_cache(maxsize=64)
def forms_pattern(wanted: tuple[frozenset[str], ...]) -> re.Pattern[str]:
    """A pattern for runs of whole words, the i-th one of the forms ``wanted[i]`` (lowercase), case aside.

    A word is what ``WORD`` takes for one (``FN-konventionen`` is one word: ``konventionen`` alone is not
    found in it); the words of a run are separated by anything that is not a word, as in ``find_lemma``.
    The pattern begins with the forms themselves, so that the scan looks for them and nothing else (a
    look-behind first would be tried at every character, at three times the cost): :func:`find_forms`
    checks that the first word begins a word.
    """
    parts = [
        "(" + "|".join(re.escape(f) for f in sorted(forms, key=lambda f: (-len(f), f))) + ")" + _AFTER_WORD
        for forms in wanted
    ]
    return re.compile(parts[0] + "".join(r"\W+" + _BEFORE_WORD + part for part in parts[1:]), re.IGNORECASE)


def _begins_word(text: str, start: int) -> bool:
    if start == 0 or _WORD_CHAR.match(text, start - 1):
        return start == 0
    return not (text[start - 1] in "-'’" and start > 1 and _WORD_CHAR.match(text, start - 2))


def find_forms(text: str, pattern: re.Pattern[str]) -> list[tuple[Span, tuple[str, ...]]]:
    """Where ``pattern`` (made by :func:`forms_pattern`) matches ``text``: each run's span and its words, lowercase."""
    found = []
    at = 0
    while (m := pattern.search(text, at)) is not None:
        if _begins_word(text, m.start()):
            found.append((Span(*m.span()), tuple(g.lower() for g in m.groups())))
            at = m.end()
        else:  # inside a word: a run may still begin in what this match took (``xb b b`` for ``b b``)
            at = m.start() + 1
    return found


def find_fuzzy(
    text: str, query: str, regions: Sequence[Span], cutoff: float = FUZZY_CUTOFF
) -> list[tuple[Span, float]]:
    """Near matches for typos and inflections (``tiltro`` finds ``tilltro``, ``rattigheter`` ``rättigheter``).

    Candidates are the runs of as many words as the query has, in each region (turn), folded
    (case and diacritics ignored). A run's score is the better of ``ratio`` and, for a run
    longer than the query, ``partial_ratio``. ``partial_ratio`` of a whole turn is not enough
    on its own: it scores ``tiltro`` against ``tilltro`` 83, below any useful cut-off.
    Overlapping runs keep the best; hits come back in text order.
    """
    q = fold(" ".join(query.split()))
    if not q:
        return []
    size = len(q.split())
    folded = fold(text)
    # Plain tuples, not Spans, for the ~10 runs per line of a long transcript: only hits become Spans.
    runs: list[tuple[int, int]] = []
    first_word: list[int] = []
    total = 0
    for region in regions:
        words = [m.span() for m in _WORD.finditer(folded, region.start, region.end)]
        for i in range(len(words) - size + 1):
            runs.append((words[i][0], words[i + size - 1][1]))
            first_word.append(total + i)
        total += len(words)
    candidates = [folded[start:end] for start, end in runs]
    scores: dict[int, float] = {}
    for _, score, i in process.extract(q, candidates, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None):
        scores[i] = score
    if len(q) >= 4:  # shorter, and "att" would be found inside "rättigheter"
        for _, score, i in process.extract(q, candidates, scorer=fuzz.partial_ratio, score_cutoff=cutoff, limit=None):
            if len(candidates[i]) > len(q):
                scores[i] = max(score, scores.get(i, 0.0))
    taken = bytearray(total)
    chosen: list[tuple[Span, float]] = []
    for i in sorted(scores, key=lambda i: (-scores[i], i)):
        words_of_run = range(first_word[i], first_word[i] + size)
        if not any(taken[w] for w in words_of_run):
            for w in words_of_run:
                taken[w] = 1
            chosen.append((Span(*runs[i]), round(scores[i], 1)))
    return sorted(chosen)


def snippet(text: str, span: Span, context: int = 40) -> str:
    """The match with about ``context`` characters either side, cut at words, on one line."""
    start = max(0, span.start - context)
    end = min(len(text), span.end + context)
    if start > 0:
        cut = text.find(" ", start, span.start)
        start = cut + 1 if cut != -1 else start
    if end < len(text):
        cut = text.rfind(" ", span.end, end)
        end = cut if cut != -1 else end
    body = " ".join(text[start:end].split())
    return f"{'…' if start > 0 else ''}{body}{'…' if end < len(text) else ''}"


__all__ = [
    "Lemmatizer",
    "code_matches",
    "find_exact",
    "find_forms",
    "find_fuzzy",
    "find_lemma",
    "fold",
    "forms_pattern",
    "lemma_lookup",
    "snippet",
    "word_forms_available",
]
