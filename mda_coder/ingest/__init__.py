"""Format readers: turn a transcript file (txt, md, docx, pdf, vtt, srt) into a ParsedTranscript."""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError

from mda_coder.core.errors import InputError
from mda_coder.core.transcript import Doubt, ParsedTranscript
from mda_coder.i18n import Message, message_of
from mda_coder.ingest.chat import parse_chat
from mda_coder.ingest.docx import read_docx
from mda_coder.ingest.encoding import decode
from mda_coder.ingest.limits import MAX_FILE_BYTES, MAX_LINE_CHARS, MAX_TEXT_BYTES, MAX_TEXT_CHARS
from mda_coder.ingest.pdf import pdf_text
from mda_coder.ingest.subtitles import parse_srt, parse_vtt
from mda_coder.ingest.text import parse_text
from mda_coder.ingest.text_size import scan_lines, sized
from mda_coder.ingest.verdict import judged

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_LINE_CHARS",
    "MAX_TEXT_BYTES",
    "MAX_TEXT_CHARS",
    "SUPPORTED_SUFFIXES",
    "read_transcript",
]

_TEXT_FORMATS = {".txt": "txt", ".text": "txt", ".md": "md", ".markdown": "md"}
SUPPORTED_SUFFIXES: tuple[str, ...] = (*_TEXT_FORMATS, ".docx", ".pdf", ".vtt", ".srt")
"""File name endings ``read_transcript`` accepts, compared case-insensitively."""

_SUPPORTED_LIST = ".txt, .md, .docx, .pdf, .vtt, .srt"


def read_transcript(path: Path, *, speaker_pattern: str | None = None) -> ParsedTranscript:
    """Read the transcript at ``path``, choosing the reader by the file's suffix.

    Every problem a user can cause (missing file, wrong format, undecodable bytes,
    broken .docx, malformed subtitles) becomes one ``InputError`` whose message starts
    with the file name, so a batch import can say which file failed and why.
    ``speaker_pattern`` applies to txt, md, docx and pdf; subtitles name their speakers.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if not path.exists():
        raise InputError(Message("{path}: no such file", path=str(path)))
    if path.is_dir():
        raise InputError(Message("{path}: is a directory", path=str(path)))
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(Message("{path}: {error}", path=str(path), error=_unsupported(path.suffix)))
    try:
        size = path.stat().st_size
        limit = MAX_FILE_BYTES if suffix in (".docx", ".pdf") else MAX_TEXT_BYTES
        if size > limit:
            raise InputError(
                Message(
                    "{path}: too large to import ({size} MB; the limit is {limit} MB)",
                    path=str(path),
                    size=format(size / 1024 / 1024, ",.1f"),
                    limit=limit // 1024 // 1024,
                )
            )
        if suffix not in (".docx", ".pdf"):
            scan_lines(path)
        data = path.read_bytes()
    except PermissionError:
        raise InputError(Message("{path}: cannot read (permission denied)", path=str(path))) from None
    except OSError as err:
        raise InputError(
            Message("{path}: cannot read ({error})", path=str(path), error=err.strerror or str(err))
        ) from None
    if not data:
        raise InputError(Message("{path}: is empty", path=str(path)))
    try:
        return judged(_parse(data, suffix, speaker_pattern))
    except InputError as err:
        raise InputError(Message("{path}: {error}", path=str(path), error=message_of(err))) from err
    except (UnicodeError, zipfile.BadZipFile, ParseError, LookupError) as err:
        # The readers turn these into InputError themselves; this is the safety net that
        # keeps a bad file from ever showing the user a traceback. A bare LookupError is an
        # encoding the file's XML declares and Python does not know (encoding="TF-8").
        if isinstance(err, (IndexError, KeyError)):
            raise  # a mistake of ours, not the file's: the tests must see it
        raise InputError(f"{path}: cannot read as {suffix} ({err})") from err


def _parse(data: bytes, suffix: str, speaker_pattern: str | None) -> ParsedTranscript:
    if suffix == ".docx":
        text, left_out = read_docx(data)
        parsed = parse_text(
            sized(text), fmt="docx", encoding="docx", speaker_pattern=speaker_pattern, line_paragraphs=True
        )
        return _with_doubts(parsed, left_out)
    if suffix == ".pdf":
        text, left_out = pdf_text(data)
        parsed = parse_text(sized(text), fmt="pdf", encoding="pdf", speaker_pattern=speaker_pattern)
        return _with_doubts(parsed, left_out)
    text, encoding = decode(data)
    text = sized(text)
    if suffix == ".vtt":
        return parse_vtt(text, encoding=encoding)
    if suffix == ".srt":
        return parse_srt(text, encoding=encoding)
    if _TEXT_FORMATS[suffix] == "txt" and speaker_pattern is None:
        chat = parse_chat(text, encoding=encoding)
        if chat is not None:
            return chat
    return parse_text(text, fmt=_TEXT_FORMATS[suffix], encoding=encoding, speaker_pattern=speaker_pattern)


def _with_doubts(parsed: ParsedTranscript, extra: tuple[Doubt, ...]) -> ParsedTranscript:
    """``parsed`` with ``extra`` doubts among its own, in line order (no line: last)."""
    if not extra:
        return parsed
    doubts = sorted((*parsed.doubts, *extra), key=lambda d: (d.line is None, d.line or 0))
    return dataclasses.replace(parsed, doubts=tuple(doubts))


def _unsupported(suffix: str) -> str:
    if not suffix:
        return Message(
            "unsupported format: the file name has no extension (supported: {formats})", formats=_SUPPORTED_LIST
        )
    if suffix.lower() == ".doc":
        return Message(
            "unsupported format '{suffix}': save it as .docx in Word or LibreOffice (supported: {formats})",
            suffix=suffix,
            formats=_SUPPORTED_LIST,
        )
    return Message("unsupported format '{suffix}' (supported: {formats})", suffix=suffix, formats=_SUPPORTED_LIST)
