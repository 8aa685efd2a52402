"""Describe many speakers at once from a table: names, roles, persons and attributes, all or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from mda_coder.core.actor import system_actor
from mda_coder.core.errors import InputError
from mda_coder.ingest.speaker_table import Columns, SpeakerEntry, SpeakerTable, read_speaker_table
from mda_coder.services.metadata._describe import apply_description
from mda_coder.services.metadata._speaker_match import EXACT, Found, UnmatchedRow, match_rows
from mda_coder.store import documents as doc_repo
from mda_coder.store import journal
from mda_coder.store.engine import Database
from mda_coder.store.models import Speaker


@dataclass(frozen=True, slots=True)
class NamedSpeaker:
    document: str
    label: str


@dataclass(frozen=True, slots=True)
class SpeakerMatch:
    document: str
    label: str
    how: str
    """``exact``, ``ignoring case`` or ``by id ending``."""


@dataclass(frozen=True, slots=True)
class MatchedRow:
    line: int
    key: str
    speakers: tuple[SpeakerMatch, ...]
    """More than one when a row without a document finds its label in several documents."""


@dataclass(frozen=True, slots=True)
class SpeakerImport:
    """What an import did (or, with ``dry_run``, would do)."""

    file: str
    columns: Columns
    """Which column was taken for the label, name, role, person, document, and the attributes."""
    documents: tuple[str, ...]
    """The documents whose speakers were matched."""
    matched: tuple[MatchedRow, ...]
    updated: tuple[NamedSpeaker, ...]
    """Speakers whose name, role, person or attributes changed (a row may repeat what is stored)."""
    unmatched: tuple[UnmatchedRow, ...]
    unmentioned: tuple[NamedSpeaker, ...]
    """Speakers of those documents that no row describes."""
    dry_run: bool


class _DryRun(Exception):
    """Carries the result out of the transaction, which then rolls back."""

    def __init__(self, result: SpeakerImport) -> None:
        super().__init__("dry run")
        self.result = result


def import_speakers(
    db: Database,
    path: Path,
    *,
    documents: Sequence[str] | None = None,
    key: str | None = None,
    name: str | None = None,
    role: str | None = None,
    person: str | None = None,
    dry_run: bool = False,
    actor: str | None = None,
) -> SpeakerImport:
    """Give the speakers of ``documents`` (all when None) the names, roles, persons and attributes in ``path``.

    One transaction: a bad row, two rows describing one speaker, or a table matching no speaker
    at all changes nothing. Empty and ``-`` cells leave what is stored; the same person name in
    several rows links those speakers to one person (created when new). ``dry_run`` reports what
    would change and changes nothing.
    """
    table = read_speaker_table(Path(path), key=key, name=name, role=role, person=person)
    try:
        with db.transaction() as s:
            result = _apply(s, table, documents, dry_run, actor or system_actor())
            if dry_run:
                raise _DryRun(result)
            return result
    except _DryRun as done:
        return done.result


def _apply(
    s: Session, table: SpeakerTable, documents: Sequence[str] | None, dry_run: bool, actor: str
) -> SpeakerImport:
    every = doc_repo.names(s)
    for document in documents or ():
        doc_repo.get(s, document)  # a clear error for an unknown name
    chosen = list(dict.fromkeys(documents)) if documents else every
    speakers = [sp for sp in doc_repo.speakers(s) if sp.document in set(chosen)]
    pairs, unmatched = match_rows(table, speakers, chosen, every)
    if not pairs:
        raise InputError(_nothing_matched(table, [sp.label for sp in speakers]))
    _refuse_twice_described(table, pairs)

    updated: list[NamedSpeaker] = []
    for entry, found in pairs:
        for speaker, _ in found:
            row = s.get(Speaker, speaker.id)
            assert row is not None  # listed in this transaction
            change = apply_description(
                s,
                row,
                name=entry.name,
                role=entry.role,
                person=entry.person,
                attributes=entry.attributes,
            )
            if change["before"] != change["after"]:
                updated.append(NamedSpeaker(speaker.document, speaker.label))
                journal.record(
                    s,
                    actor,
                    "speaker.describe",
                    "speaker",
                    speaker.id,
                    {**change, "file": table.path, "line": entry.line},
                )
    described = {speaker.id for _, found in pairs for speaker, _ in found}
    result = SpeakerImport(
        file=table.path,
        columns=table.columns,
        documents=tuple(chosen),
        matched=tuple(
            MatchedRow(entry.line, entry.key, tuple(SpeakerMatch(sp.document, sp.label, how) for sp, how in found))
            for entry, found in pairs
        ),
        updated=tuple(updated),
        unmatched=tuple(unmatched),
        unmentioned=tuple(NamedSpeaker(sp.document, sp.label) for sp in speakers if sp.id not in described),
        dry_run=dry_run,
    )
    journal.record(
        s,
        actor,
        "speaker.import",
        "speaker",
        None,
        {
            "file": table.path,
            "key": table.columns.key,
            "rows": len(table.rows),
            "matched": len(pairs),
            "not_exact": [m.line for m in result.matched if any(sp.how != EXACT for sp in m.speakers)],
            "unmatched": [u.line for u in unmatched],
            "updated": len(updated),
        },
    )
    return result


def _refuse_twice_described(table: SpeakerTable, pairs: list[tuple[SpeakerEntry, Found]]) -> None:
    """Two rows for one speaker (``R1`` and ``r1``, or a row with and one without its document) would race: refuse."""
    first: dict[int, SpeakerEntry] = {}
    for entry, found in pairs:
        for speaker, _ in found:
            earlier = first.setdefault(speaker.id, entry)
            if earlier is not entry:
                raise InputError(
                    f"{table.path}:{entry.line}: '{entry.key}' describes {speaker.document} {speaker.label}, "
                    f"which line {earlier.line} ('{earlier.key}') already describes"
                )


def _nothing_matched(table: SpeakerTable, labels: Sequence[str]) -> str:
    if not labels:
        return f"{table.path}: the documents chosen have no speaker labels to match"
    shown = list(dict.fromkeys(labels))
    sample = ", ".join(shown[:5]) + (", …" if len(shown) > 5 else "")
    return (
        f"{table.path}: no row matches a speaker by its '{table.columns.key}' column "
        f"(the project has labels such as {sample}); nothing changed"
    )
