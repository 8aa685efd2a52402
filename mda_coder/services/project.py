"""Create, open and summarise projects."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from mda_coder.core.actor import system_actor
from mda_coder.core.codebook import Codebook
from mda_coder.core.errors import MdaError
from mda_coder.i18n import Message
from mda_coder.nlp.pipeline import language_supported
from mda_coder.services import backups
from mda_coder.store import codes as code_repo
from mda_coder.store import journal, settings
from mda_coder.store.engine import Database, copy_file, is_url, remove_files
from mda_coder.store.models import (
    AnchorFlag,
    Coder,
    CodeRow,
    CodingRow,
    Document,
    SentenceRow,
    Speaker,
    TurnRow,
)


@dataclass(frozen=True)
class ProjectSummary:
    location: str
    name: str
    language: str
    documents: int
    groups: int
    speakers: int
    turns: int
    sentences: int
    words: int
    codes: int
    codings: int
    coders: tuple[str, ...]
    flags: int = 0
    """Codings a text correction flagged for review, not yet reviewed (``document flags``)."""


@contextmanager
def creating_project(
    target: str | Path, language: str, codebook: Path | None = None, actor: str | None = None
) -> Iterator[Database]:
    """A new project (with ``codebook``, its codes too), to be filled in the block: all of it, or no file at all.

    The project takes the name ``target`` only when the block ends well; if anything in it fails,
    or the process is killed, there is no file called ``target`` (see ``Database.creating``).
    """
    if not language_supported(language):
        raise MdaError(f"unknown language '{language}': use an ISO code such as sv, da, nb, en, de")
    # PyYAML loads only when a project is made, not when one is opened.
    from mda_coder.ingest.codebook_yaml import read_codebook

    book: Codebook | None = read_codebook(codebook) if codebook is not None else None
    backups.warn_if_unsafe(target)
    name = Path(str(target)).stem if not is_url(target) else str(target).rsplit("/", 1)[-1]
    with Database.creating(target) as db:
        with db.transaction() as s:
            settings.put(s, "language", language)
            settings.put(s, "name", name)
            journal.record(s, actor or system_actor(), "project.create", "project", None, {"language": language})
            if book is not None:
                result = code_repo.merge_codebook(s, book)
                journal.record(
                    s,
                    actor or system_actor(),
                    "codebook.import",
                    "codebook",
                    None,
                    {"name": book.name, "source": str(codebook), "created": list(result.created)},
                )
        yield db


def create_project(
    target: str | Path, language: str, codebook: Path | None = None, actor: str | None = None
) -> Database:
    """A new project; with ``codebook``, its codes too. Nothing is created if anything is wrong."""
    with creating_project(target, language, codebook, actor):
        pass
    return Database.open(target)


def delete_project(target: str | Path) -> None:
    """Remove a project file (to rebuild the sample project, say); a server database is left alone."""
    remove_files(target)


def copy_project(source: str | Path, target: str | Path, *, force: bool = False) -> ProjectSummary:
    """A copy of the project file ``source`` as ``target`` (all of it, or no file), and what it holds.

    ``source`` is opened first, so a file that is not a project is refused and one made by an
    older mda-coder is brought up to date (with its snapshot) before it is copied.
    """
    for where in (source, target):
        if is_url(where):
            raise MdaError(
                Message(
                    "{location}: copy works on project files; copy a server's database with pg_dump",
                    location=str(where),
                )
            )
    open_project(source).close()
    copy_file(Path(source), Path(target), force=force)
    db = Database.open(target)
    try:
        return summary(db)
    finally:
        db.close()


def open_project(target: str | Path) -> Database:
    """An existing project; a snapshot is taken before its schema is upgraded, and an unsafe folder is warned of."""
    backups.warn_if_unsafe(target)
    return Database.open(target, before_upgrade=lambda: backups.before(target, "migration"))


def project_language(db: Database) -> str:
    with db.transaction() as s:
        return settings.get(s, "language", "sv") or "sv"


def summary(db: Database) -> ProjectSummary:
    with db.transaction() as s:

        def count(model: type) -> int:
            return s.scalar(select(func.count()).select_from(model)) or 0

        words = sum(len(text.split()) for text in s.scalars(select(Document.text)))
        return ProjectSummary(
            location=db.location,
            name=settings.get(s, "name", "") or "",
            language=settings.get(s, "language", "sv") or "sv",
            documents=count(Document),
            groups=s.scalar(select(func.count(func.distinct(Document.group_name)))) or 0,
            speakers=count(Speaker),
            turns=count(TurnRow),
            sentences=count(SentenceRow),
            words=words,
            codes=count(CodeRow),
            codings=count(CodingRow),
            coders=tuple(s.scalars(select(Coder.name).order_by(Coder.id))),
            flags=s.scalar(select(func.count()).select_from(AnchorFlag).where(AnchorFlag.resolved_at.is_(None))) or 0,
        )
