"""The same services on a real PostgreSQL server (``.ci/run`` starts one and sets MDA_CODER_TEST_POSTGRES)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text

from mda_coder.core.errors import MdaError
from mda_coder.services import importing, queries
from mda_coder.services.coding import Target, apply_code, import_codings, list_codings, remove_code
from mda_coder.services.consensus import adopt_agreed
from mda_coder.services.document_removal import remove_document
from mda_coder.services.history import redo, undo
from mda_coder.services.memos import add_memo, list_memos
from mda_coder.services.project import create_project, open_project, summary
from mda_coder.store import migrations

pytestmark = pytest.mark.postgres  # skipped without a server, failed where one is required (tests/conftest.py)


def test_project_on_postgres_imports_codes_and_journals(
    pg_url: str, mini_codebook: Path, transcript: Path, tmp_path: Path
) -> None:
    db = create_project(pg_url, "sv", mini_codebook, actor="test")
    [report] = importing.import_files(db, [transcript], group="FG9")
    assert (report.turns, report.speakers) == (5, ("I", "R1", "R2"))
    coding, _ = apply_code(db, coder="anna", code="tilltro", document="FG9", target=Target(turn=2))
    assert coding.text == "Att jag tror på deltagaren. Även när det går trögt."
    with pytest.raises(MdaError, match="mutually exclusive"):
        apply_code(db, coder="anna", code="hållning/positiv", document="FG9", target=Target(turn=3))
        apply_code(db, coder="anna", code="hållning/negativ", document="FG9", target=Target(turn=3))
    remove_code(db, coder="anna", code="tilltro", document="FG9", target=Target(turn=2))
    csv_file = tmp_path / "c.csv"
    csv_file.write_text("coder,document,code,turn\nerik,FG9,jobbfokus,3\n", encoding="utf-8")
    assert import_codings(db, csv_file) == (1, 0)
    assert [c.code_path for c in list_codings(db)] == ["hållning/positiv", "jobbfokus"]
    assert [t.speaker for t in queries.turns(db, "FG9")] == ["I", "R1", "R2", "I", "R1"]
    db.close()
    again = open_project(pg_url)
    assert summary(again).codings == 2
    with again.engine.connect() as conn:
        assert migrations.current_version(conn) == migrations.latest_version()
    with pytest.raises(Exception, match="append-only"), again.transaction() as s:
        s.execute(text("DELETE FROM events"))
    again.close()


def test_root_code_names_are_unique_on_postgres(pg_url: str, mini_codebook: Path) -> None:
    db = create_project(pg_url, "sv", mini_codebook)
    with pytest.raises(Exception, match="uq_codes_root_name"), db.transaction() as s:
        s.execute(
            text(
                "INSERT INTO codes (uuid, name, position, definition, use_when, dont_use_when, example, created_at)"
                " VALUES (gen_random_uuid(), 'tilltro', 9, '{}', '{}', '{}', '{}', now())"
            )
        )
    db.close()


def test_remove_a_document_undo_and_redo_on_postgres(pg_url: str, mini_codebook: Path, transcript: Path) -> None:
    db = create_project(pg_url, "sv", mini_codebook, actor="test")
    importing.import_files(db, [transcript], group="FG9")
    for coder in ("anna", "erik"):
        apply_code(db, coder=coder, code="tilltro", document="FG9", target=Target(turn=2))
    assert adopt_agreed(db, ["anna", "erik"], reviewer="anna") == 1
    add_memo(db, "Tät tur", document="FG9", turn=2, coder="anna")

    def rows() -> list[tuple[str, list[tuple[object, ...]]]]:
        tables = ("documents", "speakers", "turns", "sentences", "codings", "memos", "consensus_decisions")
        with db.engine.connect() as conn:
            return [(t, list(conn.execute(text(f"SELECT * FROM {t} ORDER BY id")))) for t in tables]

    before = rows()
    removed = remove_document(db, "FG9", actor="olof")
    assert (removed.turns, removed.codings, removed.memos, removed.decisions) == (
        5,
        {"anna": 1, "erik": 1, "consensus": 1},
        1,
        1,
    )
    assert queries.documents(db) == [] and list_codings(db) == [] and list_memos(db) == []
    [again] = importing.import_files(db, [transcript], group="FG9")
    assert again.status == "imported"
    with pytest.raises(MdaError, match="a document with the same file \\('FG9'\\) was imported since"):
        undo(db, "olof")
    remove_document(db, "FG9", actor="städ")
    step = undo(db, "olof")
    assert step is not None and step.description == "remove document FG9 (5 turns, 3 codings)"
    assert rows() == before
    assert redo(db, "olof") is not None and queries.documents(db) == []
    # New rows after the ids put back: the sequences were not disturbed by restoring explicit ids.
    undo(db, "olof")
    apply_code(db, coder="anna", code="jobbfokus", document="FG9", target=Target(turn=3))
    assert len(list_codings(db)) == 4
    db.close()


def test_doctor_on_postgres_runs_the_checks_that_make_sense_there(
    pg_url: str, mini_codebook: Path, transcript: Path
) -> None:
    from mda_coder.services.doctor import examine

    db = create_project(pg_url, "sv", mini_codebook, actor="test")
    importing.import_files(db, [transcript])
    apply_code(db, coder="anna", code="tilltro", document="FG9", target=Target(turn=2))
    apply_code(db, coder="erik", code="jobbfokus", document="FG9", target=Target(turn=3))
    remove_code(db, coder="erik", code="jobbfokus", document="FG9", target=Target(turn=3))
    undo(db, "erik")
    redo(db, "erik")
    db.close()
    found = {c.name: c for c in examine(pg_url).checks}
    assert sum(c.problems for c in found.values()) == 0, {n: c.examples for n, c in found.items() if c.problems}
    assert "skipped" in found["integrity"].note and "skipped" in found["foreign_keys"].note
    assert found["codings"].checked == 1 and found["turns"].checked == 5 and found["journal"].checked > 5
    again = open_project(pg_url)
    with again.transaction() as s:  # a turn overlapping the one before: the server checks no such thing
        s.execute(text("UPDATE turns SET start_offset = start_offset - 8 WHERE position = 3"))
    again.close()
    found = {c.name: c for c in examine(pg_url).checks}
    assert found["turns"].problems == 1 and "overlaps the one before" in found["turns"].examples[0]
