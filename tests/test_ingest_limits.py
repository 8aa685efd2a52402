"""Files past the documented limits are refused in one line; long turns are read whole."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from mda_coder.core.errors import InputError
from mda_coder.ingest import MAX_TEXT_BYTES, MAX_TEXT_CHARS, read_transcript
from mda_coder.nlp.sentences import CHUNK_CHARS, chunks, split_sentences
from tests.support.snapshot import dump


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    huge = tmp_path / "stor.txt"
    with huge.open("wb") as f:
        f.truncate(MAX_TEXT_BYTES + 2**20)  # sparse: nothing is written, nothing need be read
    with pytest.raises(InputError, match=r"stor\.txt: too large to import \(129\.0 MB; the limit is 128 MB\)$"):
        read_transcript(huge)


def test_text_past_the_character_limit_is_refused_and_the_project_unchanged(tmp_path: Path) -> None:
    project = tmp_path / "studie.mda"
    assert CliRunner().invoke(cli, ["init", str(project)]).exit_code == 0
    before = dump(project)
    line = tmp_path / "rad.txt"
    row = "R1: " + "ja " * 999 + "\n"
    text = row * (MAX_TEXT_CHARS // len(row) + 1)
    line.write_text(text, encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", str(project), str(line)])
    assert result.exit_code == 1
    assert result.output.strip() == (
        f"Error: {line}: holds {len(text):,} characters of text; the limit is "
        f"{MAX_TEXT_CHARS:,} (split it into several transcripts)"
    )
    assert dump(project) == before


def test_long_text_is_cut_at_paragraphs_then_sentences_then_spaces() -> None:
    text = ("Vi måste tro på dem. " * 30 + "\n\n") * 10
    pieces = list(chunks(text, size=1000))
    assert "".join(piece for _, piece in pieces) == text
    assert all(len(piece) <= 1000 for _, piece in pieces)
    assert all(piece.endswith("\n\n") for _, piece in pieces[:-1])
    assert [offset for offset, _ in pieces] == [sum(len(p) for _, p in pieces[:i]) for i in range(len(pieces))]
    spaced = "ord " * 600
    assert all(piece.endswith(" ") for _, piece in list(chunks(spaced, size=1000))[:-1])


def test_a_turn_longer_than_spacy_accepts_is_split_into_its_sentences() -> None:
    sentence = "Tilliten är grunden för allt vi gör här. "
    turn = sentence * (CHUNK_CHARS * 3 // len(sentence))
    [spans] = list(split_sentences([turn, "Ja."], "sv"))[:1]
    assert len(spans) == turn.count(".")
    assert all(turn[s.start : s.end] == sentence.strip() for s in spans)
