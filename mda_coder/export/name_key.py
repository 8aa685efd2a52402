"""Write a pseudonymisation key as CSV (``original,pseudonym,kind,where``), for the researcher to edit."""

from __future__ import annotations

import csv
from collections.abc import Iterable
from typing import IO

HEADER = ("original", "pseudonym", "kind", "where")


def write_key(stream: IO[str], rows: Iterable[tuple[str, str, str, str]]) -> None:
    """The header and one row per name, comma-separated, quoted where a cell needs it, ``\\n`` line ends."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
