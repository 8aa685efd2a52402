"""REFI-QDA ``project.qde`` and ``.qdc`` XML, read into plain values (no database, no zip).

Elements are matched by their local names, whatever the namespace says: the standard's is
``urn:QDA-XML:project:1.0``, but files in the wild carry ``urn:QDA-XML:project:1:0`` (an early
draft's spelling) or the codebook namespace inside a project. Whatever is not read here (graphs,
links, pictures, audio and video selections) is counted, so the import can say what it left out.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime

from mda_coder.core.errors import InputError


@dataclass(frozen=True)
class QdeCode:
    guid: str
    name: str
    color: str | None
    description: str
    codable: bool
    children: tuple[QdeCode, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class QdeCoding:
    guid: str
    code: str
    """The code's GUID."""
    user: str | None
    created: datetime | None
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class QdeSelection:
    guid: str
    name: str
    start: int
    end: int
    user: str | None
    created: datetime | None
    description: str = ""
    codings: tuple[QdeCoding, ...] = ()
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class QdeSource:
    guid: str
    name: str
    plain_path: str | None
    rich_path: str | None
    description: str = ""
    created: datetime | None = None
    selections: tuple[QdeSelection, ...] = ()
    notes: tuple[str, ...] = ()
    values: tuple[tuple[str, str], ...] = ()
    """``(variable GUID, value)`` pairs."""


@dataclass(frozen=True)
class QdeNote:
    guid: str
    name: str
    text: str
    text_path: str | None
    user: str | None
    created: datetime | None


@dataclass(frozen=True)
class QdeCase:
    guid: str
    name: str
    values: tuple[tuple[str, str], ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class QdeSet:
    guid: str
    name: str
    description: str = ""
    codes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


@dataclass(frozen=True)
class QdeCodebook:
    """A ``.qdc`` codebook, or the ``CodeBook`` and code sets of a project."""

    origin: str
    namespace: str
    codes: tuple[QdeCode, ...]
    sets: tuple[QdeSet, ...] = ()


@dataclass(frozen=True)
class QdeProject:
    name: str
    origin: str
    namespace: str
    users: dict[str, str]
    """User names by GUID."""
    codebook: QdeCodebook
    variables: dict[str, str]
    """Variable names by GUID."""
    cases: tuple[QdeCase, ...]
    sources: tuple[QdeSource, ...]
    notes: dict[str, QdeNote]
    sets: tuple[QdeSet, ...]
    project_notes: tuple[str, ...] = ()
    description: str = ""
    not_read: Counter[str] = field(default_factory=Counter)
    """Elements left out, by kind: ``PDFSource``, ``Graph`` …"""


def local(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def namespace(element: ET.Element) -> str:
    return element.tag[1:].split("}", 1)[0] if element.tag.startswith("{") else ""


def _children(element: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in element if local(c) == name]


def _child(element: ET.Element, name: str) -> ET.Element | None:
    return next((c for c in element if local(c) == name), None)


def _grand(element: ET.Element, parent: str, name: str) -> list[ET.Element]:
    """The ``name`` children of ``element``'s ``parent`` child (``Users/User``), none when it is missing."""
    holder = _child(element, parent)
    return _children(holder, name) if holder is not None else []


def _text(element: ET.Element | None) -> str:
    return "".join(element.itertext()).strip() if element is not None else ""


def _refs(element: ET.Element, name: str, attribute: str = "targetGUID") -> tuple[str, ...]:
    return tuple(g for c in _children(element, name) if (g := c.get(attribute)))


def _time(value: str | None) -> datetime | None:
    """An ``xsd:dateTime``; without a zone it is taken as UTC. None when absent or unreadable."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _position(element: ET.Element, attribute: str, where: str) -> int:
    value = element.get(attribute)
    try:
        return int(value or "")
    except ValueError:
        raise InputError(
            f"{where}: selection '{element.get('guid', '?')}' has {attribute} '{value}', not a whole number"
        ) from None


def _guid(element: ET.Element, where: str) -> str:
    guid = element.get("guid")
    if not guid:
        raise InputError(f"{where}: a {local(element)} element has no guid")
    return guid.strip().lower()


def _lower(guids: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(g.strip().lower() for g in guids)


def _code(element: ET.Element, where: str) -> QdeCode:
    return QdeCode(
        guid=_guid(element, where),
        name=element.get("name") or "",
        color=element.get("color"),
        description=_text(_child(element, "Description")),
        codable=(element.get("isCodable") or "true").strip().lower() != "false",
        children=tuple(_code(c, where) for c in _children(element, "Code")),
        notes=_lower(_refs(element, "NoteRef")),
    )


def _sets(element: ET.Element | None, where: str) -> tuple[QdeSet, ...]:
    if element is None:
        return ()
    return tuple(
        QdeSet(
            guid=_guid(s, where),
            name=s.get("name") or "",
            description=_text(_child(s, "Description")),
            # the project schema names members by targetGUID, the codebook schema by guid
            codes=_lower(_refs(s, "MemberCode") or _refs(s, "MemberCode", "guid")),
            sources=_lower(_refs(s, "MemberSource") or _refs(s, "MemberSource", "guid")),
        )
        for s in _children(element, "Set")
    )


def read_codebook(root: ET.Element, where: str) -> QdeCodebook:
    """A ``.qdc`` document: its codes and sets of codes."""
    if local(root) != "CodeBook":
        raise InputError(f"{where}: not a REFI-QDA codebook (the document is <{local(root)}>, not <CodeBook>)")
    codes = _child(root, "Codes")
    return QdeCodebook(
        origin=root.get("origin") or "",
        namespace=namespace(root),
        codes=tuple(_code(c, where) for c in _children(codes, "Code")) if codes is not None else (),
        sets=_sets(_child(root, "Sets"), where),
    )


def _values(element: ET.Element) -> tuple[tuple[str, str], ...]:
    result = []
    for value in _children(element, "VariableValue"):
        ref = _child(value, "VariableRef")
        content = next((c for c in value if local(c).endswith("Value")), None)
        if ref is not None and ref.get("targetGUID") and content is not None:
            result.append((ref.get("targetGUID", "").strip().lower(), _text(content)))
    return tuple(result)


def _selection(element: ET.Element, where: str) -> QdeSelection:
    codings = tuple(
        QdeCoding(
            guid=_guid(c, where),
            code=(ref.get("targetGUID") or "").strip().lower() if (ref := _child(c, "CodeRef")) is not None else "",
            user=(c.get("creatingUser") or "").strip().lower() or None,
            created=_time(c.get("creationDateTime")),
            notes=_lower(_refs(c, "NoteRef")),
        )
        for c in _children(element, "Coding")
    )
    return QdeSelection(
        guid=_guid(element, where),
        name=element.get("name") or "",
        start=_position(element, "startPosition", where),
        end=_position(element, "endPosition", where),
        user=(element.get("creatingUser") or "").strip().lower() or None,
        created=_time(element.get("creationDateTime")),
        description=_text(_child(element, "Description")),
        codings=codings,
        notes=_lower(_refs(element, "NoteRef")),
    )


def _source(element: ET.Element, where: str, not_read: Counter[str]) -> QdeSource:
    selections = []
    for child in element:
        kind = local(child)
        if kind == "PlainTextSelection":
            selections.append(_selection(child, where))
        elif kind.endswith("Selection"):
            not_read[kind] += 1
    return QdeSource(
        guid=_guid(element, where),
        name=element.get("name") or "",
        plain_path=element.get("plainTextPath"),
        rich_path=element.get("richTextPath"),
        description=_text(_child(element, "Description")),
        created=_time(element.get("creationDateTime")),
        selections=tuple(selections),
        notes=_lower(_refs(element, "NoteRef")),
        values=_values(element),
    )


def read_project(root: ET.Element, where: str) -> QdeProject:
    """A ``project.qde`` document: users, codes, variables, cases, text sources, notes and sets."""
    if local(root) != "Project":
        raise InputError(f"{where}: not a REFI-QDA project (the document is <{local(root)}>, not <Project>)")
    not_read: Counter[str] = Counter()
    users = {_guid(u, where): (u.get("name") or "").strip() for u in _grand(root, "Users", "User")}
    book = _child(root, "CodeBook")
    codes = _child(book, "Codes") if book is not None else None
    sets = _sets(_child(root, "Sets"), where)
    codebook = QdeCodebook(
        origin=root.get("origin") or "",
        namespace=namespace(root),
        codes=tuple(_code(c, where) for c in _children(codes, "Code")) if codes is not None else (),
        sets=tuple(s for s in sets if s.codes),
    )
    variables = {_guid(v, where): v.get("name") or "" for v in _grand(root, "Variables", "Variable")}
    cases = tuple(
        QdeCase(_guid(c, where), c.get("name") or "", _values(c), _lower(_refs(c, "SourceRef")))
        for c in _grand(root, "Cases", "Case")
    )
    sources = []
    holder = _child(root, "Sources")
    for element in holder if holder is not None else ():
        if local(element) == "TextSource":
            sources.append(_source(element, where, not_read))
        else:
            not_read[local(element)] += 1
    notes = {}
    for n in _grand(root, "Notes", "Note"):
        guid = _guid(n, where)
        notes[guid] = QdeNote(
            guid,
            n.get("name") or "",
            _text(_child(n, "PlainTextContent")),
            n.get("plainTextPath"),
            (n.get("creatingUser") or "").strip().lower() or None,
            _time(n.get("creationDateTime")),
        )
    for kind in ("Graphs", "Links"):
        holder = _child(root, kind)
        if holder is not None and len(holder):
            not_read[kind.removesuffix("s")] += len(holder)
    return QdeProject(
        name=root.get("name") or "",
        origin=root.get("origin") or "",
        namespace=namespace(root),
        users=users,
        codebook=codebook,
        variables=variables,
        cases=cases,
        sources=tuple(sources),
        notes=notes,
        sets=sets,
        project_notes=_lower(_refs(root, "NoteRef")),
        description=_text(_child(root, "Description")),
        not_read=not_read,
    )
