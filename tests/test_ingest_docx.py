"""Word .docx reader: paragraph text from real .docx files, and refusal of non-documents."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from mda_coder.core.errors import InputError
from mda_coder.ingest import read_transcript
from mda_coder.ingest.docx import docx_text
from tests.support.docx_writer import write_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _raw_docx(path: Path, body: str, *, prolog: str = "") -> bytes:
    """A .docx whose ``word/document.xml`` body is the given WordprocessingML."""
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f'<w:document xmlns:w="{W}"><w:body>{body}<w:sectPr/></w:body></w:document>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", document)
    return path.read_bytes()


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def test_bold_labels_and_tabs_join_runs(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "fokusgrupp.docx",
        [
            "I:\tVälkomna, vi pratar om förtroende för deltagarna.",
            "R1: Jag litar på dem tills motsatsen är bevisad.",
            "00:01:23\tR2\tFör mig handlar det om jobbfokus\noch om rättigheter.",
            "",
        ],
        bold_labels=True,
    )
    assert docx_text(path.read_bytes()) == (
        "I:\tVälkomna, vi pratar om förtroende för deltagarna.\n"
        "R1: Jag litar på dem tills motsatsen är bevisad.\n"
        "00:01:23\tR2\tFör mig handlar det om jobbfokus\noch om rättigheter.\n"
    )


@pytest.mark.parametrize(
    ("body", "text"),
    [
        (
            "<w:p>" + _run("Arbetslinjen")
            + "<w:del><w:r><w:delText>inte </w:delText></w:r></w:del>"
            "<w:ins>" + _run(" gäller") + "</w:ins>" + _run(" alla.") + "</w:p>",
            "Arbetslinjen gäller alla.",
        ),
        (
            "<w:p><w:r><w:t>Försörjnings</w:t><w:noBreakHyphen/><w:t>stöd</w:t><w:cr/>"
            "<w:t>och</w:t><w:tab/><w:t>bistånd</w:t></w:r></w:p>",
            "Försörjnings-stöd\noch\tbistånd",
        ),
        (
            "<w:p>" + _run("Före tabellen") + "</w:p><w:tbl><w:tblPr/>"
            "<w:tr><w:tc><w:p>" + _run("00:02:10") + "</w:p></w:tc>"
            "<w:tc><w:p>" + _run("R3") + "</w:p></w:tc>"
            "<w:tc><w:p>" + _run("Man måste kunna lita på folk.") + "</w:p>"
            "<w:p>" + _run("Annars fungerar inget.") + "</w:p></w:tc></w:tr>"
            "<w:tr><w:tc><w:p/></w:tc><w:tc><w:p>" + _run("I") + "</w:p></w:tc>"
            "<w:tc><w:p>" + _run("Tack.") + "</w:p></w:tc></w:tr></w:tbl>"
            "<w:p>" + _run("Efter tabellen") + "</w:p>",
            "Före tabellen\n00:02:10\tR3\tMan måste kunna lita på folk. Annars fungerar inget.\n"
            "\tI\tTack.\nEfter tabellen",
        ),
        (
            "<w:p><w:pPr><w:tabs><w:tab w:val=\"left\" w:pos=\"720\"/></w:tabs></w:pPr>"
            "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
            "<w:r><w:instrText> PAGE </w:instrText></w:r>"
            "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>" + _run("3")
            + "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>" + _run(" sidor") + "</w:p>",
            "3 sidor",
        ),
    ],
    ids=["revisions", "special-characters", "table-rows", "fields-and-tab-stops"],
)
def test_wordprocessingml_details(tmp_path: Path, body: str, text: str) -> None:
    assert docx_text(_raw_docx(tmp_path / "doc.docx", body)) == text


def test_not_a_zip() -> None:
    with pytest.raises(InputError) as caught:
        docx_text("R1: Det här är vanlig text.\n".encode())
    assert str(caught.value).startswith("not a Word .docx file (not a zip archive")


def test_zip_without_document(tmp_path: Path) -> None:
    path = tmp_path / "arkiv.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("anteckningar.txt", "R1: hej")
    with pytest.raises(InputError) as caught:
        docx_text(path.read_bytes())
    assert str(caught.value) == "not a Word .docx file (no word/document.xml)"


def test_broken_xml(tmp_path: Path) -> None:
    path = tmp_path / "trasig.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("word/document.xml", "<w:document><w:body><w:p></w:body>")
    with pytest.raises(InputError) as caught:
        docx_text(path.read_bytes())
    assert str(caught.value).startswith("not a Word .docx file (its XML is broken: ")
    assert "\n" not in str(caught.value)


def test_entity_declarations_are_refused(tmp_path: Path) -> None:
    prolog = '<!DOCTYPE w:document [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
    data = _raw_docx(tmp_path / "bomb.docx", "<w:p><w:r><w:t>&b;</w:t></w:r></w:p>", prolog=prolog)
    with pytest.raises(InputError) as caught:
        docx_text(data)
    assert str(caught.value) == (
        "word/document.xml contains a DOCTYPE or ENTITY declaration; refused for safety"
    )


def test_oversized_document_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size limit is read from the zip directory, before anything is decompressed."""
    monkeypatch.setattr("mda_coder.ingest.docx.MAX_DOCUMENT_BYTES", 1024)
    data = _raw_docx(tmp_path / "stor.docx", "<w:p>" + _run("bistånd " * 500) + "</w:p>")
    with pytest.raises(InputError) as caught:
        docx_text(data)
    assert str(caught.value).startswith("word/document.xml is too large (")


def test_main_part_named_by_package_relationships(tmp_path: Path) -> None:
    path = tmp_path / "annan.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            "_rels/.rels",
            '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            '<Relationship Id="rId1" Target="/word/document2.xml" Type="http://schemas.'
            'openxmlformats.org/officeDocument/2006/relationships/officeDocument"/>'
            "</Relationships>",
        )
        archive.writestr(
            "word/document2.xml",
            f'<w:document xmlns:w="{W}"><w:body><w:p>{_run("R1: Hej")}</w:p></w:body></w:document>',
        )
    assert docx_text(path.read_bytes()) == "R1: Hej"


# --- through read_transcript: the .docx text goes to the plain-text layout detector ---

Row = tuple[str | None, float | None, str]


def _turns(path: Path) -> list[Row]:
    parsed = read_transcript(path)
    return [(t.speaker, t.time, t.span.of(parsed.text)) for t in parsed.turns]


def test_read_bold_labels_with_tabs(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "FG3.docx",
        [
            "Fokusgrupp 3, Malmö",
            "I:\tVälkomna allihop. Hur ser ni på deltagarnas förmåga?",
            "R1:\tJag litar på dem.\nDe vill ju jobba.",
            "R2:\tMen kraven måste finnas.",
            "I:\tBerätta mer.",
            "R1:\tSociala rättigheter är grunden.",
        ],
        bold_labels=True,
    )
    parsed = read_transcript(path)
    assert (parsed.format, parsed.encoding, parsed.layout) == ("docx", "docx", "label-colon")
    assert parsed.text.startswith("Fokusgrupp 3, Malmö\nI:\tVälkomna allihop.")
    assert parsed.speaker_labels == ("I", "R1", "R2")
    assert parsed.speakers[0].role == "moderator"
    assert _turns(path) == [
        ("I", None, "Välkomna allihop. Hur ser ni på deltagarnas förmåga?"),
        ("R1", None, "Jag litar på dem.\nDe vill ju jobba."),
        ("R2", None, "Men kraven måste finnas."),
        ("I", None, "Berätta mer."),
        ("R1", None, "Sociala rättigheter är grunden."),
    ]


def test_read_timestamp_tab_label_rows(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "FG4.docx",
        [
            "00:01:23\tR1\tJag tror på deltagarna.",
            "00:01:40\tR2\tJobbfokus är allt för oss.",
            "00:02:05\tR1\tFast rättigheterna då?",
        ],
    )
    assert read_transcript(path).speaker_labels == ("R1", "R2")
    assert _turns(path) == [
        ("R1", 83.0, "Jag tror på deltagarna."),
        ("R2", 100.0, "Jobbfokus är allt för oss."),
        ("R1", 125.0, "Fast rättigheterna då?"),
    ]


def test_read_word_table_rows(tmp_path: Path) -> None:
    cells = [("00:00:05", "I", "Hur viktigt är jobbet?"), ("00:00:09", "R1", "Det är allt.")]
    rows = "".join(
        "<w:tr>" + "".join(f"<w:tc><w:p>{_run(c)}</w:p></w:tc>" for c in row) + "</w:tr>"
        for row in cells
    )
    path = tmp_path / "tabell.docx"
    _raw_docx(path, f"<w:tbl>{rows}</w:tbl>")
    assert _turns(path) == [("I", 5.0, "Hur viktigt är jobbet?"), ("R1", 9.0, "Det är allt.")]


def test_read_document_without_labels(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "anteckningar.docx",
        [
            "Vi pratade om förtroende.",
            "Sedan om arbetslinjen och kraven.",
            "Till sist om sociala rättigheter.",
        ],
    )
    parsed = read_transcript(path)
    assert parsed.speakers == ()
    assert _turns(path) == [
        (None, None, "Vi pratade om förtroende."),
        (None, None, "Sedan om arbetslinjen och kraven."),
        (None, None, "Till sist om sociala rättigheter."),
    ]


def test_read_zip_that_is_not_a_docx(tmp_path: Path) -> None:
    path = tmp_path / "arkiv.docx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text")
        archive.writestr("content.xml", "<office:document-content/>")
    with pytest.raises(InputError) as caught:
        read_transcript(path)
    assert str(caught.value) == f"{path}: not a Word .docx file (no word/document.xml)"


def test_read_file_that_is_not_a_zip(tmp_path: Path) -> None:
    path = tmp_path / "omdöpt.docx"
    path.write_text("I: Det här är egentligen en textfil.\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_transcript(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: not a Word .docx file (not a zip archive")
    assert "\n" not in message


def test_read_docx_without_text(tmp_path: Path) -> None:
    path = write_docx(tmp_path / "tom.docx", ["", "   "])
    with pytest.raises(InputError) as caught:
        read_transcript(path)
    assert str(caught.value) == f"{path}: the file has no text"
