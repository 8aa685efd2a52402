"""A ``.qdpx`` archive read whole before anything is stored: the project, each source's text, and what is missing.

Real archives differ from the standard's example: the project file is not always called
``project.qde`` (or sits in a folder), the sources folder is ``Sources/`` as often as
``sources/``, a source may be there only as the ``.docx`` it came from, or not at all. A source
that cannot be had is left out and said, with its codings, and the rest is imported.
"""

from __future__ import annotations

import hashlib
import posixpath
from dataclasses import dataclass
from pathlib import Path

from mda_coder.core.errors import InputError
from mda_coder.core.transcript import ParsedTranscript
from mda_coder.i18n import Message, message_of
from mda_coder.ingest.docx import docx_text
from mda_coder.ingest.refi_codes import ImportedCodebook, convert_codebook
from mda_coder.ingest.refi_qde import QdeProject, QdeSource, read_project
from mda_coder.ingest.refi_text import (
    Placement,
    SourceText,
    decode_source,
    place_selections,
)
from mda_coder.ingest.refi_zip import SafeArchive, join, open_archive, parse_xml
from mda_coder.ingest.text import parse_text
from mda_coder.ingest.text_size import sized
from mda_coder.ingest.zip_guard import ZipRefused

_INTERNAL = "internal://"
_NAME_SUFFIXES = (".txt", ".docx", ".doc", ".rtf", ".pdf", ".md", ".odt")


@dataclass(frozen=True)
class ReadSource:
    """A text source with its text read and its selections placed, or the reason it is left out."""

    source: QdeSource
    name: str
    """The document name it gets (the source's name without a file suffix)."""
    parsed: ParsedTranscript | None = None
    placement: Placement | None = None
    content_hash: str = ""
    from_word: bool = False
    problem: str = ""


@dataclass(frozen=True)
class ReadArchive:
    path: Path
    entry: str
    """The project file's entry name."""
    project: QdeProject
    codebook: ImportedCodebook
    sources: tuple[ReadSource, ...]
    notes: dict[str, str]
    """Each note's text by GUID (from ``PlainTextContent`` or its own text file)."""


def _project_entry(archive: SafeArchive) -> str:
    qdes = sorted(
        (n for n in archive.names() if n.lower().endswith(".qde")),
        key=lambda n: (n.count("/"), n.lower() != "project.qde", n),
    )
    if not qdes:
        raise InputError(f"{archive.path}: no project file (.qde) in the archive: not a REFI-QDA project")
    return qdes[0]


def _entry(archive: SafeArchive, folder: str, ref: str | None) -> tuple[str | None, str]:
    """The archive entry a source path names, or None and why not."""
    if not ref:
        return None, ""
    if not ref.lower().startswith(_INTERNAL):
        return None, f"its text is a file outside the archive ({ref})"
    name = ref[len(_INTERNAL) :].lstrip("/")
    for candidate in (join(folder, f"sources/{name}"), join(folder, name), f"sources/{name}", name):
        found = archive.find(posixpath.normpath(candidate))
        if found is not None:
            return found, ""
    return None, f"sources/{name} is not in the archive"


def _document_name(source: QdeSource) -> str:
    name = " ".join(source.name.split())
    for suffix in _NAME_SUFFIXES:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    return name.replace("/", "-") or f"source {source.guid[:8]}"


def _read_source(archive: SafeArchive, folder: str, source: QdeSource) -> ReadSource:
    name = _document_name(source)
    plain, why_plain = _entry(archive, folder, source.plain_path)
    rich, why_rich = _entry(archive, folder, source.rich_path)
    if plain is None and rich is not None and not rich.lower().endswith(".docx"):
        kind = posixpath.splitext(rich)[1]
        return ReadSource(
            source, name, problem=f"only its {kind} file is in the archive (mda-coder reads text and .docx)"
        )
    if plain is None and rich is None:
        return ReadSource(source, name, problem=why_plain or why_rich or "it names no text file")
    from_word = plain is None
    data = archive.read(plain or rich or "")  # outside the try: a refused entry refuses the archive
    try:
        if from_word:
            words = _word_text(archive, rich or "", data)
            text = SourceText(words, words.replace("\n", "\r\n"), "docx")
        else:
            text = decode_source(data)
        sized(text.text)
        parsed = parse_text(
            text.text, fmt="docx" if from_word else "txt", encoding=text.encoding, line_paragraphs=from_word
        )
    except ZipRefused:
        raise
    except InputError as err:
        return ReadSource(source, name, problem=f"its text cannot be read ({err})")
    if not parsed.turns:
        return ReadSource(source, name, problem="it has no text to code")
    placement = place_selections(text, [(s.start, s.end, s.name) for s in source.selections])
    return ReadSource(source, name, parsed, placement, hashlib.sha256(data).hexdigest(), from_word)


def _word_text(archive: SafeArchive, entry: str, data: bytes) -> str:
    """The text of the ``.docx`` at ``entry``; a zip bomb inside it refuses the whole archive, as one outside would."""
    try:
        return docx_text(data)
    except ZipRefused as err:
        raise ZipRefused(
            Message("{path}: entry '{entry}': {error}", path=str(archive.path), entry=entry, error=message_of(err))
        ) from None


def _note_texts(archive: SafeArchive, folder: str, project: QdeProject) -> dict[str, str]:
    texts = {}
    for guid, note in project.notes.items():
        text = note.text
        if not text and note.text_path:
            entry, _ = _entry(archive, folder, note.text_path)
            if entry is not None:
                data = archive.read(entry)
                try:
                    text = decode_source(data).text.strip()
                except InputError:
                    text = ""
        texts[guid] = text
    return texts


def read_qdpx(path: Path) -> ReadArchive:
    """Read and check the whole archive; raises ``InputError`` naming the file for anything unsafe or broken."""
    archive = open_archive(path)
    try:
        entry = _project_entry(archive)
        project = read_project(parse_xml(archive.read(entry), f"{path}: {entry}"), f"{path}: {entry}")
        folder = posixpath.dirname(entry)
        sources = tuple(_read_source(archive, folder, s) for s in project.sources)
        notes = _note_texts(archive, folder, project)
    finally:
        archive.close()
    return ReadArchive(path, entry, project, convert_codebook(project.codebook), sources, notes)
