"""The ``import-qdpx`` command: a project from another QDA program (REFI-QDA), with what was left out."""

from __future__ import annotations

from pathlib import Path

import click
from rich.text import Text

from mda_coder.cli.app import cli, no_backup_option
from mda_coder.cli.output import console, emit_json, say
from mda_coder.cli.project_cmds import JSON, PROJECT
from mda_coder.i18n import CLI, MESSAGES
from mda_coder.services import backups
from mda_coder.services.importing import RefiImportReport, import_qdpx
from mda_coder.services.project import creating_project, open_project
from mda_coder.store.engine import Database, is_url

_ = CLI.gettext
ngettext = CLI.ngettext


def _print(report: RefiImportReport) -> None:
    out = console()
    say(out, f"{report.path}" + (" " + _("(from {origin})").format(origin=report.origin) if report.origin else ""))
    for r in report.sources:
        if r.status == "imported":
            how = (
                _("positions in {reading}, text from the Word file") if r.from_word else _("positions in {reading}")
            ).format(reading=r.reading)
            turns = ngettext("{n} turn", "{n} turns", r.turns).format(n=r.turns)
            codings = ngettext("{n} coding", "{n} codings", r.codings).format(n=r.codings)
            say(out, Text.assemble(f"  {r.source} → ", (r.document, "bold"), f": {turns}, {codings} · {how}"))
        elif r.status == "skipped":
            say(
                out,
                Text(
                    "  " + _("{source}: {reason}, skipped").format(source=r.source, reason=MESSAGES.text(r.reason)),
                    style="dim",
                ),
            )
        else:
            say(
                out,
                Text(
                    "  " + _("{source}: left out: {reason}").format(source=r.source, reason=MESSAGES.text(r.reason)),
                    style="yellow",
                ),
            )
    imported = sum(1 for r in report.sources if r.status == "imported")
    created = len(report.codes_created)
    say(
        out,
        _("imported {documents}, {codes} ({updated} updated), {codings}, {memos}; coders: {coders}").format(
            documents=ngettext("{n} document", "{n} documents", imported).format(n=imported),
            codes=ngettext("{n} new code", "{n} new codes", created).format(n=created),
            updated=len(report.codes_updated),
            codings=ngettext("{n} coding", "{n} codings", report.codings).format(n=report.codings),
            memos=ngettext("{n} memo", "{n} memos", report.memos).format(n=report.memos),
            coders=", ".join(report.coders) or _("none"),
        ),
    )
    for note in report.notes:
        say(out, _("note: {note}").format(note=MESSAGES.text(note)))
    for line in report.dropped:
        say(out, Text.assemble((_("not imported:"), "yellow"), f" {MESSAGES.text(line)}"))


@cli.command("import-qdpx")
@PROJECT
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--language", "-l", default="sv", show_default=True, help="Language of a project that is created.")
@JSON
@no_backup_option
def import_qdpx_cmd(project: str, file: Path, language: str, as_json: bool) -> None:
    """Import a REFI-QDA project FILE (.qdpx from NVivo, ATLAS.ti, MAXQDA, QualCoder …) into PROJECT.

    PROJECT is created when it does not exist. Everything goes in, or nothing does; what
    mda-coder cannot hold is listed as not imported. On a terminal a bar shows the sources done.
    """
    if not is_url(project) and not Path(project).exists():
        # a new project is made under a temporary name and named only once everything is in
        with creating_project(project, language) as db:
            report = _imported(db, file, as_json)
    else:
        with open_project(project) as db:
            backups.before(project, "import-qdpx")  # another program's project merged into this one
            report = _imported(db, file, as_json)
    if as_json:
        emit_json(report)
    else:
        _print(report)


def _imported(db: Database, file: Path, as_json: bool) -> RefiImportReport:
    from mda_coder.cli.progress import progress_shown

    if as_json:
        return import_qdpx(db, file)
    with progress_shown(console()) as progress:
        return import_qdpx(db, file, progress=progress)
