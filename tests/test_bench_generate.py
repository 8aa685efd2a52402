"""The benchmark corpus generator: deterministic, and every layout it writes reads back."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from mda_coder.ingest import read_transcript
from tests.support.bench import load_bench

DOCUMENTS = 8
"""Two of each layout: label-colon, Otter, Zoom WebVTT, SRT."""
WORDS = 400


@pytest.fixture(scope="module")
def generate() -> ModuleType:
    return load_bench("generate", "bench_generate")


def _contents(paths: list[Path]) -> list[tuple[str, bytes]]:
    return [(p.name, p.read_bytes()) for p in paths]


def test_same_seed_gives_the_same_bytes_and_another_seed_does_not(generate: ModuleType, tmp_path: Path) -> None:
    first = generate.generate_transcripts(tmp_path / "a", documents=DOCUMENTS, words_per_document=WORDS, seed=3)
    again = generate.generate_transcripts(tmp_path / "b", documents=DOCUMENTS, words_per_document=WORDS, seed=3)
    other = generate.generate_transcripts(tmp_path / "c", documents=DOCUMENTS, words_per_document=WORDS, seed=4)
    assert _contents(first) == _contents(again)
    assert [p.name for p in other] == [p.name for p in first]
    assert all(a != b for (_, a), (_, b) in zip(_contents(first), _contents(other), strict=True))


def test_every_generated_file_reads_back_in_its_layout(generate: ModuleType, tmp_path: Path) -> None:
    paths = generate.generate_transcripts(tmp_path, documents=DOCUMENTS, words_per_document=WORDS, seed=1)
    layouts = []
    for index, path in enumerate(paths):
        parsed = read_transcript(path)
        layouts.append(parsed.layout)
        assert len(parsed.speakers) == generate.planned_speakers(index, seed=1), path.name
        assert len(parsed.turns) >= len(parsed.speakers), path.name
        assert not parsed.guessed, (path.name, parsed.warnings)
        assert all(turn.speaker is not None for turn in parsed.turns), path.name
        spoken = sum(len(parsed.text[t.span.start : t.span.end].split()) for t in parsed.turns)
        assert WORDS <= spoken <= WORDS * 1.2, path.name
    assert layouts == list(generate.LAYOUTS) * (DOCUMENTS // len(generate.LAYOUTS))
