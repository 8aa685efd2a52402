"""Text units as sparse tf-idf rows of words, word pairs, lemmas and four-letter pieces of words.

Features are made once per distinct word (its form ``w:``, its lemma ``l:`` and the pieces ``c:`` of
``<word>``), so a corpus of 10,000 turns costs one lemma look-up per distinct word, not per word;
pairs of neighbouring words (``b:``) are counted with numpy. Each feature remembers the word it came
from, so that what drove a score is said in words (``tilltron``), never as a column number.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from mda_coder.nlp.marks import MARK
from mda_coder.nlp.words import WORD, Lemmatizer

PIECE = 4
"""Length of the letter pieces: long enough to carry a stem (``tilltro`` → ``till``, ``lltr``), short enough to share it."""
PIECE_WORDS = 7
"""Only words of this many letters or more are taken apart into pieces: a shorter word's pieces say little more
than the word itself, and dropping them cut the values by a quarter and the fit's time by half on 10,000 turns
with the same held-out precision and recall (``bench/bench_suggest.py``)."""
MIN_UNITS = 2
"""A feature seen in fewer units than this cannot teach anything that carries over to another unit: dropped."""
MAX_SHARE = 0.5
"""A feature in more than this share of the units (``att``, ``och``) tells nothing about one code: dropped."""
DESCRIPTION = "words, word pairs, lemmas and 4-letter pieces of long words (tf-idf)"


def words(text: str) -> list[str]:
    """The words of ``text``, lowercased, in order; not those of transcription marks (``[skratt]``, ``(paus)``).

    A mark is the transcriber's, not the speaker's: a code learned from twenty turns would otherwise take
    the laughter that happened to follow a few of them for a sign of the code.
    """
    return [w.lower() for w in WORD.findall(MARK.sub(" ", text))]


@dataclass(frozen=True)
class Matrix:
    """Rows of a sparse matrix (CSR): row ``i`` holds ``data[indptr[i]:indptr[i+1]]`` at columns ``indices[...]``."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    columns: int

    @property
    def rows(self) -> int:
        return len(self.indptr) - 1

    def row_of_each(self) -> np.ndarray:
        """The row number of every stored value."""
        return np.repeat(np.arange(self.rows), np.diff(self.indptr))

    def dot(self, weights: np.ndarray) -> np.ndarray:
        """``X @ weights``."""
        values = self.data * weights[self.indices]
        return np.bincount(self.row_of_each(), weights=values, minlength=self.rows)

    def take(self, rows: np.ndarray) -> Matrix:
        """The given rows, in that order."""
        rows = np.asarray(rows, dtype=np.int64)
        starts, ends = self.indptr[rows], self.indptr[rows + 1]
        lengths = ends - starts
        indptr = np.concatenate(([0], np.cumsum(lengths))).astype(np.int64)
        picks = np.repeat(starts - indptr[:-1], lengths) + np.arange(indptr[-1])
        return Matrix(indptr, self.indices[picks], self.data[picks], self.columns)

    def row(self, i: int) -> dict[int, float]:
        lo, hi = self.indptr[i], self.indptr[i + 1]
        return dict(zip(self.indices[lo:hi].tolist(), self.data[lo:hi].tolist()))


@dataclass(frozen=True)
class Features:
    """The units' feature matrix, and for each column the word (or pair) it came from."""

    matrix: Matrix
    names: tuple[str, ...]
    """``w:tilltro``, ``l:tilltro``, ``c:till``, ``b:jag tror``."""
    lemmas: dict[str, str]
    """Each word's lemma, where it has one that differs from the word."""

    def contributions(self, i: int, coefficients: np.ndarray, limit: int = 5) -> list[tuple[str, str | None, float]]:
        """The words of unit ``i`` that pushed its score up most: ``(word, lemma or None, weight)``, largest first.

        A word's weight is the sum of its features' ``value × coefficient`` (its form, lemma and
        pieces); a pair of words is one entry ``jag tror``.
        """
        row = self.matrix.row(i)
        by_word: dict[str, float] = {}
        # A lemma's weight goes to this unit's own word of that lemma (``gör`` for ``göra``), never to another
        # form found elsewhere in the corpus; when the unit's word is not a feature itself, to the lemma.
        own = {self.lemmas.get(name[2:], ""): name[2:] for c in row if (name := self.names[c]).startswith("w:")}
        for column, value in row.items():
            kind, _, what = self.names[column].partition(":")
            if kind == "c":
                continue  # a piece is counted with each word holding it, below
            key = what if kind != "l" else own.get(what, what)
            by_word[key] = by_word.get(key, 0.0) + value * float(coefficients[column])
        pieces = {self.names[c][2:]: v * float(coefficients[c]) for c, v in row.items() if self.names[c][0] == "c"}
        for word in list(by_word):
            if " " in word or len(word) < PIECE_WORDS:
                continue
            padded = f"<{word}>"
            by_word[word] += sum(pieces.get(padded[k : k + PIECE], 0.0) for k in range(len(padded) - PIECE + 1))
        ranked = sorted(((w, v) for w, v in by_word.items() if v > 0), key=lambda p: (-p[1], p[0]))[:limit]
        return [(w, self.lemmas.get(w), round(v, 4)) for w, v in ranked]


def _word_features(word: str, lemma: str | None) -> list[str]:
    names = [f"w:{word}"]
    if lemma is not None and lemma != word:
        names.append(f"l:{lemma}")
    if len(word) >= PIECE_WORDS:
        padded = f"<{word}>"
        names.extend(f"c:{padded[k : k + PIECE]}" for k in range(len(padded) - PIECE + 1))
    return names


def featurize(texts: Sequence[str], lemmatize: Lemmatizer | None = None) -> Features:
    """The tf-idf matrix of ``texts`` (sublinear counts, smoothed idf, rows of length 1)."""
    types: dict[str, int] = {}
    token_types: list[int] = []
    counts = np.zeros(len(texts), dtype=np.int64)
    for i, text in enumerate(texts):
        found = words(text)
        counts[i] = len(found)
        for w in found:
            t = types.get(w)
            if t is None:
                t = types[w] = len(types)
            token_types.append(t)
    type_names = list(types)
    lemmas: dict[str, str] = {}
    if lemmatize is not None:
        for w in type_names:
            lemma = lemmatize(w)
            if lemma and lemma != w:
                lemmas[w] = lemma
    vocabulary: dict[str, int] = {}
    type_columns: list[list[int]] = []
    for w in type_names:
        type_columns.append([vocabulary.setdefault(name, len(vocabulary)) for name in _word_features(w, lemmas.get(w))])
    base = len(vocabulary)
    tokens = np.asarray(token_types, dtype=np.int64)
    unit_of_token = np.repeat(np.arange(len(texts)), counts)
    lengths = np.asarray([len(c) for c in type_columns], dtype=np.int64)
    flat = np.asarray([c for cols in type_columns for c in cols], dtype=np.int64)
    starts = np.concatenate(([0], np.cumsum(lengths)[:-1])) if len(lengths) else np.zeros(0, dtype=np.int64)
    # every token's feature columns, and the unit each belongs to
    per_token = lengths[tokens] if len(tokens) else np.zeros(0, dtype=np.int64)
    total = int(per_token.sum())
    offsets: np.ndarray | list[int] = (
        np.repeat(starts[tokens] - np.concatenate(([0], np.cumsum(per_token)[:-1])), per_token) if total else []
    )
    word_columns = flat[np.arange(total) + offsets] if total else np.zeros(0, dtype=np.int64)
    word_units = np.repeat(unit_of_token, per_token)
    # neighbouring words within a unit: one pair feature each
    same_unit = unit_of_token[1:] == unit_of_token[:-1] if len(tokens) > 1 else np.zeros(0, dtype=bool)
    pair_keys = (tokens[:-1] * len(type_names) + tokens[1:])[same_unit] if len(tokens) > 1 else tokens[:0]
    pair_units = unit_of_token[:-1][same_unit] if len(tokens) > 1 else tokens[:0]
    pairs, pair_ids = np.unique(pair_keys, return_inverse=True)
    columns = np.concatenate((word_columns, base + pair_ids.reshape(-1)))
    units = np.concatenate((word_units, pair_units))
    width = base + len(pairs)
    # count each (unit, column) once, then keep the columns seen in enough units
    keys, tf = np.unique(units * width + columns, return_counts=True)
    unit_ids, column_ids = keys // width, keys % width
    df = np.bincount(column_ids, minlength=width)
    keep = (df >= MIN_UNITS) & (df <= max(MIN_UNITS, MAX_SHARE * len(texts)))
    renumber = np.cumsum(keep) - 1
    chosen = keep[column_ids]
    unit_ids, column_ids, tf = unit_ids[chosen], renumber[column_ids[chosen]], tf[chosen]
    n = len(texts)
    idf = np.log((1 + n) / (1 + df[keep])) + 1.0
    values = (1.0 + np.log(tf)) * idf[column_ids]
    norms = np.sqrt(np.bincount(unit_ids, weights=values**2, minlength=n))
    values = values / np.where(norms > 0, norms, 1.0)[unit_ids]
    indptr = np.concatenate(([0], np.cumsum(np.bincount(unit_ids, minlength=n)))).astype(np.int64)
    names_all = list(vocabulary)
    for key in pairs.tolist():
        names_all.append(f"b:{type_names[key // len(type_names)]} {type_names[key % len(type_names)]}")
    names = tuple(name for name, k in zip(names_all, keep.tolist()) if k)
    matrix = Matrix(indptr, column_ids.astype(np.int64), values.astype(np.float64), len(names))
    return Features(matrix, names, lemmas)
