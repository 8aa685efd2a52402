"""Export use cases: excerpts as Markdown, codings as tidy CSV/JSON, REFI-QDA codebooks and projects.

Every export is written all or nothing by ``core.files``: into a temporary file beside the target,
renamed into place only when complete, so an interrupted export never leaves half a file (nor
spoils an older one); an existing file is replaced only when the user says ``force``.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from mda_coder.core import files
from mda_coder.core.errors import MdaError
from mda_coder.core.progress import SILENT, Progress
from mda_coder.export.codings_table import CodingExportRow, write_csv, write_json
from mda_coder.export.markdown_excerpts import WORDS, MarkdownStyle, check_label, write_excerpts
from mda_coder.export.refi_codebook import RefiCode, write_qdc
from mda_coder.export.refi_project import write_qdpx
from mda_coder.i18n import Message
from mda_coder.services.coding import export_rows
from mda_coder.services.exporting import _refi as export_refi
from mda_coder.services.exporting._excerpts import excerpt_report, selection
from mda_coder.store import settings
from mda_coder.store.engine import Database, is_url

STDOUT = "-"
"""The output name that means standard output (for the text formats)."""


@dataclass(frozen=True)
class ExportResult:
    """What was written, for the one line the CLI prints."""

    path: str
    items: int
    """Excerpts, codings, codes or sources, depending on the format."""
    what: str


def check_target(db: Database, out: Path, force: bool = False) -> None:
    """Refuse to write over the project file (or its WAL files), into a folder, or over a file without ``force``."""
    if not is_url(db.location):
        project = Path(db.location).resolve()
        target = out.resolve()
        if target in (project, Path(f"{project}-wal"), Path(f"{project}-shm")):
            raise MdaError(Message("{path} is the project file: choose another name for the export", path=str(out)))
    files.check_writable(out, force=force)


def _write_text(db: Database, out: str, render: Callable[[IO[str]], None], force: bool) -> None:
    """Text to standard output for ``-``, else to the file all or nothing (UTF-8, ``\\n`` line ends)."""
    if out == STDOUT:
        render(sys.stdout)
        return
    path = Path(out)
    check_target(db, path, force)
    files.write_text(path, render, force=force)


def default_language(db: Database) -> str:
    """The language of the words in a Markdown export: the project's when there are words for it, else English."""
    with db.transaction() as s:
        language = settings.get(s, "language", "en") or "en"
    return language if language in WORDS else "en"


def export_markdown(
    db: Database,
    out: str,
    *,
    codes: Sequence[str] = (),
    coders: Sequence[str] = (),
    documents: Sequence[str] = (),
    style: MarkdownStyle | None = None,
    context: int = 0,
    progress: Progress = SILENT,
    force: bool = False,
) -> ExportResult:
    """Excerpts grouped by code, each a quote with its citation label, to ``out`` (``-``: stdout)."""
    if out != STDOUT:
        check_target(db, Path(out), force)
    style = style or MarkdownStyle(language=default_language(db))
    if style.language not in WORDS:
        raise MdaError(f"unknown language '{style.language}' for the export's words: use {' or '.join(WORDS)}")
    if style.label is not None:
        check_label(style.label)
    if context < 0:
        raise MdaError(f"--context {context}: give a number of turns, 0 or more")
    progress.stage(Message("gathering excerpts"))
    report = excerpt_report(
        db, codes=codes, coders=coders, documents=documents, language=style.language, context=context
    )
    count = 0
    progress.stage(Message("writing {path}", path=out))

    def render(stream: IO[str]) -> None:
        nonlocal count
        count = write_excerpts(report, style, stream)

    _write_text(db, out, render, force)
    return ExportResult(out, count, Message("excerpts"))


def tidy_rows(
    db: Database, *, codes: Sequence[str] = (), coders: Sequence[str] = (), documents: Sequence[str] = ()
) -> list[CodingExportRow]:
    """One row per coding of the chosen codes (with sub-codes), coders and documents."""
    with db.transaction() as s:
        chosen = selection(s, codes, coders, documents)
    document = chosen.documents[0] if len(chosen.documents) == 1 else None
    rows = export_rows(db, document=document)
    return [
        r
        for r in rows
        if chosen.has_code(r.code)
        and (not chosen.coders or r.coder in chosen.coders)
        and (not chosen.documents or r.document in chosen.documents)
    ]


def export_table(
    db: Database,
    out: str,
    fmt: str,
    *,
    codes: Sequence[str] = (),
    coders: Sequence[str] = (),
    documents: Sequence[str] = (),
    progress: Progress = SILENT,
    force: bool = False,
) -> ExportResult:
    """Codings as tidy CSV or JSON (the columns of ``codings export``) to ``out`` (``-``: stdout)."""
    if out != STDOUT:
        check_target(db, Path(out), force)
    progress.stage(Message("reading codings"))
    rows = tidy_rows(db, codes=codes, coders=coders, documents=documents)
    progress.stage(Message("writing {path}", path=out))
    writer = write_json if fmt == "json" else write_csv
    _write_text(db, out, lambda stream: writer(rows, stream), force)
    return ExportResult(out, len(rows), Message("codings"))


def _count_codes(codes: tuple[RefiCode, ...]) -> int:
    return sum(1 + _count_codes(c.children) for c in codes)


def export_qdc(db: Database, out: str, force: bool = False) -> ExportResult:
    """The codebook as a REFI-QDA ``.qdc`` file: codes with colours and descriptions, exclusive groups as sets."""
    path = Path(out)
    check_target(db, path, force)
    codes, sets = export_refi.codebook_values(db)
    if not codes:
        raise MdaError(Message("the project has no codes, and a .qdc codebook needs one: import a codebook first"))
    files.write_file(path, lambda stream: write_qdc(codes, sets, export_refi.ORIGIN, stream), force=force)
    return ExportResult(out, _count_codes(codes), Message("codes"))


def export_qdpx(db: Database, out: str, progress: Progress = SILENT, force: bool = False) -> ExportResult:
    """The whole project as a REFI-QDA ``.qdpx`` archive that other QDA programs import."""
    path = Path(out)
    check_target(db, path, force)
    project = export_refi.project_values(db, progress)
    progress.stage(Message("writing {path}", path=out))
    files.write_file(path, lambda stream: write_qdpx(project, stream), force=force)
    codings = sum(len(sel.codings) for source in project.sources for sel in source.selections)
    return ExportResult(out, len(project.sources), Message("sources with {n} codings", n=codings))
