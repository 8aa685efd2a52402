"""Import transcript files into a project: parse all, then store all in one transaction."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from mda_coder.core.errors import InputError
from mda_coder.core.transcript import ParsedTranscript
from mda_coder.ingest import read_transcript
from mda_coder.nlp.sentences import split_sentences
from mda_coder.services.project import project_language, system_actor
from mda_coder.store import documents as doc_repo
from mda_coder.store import journal
from mda_coder.store.engine import Database


@dataclass(frozen=True)
class FileReport:
    """What happened to one file."""

    path: str
    document: str
    status: str
    """``imported``, or ``skipped`` when the same file is already in the project."""
    layout: str = ""
    guessed: bool = False
    encoding: str = ""
    speakers: tuple[str, ...] = ()
    turns: int = 0
    sentences: int = 0
    words: int = 0
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Parsed:
    path: Path
    parsed: ParsedTranscript
    content_hash: str


def _read(path: Path, speaker_pattern: str | None) -> _Parsed:
    parsed = read_transcript(path, speaker_pattern=speaker_pattern)
    if not parsed.turns:
        raise InputError(f"{path}: no text to code was found")
    return _Parsed(path, parsed, hashlib.sha256(path.read_bytes()).hexdigest())


def import_files(
    db: Database,
    paths: list[Path],
    *,
    group: str | None = None,
    speaker_pattern: str | None = None,
    actor: str | None = None,
) -> list[FileReport]:
    """Import transcripts; if any file is bad, nothing is imported and the error names it."""
    if not paths:
        raise InputError("no files given to import")
    parsed = [_read(Path(p), speaker_pattern) for p in paths]
    language = project_language(db)
    reports: list[FileReport] = []
    actor = actor or system_actor()
    with db.transaction() as s:
        batch_hashes: dict[str, str] = {}
        for item in parsed:
            name = item.path.stem
            existing = doc_repo.find_by_hash(s, item.content_hash) or batch_hashes.get(item.content_hash)
            if existing is not None:
                reports.append(FileReport(str(item.path), existing, "skipped"))
                continue
            unique = name
            n = 2
            while doc_repo.name_taken(s, unique):
                unique = f"{name} ({n})"
                n += 1
            text = item.parsed.text
            sentences = list(split_sentences((text[t.span.start : t.span.end] for t in item.parsed.turns), language))
            doc_id, sentence_count = doc_repo.add_document(
                s,
                name=unique,
                parsed=item.parsed,
                source_file=item.path.name,
                content_hash=item.content_hash,
                group=group,
                sentences=sentences,
            )
            warnings = list(item.parsed.warnings)
            if unique != name:
                warnings.append(f"a document called '{name}' exists already: stored as '{unique}'")
            journal.record(
                s, actor, "document.import", "document", doc_id,
                {"name": unique, "source": item.path.name, "hash": item.content_hash, "group": group},
            )
            batch_hashes[item.content_hash] = unique
            reports.append(
                FileReport(
                    path=str(item.path),
                    document=unique,
                    status="imported",
                    layout=item.parsed.layout,
                    guessed=item.parsed.guessed,
                    encoding=item.parsed.encoding,
                    speakers=item.parsed.speaker_labels,
                    turns=len(item.parsed.turns),
                    sentences=sentence_count,
                    words=len(text.split()),
                    warnings=tuple(warnings),
                )
            )
    return reports
