"""What ``mda-coder import`` prints per file: speakers, turns, and the lines to check.

The same summary serves ``--preview`` (nothing stored, every doubtful line and the first and
last turns) and a real import (the doubtful lines up to a limit, then where to find the rest).
Transcript text is printed literally: ``[skratt]`` is a transcriber's mark, not Rich markup; every
line is built as ``Text``, styled in parts, never by markup around user text.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.console import Console
from rich.text import Text

from mda_coder.cli.output import say
from mda_coder.core.display import clock
from mda_coder.services.importing import FileReport, TurnPreview

IMPORT_DOUBTS_SHOWN = 10
"""Doubtful lines listed after a real import; ``--preview`` lists them all."""


def _speakers(report: FileReport) -> str:
    parts = []
    for s in report.speaker_summary:
        role = f" ({s.role})" if s.role else ""
        parts.append(f"{s.label}{role} {s.turns}")
    return " · ".join(parts)


def _turn(turn: TurnPreview) -> Text:
    who = turn.speaker if turn.speaker is not None else "(no speaker)"
    when = f" {clock(turn.time)}" if turn.time is not None else ""
    return Text.assemble(f"    {turn.number:>5}  ", (who, "bold"), f"{when}: {turn.text}")


def _counts(report: FileReport) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in report.doubt_counts().items())


def print_report(out: Console, report: FileReport, *, preview: bool, project: str) -> None:
    """One file's summary, printed in one piece (above a progress bar, each print redraws the bar)."""
    lines: list[Text] = []
    _summary(lambda line: lines.append(line if isinstance(line, Text) else Text(line)), report, preview=preview, project=project)
    out.print(*lines, sep="\n")


def _summary(add: Callable[[Text | str], None], report: FileReport, *, preview: bool, project: str) -> None:
    """One file's lines; a file that needs no look gets no warning colour at all."""
    if report.status == "skipped":
        add(Text(f"{report.path}: already imported as '{report.document}', skipped", style="dim"))
        return
    arrow = "would become" if preview else "→"
    sentences = "" if preview else f"{report.sentences} sentences, "
    add(Text.assemble(
        f"{report.path} {arrow} ", (report.document, "bold"),
        f": {len(report.speakers)} speakers, {report.turns} turns, {sentences}{report.words} words"
        f" · {report.layout}, {report.encoding}",
        (" (guessed: check it)", "yellow") if report.guessed else "",
    ))
    if report.speaker_summary:
        add(f"  speakers: {_speakers(report)}")
    for warning in report.warnings:
        add(f"  note: {warning}")
    if preview:
        add("  first turns:")
        for turn in report.first_turns:
            add(_turn(turn))
        if report.last_turns:
            add("  last turns:")
            for turn in report.last_turns:
                add(_turn(turn))
    if not report.doubts:
        return
    lines = report.doubtful_lines
    add(Text.assemble("  ", (f"check {lines} line{'s' * (lines != 1)}", "yellow"), f" of {report.lines}: {_counts(report)}"))
    shown = report.doubts if preview else report.doubts[:IMPORT_DOUBTS_SHOWN]
    for doubt in shown:
        where = f"line {doubt.line}" if doubt.line is not None else "file"
        add(f"    {where:>10}  {doubt.kind:<14} {doubt.text}")
        add(f"    {'':>10}  {'':<14} → {doubt.reading}")
    if len(shown) < len(report.doubts):
        rest = len(report.doubts) - len(shown)
        add(f"    … and {rest} more: mda-coder documents doubts {project} {report.document}")


def print_total(out: Console, reports: Sequence[FileReport], *, preview: bool) -> None:
    """The last line: how many files, and exactly which of them need a look."""
    done = sum(r.status in ("imported", "preview") for r in reports)
    verb = "would import" if preview else "imported"
    say(out, f"{verb} {done} of {len(reports)} files")
    flagged = [r for r in reports if r.status != "skipped" and r.needs_a_look]
    if flagged:
        names = ", ".join(
            f"{r.document} ({r.doubtful_lines} line{'s' * (r.doubtful_lines != 1)}"
            f"{', guessed' if r.guessed else ''})"
            for r in flagged
        )
        say(out, Text.assemble((f"{len(flagged)} to check:", "yellow"), f" {names}"))
