"""Describe speakers and documents: display names, roles, free attributes, people across documents."""

from __future__ import annotations

from typing import Any, TypedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

from mda_coder.core.actor import system_actor
from mda_coder.core.coding import SpeakerRow
from mda_coder.core.errors import MdaError
from mda_coder.store import documents as doc_repo
from mda_coder.store import journal
from mda_coder.store.engine import Database
from mda_coder.store.models import Person, Speaker


class DocumentDescription(TypedDict):
    """A document's name, group and free attributes, as ``describe_document`` leaves them."""

    document: str
    group: str | None
    attributes: dict[str, Any]


def parse_attributes(pairs: tuple[str, ...] | list[str]) -> dict[str, str]:
    """``["kommun=Norrvik", "erfarenhet=6 år"]`` → a dict; an empty value removes the attribute."""
    result: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise MdaError(f"attribute '{pair}' is not KEY=VALUE (e.g. kommun=Norrvik)")
        result[key.strip()] = value.strip()
    return result


def _merged(current: dict[str, object], changes: dict[str, str]) -> dict[str, object]:
    merged = dict(current)
    for key, value in changes.items():
        if value:
            merged[key] = value
        else:
            merged.pop(key, None)
    return merged


def describe_speaker(
    db: Database,
    document: str,
    label: str,
    *,
    name: str | None = None,
    role: str | None = None,
    person: str | None = None,
    attributes: dict[str, str] | None = None,
    actor: str | None = None,
) -> SpeakerRow:
    """Set a speaker's display name, role, attributes, or the person it is across documents.

    Linking ``R2`` in FG1 and ``Lena Berglund`` in FG2 to one person lets reports
    count her once; an empty string clears a field.
    """
    with db.transaction() as s:
        speaker = doc_repo.speaker(s, document, label)
        change = apply_description(s, speaker, name=name, role=role, person=person, attributes=attributes)
        journal.record(s, actor or system_actor(), "speaker.describe", "speaker", speaker.id, change)
        [row_view] = [r for r in doc_repo.speakers(s, document) if r.id == speaker.id]
        return row_view


def apply_description(
    s: Session,
    speaker: Speaker,
    *,
    name: str | None = None,
    role: str | None = None,
    person: str | None = None,
    attributes: dict[str, str] | None = None,
) -> dict[str, dict[str, object]]:
    """Change one speaker in the caller's transaction; returns the journal data ``{"before", "after"}``.

    The one place the rules live (strip, '' clears, attributes merge, a person is found by name
    or created), so that describing one speaker and importing a table of them agree.
    """
    before = _description(speaker)
    if name is not None:
        speaker.display_name = name.strip() or None
    if role is not None:
        speaker.role = role.strip() or None
    if attributes:
        speaker.attributes = _merged(speaker.attributes, attributes)
    if person is not None:
        if person.strip():
            row = s.scalar(select(Person).where(Person.name == person.strip()))
            if row is None:
                row = Person(name=person.strip(), role=speaker.role, attributes={})
                s.add(row)
                s.flush()
            speaker.person_id = row.id
        else:
            speaker.person_id = None
    s.flush()
    return {"before": before, "after": _description(speaker)}


def _description(speaker: Speaker) -> dict[str, object]:
    return {
        "name": speaker.display_name,
        "role": speaker.role,
        "person_id": speaker.person_id,
        "attributes": dict(speaker.attributes),
    }


def describe_document(
    db: Database,
    document: str,
    *,
    group: str | None = None,
    attributes: dict[str, str] | None = None,
    actor: str | None = None,
) -> DocumentDescription:
    """Set a document's group and free attributes (e.g. kommun, datum); returns them."""
    with db.transaction() as s:
        doc = doc_repo.get(s, document)
        before = {"group": doc.group_name, "attributes": doc.attributes}
        if group is not None:
            doc.group_name = group.strip() or None
        if attributes:
            doc.attributes = _merged(doc.attributes, attributes)
        journal.record(
            s,
            actor or system_actor(),
            "document.describe",
            "document",
            doc.id,
            {"before": before, "after": {"group": doc.group_name, "attributes": doc.attributes}},
        )
        return {"document": doc.name, "group": doc.group_name, "attributes": dict(doc.attributes)}
