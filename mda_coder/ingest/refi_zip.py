"""Safe reading of untrusted REFI-QDA files: zip entries that stay inside the archive, XML without DTDs.

A ``.qdpx`` or ``.qdc`` comes from someone else's computer, so it is read as hostile: an entry
named ``../../.bashrc`` or ``/etc/passwd`` refuses the whole archive (nothing is ever extracted
to disk, but such a name means the file was made to attack), a zip bomb is stopped by the caps
on sizes and compression ratio of :mod:`~mda_coder.ingest.zip_guard`, and XML with a document
type declaration is refused outright: entities (``billion laughs``, ``SYSTEM "file:///…"``) only
arrive through one, and no REFI-QDA program writes one. Every refusal is an ``InputError`` naming the file.
"""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn
from xml.parsers import expat

from mda_coder.core.errors import InputError
from mda_coder.i18n import Message, message_of
from mda_coder.ingest import limits
from mda_coder.ingest.zip_guard import ZipRefused, check_entry_count, read_entry

MAX_XML_FILE_BYTES = 256 * 1024 * 1024
"""Largest ``.qdc`` read from disk."""

_DRIVE = re.compile(r"^[A-Za-z]:")


def _unsafe_name(name: str) -> bool:
    """An entry name that is absolute, has a drive letter or climbs out with ``..``."""
    normal = name.replace("\\", "/")
    if normal.startswith("/") or _DRIVE.match(normal):
        return True
    return ".." in normal.split("/")


@dataclass
class SafeArchive:
    """A zip archive whose entry names were checked; entries are read with size caps."""

    path: Path
    archive: zipfile.ZipFile
    by_lower: dict[str, str]
    """Entry names by their lower-case form, for ``Sources/`` written in any case."""
    read_total: int = 0

    def find(self, name: str) -> str | None:
        """The entry called ``name``, compared without regard to case; None when there is none."""
        return self.by_lower.get(name.replace("\\", "/").lower())

    def names(self) -> list[str]:
        return list(self.by_lower.values())

    def read(self, name: str) -> bytes:
        """The entry's bytes, refused when it would inflate past the caps (whatever its header claims)."""
        info = self.archive.getinfo(name)
        left = limits.MAX_ZIP_TOTAL_BYTES - self.read_total
        if info.file_size > left:
            raise ZipRefused(
                Message(
                    "{path}: the archive unpacks to more than {limit} bytes: refused",
                    path=str(self.path),
                    limit=format(limits.MAX_ZIP_TOTAL_BYTES, ","),
                )
            )
        try:
            data = read_entry(self.archive, info, limit=min(limits.MAX_ZIP_ENTRY_BYTES, left))
        except InputError as err:
            raise type(err)(Message("{path}: {error}", path=str(self.path), error=message_of(err))) from None
        self.read_total += len(data)
        return data

    def close(self) -> None:
        self.archive.close()


def open_archive(path: Path) -> SafeArchive:
    """Open ``path`` as a zip and check every entry name before anything is read."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory")
    try:
        check_entry_count(path)
    except ZipRefused as err:
        raise ZipRefused(Message("{path}: {error}", path=str(path), error=message_of(err))) from None
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, EOFError):
        raise InputError(f"{path}: not a REFI-QDA project (a .qdpx is a zip archive, and this is not one)") from None
    except (zipfile.LargeZipFile, OSError, ValueError, RuntimeError) as err:
        raise InputError(f"{path}: damaged zip archive ({err})") from None
    infos = archive.infolist()
    if len(infos) > limits.MAX_ZIP_ENTRIES:
        archive.close()
        raise ZipRefused(
            Message(
                "{path}: {n} entries in the archive: refused (the limit is {limit})",
                path=str(path),
                n=format(len(infos), ","),
                limit=format(limits.MAX_ZIP_ENTRIES, ","),
            )
        )
    by_lower: dict[str, str] = {}
    for info in infos:
        if _unsafe_name(info.filename):
            archive.close()
            raise InputError(f"{path}: entry '{info.filename}' points outside the archive: refused")
        if not info.is_dir():
            by_lower.setdefault(info.filename.replace("\\", "/").lower(), info.filename)
    return SafeArchive(path, archive, by_lower)


def join(folder: str, name: str) -> str:
    """An entry path inside ``folder`` (the folder of the project file)."""
    return posixpath.join(folder, name) if folder else name


def _refuse(what: str) -> Callable[..., NoReturn]:
    def handler(*_args: object) -> NoReturn:
        raise InputError(f"has {what}: refused (REFI-QDA files have none, and they can read files or exhaust memory)")

    return handler


def parse_xml(data: bytes, where: str) -> ET.Element:
    """The document element of ``data``, built by expat with DTDs and entities refused.

    Namespaced tags come out as ``{uri}local``, as ElementTree writes them. ``where`` names
    the file (and entry) in error messages.
    """
    builder = ET.TreeBuilder()
    parser = expat.ParserCreate(namespace_separator="}")
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parser.StartDoctypeDeclHandler = _refuse("a document type declaration (<!DOCTYPE …>)")
    parser.EntityDeclHandler = _refuse("an entity declaration (<!ENTITY …>)")
    parser.ExternalEntityRefHandler = _refuse("a reference to an external entity")
    parser.buffer_text = True
    parser.ordered_attributes = False

    def tag(name: str) -> str:
        return "{" + name if "}" in name else name

    parser.StartElementHandler = lambda name, attrs: builder.start(tag(name), {tag(k): v for k, v in attrs.items()})
    parser.EndElementHandler = lambda name: builder.end(tag(name))
    parser.CharacterDataHandler = builder.data
    try:
        parser.Parse(data, True)
    except InputError as err:
        raise InputError(f"{where}: {err}") from None
    except expat.ExpatError as err:
        raise InputError(f"{where}: broken XML ({expat.errors.messages[err.code]}, line {err.lineno})") from None
    except (LookupError, ValueError) as err:  # encoding="TF-8": a character encoding Python does not know
        raise InputError(
            Message(
                "{where}: the XML declares a character encoding that cannot be read ({error})",
                where=where,
                error=str(err),
            )
        ) from None
    return builder.close()


def read_xml_file(path: Path) -> ET.Element:
    """A ``.qdc`` (or other REFI-QDA XML file) on disk, size-checked and parsed safely."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory")
    if path.stat().st_size > MAX_XML_FILE_BYTES:
        raise InputError(f"{path}: larger than {MAX_XML_FILE_BYTES:,} bytes: refused")
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err})") from None
    return parse_xml(data, str(path))
