"""Word .docx reader: paragraph text from real .docx files, and refusal of non-documents."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from mda_coder.core.errors import InputError
from mda_coder.core.transcript import LEFT_OUT, Doubt
from mda_coder.ingest import read_transcript
from mda_coder.ingest.docx import docx_text, read_docx
from tests.support.docx_writer import write_docx

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _raw_docx(path: Path, body: str, *, prolog: str = "", parts: dict[str, str] | None = None) -> bytes:
    """A .docx whose ``word/document.xml`` body is the given WordprocessingML."""
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?>{prolog}'
        f'<w:document xmlns:w="{W}" xmlns:v="urn:schemas-microsoft-com:vml">'
        f"<w:body>{body}<w:sectPr/></w:body></w:document>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", document)
        for name, xml in (parts or {}).items():
            archive.writestr(name, xml)
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
            "<w:p>" + _run("Arbetslinjen") + "<w:del><w:r><w:delText>inte </w:delText></w:r></w:del>"
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
            '<w:p><w:pPr><w:tabs><w:tab w:val="left" w:pos="720"/></w:tabs></w:pPr>'
            '<w:r><w:fldChar w:fldCharType="begin"/></w:r>'
            "<w:r><w:instrText> PAGE </w:instrText></w:r>"
            '<w:r><w:fldChar w:fldCharType="separate"/></w:r>'
            + _run("3")
            + '<w:r><w:fldChar w:fldCharType="end"/></w:r>'
            + _run(" sidor")
            + "</w:p>",
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
    assert str(caught.value) == ("word/document.xml contains a DOCTYPE or ENTITY declaration; refused for safety")


def test_oversized_document_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The size limit is read from the zip directory, before anything is decompressed."""
    monkeypatch.setattr("mda_coder.ingest.docx_package.MAX_DOCUMENT_BYTES", 1024)
    data = _raw_docx(tmp_path / "stor.docx", "<w:p>" + _run("bistånd " * 500) + "</w:p>")
    with pytest.raises(InputError) as caught:
        docx_text(data)
    assert str(caught.value).startswith("entry 'word/document.xml' would unpack to ")


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


# --- text boxes, tab stops, and the notes and comments that are listed, not imported ---


def test_text_boxes_are_lines_after_their_paragraph(tmp_path: Path) -> None:
    """A box anchored mid-sentence never splits the sentence; Word's VML copy is read once."""
    path = write_docx(
        tmp_path / "tekstbokse.docx",
        [
            "Interview med to socialrådgivere, Aarhus",
            "I: Hvordan oplever I borgernes{{box:Optagelsen startede|fem minutter for sent}}"
            " motivation for at komme i job?{{box:Anden boks}}",
            "R1: De fleste vil gerne arbejde.{{vml:Gammel tekstboks\tfra skabelonen}}",
            "R2: Men kravene er for hårde.",
        ],
    )
    text, doubts = read_docx(path.read_bytes())
    assert text.split("\n") == [
        "Interview med to socialrådgivere, Aarhus",
        "I: Hvordan oplever I borgernes motivation for at komme i job?",
        "Optagelsen startede",
        "fem minutter for sent",
        "Anden boks",
        "R1: De fleste vil gerne arbejde.",
        "Gammel tekstboks\tfra skabelonen",
        "R2: Men kravene er for hårde.",
    ]
    assert doubts == ()


def test_text_boxes_in_tables_and_tables_in_text_boxes(tmp_path: Path) -> None:
    inner_table = (
        "<w:tbl><w:tr><w:tc><w:p>" + _run("00:03:10") + "</w:p></w:tc>"
        "<w:tc><w:p>" + _run("R1") + "</w:p></w:tc>"
        "<w:tc><w:p>" + _run("Jag håller med.") + "</w:p></w:tc></w:tr></w:tbl>"
    )
    box = f"<w:r><w:pict><v:shape><v:textbox><w:txbxContent>{inner_table}"
    box += "<w:p>" + _run("Slut på rutan") + "</w:p>"
    box += "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
    body = (
        "<w:tbl><w:tr><w:tc><w:p>" + _run("00:03:00") + "</w:p></w:tc>"
        "<w:tc><w:p>" + _run("I") + "</w:p></w:tc>"
        "<w:tc><w:p>" + _run("Hur ser ni") + box + _run(" på kraven?") + "</w:p></w:tc></w:tr>"
        "<w:tr><w:tc><w:p>" + _run("00:03:20") + "</w:p></w:tc>"
        "<w:tc><w:p>" + _run("R2") + "</w:p></w:tc>"
        "<w:tc><w:p>" + _run("De är för hårda.") + "</w:p></w:tc></w:tr></w:tbl>"
    )
    assert docx_text(_raw_docx(tmp_path / "tabell.docx", body)).split("\n") == [
        "00:03:00\tI\tHur ser ni på kraven?",
        "00:03:10\tR1\tJag håller med.",
        "Slut på rutan",
        "00:03:20\tR2\tDe är för hårda.",
    ]


def test_speaker_label_in_a_text_box_gets_its_turn(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "fokusgrupp.docx",
        [
            "I: Vad tycker ni om kraven på deltagarna?{{box:R2: Kraven är rimliga om stödet finns.}}",
            "R1: Jag tror att de flesta vill jobba.",
            "I: Och förtroendet?",
        ],
    )
    assert _turns(path) == [
        ("I", None, "Vad tycker ni om kraven på deltagarna?"),
        ("R2", None, "Kraven är rimliga om stödet finns."),
        ("R1", None, "Jag tror att de flesta vill jobba."),
        ("I", None, "Och förtroendet?"),
    ]


def test_tab_stops_are_not_tabs(tmp_path: Path) -> None:
    """Transcription software gives every paragraph 14 tab stops; they are layout, not text."""
    path = write_docx(
        tmp_path / "interview.docx",
        ["I1: Hvordan gik mødet med jobcentret?", "X: Det gik\tfint, synes jeg."],
        tab_stops=14,
    )
    with zipfile.ZipFile(path) as archive:
        xml = archive.read("word/document.xml").decode()
    assert xml.count('<w:tab w:val="left"') == 28
    assert docx_text(path.read_bytes()) == ("I1: Hvordan gik mødet med jobcentret?\nX: Det gik\tfint, synes jeg.")


def test_footnotes_endnotes_and_comments_are_listed_not_imported(tmp_path: Path) -> None:
    long_comment = "Tjek lydfilen: " + "det er uklart hvem der taler her " * 4
    path = write_docx(
        tmp_path / "noter.docx",
        [
            "I: Velkommen til interviewet.",
            "R1: Jeg har været sagsbehandler i ti år.{{footnote:På jobcentret i Viborg.}}",
            "R2: Det passer{{comment:Mette Holm:Er det R2 eller R3?}}, vi startede samme år."
            "\nFør var det anderledes.{{footnote:Før reformen i 2015.}}",
            "I: Tak for i dag.{{endnote:Transskriberet af studentermedhjælper.}}"
            "{{comment:Mette Holm:" + long_comment + "}}",
        ],
    )
    text, doubts = read_docx(path.read_bytes())
    assert text == (
        "I: Velkommen til interviewet.\n"
        "R1: Jeg har været sagsbehandler i ti år.\n"
        "R2: Det passer, vi startede samme år.\nFør var det anderledes.\n"
        "I: Tak for i dag."
    )
    assert doubts == (
        Doubt(LEFT_OUT, 2, "På jobcentret i Viborg.", "footnote 1, not imported"),
        Doubt(LEFT_OUT, 3, "Er det R2 eller R3?", "comment by Mette Holm, not imported"),
        Doubt(LEFT_OUT, 4, "Før reformen i 2015.", "footnote 2, not imported"),
        Doubt(LEFT_OUT, 5, "Transskriberet af studentermedhjælper.", "endnote 1, not imported"),
        Doubt(
            LEFT_OUT,
            5,
            "Tjek lydfilen: det er uklart hvem der taler her det er uklart hvem der taler he…",
            "comment by Mette Holm, not imported",
        ),
    )


def _part(root: str, notes: str) -> str:
    return f'<w:{root} xmlns:w="{W}">{notes}</w:{root}>'


def test_separators_are_skipped_and_unmarked_notes_listed_last(tmp_path: Path) -> None:
    footnotes = _part(
        "footnotes",
        '<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
        '<w:footnote w:type="continuationNotice" w:id="0"><w:p>' + _run("(fortsættes)") + "</w:p></w:footnote>"
        '<w:footnote w:id="1"><w:p>' + _run("Mærket i teksten.") + "</w:p></w:footnote>"
        '<w:footnote w:id="2"><w:p>' + _run("Uden mærke.") + "</w:p></w:footnote>"
        '<w:footnote w:id="3"><w:p><w:r><w:footnoteRef/></w:r></w:p></w:footnote>',
    )
    comments = _part("comments", '<w:comment w:id="7"><w:p>' + _run("Ingen forfatter.") + "</w:p></w:comment>")
    body = (
        "<w:p>" + _run("R1: Ja.") + '<w:r><w:footnoteReference w:id="1"/></w:r>'
        '<w:r><w:footnoteReference w:id="3"/></w:r></w:p>'
        "<w:p>" + _run("R2: Nej") + '<w:r><w:footnoteReference w:customMarkFollows="1" w:id="1"/>'
        "<w:t>*</w:t></w:r></w:p>"
    )
    data = _raw_docx(
        tmp_path / "noter.docx",
        body,
        parts={"word/footnotes.xml": footnotes, "word/comments.xml": comments},
    )
    assert read_docx(data) == (
        "R1: Ja.\nR2: Nej*",
        (
            Doubt(LEFT_OUT, 1, "Mærket i teksten.", "footnote 1, not imported"),
            Doubt(LEFT_OUT, None, "Uden mærke.", "footnote (no mark in the text), not imported"),
            Doubt(
                LEFT_OUT,
                None,
                "Ingen forfatter.",
                "comment (not anchored in the text), not imported",
            ),
        ),
    )


def test_note_parts_are_found_through_the_relationships(tmp_path: Path) -> None:
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId3" Target="../noter/slut.xml" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/endnotes"/></Relationships>'
    )
    endnotes = _part("endnotes", '<w:endnote w:id="1"><w:p>' + _run("Slutnot.") + "</w:p></w:endnote>")
    body = "<w:p>" + _run("I: Hej.") + '<w:r><w:endnoteReference w:id="1"/></w:r></w:p>'
    data = _raw_docx(
        tmp_path / "slutnot.docx",
        body,
        parts={"word/_rels/document.xml.rels": rels, "noter/slut.xml": endnotes},
    )
    assert read_docx(data)[1] == (Doubt(LEFT_OUT, 1, "Slutnot.", "endnote 1, not imported"),)


def test_headers_and_footers_are_not_read(tmp_path: Path) -> None:
    """A running header or a "transcribed by" footer is not content, and not listed either."""
    rels = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        '<Relationship Id="rId1" Target="footer1.xml" Type="http://schemas.'
        'openxmlformats.org/officeDocument/2006/relationships/footer"/></Relationships>'
    )
    footer = f'<w:ftr xmlns:w="{W}"><w:p>' + _run("Transkriberad av byrån") + "</w:p></w:ftr>"
    data = _raw_docx(
        tmp_path / "sidfot.docx",
        "<w:p>" + _run("R1: Hej.") + "</w:p>",
        parts={"word/_rels/document.xml.rels": rels, "word/footer1.xml": footer},
    )
    assert read_docx(data) == ("R1: Hej.", ())


def test_deeply_nested_xml_is_refused(tmp_path: Path) -> None:
    depth = 5000
    body = "<w:p>" + "<w:hyperlink>" * depth + _run("djupt") + "</w:hyperlink>" * depth + "</w:p>"
    with pytest.raises(InputError) as caught:
        read_docx(_raw_docx(tmp_path / "djup.docx", body))
    assert str(caught.value) == "damaged Word .docx file (its XML is nested too deeply)"


@pytest.mark.parametrize(
    ("part", "xml", "message"),
    [
        (
            "word/footnotes.xml",
            '<!DOCTYPE w:footnotes [<!ENTITY a "aaaa">]>' + _part("footnotes", ""),
            "word/footnotes.xml contains a DOCTYPE or ENTITY declaration; refused for safety",
        ),
        (
            "word/comments.xml",
            _part("comments", "<w:comment><w:p>"),
            "damaged Word .docx file (word/comments.xml has broken XML: ",
        ),
        (
            "word/endnotes.xml",
            _part("endnotes", "<w:endnote><w:p>" + _run("lang slutnot " * 200) + "</w:p></w:endnote>"),
            "entry 'word/endnotes.xml' would unpack to ",
        ),
    ],
    ids=["declaration", "broken", "too-large"],
)
def test_note_parts_are_bounded_like_the_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, part: str, xml: str, message: str
) -> None:
    monkeypatch.setattr("mda_coder.ingest.docx_package.MAX_DOCUMENT_BYTES", 2000)
    data = _raw_docx(tmp_path / "d.docx", "<w:p>" + _run("R1: Hej") + "</w:p>", parts={part: xml})
    with pytest.raises(InputError) as caught:
        read_docx(data)
    assert str(caught.value).startswith(message)
    assert "\n" not in str(caught.value)


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
    rows = "".join("<w:tr>" + "".join(f"<w:tc><w:p>{_run(c)}</w:p></w:tc>" for c in row) + "</w:tr>" for row in cells)
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


def test_read_transcript_lists_what_the_docx_left_out(tmp_path: Path) -> None:
    path = write_docx(
        tmp_path / "FG5.docx",
        [
            "I: Hur började det?{{comment:Lena:Ljudet brister här}}",
            "R1: Med ett möte på arbetsförmedlingen.{{footnote:I Borås, våren 2021.}}",
            "I: Och sedan?",
            "R1: Sedan gick det fort.",
        ],
    )
    parsed = read_transcript(path)
    assert _turns(path)[1] == ("R1", None, "Med ett möte på arbetsförmedlingen.")
    assert [d for d in parsed.doubts if d.kind == LEFT_OUT] == [
        Doubt(LEFT_OUT, 1, "Ljudet brister här", "comment by Lena, not imported"),
        Doubt(LEFT_OUT, 2, "I Borås, våren 2021.", "footnote 1, not imported"),
    ]
    lines = [d.line for d in parsed.doubts]
    assert lines == sorted(lines, key=lambda n: (n is None, n or 0))


def test_a_transcript_table_with_the_speaker_last_reads_as_turns(tmp_path: Path) -> None:
    """NVivo exports a transcript as a table: timespan, content, speaker."""

    def row(*cells: str) -> str:
        return "<w:tr>" + "".join(f"<w:tc><w:p>{_run(c)}</w:p></w:tc>" for c in cells) + "</w:tr>"

    body = (
        "<w:tbl><w:tblPr/>"
        + row("Tidsintervall", "Innehåll", "Talare")
        + row("0:00.0 - 0:06.2", "Välkomna, vi börjar med hur ni ser på kraven.", "Moderator")
        + row("0:06.2 - 0:14.9", "Kraven hjälper en del, men inte alla.", "Lena")
        + row("0:14.9 - 0:21.0", "Håller med, fast tilliten kommer först.", "Per")
        + "</w:tbl>"
    )
    path = tmp_path / "nvivo.docx"
    path.write_bytes(_raw_docx(path, body))
    parsed = read_transcript(path)
    assert [(t.speaker, t.span.of(parsed.text), t.time, t.end_time) for t in parsed.turns] == [
        ("Moderator", "Välkomna, vi börjar med hur ni ser på kraven.", 0.0, 6.2),
        ("Lena", "Kraven hjälper en del, men inte alla.", 6.2, 14.9),
        ("Per", "Håller med, fast tilliten kommer först.", 14.9, 21.0),
    ]
    assert parsed.doubts == ()
