"""Plain text of a Word ``.docx`` file: its paragraphs in body order, stdlib only."""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib
from collections.abc import Iterator
from xml.etree import ElementTree as ET

from mda_coder.core.errors import InputError

MAX_DOCUMENT_BYTES = 200 * 1024 * 1024
"""Largest uncompressed ``word/document.xml`` accepted: a guard against zip bombs."""

_DEFAULT_PART = "word/document.xml"
_W_NAMESPACES = frozenset(
    {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main",  # ISO "strict" OOXML
    }
)
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"

# Declarations are refused, not parsed: entity expansion in an untrusted file is an attack.
_DECLARATIONS = tuple(
    marker.encode(codec)
    for marker in ("<!DOCTYPE", "<!ENTITY")
    for codec in ("utf-8", "utf-16-le", "utf-16-be")
)

# Inside a paragraph: what is not document text. Deleted and moved-away revisions are not in
# the accepted text; field instructions ("PAGE", "HYPERLINK ...") are code, not words; text
# boxes and foot-notes are anchored here but are not part of this paragraph's sentence.
_SKIPPED = frozenset(
    {"del", "delText", "moveFrom", "instrText", "delInstrText", "txbxContent", "pPr", "rPr"}
)
_CHARACTERS = {"tab": "\t", "ptab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-"}


def docx_text(data: bytes) -> str:
    """The text of the document in ``data``: one line per paragraph, joined with ``\\n``.

    Runs are joined (Word splits a word across runs at every formatting change), tabs and
    line breaks become ``\\t`` and ``\\n``, tracked deletions are dropped and insertions
    kept, i.e. the text as it reads with all changes accepted. A table row becomes one
    line with its cells joined by ``\\t``, since transcribers often lay out
    time | speaker | utterance as a table. Raises ``InputError`` for anything that is not
    a readable ``.docx``.
    """
    try:
        root = ET.fromstring(_document_xml(data))
    except ET.ParseError as err:
        raise InputError(f"not a Word .docx file (its XML is broken: {err})") from None
    body = next((child for child in root if _local(child) == "body"), None)
    if body is None:
        raise InputError("not a Word .docx file (word/document.xml has no document body)")
    return "\n".join(_blocks(body))


def _document_xml(data: bytes) -> bytes:
    """The main document part's bytes, size-checked and free of DTD declarations."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, EOFError):
        raise InputError(
            "not a Word .docx file (not a zip archive; old .doc and password-protected "
            "files cannot be read)"
        ) from None
    except (zipfile.LargeZipFile, RuntimeError, OSError, ValueError) as err:
        # A zip directory asking for ZIP64 or an unknown zip version: damaged, most likely.
        raise InputError(f"damaged Word .docx file ({err})") from None
    with archive:
        try:
            part = _main_part(archive)
            try:
                info = archive.getinfo(part)
            except KeyError:
                raise InputError(f"not a Word .docx file (no {part})") from None
            if info.file_size > MAX_DOCUMENT_BYTES:
                raise InputError(
                    f"{part} is too large ({info.file_size // (1024 * 1024)} MB uncompressed, "
                    f"limit {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB)"
                )
            with archive.open(info) as stream:
                xml = stream.read(MAX_DOCUMENT_BYTES + 1)
        except (zipfile.BadZipFile, zlib.error, EOFError, RuntimeError, OSError, ValueError) as err:
            # A damaged member (bad CRC, truncated data), an encrypted one, odd compression.
            raise InputError(f"damaged Word .docx file ({err})") from None
    if len(xml) > MAX_DOCUMENT_BYTES:
        raise InputError(f"{part} is too large (over {MAX_DOCUMENT_BYTES // (1024 * 1024)} MB)")
    if any(marker in xml for marker in _DECLARATIONS):
        raise InputError(f"{part} contains a DOCTYPE or ENTITY declaration; refused for safety")
    return xml


def _main_part(archive: zipfile.ZipFile) -> str:
    """The main document part named by ``_rels/.rels``, or ``word/document.xml``.

    Word always uses ``word/document.xml``, but other writers may name it differently and
    point to it from the package relationships.
    """
    try:
        info = archive.getinfo("_rels/.rels")
    except KeyError:
        return _DEFAULT_PART
    if info.file_size > 1024 * 1024:
        return _DEFAULT_PART
    rels = archive.read(info)
    if any(marker in rels for marker in _DECLARATIONS):
        return _DEFAULT_PART
    try:
        root = ET.fromstring(rels)
    except ET.ParseError:
        return _DEFAULT_PART
    for rel in root.iter(_REL):
        if rel.get("Type", "").endswith("/officeDocument") and rel.get("TargetMode") != "External":
            target = posixpath.normpath(rel.get("Target", "").lstrip("/"))
            if target and not target.startswith(".."):
                return target
    return _DEFAULT_PART


def _local(element: ET.Element) -> str | None:
    """The local name of a WordprocessingML element, ``None`` for other namespaces."""
    namespace, _, name = element.tag[1:].partition("}")
    return name if namespace in _W_NAMESPACES else None


def _blocks(container: ET.Element) -> Iterator[str]:
    """One string per paragraph or table row among ``container``'s block-level children."""
    for child in container:
        name = _local(child)
        if name == "p":
            yield _paragraph(child)
        elif name == "tbl":
            for row in child:
                if _local(row) == "tr":
                    yield _row(row)
        elif name in {"sdt", "sdtContent", "customXml", "ins", "moveTo"}:
            yield from _blocks(child)
        elif child.tag == f"{_MC}AlternateContent":
            choice = next(iter(child), None)
            if choice is not None:
                yield from _blocks(choice)


def _row(row: ET.Element) -> str:
    """A table row on one line: cells joined by a tab, each cell's own lines by a space."""
    cells: list[str] = []
    for cell in _cells(row):
        lines = " ".join(line.strip() for line in _blocks(cell) if line.strip())
        cells.append(" ".join(lines.replace("\t", " ").split("\n")))
    return "\t".join(cells)


def _cells(row: ET.Element) -> Iterator[ET.Element]:
    """The ``w:tc`` cells of a row, also those wrapped in content controls."""
    for child in row:
        name = _local(child)
        if name == "tc":
            yield child
        elif name in {"sdt", "sdtContent", "customXml"}:
            yield from _cells(child)


def _paragraph(paragraph: ET.Element) -> str:
    parts: list[str] = []
    _collect(paragraph, parts)
    return "".join(parts)


def _collect(element: ET.Element, parts: list[str]) -> None:
    """Append the accepted text under ``element`` to ``parts``, in document order."""
    for child in element:
        name = _local(child)
        if name is None:
            if child.tag == f"{_MC}AlternateContent":
                # Choice and Fallback carry the same content; read it once.
                choice = next(iter(child), None)
                if choice is not None:
                    _collect(choice, parts)
            continue
        if name in _SKIPPED:
            continue
        if name == "t":
            parts.append(child.text or "")
        elif name in _CHARACTERS:
            parts.append(_CHARACTERS[name])
        else:
            _collect(child, parts)
