"""Write codings as tidy CSV or JSON: one row per coding, stable columns, UTF-8."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO


@dataclass(frozen=True)
class CodingExportRow:
    """One coding with the context an analyst needs in R or pandas."""

    coding_id: int
    document: str
    group: str | None
    coder: str
    code: str
    start: int
    end: int
    turn: int | None
    speaker: str | None
    role: str | None
    text: str
    memo: str | None
    created: str
    modified: str


COLUMNS = tuple(CodingExportRow.__dataclass_fields__)
"""The column order, which is part of the format: new columns are only ever appended."""


class _LineFeedRows:
    """Rows ended by ``\\n``, with every cell holding a ``\\r`` quoted.

    The csv module quotes a cell for the characters of its line terminator only: with ``\\n`` a
    memo or a turn's text holding a bare carriage return went out unquoted, and reading the file
    back cut the row there. Rows are written ending in ``\\r\\n`` (so both characters quote a
    cell) and given back ending in ``\\n``, the same bytes as before for every other row.
    """

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def write(self, row: str) -> None:
        self._stream.write(row[:-2] + "\n" if row.endswith("\r\n") else row)


def write_csv(rows: Iterable[CodingExportRow], stream: IO[str]) -> None:
    writer = csv.writer(_LineFeedRows(stream), lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow(["" if getattr(row, c) is None else getattr(row, c) for c in COLUMNS])


def write_json(rows: Iterable[CodingExportRow], stream: IO[str]) -> None:
    json.dump([{c: getattr(row, c) for c in COLUMNS} for row in rows], stream, ensure_ascii=False, indent=2)
    stream.write("\n")
