"""Unitizing reports (α_U on the characters, segment matching) as the plain values the export writers take."""

from __future__ import annotations

from dataclasses import replace

from mda_coder.analysis.agreement import Result, Table, Unmatched
from mda_coder.export.agreement_report import (
    AgreementDocument,
    Comparison,
    Counts,
    Figure,
    Section,
    Subject,
    plural,
)
from mda_coder.services.agreement._export import figure
from mda_coder.services.agreement._unitizing import UNIT, CodeUnitizing, GroupUnitizing, UnitizingReport

SEGMENTS_HEADING = "Segment matching, MAXQDA-style, overlap ≥ {percent} (a different statistic from α_U)"


def percent(share: float) -> str:
    """A threshold as people write it: 90%, 87.5%."""
    return f"{100 * share:.10g}%"


def segments_heading(threshold: float) -> str:
    return SEGMENTS_HEADING.format(percent=percent(threshold))


def kappa_name(report: UnitizingReport) -> str:
    return f"segment κ over all {plural(len(report.codes), 'code')} (Brennan–Prediger, chance 1/q with q = {len(report.codes)})"


def where(report: UnitizingReport, segment: Unmatched) -> str:
    """An unmatched segment as a reader finds it: document, characters, whose, how close the nearest came."""
    coder = report.coders[segment.coder]
    nearest = f"best overlap {percent(round(segment.best_overlap, 3))}" if segment.best_overlap > 0 else "no overlap"
    return f"{report.documents[segment.continuum]}:{segment.start}–{segment.end} ({coder}, {nearest})"


def unmatched(report: UnitizingReport, code: CodeUnitizing) -> list[str]:
    """A code's unmatched segments in reading order: by document, then where they start."""
    if code.segments is None:
        return []
    ordered = sorted(code.segments.unmatched, key=lambda u: (u.continuum, u.start, u.coder))
    return [where(report, u) for u in ordered]


def _counts(table: Table | None) -> Counts | None:
    if table is None:
        return None
    return Counts(table.kind, tuple(str(label) for label in table.labels), table.counts)


def _disagreement(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _alpha_subject(kind: str, name: str, item: CodeUnitizing | GroupUnitizing) -> Subject:
    alpha = item.alpha
    columns = [("D_o", _disagreement(alpha.observed)), ("D_e", _disagreement(alpha.expected))]
    columns += [(f"codings {coder}", str(n)) for coder, n in item.codings.items()]
    return Subject(
        kind,
        name,
        (replace(figure(alpha), verdict=item.verdict),),
        _counts(alpha.table),
        columns=tuple(columns),
        codings=tuple(item.codings.items()),
    )


def _segment_figure(
    result: Result,
    threshold: float | None = None,
    agreements: int | None = None,
    first_only: int | None = None,
    second_only: int | None = None,
) -> Figure:
    base = figure(result)
    return Figure(
        coefficient=base.coefficient,
        level="",
        value=base.value,
        undefined=base.undefined,
        n_units=base.n_units,
        n_pairable=base.n_pairable,
        n_values=base.n_values,
        observed=base.observed,
        expected=base.expected,
        threshold=threshold,
        agreements=agreements,
        first_only=first_only,
        second_only=second_only,
    )


def _segment_subjects(report: UnitizingReport) -> list[Subject]:
    first, second = report.coders
    subjects = []
    for c in report.codes:
        m = c.segments
        if m is None:
            continue
        columns = (
            ("agreements", str(m.agreements)),
            (f"{first} only", str(m.first_only)),
            (f"{second} only", str(m.second_only)),
        )
        subjects.append(
            Subject(
                "code",
                c.code,
                (_segment_figure(m.result, m.threshold, m.agreements, m.first_only, m.second_only),),
                places=tuple(unmatched(report, c)),
                columns=columns,
            )
        )
    if report.segment_kappa is not None and report.codes:
        subjects.append(Subject("pooled", kappa_name(report), (_segment_figure(report.segment_kappa),)))
    return subjects


def unitizing_document(report: UnitizingReport) -> AgreementDocument:
    """The report's α_U per code and group, then (two coders) segment matching and its κ, as two sections."""
    n_docs = len(report.documents)
    facts = [
        (
            f"Continuum: {report.characters} characters in {plural(n_docs, 'document')}; no units are given: each "
            "coder's codings of a code and the gaps between them divide each document they coded."
        ),
        *(f"{coder} coded: {', '.join(docs) or 'no documents'}" for coder, docs in report.covered.items()),
        (
            "α_U is Krippendorff's unitizing α (Krippendorff, Mathet, Bouvry & Widlöcher 2016) of each code against "
            "its gaps, for a group over its codes; D_o and D_e are observed and expected disagreement; verdict after "
            "Krippendorff (2004): reliable from .800, tentative from .667, else unreliable."
        ),
        (
            "counts: coincidences of characters: at every character of a document two or more coders coded, the "
            "pairs of values two coders gave it, in both orders, weighted 1/(m − 1) for m coders."
        ),
    ]
    if len(report.coders) == 2:
        facts.append(
            f"Segment matching counts segments, not characters: a segment agrees when the other coder has the same "
            f"code on a segment overlapping it by at least {percent(report.threshold)} (intersection / union); a "
            "segment both drew alike counts once per coder, as MAXQDA counts it. It is percent agreement, not "
            "chance-corrected; only the segment κ is, by MAXQDA's convention (chance 1/q for q codes)."
        )
        facts.append(
            f"first_only and second_only in the CSV: segments of {report.coders[0]} and of "
            f"{report.coders[1]} that the other did not match."
        )
    else:
        facts.append("Segment matching compares two coders: it is left out for more.")
    if report.include_subcodes:
        facts.append("A sub-code's codings count as codings of each code above it too.")
    if report.skipped_unused:
        facts.append(
            f"{plural(report.skipped_unused, 'code')} not shown: none of the coders used them in these documents."
        )
    facts.append("Percentages here are shares × 100; the CSV has shares (0–1).")
    subjects = [_alpha_subject("code", c.code, c) for c in report.codes]
    subjects += [_alpha_subject("group", g.group, g) for g in report.groups]
    note = "" if report.codes else "None of the coders used any code in these documents."
    sections = [
        Section(
            "all",
            "",
            f"Unitizing α on {report.characters} characters in {plural(n_docs, 'document')}",
            n_docs,
            tuple(subjects),
            note,
            pairable="documents compared",
        )
    ]
    if len(report.coders) == 2 and report.codes:
        sections.append(
            Section(
                "all",
                "",
                segments_heading(report.threshold),
                n_docs,
                tuple(_segment_subjects(report)),
                pairable="segments",
            )
        )
    comparison = Comparison(
        coders=report.coders,
        unit=UNIT,
        n_units=report.characters,
        documents=report.documents,
        covered=tuple(report.covered.items()),
        include_subcodes=report.include_subcodes,
        skipped_unused=report.skipped_unused,
        threshold=report.threshold,
    )
    return AgreementDocument(
        f"Unitizing agreement between {', '.join(report.coders)}", tuple(facts), tuple(sections), comparison
    )
