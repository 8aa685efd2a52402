"""Eight coders, each logged in as their own role, code and uncode the same turns on one server at once: nothing lost, nothing twice."""

from __future__ import annotations

import multiprocessing
import random
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from mda_coder.services.coding import Target, apply_code, remove_code
from mda_coder.services.project import open_project
from tests.test_server_access import drop_roles, init_team, small_project

pytestmark = [pytest.mark.postgres, pytest.mark.slow]

CODERS = tuple(f"c{n}" for n in range(8))
ACTIONS = 100
"""Per coder: 800 transactions in all, on 5 turns × 4 codes, so the coders keep meeting on the same text."""
CODES = ("tilltro", "tilltro/uttryckt", "tilltro/tvivel", "jobbfokus")
TURNS = (1, 2, 3, 4, 5)


def code_as(url: str, coder: str, seed: int) -> tuple[list[tuple[str, int]], int, int]:
    """Apply or remove (when it is there) a random code on a random turn, ACTIONS times; what the coder believes is left."""
    rng = random.Random(seed)
    mine: set[tuple[str, int]] = set()
    applied = removed = 0
    db = open_project(url)
    try:
        for _ in range(ACTIONS):
            code, turn = rng.choice(CODES), rng.choice(TURNS)
            if (code, turn) in mine:
                gone = remove_code(db, coder=coder, code=code, document="FG9", target=Target(turn=turn))
                assert len(gone) == 1
                mine.discard((code, turn))
                removed += 1
            else:
                _, created = apply_code(db, coder=coder, code=code, document="FG9", target=Target(turn=turn))
                assert created
                mine.add((code, turn))
                applied += 1
    finally:
        db.close()
    return sorted(mine), applied, removed


@pytest.fixture
def coders_server(pg_url: str, tmp_path: Path, mini_codebook: Path, transcript: Path) -> Iterator[tuple[str, str]]:
    prefix = f"t{uuid.uuid4().hex[:8]}_"
    small_project(tmp_path / "studie.mda", mini_codebook, transcript)
    try:
        init_team(pg_url, tmp_path / "studie.mda", prefix, "--coders", ",".join(CODERS))
        yield pg_url, prefix
    finally:
        drop_roles(pg_url, prefix)


def test_eight_coders_at_once_lose_nothing_and_double_nothing(coders_server: tuple[str, str]) -> None:
    url, prefix = coders_server
    jobs = [(url.replace("://postgres@", f"://{prefix}{coder}@"), coder, n) for n, coder in enumerate(CODERS)]
    # fork where there is one: the workers start with mda-coder imported, not after seconds of importing it
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    with multiprocessing.get_context(method).Pool(len(CODERS)) as pool:
        results = pool.starmap(code_as, jobs)
    with psycopg.connect(url, autocommit=True) as admin:
        paths = dict(
            admin.execute(
                "SELECT c.id, coalesce(p.name || '/', '') || c.name FROM codes c LEFT JOIN codes p ON p.id = c.parent_id"
            ).fetchall()
        )
        for coder, (believed, applied, removed) in zip(CODERS, results, strict=True):
            left = admin.execute(
                "SELECT g.code_id, t.position FROM codings g JOIN coders k ON k.id = g.coder_id"
                " JOIN turns t ON t.document_id = g.document_id AND t.start_offset = g.start_offset"
                " AND t.end_offset = g.end_offset WHERE k.name = %s",
                (coder,),
            ).fetchall()
            assert sorted((paths[code], turn) for code, turn in left) == believed, coder
            journal = dict(
                admin.execute(
                    "SELECT action, count(*) FROM events WHERE actor = %s AND entity = 'coding' GROUP BY action",
                    (coder,),
                ).fetchall()
            )
            assert journal == {"coding.apply": applied, "coding.remove": removed}, coder
            assert applied + removed == ACTIONS
