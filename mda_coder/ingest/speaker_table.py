"""Read a speaker table (CSV, TSV or semicolons): one row per speaker label with name, role, person and attributes."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mda_coder.core.errors import InputError
from mda_coder.ingest.encoding import decode

KEY_NAMES = ("label", "speaker", "id", "talare", "taler", "etikett")
"""Headers (any case) of the column that holds the speaker labels the rows describe."""
NAME_NAMES = ("name", "display_name", "speaker_name", "namn", "navn")
ROLE_NAMES = ("role", "speaker_role", "roll", "rolle")
PERSON_NAMES = ("person", "person_id")
DOCUMENT_NAMES = ("document", "dokument")

DELIMITERS = ("\t", ";", ",")
"""Tab, semicolon (Swedish and Danish Excel) or comma: the one the header line holds most of."""

NO_VALUE = ("", "-")
"""Cells that give no value: the speaker keeps what it has."""

MAX_BYTES = 64 * 1024 * 1024
"""A speaker table larger than this is refused rather than read into memory (corpus-wide exports are a few MB)."""
MAX_COLUMNS = 1000
MAX_CELL_CHARS = 131_072
"""Longest cell: a name, a role or an age is short, so a longer cell is most likely a quote left open.

Checked here rather than left to the csv module's own limit, which other readers raise for
codings whose text is long (:mod:`~mda_coder.ingest.csv_table`).
"""


@dataclass(frozen=True, slots=True)
class Columns:
    """Which header names the table's columns were taken for; None when the table has no such column."""

    key: str
    name: str | None = None
    role: str | None = None
    person: str | None = None
    document: str | None = None
    attributes: tuple[str, ...] = ()
    """Every other column, in the table's order: each becomes a free attribute of the speaker."""


@dataclass(frozen=True, slots=True)
class SpeakerEntry:
    """One row: the label it describes and the values it gives (None: no value, keep what is there)."""

    line: int
    """The row's first line in the file, for pointing a reader to it."""
    key: str
    name: str | None
    role: str | None
    person: str | None
    document: str | None
    attributes: dict[str, str] = field(default_factory=dict)
    """Attribute columns with a value in this row only."""


@dataclass(frozen=True, slots=True)
class SpeakerTable:
    path: str
    """The file as the user named it, for messages."""
    columns: Columns
    rows: tuple[SpeakerEntry, ...]


def read_speaker_table(
    path: Path,
    *,
    key: str | None = None,
    name: str | None = None,
    role: str | None = None,
    person: str | None = None,
) -> SpeakerTable:
    """The rows of the table in ``path``, every one checked before any is used.

    Columns are found by their header (any case, English, Swedish or Danish names); ``key``,
    ``name``, ``role`` and ``person`` name a column to use instead. Raises ``InputError`` with
    the file and line for a ragged row, an empty or repeated key, an unknown column named.
    """
    path = Path(path)
    where = str(path)
    if not path.is_file():
        raise InputError(f"{where}: no such file")
    size = path.stat().st_size
    if size > MAX_BYTES:
        raise InputError(f"{where}: {size:,} bytes; a speaker table over {MAX_BYTES:,} bytes is refused")
    try:
        text, _ = decode(path.read_bytes())
    except InputError as exc:
        raise InputError(f"{where}: {exc}") from None
    if not text.strip():
        raise InputError(f"{where}: is empty")
    records = _records(where, text)
    if not records:  # only empty cells, e.g. a header of one blank name
        raise InputError(f"{where}: is empty")
    header_line, header = records[0]
    header = _header(where, header_line, header)
    columns = _columns(where, header, {"key": key, "name": name, "role": role, "person": person})
    rows = _entries(where, header, columns, records[1:])
    if not rows:
        raise InputError(f"{where}: has a header but no rows")
    return SpeakerTable(where, columns, tuple(rows))


def _delimiter(text: str) -> str:
    header = text.lstrip("\n").split("\n", 1)[0]
    counts = [header.count(d) for d in DELIMITERS]
    return DELIMITERS[counts.index(max(counts))] if max(counts) else ","


def _records(where: str, text: str) -> list[tuple[int, list[str]]]:
    """Every non-blank record with the line it starts on; a cell may span lines inside quotes."""
    # strict: a quote left open must not swallow the rows after it into one cell without a word.
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text), strict=True)
    records: list[tuple[int, list[str]]] = []
    start = 1
    try:
        for cells in reader:
            if any(len(c) > MAX_CELL_CHARS for c in cells):
                raise csv.Error("field larger than field limit")
            if any(c.strip() for c in cells):
                records.append((start, [c.strip() for c in cells]))
            start = reader.line_num + 1
    except csv.Error as exc:
        line = reader.line_num or start
        if "field larger than field limit" in str(exc):
            limit = min(MAX_CELL_CHARS, csv.field_size_limit())
            raise InputError(
                f"{where}:{start}: a cell longer than {limit:,} characters (is a quote left open?)"
            ) from None
        if "unexpected end of data" in str(exc):
            raise InputError(f"{where}:{start}: a quote in this row is never closed") from None
        raise InputError(f"{where}:{line}: not readable as a table ({exc})") from None
    return records


def _header(where: str, line: int, header: list[str]) -> list[str]:
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise InputError(
            f"{where}:{line}: {len(header)} columns; a speaker table over {MAX_COLUMNS} columns is refused"
        )
    seen: dict[str, int] = {}
    for i, column in enumerate(header, 1):
        if not column:
            raise InputError(f"{where}:{line}: column {i} has no name in the header")
        folded = column.casefold()
        if folded in seen:
            raise InputError(f"{where}:{line}: columns {seen[folded]} and {i} have the same name '{column}'")
        seen[folded] = i
    return header


def _columns(where: str, header: list[str], chosen: dict[str, str | None]) -> Columns:
    """The column for each part: the one named by an option, else the one whose header is a known name."""
    by_name = {h.casefold(): h for h in header}
    taken: dict[str, str] = {}
    for part, wanted in chosen.items():
        if wanted is None:
            continue
        column = by_name.get(wanted.strip().casefold())
        if column is None:
            raise InputError(f"{where}: no column '{wanted}' for --{part} (the columns are {_listed(header)})")
        if column in taken.values():
            other = next(p for p, c in taken.items() if c == column)
            raise InputError(f"{where}: --{part} and --{other} name the same column '{column}'")
        taken[part] = column
    known = {
        "key": KEY_NAMES,
        "name": NAME_NAMES,
        "role": ROLE_NAMES,
        "person": PERSON_NAMES,
        "document": DOCUMENT_NAMES,
    }
    for part, names in known.items():
        if part in taken:
            continue
        found = [h for h in header if h.casefold() in names and h not in taken.values()]
        if len(found) > 1:
            option = f"--{part}" if part != "document" else "a single document column"
            raise InputError(
                f"{where}: columns {' and '.join(found)} could both be the {part}; choose one with {option}"
            )
        if found:
            taken[part] = found[0]
    if "key" not in taken:
        raise InputError(
            f"{where}: no column of speaker labels (headed {', '.join(KEY_NAMES)}); "
            f"name it with --key (the columns are {_listed(header)})"
        )
    return Columns(
        key=taken["key"],
        name=taken.get("name"),
        role=taken.get("role"),
        person=taken.get("person"),
        document=taken.get("document"),
        attributes=tuple(h for h in header if h not in taken.values()),
    )


def _listed(names: Sequence[str], most: int = 8) -> str:
    shown = ", ".join(names[:most])
    return shown + (f" and {len(names) - most} more" if len(names) > most else "")


def _entries(
    where: str, header: list[str], columns: Columns, records: list[tuple[int, list[str]]]
) -> list[SpeakerEntry]:
    index = {h: i for i, h in enumerate(header)}
    seen: dict[tuple[str | None, str], int] = {}
    rows = []
    for line, cells in records:
        if len(cells) > len(header) and not any(cells[len(header) :]):
            cells = cells[: len(header)]
        if len(cells) != len(header):
            raise InputError(f"{where}:{line}: {len(cells)} cells, the header has {len(header)}")

        def value(column: str | None) -> str | None:
            if column is None:
                return None
            cell = cells[index[column]]  # noqa: B023 - value() is called only in this iteration
            return None if cell in NO_VALUE else cell

        for part in ("key", "name", "role", "person", "document"):
            column = getattr(columns, part)
            if column is not None and "\n" in cells[index[column]]:
                raise InputError(f"{where}:{line}: the {column} cell runs over several lines (is a quote left open?)")
        key = value(columns.key)
        if key is None:
            raise InputError(f"{where}:{line}: no speaker label in column '{columns.key}'")
        document = value(columns.document)
        if (document, key) in seen:
            raise InputError(f"{where}:{line}: '{key}' is already on line {seen[(document, key)]}")
        seen[(document, key)] = line
        attributes = {a: v for a in columns.attributes if (v := value(a)) is not None}
        rows.append(
            SpeakerEntry(
                line, key, value(columns.name), value(columns.role), value(columns.person), document, attributes
            )
        )
    return rows
