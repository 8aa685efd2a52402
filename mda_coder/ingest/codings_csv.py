"""Read codings from a CSV table (one row per coding), checking every row before anything is stored."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from mda_coder.core.errors import InputError
from mda_coder.ingest.encoding import decode

REQUIRED = ("coder", "document", "code")
"""Besides these, a row says where: ``start`` and ``end``, or ``turn``, or ``sentence`` (with ``turn``: within that turn)."""


@dataclass(frozen=True)
class CodingRecord:
    line: int
    """The row's line in the file, for error messages."""
    coder: str
    document: str
    code: str
    turn: int | None
    sentence: int | None
    span: tuple[int, int] | None
    memo: str | None


def _int(value: str, field: str, where: str) -> int:
    try:
        return int(value.strip())
    except ValueError:
        raise InputError(f"{where}: '{field}' must be a whole number (got '{value}')") from None


def read_codings_csv(path: Path) -> list[CodingRecord]:
    path = Path(path)
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    text, _ = decode(path.read_bytes())
    if not text.strip():
        raise InputError(f"{path}: is empty")
    try:
        dialect = csv.Sniffer().sniff(text.split("\n", 1)[0], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(io.StringIO(text), dialect=dialect)
    header = [(h or "").strip().lower() for h in reader.fieldnames or []]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)} (need coder, document, code and start/end or turn or sentence)")
    has_span = "start" in header and "end" in header
    if not (has_span or "turn" in header or "sentence" in header):
        raise InputError(f"{path}: need columns start and end, or turn, or sentence, to say where each code goes")
    records = []
    for row in reader:
        values = {(k or "").strip().lower(): (v or "").strip() for k, v in row.items() if k is not None}
        where = f"{path}:{reader.line_num}"
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
                line=reader.line_num,
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
