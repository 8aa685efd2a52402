"""Names in transcripts: which words look like names of people and places, and replacing them by a key.

Pure functions on strings; the pseudonymisation service (``services/pseudonymise``) reads the texts and
labels from the project and hands them here. :class:`Replacer` is the one function every string of a
project goes through, forwards (original → pseudonym) and backwards (``--reverse``).

A word is letters and digits; an underscore is *not* part of a word here, so that ``Norrvik`` is found
in a document name like ``FG1_Norrvik``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mda_coder.nlp.name_lists import (
    EITHER_ENDINGS,
    FIRST_NAMES,
    ORDINARY,
    PERSON_ENDINGS,
    PLACE_ENDINGS,
    ROLE_WORDS,
)

PERSON, PLACE, ORGANISATION, OTHER = "person", "place", "organisation", "other"
KINDS = (PERSON, PLACE, ORGANISATION, OTHER)
"""What a name in the key names; the proposed pseudonym says it (``Person 1``, ``Ort 1``)."""

PREFIXES = {
    "sv": {PERSON: "Person", PLACE: "Ort", ORGANISATION: "Organisation", OTHER: "Namn"},
    "da": {PERSON: "Person", PLACE: "By", ORGANISATION: "Organisation", OTHER: "Navn"},
    "en": {PERSON: "Person", PLACE: "Place", ORGANISATION: "Organisation", OTHER: "Name"},
}
"""Proposed pseudonyms per project language (English for any other)."""

PART_PREFIXES = {
    "sv": ("Förnamn", "Efternamn"),
    "da": ("Fornavn", "Efternavn"),
    "en": ("Forename", "Surname"),
}
"""A part of a person's full name alone (``Lena`` of ``Lena Berglund``): the full name's number with these words,
so that a reader sees ``Förnamn 1`` is ``Person 1`` called by her first name (and ``--reverse`` can still tell
every pseudonym apart)."""

_LETTER = r"[^\W\d_]"
_TOKEN = re.compile(rf"{_LETTER}[^\W_]*(?:-{_LETTER}[^\W_]*)*")
"""A word beginning with a letter, with inner hyphens (``Anna-Lena``); an apostrophe or colon ends it (``Anna's``, ``SVT:s``)."""
_SENTENCE_END = re.compile(r"[.!?…:;]['\"”’»)\]\s]*$|^\s*$|[\"“”«»–—-]\s*$")
"""What a word after which the next word starts a sentence (or a quote, or a line) is followed by."""
_MARKS = re.compile(r"(?:\s*\[[^\]\n]*\]\s*)+$")
"""Transcription marks just before a word (``[skratt] Precis``): the word begins what is said, as after a full stop."""
_LEFT = r"(?<![^\W_])"
_RIGHT = r"(?![^\W_])"
"""Whole words only: not next to a letter or digit (an underscore, an apostrophe, a colon are edges)."""


def role_label(label: str) -> bool:
    """A speaker label that names a role rather than a person: ``R1``, ``I``, ``IP2``, ``Moderator``, ``Deltagare 3``."""
    words = label.split()
    if not words:
        return True
    if any(ch.isdigit() for ch in label):
        return True
    if len(words) == 1 and len(label) <= 3 and label.isupper():
        return True
    return all(w.lower().strip(".:()") in ROLE_WORDS for w in words)


def kind_of(name: str, *, after_first_name: bool = False) -> str | None:
    """The kind a name's form suggests (a first name, a surname or place ending, all capitals), or None."""
    words = name.split()
    if len(words) > 1:
        if words[0] in FIRST_NAMES or any(kind_of(w) == PERSON for w in words[1:]):
            return PERSON
        return kind_of(words[-1])
    if name in FIRST_NAMES or any(part in FIRST_NAMES for part in name.split("-")):
        return PERSON
    lower = name.lower()
    if name.isupper() and len(name) >= 2:
        return ORGANISATION
    for endings, kind in ((PERSON_ENDINGS, PERSON), (PLACE_ENDINGS, PLACE)):
        if any(lower.endswith(e) and len(lower) >= len(e) + 2 for e in endings):
            return kind
    if any(lower.endswith(e) and len(lower) >= len(e) + 2 for e in EITHER_ENDINGS) or lower in EITHER_ENDINGS:
        return PERSON if after_first_name else PLACE
    return None


def ordinary(word: str) -> bool:
    """A capitalised word that is no name to hide: a pronoun, a country, a national agency (``name_lists.ORDINARY``)."""
    return word in ORDINARY or len(word) < 2


@dataclass(frozen=True, slots=True)
class Found:
    """A word or run of words in a text that looks like a name."""

    text: str
    start: int
    sentence_start: bool
    """It begins a sentence, a line or a quote, where any word is capitalised."""


def sentence_starts(text: str, sentences: Iterable[int] = ()) -> list[int]:
    """Where sentences begin: the stored sentences' starts and the first word of every line."""
    starts = set(sentences)
    for line in re.finditer(r"(?m)^\s*(?=\S)", text):
        starts.add(line.end())
    return sorted(starts)


def _starts_sentence(text: str, start: int, starts: Sequence[int]) -> bool:
    i = bisect_right(starts, start)
    begin = starts[i - 1] if i else 0
    if begin == start:
        return True
    before = _MARKS.sub(" ", text[max(begin, start - 80) : start])
    return bool(_SENTENCE_END.search(before))


_PSEUDONYM_WORDS = frozenset(
    [*(w for prefixes in PREFIXES.values() for w in prefixes.values()), *(w for p in PART_PREFIXES.values() for w in p)]
)


def _pseudonym(text: str, m: re.Match[str]) -> bool:
    """``Person 1``, ``Ort 3``: a pseudonym this module proposes is no name left in the text."""
    return m.group() in _PSEUDONYM_WORDS and bool(re.match(r" \d", text[m.end() : m.end() + 2]))


def capitalised(text: str, starts: Sequence[int]) -> list[Found]:
    """Capitalised words and runs of them (``Lena Berglund``) in ``text``, less ordinary words and those with digits.

    ``starts`` are where sentences begin (:func:`sentence_starts`); a run that begins a sentence is
    marked so (its first word is capitalised whatever it is). A run is cut at an ordinary word.
    """
    found: list[Found] = []
    run: list[re.Match[str]] = []

    def close() -> None:
        if run:
            first = run[0]
            found.append(
                Found(text[first.start() : run[-1].end()], first.start(), _starts_sentence(text, first.start(), starts))
            )
            run.clear()

    for m in _TOKEN.finditer(text):
        word = m.group()
        if not word[0].isupper() or ordinary(word) or any(ch.isdigit() for ch in word) or _pseudonym(text, m):
            close()
            continue
        if run and (text[run[-1].end() : m.start()] != " " or _starts_sentence(text, m.start(), starts)):
            close()
        run.append(m)
    close()
    return found


def looks_like_name(found: Found) -> str | None:
    """The kind of a capitalised word or run: any not at a sentence start; at one, only a known first name or surname."""
    first = found.text.split()[0]
    kind = kind_of(found.text, after_first_name=first in FIRST_NAMES)
    if found.sentence_start:
        if first in FIRST_NAMES or (len(found.text.split()) > 1 and kind == PERSON):
            return PERSON
        return None
    return kind or OTHER


def pseudonym_prefix(kind: str, language: str) -> str:
    return PREFIXES.get(language, PREFIXES["en"])[kind]


def propose(names: Sequence[tuple[str, str]], language: str) -> list[tuple[str, str, str]]:
    """``(original, pseudonym, kind)`` for ``(original, kind)`` in order: plain pseudonyms, numbered per kind.

    A person's first or last name alone, after their full name, takes the full name's number:
    ``Lena Berglund`` → ``Person 1``, ``Lena`` → ``Förnamn 1``, ``Berglund`` → ``Efternamn 1``. A
    pseudonym that is already an original (someone really called ``Person 1``) is skipped.
    """
    taken = {original for original, _ in names}
    numbers = dict.fromkeys(KINDS, 0)
    first_word, last_word = PART_PREFIXES.get(language, PART_PREFIXES["en"])
    parts: dict[str, str] = {}
    used: set[str] = set()
    out: list[tuple[str, str, str]] = []
    for original, kind in names:
        pseudonym = parts.get(original) if kind == PERSON else None
        if pseudonym is None or pseudonym in taken or pseudonym in used:
            while True:
                numbers[kind] += 1
                pseudonym = f"{pseudonym_prefix(kind, language)} {numbers[kind]}"
                if pseudonym not in taken and pseudonym not in used:
                    break
            words = original.split()
            if kind == PERSON and len(words) > 1:
                parts.setdefault(words[0], f"{first_word} {numbers[kind]}")
                parts.setdefault(words[-1], f"{last_word} {numbers[kind]}")
        used.add(pseudonym)
        out.append((original, pseudonym, kind))
    return out


class Replacer:
    """Replace whole words by a table: longest first, as written and in capitals, with a genitive ``s`` kept.

    ``Anna`` → ``Person 1`` also turns ``Annas`` into ``Person 1s``, ``ANNA`` into ``PERSON 1``, and
    leaves ``Anna's``, ``Lars'``, ``SVT:s`` their apostrophe or colon; ``Annalena`` and ``Hanna`` are
    other words. All replacements are made in one pass, so a pseudonym is never replaced again.
    """

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        table: dict[str, str] = {}
        for original, replacement in pairs:
            table[original] = replacement
        for original, replacement in list(table.items()):
            table.setdefault(original.upper(), replacement.upper())
        self.table = table
        alternatives = "|".join(re.escape(o) for o in sorted(table, key=lambda o: (-len(o), o)))
        self.pattern = re.compile(f"{_LEFT}({alternatives})([sS]?){_RIGHT}") if table else None

    def sub(self, text: str) -> tuple[str, int]:
        """``text`` with every name replaced, and how many were."""
        if self.pattern is None or not text:
            return text, 0
        return self.pattern.subn(lambda m: self.table[m.group(1)] + m.group(2), text)

    def __call__(self, text: str) -> str:
        return self.sub(text)[0]

    def find(self, text: str) -> list[tuple[str, int]]:
        """Each name of the table in ``text`` (as the table has it, without a genitive ``s``) with its offset."""
        if self.pattern is None or not text:
            return []
        return [(m.group(1), m.start()) for m in self.pattern.finditer(text)]
