"""The workspace among other windows and sessions: what the screen has shown, who else has the project open, where you left off.

Another mda-coder may change the project at any time: a colleague on a server, or the same coder
in a second window. On a PostgreSQL server the screen listens to the project's change feed
(``_listen``: the server tells it within milliseconds of a commit); on a project file, or while the
server is out of reach, it looks at the journal every second (``_watch_others``). It keeps
count of what it has shown in a ``ShownJournal`` (every entry up to one is reflected on the screen,
and the entries this window wrote while others' were still unshown). Undo and redo
pass that to the history service, which refuses a step whose entry the screen has not shown:
the coder's other window may have applied a coding seconds ago, and ``u`` here must not remove
it unseen. The screen then refreshes, shows the place, and a second ``u`` undoes it.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from textual import work
from textual.worker import get_current_worker

from mda_coder.i18n import MESSAGES, TUI
from mda_coder.services import changes, presence, workspace
from mda_coder.tui.messages import FeedChanged, HistoryHeld, OthersChanged, OthersRead, WindowBeat, WindowOpened
from mda_coder.tui.screens.base import WorkspaceState

_ = TUI.gettext


class WindowActions(WorkspaceState):
    WATCH_SECONDS = 1.0
    """How often the screen looks at the journal for changes made elsewhere, when no change feed tells it
    (a project file): one read of the journal's newest id, so every second costs next to nothing."""
    PLACE_SECONDS = 3.0
    """How often the place the coder is at is saved, if they moved (a write)."""

    window: int | None
    """This workspace's row among the open windows (``services.presence``); None until noted."""
    place_now: tuple[str, int] | None
    """The document and turn the cursor is on."""
    place_saved: tuple[str, int] | None
    """The place last saved (or opened at): saved again only when the coder has moved."""
    _window_closed: bool
    feed_live: bool
    """The change feed is connected: others' changes come by it, and the journal is not looked at."""
    feed_lost: str | None
    """Why the change feed cannot be listened to now (the status bar says so); None when it can, or there is none."""

    RETRY_SECONDS = 2.0
    """How long the listener waits before it tries the server again."""

    def start_watching(self) -> None:
        """Note this window among the project's open windows, and look for others' changes from now on."""
        self.set_interval(self.WATCH_SECONDS, self._tick)
        self.set_interval(self.PLACE_SECONDS, self.save_place)
        self.set_interval(presence.BEAT_SECONDS, self._beat)
        coder = self.coder
        self.writer.submit(lambda: WindowOpened(*presence.arrive(self.db, coder)), journalled=False)
        if changes.has_feed(self.db):
            self._listen()

    @work(thread=True, exclusive=True, group="feed", exit_on_error=False)
    def _listen(self) -> None:
        """Listen to the server's change feed until the screen closes; connect again when the server went away."""
        worker = get_current_worker()
        feed = changes.open_feed(self.db)
        lost: str | None = None
        try:
            while not worker.is_cancelled:
                if not feed.connected:
                    try:
                        feed.connect()
                    except changes.FeedLost as exc:
                        if lost is None:
                            lost = str(exc)
                            self.post_message(FeedChanged(lost))
                        self._pause(lambda: worker.is_cancelled)
                        continue
                    lost = None
                    self.post_message(FeedChanged(None))
                try:
                    found = feed.wait(0.5)
                except changes.FeedLost:
                    continue  # connect again at once; said only if that fails
                if found and not worker.is_cancelled:
                    self.post_message(OthersChanged(found))
        finally:
            feed.close()

    def _pause(self, cancelled: Callable[[], bool]) -> None:
        until = time.monotonic() + self.RETRY_SECONDS
        while time.monotonic() < until and not cancelled():
            time.sleep(0.1)

    def on_others_changed(self, message: OthersChanged) -> None:
        """Show what others committed: the document if they corrected it, the marks, the codebook's counts, and the memos."""
        self.check_document()
        self.reload_marks(memos=any(change.table == "memos" for change in message.changes))
        self.reload_codebook()
        if any(change.table == "codings" for change in message.changes):
            self._meet_new_coders()

    def _meet_new_coders(self) -> None:
        """With blind mode off, show a coder whose first coding just came in (the coders shown were read when it went off)."""
        if self.blind:
            return
        coder, shown = self.coder, set(self.shown_coders)

        def job() -> OthersRead | None:
            others = [c for c in workspace.coder_names(self.db) if c != coder]
            # Only for a new coder: re-reading the marks for nothing would note the journal as shown
            # before the codebook's counts were read again.
            return None if set(others) <= shown else OthersRead(others)

        self.writer.submit(job, journalled=False)

    def on_feed_changed(self, message: FeedChanged) -> None:
        again = self.feed_live or self.feed_lost is not None
        self.feed_live, self.feed_lost = message.lost is None, message.lost
        if message.lost is None and (again or self.document is not None):
            # Connected (again): what was committed before it listened was announced to no one here.
            self.check_document()
            self.reload_marks(memos=True)
            if self.codes:
                self.reload_codebook()
        self.update_status()

    def on_window_beat(self, message: WindowBeat) -> None:
        self.window = message.window

    def on_window_opened(self, message: WindowOpened) -> None:
        self.window = message.window
        if not message.others:
            return
        where = "; ".join(presence.describe(other) for other in message.others)
        text = _(
            "{coder} already has this project open in another window ({where}). Both windows share "
            "{coder}'s codings and undo: what the other does shows here within seconds, and this window "
            "refreshes before it undoes. Close one of them unless you mean to work in both."
        ).format(coder=self.coder, where=where)
        self.say(text, "warning")

    # -- what the screen has shown -------------------------------------------------------------

    def around_write(self) -> Callable[[], None]:
        """Run on the writer thread around each job: this window's own commits count as shown."""
        db = self.db
        return self.journal_shown.around(lambda: workspace.journal_head(db))

    def note_shown(self, head: int | None) -> None:
        """The screen now shows the project as of journal entry ``head`` (a reload, a document opened)."""
        self.journal_shown.note(head)

    def has_shown(self, event_id: int) -> bool:
        """Whether the screen has shown what journal entry ``event_id`` did (the history service asks)."""
        return self.journal_shown.has_shown(event_id)

    def _tick(self) -> None:
        if not self.feed_live:
            self._watch_others()

    @work(thread=True, exclusive=True, group="watch", exit_on_error=False)
    def _watch_others(self) -> None:
        """Pick up what another mda-coder (another window, a colleague on the server) committed."""
        head = workspace.journal_head(self.db)
        if self.journal_shown.unshown(head):
            self.app.call_from_thread(self.refresh_from_journal)

    def refresh_from_journal(self) -> None:
        """Show the project as it is now: the document if it was corrected, the marks (which note the journal head they
        were read at) and the codebook."""
        self.check_document()
        self.reload_marks()
        self.reload_codebook()
        self._meet_new_coders()

    def on_history_held(self, message: HistoryHeld) -> None:
        """Undo or redo would have changed what another window did unseen: show it first, and say so."""
        step = message.step
        self.refresh_from_journal()
        if step.document is not None and step.turn is not None:
            self.show_turn(step.document, step.turn)
        if step.direction == "undo":
            said = _(
                "not undone: '{step}' was done in another window since this one last refreshed. "
                "It is shown now; press u again to undo it."
            )
        else:
            said = _(
                "not redone: '{step}' was done in another window since this one last refreshed. "
                "It is shown now; press U again to redo it."
            )
        self.say(said.format(step=MESSAGES.text(step.description)), "warning")

    # -- presence and the place to reopen at ----------------------------------------------------

    def note_place(self) -> None:
        """Keep the place up to date as the cursor moves (on quit the transcript may be gone already)."""
        view = self.transcript
        if self.document is not None and view.current is not None:
            self.place_now = (self.document, view.current.index)

    def _beat(self) -> None:
        window, coder = self.window, self.coder
        if window is not None and not self._window_closed:
            self.writer.submit(lambda: WindowBeat(presence.beat(self.db, window, coder)), journalled=False)

    def save_place(self) -> None:
        """Remember the document and turn the coder is at, if they moved since last time (one small write)."""
        place = self.place_now
        if place is None or place == self.place_saved or self._window_closed:
            return
        self.place_saved = place
        coder = self.coder
        self.writer.submit(lambda: workspace.save_place(self.db, coder, *place), journalled=False)

    def close_window(self) -> None:
        """On quit: save the place, take this window off the open ones, and wait for every write to commit."""
        if self._window_closed:
            return
        self.save_place()
        self._window_closed = True
        window, coder = self.window, self.coder
        if window is not None:
            self.writer.submit(lambda: presence.leave(self.db, window, coder), journalled=False)
        self.writer.drain()
