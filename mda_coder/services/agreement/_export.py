"""Agreement reports as the plain values the export writers take: sections of subjects and their figures."""

from __future__ import annotations

from pathlib import Path
from typing import IO

from mda_coder.analysis.agreement import AlphaInterval, Result, Table, verdict
from mda_coder.core import files
from mda_coder.export.agreement_report import (
    AgreementDocument,
    Comparison,
    Counts,
    Figure,
    Section,
    Subject,
    plural,
    write_csv,
    write_markdown,
)
from mda_coder.i18n import Phrase
from mda_coder.services.agreement._matrix import MatrixReport
from mda_coder.services.agreement._values import (
    AgreementReport,
    CodeAgreement,
    GroupAgreement,
    SplitAgreement,
    results_of,
)

POOLED = Phrase("pooled binary α (all reported codes' units stacked; not a mean)")


def figure(result: Result, interval: AlphaInterval | None = None) -> Figure:
    alpha = result.coefficient == "krippendorff_alpha"
    return Figure(
        coefficient=result.coefficient,
        level=result.level,
        value=result.value,
        undefined=result.undefined,
        n_units=result.n_units,
        n_pairable=result.n_pairable,
        n_values=result.n_values,
        observed=result.observed,
        expected=result.expected,
        verdict=verdict(result) if alpha else "",
        ci_low=interval.low if alpha and interval is not None else None,
        ci_high=interval.high if alpha and interval is not None else None,
    )


def _figures(value: CodeAgreement | GroupAgreement | MatrixReport) -> tuple[Figure, ...]:
    return tuple(figure(r, value.alpha_interval) for r in results_of(value))


def _counts(value: CodeAgreement | GroupAgreement | MatrixReport) -> Counts | None:
    table: Table | None = value.contingency if value.contingency is not None else value.coincidence
    return None if table is None else _as_counts(table)


def _as_counts(table: Table) -> Counts:
    return Counts(table.kind, tuple(str(label) for label in table.labels), table.counts)


def _combined_note(group: GroupAgreement) -> str:
    parts = [f"{coder} on {n} units" for coder, n in group.combined.items() if n]
    if not parts:
        return ""
    return (
        "gave two or more of the group's codes to one unit ("
        + ", ".join(parts)
        + "): such a unit's value is a category of its own, e.g. 'A+B'"
    )


def _section(split: str, value: str, heading: str, part: AgreementReport | SplitAgreement, places: bool) -> Section:
    n_units = part.n_units
    subjects = [
        Subject(
            "code",
            c.code,
            _figures(c),
            _counts(c),
            len(c.disagreements),
            tuple(f"{d.document}:{d.unit}" for d in c.disagreements) if places else (),
        )
        for c in part.codes
    ]
    subjects += [
        Subject(
            "group",
            g.group,
            _figures(g),
            _counts(g),
            len(g.disagreements),
            tuple(f"{d.document}:{d.unit}" for d in g.disagreements) if places else (),
            _combined_note(g),
            combined=tuple(g.combined.items()),
        )
        for g in part.groups
    ]
    interval = part.pooled_interval
    if part.codes:
        subjects.append(Subject("pooled", POOLED, (figure(part.pooled_alpha, interval),)))
    note = "" if part.codes else "None of the coders used any code in these units."
    return Section(split, value, heading, n_units, tuple(subjects), note)


def report_document(report: AgreementReport) -> AgreementDocument:
    unit = report.unit
    facts = [
        (
            f"Units: {plural(report.n_units, unit)} in {plural(len(report.documents), 'document')}; each code is 1 for a {unit} "
            "a coder applied it to, 0 if not, and missing in documents the coder made no coding in."
        ),
        *(f"{coder} coded: {', '.join(docs) or 'no documents'}" for coder, docs in report.covered.items()),
        "α is nominal; verdict after Krippendorff (2004): reliable from .800, tentative from .667, else unreliable.",
    ]
    if report.include_subcodes:
        facts.append("A sub-code's codings count as codings of each code above it too.")
    if report.skipped_unused:
        facts.append(
            f"{plural(report.skipped_unused, 'code')} not shown: none of the coders used them in these documents."
        )
    facts += _shared_facts(report.coders, report.samples, report.seed, len(report.coders) == 2)
    sections = [_section("all", "", f"All {plural(report.n_units, unit)}", report, places=True)]
    for split in report.splits:
        heading = f"{split.by.capitalize()} {split.value}: {plural(split.n_units, unit)}"
        sections.append(_section(split.by, split.value, heading, split, places=False))
    comparison = Comparison(
        coders=report.coders,
        unit=report.unit,
        n_units=report.n_units,
        documents=report.documents,
        covered=tuple(report.covered.items()),
        samples=report.samples,
        seed=report.seed,
        include_subcodes=report.include_subcodes,
        skipped_unused=report.skipped_unused,
        by=report.by,
    )
    return AgreementDocument(f"Agreement between {', '.join(report.coders)}", tuple(facts), tuple(sections), comparison)


def _shared_facts(coders: tuple[str, ...], samples: int, seed: int | None, contingency: bool) -> list[str]:
    facts = []
    if samples:
        facts.append(f"95% intervals of α: {samples} bootstrap samples, seed {seed} (Hayes & Krippendorff 2007).")
    if contingency:
        facts.append(f"counts: contingency of units, {coders[0]}'s value·{coders[1]}'s value.")
    else:
        facts.append("counts: Krippendorff's coincidences, pairs of values within units (each unit weighs 1).")
    facts.append("Percentages here are shares × 100; the CSV has shares (0–1).")
    return facts


def matrix_document(report: MatrixReport) -> AgreementDocument:
    name = Path(report.source).name
    places = tuple(
        f"{d.unit} ({', '.join('–' if v is None else str(v) for v in d.values)})" for d in report.disagreements
    )
    tables = tuple(_as_counts(t) for t in (report.coincidence, report.contingency) if t is not None)
    subject = Subject(
        "matrix", name, _figures(report), _counts(report), len(report.disagreements), places, tables=tables
    )
    facts = [
        f"Coders: {', '.join(report.coders)}; {plural(report.n_units, 'unit')}; level {report.level}.",
        f"Categories, in order: {', '.join(map(str, report.labels)) or 'none'}.",
        "Verdict after Krippendorff (2004): reliable from .800, tentative from .667, else unreliable.",
        *_shared_facts(report.coders, report.samples, report.seed, report.contingency is not None),
    ]
    section = Section("all", "", f"{name}: {plural(report.n_units, 'unit')}", report.n_units, (subject,))
    comparison = Comparison(
        coders=report.coders,
        unit="unit",
        n_units=report.n_units,
        documents=(),
        covered=(),
        samples=report.samples,
        seed=report.seed,
    )
    return AgreementDocument(f"Agreement in {name}", tuple(facts), (section,), comparison)


def write_report(document: AgreementDocument, fmt: str, stream: IO[str]) -> None:
    (write_csv if fmt == "csv" else write_markdown)(document, stream)


def save_report(document: AgreementDocument, fmt: str, path: Path, force: bool = False) -> None:
    """Write the report to ``path`` (UTF-8) all or nothing, or say in one line why it cannot be written."""
    files.write_text(path, lambda stream: write_report(document, fmt, stream), force=force)
