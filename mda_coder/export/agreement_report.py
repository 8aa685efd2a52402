"""Write agreement reports as a tidy CSV (one row per subject × split × coefficient) or a Markdown report.

The writers take plain values (`AgreementDocument` and its parts) so the CLI and the TUI render
the same bytes; `services.agreement_export` builds them from the agreement reports.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import IO

from mda_coder.export.agreement_statistics import Statistic, number, statistic


@dataclass(frozen=True, slots=True)
class Figure:
    """One coefficient: its value or why it has none, and the counts it rests on."""

    coefficient: str
    """krippendorff_alpha, cohen_kappa, scott_pi, fleiss_kappa, brennan_prediger, gwet_ac1,
    percent_agreement_pairwise, percent_agreement_all or percent_agreement_holsti; on free spans
    unitizing_alpha, segment_agreement or segment_kappa."""
    level: str
    value: float | None
    undefined: str | None
    n_units: int
    n_pairable: int
    n_values: int
    observed: float | None
    expected: float | None
    verdict: str = ""
    """Krippendorff's verdict, for α (and α_U) only."""
    ci_low: float | None = None
    ci_high: float | None = None
    threshold: float | None = None
    """Segment matching only: the least overlap (intersection / union) at which two segments match."""
    agreements: int | None = None
    """Segment matching only: segments of either coder that the other matched."""
    first_only: int | None = None
    """Segment matching only: the first coder's segments the second did not match."""
    second_only: int | None = None
    """Segment matching only: the second coder's segments the first did not match."""


@dataclass(frozen=True, slots=True)
class Counts:
    """The coincidence or contingency table behind a subject's coefficients."""

    kind: str
    labels: tuple[str, ...]
    counts: tuple[tuple[float, ...], ...]

    def cell(self, row: str, column: str) -> float:
        return self.counts[self.labels.index(row)][self.labels.index(column)]


@dataclass(frozen=True, slots=True)
class Subject:
    """What one row of a report is about: a code, an exclusive group, the pooled codes, or a table of ratings."""

    kind: str
    """code, group, pooled or matrix."""
    name: str
    figures: tuple[Figure, ...]
    counts: Counts | None = None
    disagreements: int | None = None
    """Units on which the coders differ."""
    places: tuple[str, ...] = ()
    """Where they differ ("FG1_Norrvik:12"), listed at the end of a report."""
    note: str = ""
    columns: tuple[tuple[str, str], ...] = ()
    """More cells for the Markdown table, (heading, text): codings per coder, segment counts."""
    combined: tuple[tuple[str, int], ...] = ()
    """An exclusive group: per coder, the units to which they gave two or more of its codes."""
    codings: tuple[tuple[str, int], ...] = ()
    """Free spans: per coder, their codings of the code (of the group's codes)."""
    tables: tuple[Counts, ...] = ()
    """A table of ratings: every table behind its figures, the coincidences and (two coders) the contingency."""

    def figure(self, key: str) -> Figure | None:
        """The figure of the statistic ``key``; None when this subject has none (κ for three coders)."""
        return next((f for f in self.figures if f.coefficient == key), None)


@dataclass(frozen=True, slots=True)
class Section:
    """The subjects of one split value (or of everything, split "all")."""

    split: str
    value: str
    heading: str
    n_units: int
    subjects: tuple[Subject, ...]
    note: str = ""
    pairable: str = "pairable units"
    """The heading of the Markdown column of `Figure.n_pairable`: what was compared, in this section's terms."""


@dataclass(frozen=True, slots=True)
class Comparison:
    """Who was compared on what: what the command line's and the screen's headings and notes say of a report."""

    coders: tuple[str, ...]
    unit: str
    """What a unit is: turn or sentence; character for free spans; unit for a table of ratings (its rows)."""
    n_units: int
    """Turns or sentences; for free spans, the characters of the documents compared."""
    documents: tuple[str, ...]
    covered: tuple[tuple[str, tuple[str, ...]], ...]
    """Per coder, the documents in which they made at least one coding."""
    samples: int = 0
    """Bootstrap samples behind each interval of α (0: none)."""
    seed: int | None = None
    include_subcodes: bool = False
    skipped_unused: int = 0
    """Codes in scope that none of the coders used: no row for them."""
    by: str | None = None
    """document or role when every figure is also given per document or per speaker role."""
    threshold: float | None = None
    """Free spans: the least overlap at which two segments match."""


@dataclass(frozen=True, slots=True)
class AgreementDocument:
    """A report built once from the service's result: the files are written from it, and the command line draws it."""

    title: str
    facts: tuple[str, ...]
    """What the files say of the report, in English."""
    sections: tuple[Section, ...]
    comparison: Comparison | None = None
    """What was compared: the command line's tables and the screen's are drawn from this document."""


KIND_HEADINGS = {"code": "code", "group": "exclusive group", "pooled": "pooled", "matrix": "table"}

CSV_COLUMNS: tuple[tuple[str, Callable[[Section, Subject, Figure], object]], ...] = (
    ("split", lambda section, subject, f: section.split),
    ("split_value", lambda section, subject, f: section.value),
    ("kind", lambda section, subject, f: subject.kind),
    ("subject", lambda section, subject, f: subject.name),
    ("coefficient", lambda section, subject, f: f.coefficient),
    ("level", lambda section, subject, f: f.level),
    ("value", lambda section, subject, f: f.value),
    ("undefined", lambda section, subject, f: f.undefined),
    ("ci_low", lambda section, subject, f: f.ci_low),
    ("ci_high", lambda section, subject, f: f.ci_high),
    ("verdict", lambda section, subject, f: f.verdict or None),
    ("n_units", lambda section, subject, f: f.n_units),
    ("n_pairable", lambda section, subject, f: f.n_pairable),
    ("n_values", lambda section, subject, f: f.n_values),
    ("observed", lambda section, subject, f: f.observed),
    ("expected", lambda section, subject, f: f.expected),
    ("disagreements", lambda section, subject, f: subject.disagreements),
    ("threshold", lambda section, subject, f: f.threshold),
    ("agreements", lambda section, subject, f: f.agreements),
    ("first_only", lambda section, subject, f: f.first_only),
    ("second_only", lambda section, subject, f: f.second_only),
)
"""The tidy CSV's columns, in this order, and where each cell comes from; new columns are only ever appended."""

COLUMNS = tuple(name for name, _ in CSV_COLUMNS)


def rows(document: AgreementDocument) -> Iterator[tuple[object, ...]]:
    """The tidy rows, one per subject × split × coefficient; None for an empty cell."""
    for section in document.sections:
        for subject in section.subjects:
            for f in subject.figures:
                yield tuple(cell(section, subject, f) for _, cell in CSV_COLUMNS)


def write_csv(document: AgreementDocument, stream: IO[str]) -> None:
    """Tidy CSV: comma-separated, a header row, full-precision numbers, empty cells for "none"."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows(document):
        writer.writerow(["" if v is None else repr(v) if isinstance(v, float) else v for v in row])


_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&$#])")


def escape(text: str) -> str:
    """``text`` as literal Markdown table-cell text: backslash-escaped specials (``|`` above all), one line."""
    return _SPECIAL.sub(r"\\\1", " ".join(str(text).split()))


def plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def count(value: float) -> str:
    """A count as a reader expects it: whole numbers bare, coincidences (fractions of pairs) to three decimals."""
    return f"{value:.3f}".rstrip("0").rstrip(".")


def counts_text(counts: Counts | None) -> str:
    """The non-zero cells, "row·column: count", in the table's label order."""
    if counts is None:
        return ""
    cells = [
        f"{a}·{b}: {count(v)}" for a, row in zip(counts.labels, counts.counts) for b, v in zip(counts.labels, row) if v
    ]
    return ", ".join(cells) or "no pairs"


def write_markdown(document: AgreementDocument, stream: IO[str]) -> None:
    """A report a reader can paste anywhere: GitHub-flavoured Markdown tables, every name escaped."""
    stream.write(f"# {escape(document.title)}\n\n")
    for fact in document.facts:
        stream.write(f"- {escape(fact)}\n")
    reasons: dict[str, int] = {}
    for section in document.sections:
        stream.write(f"\n## {escape(section.heading)}\n\n")
        if section.note:
            stream.write(f"{escape(section.note)}\n\n")
        for kind in ("matrix", "code", "group"):
            subjects = [s for s in section.subjects if s.kind == kind]
            if subjects:
                _table(stream, kind, subjects, reasons, section.pairable)
        for pooled in (s for s in section.subjects if s.kind == "pooled"):
            for f in pooled.figures:
                stream.write(f"{escape(pooled.name)}: {_cell(f, reasons)}{_interval(f)}\n\n")
    if reasons:
        stream.write("## Undefined coefficients\n\n")
        for reason, mark in reasons.items():
            stream.write(f"{mark}. {escape(reason)}\n")
        stream.write("\n")
    places = [s for section in document.sections for s in section.subjects if s.places]
    if places:
        stream.write("## Where the coders differ\n\n")
        for s in places:
            kind = " (exclusive group)" if s.kind == "group" else ""
            stream.write(f"- **{escape(s.name)}**{kind}: {escape(', '.join(s.places))}\n")
        stream.write("\n")


def _cell(f: Figure, reasons: dict[str, int]) -> str:
    if f.value is None:
        mark = reasons.setdefault(f.undefined or "", len(reasons) + 1)
        return f"undefined [{mark}]"
    return number(f.value, f.coefficient)


def _interval(f: Figure) -> str:
    if f.ci_low is None or f.ci_high is None:
        return ""
    return f" (95% CI {f.ci_low:.3f} to {f.ci_high:.3f})"


def _table(
    stream: IO[str], kind: str, subjects: list[Subject], reasons: dict[str, int], pairable: str = "pairable units"
) -> None:
    coefficients = list(dict.fromkeys(f.coefficient for s in subjects for f in s.figures))
    with_ci = any(f.ci_low is not None for s in subjects for f in s.figures)
    extra = list(dict.fromkeys(h for s in subjects for h, _ in s.columns))
    # Columns that no subject fills are left out (free spans have no units to count disagreements on).
    with_disagreements = any(s.disagreements is not None for s in subjects)
    with_counts = any(s.counts is not None for s in subjects)
    head: list[tuple[str, str]] = [(KIND_HEADINGS.get(kind, kind), "---"), (pairable, "---:")]
    for c in coefficients:
        stat = statistic(c)
        if stat.verdict:
            level = next(f.level for s in subjects for f in s.figures if f.coefficient == c)
            head.append((heading(stat, level), "---:"))
            head += [("95% CI", "---")] if with_ci else []
            head.append(("verdict", "---"))
        else:
            head.append((heading(stat, level=""), "---:"))
    head += [(h, "---:") for h in extra]
    head += [("disagreements", "---:")] if with_disagreements else []
    head += [("counts", "---")] if with_counts else []
    lines = ["| " + " | ".join(escape(h) for h, _ in head) + " |", "|" + "|".join(a for _, a in head) + "|"]
    for s in subjects:
        by_name = {f.coefficient: f for f in s.figures}
        cells = [escape(s.name), str(s.figures[0].n_pairable) if s.figures else ""]
        for c in coefficients:
            f = by_name.get(c)
            cells.append("" if f is None else _cell(f, reasons))
            if statistic(c).verdict:
                if with_ci:
                    cells.append("" if f is None else _interval(f).strip(" ()").removeprefix("95% CI "))
                cells.append("" if f is None else f.verdict)
        own = dict(s.columns)
        cells += [escape(own.get(h, "")) for h in extra]
        cells += ["" if s.disagreements is None else str(s.disagreements)] if with_disagreements else []
        cells += [escape(counts_text(s.counts))] if with_counts else []
        lines.append("| " + " | ".join(cells) + " |")
    stream.write("\n".join(lines) + "\n\n")
    for s in subjects:
        if s.note:
            stream.write(f"{escape(s.name)}: {escape(s.note)}\n\n")


def heading(stat: Statistic, level: str) -> str:
    """A statistic's full name as a report heads its column; α with its level, ``α (ordinal)``."""
    return f"{stat.name} ({level})" if stat.key == "krippendorff_alpha" else stat.name
