"""A REFI-QDA source's text and its selections' offsets, converted once to mda-coder's code points.

The standard counts a selection's positions in characters of the source's plain text, but
programs differ in what a character is: mda-coder, QualCoder and ATLAS.ti count Unicode code
points; NVivo, a .NET program, counts UTF-16 code units, over text with CRLF line ends and a
byte-order mark. Both read the same on ASCII text with ``\\n`` line ends and part ways at the
first ``😀``, ``\\r\\n`` or character outside the BMP. So each source's offsets are tried under
every reading and the one under which the selections fall on the text is kept: positions that
exist in the text (not between ``\\r`` and ``\\n``, not inside a surrogate pair), and selections
whose text matches their name where the program wrote the text there.
"""

from __future__ import annotations

import codecs
from collections.abc import Sequence
from dataclasses import dataclass

from mda_coder.core.display import one_line
from mda_coder.core.errors import InputError

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

READINGS = ("code points", "code points over CRLF", "UTF-16 units", "UTF-16 units over CRLF")
"""The ways a program may count, in order of preference when several fit equally well."""


@dataclass(frozen=True)
class SourceText:
    """A source's text as stored (line ends ``\\n``) and as the program that wrote it counted it."""

    text: str
    """Decoded, without a BOM, with ``\\r\\n`` and ``\\r`` made ``\\n``: what every mda-coder offset counts."""
    crlf: str
    """The same text with every line end written ``\\r\\n``, as NVivo counts it."""
    encoding: str


def decode_source(data: bytes) -> SourceText:
    """Decode a source file: a BOM decides, else UTF-8 (the standard's encoding), else Windows-1252."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                raw = data[len(bom) :].decode(codec)
            except UnicodeDecodeError as err:
                raise InputError(
                    f"starts with a {codec} byte order mark but is not {codec} (byte {err.start + len(bom)})"
                ) from None
            encoding = codec
            break
    else:
        if b"\x00" in data:
            raise InputError("looks like a binary file, not text")
        try:
            raw, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            raw, encoding = data.decode("cp1252", errors="replace"), "cp1252"
    raw = raw.removeprefix("\ufeff")
    if "\x00" in raw:
        raise InputError("looks like a binary file, not text")
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    return SourceText(text, text.replace("\n", "\r\n"), encoding)


def _code_point_map(counted: str, crlf: bool) -> list[int | None]:
    """For each code-point offset into ``counted``, the offset into the stored text (None between \\r and \\n)."""
    result: list[int | None] = []
    position = 0
    previous = ""
    for ch in counted:
        result.append(None if (crlf and previous == "\r" and ch == "\n") else position)
        if not (crlf and ch == "\r"):
            position += 1
        previous = ch
    result.append(position)
    return result


def _utf16_map(counted: str, points: list[int | None]) -> list[int | None]:
    """For each UTF-16 unit offset into ``counted``, the stored offset (None inside a surrogate pair)."""
    result: list[int | None] = []
    for i, ch in enumerate(counted):
        result.append(points[i])
        if ord(ch) > 0xFFFF:
            result.append(None)
    result.append(points[len(counted)])
    return result


@dataclass(frozen=True)
class Placed:
    """Where a selection lands in the stored text, or why it does not."""

    start: int | None
    end: int | None
    problem: str = ""


@dataclass(frozen=True)
class Placement:
    reading: str
    """One of :data:`READINGS`: how the selections' positions were counted."""
    spans: tuple[Placed, ...]


def _place(mapping: list[int | None], start: int, end: int) -> Placed:
    if start < 0 or end < 0:
        return Placed(None, None, f"negative position {min(start, end)}")
    if end <= start:
        return Placed(None, None, f"empty selection {start}-{end}")
    if end >= len(mapping):
        return Placed(None, None, f"ends at {end}, past the end of the text ({len(mapping) - 1})")
    a, b = mapping[start], mapping[end]
    if a is None or b is None:
        return Placed(None, None, f"{start}-{end} falls inside a character or a line end")
    if b <= a:
        return Placed(None, None, f"{start}-{end} holds only a line end")
    return Placed(a, b)


def _name_fits(text: str, placed: Placed, name: str) -> bool:
    """Whether a selection's name is the start of its text, as tools that name selections by it write."""
    if placed.problem or not name.strip():
        return False
    quoted = one_line(text[placed.start : placed.end], 60).rstrip("…").strip()
    wanted = " ".join(name.split()).rstrip("…").strip()
    return bool(quoted) and bool(wanted) and (quoted.startswith(wanted[:40]) or wanted.startswith(quoted[:40]))


def _on_word_edges(text: str, placed: Placed) -> bool:
    """Whether a selection neither starts nor ends inside a word: coders select whole words."""
    if placed.problem:
        return False
    assert placed.start is not None and placed.end is not None
    inside_start = 0 < placed.start < len(text) and text[placed.start - 1].isalnum() and text[placed.start].isalnum()
    inside_end = 0 < placed.end < len(text) and text[placed.end - 1].isalnum() and text[placed.end].isalnum()
    return not inside_start and not inside_end


def place_selections(source: SourceText, selections: Sequence[tuple[int, int, str]]) -> Placement:
    """The reading of ``(start, end, name)`` positions under which most selections land, and their spans.

    The score is the number of selections that land, then the number whose name matches their
    text, then the number that start and end on word edges; ties go to the earlier reading in :data:`READINGS`, so plain text where every reading
    agrees counts code points, as the standard says.
    """
    points: list[int | None] = list(
        range(len(source.text) + 1)
    )  # code points of the stored text: each offset is itself
    crlf_points = _code_point_map(source.crlf, crlf=True)
    maps = {READINGS[0]: points, READINGS[1]: crlf_points}
    # Without a character outside the BMP, UTF-16 units count as code points do: the same
    # placements would score the same and lose the tie, so building their maps (a third of
    # a 100-source import) is skipped.
    if source.text and max(source.text) > "\uffff":
        maps[READINGS[2]] = _utf16_map(source.text, points)
        maps[READINGS[3]] = _utf16_map(source.crlf, crlf_points)
    best: tuple[tuple[int, int, int, int], Placement] | None = None
    for rank, reading in enumerate(READINGS):
        if reading not in maps:
            continue
        placed = tuple(_place(maps[reading], s, e) for s, e, _ in selections)
        named = sum(_name_fits(source.text, p, n) for p, (_, _, n) in zip(placed, selections, strict=True))
        edges = sum(_on_word_edges(source.text, p) for p in placed)
        score = (sum(1 for p in placed if not p.problem), named, edges, -rank)
        if best is None or score > best[0]:
            best = (score, Placement(reading, placed))
    assert best is not None
    return best[1]
