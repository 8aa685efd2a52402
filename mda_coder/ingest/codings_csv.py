"""Read codings from a CSV table (one row per coding), checking every row before anything is stored."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from mda_coder.core.display import one_line
from mda_coder.core.errors import InputError
from mda_coder.core.numbers import fits
from mda_coder.i18n import Message
from mda_coder.ingest.csv_table import allow_long_cells, csv_problem, numbered_rows, table_text

REQUIRED = ("coder", "document", "code")
"""Besides these, a row says where: ``start`` and ``end``, or ``turn``, or ``sentence`` (with ``turn``: within that turn)."""


@dataclass(frozen=True)
class CodingRecord:
    line: int
    """The line the row starts on in the file, for error messages."""
    coder: str
    document: str
    code: str
    turn: int | None
    sentence: int | None
    span: tuple[int, int] | None
    memo: str | None


def _int(value: str, field: str, where: str) -> int:
    shown = one_line(value, 40)
    try:
        number = int(value.strip())
    except ValueError:
        raise InputError(
            Message("{where}: '{field}' must be a whole number (got '{value}')", where=where, field=field, value=shown)
        ) from None
    if not fits(number):
        raise InputError(
            Message("{where}: '{field}' is too large (got '{value}')", where=where, field=field, value=shown)
        )
    return number


def read_codings_csv(path: Path) -> list[CodingRecord]:
    """Every row of the table at ``path``; any problem is one ``InputError`` naming the file and line."""
    path = Path(path)
    text = table_text(path)
    if not text.strip():
        raise InputError(f"{path}: is empty")
    # Only the delimiter is guessed (from the header, which has no quotes to judge by); quoting is
    # always the spreadsheet's: a guessed dialect read the memo '"', written as '""""', back as '""'.
    try:
        delimiter = csv.Sniffer().sniff(text[:65536].split("\n", 1)[0], delimiters=",;\t").delimiter
    except csv.Error:
        delimiter = ","
    allow_long_cells()
    # strict: a quote left open must say so, not swallow the rows after it into one cell.
    reader = csv.DictReader(io.StringIO(text), dialect=csv.excel, delimiter=delimiter, strict=True)
    try:
        fields = reader.fieldnames
    except csv.Error as err:
        raise csv_problem(str(path), 1, err) from None
    header = [(h or "").strip().lower() for h in fields or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(
            Message(
                "{path}:1: missing column(s) {columns} (need coder, document, code and start/end or turn or sentence)",
                path=str(path),
                columns=", ".join(missing),
            )
        )
    has_span = "start" in header and "end" in header
    if not (has_span or "turn" in header or "sentence" in header):
        raise InputError(
            Message(
                "{path}:1: need columns start and end, or turn, or sentence, to say where each code goes",
                path=str(path),
            )
        )
    records = []
    for line, row in numbered_rows(reader, path):
        values = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        where = f"{path}:{line}"
        if not any(values.values()):
            continue
        for column in REQUIRED:
            if not values.get(column):
                raise InputError(f"{where}: '{column}' is empty")
        turn = sentence = None
        span = None
        if has_span and (values.get("start") or values.get("end")):
            span = (_int(values.get("start", ""), "start", where), _int(values.get("end", ""), "end", where))
        elif values.get("turn") or values.get("sentence"):  # both: the sentence numbered within the turn
            turn = _int(values["turn"], "turn", where) if values.get("turn") else None
            sentence = _int(values["sentence"], "sentence", where) if values.get("sentence") else None
        else:
            raise InputError(f"{where}: say where to code (start and end, or turn, or sentence)")
        records.append(
            CodingRecord(
                line=line,
                coder=values["coder"],
                document=values["document"],
                code=values["code"],
                turn=turn,
                sentence=sentence,
                span=span,
                memo=values.get("memo") or None,
            )
        )
    if not records:
        raise InputError(f"{path}: has a header but no codings")
    return records
