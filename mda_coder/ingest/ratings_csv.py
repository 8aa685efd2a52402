"""Read reliability data from elsewhere: a units × coders CSV table, blank cells missing, checked line by line."""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from mda_coder.core.errors import InputError
from mda_coder.ingest.csv_table import allow_long_cells, numbered_rows, table_text

UNIT_COLUMN = "unit"
"""A first column with this header (any case) holds unit ids; every other column is a coder."""

DELIMITERS = (",", ";", "\t")
"""Comma, semicolon (what Swedish Excel writes) or tab: the one the header line holds most of."""

METRIC = ("interval", "ratio")
"""Levels whose values must be numbers: differences between values are taken as distances."""

Value = str | int | float

_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


@dataclass(frozen=True, slots=True)
class RatingsTable:
    """The table as values: one row per unit, one value (or None, missing) per coder."""

    coders: tuple[str, ...]
    units: tuple[str, ...]
    """The ids in the unit column, or the units' row numbers (1, 2, …) without one."""
    lines: tuple[int, ...]
    """Each unit's line in the file, for pointing a reader to it."""
    rows: tuple[tuple[Value | None, ...], ...]
    categories: tuple[Value, ...] | None
    """The declared categories in their order (as values), or None to take those seen."""


def _number(text: str, decimal_comma: bool) -> int | float | None:
    """``text`` as a number, or None. A decimal comma is accepted when comma is not the delimiter."""
    if not _NUMBER.fullmatch(text) or ("," in text and not decimal_comma):
        return None
    value = float(text.replace(",", "."))
    if not math.isfinite(value):  # 1e999: past what a float holds
        return None
    return int(value) if value.is_integer() and abs(value) < 2**53 else value


def _delimiter(text: str) -> str:
    header = text[:65536].split("\n", 1)[0]
    counts = [header.count(d) for d in DELIMITERS]
    return DELIMITERS[counts.index(max(counts))] if max(counts) else ","


def read_ratings_csv(path: Path, level: str, categories: Sequence[str] | None = None) -> RatingsTable:
    """The units × coders table in ``path``, with every value checked for ``level``.

    Interval and ratio values must be numbers (ratio ones zero or more); ordinal values must be
    numbers unless ``categories`` gives their order; with ``categories`` every value must be one of
    them. Nominal values are numbers when all of them are, else text as written (trimmed).
    """
    path = Path(path)
    text = table_text(path)
    if not text.strip():
        raise InputError(f"{path}: is empty")
    delimiter = _delimiter(text)
    decimal_comma = delimiter != ","
    allow_long_cells()
    reader = csv.reader(io.StringIO(text), delimiter=delimiter, strict=True)
    rows = numbered_rows(reader, path)
    header = [h.strip() for h in next(rows)[1]]
    while header and not header[-1]:
        header.pop()
    has_ids = bool(header) and header[0].casefold() == UNIT_COLUMN
    coders = header[1:] if has_ids else header
    first = 1 if has_ids else 0
    for i, name in enumerate(coders):
        if not name:
            raise InputError(f"{path}:1: column {i + first + 1} has no coder name in the header")
        if name in coders[:i]:
            raise InputError(f"{path}:1: coder '{name}' names two columns")
    if len(coders) < 2:
        found = f" (found {len(coders)}: {', '.join(coders)})" if coders else ""
        raise InputError(f"{path}: needs a header with at least two coder columns{found}")

    declared = _declared(path, categories, level, decimal_comma)
    raw: list[tuple[int, str, list[str]]] = []
    seen_ids: dict[str, int] = {}
    for line, cells in rows:
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if len(cells) > len(header) and not any(cells[len(header) :]):
            cells = cells[: len(header)]
        if len(cells) != len(header):
            raise InputError(f"{path}:{line}: {len(cells)} values, but the header has {len(header)} columns")
        unit = cells[0] if has_ids else str(len(raw) + 1)
        if has_ids:
            if not unit:
                raise InputError(f"{path}:{line}: the unit column is empty")
            if unit in seen_ids:
                raise InputError(f"{path}:{line}: unit '{unit}' is already on line {seen_ids[unit]}")
            seen_ids[unit] = line
        raw.append((line, unit, cells[first:]))
    if not raw:
        raise InputError(f"{path}: has a header but no units")

    numbers = {v: _number(v, decimal_comma) for _, _, cells in raw for v in cells if v}
    as_numbers = level in METRIC or (declared is None and all(n is not None for n in numbers.values()))
    if declared is not None and all(isinstance(c, (int, float)) for c in declared):
        as_numbers = True
    for line, _, cells in raw:
        for coder, v in zip(coders, cells):
            if not v:
                continue
            _check(path, line, coder, v, numbers[v], level, declared, as_numbers)
    values = tuple(tuple((numbers[v] if as_numbers else v) if v else None for v in cells) for _, _, cells in raw)
    return RatingsTable(tuple(coders), tuple(u for _, u, _ in raw), tuple(line for line, _, _ in raw), values, declared)


def _declared(
    path: Path, categories: Sequence[str] | None, level: str, decimal_comma: bool
) -> tuple[Value, ...] | None:
    if not categories:
        return None
    names = [c.strip() for c in categories if c.strip()]
    numbers = [_number(c, decimal_comma=True) for c in names]
    if all(n is not None for n in numbers):
        return tuple(n for n in numbers if n is not None)
    if level in METRIC:
        raise InputError(f"{path}: {level} α needs numbers; the categories given are not all numbers")
    return tuple(names)


def _check(
    path: Path,
    line: int,
    coder: str,
    text: str,
    number: float | None,
    level: str,
    declared: tuple[Value, ...] | None,
    as_numbers: bool,
) -> None:
    where = f"{path}:{line}: {coder}'s value '{text}'"
    if level in METRIC and number is None:
        raise InputError(f"{where} is not a number ({level} α needs numbers)")
    if level == "ratio" and number is not None and number < 0:
        raise InputError(f"{where} is below 0 (ratio α needs values of 0 or more)")
    if declared is not None:
        value = number if as_numbers else text
        if value is None or value not in declared:
            raise InputError(f"{where} is not one of the categories given ({', '.join(map(str, declared))})")
    elif level == "ordinal" and number is None:
        raise InputError(f"{where} is not a number: give the order of text categories with --categories")
