"""The ``import-qdpx`` command: a project from another QDA program (REFI-QDA), with what was left out."""

from __future__ import annotations

from pathlib import Path

import click
from rich.text import Text

from mda_coder.cli.app import cli
from mda_coder.cli.output import console, emit_json, say
from mda_coder.cli.project_cmds import JSON, PROJECT
from mda_coder.services.importing_refi import RefiImportReport, import_qdpx
from mda_coder.services.project import create_project, delete_project, open_project
from mda_coder.store.engine import Database, is_url


def _plural(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _print(report: RefiImportReport) -> None:
    out = console()
    say(out, f"{report.path}" + (f" (from {report.origin})" if report.origin else ""))
    for r in report.sources:
        if r.status == "imported":
            how = f"positions in {r.reading}" + (", text from the Word file" if r.from_word else "")
            say(out, Text.assemble(f"  {r.source} → ", (r.document, "bold"),
                                   f": {_plural(r.turns, 'turn')}, {_plural(r.codings, 'coding')} · {how}"))
        elif r.status == "skipped":
            say(out, Text(f"  {r.source}: {r.reason}, skipped", style="dim"))
        else:
            say(out, Text(f"  {r.source}: left out: {r.reason}", style="yellow"))
    imported = sum(1 for r in report.sources if r.status == "imported")
    say(out,
        f"imported {_plural(imported, 'document')}, {_plural(len(report.codes_created), 'new code')} "
        f"({len(report.codes_updated)} updated), {_plural(report.codings, 'coding')}, {_plural(report.memos, 'memo')}; "
        f"coders: {', '.join(report.coders) or 'none'}")
    for note in report.notes:
        say(out, f"note: {note}")
    for line in report.dropped:
        say(out, Text.assemble(("not imported:", "yellow"), f" {line}"))


@cli.command("import-qdpx")
@PROJECT
@click.argument("file", type=click.Path(path_type=Path))
@click.option("--language", "-l", default="sv", show_default=True, help="Language of a project that is created.")
@JSON
def import_qdpx_cmd(project: str, file: Path, language: str, as_json: bool) -> None:
    """Import a REFI-QDA project FILE (.qdpx from NVivo, ATLAS.ti, MAXQDA, QualCoder …) into PROJECT.

    PROJECT is created when it does not exist. Everything goes in, or nothing does; what
    mda-coder cannot hold is listed as not imported. On a terminal a bar shows the sources done.
    """
    from mda_coder.cli.progress import progress_shown

    created = not is_url(project) and not Path(project).exists()
    db: Database = create_project(project, language) if created else open_project(project)
    try:
        if as_json:
            report = import_qdpx(db, file)
        else:
            with progress_shown(console()) as progress:
                report = import_qdpx(db, file, progress=progress)
    except BaseException:
        if created:
            db.close()
            delete_project(project)
        raise
    if as_json:
        emit_json(report)
    else:
        _print(report)
