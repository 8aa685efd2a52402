"""How much each code was used: codings, distinct units, documents, speakers, words and characters coded.

Everything is counted per *group*, an index the caller chooses: a code, a code and a coder, or a
code's family (the code with its sub-codes, by listing each coding once per ancestor). Units,
documents, speakers and words are counted once however many codings hit them, and characters are
those of the union of the group's codings, so overlapping codings never count twice.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from mda_coder.analysis.units import INT, Spans, hits, passages

WORD = re.compile(r"\w+")
"""A word is a run of letters, digits or underscores; punctuation and spaces are not words."""


@dataclass(frozen=True, slots=True)
class Counts:
    """Per group (arrays indexed by group): how much text and how many places the group's codings cover."""

    codings: np.ndarray
    units: np.ndarray
    documents: np.ndarray
    speakers: np.ndarray
    words: np.ndarray
    characters: np.ndarray


def word_spans(text: str) -> tuple[list[int], list[int]]:
    """Start and end offsets of the words of ``text`` (code points), in text order."""
    found = [(m.start(), m.end()) for m in WORD.finditer(text)]
    return [s for s, _ in found], [e for _, e in found]


def _distinct(group: np.ndarray, item: np.ndarray, n_groups: int) -> np.ndarray:
    """Per group, how many different items it has."""
    if len(group) == 0:
        return np.zeros(n_groups, dtype=INT)
    span = int(item.max()) + 1
    keys = np.unique(group * span + item)
    return np.bincount(keys // span, minlength=n_groups).astype(INT)


def counts(
    group: np.ndarray,
    coding: np.ndarray,
    pieces: Spans,
    n_groups: int,
    units: Spans,
    unit_speaker: np.ndarray,
    words: Spans,
) -> Counts:
    """Count each group's use from its coded ``pieces``.

    ``coding`` says which coding each piece came from (a coding cut by a speaker filter may be
    several pieces, and is one coding). ``units`` (turns or sentences, sorted and disjoint within a
    document) are what "units" counts; ``unit_speaker`` is each unit's speaker index, −1 for none,
    which the speaker count leaves out. ``words`` are every document's word spans, sorted.
    """
    group = np.asarray(group, dtype=INT)
    coding = np.asarray(coding, dtype=INT)
    piece, unit = hits(units, pieces)
    unit_group = group[piece]
    speaker = unit_speaker[unit] if len(unit) else np.zeros(0, dtype=INT)
    spoken = speaker >= 0
    merged = passages(group, pieces)
    width = merged.spans.end - merged.spans.start
    characters = np.bincount(merged.group, weights=width, minlength=n_groups).astype(INT)
    passage, word = hits(words, merged.spans)
    return Counts(
        codings=_distinct(group, coding, n_groups),
        units=_distinct(unit_group, unit, n_groups),
        documents=_distinct(group, pieces.doc, n_groups),
        speakers=_distinct(unit_group[spoken], speaker[spoken], n_groups),
        words=_distinct(merged.group[passage], word, n_groups),
        characters=characters,
    )


def families(code: np.ndarray, parents: list[int | None]) -> tuple[np.ndarray, np.ndarray]:
    """Each coding listed once for its code and once for every code above it.

    Returns (row into ``code``, family code) pairs, so a family's counts take the codings of the code
    and all its sub-codes; ``parents[i]`` is code i's parent index, None for a top-level code (or a
    parent outside the codes counted).
    """
    chains = [_chain(i, parents) for i in range(len(parents))]
    lengths = np.array([len(c) for c in chains], dtype=INT)
    flat = np.array([a for c in chains for a in c], dtype=INT)
    code = np.asarray(code, dtype=INT)
    per = lengths[code]
    rows = np.repeat(np.arange(len(code), dtype=INT), per)
    offsets = np.arange(int(per.sum()), dtype=INT) - np.repeat(np.cumsum(per) - per, per)
    return rows, flat[np.repeat((np.cumsum(lengths) - lengths)[code], per) + offsets]


def _chain(code: int, parents: list[int | None]) -> list[int]:
    out = [code]
    parent = parents[code]
    while parent is not None:
        out.append(parent)
        parent = parents[parent]
    return out
