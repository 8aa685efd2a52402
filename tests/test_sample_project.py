"""The bundled sample project builds as the README promises, with the codings on the intended text."""

from __future__ import annotations

from pathlib import Path

import pytest

from mda_coder.services import queries
from mda_coder.services.coding import export_rows
from mda_coder.services.project import summary
from mda_coder.services.sample import build_sample_project, sample_root
from mda_coder.store.engine import Database


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Database:
    db = build_sample_project(tmp_path_factory.mktemp("sample") / "sample.mda")
    yield db
    db.close()


def test_sample_has_three_focus_groups_in_three_layouts(sample: Database) -> None:
    docs = {d.name: d for d in queries.documents(sample)}
    assert {n: (d.format, d.layout, d.group, d.speakers, d.turns) for n, d in docs.items()} == {
        "FG1_Norrvik": ("txt", "label-colon", "FG1", 6, 110),
        "FG2_Sjöstad": ("docx", "label-colon", "FG2", 6, 105),
        "FG3_Älvdala_zoom": ("vtt", "webvtt-zoom", "FG3", 5, 111),
    }
    assert all(d.words >= 2000 for d in docs.values())
    roles = {s.label: s.role for s in queries.speakers(sample, "FG1_Norrvik")}
    assert roles["I"] == "moderator" and roles["R4"] == "enhetschef"
    turns = queries.turns(sample, "FG3_Älvdala_zoom")
    assert turns[0].speaker == "Annika Persson" and turns[0].time == pytest.approx(3.12)


def test_sample_codings_land_on_the_intended_turns(sample: Database) -> None:
    s = summary(sample)
    assert s.coders == ("anna", "erik")
    csv_lines = (sample_root() / "transcripts_sample" / "codings_sample.csv").read_text(encoding="utf-8").splitlines()
    assert s.codings == len(csv_lines) - 1
    rows = export_rows(sample, document="FG1_Norrvik", coder="anna")
    first = rows[0]
    assert (first.turn, first.speaker, first.code) == (2, "R1", "tilltro/tilltro som relation")
    assert first.text.startswith("Ja men jag kan börja. Alltså, för mig handlar det om att jag faktiskt")
    # Nothing is coded on the moderator's closing words.
    assert not [r for r in export_rows(sample) if r.text.startswith("Tack så mycket")]


def test_sample_root_is_the_checkout() -> None:
    assert (sample_root() / "codebooks" / "mda.yaml").is_file()
    assert sample_root() == Path(__file__).resolve().parents[1]
