"""Read a pseudonymisation key: a CSV table ``original,pseudonym,kind,where``, every row checked before any is used."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from pathlib import Path

from mda_coder.core.errors import InputError
from mda_coder.i18n import Message
from mda_coder.ingest.csv_table import csv_problem, numbered_rows, table_text
from mda_coder.nlp.names import KINDS

HEADER = ("original", "pseudonym", "kind", "where")
"""The columns, in this order (``where`` may be left out: it only says where a name was found)."""


@dataclass(frozen=True, slots=True)
class KeyRow:
    """One name of the key, with the line it is on (for pointing a reader to it)."""

    line: int
    original: str
    pseudonym: str
    kind: str
    where: str = ""


def read_key(path: Path) -> tuple[KeyRow, ...]:
    """The rows of the key at ``path``.

    Refused in one line naming the file and the row: a missing column, an empty original or
    pseudonym, an unknown kind, an original given twice, a pseudonym given twice (``--reverse``
    could not tell them apart) or a pseudonym that is also an original.
    """
    where = str(path)
    text = table_text(path)
    reader = csv.reader(io.StringIO(text), strict=True)
    rows: list[KeyRow] = []
    header_seen = False
    try:
        numbered = list(numbered_rows(reader, path))
    except csv.Error as exc:  # numbered_rows says it in one line already; this is for safety
        raise csv_problem(where, 1, exc) from None
    originals: dict[str, int] = {}
    pseudonyms: dict[str, int] = {}
    for line, cells in numbered:
        cells = [c.strip() for c in cells]
        if not any(cells):
            continue
        if not header_seen:
            header = tuple(c.lower().lstrip("\ufeff") for c in cells)
            if header[:3] != HEADER[:3]:
                raise InputError(
                    Message(
                        "{path}:{line}: the first line must be the header original,pseudonym,kind,where (found {found})",
                        path=where,
                        line=line,
                        found=",".join(cells),
                    )
                )
            header_seen = True
            continue
        if len(cells) < 3:
            raise InputError(Message("{path}:{line}: a row needs original, pseudonym and kind", path=where, line=line))
        original, pseudonym, kind = cells[0], cells[1], cells[2].lower()
        if not original or not pseudonym:
            raise InputError(
                Message(
                    "{path}:{line}: an empty original or pseudonym (delete the row to leave a name as it is)",
                    path=where,
                    line=line,
                )
            )
        if kind not in KINDS:
            raise InputError(
                Message(
                    "{path}:{line}: unknown kind '{kind}' (one of: {kinds})",
                    path=where,
                    line=line,
                    kind=cells[2],
                    kinds=", ".join(KINDS),
                )
            )
        if original in originals:
            raise InputError(
                Message(
                    "{path}:{line}: '{name}' is already on line {first}",
                    path=where,
                    line=line,
                    name=original,
                    first=originals[original],
                )
            )
        if pseudonym in pseudonyms:
            raise InputError(
                Message(
                    "{path}:{line}: pseudonym '{name}' is already given on line {first} (--reverse could not tell them apart)",
                    path=where,
                    line=line,
                    name=pseudonym,
                    first=pseudonyms[pseudonym],
                )
            )
        originals[original] = line
        pseudonyms[pseudonym] = line
        rows.append(KeyRow(line, original, pseudonym, kind, cells[3] if len(cells) > 3 else ""))
    if not header_seen:
        raise InputError(Message("{path}: is empty", path=where))
    for row in rows:
        if row.pseudonym in originals:
            raise InputError(
                Message(
                    "{path}:{line}: pseudonym '{name}' is also an original (line {other})",
                    path=where,
                    line=row.line,
                    name=row.pseudonym,
                    other=originals[row.pseudonym],
                )
            )
    return tuple(rows)


def read_names(path: Path) -> tuple[str, ...]:
    """A user's list of names (``--names FILE``): one a line; blank lines and lines starting with ``#`` are skipped."""
    text = table_text(path)
    names = (line.strip() for line in text.splitlines())
    return tuple(dict.fromkeys(n for n in names if n and not n.startswith("#")))
