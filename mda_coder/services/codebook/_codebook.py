"""Codebook use cases: import a YAML codebook into a project, export it, list the code tree."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import func, select

from mda_coder.core.actor import system_actor
from mda_coder.core.codebook import Texts
from mda_coder.core.coding import CodeInfo
from mda_coder.services import backups
from mda_coder.store import codes as code_repo
from mda_coder.store import journal, settings
from mda_coder.store.codes import MergeResult
from mda_coder.store.engine import Database
from mda_coder.store.models import Coder, CodingRow


@dataclass(frozen=True)
class CodeListing:
    code: CodeInfo
    depth: int
    codings: int


def import_codebook(db: Database, path: Path, actor: str | None = None) -> MergeResult:
    """Merge a YAML (or REFI-QDA ``.qdc``) codebook into the project: new codes added, same paths updated."""
    if Path(path).suffix.lower() == ".qdc":
        # Only .qdc imports pay for the REFI reader.
        from mda_coder.services.importing import import_qdc

        return import_qdc(db, Path(path), actor)
    # PyYAML loads only for codebook files, not for every command that reads codes.
    from mda_coder.ingest.codebook_yaml import read_codebook

    book = read_codebook(path)
    backups.before(db.location, "codebook-import")  # codes at the same paths are overwritten
    with db.transaction() as s:
        result = code_repo.merge_codebook(s, book)
        journal.record(
            s,
            actor or system_actor(),
            "codebook.import",
            "codebook",
            None,
            {"name": book.name, "source": str(path), "created": list(result.created), "updated": list(result.updated)},
        )
    return result


def export_codebook_yaml(db: Database) -> str:
    from mda_coder.export.codebook_yaml import codebook_to_yaml

    with db.transaction() as s:
        name = settings.get(s, "name", "codebook") or "codebook"
        language = settings.get(s, "language")
        return codebook_to_yaml(code_repo.export_codebook(s, name, language))


def list_codes(db: Database) -> list[CodeListing]:
    with db.transaction() as s:
        language = settings.get(s, "language")
        counts = code_repo.coding_counts(s)
        return [
            CodeListing(code=info, depth=info.path.count("/"), codings=counts.get(info.id, 0))
            for info in code_repo.infos(s, language)
        ]


@dataclass(frozen=True)
class CodeDetail:
    """A code's texts in the project language, for the codebook panel."""

    path: str
    color: str | None
    key: str | None
    definition: str
    use_when: str
    dont_use_when: str
    example: str


def code_detail(db: Database, code: str) -> CodeDetail:
    with db.transaction() as s:
        language = settings.get(s, "language")
        row = code_repo.resolve(s, code)
        path = code_repo.paths(s)[row.id]
        return CodeDetail(
            path=path,
            color=row.color,
            key=row.shortcut,
            definition=Texts.of(row.definition).best(language),
            use_when=Texts.of(row.use_when).best(language),
            dont_use_when=Texts.of(row.dont_use_when).best(language),
            example=Texts.of(row.example).best(language),
        )


def coding_counts_of(db: Database, coder: str) -> dict[str, int]:
    """How many codings ``coder`` has per code path (empty for a coder who has not coded yet)."""
    with db.transaction() as s:
        paths = code_repo.paths(s)
        rows = s.execute(
            select(CodingRow.code_id, func.count())
            .join(Coder, CodingRow.coder_id == Coder.id)
            .where(Coder.name == coder)
            .group_by(CodingRow.code_id)
        )
        return {paths[code_id]: count for code_id, count in rows}
