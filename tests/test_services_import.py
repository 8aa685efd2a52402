"""Importing transcripts into a project: what is stored, what is reported, and all-or-nothing failure."""

from __future__ import annotations

from pathlib import Path

import pytest

from mda_coder.core.errors import InputError
from mda_coder.services import importing, queries
from mda_coder.services.project import summary
from mda_coder.store.engine import Database
from tests.conftest import TRANSCRIPT
from tests.support.snapshot import dump


def test_import_stores_text_exactly_with_turns_speakers_and_sentences(project: Database, transcript: Path) -> None:
    [report] = importing.import_files(project, [transcript], group="FG9")
    assert report.status == "imported"
    assert report.speakers == ("I", "R1", "R2")
    assert report.turns == 5
    [doc] = queries.documents(project)
    assert (doc.name, doc.group, doc.format, doc.turns, doc.speakers) == ("FG9", "FG9", "txt", 5, 3)
    turns = queries.turns(project, "FG9")
    assert [t.speaker for t in turns] == ["I", "R1", "R2", "I", "R1"]
    assert turns[1].text == "Att jag tror på deltagaren. Även när det går trögt."
    # The stored text is the file's text: every offset refers to it.
    assert TRANSCRIPT[turns[1].span.start : turns[1].span.end] == turns[1].text
    sentences = queries.sentences(project, "FG9", turn=2)
    assert [s.text for s in sentences] == ["Att jag tror på deltagaren.", "Även när det går trögt."]
    assert [s.text for s in queries.sentences(project, "FG9", turn=3)] == [
        "Mm.",
        "Och att vi fokuserar på jobb...",
        "hela tiden.",
    ]
    moderators = [s.label for s in queries.speakers(project, "FG9") if s.role == "moderator"]
    assert moderators == ["I"]


def test_reimporting_the_same_file_is_skipped_by_hash(project: Database, transcript: Path, tmp_path: Path) -> None:
    importing.import_files(project, [transcript])
    copy = tmp_path / "renamed copy.txt"
    copy.write_bytes(transcript.read_bytes())
    reports = importing.import_files(project, [transcript, copy])
    assert [(r.status, r.document) for r in reports] == [("skipped", "FG9"), ("skipped", "FG9")]
    assert summary(project).documents == 1


def test_same_name_different_content_gets_a_new_name(project: Database, transcript: Path, tmp_path: Path) -> None:
    importing.import_files(project, [transcript])
    other = tmp_path / "other"
    other.mkdir()
    (other / "FG9.txt").write_text(TRANSCRIPT + "R2: En sista sak.\n", encoding="utf-8")
    [report] = importing.import_files(project, [other / "FG9.txt"])
    assert report.document == "FG9 (2)"
    assert any("exists already" in w for w in report.warnings)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("empty.txt", b"", "empty.txt: is empty"),
        ("blob.txt", b"\x00\x01\x02\x03binary\x00" * 50, "blob.txt: looks like a binary file"),
        ("slides.pdf", b"%PDF-1.4", "slides.pdf: damaged PDF file ("),
        ("broken.docx", b"PK not really", "broken.docx:"),
    ],
)
def test_a_bad_file_imports_nothing(
    project: Database, transcript: Path, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    before = dump(Path(project.location))
    with pytest.raises(InputError) as err:
        importing.import_files(project, [transcript, bad])
    assert message in str(err.value)
    assert "\n" not in str(err.value)
    assert dump(Path(project.location)) == before


def test_missing_file_is_named(project: Database, tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope\.txt: no such file"):
        importing.import_files(project, [tmp_path / "nope.txt"])
