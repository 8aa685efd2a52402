"""The ``agree`` command's text output: tables that stay readable at 100 columns, notes for what is undefined."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from rich.console import Console

from mda_coder.analysis.agreement import AlphaInterval, Result, Table
from mda_coder.cli.output import console, say
from mda_coder.cli.tables import NAME, NUMBER, Column, print_table
from mda_coder.core.codebook import PATH_SEPARATOR
from mda_coder.export.agreement_report import NAMES, Counts, count, counts_text, plural
from mda_coder.services.agreement import (
    AgreementReport,
    CodeAgreement,
    GroupAgreement,
    SplitAgreement,
)
from mda_coder.services.agreement_matrix import MatrixReport
from mda_coder.services.unitizing import CodeUnitizing, GroupUnitizing, UnitizingReport
from mda_coder.services.unitizing_report import (
    kappa_name,
    percent,
    segments_heading,
    unmatched,
)

SHOWN_DISAGREEMENTS = 20
"""Disagreeing units listed per code in the text output (JSON has them all)."""


class _Notes:
    """Numbers the reasons coefficients are undefined, so a table cell can point to one."""

    def __init__(self) -> None:
        self.marks: dict[str, int] = {}

    def shown(self, result: Result | None, percent: bool = False) -> str:
        if result is None:
            return "–"
        if result.value is None:
            mark = self.marks.setdefault(result.undefined or "", len(self.marks) + 1)
            return f"undefined [{mark}]"
        return f"{100 * result.value:.1f}" if percent else f"{result.value:.3f}"

    def print(self, out: Console) -> None:
        for reason, mark in self.marks.items():
            say(out, f"[{mark}] undefined: {reason}")


def _interval(interval: AlphaInterval | None) -> str:
    if interval is None or interval.low is None or interval.high is None:
        return "–"
    return f"{interval.low:.3f}–{interval.high:.3f}"


def _table(out: Console, title: str | None, first: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A table whose first column wraps (code names are long) and whose figures are never cut or wrapped."""
    shaped = [Column(first, NAME), *(Column(col, NAME if col == "verdict" else NUMBER) for col in columns)]
    print_table(out, shaped, rows, title=title)


def display_names(paths: Sequence[str]) -> list[str]:
    """Paths shortened for a table: a code listed under its nearest listed ancestor is indented instead."""
    listed = set(paths)
    names = []
    for path in paths:
        parts = path.split(PATH_SEPARATOR)
        depth = next((d for d in range(len(parts) - 1, 0, -1) if PATH_SEPARATOR.join(parts[:d]) in listed), 0)
        names.append("  " * depth + PATH_SEPARATOR.join(parts[depth:]))
    return names


def _main_rows(items: Sequence[CodeAgreement | GroupAgreement], names: Sequence[str], notes: _Notes,
               two: bool, with_ci: bool) -> list[list[str]]:
    rows = []
    for item, name in zip(items, names):
        kappa = item.cohen_kappa if two else item.fleiss_kappa
        row = [name, notes.shown(item.alpha)]
        row += [_interval(item.alpha_interval)] if with_ci else []
        row += [item.verdict, notes.shown(kappa), notes.shown(item.gwet_ac1),
                notes.shown(item.percent_agreement, percent=True), str(len(item.disagreements))]
        rows.append(row)
    return rows


def _main_columns(two: bool, with_ci: bool) -> list[str]:
    return ["α", *(["95% CI"] if with_ci else []), "verdict", "κ Cohen" if two else "κ Fleiss", "AC1", "% agree", "differ"]


def _binary_counts(table: Table | None, two: bool) -> list[str]:
    if table is None:
        return ["–"] * (4 if two else 3)
    cells = [(1, 1), (1, 0), (0, 1), (0, 0)] if two else [(1, 1), (1, 0), (0, 0)]
    return [count(table.cell(a, b)) for a, b in cells]


def _section(out: Console, title: str, part: AgreementReport | SplitAgreement, coders: tuple[str, ...],
             notes: _Notes, details: bool, with_ci: bool) -> None:
    two = len(coders) == 2
    if not part.codes:
        say(out, f"{title}: none of the coders used any code in these units")
        return
    names = display_names([c.code for c in part.codes])
    _table(out, title, "code", _main_columns(two, with_ci), _main_rows(part.codes, names, notes, two, with_ci))
    pooled = f"pooled binary α: {notes.shown(part.pooled_alpha)}"
    if part.pooled_interval is not None:
        pooled += f" (95% CI {_interval(part.pooled_interval)})"
    say(out, pooled + "  (all reported codes' units stacked; not a mean of the α above)")
    if details:
        pair = ["π Scott", "BP", "% all", "Holsti", "1·1", "1·0", "0·1", "0·0"] if two else ["BP", "% all", "1·1", "1·0", "0·0"]
        rows = []
        for c, name in zip(part.codes, names):
            row = [name] + ([notes.shown(c.scott_pi)] if two else []) + [notes.shown(c.brennan_prediger),
                                                                          notes.shown(c.percent_all, percent=True)]
            row += [notes.shown(c.holsti, percent=True)] if two else []
            rows.append(row + _binary_counts(c.contingency if two else c.coincidence, two))
        say(out)
        _table(out, "More coefficients, and the counts behind them", "code", pair, rows)
        if two:
            say(out, f"counts: units by {coders[0]}'s value·{coders[1]}'s value (1 applied, 0 not)")
        else:
            say(out, "counts: Krippendorff's coincidences of values within units (1 applied, 0 not)")
    if part.groups:
        say(out)
        rows = _main_rows(part.groups, [g.group for g in part.groups], notes, two, with_ci)
        _table(out, "Mutually exclusive groups (nominal α over which of the group's codes a unit got)",
                         "group", _main_columns(two, with_ci), rows)
        for g in part.groups:
            counts = g.contingency if two else g.coincidence
            if details and counts is not None:
                kind = "contingency" if two else "coincidences"
                say(out, f"{g.group}, {kind}: {counts_text(_as_counts(counts))}")
            for coder, n in g.combined.items():
                if n:
                    say(out, f"{coder} gave two or more codes of '{g.group}' to {plural(n, 'unit')}: each such "
                             "value is a category of its own ('A+B')")


def _as_counts(table: Table) -> Counts:
    return Counts(table.kind, tuple(str(label) for label in table.labels), table.counts)


def print_report(report: AgreementReport) -> None:
    out = console()
    notes = _Notes()
    pairable = report.codes[0].alpha.n_pairable if report.codes else 0
    title = (f"Agreement between {', '.join(report.coders)} on {plural(report.n_units, report.unit)} "
             f"({pairable} coded by two or more of them)")
    with_ci = report.samples > 0
    _section(out, title, report, report.coders, notes, details=True, with_ci=with_ci)
    for split in report.splits:
        say(out)
        _section(out, f"{split.by.capitalize()} {split.value}: {plural(split.n_units, report.unit)}", split,
                 report.coders, notes, details=False, with_ci=with_ci)
    notes.print(out)
    footer = [
        ("α nominal; verdict after Krippendorff (.800 reliable, .667 tentative); BP Brennan–Prediger; "
         "differ: units the coders disagree on"),
    ]
    if report.samples:
        footer.append(f"95% CI: bootstrap of α, {report.samples} samples, seed {report.seed} (Hayes & Krippendorff 2007)")
    if report.include_subcodes:
        footer.append("a sub-code's codings count as codings of the codes above it too")
    if report.skipped_unused:
        footer.append(f"{plural(report.skipped_unused, 'code')} not shown: none of the coders used them in these documents")
    footer += [f"{coder} coded: {', '.join(docs) if docs else 'no documents'}" for coder, docs in report.covered.items()]
    for line in footer:
        say(out, line)
    items: list[tuple[str, list[tuple[str, int]]]] = [
        (c.code, [(d.document, d.unit) for d in c.disagreements]) for c in report.codes
    ] + [(f"group {g.group}", [(d.document, d.unit) for d in g.disagreements]) for g in report.groups]
    for name, places in items:
        if not places:
            continue
        shown = ", ".join(f"{doc}:{unit}" for doc, unit in places[:SHOWN_DISAGREEMENTS])
        more = len(places) - SHOWN_DISAGREEMENTS
        say(out, f"{name} differs at {report.unit} {shown}{f' (+{more} more, see --json)' if more > 0 else ''}")


def print_matrix(report: MatrixReport) -> None:
    out = console()
    notes = _Notes()
    name = Path(report.source).name
    alpha = report.alpha
    say(out, f"Agreement in {name}: {plural(report.n_units, 'unit')}, {len(report.coders)} coders "
              f"({', '.join(report.coders)}), {alpha.n_pairable} units coded by two or more, level {report.level}")
    rows = []
    for r in report.results:
        label = f"α ({r.level})" if r.coefficient == "krippendorff_alpha" else NAMES.get(r.coefficient, r.coefficient)
        percent = r.coefficient.startswith("percent_agreement")
        note = report.verdict if r.coefficient == "krippendorff_alpha" and r.value is not None else ""
        rows.append([label, notes.shown(r, percent=percent), str(r.n_pairable), note])
    with_ci = report.alpha_interval is not None
    if with_ci:
        for row in rows:
            row.insert(2, _interval(report.alpha_interval) if row[0].startswith("α") else "")
    columns = ["value", *(["95% CI"] if with_ci else []), "pairable units", "verdict"]
    _table(out, None, "coefficient", columns, rows)
    notes.print(out)
    for table in (report.coincidence, report.contingency):
        if table is None or not table.labels:
            continue
        heading = ("coincidences (pairs of values within units)" if table.kind == "coincidence"
                   else f"contingency: units by {report.coders[0]} (rows) and {report.coders[1]} (columns)")
        labels = [str(label) for label in table.labels]
        say(out)
        _table(out, heading, "", labels, [[a, *(count(v) for v in row)] for a, row in zip(labels, table.counts)])
    if report.samples:
        say(out, f"95% CI: bootstrap of α, {report.samples} samples, seed {report.seed} (Hayes & Krippendorff 2007)")
    if report.disagreements:
        shown = ", ".join(
            f"{d.unit} ({', '.join('–' if v is None else str(v) for v in d.values)})"
            for d in report.disagreements[:SHOWN_DISAGREEMENTS]
        )
        more = len(report.disagreements) - SHOWN_DISAGREEMENTS
        say(out, f"the coders differ on {plural(len(report.disagreements), 'unit')}: {shown}"
                  f"{f' (+{more} more, see --json)' if more > 0 else ''}")


def _unitizing_rows(items: Sequence[CodeUnitizing | GroupUnitizing], names: Sequence[str], notes: _Notes) -> list[list[str]]:
    rows = []
    for item, name in zip(items, names):
        alpha = item.alpha
        rows.append([name, notes.shown(alpha), item.verdict, _share(alpha.observed), _share(alpha.expected),
                     *(str(n) for n in item.codings.values())])
    return rows


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def print_unitizing(report: UnitizingReport) -> None:
    """α_U per code and group, then, for two coders, segment matching as a table of its own."""
    out = console()
    notes = _Notes()
    coders = report.coders
    pairable = sum(1 for d in report.documents if sum(d in docs for docs in report.covered.values()) >= 2)
    title = (f"Unitizing agreement between {', '.join(coders)}: α_U on {report.characters} characters in "
             f"{plural(len(report.documents), 'document')} ({pairable} coded by two or more of them)")
    columns = ["α_U", "verdict", "D_o", "D_e", *coders]
    if report.codes:
        names = display_names([c.code for c in report.codes])
        _table(out, title, "code", columns, _unitizing_rows(report.codes, names, notes))
    else:
        say(out, f"{title}: none of the coders used any code in these documents")
    if report.groups:
        say(out)
        _table(out, "Mutually exclusive groups (α_U over which of the group's codes each character got)", "group",
                         columns, _unitizing_rows(report.groups, [g.group for g in report.groups], notes))
    two = len(coders) == 2
    if two and report.codes:
        say(out)
        rows = []
        for c, name in zip(report.codes, display_names([c.code for c in report.codes])):
            m = c.segments
            if m is not None:
                rows.append([name, str(m.segments), str(m.agreements), str(m.first_only), str(m.second_only),
                             notes.shown(m.result, percent=True)])
        heading = f"{segments_heading(report.threshold)}: it counts segments, not characters"
        _table(out, heading, "code", ["segments", "agreements", f"{coders[0]} only", f"{coders[1]} only",
                                           "% agree"], rows)
        if report.segment_kappa is not None:
            say(out, f"{kappa_name(report)}: {notes.shown(report.segment_kappa)}  (MAXQDA's chance correction)")
    notes.print(out)
    footer = [
        ("α_U: Krippendorff's unitizing α (Krippendorff et al. 2016) of each code against its gaps; D_o, D_e: "
         f"observed and expected disagreement; {', '.join(coders)}: their codings of the code; verdict after "
         "Krippendorff (.800 reliable, .667 tentative)"),
    ]
    if two and report.codes:
        footer.append(
            f"segment matching: a segment agrees when the other coder has the code on a segment overlapping it by "
            f"at least {percent(report.threshold)} (intersection / union); a segment both drew alike counts once "
            "per coder; % agree is not chance-corrected, only the segment κ is"
        )
    elif not two:
        footer.append(f"segment matching compares two coders: left out for {len(coders)}")
    if report.include_subcodes:
        footer.append("a sub-code's codings count as codings of the codes above it too")
    if report.skipped_unused:
        footer.append(f"{plural(report.skipped_unused, 'code')} not shown: none of the coders used them in these documents")
    footer += [f"{coder} coded: {', '.join(docs) if docs else 'no documents'}" for coder, docs in report.covered.items()]
    for line in footer:
        say(out, line)
    for c in report.codes:
        places = unmatched(report, c)
        if places:
            more = len(places) - SHOWN_DISAGREEMENTS
            say(out, f"{c.code}: unmatched segments {', '.join(places[:SHOWN_DISAGREEMENTS])}"
                     f"{f' (+{more} more, see --json)' if more > 0 else ''}")
