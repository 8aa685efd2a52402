"""Words and their lemmas: what a word is, and simplemma's word lists, loaded once and remembered per word.

Light to import (simplemma loads on first use): the store's search index builds its lemma column with it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from functools import lru_cache

Lemmatizer = Callable[[str], str]
"""Maps a lowercase word form to its lemma (``tilltron`` → ``tilltro``)."""

WORD = re.compile(r"\w+(?:[-'’]\w+)*")
"""A word: letters and digits, with inner hyphens and apostrophes (``FN-konventionen``, ``barn's``)."""


def word_forms_available(language: str) -> bool:
    """Whether other forms of a word can be found in ``language``: simplemma ships a word list for it.

    Cheap (simplemma's module is imported, no word list is read), for saying so before or without a search.
    """
    return language in _lemma_languages()


@lru_cache(maxsize=1)
def _lemma_languages() -> frozenset[str]:
    try:
        from simplemma.strategies.dictionaries.dictionary_factory import SUPPORTED_LANGUAGES
    except ImportError:  # simplemma is a dependency, but a broken or partial install should not crash a search
        return frozenset()
    return frozenset(SUPPORTED_LANGUAGES)


@lru_cache(maxsize=4)
def lemma_lookup(language: str) -> Lemmatizer | None:
    """A lemmatiser for ``language`` from simplemma's word lists, or ``None`` when it has none for it.

    simplemma ships its lists (no download, ever). Greedy lookup takes compounds apart
    (``jobbfokuset``, ``arbetsmarknadsenheterna``); the low-memory store costs ~15 MB instead
    of ~95 MB for Swedish, at ~65 µs instead of ~17 µs for a word's first lookup (results are
    cached). Loading a list takes under a second: call this from a worker.
    """
    if not word_forms_available(language):
        return None
    from simplemma import Lemmatizer as Simplemma
    from simplemma.strategies import DefaultStrategy

    lemmatizer = Simplemma(lemmatization_strategy=DefaultStrategy(greedy=True, low_memory=True))
    try:
        lemmatizer.lemmatize("a", language)  # loads the list now, not at a search's first word
    except (ValueError, OSError, EOFError):
        return None

    known: dict[str, str] = {}

    def lemmatize(word: str) -> str:
        # Remembered per distinct word: an import lemmatises each of a corpus's ~30,000 words once, not ~2 million times.
        lemma = known.get(word)
        if lemma is None:
            lemma = known[word] = lemmatizer.lemmatize(word.lower(), language).lower()
        return lemma

    return lemmatize


def known_word(language: str) -> Callable[[str], bool] | None:
    """Whether simplemma's list for ``language`` holds a word (``själv``, ``arbets``), or ``None`` without a list.

    Compounds are found by their head: the rest of a word must itself be a word for the word to count as one.
    """
    if not word_forms_available(language):
        return None
    from simplemma import is_known

    @lru_cache(maxsize=65536)
    def known(word: str) -> bool:
        try:
            return bool(is_known(word, language, low_memory=True))
        except (ValueError, OSError, EOFError):
            return False

    return known


def words(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The (start, end) code-point offsets of the words of ``text[start:end]``."""
    return [m.span() for m in WORD.finditer(text, start, len(text) if end is None else end)]


_AFTER_Z = {
    # Swedish and Finnish: ... x y z å ä ö (æ sorts as ä, ø as ö, ü as y).
    "sv": {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "ü": "y"},
    "fi": {"å": "{", "ä": "|", "æ": "|", "ö": "}", "ø": "}", "ü": "y"},
    # Danish and Norwegian: ... x y z æ ø å (ä sorts as æ, ö as ø, ü as y).
    "da": {"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}", "ü": "y"},
    "nb": {"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}", "ü": "y"},
    "nn": {"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}", "ü": "y"},
    "no": {"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}", "ü": "y"},
}
"""The letters a Nordic alphabet puts after z, mapped to the characters that follow ``z`` in code-point order."""


@lru_cache(maxsize=16)
def _collation(language: str) -> Callable[[str], str]:
    letters = _AFTER_Z.get(language.split("-")[0].split("_")[0].lower(), {})

    @lru_cache(maxsize=4096)
    def key(word: str) -> str:
        out = []
        for ch in word.casefold():
            if ch in letters:
                out.append(letters[ch])
                continue
            base = unicodedata.normalize("NFD", ch)[0]  # é → e, ñ → n: accents do not make a letter of their own
            out.append(base)
        return "".join(out)

    return key


def collation_key(word: str, language: str) -> str:
    """``word`` as the language's alphabet orders it: in Swedish å, ä, ö after z; in Danish æ, ø, å; accents aside.

    Sorting by code point would put ``ärende`` before ``åtgärd`` in Swedish (ä is U+00E4, å U+00E5) and
    ``é`` after every letter; a concordance sorted that way reads as shuffled to its reader.
    """
    return _collation(language)(word)
