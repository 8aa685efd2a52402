"""Import transcript files into a project: parse all, then store all in one transaction.

``preview_files`` reads the same files the same way and stores nothing, so a user can see
what the importer made of a file (speakers, turns, every doubtful line) before it counts.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from mda_coder.core.actor import system_actor
from mda_coder.core.display import one_line
from mda_coder.core.errors import InputError, MdaError
from mda_coder.core.progress import SILENT, Progress
from mda_coder.core.transcript import Doubt, ParsedTranscript
from mda_coder.i18n import Message, message_of
from mda_coder.ingest import read_transcript
from mda_coder.ingest.verdict import doubtful_lines
from mda_coder.nlp.sentences import split_sentences
from mda_coder.services import backups
from mda_coder.services.project import project_language
from mda_coder.store import documents as doc_repo
from mda_coder.store import journal
from mda_coder.store.engine import Database

PREVIEW_TURNS = 3
"""Turns shown from the start and from the end of each file in a preview."""


@dataclass(frozen=True)
class SpeakerSummary:
    """One speaker as the importer found it."""

    label: str
    role: str | None
    turns: int
    description: str | None = None
    """The legend's words for this speaker, when the file has a legend."""


@dataclass(frozen=True)
class TurnPreview:
    """A turn as a preview shows it: number, speaker, time, and its words on one line."""

    number: int
    speaker: str | None
    time: float | None
    text: str


@dataclass(frozen=True)
class FileReport:
    """What happened to one file."""

    path: str
    document: str
    status: str
    """``imported``, ``preview`` (nothing stored), or ``skipped`` when the same file is already in."""
    layout: str = ""
    guessed: bool = False
    encoding: str = ""
    speakers: tuple[str, ...] = ()
    turns: int = 0
    sentences: int = 0
    words: int = 0
    warnings: tuple[str, ...] = ()
    speaker_summary: tuple[SpeakerSummary, ...] = ()
    """Every speaker with its turns and role, legend order first."""
    doubts: tuple[Doubt, ...] = ()
    """Every line the importer had to guess at, in line order."""
    doubtful_lines: int = 0
    """Distinct lines among the doubts: what the summary asks a user to check."""
    lines: int = 0
    """Lines (paragraphs, cues) with text in the file."""
    first_turns: tuple[TurnPreview, ...] = ()
    last_turns: tuple[TurnPreview, ...] = ()

    @property
    def needs_a_look(self) -> bool:
        return self.guessed or bool(self.doubts)

    def doubt_counts(self) -> dict[str, int]:
        """Doubts per kind, the most frequent first."""
        return dict(Counter(d.kind for d in self.doubts).most_common())


@dataclass(frozen=True)
class _Parsed:
    path: Path
    parsed: ParsedTranscript
    content_hash: str


def _read(path: Path, speaker_pattern: str | None) -> _Parsed:
    parsed = read_transcript(path, speaker_pattern=speaker_pattern)
    if not parsed.turns:
        raise InputError(Message("{path}: no text to code was found", path=str(path)))
    return _Parsed(path, parsed, hashlib.sha256(path.read_bytes()).hexdigest())


def _report(
    item: _Parsed, document: str, status: str, sentences: int = 0, warnings: tuple[str, ...] = ()
) -> FileReport:
    parsed = item.parsed
    counts = Counter(turn.speaker for turn in parsed.turns)
    summary = tuple(SpeakerSummary(s.label, s.role, counts.get(s.label, 0), s.description) for s in parsed.speakers)
    count = len(parsed.turns)
    shown = sorted({*range(min(PREVIEW_TURNS, count)), *range(max(PREVIEW_TURNS, count - PREVIEW_TURNS), count)})
    previews = {
        i: TurnPreview(i + 1, t.speaker, t.time, one_line(parsed.text[t.span.start : t.span.end], 100))
        for i in shown
        for t in (parsed.turns[i],)
    }
    return FileReport(
        path=str(item.path),
        document=document,
        status=status,
        layout=parsed.layout,
        guessed=parsed.guessed,
        encoding=parsed.encoding,
        speakers=parsed.speaker_labels,
        turns=len(parsed.turns),
        sentences=sentences,
        words=len(parsed.text.split()),
        warnings=warnings or parsed.warnings,
        speaker_summary=summary,
        doubts=parsed.doubts,
        doubtful_lines=doubtful_lines(parsed),
        lines=parsed.lines,
        first_turns=tuple(previews[i] for i in shown if i < PREVIEW_TURNS),
        last_turns=tuple(previews[i] for i in shown if i >= PREVIEW_TURNS),
    )


def preview_files(paths: list[Path], *, speaker_pattern: str | None = None) -> list[FileReport]:
    """What importing ``paths`` would find, without opening or changing any project."""
    if not paths:
        raise InputError(Message("no files given to import"))
    return [_report(item, item.path.stem, "preview") for item in (_read(Path(p), speaker_pattern) for p in paths)]


def import_files(
    db: Database,
    paths: list[Path],
    *,
    group: str | None = None,
    speaker_pattern: str | None = None,
    actor: str | None = None,
    progress: Progress = SILENT,
    stored: Callable[[FileReport], None] | None = None,
) -> list[FileReport]:
    """Import transcripts; if any file is bad, nothing is imported and the error names it.

    Every file is read first (a bad one stops the import before anything is stored), then each
    is stored in turn and ``stored`` hears of it at once, then all are committed together. A
    file reported as stored is therefore not yet saved: when storing or the commit fails, the
    error says that nothing was imported.
    """
    if not paths:
        raise InputError(Message("no files given to import"))
    progress.stage(Message("reading"), len(paths))
    parsed = []
    for p in paths:
        item = _read(Path(p), speaker_pattern)
        parsed.append(item)
        progress.advance(1, words=len(item.parsed.text.split()))
    if len(parsed) > 1:
        backups.before(db.location, "import")  # after reading: a bad file costs no snapshot
    language = project_language(db)
    reports: list[FileReport] = []
    actor = actor or system_actor()
    progress.stage(Message("storing"), len(parsed))
    try:
        with db.transaction() as s:
            _store(s, parsed, language, group, actor, reports, progress, stored)
            progress.stage(Message("saving"))
    except MdaError as exc:
        if not reports:
            raise
        raise MdaError(Message("{error}; nothing was imported", error=message_of(exc))) from exc
    except SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", None) or exc).splitlines()[0]
        raise MdaError(
            Message("the import could not be saved ({reason}): nothing was imported", reason=reason)
        ) from exc
    return reports


def _store(
    s: Session,
    parsed: list[_Parsed],
    language: str,
    group: str | None,
    actor: str,
    reports: list[FileReport],
    progress: Progress,
    stored: Callable[[FileReport], None] | None,
) -> None:
    """Store each parsed file in the open transaction, telling ``stored`` about each as it goes."""
    batch_hashes: dict[str, str] = {}
    for item in parsed:
        name = item.path.stem
        existing = doc_repo.find_by_hash(s, item.content_hash) or batch_hashes.get(item.content_hash)
        if existing is not None:
            report = FileReport(str(item.path), existing, "skipped")
        else:
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
                warnings.append(
                    Message("a document called '{name}' exists already: stored as '{unique}'", name=name, unique=unique)
                )
            journal.record(
                s,
                actor,
                "document.import",
                "document",
                doc_id,
                {"name": unique, "source": item.path.name, "hash": item.content_hash, "group": group},
            )
            batch_hashes[item.content_hash] = unique
            report = _report(item, unique, "imported", sentence_count, tuple(warnings))
        reports.append(report)
        if stored is not None:
            stored(report)
        progress.advance(1, words=report.words)
