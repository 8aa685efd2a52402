"""How large an input the importers read: one place, so every format refuses at the same size.

A file comes from someone else's computer and may have been made to exhaust memory or time; each
limit here is far beyond any real transcript, codebook or table, and an input past one is refused
with one line naming the file (and the entry or line) before it is read whole. The README's
"Limits" section lists them for users.
"""

from __future__ import annotations

# The largest whole number a CSV column or an option takes lives in core, for the command line to share.
from mda_coder.core.numbers import MAX_INTEGER as MAX_INTEGER

MAX_FILE_BYTES = 256 * 1024 * 1024
"""Largest Word or PDF file read at all; a transcript, pictures and all, is a few megabytes."""
MAX_TEXT_CHARS = 32_000_000
"""Most characters of text one document may hold: some 5 million words, 500 hours of talk.

Past this the file is refused rather than read slowly into a project that would be slow to
open; a transcript this long is several transcripts, and can be split.
"""
MAX_TEXT_BYTES = 128 * 1024 * 1024
"""Largest text or subtitle file read at all: four bytes a character, UTF-32's worst, and more."""
MAX_LINE_CHARS = 4_000_000
"""Longest line of a text or subtitle file: an hour of talk is some 60,000 characters.

A transcript that is one line is read (a service may write one), but a line of many megabytes is
not text someone wrote; it is refused while the file is scanned in pieces, before it is decoded.
"""

MAX_ZIP_ENTRIES = 20_000
"""Most entries in a zip (``.docx``, ``.qdpx``): checked from the archive's last record, before its directory is read."""
MAX_ZIP_ENTRY_BYTES = 256 * 1024 * 1024
"""Largest uncompressed entry of a ``.qdpx``: a source text or ``project.qde`` of 256 MiB is far beyond any project."""
MAX_DOCX_PART_BYTES = 200 * 1024 * 1024
"""Largest uncompressed XML part of a ``.docx`` (``word/document.xml``, footnotes, comments)."""
MAX_XML_TAGS = 5_000_000
"""Most tags (``<w:p>``, ``</w:p>``, ``<w:br/>`` …) in one ``.docx`` part, counted as it inflates, before it is parsed.

A part is parsed whole, at some 100 bytes of memory an element: 200 MB of empty paragraphs
(``<w:p/>``, 33 million of them) would take 3.5 GB. Five million tags is a transcript of 20
million characters with a formatting change every 25, and takes at most some 500 MB.
"""
MAX_ZIP_TOTAL_BYTES = 1024 * 1024 * 1024
"""Largest total uncompressed size of the entries read from one archive."""
MAX_ZIP_RATIO = 200
"""Largest compression ratio of an entry past :data:`ZIP_RATIO_FLOOR`; XML and text compress 5–30 times, a zip bomb 1000."""
ZIP_RATIO_FLOOR = 1024 * 1024
"""Entries that unpack to less than this are never refused for their ratio (a small run of spaces compresses well)."""

MAX_CODEBOOK_BYTES = 16 * 1024 * 1024
"""Largest YAML codebook read: a codebook of a thousand codes with long definitions is under a megabyte."""
MAX_YAML_DEPTH = 100
"""Deepest nesting of a YAML codebook's mappings and lists: a code tree 40 levels deep, and more."""

MAX_TABLE_BYTES = 512 * 1024 * 1024
"""Largest CSV table read (codings, ratings): an export of every coding with its text fits many times over."""
MAX_CELL_CHARS = MAX_TEXT_CHARS
"""Longest CSV cell read: a coding's text may be a whole document (Python's csv module stops at 131,072)."""
