"""Write minimal but real Word ``.docx`` files: one paragraph per string, tabs as ``<w:tab/>``.

Word, LibreOffice and python-docx open what this writes; the tests and the sample data use
it so that every ``.docx`` fixture is made from readable source text in the repository.

A paragraph may hold what Word anchors in a sentence, written inline:
``{{box:first|second}}`` a text box (DrawingML, with the VML copy Word writes beside it),
``{{vml:first|second}}`` an old VML-only text box, ``{{footnote:text}}``,
``{{endnote:text}}`` and ``{{comment:Author:text}}``.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_NAMESPACES = (
    f'xmlns:w="{_W}" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)
_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PACKAGE_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"

_RELS = f"""<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="{_PACKAGE_RELS}">
<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="word/document.xml"/>
</Relationships>"""

_ANCHORED = re.compile(r"\{\{(box|vml|footnote|endnote|comment):(.*?)\}\}")
_NOTE_TAGS = {"footnote": "footnoteReference", "endnote": "endnoteReference"}
# Word's own first notes in footnotes.xml and endnotes.xml: the separator lines, no text.
_SEPARATORS = (
    '<w:{0} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{0}>'
    '<w:{0} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/>'
    "</w:r></w:p></w:{0}>"
)


def _runs(paragraph: str, bold_prefix: int = 0) -> str:
    """Split a paragraph into runs, turning tabs into ``<w:tab/>`` and line breaks into ``<w:br/>``."""
    parts: list[str] = []
    text = paragraph
    if bold_prefix:
        head, text = text[:bold_prefix], text[bold_prefix:]
        parts.append(f'<w:r><w:rPr><w:b/></w:rPr><w:t xml:space="preserve">{escape(head)}</w:t></w:r>')
    buf = ""
    out = []
    for ch in text:
        if ch in "\t\n":
            if buf:
                out.append(f'<w:t xml:space="preserve">{escape(buf)}</w:t>')
                buf = ""
            out.append("<w:tab/>" if ch == "\t" else "<w:br/>")
        else:
            buf += ch
    if buf:
        out.append(f'<w:t xml:space="preserve">{escape(buf)}</w:t>')
    if out:
        parts.append("<w:r>" + "".join(out) + "</w:r>")
    return "".join(parts)


class _Package:
    """The notes and comments gathered while the paragraphs are written."""

    def __init__(self) -> None:
        self.notes: dict[str, list[str]] = {"footnote": [], "endnote": [], "comment": []}
        self.shapes = 0

    def paragraph(self, text: str, bold_labels: bool, tab_stops: int) -> str:
        stops = "".join(f'<w:tab w:val="left" w:pos="{1304 * (n + 1)}"/>' for n in range(tab_stops))
        runs = [f"<w:pPr><w:tabs>{stops}</w:tabs></w:pPr>" if tab_stops else ""]
        position = 0
        for match in _ANCHORED.finditer(text):
            runs.append(self._plain(text[position : match.start()], bold_labels and not position))
            runs.append(self._anchored(match.group(1), match.group(2)))
            position = match.end()
        runs.append(self._plain(text[position:], bold_labels and not position))
        return f"<w:p>{''.join(runs)}</w:p>"

    def _plain(self, text: str, bold_labels: bool) -> str:
        return _runs(text, text.index(":") + 1 if bold_labels and ":" in text[:40] else 0)

    def _anchored(self, kind: str, content: str) -> str:
        if kind in {"box", "vml"}:
            self.shapes += 1
            paragraphs = "".join(f"<w:p>{_runs(p)}</w:p>" for p in content.split("|"))
            return f"<w:r>{self._text_box(kind, paragraphs)}</w:r>"
        number = len(self.notes[kind]) + 1
        if kind == "comment":
            author, _, content = content.partition(":")
            self.notes[kind].append(
                f'<w:comment w:id="{number}" w:author={quoteattr(author)} '
                f'w:date="2024-03-05T10:00:00Z"><w:p>{_runs(content)}</w:p></w:comment>'
            )
            return (
                f'<w:commentRangeStart w:id="{number}"/><w:commentRangeEnd w:id="{number}"/>'
                f'<w:r><w:commentReference w:id="{number}"/></w:r>'
            )
        self.notes[kind].append(
            f'<w:{kind} w:id="{number}"><w:p><w:r><w:{kind}Ref/></w:r>{_runs(" " + content)}</w:p></w:{kind}>'
        )
        return f'<w:r><w:{_NOTE_TAGS[kind]} w:id="{number}"/></w:r>'

    def _text_box(self, kind: str, paragraphs: str) -> str:
        """A text box as Word writes it: DrawingML, with a VML copy for older readers."""
        vml = (
            f'<w:pict><v:shape id="Textruta{self.shapes}" type="#_x0000_t202" '
            'style="width:160pt;height:40pt"><v:textbox>'
            f"<w:txbxContent>{paragraphs}</w:txbxContent></v:textbox></v:shape></w:pict>"
        )
        if kind == "vml":
            return vml
        drawing = (
            '<w:drawing><wp:inline><wp:extent cx="2032000" cy="508000"/>'
            f'<wp:docPr id="{self.shapes}" name="Textruta {self.shapes}"/><a:graphic>'
            "<a:graphicData "
            'uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
            '<wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr/>'
            f"<wps:txbx><w:txbxContent>{paragraphs}</w:txbxContent></wps:txbx>"
            "<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:inline></w:drawing>"
        )
        return (
            f'<mc:AlternateContent><mc:Choice Requires="wps">{drawing}</mc:Choice>'
            f"<mc:Fallback>{vml}</mc:Fallback></mc:AlternateContent>"
        )

    def parts(self) -> dict[str, str]:
        """``word/footnotes.xml`` and the like, for the notes and comments written."""
        found = {}
        for kind, notes in self.notes.items():
            if notes:
                separators = _SEPARATORS.format(kind) if kind != "comment" else ""
                found[f"word/{kind}s.xml"] = (
                    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                    f'<w:{kind}s xmlns:w="{_W}">{separators}{"".join(notes)}</w:{kind}s>'
                )
        return found


def write_docx(path: Path, paragraphs: list[str], *, bold_labels: bool = False, tab_stops: int = 0) -> Path:
    """Write ``paragraphs`` as a Word document at ``path``.

    With ``bold_labels``, text up to and including the first ``:`` of each paragraph is set in
    its own bold run, as transcribers often format speaker labels (this splits the label and
    the utterance across runs, which a reader must join). ``tab_stops`` gives every paragraph
    that many tab stop definitions, as transcription software writes them.
    """
    package = _Package()
    body = "".join(package.paragraph(para, bold_labels, tab_stops) for para in paragraphs)
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f"<w:document {_NAMESPACES}><w:body>{body}<w:sectPr/></w:body></w:document>"
    )
    parts = package.parts()
    overrides = "".join(f'<Override PartName="/{name}" ContentType="{_TYPE}.{name[5:-4]}+xml"/>' for name in parts)
    relations = "".join(
        f'<Relationship Id="rId{n}" Type="{_REL}/{name[5:-4]}" Target="{name[5:]}"/>'
        for n, name in enumerate(parts, start=1)
    )
    path = Path(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" '
            'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            f'<Override PartName="/word/document.xml" ContentType="{_TYPE}.document.main+xml"/>'
            f"{overrides}</Types>",
        )
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("word/document.xml", document)
        if parts:
            zf.writestr(
                "word/_rels/document.xml.rels",
                '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                f'<Relationships xmlns="{_PACKAGE_RELS}">{relations}</Relationships>',
            )
        for name, xml in parts.items():
            zf.writestr(name, xml)
    return path
