"""The ``agree`` command's text output: tables that stay readable at 100 columns, notes for what is undefined.

Each printer draws an `AgreementDocument`, the value the tidy CSV and the Markdown report are
written from, so a figure reads the same in all three. The prose and the headings are said in the
interface's language; a verdict and ``undefined [1]`` in a cell are ``Word``s, said in a file as
on a terminal (``cli.tables``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.console import Console

from mda_coder.cli.output import console, say
from mda_coder.cli.tables import NAME, NUMBER, Column, Word, print_table
from mda_coder.core.codebook import PATH_SEPARATOR
from mda_coder.export.agreement_report import AgreementDocument, Counts, Figure, Section, Subject, count, counts_text
from mda_coder.export.agreement_report import heading as report_heading
from mda_coder.export.agreement_statistics import (
    ALPHA,
    MAIN,
    ON_UNITS,
    SEGMENTS,
    UNITIZING_ALPHA,
    Statistic,
    number,
    statistic,
)
from mda_coder.export.agreement_statistics import shown as for_coders
from mda_coder.i18n import CLI, N_, REPORTS
from mda_coder.services.agreement import percent

_ = CLI.gettext
ngettext = CLI.ngettext
SHOWN_DISAGREEMENTS = 20
"""Disagreeing units listed per code in the text output (JSON has them all)."""
VERDICTS = {
    "reliable": Word("reliable"),
    "tentative": Word("tentative"),
    "unreliable": Word("unreliable"),
    "undefined": Word("undefined"),
}
COUNTED: dict[str, Callable[[int], str]] = {
    "turn": lambda n: ngettext("{n} turn", "{n} turns", n),
    "sentence": lambda n: ngettext("{n} sentence", "{n} sentences", n),
    "unit": lambda n: ngettext("{n} unit", "{n} units", n),
    "document": lambda n: ngettext("{n} document", "{n} documents", n),
    "code": lambda n: ngettext("{n} code", "{n} codes", n),
}
"""The units an agreement counts, and what else its prose counts, singular and plural."""


def plural(n: int, word: str) -> str:
    """``3 turns``, ``1 unit`` in the interface's language."""
    return COUNTED[word](n).format(n=n)


def _verdict(verdict: str) -> str:
    return VERDICTS.get(verdict, verdict)


def _more(more: int) -> str:
    return " " + _("(+{n} more, see --json)").format(n=more) if more > 0 else ""


def _covered(covered: dict[str, tuple[str, ...]] | dict[str, list[str]]) -> list[str]:
    return [
        _("{coder} coded: {documents}").format(coder=coder, documents=", ".join(docs) if docs else _("no documents"))
        for coder, docs in covered.items()
    ]


class _Notes:
    """Numbers the reasons coefficients are undefined, so a table cell can point to one."""

    def __init__(self) -> None:
        self.marks: dict[str, int] = {}

    def shown(self, result: Figure | None) -> str:
        if result is None:
            return "–"
        if result.value is None:
            mark = self.marks.setdefault(result.undefined or "", len(self.marks) + 1)
            return Word("undefined [{mark}]", mark=mark)
        return number(result.value, result.coefficient)

    def print(self, out: Console) -> None:
        for reason, mark in self.marks.items():
            say(out, _("[{mark}] undefined: {reason}").format(mark=mark, reason=REPORTS.text(reason)))


def _figure_interval(figure: Figure | None) -> str:
    """α's bootstrap interval as ``0.512–0.771``; "–" where there is none."""
    if figure is None or figure.ci_low is None or figure.ci_high is None:
        return "–"
    return f"{figure.ci_low:.3f}–{figure.ci_high:.3f}"


def _table(out: Console, title: str | None, first: str, columns: Sequence[str], rows: Sequence[Sequence[str]]) -> None:
    """A table whose first column wraps (code names are long) and whose figures are never cut or wrapped.

    ``columns`` are said already: a statistic's heading (`heading`), or a word of this module's.
    """
    shaped = [
        Column(_(first) if first else first, NAME),
        *(Column(col, NAME if col == _("verdict") else NUMBER) for col in columns),
    ]
    print_table(out, shaped, rows, title=title)


def column_heading(statistic: Statistic) -> str:
    """A statistic's heading in the command line's tables, in the interface's language."""
    return REPORTS.text(statistic.column)


def _coders_table(
    out: Console,
    title: str | None,
    first: str,
    columns: Sequence[str],
    coders: Sequence[str],
    rows: Sequence[Sequence[str]],
) -> None:
    """A table whose last columns are the coders, named as they are (a name is never translated)."""
    shaped = [
        Column(_(first), NAME),
        *(Column(c, NAME if c == _("verdict") else NUMBER) for c in columns),
        *(Column(coder, NUMBER) for coder in coders),
    ]
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


def _main_rows(
    subjects: Sequence[Subject], names: Sequence[str], notes: _Notes, coders: int, with_ci: bool
) -> list[list[str]]:
    rows = []
    for subject, name in zip(subjects, names):
        alpha = subject.figure(ALPHA.key)
        row = [name, notes.shown(alpha)]
        row += [_figure_interval(alpha)] if with_ci else []
        row += [
            _verdict(alpha.verdict if alpha else ""),
            *(notes.shown(subject.figure(s.key)) for s in for_coders(MAIN[1:], coders)),
        ]
        rows.append([*row, str(subject.disagreements)])
    return rows


def _main_columns(coders: int, with_ci: bool) -> list[str]:
    """α (and its interval) with its verdict first, then the main table's other statistics, then the count of differences."""
    return [
        column_heading(ALPHA),
        *([_("95% CI")] if with_ci else []),
        _("verdict"),
        *(column_heading(s) for s in for_coders(MAIN[1:], coders)),
        _("differ"),
    ]


def _binary_counts(counts: Counts | None, two: bool) -> list[str]:
    if counts is None:
        return ["–"] * (4 if two else 3)
    cells = [("1", "1"), ("1", "0"), ("0", "1"), ("0", "0")] if two else [("1", "1"), ("1", "0"), ("0", "0")]
    return [count(counts.cell(a, b)) for a, b in cells]


def _section(
    out: Console,
    title: str,
    section: Section,
    coders: tuple[str, ...],
    notes: _Notes,
    details: bool,
    with_ci: bool,
) -> None:
    two = len(coders) == 2
    more = for_coders([s for s in ON_UNITS if s not in MAIN], len(coders))
    codes = [s for s in section.subjects if s.kind == "code"]
    groups = [s for s in section.subjects if s.kind == "group"]
    if not codes:
        say(out, _("{title}: none of the coders used any code in these units").format(title=title))
        return
    names = display_names([c.name for c in codes])
    main = _main_columns(len(coders), with_ci)
    _table(out, title, N_("code"), main, _main_rows(codes, names, notes, len(coders), with_ci))
    pooled_alpha = next(s for s in section.subjects if s.kind == "pooled").figures[0]
    pooled = _("pooled binary α: {alpha}").format(alpha=CLI.text(notes.shown(pooled_alpha)))
    if with_ci:
        pooled += " " + _("(95% CI {interval})").format(interval=_figure_interval(pooled_alpha))
    say(out, pooled + "  " + _("(all reported codes' units stacked; not a mean of the α above)"))
    if details:
        pair = [*(column_heading(s) for s in more), *(["1·1", "1·0", "0·1", "0·0"] if two else ["1·1", "1·0", "0·0"])]
        rows = [
            [name, *(notes.shown(c.figure(s.key)) for s in more), *_binary_counts(c.counts, two)]
            for c, name in zip(codes, names)
        ]
        say(out)
        _table(out, _("More coefficients, and the counts behind them"), N_("code"), pair, rows)
        if two:
            say(
                out,
                _("counts: units by {first}'s value·{second}'s value (1 applied, 0 not)").format(
                    first=coders[0], second=coders[1]
                ),
            )
        else:
            say(out, _("counts: Krippendorff's coincidences of values within units (1 applied, 0 not)"))
    if groups:
        say(out)
        rows = _main_rows(groups, [g.name for g in groups], notes, len(coders), with_ci)
        _table(
            out,
            _("Mutually exclusive groups (nominal α over which of the group's codes a unit got)"),
            N_("group"),
            main,
            rows,
        )
        for g in groups:
            if details and g.counts is not None:
                said = _("{group}, contingency: {counts}") if two else _("{group}, coincidences: {counts}")
                shown = counts_text(g.counts)
                say(out, said.format(group=g.name, counts=_("no pairs") if shown == "no pairs" else shown))
            for coder, n in g.combined:
                if n:
                    say(
                        out,
                        _(
                            "{coder} gave two or more codes of '{group}' to {units}: each such value is a category "
                            "of its own ('A+B')"
                        ).format(coder=coder, group=g.name, units=plural(n, "unit")),
                    )


def print_report(document: AgreementDocument) -> None:
    """The tables of agreement on turns or sentences, drawn from the report the files are written from."""
    out = console()
    notes = _Notes()
    about = document.comparison
    assert about is not None, "a report on turns or sentences says what it compared"
    first, *splits = document.sections
    codes = [s for s in first.subjects if s.kind == "code"]
    pairable = codes[0].figures[0].n_pairable if codes else 0
    title = _("Agreement between {coders} on {units} ({pairable} coded by two or more of them)").format(
        coders=", ".join(about.coders), units=plural(about.n_units, about.unit), pairable=pairable
    )
    with_ci = about.samples > 0
    _section(out, title, first, about.coders, notes, details=True, with_ci=with_ci)
    for split in splits:
        say(out)
        by = _("Document {value}") if split.split == "document" else _("Role {value}")
        _section(
            out,
            by.format(value=split.value) + f": {plural(split.n_units, about.unit)}",
            split,
            about.coders,
            notes,
            details=False,
            with_ci=with_ci,
        )
    notes.print(out)
    footer = [
        _(
            "α nominal; verdict after Krippendorff (.800 reliable, .667 tentative); BP Brennan–Prediger; "
            "differ: units the coders disagree on"
        ),
    ]
    if about.samples:
        footer.append(
            _("95% CI: bootstrap of α, {samples} samples, seed {seed} (Hayes & Krippendorff 2007)").format(
                samples=about.samples, seed=about.seed
            )
        )
    if about.include_subcodes:
        footer.append(_("a sub-code's codings count as codings of the codes above it too"))
    if about.skipped_unused:
        footer.append(
            _("{codes} not shown: none of the coders used them in these documents").format(
                codes=plural(about.skipped_unused, "code")
            )
        )
    footer += _covered(dict(about.covered))
    for line in footer:
        say(out, line)
    for subject in first.subjects:
        if subject.kind not in ("code", "group") or not subject.places:
            continue
        name = subject.name if subject.kind == "code" else _("group {group}").format(group=subject.name)
        shown = ", ".join(subject.places[:SHOWN_DISAGREEMENTS])
        more = len(subject.places) - SHOWN_DISAGREEMENTS
        said = (
            _("{name} differs at turn {places}") if about.unit == "turn" else _("{name} differs at sentence {places}")
        )
        say(out, said.format(name=name, places=shown) + _more(more))


def print_matrix(document: AgreementDocument) -> None:
    """Every coefficient on a table of ratings, and the tables behind them, drawn from `matrix_document`."""
    out = console()
    notes = _Notes()
    about = document.comparison
    assert about is not None, "a report on a table of ratings says what it compared"
    subject = document.sections[0].subjects[0]
    alpha = subject.figure(ALPHA.key)
    assert alpha is not None, "every table of ratings has its α"
    say(
        out,
        _(
            "Agreement in {name}: {units}, {n} coders ({coders}), {pairable} units coded by two or more, level {level}"
        ).format(
            name=subject.name,
            units=plural(about.n_units, "unit"),
            n=len(about.coders),
            coders=", ".join(about.coders),
            pairable=alpha.n_pairable,
            level=alpha.level,
        ),
    )
    rows = []
    for f in subject.figures:
        label = report_heading(statistic(f.coefficient), f.level)
        note = _verdict(f.verdict) if f.coefficient == ALPHA.key and f.value is not None else ""
        rows.append([label, notes.shown(f), str(f.n_pairable), note])
    with_ci = about.samples > 0
    if with_ci:
        for row in rows:
            row.insert(2, _figure_interval(alpha) if row[0].startswith("α") else "")
    columns = [_("value"), *([_("95% CI")] if with_ci else []), _("pairable units"), _("verdict")]
    _table(out, None, N_("coefficient"), columns, rows)
    notes.print(out)
    for table in subject.tables:
        if not table.labels:
            continue
        heading = (
            _("coincidences (pairs of values within units)")
            if table.kind == "coincidence"
            else _("contingency: units by {first} (rows) and {second} (columns)").format(
                first=about.coders[0], second=about.coders[1]
            )
        )
        say(out)
        print_table(
            out,
            [Column("", NAME), *(Column(label, NUMBER) for label in table.labels)],
            [[a, *(count(v) for v in row)] for a, row in zip(table.labels, table.counts)],
            title=heading,
        )
    if about.samples:
        say(
            out,
            _("95% CI: bootstrap of α, {samples} samples, seed {seed} (Hayes & Krippendorff 2007)").format(
                samples=about.samples, seed=about.seed
            ),
        )
    if subject.places:
        more = len(subject.places) - SHOWN_DISAGREEMENTS
        say(
            out,
            _("the coders differ on {units}: {places}").format(
                units=plural(len(subject.places), "unit"), places=", ".join(subject.places[:SHOWN_DISAGREEMENTS])
            )
            + _more(more),
        )


def _unitizing_rows(subjects: Sequence[Subject], names: Sequence[str], notes: _Notes) -> list[list[str]]:
    rows = []
    for subject, name in zip(subjects, names):
        alpha = subject.figures[0]
        rows.append(
            [
                name,
                notes.shown(alpha),
                _verdict(alpha.verdict),
                _share(alpha.observed),
                _share(alpha.expected),
                *(str(n) for _coder, n in subject.codings),
            ]
        )
    return rows


def _share(value: float | None) -> str:
    return "–" if value is None else f"{value:.3f}"


def _segment_row(name: str, figure: Figure, notes: _Notes) -> list[str]:
    """A code's segments, those matched, each coder's unmatched ones and the share matched."""
    agreements, first_only, second_only = figure.agreements or 0, figure.first_only or 0, figure.second_only or 0
    return [
        name,
        str(agreements + first_only + second_only),
        str(agreements),
        str(first_only),
        str(second_only),
        notes.shown(figure),
    ]


def print_unitizing(document: AgreementDocument) -> None:
    """α_U per code and group, then, for two coders, segment matching as a table of its own.

    Drawn from the report the files are written from (`unitizing_document`).
    """
    out = console()
    notes = _Notes()
    about = document.comparison
    assert about is not None and about.threshold is not None, "a report on characters says what it compared"
    coders, covered, threshold = about.coders, dict(about.covered), about.threshold
    alphas, *matching = document.sections
    codes = [s for s in alphas.subjects if s.kind == "code"]
    groups = [s for s in alphas.subjects if s.kind == "group"]
    pairable = sum(1 for d in about.documents if sum(d in docs for docs in covered.values()) >= 2)
    title = _(
        "Unitizing agreement between {coders}: α_U on {characters} characters in {documents} ({pairable} coded "
        "by two or more of them)"
    ).format(
        coders=", ".join(coders),
        characters=about.n_units,
        documents=plural(len(about.documents), "document"),
        pairable=pairable,
    )
    columns = [column_heading(UNITIZING_ALPHA), _("verdict"), _("D_o"), _("D_e")]
    names = display_names([c.name for c in codes])
    if codes:
        _coders_table(out, title, N_("code"), columns, coders, _unitizing_rows(codes, names, notes))
    else:
        say(out, _("{title}: none of the coders used any code in these documents").format(title=title))
    if groups:
        say(out)
        _coders_table(
            out,
            _("Mutually exclusive groups (α_U over which of the group's codes each character got)"),
            N_("group"),
            columns,
            coders,
            _unitizing_rows(groups, [g.name for g in groups], notes),
        )
    two = len(coders) == 2
    segments = [s for s in matching[0].subjects if s.kind == "code"] if matching else []
    if two and codes:
        say(out)
        shown_as = dict(zip([c.name for c in codes], names))
        rows = [_segment_row(shown_as[s.name], s.figures[0], notes) for s in segments]
        heading = _(
            "Segment matching, MAXQDA-style, overlap ≥ {percent} (a different statistic from α_U): it counts "
            "segments, not characters"
        ).format(percent=percent(threshold))
        shaped = [
            Column(_("code"), NAME),
            *(Column(_(c), NUMBER) for c in (N_("segments"), N_("agreements"))),
            *(Column(_("{coder} only").format(coder=c), NUMBER) for c in coders[:2]),
            Column(column_heading(SEGMENTS), NUMBER),
        ]
        print_table(out, shaped, rows, title=heading)
        kappa = next((s for s in matching[0].subjects if s.kind == "pooled"), None) if matching else None
        if kappa is not None:
            said = _("segment κ over all {codes} (Brennan–Prediger, chance 1/q with q = {q})").format(
                codes=plural(len(codes), "code"), q=len(codes)
            )
            say(out, f"{said}: {CLI.text(notes.shown(kappa.figures[0]))}  " + _("(MAXQDA's chance correction)"))
    notes.print(out)
    footer = [
        _(
            "α_U: Krippendorff's unitizing α (Krippendorff et al. 2016) of each code against its gaps; D_o, D_e: "
            "observed and expected disagreement; {coders}: their codings of the code; verdict after "
            "Krippendorff (.800 reliable, .667 tentative)"
        ).format(coders=", ".join(coders)),
    ]
    if two and codes:
        footer.append(
            _(
                "segment matching: a segment agrees when the other coder has the code on a segment overlapping it by "
                "at least {percent} (intersection / union); a segment both drew alike counts once "
                "per coder; % agree is not chance-corrected, only the segment κ is"
            ).format(percent=percent(threshold))
        )
    elif not two:
        footer.append(_("segment matching compares two coders: left out for {n}").format(n=len(coders)))
    if about.include_subcodes:
        footer.append(_("a sub-code's codings count as codings of the codes above it too"))
    if about.skipped_unused:
        footer.append(
            _("{codes} not shown: none of the coders used them in these documents").format(
                codes=plural(about.skipped_unused, "code")
            )
        )
    footer += _covered(covered)
    for line in footer:
        say(out, line)
    for s in segments:
        if s.places:
            more = len(s.places) - SHOWN_DISAGREEMENTS
            say(
                out,
                _("{code}: unmatched segments {places}").format(
                    code=s.name, places=", ".join(s.places[:SHOWN_DISAGREEMENTS])
                )
                + _more(more),
            )
