"""What every CSV reader shares: cells as long as a document, a size cap, and csv's errors said in one line.

Python's csv module stops at a cell of 131,072 characters, but a coding exported with its text
may cover a whole document; the limit is raised to :data:`~limits.MAX_CELL_CHARS` for every reader.
It is a setting of the whole process: it is only ever raised, never put back, so that a reader in
another thread never sees it shrink under it.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol, TypeVar

from mda_coder.core.errors import InputError
from mda_coder.i18n import Message
from mda_coder.ingest.encoding import decode
from mda_coder.ingest.limits import MAX_CELL_CHARS, MAX_TABLE_BYTES


def allow_long_cells() -> None:
    """Let csv read cells up to :data:`MAX_CELL_CHARS` characters (a coding's text)."""
    if csv.field_size_limit() < MAX_CELL_CHARS:
        csv.field_size_limit(MAX_CELL_CHARS)


def table_text(path: Path) -> str:
    """The decoded text of the table at ``path``, refused past :data:`MAX_TABLE_BYTES` before it is read."""
    if not path.is_file():
        raise InputError(Message("{path}: no such file", path=str(path)))
    try:
        size = path.stat().st_size
        if size > MAX_TABLE_BYTES:
            raise InputError(
                Message(
                    "{path}: {size} bytes; a table over {limit} bytes is refused",
                    path=str(path),
                    size=format(size, ","),
                    limit=format(MAX_TABLE_BYTES, ","),
                )
            )
        data = path.read_bytes()
    except OSError as err:
        raise InputError(
            Message("{path}: cannot read ({error})", path=str(path), error=err.strerror or str(err))
        ) from None
    try:
        return decode(data)[0]
    except InputError as err:
        raise InputError(Message("{path}: {error}", path=str(path), error=str(err))) from None


Row = TypeVar("Row", covariant=True)


class _Reader(Protocol[Row]):
    """What ``csv.reader`` and ``csv.DictReader`` both are: rows, and the line read up to."""

    line_num: int

    def __next__(self) -> Row: ...


def numbered_rows(reader: _Reader[Row], path: Path) -> Iterator[tuple[int, Row]]:
    """Each row with the line it starts on (a quoted cell may span lines); a row csv cannot read is one ``InputError`` naming it."""
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as err:
            raise csv_problem(str(path), start, err) from None
        yield start, row
        start = reader.line_num + 1


def csv_problem(where: str, start: int, error: csv.Error) -> InputError:
    """``error`` from reading the row that starts on line ``start`` of ``where``, in one line that says why."""
    text = str(error)
    if "unexpected end of data" in text:
        return InputError(
            Message(
                "{where}:{line}: a quote opened in this row is never closed (the cell runs to the end of the file)",
                where=where,
                line=start,
            )
        )
    if "field larger than field limit" in text:
        return InputError(
            Message(
                "{where}:{line}: a cell longer than {limit} characters (is a quote left open?)",
                where=where,
                line=start,
                limit=format(csv.field_size_limit(), ","),
            )
        )
    return InputError(Message("{where}:{line}: not readable as a table ({error})", where=where, line=start, error=text))
