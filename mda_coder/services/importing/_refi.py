"""Import a REFI-QDA project (``.qdpx``) or codebook (``.qdc``) from another QDA program, in one transaction.

The archive is read and checked whole first; then its codes, users, documents, codings and
notes go in together, so a failure leaves the project exactly as it was. What a project here
cannot hold (sets of codes, cases, graphs, pictures, codings on missing sources) is left out and
listed in the report, as REFI-QDA §7 asks of an importing program.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypedDict

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from mda_coder.core.actor import system_actor
from mda_coder.core.display import one_line
from mda_coder.core.errors import InputError
from mda_coder.core.progress import SILENT, Progress
from mda_coder.core.spans import Span
from mda_coder.i18n import Message
from mda_coder.ingest.refi_archive import ReadArchive, ReadSource, read_qdpx
from mda_coder.ingest.refi_codes import ImportedCodebook, convert_codebook
from mda_coder.ingest.refi_qde import QdeCode, QdeProject, read_codebook
from mda_coder.ingest.refi_zip import read_xml_file
from mda_coder.nlp.sentences import split_sentences
from mda_coder.services.project import project_language
from mda_coder.store import codes as code_repo
from mda_coder.store import codings as coding_repo
from mda_coder.store import documents as doc_repo
from mda_coder.store import identity, journal
from mda_coder.store.codes import MergeResult
from mda_coder.store.engine import Database
from mda_coder.store.models import (
    Coder,
    CodeRow,
    CodingRow,
    Document,
    Event,
    MemoRow,
    Speaker,
    TurnRow,
    new_uuid,
    utcnow,
)

UNKNOWN_CODER = "unknown"
"""The coder of codings that name no user, in a project with more than one."""


@dataclass
class SourceReport:
    """What became of one source of the archive."""

    source: str
    document: str = ""
    status: str = "imported"
    """``imported``, ``skipped`` (already in the project) or ``dropped``."""
    reason: str = ""
    turns: int = 0
    codings: int = 0
    reading: str = ""
    """How the source's selection positions were counted (see ``ingest.refi_text.READINGS``)."""
    from_word: bool = False


@dataclass
class RefiImportReport:
    path: str
    origin: str
    sources: list[SourceReport] = field(default_factory=list)
    codes_created: tuple[str, ...] = ()
    codes_updated: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()
    coders: tuple[str, ...] = ()
    codings: int = 0
    memos: int = 0
    dropped: list[str] = field(default_factory=list)
    """One line per kind of thing left out, and why."""
    notes: list[str] = field(default_factory=list)
    """Changes made to fit (renamed codes, …): imported, but not as they were."""


def _merge_codes(s: Session, book: ImportedCodebook, source: str, actor: str) -> tuple[MergeResult, dict[str, int]]:
    result = code_repo.merge_codebook(s, book.codebook)
    journal.record(
        s,
        actor,
        "codebook.import",
        "codebook",
        None,
        {
            "name": book.codebook.name,
            "source": source,
            "created": list(result.created),
            "updated": list(result.updated),
        },
    )
    ids = {path: code_id for code_id, path in code_repo.paths(s).items()}
    created = set(result.created)
    for guid, path in book.paths.items():
        if path in created:  # a code this import made keeps the GUID it came with
            row = s.get(CodeRow, ids[path])
            assert row is not None
            identity.adopt(s, row, guid)
    return result, {guid: ids[path] for guid, path in book.paths.items()}


def _coder_name(name: str, guid: str) -> str:
    clean = " ".join(name.replace(",", " ").split())[:100]
    return clean or f"user {guid[:8]}"


def _group_and_attributes(read: ReadSource, project: QdeProject) -> tuple[str | None, dict[str, str]]:
    values = {project.variables.get(guid, guid): value for guid, value in read.source.values if value}
    group = values.pop("group", None)
    if group is None:
        sets = [s.name for s in project.sets if read.source.guid in s.sources and s.name]
        group = sets[0] if len(sets) == 1 else None
    return group, values


def _unique_name(s: Session, name: str) -> str:
    unique, n = name, 2
    while doc_repo.name_taken(s, unique):
        unique, n = f"{name} ({n})", n + 1
    return unique


class _Importer:
    """The steps of one import, sharing the session, the lookups and the report."""

    def __init__(self, s: Session, archive: ReadArchive, language: str, actor: str, report: RefiImportReport) -> None:
        self.s, self.archive, self.project, self.actor, self.report = s, archive, archive.project, actor, report
        self.language = language
        self.used_notes: set[str] = set()
        self.memo_count = 0
        self.fallback: Coder | None = None
        """The coder of codings that name no user: the only user, or ``unknown``."""
        self.exclusive_groups: dict[int, int | None] = {}
        """Each code's mutually exclusive group, read once the archive's codes are merged."""

    def coders(self) -> dict[str, Coder]:
        known = set(coding_repo.coder_names(self.s))
        rows = {guid: coding_repo.coder(self.s, _coder_name(name, guid)) for guid, name in self.project.users.items()}
        for guid, row in rows.items():
            if row.name not in known:  # a coder this import made keeps the user's GUID
                identity.adopt(self.s, row, guid)
                known.add(row.name)
        self.report.coders = tuple(dict.fromkeys(r.name for r in rows.values()))
        return rows

    def memo(self, kind: str, target: int | None, note_guid: str, coders: dict[str, Coder]) -> None:
        note = self.project.notes.get(note_guid)
        self.used_notes.add(note_guid)
        text = self.archive.notes.get(note_guid, "").strip()
        if note is None or not text:
            return
        title = "" if note.name == one_line(text, 60) else note.name
        coder = coders.get(note.user or "")
        row = MemoRow(target_kind=kind, target_id=target, coder_id=coder.id if coder else None, title=title, text=text)
        identity.adopt(self.s, row, note_guid)
        if note.created:
            row.created_at = row.modified_at = note.created
        self.s.add(row)
        self.s.flush()
        journal.record(
            self.s,
            coder.name if coder else self.actor,
            "memo.add",
            "memo",
            row.id,
            {"kind": kind, "target_id": target, "text": text},
        )
        self.memo_count += 1

    def coding_memo(self, guids: tuple[str, ...]) -> str | None:
        self.used_notes.update(guids)
        texts = [self.archive.notes.get(g, "").strip() for g in guids]
        return "\n\n".join(t for t in texts if t) or None

    def document(
        self,
        read: ReadSource,
        code_ids: dict[str, int],
        coders: dict[str, Coder],
        sentences: list[list[Span]],
        dropped: defaultdict[str, int],
    ) -> SourceReport:
        source, parsed, placement = read.source, read.parsed, read.placement
        assert parsed is not None and placement is not None
        entry = SourceReport(source.name, reading=placement.reading, from_word=read.from_word, turns=len(parsed.turns))
        existing = doc_repo.find_by_hash(self.s, read.content_hash)
        if existing is not None:
            entry.status, entry.document = "skipped", existing
            entry.reason = f"already in the project as '{existing}'"
            dropped["codings on sources already in the project"] += sum(len(x.codings) for x in source.selections)
            return entry
        group, attributes = _group_and_attributes(read, self.project)
        name = _unique_name(self.s, read.name)
        doc_id, _ = doc_repo.add_document(
            self.s,
            name=name,
            parsed=parsed,
            source_file=self.archive.path.name,
            content_hash=read.content_hash,
            group=group,
            sentences=sentences,
        )
        doc = self.s.get(Document, doc_id)
        assert doc is not None
        doc.format, doc.attributes = "qdpx", attributes
        identity.adopt(self.s, doc, source.guid)
        journal.record(
            self.s,
            self.actor,
            "document.import",
            "document",
            doc_id,
            {
                "name": name,
                "source": f"{self.archive.path.name}: {source.name}",
                "hash": read.content_hash,
                "group": group,
            },
        )
        entry.document = name
        turns = list(
            self.s.execute(
                select(TurnRow.id, TurnRow.start_offset, TurnRow.end_offset)
                .where(TurnRow.document_id == doc_id)
                .order_by(TurnRow.position)
            )
        )
        codings = _NewCodings(self.s, doc_id, self.exclusive_groups)
        for note in source.notes:
            self.memo("document", doc_id, note, coders)
        for selection, placed in zip(source.selections, placement.spans, strict=True):
            if placed.problem:
                dropped[
                    f"selections whose positions do not fall on the text of '{source.name}' (first: {placed.problem})"
                ] += 1
                continue
            assert placed.start is not None and placed.end is not None
            span = Span(placed.start, placed.end)
            if selection.notes:
                turn = next((t for t in turns if t.start_offset == span.start and t.end_offset == span.end), None)
                turn = turn or next((t for t in turns if t.start_offset <= span.start < t.end_offset), None)
                for note in selection.notes:
                    if turn is not None:
                        self.memo("turn", turn.id, note, coders)
                    else:
                        self.memo("document", doc_id, note, coders)
            if selection.notes:
                entry.codings += codings.store()  # keeps the journal in the order of the archive
            for coding in selection.codings:
                code_id = code_ids.get(coding.code)
                coder = coders.get(coding.user or selection.user or "") or self.fallback
                if code_id is None:
                    dropped["codings of codes that are not in the archive's codebook"] += 1
                    continue
                if coder is None:
                    coder = self.fallback = coding_repo.coder(self.s, UNKNOWN_CODER)
                    self.report.notes.append(f"codings that name no user are by coder '{UNKNOWN_CODER}'")
                if not codings.add(
                    coder,
                    code_id,
                    span,
                    self.coding_memo(coding.notes),
                    coding.created or selection.created,
                    coding.guid,
                ):
                    dropped["codings that break a mutually exclusive group of the project"] += 1
        entry.codings += codings.store()
        return entry

    def speakers(self, documents: dict[str, int]) -> int:
        """Speaker names, roles and attributes from cases that name a speaker of one imported source."""
        used = 0
        for case in self.project.cases:
            values = {self.project.variables.get(g, g): v for g, v in case.values}
            label = values.pop("speaker", None)
            if label is None or len(case.sources) != 1 or case.sources[0] not in documents:
                continue
            row = self.s.scalar(
                select(Speaker).where(Speaker.document_id == documents[case.sources[0]], Speaker.label == label)
            )
            if row is None:
                continue
            row.display_name = values.pop("name", None) or row.display_name
            row.role = values.pop("role", None) or row.role
            legend = row.attributes.get("legend")
            row.attributes = {**({"legend": legend} if legend else {}), **values}
            identity.adopt(self.s, row, case.guid)  # the speaker was made by this import: it takes the case's GUID
            used += 1
        return used


class _CodingValues(TypedDict):
    """A queued coding, as the columns of its row."""

    uuid: str
    coder_id: int
    code_id: int
    document_id: int
    start_offset: int
    end_offset: int
    memo: str | None
    created_at: datetime
    modified_at: datetime


class _NewCodings:
    """The codings of one newly imported document, checked in memory and stored in bulk.

    The document is new, so its only codings are the ones this import adds: duplicates and
    mutually exclusive groups (as ``check_exclusive`` enforces them) are decided here without a
    query, and the codings and their journal entries go in as one Core ``executemany`` each.
    Applying them one by one through the ORM cost two flushes and three queries per coding
    (34 s for 13,334 codings).
    """

    def __init__(self, s: Session, document_id: int, groups: dict[int, int | None]) -> None:
        self.s, self.document_id, self.groups = s, document_id, groups
        self.keys: set[tuple[int, int, int, int]] = set()
        self.spans: defaultdict[tuple[int, int], list[tuple[int, int, int]]] = defaultdict(list)
        """The accepted spans of each (coder, exclusive group), with their code."""
        self.pending: list[tuple[Coder, _CodingValues]] = []

    def add(
        self, coder: Coder, code_id: int, span: Span, memo: str | None, created: datetime | None, guid: str
    ) -> bool:
        """Queue a coding; False when it breaks a mutually exclusive group (the same span twice is one coding).

        The coding keeps its GUID as its uuid where that is a UUID not yet taken (see ``store.identity``).
        """
        group = self.groups.get(code_id)
        if group is not None:
            taken = self.spans[(coder.id, group)]
            if any(other != code_id and start < span.end and end > span.start for other, start, end in taken):
                return False
        key = (coder.id, code_id, span.start, span.end)
        if key in self.keys:
            return True
        self.keys.add(key)
        if group is not None:
            self.spans[(coder.id, group)].append((code_id, span.start, span.end))
        when = created or utcnow()
        self.pending.append(
            (
                coder,
                {
                    "uuid": identity.canonical(guid) or "",
                    "coder_id": coder.id,
                    "code_id": code_id,
                    "document_id": self.document_id,
                    "start_offset": span.start,
                    "end_offset": span.end,
                    "memo": memo,
                    "created_at": when,
                    "modified_at": when,
                },
            )
        )
        return True

    def store(self) -> int:
        """Insert the queued codings and journal their application; how many there were."""
        if not self.pending:
            return 0
        self.s.flush()  # the ORM's pending journal entries first, as they were recorded
        taken = identity.taken(self.s, CodingRow, (row["uuid"] for _, row in self.pending if row["uuid"]))
        for _, row in self.pending:
            if not row["uuid"] or row["uuid"] in taken:
                row["uuid"] = new_uuid()
            taken.add(row["uuid"])
        self.s.execute(insert(CodingRow.__table__), [row for _, row in self.pending])
        ids = {
            (c, k, a, b): i
            for i, c, k, a, b in self.s.execute(
                select(
                    CodingRow.id, CodingRow.coder_id, CodingRow.code_id, CodingRow.start_offset, CodingRow.end_offset
                ).where(CodingRow.document_id == self.document_id)
            )
        }
        events = []
        for coder, row in self.pending:
            coding_id = ids[(row["coder_id"], row["code_id"], row["start_offset"], row["end_offset"])]
            created = row["created_at"]
            data = {
                "coder_id": row["coder_id"],
                "code_id": row["code_id"],
                "document_id": self.document_id,
                "start": row["start_offset"],
                "end": row["end_offset"],
                "memo": row["memo"],
                "created": created.isoformat(),
            }
            events.append(
                {
                    "at": utcnow(),
                    "actor": coder.name,
                    "action": "coding.apply",
                    "entity": "coding",
                    "entity_id": coding_id,
                    "data": data,
                }
            )
        self.s.execute(insert(Event.__table__), events)
        count, self.pending = len(self.pending), []
        return count


def _sentences(archive: ReadArchive, language: str, progress: Progress) -> dict[str, list[list[Span]]]:
    result = {}
    readable = [read for read in archive.sources if read.parsed is not None]
    progress.stage(Message("splitting sentences"), len(readable))
    for read in readable:
        assert read.parsed is not None
        text = read.parsed.text
        result[read.source.guid] = [
            list(x) for x in split_sentences((text[t.span.start : t.span.end] for t in read.parsed.turns), language)
        ]
        progress.advance(1, words=len(text.split()))
    return result


def import_qdpx(db: Database, path: Path, actor: str | None = None, progress: Progress = SILENT) -> RefiImportReport:
    """Import the project in ``path`` into ``db``: all of it that fits, or (on an error) nothing.

    ``progress`` hears of the sources as their sentences are split and as they are stored.
    """
    progress.stage(Message("reading {file}", file=Path(path).name))
    archive = read_qdpx(Path(path))
    project = archive.project
    language = project_language(db)
    sentences = _sentences(archive, language, progress)
    actor = actor or system_actor()
    report = RefiImportReport(str(path), project.origin)
    dropped: defaultdict[str, int] = defaultdict(int)
    with db.transaction() as s:
        work = _Importer(s, archive, language, actor, report)
        result, code_ids = _merge_codes(s, archive.codebook, str(path), actor)
        report.codes_created, report.codes_updated, report.groups = result.created, result.updated, result.groups
        report.notes.extend(archive.codebook.warnings)
        report.notes.extend(result.warnings)
        coders = work.coders()
        work.exclusive_groups = dict(s.execute(select(CodeRow.id, CodeRow.exclusive_group_id)).all())
        work.fallback = next(iter(coders.values())) if len(coders) == 1 else None
        documents: dict[str, int] = {}
        progress.stage(Message("storing sources"), len(archive.sources))
        for read in archive.sources:
            if read.parsed is None:
                report.sources.append(SourceReport(read.source.name, status="dropped", reason=read.problem))
                dropped["codings on sources left out"] += sum(len(x.codings) for x in read.source.selections)
                progress.advance()
                continue
            entry = work.document(read, code_ids, coders, sentences[read.source.guid], dropped)
            report.sources.append(entry)
            report.codings += entry.codings
            if entry.status == "imported":
                documents[read.source.guid] = s.scalar(select(Document.id).where(Document.name == entry.document)) or 0
            progress.advance(1, words=len(read.parsed.text.split()))
        for code_guid, notes in _code_notes(project.codebook.codes):
            for note in notes:
                work.memo("code", code_ids[code_guid], note, coders)
        for note in project.project_notes:
            work.memo("project", None, note, coders)
        for guid in project.notes:
            if guid not in work.used_notes:
                work.memo("project", None, guid, coders)
        used_cases = work.speakers(documents)
        report.memos = work.memo_count
        progress.stage(Message("saving"))
    if len(project.cases) > used_cases:
        dropped["cases (mda-coder keeps speakers, and reads a case only as one speaker of one document)"] += (
            len(project.cases) - used_cases
        )
    for kind, n in sorted(project.not_read.items()):
        dropped[f"{kind} elements (mda-coder codes text only)"] += n
    report.dropped = [f"{n} {what}" for what, n in dropped.items() if n]
    return report


def _code_notes(codes: tuple[QdeCode, ...]) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Each code's GUID with the notes on it, the whole tree."""
    for code in codes:
        yield code.guid, code.notes
        yield from _code_notes(code.children)


def read_qdc_codebook(path: Path) -> ImportedCodebook:
    """A ``.qdc`` file as a codebook, named after the file."""
    path = Path(path)
    book = convert_codebook(read_codebook(read_xml_file(path), str(path)))
    if not book.codebook.codes:
        raise InputError(f"{path}: the codebook has no codes")
    return book


def import_qdc(db: Database, path: Path, actor: str | None = None) -> MergeResult:
    """Merge a ``.qdc`` codebook into the project, as ``codebook import`` does a YAML one; renames are warnings."""
    book = read_qdc_codebook(path)
    with db.transaction() as s:
        result, _ = _merge_codes(s, book, str(path), actor or system_actor())
    return MergeResult(result.created, result.updated, result.groups, (*book.warnings, *result.warnings))
