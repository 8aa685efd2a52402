"""Krippendorff's coincidence counts for many variables at once, from how often each pattern of values occurs.

α needs, per variable, only the coincidence matrix, the pairable units and values, and which coders
coded anything. All of these depend on a unit only through its *pattern*: the tuple of values its
coders gave (missing included). With few categories and coders there are few patterns — 27 for three
coders and binary data — so counting patterns with one `bincount` over the units, and then working on
the patterns, costs a handful of integer passes over the data and memory that does not depend on the
number of categories squared or on the number of variables (they are counted in chunks).
When the patterns are too many to count, coder pairs are counted instead, still without a
units × categories matrix.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

PATTERN_LIMIT = 1 << 18
"""Most patterns, (categories + 1) ** coders, counted directly; beyond this, coder pairs are counted."""

FEW_PATTERNS = 16
"""Up to this many patterns, counting by comparison beats `bincount` (which widens to int64 first)."""

CHUNK_BYTES = 1 << 21
"""How much of the input one chunk of variables reads: each coder's column is read in its own pass,
so a chunk that stays in the CPU cache is read from memory once rather than once per coder."""


@dataclass(frozen=True, slots=True)
class PairCounts:
    """What α needs of each variable; index 0 of every array is the first variable."""

    coincidences: np.ndarray
    """float64 (variables, k, k): o_ck, ordered pairs of values from different coders in one unit, weighted 1/(m_u − 1)."""
    n_pairable: np.ndarray
    """int64 (variables,): units with two or more values."""
    n_values: np.ndarray
    """int64 (variables,): values in those units (n.. for α)."""
    coders_with_values: np.ndarray
    """int64 (variables,): coders with at least one value, pairable or not."""


def pair_counts(stack: np.ndarray, k: int) -> PairCounts:
    """Coincidences and counts for a variables × units × coders array of codes in [0, k), or −1 (missing).

    Any signed integer dtype is read as it is, without a widening copy of the whole array; a code
    out of range is a ValueError (it would otherwise be counted as another category).
    """
    if stack.ndim != 3 or stack.dtype.kind != "i":
        raise ValueError("expected a variables × units × coders array of signed integer codes")
    variables, units, coders = stack.shape
    if coders == 0 or units == 0:
        zeros = np.zeros(variables, dtype=np.int64)
        return PairCounts(np.zeros((variables, k, k)), zeros, zeros.copy(), zeros.copy())
    patterns = (k + 1) ** coders
    chunk = _from_patterns if patterns <= PATTERN_LIMIT else _from_coder_pairs
    step = max(1, min(CHUNK_BYTES // (units * coders * stack.itemsize), PATTERN_LIMIT // patterns))
    parts = []
    for first in range(0, variables, step):
        block = stack[first : first + step]
        # Checked chunk by chunk, while the chunk is in the cache for the counting that follows.
        if int(block.min()) < -1 or int(block.max()) >= k:
            raise ValueError(f"codes must be indices into the {k} categories, or -1 for missing")
        parts.append(chunk(block, k))
    if len(parts) == 1:
        return parts[0]
    names = [f.name for f in fields(PairCounts)]
    return PairCounts(*(np.concatenate([getattr(part, name) for part in parts]) for name in names))


def pattern_histogram(stack: np.ndarray, k: int) -> np.ndarray:
    """int64 (variables, (k + 1) ** coders): how many units show each pattern.

    A unit's pattern number is Σ_a (code_a + 1)·(k + 1)^a, so digit a is 0 for a missing value and
    c + 1 for category c. Numbers are built in the narrowest unsigned type that holds them (one byte
    for up to five binary coders) and counted per variable: with a handful of patterns by comparing
    against each, which reads a byte per unit per pattern, else with `bincount`.
    """
    variables, _, coders = stack.shape
    base = k + 1
    patterns = base**coders
    dtype = _number_type(patterns)
    number = np.add(stack[..., 0], 1, dtype=dtype, casting="unsafe")
    scratch = np.empty_like(number)
    for a in range(1, coders):
        np.add(stack[..., a], 1, out=scratch, dtype=dtype, casting="unsafe")
        scratch *= base**a
        number += scratch
    counts = np.empty((variables, patterns), dtype=np.int64)
    for v in range(variables):
        if patterns <= FEW_PATTERNS:
            counts[v] = [np.count_nonzero(number[v] == p) for p in range(patterns)]
        else:
            counts[v] = np.bincount(number[v], minlength=patterns)
    return counts


def _number_type(patterns: int) -> np.dtype:
    return np.dtype(np.uint8 if patterns <= 1 << 8 else np.uint16 if patterns <= 1 << 16 else np.intp)


def _from_patterns(stack: np.ndarray, k: int) -> PairCounts:
    variables, _, coders = stack.shape
    histogram = pattern_histogram(stack, k)
    seen = np.flatnonzero(histogram.any(axis=0))
    digits = (seen[:, None] // (k + 1) ** np.arange(coders)) % (k + 1)
    present = digits > 0
    m = present.sum(axis=1)
    counts = histogram[:, seen]  # (variables, patterns seen)
    pairable = m >= 2
    n_pairable = counts[:, pairable].sum(axis=1)
    n_values = counts[:, pairable] @ m[pairable]
    coders_with_values = ((counts > 0).astype(np.int64) @ present.astype(np.int64) > 0).sum(axis=1)

    # Every unordered coder pair (a < b) of every seen pattern where both have values adds
    # count / (m − 1) to cell (value_a, value_b); the transpose adds the (b, a) order.
    pattern_of, cell_of = [np.zeros(0, dtype=np.intp)], [np.zeros(0, dtype=np.intp)]
    for a in range(coders):
        for b in range(a + 1, coders):
            both = np.flatnonzero(present[:, a] & present[:, b])
            pattern_of.append(both)
            cell_of.append((digits[both, a] - 1) * k + (digits[both, b] - 1))
    pattern, cell = np.concatenate(pattern_of), np.concatenate(cell_of)
    weights = counts[:, pattern] / (m[pattern] - 1)
    index = (np.arange(variables)[:, None] * (k * k) + cell[None, :]).ravel()
    upper = np.bincount(index, weights=weights.ravel(), minlength=variables * k * k).reshape(variables, k, k)
    return PairCounts(upper + upper.transpose(0, 2, 1), n_pairable, n_values, coders_with_values)


def _from_coder_pairs(stack: np.ndarray, k: int) -> PairCounts:
    """One variable at a time, one coder pair at a time: O(units) memory, exact integer counts per m_u."""
    variables, units, coders = stack.shape
    coincidences = np.zeros((variables, k, k))
    n_pairable = np.zeros(variables, dtype=np.int64)
    n_values = np.zeros(variables, dtype=np.int64)
    coders_with_values = np.zeros(variables, dtype=np.int64)
    cells = k * k
    for v in range(variables):
        codes = stack[v]
        m = np.zeros(units, dtype=np.intp)
        for a in range(coders):
            has = codes[:, a] >= 0
            m += has
            coders_with_values[v] += bool(has.any())
        pairable = m >= 2
        n_pairable[v] = int(pairable.sum())
        n_values[v] = int(m[pairable].sum())
        # Counted per (m_u, cell) in integers, then weighted once per m_u by 1 / (m_u − 1).
        by_m = np.zeros((coders + 1) * cells, dtype=np.int64)
        for a in range(coders):
            for b in range(a + 1, coders):
                first, second = codes[:, a], codes[:, b]
                both = np.flatnonzero((first >= 0) & (second >= 0))
                index = m[both] * cells + first[both].astype(np.intp) * k + second[both]
                by_m += np.bincount(index, minlength=(coders + 1) * cells)
        weight = np.zeros(coders + 1)
        weight[2:] = 1.0 / np.arange(1, coders)
        upper = (by_m.reshape(coders + 1, cells) * weight[:, None]).sum(axis=0).reshape(k, k)
        coincidences[v] = upper + upper.T
    return PairCounts(coincidences, n_pairable, n_values, coders_with_values)
