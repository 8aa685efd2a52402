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
from mda_coder.i18n import CLI, MESSAGES
from mda_coder.services.importing import FileReport, TurnPreview

_ = CLI.gettext
ngettext = CLI.ngettext

IMPORT_DOUBTS_SHOWN = 10
"""Doubtful lines listed after a real import; ``--preview`` lists them all."""


def _speakers(report: FileReport) -> str:
    parts = []
    for s in report.speaker_summary:
        role = f" ({s.role})" if s.role else ""
        parts.append(f"{s.label}{role} {s.turns}")
    return " · ".join(parts)


def _turn(turn: TurnPreview) -> Text:
    who = turn.speaker if turn.speaker is not None else _("(no speaker)")
    when = f" {clock(turn.time)}" if turn.time is not None else ""
    return Text.assemble(f"    {turn.number:>5}  ", (who, "bold"), f"{when}: {turn.text}")


def _counts(report: FileReport) -> str:
    return ", ".join(f"{n} {kind}" for kind, n in report.doubt_counts().items())


def print_report(out: Console, report: FileReport, *, preview: bool, project: str) -> None:
    """One file's summary, printed in one piece (above a progress bar, each print redraws the bar)."""
    lines: list[Text] = []
    _summary(
        lambda line: lines.append(line if isinstance(line, Text) else Text(line)),
        report,
        preview=preview,
        project=project,
    )
    out.print(*lines, sep="\n")


def _summary(add: Callable[[Text | str], None], report: FileReport, *, preview: bool, project: str) -> None:
    """One file's lines; a file that needs no look gets no warning colour at all."""
    if report.status == "skipped":
        add(
            Text(
                _("{path}: already imported as '{document}', skipped").format(
                    path=report.path, document=report.document
                ),
                style="dim",
            )
        )
        return
    arrow = _("would become") if preview else "→"
    counts = (
        _("{speakers} speakers, {turns} turns, {words} words")
        if preview
        else _("{speakers} speakers, {turns} turns, {sentences} sentences, {words} words")
    ).format(speakers=len(report.speakers), turns=report.turns, sentences=report.sentences, words=report.words)
    add(
        Text.assemble(
            f"{report.path} {arrow} ",
            (report.document, "bold"),
            f": {counts} · {report.layout}, {report.encoding}",
            (" " + _("(guessed: check it)"), "yellow") if report.guessed else "",
        )
    )
    if report.speaker_summary:
        add("  " + _("speakers: {speakers}").format(speakers=_speakers(report)))
    for warning in report.warnings:
        add("  " + _("note: {note}").format(note=MESSAGES.text(warning)))
    if preview:
        add("  " + _("first turns:"))
        for turn in report.first_turns:
            add(_turn(turn))
        if report.last_turns:
            add("  " + _("last turns:"))
            for turn in report.last_turns:
                add(_turn(turn))
    if not report.doubts:
        return
    lines = report.doubtful_lines
    add(
        Text.assemble(
            "  ",
            (ngettext("check {n} line", "check {n} lines", lines).format(n=lines), "yellow"),
            " " + _("of {lines}: {counts}").format(lines=report.lines, counts=_counts(report)),
        )
    )
    shown = report.doubts if preview else report.doubts[:IMPORT_DOUBTS_SHOWN]
    for doubt in shown:
        where = _("line {line}").format(line=doubt.line) if doubt.line is not None else _("file")
        add(f"    {where:>10}  {doubt.kind:<14} {doubt.text}")
        add(f"    {'':>10}  {'':<14} → {MESSAGES.text(doubt.reading)}")
    if len(shown) < len(report.doubts):
        rest = len(report.doubts) - len(shown)
        add(
            "    "
            + _("… and {n} more: {command}").format(
                n=rest, command=f"mda-coder documents doubts {project} {report.document}"
            )
        )


def print_total(out: Console, reports: Sequence[FileReport], *, preview: bool) -> None:
    """The last line: how many files, and exactly which of them need a look."""
    done = sum(r.status in ("imported", "preview") for r in reports)
    said = _("would import {done} of {n} files") if preview else _("imported {done} of {n} files")
    say(out, said.format(done=done, n=len(reports)))
    flagged = [r for r in reports if r.status != "skipped" and r.needs_a_look]
    if flagged:
        names = ", ".join(
            (
                ngettext("{document} ({n} line, guessed)", "{document} ({n} lines, guessed)", r.doubtful_lines)
                if r.guessed
                else ngettext("{document} ({n} line)", "{document} ({n} lines)", r.doubtful_lines)
            ).format(document=r.document, n=r.doubtful_lines)
            for r in flagged
        )
        say(out, Text.assemble((_("{n} to check:").format(n=len(flagged)), "yellow"), f" {names}"))
