"""Coders' copies merged into the master: the table of cases a team meets, each checked as a user would see it."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from mda_coder.services.codebook import add_code, merge_codes, rename_code
from mda_coder.services.coding import change_coding_span, list_codings, set_coding_memo
from mda_coder.services.project import open_project
from tests.conftest import MINI_CODEBOOK
from tests.support.snapshot import dump

FG1 = """\
I: Hur ser ni på deltagarnas möjligheter?
R1: Jag tror verkligen på dem. Alla kan nå ett jobb.
R2: Fast det tar tid. Ibland år.
I: Vad gör ni då?
R1: Vi fokuserar på arbete hela tiden.
"""

FG2 = """\
I: Vad tänker ni om kraven?
R1: Jag tror på dem. De klarar det.
R2: Men jobbet kommer först. Alltid.
I: Och rättigheterna?
R1: Dem glömmer vi lite.
"""

FG3 = """\
I: Hur börjar ni ett möte?
R1: Med frågan om jobb.
R2: Ibland med kaffe.
"""


def run(*args: object, ok: bool = True) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert (result.exit_code == 0) == ok, result.output
    return result.output


def rows(path: Path, sql: str, *params: object) -> list[tuple[object, ...]]:
    con = sqlite3.connect(path)
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def state(path: Path) -> list[str]:
    """The whole project but the journal (merge, undo and redo only append to it) and the settings."""
    return sorted(
        line for line in dump(path) if not line.startswith(('INSERT INTO "events"', 'INSERT INTO "settings"'))
    )


def codings(path: Path) -> list[tuple[object, ...]]:
    """Every coding as a user sees it: coder, code, document, span."""
    return rows(
        path,
        "SELECT coders.name, codes.name, documents.name, start_offset, end_offset FROM codings "
        "JOIN coders ON coders.id = coder_id JOIN codes ON codes.id = code_id "
        "JOIN documents ON documents.id = document_id ORDER BY 1, 2, 3, 4, 5",
    )


def apply(path: Path, coder: str, code: str, doc: str, turn: int) -> None:
    run("codings", "apply", path, doc, "--coder", coder, "--code", code, "--turn", turn)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two focus groups, each coded by anna and erik, with memos and a consensus decision."""
    folder = tmp_path_factory.mktemp("built")
    (folder / "mini.yaml").write_text(MINI_CODEBOOK, encoding="utf-8")
    path = folder / "studie.mda"
    run("init", path, "--codebook", folder / "mini.yaml")
    for name, text in (("FG1", FG1), ("FG2", FG2)):
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
        run("import", path, folder / f"{name}.txt", "--group", name)
        apply(path, "anna", "tilltro", name, 2)
        apply(path, "erik", "tilltro", name, 2)
        apply(path, "erik", "jobbfokus", name, 3)
    run("memos", "add", path, "Hela projektet")
    run("memos", "add", path, "Om FG1", "--document", "FG1", "--coder", "erik")
    return path


@pytest.fixture
def proj(built: Path, tmp_path: Path) -> Path:
    shutil.copyfile(built, tmp_path / "studie.mda")
    for suffix in ("-wal", "-shm"):
        if Path(f"{built}{suffix}").exists():
            shutil.copyfile(f"{built}{suffix}", tmp_path / f"studie.mda{suffix}")
    for name, text in (("FG1", FG1), ("FG2", FG2), ("FG3", FG3)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    return tmp_path / "studie.mda"


def copy_for(proj: Path, coder: str, *, blind: bool = True) -> Path:
    target = proj.parent / f"{coder}.mda"
    out = run("copy-for-coder", proj, target, "--coder", coder, *(["--blind"] if blind else []))
    assert f"mda-coder open {target} --coder {coder}" in out
    return target


def merge(proj: Path, *copies: Path, ok: bool = True) -> str:
    return run("merge", proj, *copies, ok=ok)


def merged_json(proj: Path, *copies: Path, dry_run: bool = False) -> dict[str, object]:
    out = run("merge", proj, *copies, "--json", *(["--dry-run"] if dry_run else []))
    return json.loads(out)  # type: ignore[no-any-return]


def sound(path: Path) -> None:
    assert rows(path, "PRAGMA integrity_check") == [("ok",)]
    assert rows(path, "PRAGMA foreign_key_check") == []
    assert "0 problems" in run("doctor", path) or "no problems" in run("doctor", path).lower()


def test_a_blind_copy_holds_only_the_coders_own_codings(proj: Path) -> None:
    anna = copy_for(proj, "anna")
    assert {c[0] for c in codings(anna)} == {"anna"}
    assert len(codings(anna)) == 2
    assert rows(anna, "SELECT count(*) FROM memos WHERE coder_id IS NOT NULL") == [(0,)]
    assert "erik" not in run("log", anna)
    assert rows(anna, "SELECT value FROM settings WHERE key = 'project_uuid'") == rows(
        proj, "SELECT value FROM settings WHERE key = 'project_uuid'"
    )
    open_copy = copy_for(proj, "erik", blind=False)
    assert {c[0] for c in codings(open_copy)} == {"anna", "erik"}


def test_a_copy_is_not_made_over_an_existing_file(proj: Path) -> None:
    (proj.parent / "anna.mda").write_text("mine", encoding="utf-8")
    out = run("copy-for-coder", proj, proj.parent / "anna.mda", "--coder", "anna", ok=False)
    assert "anna.mda exists" in out
    assert (proj.parent / "anna.mda").read_text(encoding="utf-8") == "mine"
    assert not [p for p in proj.parent.iterdir() if p.name.startswith(".anna.mda")]


def test_a_copy_is_made_from_a_project_file(proj: Path) -> None:
    out = run(
        "copy-for-coder", "postgresql://lead@127.0.0.1/studie", proj.parent / "anna.mda", "--coder", "anna", ok=False
    )
    assert out.strip().splitlines()[-1].endswith("a coder's copy is made from and to project files")
    assert not (proj.parent / "anna.mda").exists()


def test_new_codings_come_in_per_coder_and_merging_again_changes_nothing(proj: Path) -> None:
    anna, erik = copy_for(proj, "anna"), copy_for(proj, "erik")
    apply(anna, "anna", "jobbfokus", "FG1", 5)
    apply(erik, "erik", "jobbfokus", "FG1", 5)
    apply(erik, "erik", "tilltro", "FG2", 5)
    before = codings(proj)
    out = merge(proj, anna, erik)
    assert "anna 1" in out and "erik 2" in out
    assert sorted(set(codings(proj)) - set(before)) == [
        ("anna", "jobbfokus", "FG1", *span(proj, "FG1", 5)),
        ("erik", "jobbfokus", "FG1", *span(proj, "FG1", 5)),
        ("erik", "tilltro", "FG2", *span(proj, "FG2", 5)),
    ]
    provenance = rows(
        proj,
        "SELECT merges.copy_coder, count(*) FROM codings JOIN merges ON merges.id = codings.merge_id "
        "GROUP BY merges.copy_coder ORDER BY 1",
    )
    assert provenance == [("anna", 1), ("erik", 2)]
    sound(proj)
    assert [p.name.endswith("-merge.mda") for p in (proj.parent / "studie.mda.backups").iterdir()] == [True]
    after = state(proj)
    again = merge(proj, anna, erik)
    assert "nothing new to merge" in again
    assert state(proj) == after


def span(path: Path, doc: str, turn: int) -> tuple[object, ...]:
    [found] = rows(
        path,
        "SELECT start_offset, end_offset FROM turns JOIN documents ON documents.id = document_id "
        "WHERE name = ? AND position = ?",
        doc,
        turn,
    )
    return found


def test_the_same_text_coded_in_both_copies_and_the_master_is_not_duplicated(proj: Path) -> None:
    anna = copy_for(proj, "anna", blind=False)
    apply(anna, "anna", "jobbfokus", "FG2", 4)
    apply(proj, "anna", "jobbfokus", "FG2", 4)  # the lead lets anna code in the master too
    erik = copy_for(proj, "erik")
    apply(erik, "erik", "jobbfokus", "FG2", 4)
    merge(proj, anna, erik)
    found = [c for c in codings(proj) if c[2] == "FG2" and c[1] == "jobbfokus" and c[3:] == span(proj, "FG2", 4)]
    assert [c[0] for c in found] == ["anna", "erik"]


def test_a_removal_in_the_copy_removes_the_coders_own_coding_only(proj: Path) -> None:
    anna = copy_for(proj, "anna", blind=False)
    run("codings", "remove", anna, "FG1", "--coder", "anna", "--code", "tilltro", "--turn", 2)
    result = merged_json(proj, anna)
    assert result["copies"][0]["removed"] == {"anna": 1}  # type: ignore[index]
    assert ("anna", "tilltro", "FG1", *span(proj, "FG1", 2)) not in codings(proj)
    assert ("erik", "tilltro", "FG1", *span(proj, "FG1", 2)) in codings(proj)


def test_a_codings_span_and_memo_changed_in_the_copy_are_changed_in_the_master(proj: Path) -> None:
    anna = copy_for(proj, "anna")
    start, end = span(anna, "FG1", 2)
    with open_project(anna) as db:
        [mine] = [c for c in list_codings(db) if c.document == "FG1"]
        change_coding_span(db, mine.id, start, end - 10, coder="anna")
        set_coding_memo(db, mine.id, "kortare", coder="anna")
    result = merged_json(proj, anna)
    assert result["copies"][0]["changed"] == 1  # type: ignore[index]
    assert ("anna", "tilltro", "FG1", start, end - 10) in codings(proj)
    assert ("anna", "tilltro", "FG1", start, end) not in codings(proj)
    assert rows(proj, "SELECT memo FROM codings WHERE memo IS NOT NULL") == [("kortare",)]
    assert "nothing new to merge" in merge(proj, anna)


def test_a_code_renamed_in_one_copy_and_merged_away_in_the_other(proj: Path) -> None:
    anna, erik = copy_for(proj, "anna"), copy_for(proj, "erik")
    with open_project(anna) as db:
        rename_code(db, "jobbfokus", "arbetsfokus", coder="anna")
    apply(anna, "anna", "arbetsfokus", "FG1", 4)
    with open_project(erik) as db:
        merge_codes(db, "jobbfokus", "tilltro", coder="erik")
    result = merged_json(proj, anna, erik)
    [from_anna, from_erik] = result["copies"]  # type: ignore[misc]
    assert from_anna["code_changes"] == ["jobbfokus → arbetsfokus"]
    assert [c["kind"] for c in from_erik["conflicts"]] == ["code-gone-in-copy"]
    assert from_erik["conflicts"][0]["where"] == "arbetsfokus"
    names = [r[0] for r in rows(proj, "SELECT name FROM codes WHERE parent_id IS NULL ORDER BY name")]
    assert "arbetsfokus" in names and "jobbfokus" not in names
    assert ("anna", "arbetsfokus", "FG1", *span(proj, "FG1", 4)) in codings(proj)
    # erik's own codings follow his merge; the codebook, and everyone else's codings, keep the code
    assert from_erik["changed"] == 2
    for doc in ("FG1", "FG2"):
        assert ("erik", "tilltro", doc, *span(proj, doc, 3)) in codings(proj)
        assert ("erik", "arbetsfokus", doc, *span(proj, doc, 3)) not in codings(proj)
    sound(proj)


def test_the_same_code_added_in_two_copies_is_one_code_in_the_master(proj: Path) -> None:
    anna, erik = copy_for(proj, "anna"), copy_for(proj, "erik")
    for path, coder in ((anna, "anna"), (erik, "erik")):
        with open_project(path) as db:
            add_code(db, "motstånd", parent="tilltro", coder=coder)
        apply(path, coder, "tilltro/motstånd", "FG1", 3)
    result = merged_json(proj, anna, erik)
    [from_anna, from_erik] = result["copies"]  # type: ignore[misc]
    assert from_anna["codes"] == ["tilltro/motstånd"] and from_erik["codes"] == []
    assert any("matched by its path" in note for note in from_erik["notes"])
    assert rows(proj, "SELECT count(*) FROM codes WHERE name = 'motstånd'") == [(1,)]
    found = [c for c in codings(proj) if c[1] == "motstånd"]
    assert [c[0] for c in found] == ["anna", "erik"]


def test_a_code_renamed_differently_in_both_keeps_the_masters_name_and_says_so(proj: Path) -> None:
    anna = copy_for(proj, "anna")
    with open_project(anna) as db:
        rename_code(db, "jobbfokus", "arbetsfokus", coder="anna")
    with open_project(proj) as db:
        rename_code(db, "jobbfokus", "jobbet först", coder="lead")
    apply(anna, "anna", "arbetsfokus", "FG2", 4)
    result = merged_json(proj, anna)
    [conflict] = result["copies"][0]["conflicts"]  # type: ignore[index]
    assert conflict["kind"] == "code-both-changed" and conflict["where"] == "jobbet först"
    assert "arbetsfokus" in conflict["what"]
    assert ("anna", "jobbet först", "FG2", *span(proj, "FG2", 4)) in codings(proj)  # on the master's code


def test_codings_on_a_code_merged_away_in_the_master_come_in_on_the_code_it_went_into(proj: Path) -> None:
    anna = copy_for(proj, "anna")
    apply(anna, "anna", "jobbfokus", "FG2", 5)
    with open_project(proj) as db:
        merge_codes(db, "jobbfokus", "tilltro", coder="lead")
    before = codings(proj)
    result = merged_json(proj, anna)
    [conflict] = result["copies"][0]["conflicts"]  # type: ignore[index]
    assert conflict["kind"] == "code-merged" and conflict["where"] == "jobbfokus"
    assert "merged into tilltro in the master" in conflict["what"]
    assert sorted(set(codings(proj)) - set(before)) == [("anna", "tilltro", "FG2", *span(proj, "FG2", 5))]


def test_codings_on_a_code_deleted_in_the_master_stay_out_and_are_reported(proj: Path) -> None:
    with open_project(proj) as db:
        add_code(db, "ny", coder="lead")
    anna = copy_for(proj, "anna")
    apply(anna, "anna", "ny", "FG2", 5)
    assert "Undone: add code ny" in run("undo", proj, "--as", "lead")
    before = codings(proj)
    out = merge(proj, anna)
    assert "ny" in out and "deleted in the master since the copy was made; 1 codings on it not merged" in out
    assert codings(proj) == before


def test_a_memo_edited_in_both_keeps_the_masters_and_adds_the_copys(proj: Path) -> None:
    anna = copy_for(proj, "anna")
    for path, text in ((proj, "Hela projektet, enligt ledaren"), (anna, "Hela projektet, enligt anna")):
        con = sqlite3.connect(path)
        con.execute("UPDATE memos SET text = ? WHERE text = 'Hela projektet'", (text,))
        con.commit()
        con.close()
    out = merge(proj, anna)
    assert "edited in the master and in the copy" in out
    texts = sorted(r[0] for r in rows(proj, "SELECT text FROM memos WHERE target_kind = 'project'"))
    assert texts == ["Hela projektet, enligt anna", "Hela projektet, enligt ledaren"]
    assert "nothing new to merge" in merge(proj, anna)
    assert rows(proj, "SELECT count(*) FROM memos WHERE target_kind = 'project'") == [(2,)]


def test_a_memo_edited_in_the_copy_only_is_taken(proj: Path) -> None:
    anna = copy_for(proj, "anna", blind=False)
    con = sqlite3.connect(anna)
    con.execute("UPDATE memos SET text = 'Om FG1, rättat' WHERE text = 'Om FG1'")
    con.commit()
    con.close()
    merge(proj, anna)
    assert rows(proj, "SELECT text FROM memos WHERE target_kind = 'document'") == [("Om FG1, rättat",)]


def test_a_document_reimported_with_another_text_in_a_copy_is_a_conflict(proj: Path) -> None:
    anna = copy_for(proj, "anna")
    run("documents", "remove", anna, "FG2", "--yes")
    changed = proj.parent / "FG2.txt"
    changed.write_text(FG2.replace("Alltid.", "Nästan alltid."), encoding="utf-8")
    run("import", anna, changed, "--group", "FG2")
    apply(anna, "anna", "jobbfokus", "FG2", 3)
    before = state(proj)
    result = merged_json(proj, anna)
    [conflict] = result["copies"][0]["conflicts"]  # type: ignore[index]
    assert conflict["kind"] == "document-text" and conflict["where"] == "FG2"
    assert "1 codings on it not merged" in conflict["what"] or "codings on it not merged" in conflict["what"]
    assert state(proj) == before  # nothing else came in: the copy's FG2 codings were the only news


def test_a_document_imported_in_a_copy_comes_in_whole(proj: Path) -> None:
    erik = copy_for(proj, "erik")
    run("import", erik, proj.parent / "FG3.txt", "--group", "FG3")
    apply(erik, "erik", "jobbfokus", "FG3", 2)
    merge(proj, erik)
    text = "SELECT position, start_offset, end_offset FROM {} WHERE document_id = (SELECT id FROM documents WHERE name = 'FG3') ORDER BY position"
    for table in ("turns", "sentences"):
        assert rows(proj, text.format(table)) == rows(erik, text.format(table))
    assert rows(proj, "SELECT text FROM documents WHERE name = 'FG3'") == rows(
        erik, "SELECT text FROM documents WHERE name = 'FG3'"
    )
    assert ("erik", "jobbfokus", "FG3", *span(proj, "FG3", 2)) in codings(proj)
    sound(proj)


def test_the_same_file_imported_in_two_copies_is_one_document(proj: Path) -> None:
    anna, erik = copy_for(proj, "anna"), copy_for(proj, "erik")
    for path, coder in ((anna, "anna"), (erik, "erik")):
        run("import", path, proj.parent / "FG3.txt")
        apply(path, coder, "jobbfokus", "FG3", 2)
    result = merged_json(proj, anna, erik)
    assert [c["documents"] for c in result["copies"]] == [["FG3"], []]  # type: ignore[index]
    assert rows(proj, "SELECT count(*) FROM documents WHERE name = 'FG3'") == [(1,)]
    assert [c[0] for c in codings(proj) if c[2] == "FG3"] == ["anna", "erik"]
    sound(proj)


def test_a_copy_of_another_project_is_refused_and_nothing_changes(proj: Path, tmp_path: Path) -> None:
    other_folder = tmp_path / "other"
    other_folder.mkdir()
    run("init", other_folder / "annan.mda")
    stranger = copy_for(other_folder / "annan.mda", "anna")
    anna = copy_for(proj, "anna")
    apply(anna, "anna", "jobbfokus", "FG1", 5)
    before = dump(proj)
    out = merge(proj, anna, stranger, ok=False)
    assert (
        out.strip()
        .splitlines()[-1]
        .endswith(f"{stranger}: a copy of another project, not of {proj}; nothing was merged")
    )
    assert "Traceback" not in out
    assert dump(proj) == before


def test_a_plain_project_is_not_taken_for_a_copy(proj: Path, tmp_path: Path) -> None:
    run("copy", proj, tmp_path / "plain.mda")
    out = merge(proj, tmp_path / "plain.mda", ok=False)
    assert "not a coder's copy" in out


def test_a_dry_run_reports_and_changes_nothing(proj: Path) -> None:
    anna = copy_for(proj, "anna")
    apply(anna, "anna", "jobbfokus", "FG1", 5)
    before = dump(proj)
    result = merged_json(proj, anna, dry_run=True)
    assert result["dry_run"] is True
    assert result["copies"][0]["codings"] == {"anna": 1}  # type: ignore[index]
    out = run("merge", proj, anna, "--dry-run")
    assert "dry run" in out
    assert dump(proj) == before


def test_undo_takes_the_whole_merge_back_and_redo_brings_it_again(proj: Path) -> None:
    anna, erik = copy_for(proj, "anna"), copy_for(proj, "erik")
    apply(anna, "anna", "jobbfokus", "FG1", 5)
    run("import", erik, proj.parent / "FG3.txt", "--group", "FG3")
    apply(erik, "erik", "jobbfokus", "FG3", 2)
    with open_project(anna) as db:
        rename_code(db, "jobbfokus", "arbetsfokus", coder="anna")
    before = state(proj)
    merge(proj, anna, erik)
    after = state(proj)
    assert after != before
    out = run("undo", proj)
    assert "Undone: merge" in out
    assert state(proj) == before
    sound(proj)
    assert "Redone: merge" in run("redo", proj)
    assert state(proj) == after
    sound(proj)


def test_undo_of_a_merge_is_refused_while_work_made_since_rests_on_it(proj: Path) -> None:
    erik = copy_for(proj, "erik")
    run("import", erik, proj.parent / "FG3.txt")
    merge(proj, erik)
    apply(proj, "anna", "tilltro", "FG3", 2)
    before = dump(proj)
    out = run("undo", proj, ok=False)
    assert "codings were made since on what the merge brought in; remove them first" in out
    assert dump(proj) == before
