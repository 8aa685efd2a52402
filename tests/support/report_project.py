"""A small coded focus group whose every report figure is worked out by hand in the tests.

FG9 (tests/conftest.py TRANSCRIPT) has five turns: 1 I (moderator), 2 R1, 3 R2, 4 I, 5 R1, and nine
sentences. Offsets: turns 29-66, 71-122, 127-174, 178-192, 197-230; sentences 29-38, 39-66, 71-98,
99-122, 127-130, 131-162, 163-174, 178-192, 197-230.

    anna  tilltro           turn 2 (71-122) and 75-90 inside it: one code, one coder, overlapping
    anna  jobbfokus         sentence 4 (99-122)
    anna  jobbfokus         turn 3 (127-174)
    anna  tilltro           sentence 6 (131-162)
    anna  tilltro/uttryckt  turn 5 (197-230)
    anna  jobbfokus         200-210 and 215-225: two short codings inside the long uttryckt one
    erik  tilltro           turn 1 (29-66), the moderator's
    erik  tilltro/tvivel    sentence 5 (127-130)
"""

from __future__ import annotations

from pathlib import Path

from mda_coder.services.coding import Target, apply_code
from mda_coder.services.importing import import_files
from mda_coder.services.project import create_project
from mda_coder.store.engine import Database

CODINGS = [
    ("anna", "tilltro", Target(turn=2)),
    ("anna", "tilltro", Target(span=(75, 90))),
    ("anna", "jobbfokus", Target(sentence=4)),
    ("anna", "jobbfokus", Target(turn=3)),
    ("anna", "tilltro", Target(sentence=6)),
    ("anna", "tilltro/uttryckt", Target(turn=5)),
    ("anna", "jobbfokus", Target(span=(200, 210))),
    ("anna", "jobbfokus", Target(span=(215, 225))),
    ("erik", "tilltro", Target(turn=1)),
    ("erik", "tilltro/tvivel", Target(sentence=5)),
]


def build(path: Path, codebook: Path, transcript: Path) -> Database:
    db = create_project(path, "sv", codebook, actor="test")
    import_files(db, [transcript])
    for coder, code, target in CODINGS:
        apply_code(db, coder=coder, code=code, document="FG9", target=target)
    return db
