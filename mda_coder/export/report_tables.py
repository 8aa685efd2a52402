"""Write report tables (frequencies, co-occurrence, matrices, sequences) as CSV, JSON or Markdown.

The writers take one plain `ReportTable`, so the CLI and the TUI render the same bytes. A measure
that has no value is an `Undefined` cell carrying its reason: CSV leaves it empty, JSON gives null
and lists the reason, Markdown and the terminal print "undefined [n]" with the reasons beneath.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import IO, Any

from mda_coder.export.agreement_report import escape

FORMATS = ("csv", "json", "md")


@dataclass(frozen=True, slots=True)
class Undefined:
    """A cell whose statistic cannot be computed, and why."""

    reason: str


@dataclass(frozen=True, slots=True)
class Marked:
    """A number with a mark the table's notes explain (e.g. ``*`` for very unequal code frequencies)."""

    value: float
    mark: str


Cell = str | int | float | None | Undefined | Marked


@dataclass(frozen=True, slots=True)
class ReportTable:
    """One report: what it covers, its table, and notes that explain marks and choices."""

    title: str
    facts: tuple[str, ...]
    """What the report covers (unit, documents, coders …), one line each."""
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    notes: tuple[str, ...] = ()
    kind: str = ""
    """frequencies, cooccurrence, matrix or sequences."""
    shares: frozenset[str] = field(default_factory=frozenset)
    """Columns holding shares from 0 to 1, shown as percentages to people."""


def plain(cell: Cell) -> Any:
    """The cell as a number, a text or None (undefined), for CSV and JSON."""
    if isinstance(cell, Undefined):
        return None
    if isinstance(cell, Marked):
        return cell.value
    return cell


def text(cell: Cell, reasons: dict[str, int], share: bool = False) -> str:
    """The cell for a reader: counts bare, measures to three decimals, shares in percent, undefined numbered."""
    if cell is None:
        return ""
    if isinstance(cell, Undefined):
        mark = reasons.setdefault(cell.reason, len(reasons) + 1)
        return f"undefined [{mark}]"
    if isinstance(cell, Marked):
        return text(cell.value, reasons, share) + cell.mark
    if isinstance(cell, bool):
        return "yes" if cell else ""
    if isinstance(cell, float):
        return f"{100 * cell:.1f}%" if share else f"{cell:.3f}"
    return str(cell)


def text_rows(table: ReportTable) -> tuple[list[list[str]], dict[str, int]]:
    """Every row as text, and the numbered reasons of the undefined cells in order of appearance."""
    reasons: dict[str, int] = {}
    shares = [c in table.shares for c in table.columns]
    return [[text(c, reasons, s) for c, s in zip(row, shares)] for row in table.rows], reasons


def write_csv(table: ReportTable, stream: IO[str]) -> None:
    """The table as it is shown, one header row; full-precision numbers, empty cells where undefined."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        values = (plain(c) for c in row)
        writer.writerow(["" if v is None else repr(v) if isinstance(v, float) else v for v in values])


def write_json(table: ReportTable, stream: IO[str]) -> None:
    """One object: title, facts, notes, rows as records keyed by column, and every undefined cell's reason."""
    undefined = [
        {"row": i, "column": col, "reason": cell.reason}
        for i, row in enumerate(table.rows)
        for col, cell in zip(table.columns, row)
        if isinstance(cell, Undefined)
    ]
    marked = [
        {"row": i, "column": col, "mark": cell.mark}
        for i, row in enumerate(table.rows)
        for col, cell in zip(table.columns, row)
        if isinstance(cell, Marked)
    ]
    document = {
        "report": table.kind,
        "title": table.title,
        "facts": list(table.facts),
        "columns": list(table.columns),
        "rows": [{col: plain(cell) for col, cell in zip(table.columns, row)} for row in table.rows],
        "undefined": undefined,
        "marked": marked,
        "notes": list(table.notes),
    }
    json.dump(document, stream, ensure_ascii=False, indent=2)
    stream.write("\n")


def write_markdown(table: ReportTable, stream: IO[str]) -> None:
    """A GitHub-flavoured Markdown table with every cell escaped (a ``|`` in a code name stays text)."""
    stream.write(f"# {escape(table.title)}\n\n")
    for fact in table.facts:
        stream.write(f"- {escape(fact)}\n")
    rows, reasons = text_rows(table)
    numeric = _numeric_columns(table)
    stream.write("\n| " + " | ".join(escape(c) for c in table.columns) + " |\n")
    stream.write("|" + "|".join("---:" if n else "---" for n in numeric) + "|\n")
    for row in rows:
        stream.write("| " + " | ".join(escape(c) for c in row) + " |\n")
    _footer(stream, reasons, table.notes)


def _footer(stream: IO[str], reasons: dict[str, int], notes: Sequence[str]) -> None:
    if reasons:
        stream.write("\nUndefined:\n\n")
        for reason, mark in reasons.items():
            stream.write(f"{mark}. {escape(reason)}\n")
    if notes:
        stream.write("\n")
        for note in notes:
            stream.write(f"{escape(note)}\n\n")


def _numeric_columns(table: ReportTable) -> list[bool]:
    """Columns whose cells are all numbers (or empty/undefined): right-aligned."""
    numeric = []
    for i in range(len(table.columns)):
        cells = [row[i] for row in table.rows]
        numeric.append(
            bool(cells)
            and all(
                c is None
                or isinstance(c, (Undefined, Marked))
                or (isinstance(c, (int, float)) and not isinstance(c, bool))
                for c in cells
            )
        )
    return numeric


def numeric_columns(table: ReportTable) -> list[str]:
    """The names of the columns to right-align."""
    return [c for c, n in zip(table.columns, _numeric_columns(table)) if n]


def write(table: ReportTable, fmt: str, stream: IO[str]) -> None:
    {"csv": write_csv, "json": write_json, "md": write_markdown}[fmt](table, stream)
