"""Shared fixtures: real project files in tmp_path, and the bundled sample data."""

from __future__ import annotations

import inspect
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import NoReturn

import pytest
from sqlalchemy import create_engine, text

from mda_coder import i18n
from mda_coder.services.project import create_project
from mda_coder.store.engine import Database

pytest_plugins = ["tests.support.backends"]  # pg_sample, pg_project: the same tests on the PostgreSQL server

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
    server = os.environ.get(POSTGRES)
    if not server:
        no_server()
    name = f"mda_test_{uuid.uuid4().hex[:10]}"
    admin = create_engine(server.replace("postgresql://", "postgresql+psycopg://"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = server.rsplit("/", 1)[0] + f"/{name}"
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()


POSTGRES = "MDA_CODER_TEST_POSTGRES"
"""The test server's URL (``.ci/run`` starts one and sets it); without it the ``postgres`` tests skip."""

REQUIRE_POSTGRES = "MDA_CODER_REQUIRE_POSTGRES"
"""``1`` where the ``postgres`` tests must run (CI): without a server they fail instead of skipping."""

TUI_MODULES = {"test_tmux_smoke"}
"""Modules that drive the workspace though their names do not say so (besides ``test_tui_*``); a test
elsewhere that does it through a helper carries ``@pytest.mark.tui`` itself (``test_bench_tui.py``)."""


def no_server() -> NoReturn:
    """Skip a test that needs the PostgreSQL server, or fail it where the server is required."""
    reason = f"needs a PostgreSQL server: .ci/run starts one and sets {POSTGRES}"
    if os.environ.get(REQUIRE_POSTGRES) == "1":
        pytest.fail(f"{reason} ({REQUIRE_POSTGRES}=1: these tests must run here, not skip)", pytrace=False)
    pytest.skip(reason)


def drives_the_workspace(item: pytest.Item) -> bool:
    """A Textual Pilot test, a snapshot of the app, or the workspace in a real terminal."""
    module = item.module.__name__.rpartition(".")[2] if isinstance(item, pytest.Function) else ""
    if module.startswith("test_tui_") or module in TUI_MODULES:
        return True
    if not isinstance(item, pytest.Function):
        return False
    source = inspect.getsource(item.function)
    return "run_test(" in source or "snap_compare" in source or "pilot" in source


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """``postgres`` on every test that uses ``pg_url``; ``tui`` on every test that drives the workspace."""
    for item in items:
        if "pg_url" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)
        if drives_the_workspace(item):
            item.add_marker(pytest.mark.tui)


def pytest_runtest_setup(item: pytest.Item) -> None:
    if item.get_closest_marker("postgres") and not os.environ.get(POSTGRES):
        no_server()
