"""Decoding at the boundary, and read_transcript's one-line errors for files it cannot read."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from mda_coder.core.errors import InputError
from mda_coder.ingest import SUPPORTED_SUFFIXES, read_transcript
from mda_coder.ingest.encoding import decode

SAMPLE = (
    "I: Välkomna! Vad betyder “tillit” för er?\n"
    "R1: Att man litar på deltagaren – även när det går trögt…\n"
    "R2: Jobbfokus, förstås. Och sociala rättigheter.\n"
    "I: Tack så mycket.\n"
)

ENCODINGS = [
    ("utf-8", b"", "utf-8"),
    ("utf-8", codecs.BOM_UTF8, "utf-8-sig"),
    ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),
    ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
    ("utf-32-le", codecs.BOM_UTF32_LE, "utf-32-le"),
    ("cp1252", b"", "cp1252"),
]
NEWLINES = {"lf": "\n", "crlf": "\r\n", "cr": "\r"}


@pytest.mark.parametrize("newline", NEWLINES, ids=list(NEWLINES))
@pytest.mark.parametrize(("codec", "bom", "name"), ENCODINGS, ids=[name for _, _, name in ENCODINGS])
def test_same_text_whatever_the_encoding(tmp_path: Path, codec: str, bom: bytes, name: str, newline: str) -> None:
    path = tmp_path / "FG1.txt"
    path.write_bytes(bom + SAMPLE.replace("\n", NEWLINES[newline]).encode(codec))
    parsed = read_transcript(path)
    assert parsed.text == SAMPLE
    assert parsed.encoding == name
    assert [(t.speaker, t.span.of(parsed.text)) for t in parsed.turns] == [
        ("I", "Välkomna! Vad betyder “tillit” för er?"),
        ("R1", "Att man litar på deltagaren – även när det går trögt…"),
        ("R2", "Jobbfokus, förstås. Och sociala rättigheter."),
        ("I", "Tack så mycket."),
    ]


def test_subtitles_are_decoded_too(tmp_path: Path) -> None:
    path = tmp_path / "möte.VTT"
    vtt = "WEBVTT\r\n\r\n00:00:01.000 --> 00:00:02.000\r\nAnna Berg: Tillit – först.\r\n"
    path.write_bytes(codecs.BOM_UTF8 + vtt.encode("utf-8"))
    parsed = read_transcript(path)
    assert (parsed.text, parsed.encoding, parsed.format) == (
        "Anna Berg: Tillit – först.",
        "utf-8-sig",
        "vtt",
    )


@pytest.mark.parametrize(
    ("data", "text", "name"),
    [
        (b"Hej\r\nhopp\rsan\n", "Hej\nhopp\nsan\n", "utf-8"),
        (codecs.BOM_UTF8 + "\ufeffdubbel BOM".encode(), "dubbel BOM", "utf-8-sig"),
        (b"tecken \x81 cp1252 saknar, i \xe5r", "tecken \x81 cp1252 saknar, i år", "cp1252"),
    ],
    ids=["newlines", "doubled-bom", "cp1252-undefined-byte"],
)
def test_decode(data: bytes, text: str, name: str) -> None:
    assert decode(data) == (text, name)


@pytest.mark.parametrize(
    "data",
    [
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        bytes(range(1, 32)) * 20 + b"lite text",
        codecs.BOM_UTF16_LE + "text\x00med NUL".encode("utf-16-le"),
    ],
    ids=["nul-bytes", "control-characters", "nul-after-bom"],
)
def test_binary_is_refused(data: bytes) -> None:
    with pytest.raises(InputError) as caught:
        decode(data)
    assert str(caught.value) == "looks like a binary file, not text"


def test_error_messages(tmp_path: Path) -> None:
    binary = tmp_path / "bild.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    empty = tmp_path / "tom.txt"
    empty.write_bytes(b"")
    folder = tmp_path / "mapp.txt"
    folder.mkdir()
    rtf = tmp_path / "rapport.rtf"
    rtf.write_bytes(b"{\\rtf1\\ansi hej}")
    doc = tmp_path / "intervju.DOC"
    doc.write_bytes(b"\xd0\xcf\x11\xe0")
    bare = tmp_path / "README"
    bare.write_text("I: hej\n", encoding="utf-8")
    missing = tmp_path / "finns-inte.txt"
    supported = "(supported: .txt, .md, .docx, .pdf, .vtt, .srt)"
    expected = {
        binary: f"{binary}: looks like a binary file, not text",
        empty: f"{empty}: is empty",
        folder: f"{folder}: is a directory",
        rtf: f"{rtf}: unsupported format '.rtf' {supported}",
        doc: f"{doc}: unsupported format '.DOC': save it as .docx in Word or LibreOffice {supported}",
        bare: f"{bare}: unsupported format: the file name has no extension {supported}",
        missing: f"{missing}: no such file",
    }
    for path, message in expected.items():
        with pytest.raises(InputError) as caught:
            read_transcript(path)
        assert str(caught.value) == message


def test_permission_denied(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Patched, since the tests may run as root, for whom chmod does not deny reading."""
    path = tmp_path / "låst.md"
    path.write_text("I: hej\n", encoding="utf-8")

    def denied(self: Path) -> bytes:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "read_bytes", denied)
    with pytest.raises(InputError) as caught:
        read_transcript(path)
    assert str(caught.value) == f"{path}: cannot read (permission denied)"


def test_parser_errors_name_the_file(tmp_path: Path) -> None:
    path = tmp_path / "möte.srt"
    path.write_text("1\n00:00:01,000 -> 00:00:02,000\nHej\n", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        read_transcript(path)
    assert str(caught.value) == (f'{path}: line 2: cannot read cue timing "00:00:01,000 -> 00:00:02,000"')


def test_whitespace_only_file(tmp_path: Path) -> None:
    path = tmp_path / "blank.txt"
    path.write_bytes(b"\r\n  \r\n")
    with pytest.raises(InputError) as caught:
        read_transcript(path)
    assert str(caught.value) == f"{path}: the file has no text"


def test_markdown_suffixes_and_speaker_pattern(tmp_path: Path) -> None:
    path = tmp_path / "FG2.Markdown"
    path.write_text("# Fokusgrupp 2\n\n-- Lisa -- Vi litar på dem.\n-- Omar -- Inte jag.\n")
    parsed = read_transcript(path, speaker_pattern=r"^-- (?P<speaker>\w+) -- ")
    assert parsed.format == "md"
    assert [(t.speaker, t.span.of(parsed.text)) for t in parsed.turns] == [
        ("Lisa", "Vi litar på dem."),
        ("Omar", "Inte jag."),
    ]
    assert ".markdown" in SUPPORTED_SUFFIXES and ".text" in SUPPORTED_SUFFIXES
