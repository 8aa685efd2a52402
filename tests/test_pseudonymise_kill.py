"""SIGKILL in the middle of a pseudonymisation: the project is as it was, or wholly pseudonymised, nothing between.

The sample project pseudonymised by a real ``mda-coder pseudonymise`` process (texts through the
corrections, every other string, the journal, the search index, then VACUUM), killed at seeded
moments after it opens the project; the machinery is ``tests/test_kill.py``'s.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.support.tui import sample_copy
from tests.test_kill import MIN_POINTS, _kill_test, _state

pytestmark = pytest.mark.slow  # real child processes killed mid-write, each a few seconds

SECONDS = 40.0
"""The test's budget, the complete runs included."""


def test_killing_a_pseudonymisation_leaves_the_project_whole(tmp_path: Path) -> None:
    started = time.monotonic()
    folder = tmp_path / "sample"
    folder.mkdir()
    base = sample_copy(folder)
    key = tmp_path / "nycklar.csv"
    key.write_text(
        "original,pseudonym,kind,where\n"
        "Lena Berglund,Person 1,person,\nLena,Person 2,person,\nYusuf Demir,Person 3,person,\n"
        "Tomas Öberg,Person 4,person,\nNorrvik,Ort 1,place,\nSjöstad,Ort 2,place,\nÄlvdala,Ort 3,place,\n",
        encoding="utf-8",
    )
    before = _state(base)
    tally = _kill_test(
        "pseudonymise",
        lambda p: ["pseudonymise", p, "--key", key, "--no-backup"],
        base,
        tmp_path / "runs",
        started + SECONDS,
    )
    assert tally.points >= MIN_POINTS
    assert tally.between == 0 and tally.settled == 0
    assert _state(base) == before
    print(
        f"\nkill test pseudonymise: {tally.points} kill points ({tally.before} before, {tally.after} after, "
        f"{tally.finished} ran to the end) at {tally.moments} s; a whole run opens the project at "
        f"{tally.window[0]} s and ends at {tally.window[1]} s"
    )
