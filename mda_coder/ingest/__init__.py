"""Format readers: turn a transcript file (txt, md, docx, pdf, vtt, srt) into a ParsedTranscript."""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.etree.ElementTree import ParseError

from mda_coder.core.errors import InputError
from mda_coder.core.transcript import ParsedTranscript
from mda_coder.ingest.docx import docx_text
from mda_coder.ingest.encoding import decode
from mda_coder.ingest.pdf import parse_pdf
from mda_coder.ingest.subtitles import parse_srt, parse_vtt
from mda_coder.ingest.text import parse_text

__all__ = ["SUPPORTED_SUFFIXES", "read_transcript"]

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
        data = path.read_bytes()
    except PermissionError:
        raise InputError(f"{path}: cannot read (permission denied)") from None
    except OSError as err:
        raise InputError(f"{path}: cannot read ({err.strerror or err})") from None
    if not data:
        raise InputError(f"{path}: is empty")
    try:
        return _parse(data, suffix, speaker_pattern)
    except InputError as err:
        raise InputError(f"{path}: {err}") from err
    except (UnicodeError, zipfile.BadZipFile, ParseError) as err:
        # The readers turn these into InputError themselves; this is the safety net that
        # keeps a bad file from ever showing the user a traceback.
        raise InputError(f"{path}: cannot read as {suffix} ({err})") from err


def _parse(data: bytes, suffix: str, speaker_pattern: str | None) -> ParsedTranscript:
    if suffix == ".docx":
        return parse_text(
            docx_text(data),
            fmt="docx",
            encoding="docx",
            speaker_pattern=speaker_pattern,
            line_paragraphs=True,
        )
    if suffix == ".pdf":
        return parse_pdf(data, speaker_pattern=speaker_pattern)
    text, encoding = decode(data)
    if suffix == ".vtt":
        return parse_vtt(text, encoding=encoding)
    if suffix == ".srt":
        return parse_srt(text, encoding=encoding)
    return parse_text(
        text, fmt=_TEXT_FORMATS[suffix], encoding=encoding, speaker_pattern=speaker_pattern
    )


def _unsupported(suffix: str) -> str:
    if not suffix:
        return f"unsupported format: the file name has no extension (supported: {_SUPPORTED_LIST})"
    if suffix.lower() == ".doc":
        return (
            f"unsupported format '{suffix}': save it as .docx in Word or LibreOffice "
            f"(supported: {_SUPPORTED_LIST})"
        )
    return f"unsupported format '{suffix}' (supported: {_SUPPORTED_LIST})"
