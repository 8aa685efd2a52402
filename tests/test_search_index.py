"""The search index stays in step with the documents after every kind of write, on SQLite and on the server.

After each write, the index as stored must equal the index rebuilt from scratch from the documents'
text and turns. ``doctor`` says when it does not, and ``--repair`` makes it so again.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from mda_coder.services import importing
from mda_coder.services.corpus_search import SearchRequest, search_corpus
from mda_coder.services.project import open_project
from mda_coder.services.sample import build_sample_project
from mda_coder.store import search_index
from mda_coder.store.engine import Database
from tests.test_corpus_search import FG1, FG2

FG3 = """\
I: Berätta om mötet med arbetsgivaren.

R1: Arbetsgivaren hade tilltro till henne från början.

I: Och sen?

R1: Sen kom kraven, och tilltron sjönk.
"""


def run(*args: object, ok: bool = True) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert (result.exit_code == 0) == ok, result.output
    return result.output


def fresh(location: str | Path) -> list[search_index.Entry]:
    """The index as stored, after checking that it equals one rebuilt from the documents now."""
    db = open_project(location)
    try:
        with db.engine.connect() as conn, conn.begin() as transaction:
            stored = search_index.entries(conn)
            search_index.rebuild(conn)
            rebuilt = search_index.entries(conn)
            transaction.rollback()
    finally:
        db.close()
    assert stored == rebuilt
    return stored


def documents_in(entries: list[search_index.Entry]) -> int:
    return len({e[0] for e in entries})


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    found = {}
    for name, text in (("FG1", FG1), ("FG2", FG2), ("FG3", FG3)):
        found[name] = tmp_path / f"{name}.txt"
        found[name].write_text(text, encoding="utf-8")
    return found


def test_an_import_indexes_every_turn_and_the_text_around_them(project: Database, files: dict[str, Path]) -> None:
    importing.import_files(project, [files["FG1"], files["FG2"]])
    entries = fresh(project.location)
    turns = [e for e in entries if e[1] is not None]
    assert len(turns) == 7 + 5 and documents_in(entries) == 2
    [outside] = [e for e in entries if e[1] is None]  # the title and the legend; the labels between turns are not
    assert outside[4].startswith("Fokusgrupp i Norrby") and outside[0] == turns[0][0]
    [second] = [e for e in turns if e[1] == 2 and e[0] == turns[0][0]]
    assert second[4] == "Tilltron till deltagaren är allt. Utan tilltro händer ingenting."
    assert second[5] == "tilltro till deltagare vara all utan tilltro hända ingenting"


def test_removal_and_its_undo_and_redo_keep_the_index(project: Database, files: dict[str, Path]) -> None:
    importing.import_files(project, list(files.values()))
    whole = fresh(project.location)
    run("documents", "remove", project.location, "FG2", "--yes")
    assert documents_in(fresh(project.location)) == 2
    assert search_corpus(project, SearchRequest("rättigheter", documents=())).total == 2  # FG1's only
    run("undo", project.location)
    assert fresh(project.location) == whole
    run("redo", project.location)
    assert documents_in(fresh(project.location)) == 2


def test_a_merged_document_is_indexed_and_its_undo_takes_it_out(
    project: Database, files: dict[str, Path], tmp_path: Path
) -> None:
    importing.import_files(project, [files["FG1"]])
    copy = tmp_path / "anna.mda"
    run("copy-for-coder", project.location, copy, "--coder", "anna")
    run("import", copy, files["FG3"])
    assert documents_in(fresh(copy)) == 2
    run("merge", project.location, copy)
    merged = fresh(project.location)
    assert documents_in(merged) == 2
    assert [h.document for h in search_corpus(project, SearchRequest("arbetsgivare")).hits] == ["FG3", "FG3"]
    run("undo", project.location)
    assert documents_in(fresh(project.location)) == 1
    assert search_corpus(project, SearchRequest("arbetsgivare")).total == 0
    run("redo", project.location)
    assert fresh(project.location) == merged


def test_a_refi_qda_import_is_indexed(project: Database, files: dict[str, Path], tmp_path: Path) -> None:
    importing.import_files(project, [files["FG1"], files["FG3"]])
    run("export", project.location, "qdpx", tmp_path / "studie.qdpx")
    target = tmp_path / "fran_nvivo.mda"
    run("import-qdpx", target, tmp_path / "studie.qdpx")
    assert documents_in(fresh(target)) == 2
    assert "tilltron" in run("search", target, "tilltro")


def test_an_older_project_gets_its_index_when_it_is_opened(tmp_path: Path) -> None:
    path = tmp_path / "v8.mda"
    path.write_bytes((Path(__file__).parent / "fixtures" / "schemas" / "v8.mda").read_bytes())
    entries = fresh(path)  # opening migrates it to 9, which builds the index
    assert entries and "trögt" in run("search", path, "trög")


# doctor ------------------------------------------------------------------------------------------------


def test_doctor_finds_a_stale_index_and_repairs_it(project: Database, files: dict[str, Path]) -> None:
    importing.import_files(project, [files["FG1"], files["FG3"]])
    with sqlite3.connect(project.location) as con:
        con.execute("UPDATE search_index SET text = 'något annat' WHERE turn = 2 AND start_offset > 100")
        con.execute("DELETE FROM search_index WHERE rowid = (SELECT max(rowid) FROM search_index)")
    out = run("doctor", project.location, ok=False)
    assert "the search index is out of step with document FG1" in out
    assert "the search index is out of step with document FG3" in out
    assert "mda-coder doctor --repair makes the index again from the text" in out
    repaired = run("doctor", project.location, "--repair")
    assert "repaired: indexed FG1 again" in repaired and "No problems left after the repair." in repaired
    fresh(project.location)
    assert "No problems" in run("doctor", project.location)


def test_doctor_makes_a_missing_index_again(project: Database, files: dict[str, Path]) -> None:
    importing.import_files(project, [files["FG1"]])
    with sqlite3.connect(project.location) as con:
        con.execute("DROP TABLE search_vocab")
        con.execute("DROP TABLE search_index")
    assert "the search index is missing" in run("doctor", project.location, ok=False)
    assert "made the search index again" in run("doctor", project.location, "--repair")
    assert documents_in(fresh(project.location)) == 1


# PostgreSQL ----------------------------------------------------------------------------------------------

QUERIES = [
    SearchRequest("tilltro"),
    SearchRequest("tilltro", compounds=True, no_moderator=True),
    SearchRequest("tiltro", mode="fuzzy"),
    SearchRequest("marknad", compounds=True),
    SearchRequest("rätt till"),
    SearchRequest("rättigheter", mode="exact", sort="left"),
    SearchRequest("får", mode="exact", groups=("FG2",)),
    SearchRequest("jobbfokus", code="jobbfokus", coder="anna"),
    SearchRequest("deltagare", not_code="tilltro", sort="right", limit=10),
]


def test_the_server_finds_what_the_file_finds(pg_sample: str, tmp_path: Path) -> None:
    here = build_sample_project(tmp_path / "exempel.mda")
    there = open_project(pg_sample)
    try:
        for request in QUERIES:
            on_file, on_server = search_corpus(here, request), search_corpus(there, request)
            assert on_server == on_file, request
            assert on_file.total, request
    finally:
        here.close()
        there.close()
    assert fresh(pg_sample)


def test_the_server_keeps_its_index_through_import_and_removal(pg_project: Database, files: dict[str, Path]) -> None:
    importing.import_files(pg_project, [files["FG1"], files["FG2"]])
    whole = fresh(pg_project.location)
    assert documents_in(whole) == 2
    found = search_corpus(pg_project, SearchRequest("tilltro")).hits
    assert [h.text for h in found] == ["tilltro", "Tilltron", "tilltro", "tilltrons", "Tilltro"]
    run("documents", "remove", pg_project.location, "FG1", "--yes")
    assert documents_in(fresh(pg_project.location)) == 1
    run("undo", pg_project.location)
    assert fresh(pg_project.location) == whole
