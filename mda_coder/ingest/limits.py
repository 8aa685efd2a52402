"""How large a file the importers read: one place, so every format refuses at the same size."""

from __future__ import annotations

MAX_FILE_BYTES = 256 * 1024 * 1024
"""Largest Word or PDF file read at all; a transcript, pictures and all, is a few megabytes."""
MAX_TEXT_CHARS = 32_000_000
"""Most characters of text one document may hold: some 5 million words, 500 hours of talk.

Past this the file is refused rather than read slowly into a project that would be slow to
open; a transcript this long is several transcripts, and can be split.
"""
MAX_TEXT_BYTES = 128 * 1024 * 1024
"""Largest text or subtitle file read at all: four bytes a character, UTF-32's worst, and more."""
