"""Format readers: turn a transcript file (txt, md, docx, pdf, vtt, srt) into a ParsedTranscript."""

from __future__ import annotations

import dataclasses
import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError

from mda_coder.core.errors import InputError
from mda_coder.core.transcript import Doubt, ParsedTranscript
from mda_coder.ingest.chat import parse_chat
from mda_coder.ingest.docx import read_docx
from mda_coder.ingest.encoding import decode
from mda_coder.ingest.limits import MAX_FILE_BYTES, MAX_TEXT_BYTES, MAX_TEXT_CHARS
from mda_coder.ingest.pdf import pdf_text
from mda_coder.ingest.subtitles import parse_srt, parse_vtt
from mda_coder.ingest.text import parse_text
from mda_coder.ingest.verdict import judged

__all__ = ["MAX_FILE_BYTES", "MAX_TEXT_BYTES", "MAX_TEXT_CHARS", "SUPPORTED_SUFFIXES", "read_transcript"]

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
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory")
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(f"{path}: {_unsupported(path.suffix)}")
    try:
        size = path.stat().st_size
        limit = MAX_FILE_BYTES if suffix in (".docx", ".pdf") else MAX_TEXT_BYTES
        if size > limit:
            raise InputError(
                f"{path}: too large to import ({size / 1024 / 1024:,.1f} MB; "
                f"the limit is {limit // 1024 // 1024} MB)"
            )
        data = path.read_bytes()
    except PermissionError:
        raise InputError(f"{path}: cannot read (permission denied)") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err})") from None
    if not data:
        raise InputError(f"{path}: is empty")
    try:
        return judged(_parse(data, suffix, speaker_pattern))
    except InputError as err:
        raise InputError(f"{path}: {err}") from err
    except (UnicodeError, zipfile.BadZipFile, ParseError) as err:
        # The readers turn these into InputError themselves; this is the safety net that
        # keeps a bad file from ever showing the user a traceback.
        raise InputError(f"{path}: cannot read as {suffix} ({err})") from err


def _sized(text: str) -> str:
    """``text``, or a refusal when it is more than one document should hold."""
    if len(text) > MAX_TEXT_CHARS:
        raise InputError(
            f"holds {len(text):,} characters of text; the limit is {MAX_TEXT_CHARS:,} "
            "(split it into several transcripts)"
        )
    return text


def _parse(data: bytes, suffix: str, speaker_pattern: str | None) -> ParsedTranscript:
    if suffix == ".docx":
        text, left_out = read_docx(data)
        parsed = parse_text(
            _sized(text), fmt="docx", encoding="docx", speaker_pattern=speaker_pattern, line_paragraphs=True
        )
        return _with_doubts(parsed, left_out)
    if suffix == ".pdf":
        text, left_out = pdf_text(data)
        parsed = parse_text(_sized(text), fmt="pdf", encoding="pdf", speaker_pattern=speaker_pattern)
        return _with_doubts(parsed, left_out)
    text, encoding = decode(data)
    text = _sized(text)
    if suffix == ".vtt":
        return parse_vtt(text, encoding=encoding)
    if suffix == ".srt":
        return parse_srt(text, encoding=encoding)
    if _TEXT_FORMATS[suffix] == "txt" and speaker_pattern is None:
        chat = parse_chat(text, encoding=encoding)
        if chat is not None:
            return chat
    return parse_text(
        text, fmt=_TEXT_FORMATS[suffix], encoding=encoding, speaker_pattern=speaker_pattern
    )


def _with_doubts(parsed: ParsedTranscript, extra: tuple[Doubt, ...]) -> ParsedTranscript:
    """``parsed`` with ``extra`` doubts among its own, in line order (no line: last)."""
    if not extra:
        return parsed
    doubts = sorted((*parsed.doubts, *extra), key=lambda d: (d.line is None, d.line or 0))
    return dataclasses.replace(parsed, doubts=tuple(doubts))


def _unsupported(suffix: str) -> str:
    if not suffix:
        return f"unsupported format: the file name has no extension (supported: {_SUPPORTED_LIST})"
    if suffix.lower() == ".doc":
        return (
            f"unsupported format '{suffix}': save it as .docx in Word or LibreOffice "
            f"(supported: {_SUPPORTED_LIST})"
        )
    return f"unsupported format '{suffix}' (supported: {_SUPPORTED_LIST})"
