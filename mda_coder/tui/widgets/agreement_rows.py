"""The agreement screen's table from a report: per code (and split) every coefficient, the counts and the places."""

from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text

from mda_coder.analysis.agreement import AlphaInterval, Result
from mda_coder.core.spans import Span
from mda_coder.export.agreement_report import AgreementDocument, Comparison, Figure, Subject
from mda_coder.export.agreement_statistics import ALPHA, ON_UNITS, SEGMENTS, UNITIZING_ALPHA, number, shown
from mda_coder.i18n import N_, REPORTS, TUI
from mda_coder.services.agreement import (
    POOLED,
    AgreementReport,
    CodeUnitizing,
    GroupUnitizing,
    SplitAgreement,
    UnitizingReport,
)
from mda_coder.tui.widgets.agreement_panels import (
    MAX_PLACES,
    AgreementView,
    Locator,
    Place,
    Row,
    code_cell,
    counted,
    counts_block,
    figure_interval_cell,
    figure_line,
    interval_line,
    segment_place,
    undefined_lines,
    unit_place,
    value_cell,
    values_text,
    verdict_text,
)

_ = TUI.gettext
ngettext = TUI.ngettext


def unit_columns(about: Comparison) -> tuple[str, ...]:
    """Cohen's κ, Scott's π and Holsti's % for two coders; for more, Fleiss' κ takes the κ column.

    The headings are the statistics' short ones; the panel beneath names each coefficient in full.
    """
    return (
        *([split_name(about.by)] if about.by else []),
        _("code"),
        _("pairable"),
        REPORTS.text(ALPHA.short),
        *([_("95% CI")] if about.samples else []),
        _("verdict"),
        *(REPORTS.text(s.short) for s in shown(ON_UNITS[1:], len(about.coders))),
        _("differ"),
    )


def split_name(by: str) -> str:
    """A split's name as a column heading and in a section's title: per document or per role."""
    return {"document": _("document"), "role": _("role")}.get(by, by)


def _figure_cells(subject: Subject, coders: int, with_ci: bool) -> list[Text | str]:
    """A code's or a group's cells, from the figures the report files hold."""
    alpha = subject.figure(ALPHA.key)
    assert alpha is not None, "every code and group has its α"
    return [
        *_alpha_cells(alpha, with_ci),
        *(value_cell(subject.figure(s.key)) for s in shown(ON_UNITS[1:], coders)),
        str(subject.disagreements),
    ]


def _alpha_cells(alpha: Figure, with_ci: bool) -> list[Text | str]:
    """The pairable units, α, its interval (when the report has intervals) and its verdict."""
    return [
        str(alpha.n_pairable),
        value_cell(alpha),
        *([figure_interval_cell(alpha)] if with_ci else []),
        verdict_text(alpha.verdict),
    ]


def _detail(
    title: str,
    where: str,
    results: Sequence[Result],
    counts: Text,
    n_places: int,
    extra: str = "",
    *,
    compared: str = "",
    places: str = "units",
    interval: AlphaInterval | None = None,
) -> Text:
    """The panel beneath the table: the counts first (what the figures rest on), then every figure and reason.

    ``compared`` says what was compared (default: the pairable units and values of the first figure);
    ``places`` what the list beside it holds: ``units`` the coders differ on, ``segments`` only one drew, or "".
    """
    out = Text.assemble((title, "bold"), (f"  ·  {where}", "dim"))
    if results and not compared:
        first = results[0]
        compared = ", ".join(
            (
                ngettext("{n} pairable unit", "{n} pairable units", first.n_pairable).format(n=first.n_pairable),
                ngettext("{n} value", "{n} values", first.n_values).format(n=first.n_values),
            )
        )
    if compared:
        out.append(f"  ·  {compared}", style="dim")
    if extra:
        out.append(f"\n{extra}", style="italic")
    if counts.plain:
        out.append("\n\n")
        out.append_text(counts)
    out.append("\n")
    for result in results:
        out.append("\n")
        out.append_text(figure_line(result))
        if result.coefficient == "krippendorff_alpha":
            out.append_text(interval_line(interval))
    out.append_text(undefined_lines(results))
    if n_places:
        if places == "segments":
            listed = ngettext("{n} segment only one coder drew", "{n} segments only one coder drew", n_places)
        else:
            listed = ngettext("{n} unit the coders differ on", "{n} units the coders differ on", n_places)
        if n_places > MAX_PLACES:
            listed += _(" (the first {shown} on the right; the Markdown report, key m, has all)")
        listed += _(": tab moves to them, enter on one jumps to it in the transcript")
        out.append("\n\n" + listed.format(n=n_places, shown=MAX_PLACES), style="dim")
    elif results and places:
        none = _("No segment only one coder drew.") if places == "segments" else _("No unit the coders differ on.")
        out.append(f"\n\n{none}", style="dim")
    return out


BINARY_LEGEND = N_("✓ applied  ✗ not  – did not code the document")
GROUP_LEGEND = N_("the code each coder gave  – did not code the document")


def _units_title(n: int, legend: str) -> str:
    return ngettext("{n} unit they differ on", "{n} units they differ on", n).format(n=n) + f"  ·  {_(legend)}"


def unit_view(report: AgreementReport, written: AgreementDocument, locator: Locator) -> AgreementView:
    """Rows for every code, exclusive group and pooled α, of all units and then of each split.

    The table's cells and the heading are drawn from ``written``, the report the files are written
    from (`report_document`); the panels beneath, from ``report``: the counts behind each figure, the
    bootstrap's shortfall chances and each coder's value on the units they differ on.
    """
    about = written.comparison
    assert about is not None, "a report on turns or sentences says what it compared"
    two, with_ci = len(report.coders) == 2, bool(report.samples)
    sections: list[tuple[str, str, AgreementReport | SplitAgreement]] = [
        ("all", _("all {units}").format(units=counted(report.n_units, report.unit)), report)
    ]
    sections += [
        (s.value, f"{split_name(s.by)} {s.value}: {counted(s.n_units, report.unit)}", s) for s in report.splits
    ]
    rows: list[Row] = []
    for (key, where, part), section in zip(sections, written.sections):
        lead: list[Text | str] = [key] if report.by else []
        subjects = {(s.kind, s.name): s for s in section.subjects}
        for c in part.codes:
            places = tuple(
                unit_place(locator, d.document, report.unit, d.unit, values_text(report.coders, d.values, True))
                for d in c.disagreements[:MAX_PLACES]
            )
            counts = counts_block(c.contingency if two else c.coincidence, report.coders, binary=True)
            detail = _detail(c.code, where, c.results, counts, len(c.disagreements), interval=c.alpha_interval)
            rows.append(
                Row(
                    f"{key}\x00code\x00{c.code}",
                    (*lead, code_cell(c.code), *_figure_cells(subjects["code", c.code], len(report.coders), with_ci)),
                    detail,
                    places,
                    len(c.disagreements),
                    _units_title(len(c.disagreements), BINARY_LEGEND),
                )
            )
        for g in part.groups:
            places = tuple(
                unit_place(locator, d.document, report.unit, d.unit, values_text(report.coders, d.values, False))
                for d in g.disagreements[:MAX_PLACES]
            )
            counts = counts_block(g.contingency if two else g.coincidence, report.coders, binary=False)
            combined = ", ".join(_("{coder} on {n}").format(coder=coder, n=n) for coder, n in g.combined.items() if n)
            extra = _("exclusive group of {codes}: one nominal value per unit").format(codes=", ".join(g.codes))
            if combined:
                extra += "; " + _("two or more of its codes on one unit: {coders}").format(coders=combined)
            detail = _detail(g.group, where, g.results, counts, len(g.disagreements), extra, interval=g.alpha_interval)
            name = Text.assemble(g.group, (" " + _("(group)"), "italic dim"))
            rows.append(
                Row(
                    f"{key}\x00group\x00{g.group}",
                    (*lead, name, *_figure_cells(subjects["group", g.group], len(report.coders), with_ci)),
                    detail,
                    places,
                    len(g.disagreements),
                    _units_title(len(g.disagreements), GROUP_LEGEND),
                )
            )
        if part.codes:
            pooled = part.pooled_alpha
            cells = _alpha_cells(subjects["pooled", POOLED].figures[0], with_ci)
            blanks = [""] * (len(unit_columns(about)) - len(lead) - 1 - len(cells))
            detail = _detail(
                _("pooled binary α"),
                where,
                [pooled],
                Text(""),
                0,
                REPORTS.text(POOLED),
                places="",
                interval=part.pooled_interval,
            )
            rows.append(
                Row(
                    f"{key}\x00pooled",
                    (*lead, Text(_("pooled binary α"), style="bold"), *cells, *blanks),
                    detail,
                )
            )
    return AgreementView(_unit_heading(written, about), unit_columns(about), tuple(rows))


def _unit_heading(written: AgreementDocument, about: Comparison) -> Text:
    out = Text.assemble(
        (_("Agreement between {coders}").format(coders=", ".join(about.coders)), "bold"),
        "  ·  "
        + _("{units} in {documents}").format(
            units=counted(about.n_units, about.unit), documents=counted(len(about.documents), "document")
        ),
    )
    pooled = next((s for s in written.sections[0].subjects if s.kind == "pooled"), None)
    if pooled is not None:
        out.append("  ·  " + _("pooled binary α {value}").format(value=number(pooled.figures[0].value)) + " (")
        out.append_text(verdict_text(pooled.figures[0].verdict))
        out.append(")")
    if about.include_subcodes:
        out.append("  ·  " + _("sub-codes count for their parents"))
    out.append_text(_coverage(dict(about.covered), about.documents, about.skipped_unused))
    return out


def _coverage(covered: dict[str, tuple[str, ...]], documents: tuple[str, ...], skipped: int) -> Text:
    """Who coded which documents (elsewhere a coder is missing, not "coded nothing"), and the codes left out."""
    out = Text()
    for coder, docs in covered.items():
        which = _("every document") if len(docs) == len(documents) else ", ".join(docs) or _("no document")
        out.append("\n" + _("{coder} coded {documents}").format(coder=coder, documents=which), style="dim")
    if skipped:
        out.append(
            "\n"
            + ngettext("{n} code nobody used here not shown", "{n} codes nobody used here not shown", skipped).format(
                n=skipped
            ),
            style="dim",
        )
    return out


def character_columns(report: UnitizingReport) -> tuple[str, ...]:
    if len(report.coders) != 2:
        return (_("code"), REPORTS.text(UNITIZING_ALPHA.short), _("verdict"), _("codings"))
    first, second = report.coders
    return (
        _("code"),
        REPORTS.text(UNITIZING_ALPHA.short),
        _("verdict"),
        REPORTS.text(SEGMENTS.short),
        _("matched"),
        _("{coder} only").format(coder=first),
        _("{coder} only").format(coder=second),
        _("codings"),
    )


def _character_row(
    report: UnitizingReport,
    item: CodeUnitizing | GroupUnitizing,
    subject: Subject,
    matching: Subject | None,
    locator: Locator,
) -> Row:
    """A code (α_U against its gaps, segment matching for two coders) or an exclusive group (α_U over its codes).

    The cells come from the report's ``subject`` (and the code's ``matching`` one), the panels from ``item``.
    """
    two = len(report.coders) == 2
    own = dict(subject.codings)
    codings = " / ".join(str(own.get(c, 0)) for c in report.coders)
    results = [item.alpha]
    places: tuple[Place, ...] = ()
    counts = counts_block(item.alpha.table, report.coders, binary=False, things="characters")
    if isinstance(item, GroupUnitizing):
        name: Text | str = Text.assemble(item.group, (" " + _("(group)"), "italic dim"))
        title, key = item.group, f"all\x00group\x00{item.group}"
        extra = _("exclusive group of {codes}: one division of the text into its codes and gaps").format(
            codes=", ".join(item.codes)
        )
    else:
        name, title, key = code_cell(item.code), item.code, f"all\x00code\x00{item.code}"
        extra = ""
    alpha = subject.figures[0]
    cells: list[Text | str] = [name, value_cell(alpha), verdict_text(alpha.verdict)]
    n_places = 0
    segments = item.segments if isinstance(item, CodeUnitizing) else None
    if segments is not None and matching is not None:
        results.append(segments.result)
        share = matching.figures[0]
        cells += [value_cell(share), str(share.agreements), str(share.first_only), str(share.second_only)]
        table = counts_block(segments.result.table, report.coders, binary=False, things="segments")
        counts = Text("\n\n").join([c for c in (counts, table) if c.plain])
        ordered = sorted(segments.unmatched, key=lambda u: (u.continuum, u.start, u.coder))
        n_places = len(ordered)
        places = tuple(
            segment_place(
                locator, report.documents[u.continuum], Span(u.start, u.end), report.coders[u.coder], u.best_overlap
            )
            for u in ordered[:MAX_PLACES]
        )
        extra = _(
            "segment matching: a segment matches when the other coder's overlaps it by {percent}% or more "
            "(intersection / union); it counts segments, not characters"
        ).format(percent=f"{100 * report.threshold:.0f}")
    elif two:
        cells += ["", "", "", ""]
    elif not isinstance(item, GroupUnitizing):
        extra = _("segment matching compares two coders")
    cells.append(codings)
    codings_of = _("codings: {counts}").format(counts=", ".join(f"{c} {n}" for c, n in item.codings.items()))
    extra = "; ".join(p for p in (codings_of, extra) if p)
    n_documents = results[0].n_pairable
    compared = ngettext("{n} document coded by two or more", "{n} documents coded by two or more", n_documents).format(
        n=n_documents
    )
    detail = _detail(
        title,
        counted(report.characters, "character"),
        results,
        counts,
        n_places,
        extra,
        compared=compared,
        places="segments" if segments is not None else "",
    )
    title_ = ""
    if segments is not None:
        title_ = ngettext("{n} segment only one coder drew", "{n} segments only one coder drew", n_places).format(
            n=n_places
        )
        title_ += "  ·  " + _("enter jumps to one")
    return Row(key, tuple(cells), detail, places, n_places, title_)


def character_view(report: UnitizingReport, written: AgreementDocument, locator: Locator) -> AgreementView:
    """Rows for every code and exclusive group: α_U over the characters and, for two coders, segment matching.

    The cells and the heading are drawn from ``written`` (`unitizing_document`), the panels from ``report``.
    """
    about = written.comparison
    assert about is not None, "a report on characters says what it compared"
    alphas, *matched = written.sections
    subjects = {(s.kind, s.name): s for s in alphas.subjects}
    matching = {s.name: s for s in matched[0].subjects if s.kind == "code"} if matched else {}
    rows = [
        _character_row(report, c, subjects["code", c.code], matching.get(c.code), locator) for c in report.codes
    ] + [_character_row(report, g, subjects["group", g.group], None, locator) for g in report.groups]
    heading = Text.assemble(
        (_("Unitizing agreement between {coders}").format(coders=", ".join(about.coders)), "bold"),
        "  ·  "
        + _("{units} in {documents}").format(
            units=counted(about.n_units, "character"), documents=counted(len(about.documents), "document")
        ),
    )
    kappa = next((s.figures[0] for s in matched[0].subjects if s.kind == "pooled"), None) if matched else None
    if kappa is not None:
        # One figure over every code, not a code's: it goes in the heading rather than a row of the table.
        heading.append("  ·  " + _("segment κ (MAXQDA, all codes)") + " ")
        heading.append(
            number(kappa.value)
            if kappa.value is not None
            else _("undefined: {reason}").format(reason=REPORTS.text(kappa.undefined))
        )
    if about.include_subcodes:
        heading.append("  ·  " + _("sub-codes count for their parents"))
    heading.append_text(_coverage(dict(about.covered), about.documents, about.skipped_unused))
    return AgreementView(heading, character_columns(report), tuple(rows))
