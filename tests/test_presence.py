"""The project remembers, per coder, where the workspace was left and which windows have it open."""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from mda_coder.services import importing, presence, workspace
from mda_coder.services.coding import Target, apply_code
from mda_coder.services.history import NotShown, redo, undo
from mda_coder.store import migrations
from mda_coder.store.engine import Database
from mda_coder.store.first_page import read_first_page


@pytest.fixture
def coded(project: Database, transcript: Path) -> Database:
    importing.import_files(project, [transcript], group="FG9")
    return project


def test_a_window_that_is_open_is_reported_to_the_same_coder_only(project: Database) -> None:
    first, others = presence.arrive(project, "anna", host="kontor-3", pid=111, now=1000.0)
    assert others == []
    second, others = presence.arrive(project, "anna", host="hemma", pid=222, now=1010.0)
    assert second != first
    assert [(o.coder, o.host, o.pid) for o in others] == [("anna", "kontor-3", 111)]
    assert "on kontor-3 (process 111), seen 10 s ago" in presence.describe(others[0], now=1010.0)
    _, others = presence.arrive(project, "erik", host="hemma", pid=333, now=1020.0)
    assert others == []  # erik's windows are his own business


def test_a_crashed_window_stops_counting(project: Database) -> None:
    # Silent for longer than STALE_SECONDS (on another host, where its process cannot be checked).
    presence.arrive(project, "anna", host="kontor-3", pid=111, now=1000.0)
    _, others = presence.arrive(project, "anna", host="hemma", pid=222, now=1000.0 + presence.STALE_SECONDS + 1)
    assert others == []
    # On this host, a process that has ended counts no more, at once.
    ended = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    )
    dead_pid = int(ended.stdout)
    presence.arrive(project, "lisa", host=presence.this_host(), pid=dead_pid)
    _, others = presence.arrive(project, "lisa")
    assert others == []


def test_a_beating_window_stays_and_a_closed_one_goes(project: Database) -> None:
    window, _ = presence.arrive(project, "anna", host="kontor-3", pid=111, now=1000.0)
    later = 1000.0 + presence.STALE_SECONDS
    assert presence.beat(project, window, "anna", host="kontor-3", pid=111, now=later - 5) == window
    _, others = presence.arrive(project, "anna", host="hemma", pid=222, now=later + 1)
    assert [o.host for o in others] == ["kontor-3"]  # it beat 6 s ago
    presence.leave(project, window, "anna", host="kontor-3", pid=111)
    _, others = presence.arrive(project, "anna", host="biblioteket", pid=333, now=later + 2)
    assert [o.host for o in others] == ["hemma"]


def test_a_window_whose_row_was_taken_for_stale_writes_a_new_one(project: Database) -> None:
    window, _ = presence.arrive(project, "anna", host="kontor-3", pid=111, now=1000.0)
    later = 1000.0 + presence.STALE_SECONDS + 1
    erik, _ = presence.arrive(project, "erik", host="hemma", pid=222, now=later)  # takes anna's row for stale
    renewed = presence.beat(project, window, "anna", host="kontor-3", pid=111, now=later + 3)
    assert renewed != erik  # SQLite may have given erik anna's old id: his row must not be taken for hers
    _, others = presence.arrive(project, "anna", host="biblioteket", pid=333, now=later)
    assert [(o.host, o.pid) for o in others] == [("kontor-3", 111)]
    _, others = presence.arrive(project, "erik", host="biblioteket", pid=444, now=later)
    assert [(o.host, o.pid, o.seen_at) for o in others] == [("hemma", 222, later)]


def test_the_place_is_kept_per_coder_and_forgotten_with_its_document(coded: Database) -> None:
    assert workspace.last_place(coded, "anna") is None
    workspace.save_place(coded, "anna", "FG9", 3)
    workspace.save_place(coded, "anna", "FG9", 4)
    workspace.save_place(coded, "erik", "FG9", 2)
    assert workspace.last_place(coded, "anna") == ("FG9", 4)
    assert workspace.last_place(coded, "erik") == ("FG9", 2)
    workspace.save_place(coded, "lisa", "FG1_Borttagen", 7)  # a document that is not (any longer) there
    assert workspace.last_place(coded, "lisa") is None


def test_the_first_page_starts_where_the_coder_left_off(coded: Database) -> None:
    path = Path(coded.location)
    workspace.save_place(coded, "anna", "FG9", 3)
    page = read_first_page(path, "anna")
    assert page is not None and page.document.name == "FG9"
    assert page.document.turns[0].index == 3
    view = workspace.load_document(coded, "FG9")
    assert [t.span for t in page.document.turns] == [t.span for t in view.turns[2 : 2 + len(page.document.turns)]]
    assert view.text.startswith(page.document.text)
    other = read_first_page(path, "erik")  # no place of his own: the first turn
    assert other is not None and other.document.turns[0].index == 1


def test_undo_refuses_what_the_screen_has_not_shown(coded: Database) -> None:
    seen = workspace.journal_head(coded)
    apply_code(coded, coder="anna", code="jobbfokus", document="FG9", target=Target(turn=2))  # the other window
    with pytest.raises(NotShown) as refused:
        undo(coded, "anna", shown=lambda event: event <= seen)
    assert refused.value.step.description == "apply jobbfokus to FG9 turn 2"
    assert refused.value.step.turn == 2
    # Nothing was undone; once shown, it is.
    assert undo(coded, "anna", shown=lambda event: event <= workspace.journal_head(coded)) is not None
    # The undo itself happened elsewhere too: this screen cannot redo what it has not seen undone.
    with pytest.raises(NotShown):
        redo(coded, "anna", shown=lambda event: event <= seen + 1)
    assert redo(coded, "anna", shown=lambda event: True) is not None


def test_a_version_4_project_gets_the_places_and_windows_tables(coded: Database, tmp_path: Path) -> None:
    Database.create(tmp_path / "new.mda").close()
    coded.close()
    old = tmp_path / "studie.mda"
    con = sqlite3.connect(old)
    con.execute("DROP TABLE coder_places")  # what a project made before migration 5 looks like
    con.execute("DROP TABLE open_windows")
    con.execute("DELETE FROM schema_migrations WHERE version > 4")
    con.commit()
    con.close()
    page = read_first_page(old, "anna")  # the missing table is no reason to give up the early page
    assert page is not None and page.document.turns[0].index == 1
    Database.open(old).close()

    def schema(path: Path) -> list[tuple[str, str | None]]:
        con = sqlite3.connect(path)
        try:
            query = (
                "SELECT name, sql FROM sqlite_master WHERE tbl_name IN ('coder_places', 'open_windows') ORDER BY name"
            )
            return con.execute(query).fetchall()
        finally:
            con.close()

    assert schema(old) == schema(tmp_path / "new.mda") != []
    con = sqlite3.connect(old)
    assert con.execute("SELECT max(version) FROM schema_migrations").fetchone()[0] == migrations.latest_version() >= 5
    con.close()
