"""What the reports screen asks the services for: the report a setup names, and the excerpts behind one of its cells.

Kept out of the screen so that the mapping from the setup's choice to service calls, the one
place where the TUI and `mda-coder report` could drift apart, reads as one list of calls.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import cast

from mda_coder.core import files
from mda_coder.export.report_tables import ReportTable, write
from mda_coder.i18n import TUI
from mda_coder.services import reports
from mda_coder.services.reports import Excerpts, Kind, ReportRequest, report
from mda_coder.store.engine import Database
from mda_coder.tui.dialogs.report_setup import ReportChoice

_ = TUI.gettext

Lister = Callable[[Database], Excerpts]


def scope_of(choice: ReportChoice) -> reports.Scope:
    return reports.Scope(
        documents=choice.documents,
        groups=choice.groups,
        speakers=choice.speakers,
        roles=choice.roles,
        coders=choice.coders,
        codes=choice.codes,
        no_moderator=choice.no_moderator,
    )


def request_of(choice: ReportChoice) -> ReportRequest:
    """The setup's choice as the request `mda-coder report` builds from its options."""
    return ReportRequest(
        kind=cast(Kind, choice.kind),  # the dialog's options are the four kinds
        scope=scope_of(choice),
        unit=choice.unit,
        within=choice.within,
        measure=choice.measure,
        columns=choice.columns,
        values=choice.values,
        include_subcodes=choice.include_subcodes,
        per_coder=choice.per_coder,
        transpose=choice.transpose,
    )


def compute(db: Database, choice: ReportChoice) -> ReportTable:
    """The report ``choice`` names, from the same service call as `mda-coder report`."""
    return report(db, request_of(choice))


def lister(choice: ReportChoice, table: ReportTable, row: int, column: int) -> Lister | None:
    """What lists the excerpts behind the cell at (row, column); None where a cell counts nothing of its own.

    Counts list exactly the units they count; a measure lists the units its count is of (a pair's
    units with both codes, a share's coded units).
    """
    scope = scope_of(choice)
    cells, name = table.rows[row], table.columns[column]
    subcodes = choice.include_subcodes
    units = partial(reports.units_with, scope=scope, unit=choice.unit, within=choice.within, include_subcodes=subcodes)
    if choice.kind == "frequencies":
        return _frequencies(choice, scope, cells[0], cells[1] if choice.per_coder else None, name)
    if choice.kind == "cooccurrence":
        a = str(cells[0])
        if choice.measure is None:
            b = str(cells[1])
            codes = {"code_a": [a], "n_a": [a], "code_b": [b], "n_b": [b]}.get(name, [a, b])
        else:
            codes = [a] if column == 0 or name == a else [a, name]
        return partial(units, codes=codes)
    if choice.kind == "matrix":
        kind = "role" if choice.columns == "speaker-role" else choice.columns
        if choice.transpose:  # rows: the columns' labels then "total"; columns: the codes then every unit
            label, code = str(cells[0]), name
            margin_row, margin_column = row == len(table.rows) - 1, column == len(table.columns) - 1
        else:
            label, code = name, str(cells[0])
            margin_row, margin_column = column == len(table.columns) - 1, row == len(table.rows) - 1
        codes = [] if margin_column or (choice.transpose and column == 0) else [code]
        where = None if margin_row or (not choice.transpose and column == 0) else (kind, label)
        return partial(
            reports.units_with, scope=scope, codes=codes, unit=choice.unit, column=where, include_subcodes=subcodes
        )
    a, b = str(cells[0]), str(cells[1])
    if name == "from_followed":
        return partial(reports.transitions_of, scope=scope, first=a, second=None, include_subcodes=subcodes)
    by_name: dict[str, reports.Speakers] = {"speaker_changes": "changed", "same_speaker": "same"}
    speakers = by_name.get(name, "all")
    return partial(reports.transitions_of, scope=scope, first=a, second=b, speakers=speakers, include_subcodes=subcodes)


def _frequencies(
    choice: ReportChoice, scope: reports.Scope, code_cell: object, coder_cell: object, name: str
) -> Lister | None:
    """A frequency count's units: of one coder's codings on a per-coder row."""
    if name == "coder":
        return None
    code, coder, plus = str(code_cell), None if coder_cell is None else str(coder_cell), name.endswith("+")
    base = name.rstrip("+")
    if base == "codings":
        return partial(reports.codings_of, scope=scope, code=code, coder=coder, include_subcodes=plus)
    units: dict[str, reports.Unit] = {"documents": "document", "words": "overlap", "characters": "overlap"}
    unit = units.get(base, choice.unit)
    # words and characters count the text the code covers: its passages
    return partial(reports.units_with, scope=scope, codes=[code], unit=unit, coder=coder, include_subcodes=plus)


def save(table: ReportTable, fmt: str, path: Path) -> None:
    """Write the whole file or nothing, with the user's normal permissions.

    The workspace asked for the name and says when it replaced a file, so a file there is replaced.
    """
    files.write_text(path, partial(write, table, fmt), force=True)
