"""One guard for every zip the tool opens (``.docx``, ``.qdpx``, a ``.docx`` inside a ``.qdpx``).

An archive comes from someone else's computer, and its directory can lie: an entry that says it
is 1 KB may inflate to gigabytes (a zip bomb), and the directory itself can list millions of
entries. So the number of entries is read from the archive's last record before the directory
is, each entry's declared size and compression ratio are checked before it is inflated, and the
entry is then inflated in pieces with the same caps applied to what actually comes out: memory
stays bounded whatever the headers say. A refusal is a :class:`ZipRefused` naming the entry; the
caller puts the file's name in front.
"""

from __future__ import annotations

import io
import zipfile
import zlib
from pathlib import Path
from typing import BinaryIO

from mda_coder.core.errors import InputError
from mda_coder.i18n import Message
from mda_coder.ingest import limits

_PIECE = 1024 * 1024
"""Bytes inflated at a time, so that a refusal comes at most this far past a limit."""

DAMAGED = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    zlib.error,
    EOFError,
    RuntimeError,
    OSError,
    ValueError,
    NotImplementedError,
)
"""How reading a zip fails when it is damaged (bad CRC, truncated data), encrypted or compressed in a way zipfile does not know."""


class ZipRefused(InputError):
    """An archive or entry past a limit: refused as a whole, never skipped (it was made to attack)."""


def entry_count(source: Path | bytes) -> int | None:
    """How many entries the archive's last record lists, read without the directory; None if it cannot say."""
    try:
        stream: BinaryIO
        with io.BytesIO(source) if isinstance(source, bytes) else Path(source).open("rb") as stream:
            record = zipfile._EndRecData(stream)  # type: ignore[attr-defined]  # private stdlib, absent from typeshed; stable since 2.6
    except (OSError, AttributeError, ValueError, zipfile.BadZipFile):
        return None
    return None if not record else int(record[zipfile._ECD_ENTRIES_TOTAL])  # type: ignore[attr-defined]  # private in the stubs, as above


def check_entry_count(source: Path | bytes) -> None:
    """Refuse an archive whose directory lists more than :data:`~limits.MAX_ZIP_ENTRIES` entries."""
    count = entry_count(source)
    if count is not None and count > limits.MAX_ZIP_ENTRIES:
        raise ZipRefused(
            Message(
                "{n} entries in the archive: refused (the limit is {limit})",
                n=format(count, ","),
                limit=format(limits.MAX_ZIP_ENTRIES, ","),
            )
        )


def read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, *, limit: int, max_tags: int | None = None) -> bytes:
    """The bytes of ``info``, refused past ``limit`` or :data:`~limits.MAX_ZIP_RATIO`, declared or as inflated.

    With ``max_tags``, an XML entry is also refused once it holds more tags (``<``) than that,
    counted as it inflates, so that a part of a million empty elements is refused after a few
    megabytes rather than read whole. Damage (a bad CRC, a truncated or encrypted entry) raises a
    plain ``InputError``; a limit, a :class:`ZipRefused`.
    """
    name = info.filename
    if info.file_size > limit:
        raise ZipRefused(
            Message(
                "entry '{entry}' would unpack to {size} bytes: refused (the limit is {limit})",
                entry=name,
                size=format(info.file_size, ","),
                limit=format(limit, ","),
            )
        )
    packed = max(info.compress_size, 1)
    _check_ratio(name, info.file_size, packed)
    data = io.BytesIO()  # its getvalue() hands over its buffer: the entry is held once, not twice
    size = tags = 0
    try:
        with archive.open(info) as stream:
            while piece := stream.read(_PIECE):
                size += len(piece)
                if size > limit:
                    raise ZipRefused(
                        Message(
                            "entry '{entry}' unpacks past {limit} bytes, more than its header says: refused",
                            entry=name,
                            limit=format(limit, ","),
                        )
                    )
                _check_ratio(name, size, packed)
                if max_tags is not None:
                    tags += piece.count(b"<")
                    if tags > max_tags:
                        raise ZipRefused(
                            Message(
                                "entry '{entry}' holds more than {limit} XML tags: refused",
                                entry=name,
                                limit=format(max_tags, ","),
                            )
                        )
                data.write(piece)
    except ZipRefused:
        raise
    except DAMAGED as err:
        raise InputError(
            Message("entry '{entry}' is damaged and cannot be read ({error})", entry=name, error=str(err))
        ) from None
    return data.getvalue()


def _check_ratio(name: str, size: int, packed: int) -> None:
    if size > limits.ZIP_RATIO_FLOOR and size > limits.MAX_ZIP_RATIO * packed:
        raise ZipRefused(
            Message(
                "entry '{entry}' is compressed {ratio}:1, like a zip bomb: refused (the limit is {limit}:1)",
                entry=name,
                ratio=format(size // packed, ","),
                limit=limits.MAX_ZIP_RATIO,
            )
        )
