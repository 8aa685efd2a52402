"""Gather a project as REFI-QDA values, with GUIDs that stay the same from one export to the next.

Every GUID is a name-based UUID (version 5) of the project's own id, the kind of thing and its
id in the project file. Exporting an unchanged project twice gives the same GUIDs, so another
program that imported the first export can recognise the same codes, sources and codings.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import defaultdict
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mda_coder import __version__
from mda_coder.core.codebook import Texts
from mda_coder.core.display import one_line
from mda_coder.core.progress import SILENT, Progress
from mda_coder.export.refi_codebook import RefiCode, RefiSet, xml_time
from mda_coder.export.refi_project import (
    RefiCase,
    RefiCoding,
    RefiNote,
    RefiProject,
    RefiSelection,
    RefiSource,
    RefiUser,
    RefiValue,
    RefiVariable,
)
from mda_coder.i18n import Message
from mda_coder.store import settings
from mda_coder.store.engine import Database
from mda_coder.store.models import (
    Coder,
    CodeRow,
    CodingRow,
    Document,
    Event,
    ExclusiveGroupRow,
    MemoRow,
    Person,
    Speaker,
    TurnRow,
)

NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:mda-coder:refi-qda")
ORIGIN = f"mda-coder {__version__}"

RULES = {
    "sv": ("Använd när", "Använd inte när", "Exempel"),
    "en": ("Use when", "Do not use when", "Example"),
}


def project_id(db: Database) -> str:
    """The project's uuid: the seed of the GUIDs of what has no uuid of its own (selections, variables, sets)."""
    with db.transaction() as s:
        value = settings.get(s, settings.PROJECT_UUID)
        if value is None:  # schema 6 gives every project one; a project being made may not have it yet
            value = str(uuid.uuid4())
            settings.put(s, settings.PROJECT_UUID, value)
        return value


def uuids(s: Session, model: Any) -> dict[int, str]:
    """``{id: uuid}`` of every row of an identified table: the GUIDs that go out, and come back, unchanged."""
    return {row.id: row.uuid for row in s.execute(select(model.id, model.uuid))}


class Guids:
    """Stable GUIDs of one project's things: ``guids("code", 12)`` is ``uuid5(NAMESPACE, "{project}/code/12")``.

    Computed here rather than with ``uuid.uuid5``, whose ``UUID`` objects cost half of a large
    project's export; the test checks that the two agree.
    """

    def __init__(self, project: str) -> None:
        self.project = project
        self.prefix = NAMESPACE.bytes + f"{project}/".encode()

    def __call__(self, kind: str, key: object) -> str:
        digest = bytearray(hashlib.sha1(self.prefix + f"{kind}/{key}".encode()).digest()[:16])
        digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
        digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
        h = digest.hex()
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def _description(row: CodeRow, language: str) -> str:
    words = RULES.get(language, RULES["en"])
    parts = [Texts.of(row.definition).best(language)]
    for word, texts in zip(words, (row.use_when, row.dont_use_when, row.example), strict=True):
        text = Texts.of(texts).best(language)
        if text:
            parts.append(f"{word}: {text}")
    return "\n\n".join(p for p in parts if p)


def code_tree(s: Session, guid: Guids, notes: dict[int, list[str]] | None = None) -> tuple[RefiCode, ...]:
    """The project's code tree as REFI codes, children in their stored order."""
    language = settings.get(s, "language", "en") or "en"
    rows = s.scalars(select(CodeRow).order_by(CodeRow.position, CodeRow.id)).all()
    children: dict[int | None, list[CodeRow]] = defaultdict(list)
    for r in rows:
        children[r.parent_id].append(r)

    def build(row: CodeRow) -> RefiCode:
        return RefiCode(
            guid=row.uuid,
            name=row.name,
            color=row.color,
            description=_description(row, language),
            children=tuple(build(c) for c in children[row.id]),
            notes=tuple((notes or {}).get(row.id, ())),
        )

    return tuple(build(r) for r in children[None])


def code_sets(s: Session, guid: Guids) -> list[RefiSet]:
    """Mutually exclusive groups as sets of codes."""
    members: dict[int | None, list[str]] = defaultdict(list)
    for code_uuid, group_id in s.execute(
        select(CodeRow.uuid, CodeRow.exclusive_group_id)
        .where(CodeRow.exclusive_group_id.is_not(None))
        .order_by(CodeRow.position, CodeRow.id)
    ):
        members[group_id].append(code_uuid)
    return [
        RefiSet(
            guid("exclusive-group", g.id), g.name, g.description or "Mutually exclusive codes", tuple(members[g.id])
        )
        for g in s.scalars(select(ExclusiveGroupRow).order_by(ExclusiveGroupRow.id))
        if members[g.id]
    ]


def codebook_values(db: Database) -> tuple[tuple[RefiCode, ...], tuple[RefiSet, ...]]:
    guid = Guids(project_id(db))
    with db.transaction() as s:
        return code_tree(s, guid), tuple(code_sets(s, guid))


class _Variables:
    """Variables by name, made as values first use them (every value is text)."""

    def __init__(self, guid: Guids) -> None:
        self.guid = guid
        self.names: set[str] = set()

    def values(self, pairs: dict[str, Any]) -> tuple[RefiValue, ...]:
        result = []
        for name, value in pairs.items():
            if value is None or value == "":
                continue
            self.names.add(name)
            result.append(RefiValue(self.guid("variable", name), str(value)))
        return tuple(result)

    def all(self) -> tuple[RefiVariable, ...]:
        return tuple(RefiVariable(self.guid("variable", name), name) for name in sorted(self.names))


def _time(moment: Any) -> str | None:
    return xml_time(moment) if moment is not None else None


def project_values(db: Database, progress: Progress = SILENT) -> RefiProject:
    """The whole project: coders as users, codes, speakers as cases, documents with their codings, memos."""
    guid = Guids(project_id(db))
    with db.transaction() as s:
        name = settings.get(s, "name", "") or "mda-coder project"
        created = s.scalar(select(func.min(Event.at)).where(Event.action == "project.create"))
        users = uuids(s, Coder)
        user_list = tuple(RefiUser(users[c.id], c.name) for c in s.scalars(select(Coder).order_by(Coder.id)))
        notes: list[RefiNote] = []
        on: dict[tuple[str, int | None], list[str]] = defaultdict(list)
        for memo in s.scalars(select(MemoRow).order_by(MemoRow.id)):
            note = memo.uuid
            notes.append(
                RefiNote(
                    note,
                    memo.title or one_line(memo.text, 60),
                    memo.text,
                    users.get(memo.coder_id) if memo.coder_id else None,
                    _time(memo.created_at),
                )
            )
            on[(memo.target_kind, memo.target_id)].append(note)
        code_notes = {
            code_id: list(refs) for (kind, code_id), refs in on.items() if kind == "code" and code_id is not None
        }
        variables = _Variables(guid)
        sources, cases = _sources_and_cases(s, guid, users, on, notes, variables, progress)
        groups: dict[str, list[str]] = defaultdict(list)
        for doc_uuid, group in s.execute(select(Document.uuid, Document.group_name).order_by(Document.id)):
            if group:
                groups[group].append(doc_uuid)
        sets = code_sets(s, guid) + [
            RefiSet(guid("group", g), g, "Documents of one group", sources=tuple(members))
            for g, members in groups.items()
        ]
        return RefiProject(
            name=name,
            origin=ORIGIN,
            created=_time(created),
            users=user_list,
            codes=code_tree(s, guid, code_notes),
            variables=variables.all(),
            cases=cases,
            sources=sources,
            notes=tuple(notes),
            sets=tuple(sets),
            project_notes=tuple(on.get(("project", None), ())),
        )


def _sources_and_cases(
    s: Session,
    guid: Guids,
    users: dict[int, str],
    on: dict[tuple[str, int | None], list[str]],
    notes: list[RefiNote],
    variables: _Variables,
    progress: Progress,
) -> tuple[tuple[RefiSource, ...], tuple[RefiCase, ...]]:
    """Each document with a selection per turn and per coded span; each speaker or person as a case."""
    # Core rows, not ORM objects: a large project has tens of thousands of turns and codings.
    codings: dict[int, list[Any]] = defaultdict(list)
    for c in s.execute(
        select(
            CodingRow.id,
            CodingRow.uuid,
            CodingRow.coder_id,
            CodingRow.code_id,
            CodingRow.document_id,
            CodingRow.start_offset,
            CodingRow.end_offset,
            CodingRow.memo,
            CodingRow.created_at,
        ).order_by(CodingRow.document_id, CodingRow.start_offset, CodingRow.end_offset, CodingRow.id)
    ):
        codings[c.document_id].append(c)
    speaker_turns: dict[int, list[str]] = defaultdict(list)
    code_guids = uuids(s, CodeRow)
    source_guids = uuids(s, Document)
    sources = []
    progress.stage(Message("reading documents"), s.scalar(select(func.count()).select_from(Document)) or 0)
    for doc in s.scalars(select(Document).order_by(Document.id)):
        source_guid = doc.uuid
        spans: dict[tuple[int, int], dict[str, Any]] = {}
        for turn in s.execute(
            select(TurnRow.id, TurnRow.position, TurnRow.start_offset, TurnRow.end_offset, TurnRow.speaker_id)
            .where(TurnRow.document_id == doc.id)
            .order_by(TurnRow.position)
        ):
            key = (turn.start_offset, turn.end_offset)
            spans[key] = {
                "name": f"{doc.name} turn {turn.position}",
                "codings": [],
                "notes": list(on.get(("turn", turn.id), ())),
            }
            if turn.speaker_id is not None:
                speaker_turns[turn.speaker_id].append(guid("selection", f"{doc.id}:{key[0]}:{key[1]}"))
        for c in codings[doc.id]:
            entry = spans.setdefault((c.start_offset, c.end_offset), {"name": "", "codings": [], "notes": []})
            entry["name"] = entry["name"] or one_line(doc.text[c.start_offset : c.end_offset], 60)
            memo_refs: tuple[str, ...] = ()
            if c.memo:
                memo_guid = guid("coding-memo", c.id)
                notes.append(RefiNote(memo_guid, one_line(c.memo, 60), c.memo, users[c.coder_id], _time(c.created_at)))
                memo_refs = (memo_guid,)
            entry["codings"].append(
                RefiCoding(c.uuid, code_guids[c.code_id], users[c.coder_id], xml_time(c.created_at), memo_refs)
            )
        selections = []
        for (start, end), entry in sorted(spans.items()):
            first = entry["codings"][0] if entry["codings"] else None
            selections.append(
                RefiSelection(
                    guid("selection", f"{doc.id}:{start}:{end}"),
                    entry["name"],
                    start,
                    end,
                    first.user if first else None,
                    first.created if first else None,
                    tuple(entry["codings"]),
                    tuple(entry["notes"]),
                )
            )
        attributes = {"group": doc.group_name, **{str(k): v for k, v in doc.attributes.items()}}
        sources.append(
            RefiSource(
                guid=source_guid,
                name=doc.name,
                text=doc.text,
                created=_time(doc.imported_at),
                description=f"Imported from {Path(doc.source_file).name} ({doc.format}, layout {doc.layout})",
                selections=tuple(selections),
                notes=tuple(on.get(("document", doc.id), ())),
                values=variables.values(attributes),
            )
        )
        progress.advance(1, words=len(doc.text.split()))
    cases = []
    persons = {p.id: p for p in s.scalars(select(Person).order_by(Person.id))}
    linked: dict[int, list[Speaker]] = defaultdict(list)
    for sp, doc_name in s.execute(
        select(Speaker, Document.name).join(Document).order_by(Speaker.document_id, Speaker.id)
    ):
        if sp.person_id is not None and sp.person_id in persons:
            linked[sp.person_id].append(sp)
            continue
        values = {
            "speaker": sp.label,
            "name": sp.display_name,
            "role": sp.role,
            **{str(k): v for k, v in sp.attributes.items()},
        }
        cases.append(
            RefiCase(
                sp.uuid,
                f"{sp.label} ({doc_name})",
                values=variables.values(values),
                sources=(source_guids[sp.document_id],),
                selections=tuple(speaker_turns[sp.id]),
            )
        )
    for person_id, speakers in linked.items():
        person = persons[person_id]
        values = {"name": person.name, "role": person.role, **{str(k): v for k, v in person.attributes.items()}}
        cases.append(
            RefiCase(
                person.uuid,
                person.name,
                values=variables.values(values),
                sources=tuple(dict.fromkeys(source_guids[sp.document_id] for sp in speakers)),
                selections=tuple(sel for sp in speakers for sel in speaker_turns[sp.id]),
            )
        )
    return tuple(sources), tuple(cases)
