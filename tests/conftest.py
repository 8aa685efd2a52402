"""Shared fixtures: real project files in tmp_path, and the bundled sample data."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from mda_coder import i18n
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


@pytest.fixture(autouse=True)
def english_interface(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test sees the English interface whatever the developer's locale (LANG=sv_SE.UTF-8); the
    tests of the Swedish one set MDA_CODER_LANG themselves. ``--ui-language`` is forgotten after each test."""
    monkeypatch.setenv("MDA_CODER_LANG", "en")
    yield
    i18n.set_language(None)


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


@pytest.fixture
def pg_url() -> Iterator[str]:
    """A fresh, empty database on the test server, dropped afterwards."""
    server = os.environ.get("MDA_CODER_TEST_POSTGRES")
    if not server:
        pytest.skip("needs a PostgreSQL server: .ci/run starts one and sets MDA_CODER_TEST_POSTGRES")
    name = f"mda_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
