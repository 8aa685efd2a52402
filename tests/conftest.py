"""Shared fixtures: real project files in tmp_path, and the bundled sample data."""

from __future__ import annotations

from pathlib import Path

import pytest

from mda_coder.services.project import create_project
from mda_coder.store.engine import Database

ROOT = Path(__file__).resolve().parents[1]
CODEBOOK = ROOT / "codebooks" / "mda.yaml"

MINI_CODEBOOK = """\
name: Mini
language: sv
codes:
  - name: tilltro
    key: "1"
    color: "#4e79a7"
    definition: {sv: "Tro på deltagarens förmåga att nå arbete.", en: "Belief in the participant's ability to reach work."}
    children:
      - name: uttryckt
      - name: tvivel
  - name: jobbfokus
    key: "2"
    definition: Arbete som överordnat mål.
  - name: hållning
    exclusive: true
    children:
      - name: positiv
      - name: neutral
      - name: negativ
"""

TRANSCRIPT = """\
Fokusgrupp 9, testkommun

I: Välkomna. Vad betyder tilltro för er?
R1: Att jag tror på deltagaren. Även när det går trögt.
R2: Mm. Och att vi fokuserar på jobb... hela tiden.
I: Hur märks det?
R1: Vi pratar om arbete i varje möte.
"""


@pytest.fixture
def mini_codebook(tmp_path: Path) -> Path:
    path = tmp_path / "mini.yaml"
    path.write_text(MINI_CODEBOOK, encoding="utf-8")
    return path


@pytest.fixture
def transcript(tmp_path: Path) -> Path:
    path = tmp_path / "FG9.txt"
    path.write_text(TRANSCRIPT, encoding="utf-8")
    return path


@pytest.fixture
def project(tmp_path: Path, mini_codebook: Path) -> Database:
    db = create_project(tmp_path / "studie.mda", "sv", mini_codebook, actor="test")
    yield db
    db.close()
