"""SIGKILL in the middle of a merge of a big copy: the master is exactly as before, or wholly merged."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.support.fuzz import dump, healthy
from tests.test_merge import FG1, FG2, copy_for, run

pytestmark = pytest.mark.slow  # real child processes, killed while they merge

ROOT = Path(__file__).resolve().parents[1]
CODINGS = 20_000
KILLS = int(os.environ.get("MDA_KILL_POINTS", "6"))


def _fill(copy: Path, coder: str, n: int) -> None:
    """``n`` new codings of ``coder`` in the copy, made after it was copied (as hours of coding would)."""
    con = sqlite3.connect(copy)
    try:
        [(coder_id,)] = con.execute("SELECT id FROM coders WHERE name = ?", (coder,)).fetchall()
        codes = [r[0] for r in con.execute("SELECT id FROM codes ORDER BY id")]
        docs = con.execute("SELECT id, length(text) FROM documents ORDER BY id").fetchall()
        later = (datetime.now(UTC) + timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M:%S.%f")
        rng = random.Random(1)
        seen = {tuple(r) for r in con.execute("SELECT code_id, document_id, start_offset, end_offset FROM codings")}
        rows = []
        while len(rows) < n:
            doc, length = rng.choice(docs)
            start = rng.randrange(length - 1)
            key = (rng.choice(codes), doc, start, rng.randrange(start + 1, length + 1))
            if key not in seen:
                seen.add(key)
                rows.append((str(uuid.uuid4()), coder_id, *key, later, later))
        con.executemany(
            "INSERT INTO codings (uuid, coder_id, code_id, document_id, start_offset, end_offset, created_at, "
            "modified_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        con.commit()
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        con.close()


def _settled(path: Path) -> None:
    con = sqlite3.connect(path)
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()


def _count(path: Path, sql: str) -> int:
    con = sqlite3.connect(path)
    try:
        return int(con.execute(sql).fetchone()[0])
    finally:
        con.close()


def _merge(master: Path, copy: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "MDA_CODER_LANG": "en", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen(
        [sys.executable, "-m", "mda_coder", "merge", str(master), str(copy)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def test_a_merge_killed_half_way_leaves_the_master_as_it_was(tmp_path: Path) -> None:
    template = tmp_path / "template"
    template.mkdir()
    master = template / "studie.mda"
    run("init", master)
    for name, text in (("FG1", FG1), ("FG2", FG2)):
        (template / f"{name}.txt").write_text(text * 20, encoding="utf-8")
        run("import", master, template / f"{name}.txt")
    (template / "kod.yaml").write_text("name: k\nlanguage: sv\ncodes:\n  - name: a\n  - name: b\n  - name: c\n")
    run("codebook", "import", master, template / "kod.yaml")
    run("codings", "apply", master, "FG1", "--coder", "anna", "--code", "a", "--turn", 2)
    copy = copy_for(master, "anna")
    _fill(copy, "anna", CODINGS)
    _settled(master)
    before = dump(master)
    had = _count(master, "SELECT count(*) FROM codings")

    whole = tmp_path / "whole"
    whole.mkdir()
    (whole / "studie.mda").write_bytes(master.read_bytes())
    started = time.monotonic()
    process = _merge(whole / "studie.mda", copy)
    opened = None
    while process.poll() is None:
        if opened is None and (whole / "studie.mda-wal").exists():
            opened = time.monotonic() - started
        time.sleep(0.002)
    took = time.monotonic() - started
    assert process.returncode == 0, process.stderr.read().decode() if process.stderr else ""
    assert _count(whole / "studie.mda", "SELECT count(*) FROM codings") == had + CODINGS
    window = took - (opened or 0.0)

    rng = random.Random(14)
    outcomes = {"before": 0, "after": 0}
    for point in range(KILLS):
        folder = tmp_path / f"kill{point}"
        folder.mkdir()
        target = folder / "studie.mda"
        target.write_bytes(master.read_bytes())
        process = _merge(target, copy)
        moment = rng.uniform(0.0, window)
        while not Path(f"{target}-wal").exists() and process.poll() is None:
            time.sleep(0.002)
        time.sleep(moment)
        process.send_signal(signal.SIGKILL)
        process.wait()
        assert healthy(target) == [], f"killed {moment:.3f} s after opening the project"
        if dump(target) == before:
            outcomes["before"] += 1
        else:
            merged = _count(target, "SELECT count(*) FROM codings")
            assert merged == had + CODINGS, f"killed at {moment:.3f} s: {merged - had} of {CODINGS} codings came in"
            assert _count(target, "SELECT count(*) FROM merges") == 1
            outcomes["after"] += 1
    assert outcomes["before"] >= 1, outcomes  # at least one kill landed inside the merge
