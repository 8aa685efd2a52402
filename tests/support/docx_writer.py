"""Write minimal but real Word ``.docx`` files: one paragraph per string, tabs as ``<w:tab/>``.

Word, LibreOffice and python-docx open what this writes; the tests and the sample data use
it so that every ``.docx`` fixture is made from readable source text in the repository.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

_CONTENT_TYPES = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">
<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>
<Default Extension="xml" ContentType="application/xml"/>
<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>
</Types>"""

_RELS = """<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">
<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/>
</Relationships>"""

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


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


def write_docx(path: Path, paragraphs: list[str], *, bold_labels: bool = False) -> Path:
    """Write ``paragraphs`` as a Word document at ``path``.

    With ``bold_labels``, text up to and including the first ``:`` of each paragraph is set in
    its own bold run, as transcribers often format speaker labels (this splits the label and
    the utterance across runs, which a reader must join).
    """
    body = []
    for para in paragraphs:
        bold = para.index(":") + 1 if bold_labels and ":" in para[:40] else 0
        body.append(f"<w:p>{_runs(para, bold)}</w:p>")
    document = (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
        f'<w:document xmlns:w="{_W}"><w:body>{"".join(body)}<w:sectPr/></w:body></w:document>'
    )
    path = Path(path)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", _CONTENT_TYPES)
        zf.writestr("_rels/.rels", _RELS)
        zf.writestr("word/document.xml", document)
    return path
