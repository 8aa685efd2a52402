"""Two processes coding the same project file at once: every committed coding lands, nothing is corrupted."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from mda_coder.services.coding import Target, apply_code, list_codings
from mda_coder.services.project import open_project
from tests.support.tui import sample_copy

ROOT = Path(__file__).resolve().parents[1]

OTHER = """
import sys
from mda_coder.services.coding import Target, apply_code
from mda_coder.services.project import open_project
db = open_project(sys.argv[1])
for turn in range(1, 61):
    apply_code(db, coder="erik2", code="jobbfokus", document="FG2_Sjöstad", target=Target(turn=turn))
db.close()
"""


@pytest.mark.slow  # two processes write for seconds
def test_a_second_process_writes_safely_alongside(tmp_path: Path) -> None:
    project = sample_copy(tmp_path)
    other = subprocess.Popen([sys.executable, "-c", OTHER, str(project)], cwd=ROOT)
    db = open_project(project)
    for turn in range(1, 61):
        apply_code(db, coder="anna2", code="tilltro", document="FG1_Norrvik", target=Target(turn=turn))
    assert other.wait(timeout=120) == 0
    assert len(list_codings(db, coder="anna2")) == 60
    assert len(list_codings(db, coder="erik2")) == 60
    db.close()
    con = sqlite3.connect(project)
    assert con.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    con.close()
