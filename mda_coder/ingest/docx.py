"""Plain text of a Word ``.docx`` file in reading order, and the notes it leaves out."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree import ElementTree as ET

from mda_coder.core.display import one_line
from mda_coder.core.errors import InputError
from mda_coder.core.transcript import LEFT_OUT, Doubt
from mda_coder.i18n import Message
from mda_coder.ingest.docx_package import NOTE_PARTS, DocxParts, docx_parts

_W_NAMESPACES = frozenset(
    {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main",  # ISO "strict" OOXML
    }
)
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"

# Inside a paragraph: what is not document text. Deleted and moved-away revisions are not in
# the accepted text; field instructions ("PAGE", "HYPERLINK ...") are code, not words;
# paragraph and run properties hold formatting, among it tab stop definitions (``w:tabs``,
# whose ``w:tab`` children are positions, not tab characters).
_SKIPPED = frozenset({"del", "delText", "moveFrom", "instrText", "delInstrText", "pPr", "rPr", "tabs"})
_CHARACTERS = {"tab": "\t", "ptab": "\t", "br": "\n", "cr": "\n", "noBreakHyphen": "-"}
# Where a text box can hang in a run: DrawingML shapes, VML pictures and embedded objects.
_SHAPES = frozenset({"drawing", "pict", "object"})
_MARKS = {
    "footnoteReference": "footnotes",
    "endnoteReference": "endnotes",
    "commentReference": "comments",
    "commentRangeStart": "comments",
}
# Word's own notes that draw the line above the footnotes; they have no text of the author's.
_PSEUDO_NOTES = frozenset({"separator", "continuationSeparator", "continuationNotice"})
_SINGULAR = {"footnotes": "footnote", "endnotes": "endnote", "comments": "comment"}


def read_docx(data: bytes) -> tuple[str, tuple[Doubt, ...]]:
    """The text of the document in ``data``, and what is in the file but not in the text.

    The text has one line per paragraph, joined with ``\\n``. Runs are joined (Word splits a
    word across runs at every formatting change), tabs and line breaks become ``\\t`` and
    ``\\n``, tracked deletions are dropped and insertions kept, i.e. the text as it reads
    with all changes accepted. A table row becomes one line with its cells joined by
    ``\\t``, since transcribers often lay out time | speaker | utterance as a table. A text
    box's paragraphs become lines of their own right after the paragraph (or table row)
    that anchors it, so they never split that paragraph's sentence.

    Footnotes, endnotes and comments are not speech and stay out of the text, but each
    becomes a ``left-out`` doubt at the line that carries its mark. Headers and footers
    (page numbers, "transcribed by") are not read. Raises ``InputError`` for anything that
    is not a readable ``.docx``.
    """
    parts = docx_parts(data)
    try:
        root = ET.fromstring(parts.document)
    except ET.ParseError as err:
        raise InputError(f"not a Word .docx file (its XML is broken: {err})") from None
    body = next((child for child in root if _local(child) == "body"), None)
    if body is None:
        raise InputError(f"not a Word .docx file ({parts.name} has no document body)")
    reader = _Reader()
    try:
        reader.read(body)
        notes = _notes(parts)
    except RecursionError:
        raise InputError("damaged Word .docx file (its XML is nested too deeply)") from None
    return "\n".join(reader.lines), _left_out(reader.marks, notes)


def docx_text(data: bytes) -> str:
    """The text of :func:`read_docx` alone, for readers that list nothing left out."""
    return read_docx(data)[0]


@dataclass(frozen=True, slots=True)
class _Mark:
    """A footnote, endnote or comment mark in the text: where the note belongs."""

    kind: str
    """``footnotes``, ``endnotes`` or ``comments``: the part the note is in."""
    id: str
    offset: int
    """Lines into the paragraph where the mark is (a paragraph can hold line breaks)."""
    numbered: bool = True
    """False for a footnote with a mark of its own (``*``): Word does not count it."""


@dataclass(slots=True)
class _Piece:
    """One line of the text (a paragraph or a table row) and what hangs on it."""

    text: str
    boxes: list[ET.Element] = field(default_factory=list)
    """Text boxes anchored here, in document order: read after this line."""
    marks: list[_Mark] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Note:
    text: str
    """The note's text on one line, shortened for a doubt."""
    author: str


class _Reader:
    """Lines in reading order: each paragraph, then the text boxes it anchors."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.marks: list[tuple[_Mark, int]] = []
        """Each mark with the 1-based line of the text it is on."""
        self._count = 0

    def read(self, container: ET.Element) -> None:
        for piece in _pieces(container):
            line = self._count + 1
            self.lines.append(piece.text)
            self._count += piece.text.count("\n") + 1
            self.marks.extend((mark, line + mark.offset) for mark in piece.marks)
            for box in piece.boxes:
                self.read(box)


def _local(element: ET.Element) -> str | None:
    """The local name of a WordprocessingML element, ``None`` for other namespaces."""
    namespace, _, name = element.tag[1:].partition("}")
    return name if namespace in _W_NAMESPACES else None


def _attribute(element: ET.Element, name: str) -> str:
    """A ``w:`` attribute, in whichever WordprocessingML namespace the element is."""
    return element.get(element.tag[: element.tag.index("}") + 1] + name, "")


def _alternative(content: ET.Element) -> ET.Element | None:
    """The one of ``mc:AlternateContent``'s Choice and Fallback to read: the first Choice.

    They carry the same content (a DrawingML text box and its VML copy), so only one is
    read; every Choice Word writes is one this reader can read.
    """
    choice = content.find(f"{_MC}Choice")
    return choice if choice is not None else content.find(f"{_MC}Fallback")


def _pieces(container: ET.Element) -> Iterator[_Piece]:
    """One piece per paragraph or table row among ``container``'s block-level children."""
    for child in container:
        name = _local(child)
        if name == "p":
            yield _paragraph(child)
        elif name == "tbl":
            for row in child:
                if _local(row) == "tr":
                    yield _row(row)
        elif name in {"sdt", "sdtContent", "customXml", "ins", "moveTo"}:
            yield from _pieces(child)
        elif child.tag == f"{_MC}AlternateContent":
            chosen = _alternative(child)
            if chosen is not None:
                yield from _pieces(chosen)


def _row(row: ET.Element) -> _Piece:
    """A table row on one line: cells joined by a tab, each cell's own lines by a space."""
    joined = _Piece("")
    cells: list[str] = []
    for cell in _cells(row):
        lines: list[str] = []
        for piece in _pieces(cell):
            if piece.text.strip():
                lines.append(piece.text.strip())
            joined.boxes.extend(piece.boxes)
            joined.marks.extend(_Mark(mark.kind, mark.id, 0, mark.numbered) for mark in piece.marks)
        cells.append(" ".join(" ".join(lines).replace("\t", " ").split("\n")))
    joined.text = "\t".join(cells)
    return joined


def _cells(row: ET.Element) -> Iterator[ET.Element]:
    """The ``w:tc`` cells of a row, also those wrapped in content controls."""
    for child in row:
        name = _local(child)
        if name == "tc":
            yield child
        elif name in {"sdt", "sdtContent", "customXml"}:
            yield from _cells(child)


def _paragraph(paragraph: ET.Element) -> _Piece:
    piece = _Piece("")
    parts: list[str] = []
    _collect(paragraph, parts, piece)
    piece.text = "".join(parts)
    return piece


def _collect(element: ET.Element, parts: list[str], piece: _Piece) -> None:
    """Append the accepted text under ``element`` to ``parts``, in document order.

    Text boxes and note marks met on the way go to ``piece``, not into the sentence.
    """
    for child in element:
        name = _local(child)
        if name is None:
            if child.tag == f"{_MC}AlternateContent":
                chosen = _alternative(child)
                if chosen is not None:
                    _collect(chosen, parts, piece)
            continue
        if name in _SKIPPED:
            continue
        if name == "t":
            parts.append(child.text or "")
        elif name in _CHARACTERS:
            parts.append(_CHARACTERS[name])
        elif name in _MARKS:
            own = _attribute(child, "customMarkFollows").lower() in {"1", "true", "on"}
            offset = "".join(parts).count("\n")
            piece.marks.append(_Mark(_MARKS[name], _attribute(child, "id"), offset, not own))
        elif name == "txbxContent":
            piece.boxes.append(child)
        elif name in _SHAPES:
            piece.boxes.extend(_text_boxes(child))
        else:
            _collect(child, parts, piece)


def _text_boxes(shape: ET.Element) -> Iterator[ET.Element]:
    """The outermost ``w:txbxContent`` under a shape (boxes in boxes are read with theirs)."""
    for child in shape:
        if _local(child) == "txbxContent":
            yield child
        elif child.tag == f"{_MC}AlternateContent":
            chosen = _alternative(child)
            if chosen is not None:
                yield from _text_boxes(chosen)
        else:
            yield from _text_boxes(child)


def _notes(parts: DocxParts) -> dict[str, dict[str, _Note]]:
    """The footnotes, endnotes and comments with text, by part and id."""
    found: dict[str, dict[str, _Note]] = {}
    for kind in NOTE_PARTS:
        if kind not in parts.notes:
            continue
        name, xml = parts.notes[kind]
        try:
            root = ET.fromstring(xml)
        except ET.ParseError as err:
            raise InputError(f"damaged Word .docx file ({name} has broken XML: {err})") from None
        notes: dict[str, _Note] = {}
        for note in root:
            if _local(note) != _SINGULAR[kind] or _attribute(note, "type") in _PSEUDO_NOTES:
                continue
            reader = _Reader()
            reader.read(note)
            text = one_line(" ".join(reader.lines), 80)
            if text:
                notes[_attribute(note, "id")] = _Note(text, _attribute(note, "author").strip())
        found[kind] = notes
    return found


def _left_out(marks: list[tuple[_Mark, int]], notes: dict[str, dict[str, _Note]]) -> tuple[Doubt, ...]:
    """A ``left-out`` doubt per note with text, at its first mark; unmarked ones at no line."""
    numbers = dict.fromkeys(NOTE_PARTS, 0)
    seen: set[tuple[str, str]] = set()
    doubts: list[Doubt] = []
    for mark, line in marks:
        if mark.numbered and mark.kind != "comments":
            numbers[mark.kind] += 1
        note = notes.get(mark.kind, {}).get(mark.id)
        if note is None or (mark.kind, mark.id) in seen:
            continue
        seen.add((mark.kind, mark.id))
        number = numbers[mark.kind] if mark.numbered else None
        doubts.append(Doubt(LEFT_OUT, line, note.text, _reading(mark.kind, note, number)))
    for kind, by_id in notes.items():
        for key, note in by_id.items():
            if (kind, key) not in seen:
                reading = _reading(kind, note, None, marked=False)
                doubts.append(Doubt(LEFT_OUT, None, note.text, reading))
    return tuple(doubts)


_READINGS = {
    "footnotes": (
        Message("footnote {number}, not imported"),
        Message("footnote with a mark of its own, not imported"),
        Message("footnote (no mark in the text), not imported"),
    ),
    "endnotes": (
        Message("endnote {number}, not imported"),
        Message("endnote with a mark of its own, not imported"),
        Message("endnote (no mark in the text), not imported"),
    ),
}
"""A numbered note, a note with a mark of its own, a note no mark points to."""


def _reading(kind: str, note: _Note, number: int | None, *, marked: bool = True) -> str:
    """``footnote 2, not imported``, ``comment by Anna, not imported`` and the like."""
    if kind == "comments":
        if note.author:
            said = (
                Message("comment by {author}, not imported", author=note.author)
                if marked
                else Message("comment by {author} (not anchored in the text), not imported", author=note.author)
            )
        else:
            said = (
                Message("comment, not imported")
                if marked
                else Message("comment (not anchored in the text), not imported")
            )
        return said
    numbered, own, unmarked = _READINGS[kind]
    if not marked:
        return unmarked
    return Message(numbered.template, number=number) if number is not None else own
