"""PDF reader: turns from the text layer, page furniture removed and reported, bad files refused."""

from __future__ import annotations

import io
import json
import logging
import random
import re
import subprocess
import sys
from collections.abc import Callable
from importlib.util import find_spec
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from mda_coder.core.errors import InputError
from mda_coder.core.transcript import LEFT_OUT, Doubt, ParsedTranscript
from mda_coder.ingest import read_transcript
from mda_coder.ingest.pdf import MAX_PAGES, pdf_text
from tests.support.pdf_writer import pdf_bytes, write_pdf

ROOT = Path(__file__).resolve().parents[1]
Turns = list[tuple[str | None, str, float | None]]


def turns_of(parsed: ParsedTranscript) -> Turns:
    """Who speaks, the exact utterance cut from the text, and when."""
    return [(t.speaker, t.span.of(parsed.text), t.time) for t in parsed.turns]


# An interview as a transcription service lays it out: `[mm:ss] LABEL:` on a line of its own,
# the utterance hard-wrapped below, " " lines between turns (Word's empty paragraphs), a
# running header and footer and the page number on every page. One turn runs across a page
# break; the next page opens with a turn header.
INTERVIEW = [
    [
        "Confidential",
        "[00:10] RESEARCHER:",
        "Thanks for making time today. Could you start by telling me what your",
        "team does from day to day?",
        " ",
        "[00:18] PARTICIPANT 4:",
        "Sure. We maintain the booking system for the regional clinics. Most",
        "mornings start with a short stand-up, and then we pair on whatever is   ",
        "Interview A",
        "1",
    ],
    [
        "Confidential",
        "most urgent for the nurses that week.",
        " ",
        "[00:41] RESEARCHER:",
        "And who decides what counts as urgent?",
        " ",
        "Interview A",
        "2",
    ],
    [
        "Confidential",
        "[00:47] PARTICIPANT 4:",
        "The product owner, after she has talked to the ward managers.",
        "Interview A",
        "3",
    ],
]

INTERVIEW_TURNS: Turns = [
    (
        "RESEARCHER",
        "Thanks for making time today. Could you start by telling me what your\nteam does from day to day?",
        10.0,
    ),
    (
        "PARTICIPANT 4",
        "Sure. We maintain the booking system for the regional clinics. Most\n"
        "mornings start with a short stand-up, and then we pair on whatever is\n"
        "most urgent for the nurses that week.",
        18.0,
    ),
    ("RESEARCHER", "And who decides what counts as urgent?", 41.0),
    ("PARTICIPANT 4", "The product owner, after she has talked to the ward managers.", 47.0),
]

FURNITURE = Doubt(
    LEFT_OUT,
    None,
    '3 page numbers, 3 running headers "Confidential", 3 running footers "Interview A"',
    "removed from the text",
)


def test_an_interview_reads_turn_by_turn_across_page_breaks(tmp_path: Path) -> None:
    parsed = read_transcript(write_pdf(tmp_path / "interview.pdf", INTERVIEW, compress=True))
    assert turns_of(parsed) == INTERVIEW_TURNS
    assert (parsed.format, parsed.layout, parsed.encoding) == ("pdf", "timestamp-label", "pdf")
    assert parsed.speaker_labels == ("RESEARCHER", "PARTICIPANT 4")
    assert parsed.doubts == (FURNITURE,)
    assert not re.search(r"Confidential|Interview A|^\d$|[ \t]$", parsed.text, re.MULTILINE)


SWEDISH = [
    [
        "[00:05] INTERVJUARE:",
        "Välkommen. Kan du börja med att berätta hur en vanlig vecka ser ut för",
        "dig på kontoret?",
        " ",
        "[00:14] DELTAGARE 2:",
        "Måndagar går åt till möten med arbetsgivare, och på tisdagar träffar jag",
        "Sida 1 av 2",
    ],
    [
        "de sökande en och en. Det blir ofta långa samtal om vad de vill göra.",
        " ",
        "[00:37] INTERVJUARE:",
        "Hur märks förtroendet i de samtalen?",
        "Sida 2 av 2",
    ],
]

DANISH = [
    [
        "Fortroligt",
        "[01:02] INTERVIEWER:",
        "Hvordan oplever du mødet med borgerne på jobcentret?",
        " ",
        "[01:09] DELTAGER 3:",
        "Det går godt. Vi prøver at se på hele personen og ikke kun på",
        "- 1 -",
    ],
    [
        "Fortroligt",
        "ledighedsperioden, så de får en plan, der føles rigtig for dem.",
        " ",
        "[01:30] INTERVIEWER:",
        "Og hvad med de unge, der står uden for arbejdsmarkedet?",
        "- 2 -",
    ],
]


@pytest.mark.parametrize(
    ("pages", "expected", "removed"),
    [
        (
            SWEDISH,
            [
                (
                    "INTERVJUARE",
                    "Välkommen. Kan du börja med att berätta hur en vanlig vecka ser ut för\ndig på kontoret?",
                    5.0,
                ),
                (
                    "DELTAGARE 2",
                    "Måndagar går åt till möten med arbetsgivare, och på tisdagar träffar jag\n"
                    "de sökande en och en. Det blir ofta långa samtal om vad de vill göra.",
                    14.0,
                ),
                ("INTERVJUARE", "Hur märks förtroendet i de samtalen?", 37.0),
            ],
            "2 page numbers",
        ),
        (
            DANISH,
            [
                ("INTERVIEWER", "Hvordan oplever du mødet med borgerne på jobcentret?", 62.0),
                (
                    "DELTAGER 3",
                    "Det går godt. Vi prøver at se på hele personen og ikke kun på\n"
                    "ledighedsperioden, så de får en plan, der føles rigtig for dem.",
                    69.0,
                ),
                ("INTERVIEWER", "Og hvad med de unge, der står uden for arbejdsmarkedet?", 90.0),
            ],
            '2 page numbers, 2 running headers "Fortroligt"',
        ),
    ],
    ids=["sv", "da"],
)
def test_swedish_and_danish_interviews(tmp_path: Path, pages: list[list[str]], expected: Turns, removed: str) -> None:
    parsed = read_transcript(write_pdf(tmp_path / "intervju.pdf", pages))
    assert turns_of(parsed) == expected
    assert parsed.doubts == (Doubt(LEFT_OUT, None, removed, "removed from the text"),)


def test_page_numbers_at_the_top_and_pages_printed_from_page_two() -> None:
    # A title page without a number, then "2", "3" at the top: the numbers follow the pages.
    pages = [
        ["Fokusgrupp 3, arbetsförmedlingen", "I: Välkomna."],
        ["2", "R1: Tack. Jag börjar gärna."],
        ["3", "R2: Och jag fortsätter."],
    ]
    text, doubts = pdf_text(pdf_bytes(pages))
    assert text.splitlines() == [
        "Fokusgrupp 3, arbetsförmedlingen",
        "I: Välkomna.",
        "R1: Tack. Jag börjar gärna.",
        "R2: Och jag fortsätter.",
    ]
    assert doubts == (Doubt(LEFT_OUT, None, "2 page numbers", "removed from the text"),)


def test_a_number_someone_said_at_the_foot_of_one_page_stays() -> None:
    pages = [
        ["I: Hur många möten hade ni förra veckan?", "R1:", "7"],
        ["I: Och veckan innan?", "R1:", "fem, tror jag"],
        ["I: Tack.", "R1: Varsågod."],
    ]
    text, doubts = pdf_text(pdf_bytes(pages))
    assert text.splitlines()[2] == "7"
    assert doubts == ()


def test_a_line_repeated_on_few_pages_is_speech_not_a_footer() -> None:
    pages = [
        ["I: Ska vi ta en paus?", "R1: Ja."],
        ["I: Är alla tillbaka?", "R1: Ja."],
        ["I: Då fortsätter vi med nästa fråga.", "R2: Gärna."],
        ["I: Något mer innan vi slutar?", "R2: Nej."],
    ]
    text, doubts = pdf_text(pdf_bytes(pages))
    assert text.count("R1: Ja.") == 2
    assert doubts == ()


def test_a_page_without_text_among_pages_with_text_is_reported(tmp_path: Path) -> None:
    pages = [
        ["I: Här är bilden vi pratade om."],
        None,
        ["R1: Ja, den känner jag igen.", "R2: Jag med."],
        None,
    ]
    parsed = read_transcript(write_pdf(tmp_path / "bild.pdf", pages))
    assert turns_of(parsed) == [
        ("I", "Här är bilden vi pratade om.", None),
        ("R1", "Ja, den känner jag igen.", None),
        ("R2", "Jag med.", None),
    ]
    assert parsed.doubts == (
        Doubt(
            LEFT_OUT,
            2,
            "page 2 has no text (an image?)",
            "nothing imported from it; it comes before this line",
        ),
        Doubt(
            LEFT_OUT,
            3,
            "page 4 has no text (an image?)",
            "nothing imported from it; it comes after this line",
        ),
    )


def test_pypdf_notes_on_a_repaired_file_never_reach_the_terminal(
    tmp_path: Path, caplog: pytest.LogCaptureFixture, capfd: pytest.CaptureFixture[str]
) -> None:
    caplog.set_level(logging.DEBUG)
    path = write_pdf(tmp_path / "lagad.pdf", [["I: Hej.", "R1: Hej hej."]], stray_xref_entry=True)
    assert [t[0] for t in turns_of(read_transcript(path))] == ["I", "R1"]
    assert [r.getMessage() for r in caplog.records if r.name.startswith("pypdf")] == []
    assert capfd.readouterr().err == ""
    assert logging.getLogger("pypdf").level == logging.NOTSET


def _encrypted(user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(pdf_bytes([["I: Hej.", "R1: Hej."]]))))
    writer.encrypt(user_password=user_password, owner_password="ägaren", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_an_empty_user_password_opens_the_file(tmp_path: Path) -> None:
    path = tmp_path / "skyddad.pdf"
    path.write_bytes(_encrypted(""))
    assert turns_of(read_transcript(path)) == [("I", "Hej.", None), ("R1", "Hej.", None)]


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "brev.pdf",
            lambda: b"Hej Anna, har du transkriptet?\n",
            "brev.pdf: not a PDF file (it does not start with %PDF-)",
        ),
        ("trasig.pdf", lambda: b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog", "trasig.pdf: damaged PDF file ("),
        ("hemlig.pdf", lambda: _encrypted("hemligt"), "hemlig.pdf: is encrypted with a password: open it"),
        (
            "skannad.pdf",
            lambda: pdf_bytes([None, None]),
            "skannad.pdf: has no text layer (scanned pages?): run OCR on it first, "
            "or export the transcript as .docx or .txt",
        ),
        ("tom.pdf", lambda: pdf_bytes([]), "tom.pdf: has no pages"),
        (
            "lang.pdf",
            lambda: pdf_bytes([[]] * (MAX_PAGES + 1)),
            f"lang.pdf: has {MAX_PAGES + 1:,} pages: refused (limit {MAX_PAGES:,})",
        ),
    ],
    ids=["not-pdf", "damaged", "password", "scanned", "no-pages", "too-many-pages"],
)
def test_refusals_are_one_line_naming_the_file(
    tmp_path: Path, name: str, content: Callable[[], bytes], message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content())
    with pytest.raises(InputError) as caught:
        read_transcript(path)
    assert str(caught.value).startswith(f"{tmp_path / message}")
    assert "\n" not in str(caught.value)


@pytest.mark.skipif(
    find_spec("cryptography") is not None,
    reason="pypdf decrypts AES itself when cryptography is installed",
)
def test_aes_without_cryptography_is_refused_with_what_to_install(tmp_path: Path) -> None:
    path = tmp_path / "aes.pdf"
    path.write_bytes(pdf_bytes([["I: Hej.", "R1: Hej."]], aes_empty_password=True))
    with pytest.raises(InputError) as caught:
        read_transcript(path)
    assert str(caught.value) == (
        f"{path}: is encrypted (AES, even without a password), which needs the 'cryptography' "
        "package: pip install cryptography, or save it as a PDF without protection"
    )


def _mutants(data: bytes) -> list[bytes]:
    """Damaged copies of ``data``: truncated, bytes overwritten, a content stream emptied."""
    rng = random.Random(20240517)
    found: list[bytes] = [data[:cut] for cut in range(len(data) // 8, len(data), len(data) // 8)]
    for _ in range(60):
        mutant = bytearray(data)
        for _ in range(rng.randint(1, 8)):
            mutant[rng.randrange(9, len(mutant))] = rng.randrange(256)
        found.append(bytes(mutant))
    content = rb"<< /Length \d+ /Filter /FlateDecode >>\nstream\n.*?\nendstream"
    found.append(re.sub(content, b"<< /Length 0 >>\nstream\n\nendstream", data, count=1, flags=re.DOTALL))
    found.append(data.replace(b"/FlateDecode", b"/LZWDecode"))
    return found


def test_damaged_files_never_show_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "skadad.pdf"
    outcomes = {"read": 0, "refused": 0}
    for mutant in _mutants(pdf_bytes(INTERVIEW, compress=True)):
        path.write_bytes(mutant)
        try:
            read_transcript(path)
        except InputError as err:
            assert str(err).startswith(f"{path}: ") and "\n" not in str(err), str(err)
            outcomes["refused"] += 1
        else:
            outcomes["read"] += 1
    assert outcomes["refused"] > 0 and outcomes["read"] > 0, outcomes


def test_import_through_the_command_line(tmp_path: Path, mini_codebook: Path) -> None:
    runner = CliRunner()
    project = tmp_path / "studie.mda"
    pdf = write_pdf(tmp_path / "intervju_a.pdf", INTERVIEW, compress=True)
    done = runner.invoke(cli, ["init", str(project), "--language", "en", "--codebook", str(mini_codebook)])
    assert done.exit_code == 0, done.output
    done = runner.invoke(cli, ["import", str(project), str(pdf), "--group", "A"])
    assert done.exit_code == 0, done.output
    assert "intervju_a.pdf → intervju_a: 2 speakers, 4 turns" in done.output
    assert "timestamp-label, pdf" in done.output
    done = runner.invoke(cli, ["turns", str(project), "intervju_a", "--json"])
    assert done.exit_code == 0, done.output
    assert [(t["speaker"], t["text"]) for t in json.loads(done.output)] == [
        (speaker, text) for speaker, text, _ in INTERVIEW_TURNS
    ]
    (tmp_path / "inte.pdf").write_bytes(b"PK\x03\x04 a zip, not a PDF")
    done = runner.invoke(cli, ["import", str(project), str(tmp_path / "inte.pdf")])
    assert done.exit_code != 0
    assert "inte.pdf: not a PDF file" in done.output
    assert "Traceback" not in done.output


def test_reading_pdfs_is_the_only_thing_that_imports_pypdf() -> None:
    script = "import sys, mda_coder.ingest, mda_coder.services.importing, mda_coder.cli; print('pypdf' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.split() == ["False"]
