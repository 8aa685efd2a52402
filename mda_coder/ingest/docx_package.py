"""The XML parts of a Word ``.docx`` package, each read through the zip guard and refused with a DTD."""

from __future__ import annotations

import io
import posixpath
import zipfile
from dataclasses import dataclass
from xml.etree import ElementTree as ET

from mda_coder.core.errors import InputError
from mda_coder.i18n import Message
from mda_coder.ingest import limits
from mda_coder.ingest.limits import MAX_DOCX_PART_BYTES
from mda_coder.ingest.zip_guard import DAMAGED, ZipRefused, check_entry_count, read_entry

MAX_DOCUMENT_BYTES = MAX_DOCX_PART_BYTES
"""Largest uncompressed XML part accepted (``word/document.xml``, footnotes, comments); read
when a part is, so that a test can lower it."""

NOTE_PARTS = ("footnotes", "endnotes", "comments")
"""The parts read besides the main document: text anchored in it that is not its own text."""

_DEFAULT_PART = "word/document.xml"
_MAX_RELS_BYTES = 1024 * 1024
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"

# Declarations are refused, not parsed: entity expansion in an untrusted file is an attack.
_DECLARATIONS = tuple(
    marker.encode(codec) for marker in ("<!DOCTYPE", "<!ENTITY") for codec in ("utf-8", "utf-16-le", "utf-16-be")
)


@dataclass(frozen=True, slots=True)
class DocxParts:
    """The bytes of the parts a reader needs, each already checked by :func:`_part_xml`."""

    name: str
    """The main document part's name, ``word/document.xml`` in files from Word."""
    document: bytes
    notes: dict[str, tuple[str, bytes]]
    """``footnotes``/``endnotes``/``comments`` → (part name, bytes), for the parts present."""


def docx_parts(data: bytes) -> DocxParts:
    """The main document part of ``data`` and its footnote, endnote and comment parts.

    A missing note part is normal (most files have none); a missing main part, a damaged
    archive, an oversized part or one with a DTD raise a one-line ``InputError``; a part past a
    limit of :mod:`~mda_coder.ingest.zip_guard` (a zip bomb), a :class:`ZipRefused`.
    """
    check_entry_count(data)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError):
        raise InputError(
            Message("not a Word .docx file (not a zip archive; old .doc and password-protected files cannot be read)")
        ) from None
    except (zipfile.LargeZipFile, RuntimeError, OSError, ValueError) as err:
        # A zip directory asking for ZIP64 or an unknown zip version: damaged, most likely.
        raise InputError(f"damaged Word .docx file ({err})") from None
    with archive:
        try:
            name = _main_part(archive)
            document = _part_xml(archive, name)
            if document is None:
                raise InputError(f"not a Word .docx file (no {name})")
            notes: dict[str, tuple[str, bytes]] = {}
            for kind, part in _note_parts(archive, name).items():
                xml = _part_xml(archive, part)
                if xml is not None:
                    notes[kind] = (part, xml)
        except DAMAGED as err:
            raise InputError(f"damaged Word .docx file ({err})") from None
    return DocxParts(name, document, notes)


def _part_xml(archive: zipfile.ZipFile, part: str) -> bytes | None:
    """The bytes of ``part``, size-checked and free of DTD declarations; ``None`` if absent.

    The size and ratio are checked by the zip guard twice: as the zip directory states them,
    before anything is decompressed, then as read, since the directory can lie.
    """
    try:
        info = archive.getinfo(part)
    except KeyError:
        return None
    try:
        xml = read_entry(archive, info, limit=MAX_DOCUMENT_BYTES, max_tags=limits.MAX_XML_TAGS)
    except ZipRefused:
        raise
    except InputError as err:  # damaged: a bad CRC, truncated or encrypted
        raise InputError(Message("damaged Word .docx file ({error})", error=str(err))) from None
    if any(marker in xml for marker in _DECLARATIONS):
        raise InputError(f"{part} contains a DOCTYPE or ENTITY declaration; refused for safety")
    return xml


def _main_part(archive: zipfile.ZipFile) -> str:
    """The main document part named by ``_rels/.rels``, or ``word/document.xml``.

    Word always uses ``word/document.xml``, but other writers may name it differently and
    point to it from the package relationships.
    """
    for kind, target in _relationships(archive, ""):
        if kind.endswith("/officeDocument"):
            return target
    return _DEFAULT_PART


def _note_parts(archive: zipfile.ZipFile, main: str) -> dict[str, str]:
    """Footnotes, endnotes and comments as the main part's relationships name them.

    A writer that leaves a part out of the relationships still gets it read under its usual
    name (``word/footnotes.xml``), so that its text is listed rather than lost.
    """
    folder = posixpath.dirname(main)
    found = {kind: posixpath.join(folder, f"{kind}.xml") for kind in NOTE_PARTS}
    for relation, target in _relationships(archive, main):
        kind = relation.rpartition("/")[2]
        if kind in found:
            found[kind] = target
    return found


def _relationships(archive: zipfile.ZipFile, source: str) -> list[tuple[str, str]]:
    """(type, part name) of the internal relationships of ``source`` (``""``: the package).

    Relationships only help find parts; a missing, oversized, DTD-carrying or broken
    relationships file counts as none, and the usual part names are used instead.
    """
    folder, base = posixpath.split(source)
    try:
        info = archive.getinfo(posixpath.join(folder, "_rels", f"{base}.rels"))
    except KeyError:
        return []
    try:
        rels = read_entry(archive, info, limit=_MAX_RELS_BYTES)
    except InputError:
        return []
    if any(marker in rels for marker in _DECLARATIONS):
        return []
    try:
        root = ET.fromstring(rels)
    except ET.ParseError:
        return []
    found: list[tuple[str, str]] = []
    for rel in root.iter(_REL):
        target = rel.get("Target", "")
        if rel.get("TargetMode") == "External" or not target:
            continue
        if target.startswith("/"):
            target = posixpath.normpath(target.lstrip("/"))
        else:
            target = posixpath.normpath(posixpath.join(folder, target))
        if not target.startswith(".."):
            found.append((rel.get("Type", ""), target))
    return found
