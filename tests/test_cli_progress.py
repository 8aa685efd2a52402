"""Long commands show how far they have come: an import's lines file by file, a bar on a terminal, plain lines in a pipe."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from mda_coder.cli import cli
from mda_coder.services import exporting, importing, reports
from mda_coder.services.project import create_project, open_project
from tests.conftest import CODEBOOK
from tests.support.snapshot import dump
from tests.support.tables import PIPE, shown, terminal
from tests.support.tui import sample_copy

FILES = {
    "FG4_Sandby.txt": "I: Välkomna. Hur ser en vanlig vecka ut?\nR1: Vi träffar deltagarna varje vecka. [skratt]\n"
    "R2: Och vi ringer dem som inte kommer.\nI: Tack.\n",
    "FG5_Holm.txt": "I: Velkommen. Hvad betyder tillid for jer?\nX: At vi tror på borgeren.\nY: Og at vi følger op.\n",
    "FG6_Leeds.txt": "I: Welcome. What does trust mean to you?\nP1: That we believe in the client.\nP2: Even when it is slow.\n",
}
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
"""Control characters other than tab and newline: escape sequences, carriage returns, cursor moves."""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for name, text in FILES.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    create_project(tmp_path / "studie.mda", "sv", CODEBOOK).close()
    return tmp_path


def run(env: dict[str, str | None], *args: object) -> Result:
    return CliRunner().invoke(cli, [str(a) for a in args], env=env)


def import_args(folder: Path) -> list[object]:
    return ["import", folder / "studie.mda", *(folder / name for name in FILES)]


def test_in_a_pipe_each_file_is_one_plain_summary_in_order_and_the_total_comes_last(folder: Path) -> None:
    result = run(PIPE, *import_args(folder))
    assert result.exit_code == 0, result.output
    assert CONTROL.search(result.output) is None, repr(result.output)
    lines = result.output.splitlines()
    firsts = [i for i, line in enumerate(lines) if " → " in line]
    assert [lines[i].split(" → ")[1].split(":")[0] for i in firsts] == ["FG4_Sandby", "FG5_Holm", "FG6_Leeds"]
    assert lines[-1] == "imported 3 of 3 files"


def test_on_a_terminal_the_bar_finishes_at_every_file_with_the_words_per_second(folder: Path) -> None:
    result = run(terminal(80), *import_args(folder))
    assert result.exit_code == 0, result.output
    text = shown(result.output)
    assert "\r" in text  # a live display was drawn (and redrawn)
    # The last picture of the bar: both stages done, 3 of 3 files, a rate in words per second.
    final = text[text.rindex("✓ reading") :]
    assert re.search(r"✓ reading\s.*\b3/3\b.*words/s", final)
    assert re.search(r"✓ storing\s.*\b3/3\b.*words/s", final)
    # Each file's summary is printed once, above the bar, in order; the total after the bar.
    found = [[m.start() for m in re.finditer(rf"→\s+{name.removesuffix('.txt')}:", text)] for name in FILES]
    assert [len(f) for f in found] == [1, 1, 1], found  # a long line wraps at 80 columns, maybe after the arrow
    assert [f[0] for f in found] == sorted(f[0] for f in found)
    assert text.rstrip().endswith("imported 3 of 3 files")


def test_import_json_stays_json_on_a_terminal(folder: Path) -> None:
    result = run(terminal(80), *import_args(folder), "--json")
    assert result.exit_code == 0 and result.output.startswith("[") and "\x1b" not in result.output


def test_each_file_is_reported_as_it_is_stored_before_the_commit(folder: Path) -> None:
    seen: list[tuple[str, int]] = []
    project = folder / "studie.mda"

    def committed_documents() -> int:
        con = sqlite3.connect(project)
        try:
            return con.execute("SELECT count(*) FROM documents").fetchone()[0]
        finally:
            con.close()

    db = open_project(project)
    try:
        progress = Recorder()
        importing.import_files(
            db,
            [folder / n for n in FILES],
            progress=progress,
            stored=lambda r: seen.append((r.document, committed_documents())),
        )
    finally:
        db.close()
    # Stored one by one, none of them saved until all are: the lines are honest about that.
    assert seen == [("FG4_Sandby", 0), ("FG5_Holm", 0), ("FG6_Leeds", 0)]
    assert committed_documents() == 3
    assert progress.stages == [("reading", 3), ("storing", 3), ("saving", None)]
    assert progress.done == {"reading": 3, "storing": 3, "saving": 0}
    assert progress.words["storing"] == sum(len(t.split()) for t in FILES.values())


def test_when_the_commit_fails_nothing_is_imported_and_the_error_says_so(folder: Path) -> None:
    project = folder / "studie.mda"
    con = sqlite3.connect(project)
    # A constraint SQLite checks only at COMMIT: every file is stored, then saving them fails.
    con.executescript(
        "CREATE TABLE parent (id INTEGER PRIMARY KEY);"
        "CREATE TABLE trap (p INTEGER REFERENCES parent(id) DEFERRABLE INITIALLY DEFERRED);"
        "CREATE TRIGGER spring AFTER INSERT ON documents BEGIN INSERT INTO trap VALUES (99); END;"
    )
    con.close()
    before = dump(project)
    result = run(PIPE, *import_args(folder))
    assert result.exit_code == 1
    assert result.output.count(" → ") == 3  # the files were stored, in the transaction …
    assert "imported 3 of 3" not in result.output
    last = result.output.splitlines()[-1]
    assert last.startswith("Error: the import could not be saved (FOREIGN KEY constraint failed)"), last
    assert last.endswith("nothing was imported")  # … and the error says they are not in the project
    assert dump(project) == before


@pytest.mark.slow  # the sample project as REFI-QDA, imported twice
def test_import_qdpx_shows_a_bar_per_source_on_a_terminal_and_nothing_in_a_pipe(tmp_path: Path) -> None:
    sample = sample_copy(tmp_path)
    archive = tmp_path / "studie.qdpx"
    db = open_project(sample)
    try:
        exporting.export_qdpx(db, str(archive))
    finally:
        db.close()
    on_terminal = run(terminal(100), "import-qdpx", tmp_path / "ny.mda", archive)
    assert on_terminal.exit_code == 0, on_terminal.output
    text = shown(on_terminal.output)
    assert re.search(r"✓ storing sources\s.*\b3/3\b", text[text.rindex("✓ splitting sentences") :])
    in_pipe = run(PIPE, "import-qdpx", tmp_path / "nytt.mda", archive)
    assert in_pipe.exit_code == 0 and CONTROL.search(in_pipe.output) is None
    assert "imported 3 documents" in in_pipe.output


def test_export_and_report_say_what_they_compute_and_leave_a_pipe_alone(tmp_path: Path) -> None:
    sample = sample_copy(tmp_path)
    db = open_project(sample)
    try:
        progress = Recorder()
        table = reports.cooccurrence(db, reports.Scope(), progress=progress)
        codings = progress.stages[1][0]
        assert progress.stages[0] == ("reading the codings", None)
        assert re.fullmatch(r"counting co-occurrences of [\d,]+ codings", codings)
        assert table.rows
        progress = Recorder()
        exporting.export_qdpx(db, str(tmp_path / "x.qdpx"), progress=progress)
        assert progress.stages == [("reading documents", 3), (f"writing {tmp_path / 'x.qdpx'}", None)]
        assert progress.done["reading documents"] == 3
    finally:
        db.close()
    for args in (["report", sample, "cooccurrence"], ["export", sample, "markdown", tmp_path / "u.md"]):
        result = run(PIPE, *args)
        assert result.exit_code == 0 and CONTROL.search(result.output) is None, result.output


class Recorder:
    """A watcher of a use case's progress that keeps what it was told."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, int | None]] = []
        self.done: dict[str, int] = {}
        self.words: dict[str, int] = {}

    def stage(self, what: str, total: int | None = None) -> None:
        self.stages.append((what, total))
        self.done[what] = self.words[what] = 0

    def advance(self, steps: int = 1, words: int = 0) -> None:
        what = self.stages[-1][0]
        self.done[what] += steps
        self.words[what] += words
