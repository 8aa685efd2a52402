"""REFI-QDA codebooks (``.qdc``): the code tree with colours and descriptions, and sets of codes.

Follows the REFI-QDA Codebook Exchange standard 1.0 (namespace ``urn:QDA-XML:codebook:1.0``);
the same code elements, in the project namespace, make the ``CodeBook`` of a ``.qdpx`` project.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import IO

CODEBOOK_NS = "urn:QDA-XML:codebook:1.0"
PROJECT_NS = "urn:QDA-XML:project:1.0"

_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (control characters from Word, say)."""
    return _NOT_XML.sub("\ufffd", text)


def xml_time(moment: datetime) -> str:
    """An ``xsd:dateTime`` in UTC; stored times without a zone are UTC already."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class RefiCode:
    """A code with its GUID, and its sub-codes."""

    guid: str
    name: str
    color: str | None
    description: str
    children: tuple[RefiCode, ...] = ()
    notes: tuple[str, ...] = ()
    """GUIDs of the notes (memos) on the code; only a project can carry them."""


@dataclass(frozen=True)
class RefiSet:
    """A named set of codes and (in a project) of sources: an exclusive group, a focus group."""

    guid: str
    name: str
    description: str = ""
    codes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()


def sub(
    parent: ET.Element, ns: str, tag: str, attrs: dict[str, str] | None = None, text: str | None = None
) -> ET.Element:
    """A child element in namespace ``ns``, with its attributes in the order given."""
    element = ET.SubElement(parent, f"{{{ns}}}{tag}", attrs or {})
    if text is not None:
        element.text = xml_text(text)
    return element


def code_element(parent: ET.Element, ns: str, code: RefiCode) -> None:
    attrs = {"guid": code.guid, "name": xml_text(code.name), "isCodable": "true"}
    if code.color:
        attrs["color"] = code.color
    element = sub(parent, ns, "Code", attrs)
    if code.description:
        sub(element, ns, "Description", text=code.description)
    if ns == PROJECT_NS:  # the codebook schema has no notes
        for note in code.notes:
            sub(element, ns, "NoteRef", {"targetGUID": note})
    for child in code.children:
        code_element(element, ns, child)


def serialise(root: ET.Element) -> bytes:
    """The document as indented UTF-8 XML with a declaration: the same tree gives the same bytes."""
    ET.register_namespace("", root.tag[1:].split("}")[0])
    ET.indent(root, space="  ")
    return b'<?xml version="1.0" encoding="utf-8"?>\n' + ET.tostring(root, encoding="unicode").encode("utf-8") + b"\n"


def codebook_xml(codes: tuple[RefiCode, ...], sets: tuple[RefiSet, ...], origin: str) -> bytes:
    """A ``.qdc`` document; it needs at least one code (the schema requires one)."""
    root = ET.Element(f"{{{CODEBOOK_NS}}}CodeBook", {"origin": origin})
    codes_element = sub(root, CODEBOOK_NS, "Codes")
    for code in codes:
        code_element(codes_element, CODEBOOK_NS, code)
    code_sets = [s for s in sets if s.codes]
    if code_sets:
        sets_element = sub(root, CODEBOOK_NS, "Sets")
        for s in code_sets:
            element = sub(sets_element, CODEBOOK_NS, "Set", {"guid": s.guid, "name": xml_text(s.name)})
            if s.description:
                sub(element, CODEBOOK_NS, "Description", text=s.description)
            for member in s.codes:
                sub(element, CODEBOOK_NS, "MemberCode", {"guid": member})
    return serialise(root)


def write_qdc(codes: tuple[RefiCode, ...], sets: tuple[RefiSet, ...], origin: str, stream: IO[bytes]) -> None:
    stream.write(codebook_xml(codes, sets, origin))
