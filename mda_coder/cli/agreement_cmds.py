"""The ``agree`` command: inter-coder agreement per code, as a table or JSON."""

from __future__ import annotations

import click

from mda_coder.analysis.agreement import Result
from mda_coder.cli.app import cli
from mda_coder.cli.output import console, emit_json, table
from mda_coder.cli.project_cmds import JSON, PROJECT, opened
from mda_coder.services.agreement import UNITS, AgreementReport, agreement

SHOWN_DISAGREEMENTS = 20
"""Disagreeing units listed per code in the text output (JSON has them all)."""


def _names(value: str | None) -> list[str]:
    return [] if value is None else [v.strip() for v in value.split(",") if v.strip()]


@cli.command("agree")
@PROJECT
@click.option("--coders", required=True, metavar="A,B[,C…]", help="The coders to compare, comma-separated (two or more).")
@click.option("--unit", type=click.Choice(list(UNITS)), default="turn", show_default=True, help="What a unit of comparison is.")
@click.option("--codes", metavar="A,B", help="Only these codes (names or paths) and their sub-codes.")
@click.option("--document", "-d", "documents", multiple=True, help="Only this document (repeat for more).")
@JSON
def agree_cmd(project: str, coders: str, unit: str, codes: str | None, documents: tuple[str, ...], as_json: bool) -> None:
    """Agreement between coders, per code: Krippendorff's α, Cohen's κ, Gwet's AC1 and % agreement."""
    report = agreement(
        opened(project), _names(coders), unit,  # type: ignore[arg-type]
        codes=_names(codes) or None, documents=list(documents) or None,
    )
    if as_json:
        emit_json(report)
        return
    _print(report)


def _print(report: AgreementReport) -> None:
    notes: dict[str, int] = {}

    def shown(result: Result) -> str:
        if result.value is None:
            assert result.undefined is not None
            mark = notes.setdefault(result.undefined, len(notes) + 1)
            return f"undefined [{mark}]"
        return f"{result.value:.3f}"

    rows = [
        [c.code, c.alpha.n_pairable, shown(c.alpha), c.verdict,
         shown(c.cohen_kappa if c.cohen_kappa is not None else c.fleiss_kappa), shown(c.gwet_ac1),
         "–" if c.percent_agreement.value is None else f"{100 * c.percent_agreement.value:.1f}", len(c.disagreements)]
        for c in report.codes
    ]
    kappa = "κ Cohen" if len(report.coders) == 2 else "κ Fleiss"
    table(
        f"Agreement between {', '.join(report.coders)} on {report.n_units} {report.unit}s",
        ["code", "units", "α", "verdict", kappa, "AC1", "% agree", "disagreements"],
        rows,
        justify_right=("units", "α", kappa, "AC1", "% agree", "disagreements"),
    )
    out = console()
    for reason, mark in notes.items():
        out.print(f"[{mark}] undefined: {reason}")
    pooled = report.pooled_alpha
    value = f"{pooled.value:.3f}" if pooled.value is not None else f"undefined ({pooled.undefined})"
    out.print(f"pooled binary α (all reported codes' units stacked; not a mean of the α above): {value}")
    out.print("units: pairable units (coded by two or more of the coders); α nominal; verdict after Krippendorff (.800/.667)")
    if report.skipped_unused:
        out.print(f"{report.skipped_unused} codes not shown: none of the coders used them in these documents")
    for coder, docs in report.covered.items():
        out.print(f"{coder} coded: {', '.join(docs) if docs else 'no documents'}")
    for c in report.codes:
        if not c.disagreements:
            continue
        places = ", ".join(f"{d.document}:{d.unit}" for d in c.disagreements[:SHOWN_DISAGREEMENTS])
        more = len(c.disagreements) - SHOWN_DISAGREEMENTS
        out.print(f"{c.code} differs at {report.unit} {places}{f' (+{more} more, see --json)' if more > 0 else ''}")
