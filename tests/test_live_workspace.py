"""Other coders' codings appear live in the workspace on a PostgreSQL server (the change feed, migration 8)."""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text

from mda_coder.services import changes
from mda_coder.services.coding import Target, apply_code, remove_code
from mda_coder.services.memos import add_memo
from mda_coder.services.project import open_project
from mda_coder.store.engine import Database
from mda_coder.tui.app import build_app
from mda_coder.tui.screens.workspace import WorkspaceScreen
from mda_coder.tui.widgets.panels import CodebookTree
from mda_coder.tui.widgets.transcript import TranscriptView
from tests.support.tui import sample_copy, text_of, wait_for, workspace_ready


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def sample(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The sample project in a file (the workspace looks at the journal each second), or on the server (it listens)."""
    if request.param == "sqlite":
        return str(sample_copy(tmp_path))
    return str(request.getfixturevalue("pg_sample"))


SIZE = (160, 48)


def feed_of(url: str) -> tuple[Database, changes.ChangeFeed]:
    db = open_project(url)
    feed = changes.open_feed(db)
    feed.connect()
    return db, feed


@pytest.mark.postgres
def test_the_feed_announces_others_changes_once_per_statement_without_any_text(pg_sample: str) -> None:
    listener_db, feed = feed_of(pg_sample)
    erik = open_project(pg_sample)
    try:
        coding, _ = apply_code(erik, coder="erik", code="tilltro", document="FG1_Norrvik", target=Target(turn=3))
        [change] = feed.wait(2.0)
        assert (change.table, change.op, change.rows) == ("codings", "insert", 1)
        with erik.engine.connect() as conn:
            document, coder = conn.execute(
                text("SELECT document_id, coder_id FROM codings WHERE id = :id"), {"id": coding.id}
            ).one()
        assert (change.documents, change.coders) == ((document,), (coder,))
        add_memo(erik, "Hemligt innehåll", document="FG1_Norrvik", turn=3, coder="erik")
        [memo] = feed.wait(2.0)
        assert memo.table == "memos" and "Hemligt" not in repr(memo)
        # A bulk change is one notification per statement, not one per row.
        with erik.transaction() as s:
            s.execute(text("UPDATE codings SET memo = 'x'"))
            s.execute(text("DELETE FROM codings WHERE memo = 'x'"))
        found = feed.wait(2.0)
        assert [(c.op, c.rows) for c in found] == [("update", 370), ("delete", 370)]
        assert [len(c.documents or ()) for c in found] == [3, 3]  # the three documents, the two coders
        assert [len(c.coders or ()) for c in found] == [2, 2]
        # A rolled-back change is never announced; the listener's own database's changes are skipped.
        with pytest.raises(RuntimeError), erik.transaction() as s:
            s.execute(text("DELETE FROM codes"))
            raise RuntimeError
        apply_code(listener_db, coder="anna", code="tilltro", document="FG1_Norrvik", target=Target(turn=3))
        assert feed.wait(0.5) == []
    finally:
        feed.close()
        listener_db.close()
        erik.close()


@pytest.mark.postgres
def test_the_feed_says_when_the_server_went_away(pg_sample: str) -> None:
    db, feed = feed_of(pg_sample)
    try:
        with db.engine.connect() as conn:
            conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%'"))
        with pytest.raises(changes.FeedLost):
            feed.wait(2.0)
        assert not feed.connected
        feed.connect()
        erik = open_project(pg_sample)
        apply_code(erik, coder="erik", code="tilltro", document="FG1_Norrvik", target=Target(turn=3))
        erik.close()
        assert [c.table for c in feed.wait(2.0)] == ["codings"]
    finally:
        feed.close()
        db.close()


def shown_coders_marks(view: TranscriptView, coder: str) -> set[int]:
    return {m.coding_id for i in range(len(view.turns)) for m in view.marks_of(i) if m.coder == coder}


def count_label(screen: WorkspaceScreen, path: str) -> str:
    """What the codebook panel shows beside ``path``: the coder's own count, and all coders' after a slash."""
    tree = screen.query_one(CodebookTree)
    return next(str(node.label) for node in tree._all_nodes() if node.data == path)


async def test_another_coders_coding_appears_on_screen_within_two_seconds(sample: str) -> None:
    """erik codes the turn anna is on, and takes it back, over and over: each time it shows on her
    screen, in the turn's panel and the codebook's count, with her cursor and selection kept. On the
    server within two seconds (it is told at once); on a file within three (it looks each second)."""
    app = build_app(sample, "anna")
    erik = open_project(sample)
    code = "individualisering av ansvar"
    delays: list[float] = []
    try:
        async with app.run_test(size=SIZE) as pilot:
            # On the server, the change feed is connected first.
            await wait_for(
                pilot, lambda: isinstance(app.screen, WorkspaceScreen) and app.screen.feed_live == ("://" in sample)
            )
            await wait_for(pilot, lambda: workspace_ready(app))
            screen = app.screen
            assert isinstance(screen, WorkspaceScreen)
            view = screen.query_one(TranscriptView)
            await pilot.press("b")  # blind mode off: anna sees erik's codings too
            await wait_for(pilot, lambda: bool(shown_coders_marks(view, "erik")))
            await pilot.press("j", "j", "j", "s")  # turn 4, its first sentence selected
            cursor, selection = view.cursor, view.selection
            assert selection is not None
            turn = view.turns[cursor].index
            await wait_for(pilot, lambda: bool(screen.codes))
            path = next(c.code.path for c in screen.codes if c.code.name == code)
            counted = count_label(screen, path)
            live = "://" in sample
            rounds, within = (5, 2.0) if live else (3, 3.0)
            for _ in range(rounds):
                assert "individualisering" not in text_of(screen, "#turn-codings")
                coding, _new = apply_code(
                    erik, coder="erik", code=code, document="FG1_Norrvik", target=Target(turn=turn)
                )
                committed = time.perf_counter()
                await wait_for(pilot, lambda: "individualisering" in text_of(screen, "#turn-codings"), timeout=within)
                delays.append(time.perf_counter() - committed)
                assert coding.id in {m.coding_id for m in view.marks_of(cursor)}
                assert (view.cursor, view.selection) == (cursor, selection)
                await wait_for(pilot, lambda: count_label(screen, path) != counted, timeout=within)
                # erik takes it back: gone from anna's screen as quickly
                remove_code(erik, coder="erik", code=code, document="FG1_Norrvik", target=Target(turn=turn))
                await wait_for(
                    pilot, lambda: "individualisering" not in text_of(screen, "#turn-codings"), timeout=within
                )
                await wait_for(pilot, lambda: count_label(screen, path) == counted, timeout=within)
                assert (view.cursor, view.selection) == (cursor, selection)
            # A coder new to the project: her first coding shows too, blind mode being off.
            apply_code(erik, coder="lisa", code=code, document="FG1_Norrvik", target=Target(turn=turn))
            await wait_for(pilot, lambda: "lisa" in text_of(screen, "#turn-codings"), timeout=within)
            assert "lisa" in view.coders
    finally:
        erik.close()
    print(
        f"\n{'PostgreSQL' if '://' in sample else 'SQLite'}: commit → on anna's screen: median {statistics.median(delays) * 1000:.0f} ms, max {max(delays) * 1000:.0f} ms"
    )


@pytest.mark.postgres
async def test_the_status_bar_says_when_the_server_is_out_of_reach(pg_sample: str) -> None:
    """The listener's connection broken and no new one let in: the status bar says so; once the server
    lets it in again the screen catches up with what was committed meanwhile."""
    app = build_app(pg_sample, "anna")
    erik = open_project(pg_sample)
    try:
        with erik.transaction() as s:  # erik's connection, made before the outage, outlasts it
            s.execute(text("SELECT 1"))
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: isinstance(app.screen, WorkspaceScreen) and app.screen.feed_live)
            await wait_for(pilot, lambda: workspace_ready(app))
            screen = app.screen
            assert isinstance(screen, WorkspaceScreen)
            view = screen.query_one(TranscriptView)
            await pilot.press("b")
            await wait_for(pilot, lambda: "erik" in view.coders)
            name = pg_sample.rsplit("/", 1)[1]
            admin = psycopg.connect(pg_sample.rsplit("/", 1)[0] + "/postgres", autocommit=True)
            try:
                # No new connection to the project's database, and the listening one broken: the
                # listener cannot connect again (the screen's own connections stay, as a short outage leaves them).
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false')
                admin.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query LIKE 'LISTEN%%' AND datname = %s",
                    (name,),
                )
                await wait_for(pilot, lambda: "not live" in text_of(screen, "#status"), timeout=5.0)
                assert not screen.feed_live
                coding, _new = apply_code(
                    erik, coder="erik", code="Avslut", document="FG1_Norrvik", target=Target(turn=1)
                )
            finally:
                admin.execute(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true')
                admin.close()
            await wait_for(pilot, lambda: screen.feed_live, timeout=5.0)
            await wait_for(pilot, lambda: "not live" not in text_of(screen, "#status"), timeout=2.0)
            await wait_for(pilot, lambda: coding.id in {m.coding_id for m in view.marks_of(0)}, timeout=2.0)
    finally:
        erik.close()
