"""REFI-QDA projects (``.qdpx``): a zip of ``project.qde`` and the sources as UTF-8 text files.

Follows the REFI-QDA Project Exchange standard 1.0 (``Project.xsd``, namespace
``urn:QDA-XML:project:1.0``): users, the code tree, variables, cases, text sources with
selections and codings per user, notes, and sets. Selection positions count characters
(Unicode code points) into the source's text, as mda-coder's offsets do. The zip entries carry a
fixed time stamp, so an unchanged project exports to the same bytes.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
import zipfile
from dataclasses import dataclass
from typing import IO

from mda_coder.export.refi_codebook import (
    PROJECT_NS,
    RefiCode,
    RefiSet,
    code_element,
    serialise,
    sub,
    xml_text,
)

NS = PROJECT_NS
ZIP_TIME = (1980, 1, 1, 0, 0, 0)
"""The earliest time a zip entry can hold: entries carry no export time, so bytes repeat."""


@dataclass(frozen=True)
class RefiUser:
    guid: str
    name: str


@dataclass(frozen=True)
class RefiVariable:
    guid: str
    name: str
    description: str = ""


@dataclass(frozen=True)
class RefiValue:
    """A text value of a variable, on a case or a source."""

    variable: str
    """The variable's GUID."""
    value: str


@dataclass(frozen=True)
class RefiCoding:
    guid: str
    code: str
    """The code's GUID."""
    user: str
    created: str
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RefiSelection:
    """A span of a source, ``[start, end)`` in characters, with each user's codings of it."""

    guid: str
    name: str
    start: int
    end: int
    user: str | None
    created: str | None
    codings: tuple[RefiCoding, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class RefiSource:
    guid: str
    name: str
    text: str
    created: str | None
    description: str = ""
    selections: tuple[RefiSelection, ...] = ()
    notes: tuple[str, ...] = ()
    values: tuple[RefiValue, ...] = ()

    @property
    def internal_name(self) -> str:
        return f"{self.guid}.txt"


@dataclass(frozen=True)
class RefiCase:
    """A unit of analysis: here a speaker (or a person who speaks in several documents)."""

    guid: str
    name: str
    description: str = ""
    values: tuple[RefiValue, ...] = ()
    sources: tuple[str, ...] = ()
    selections: tuple[str, ...] = ()


@dataclass(frozen=True)
class RefiNote:
    guid: str
    name: str
    text: str
    user: str | None
    created: str | None


@dataclass(frozen=True)
class RefiProject:
    name: str
    origin: str
    created: str | None
    users: tuple[RefiUser, ...]
    codes: tuple[RefiCode, ...]
    variables: tuple[RefiVariable, ...]
    cases: tuple[RefiCase, ...]
    sources: tuple[RefiSource, ...]
    notes: tuple[RefiNote, ...]
    sets: tuple[RefiSet, ...]
    project_notes: tuple[str, ...] = ()


def _stamp(attrs: dict[str, str], user: str | None, created: str | None) -> dict[str, str]:
    if user:
        attrs["creatingUser"] = user
    if created:
        attrs["creationDateTime"] = created
    return attrs


def _values(parent: ET.Element, values: tuple[RefiValue, ...]) -> None:
    for v in values:
        element = sub(parent, NS, "VariableValue")
        sub(element, NS, "VariableRef", {"targetGUID": v.variable})
        sub(element, NS, "TextValue", text=v.value)


def _refs(parent: ET.Element, tag: str, guids: tuple[str, ...]) -> None:
    for guid in guids:
        sub(parent, NS, tag, {"targetGUID": guid})


def _selection(parent: ET.Element, s: RefiSelection) -> None:
    attrs = {"guid": s.guid, "name": xml_text(s.name), "startPosition": str(s.start), "endPosition": str(s.end)}
    element = sub(parent, NS, "PlainTextSelection", _stamp(attrs, s.user, s.created))
    for coding in s.codings:
        c = sub(element, NS, "Coding", _stamp({"guid": coding.guid}, coding.user, coding.created))
        sub(c, NS, "CodeRef", {"targetGUID": coding.code})
        _refs(c, "NoteRef", coding.notes)
    _refs(element, "NoteRef", s.notes)


def project_xml(project: RefiProject) -> bytes:
    """The ``project.qde`` document; elements in the order the schema's sequences require."""
    attrs = {"name": xml_text(project.name), "origin": project.origin}
    if project.created:
        attrs["creationDateTime"] = project.created
    root = ET.Element(f"{{{NS}}}Project", attrs)
    if project.users:
        users = sub(root, NS, "Users")
        for u in project.users:
            sub(users, NS, "User", {"guid": u.guid, "name": xml_text(u.name)})
    if project.codes:
        codes = sub(sub(root, NS, "CodeBook"), NS, "Codes")
        for code in project.codes:
            code_element(codes, NS, code)
    if project.variables:
        variables = sub(root, NS, "Variables")
        for v in project.variables:
            element = sub(
                variables, NS, "Variable", {"guid": v.guid, "name": xml_text(v.name), "typeOfVariable": "Text"}
            )
            if v.description:
                sub(element, NS, "Description", text=v.description)
    if project.cases:
        cases = sub(root, NS, "Cases")
        for case in project.cases:
            element = sub(cases, NS, "Case", {"guid": case.guid, "name": xml_text(case.name)})
            if case.description:
                sub(element, NS, "Description", text=case.description)
            _values(element, case.values)
            _refs(element, "SourceRef", case.sources)
            _refs(element, "SelectionRef", case.selections)
    if project.sources:
        sources = sub(root, NS, "Sources")
        for source in project.sources:
            attrs = {
                "guid": source.guid,
                "name": xml_text(source.name),
                "plainTextPath": f"internal://{source.internal_name}",
            }
            element = sub(sources, NS, "TextSource", _stamp(attrs, None, source.created))
            if source.description:
                sub(element, NS, "Description", text=source.description)
            for selection in source.selections:
                _selection(element, selection)
            _refs(element, "NoteRef", source.notes)
            _values(element, source.values)
    if project.notes:
        notes = sub(root, NS, "Notes")
        for note in project.notes:
            element = sub(
                notes, NS, "Note", _stamp({"guid": note.guid, "name": xml_text(note.name)}, note.user, note.created)
            )
            sub(element, NS, "PlainTextContent", text=note.text)
    if project.sets:
        sets = sub(root, NS, "Sets")
        for s in project.sets:
            element = sub(sets, NS, "Set", {"guid": s.guid, "name": xml_text(s.name)})
            if s.description:
                sub(element, NS, "Description", text=s.description)
            _refs(element, "MemberCode", s.codes)
            _refs(element, "MemberSource", s.sources)
    _refs(root, "NoteRef", project.project_notes)
    return serialise(root)


def _entry(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
    info.compress_type = zipfile.ZIP_DEFLATED
    info.create_system = 3  # Unix, whatever system exports: the same bytes everywhere
    info.external_attr = 0o644 << 16
    return info


def write_qdpx(project: RefiProject, stream: IO[bytes]) -> None:
    """The ``.qdpx`` archive: ``project.qde`` at the root, each source as ``sources/{GUID}.txt``."""
    with zipfile.ZipFile(stream, "w") as archive:
        archive.writestr(_entry("project.qde"), project_xml(project))
        for source in project.sources:
            archive.writestr(_entry(f"sources/{source.internal_name}"), source.text.encode("utf-8"))
