"""What the workspace has shown of the project's journal: one lock-guarded record, read and noted from two threads."""

from __future__ import annotations

import threading
from collections.abc import Callable


class ShownJournal:
    """Which journal entries the screen reflects: every one up to ``seen``, and ``own`` ones above it.

    The writer thread notes this window's own commits before the job's message is posted, and the
    history service asks ``has_shown`` on the writer thread while it undoes: neither can wait for
    the UI thread, so this record is not screen state but an object of its own behind a lock.
    """

    def __init__(self, seen: int = 0) -> None:
        self._lock = threading.Lock()
        self._seen = seen
        """Every journal entry up to this one is reflected on the screen."""
        self._own: set[int] = set()
        """Entries above ``_seen`` known to be this window's own (shown by the messages they sent)."""

    @property
    def seen(self) -> int:
        with self._lock:
            return self._seen

    def around(self, head: Callable[[], int]) -> Callable[[], None]:
        """Called before a write with ``head`` (reads the journal head); what it returns is called after it.

        When nothing from elsewhere came in since the screen last refreshed, everything up to the
        new journal head is the write's own; otherwise a single new entry is, and the rest waits
        for the refresh the watcher sets off.
        """
        before = head()

        def after() -> None:
            now = head()
            with self._lock:
                if before <= self._seen:
                    self._seen = max(self._seen, now)
                elif now == before + 1:
                    self._own.add(now)

        return after

    def note(self, head: int | None) -> None:
        """The screen now shows the project as of journal entry ``head`` (a reload, a document opened)."""
        if head is None:
            return
        with self._lock:
            self._seen = max(self._seen, head)
            self._own = {event for event in self._own if event > self._seen}

    def has_shown(self, event_id: int) -> bool:
        """Whether the screen has shown what journal entry ``event_id`` did (the history service asks)."""
        with self._lock:
            return event_id <= self._seen or event_id in self._own

    def unshown(self, head: int) -> bool:
        """Whether an entry up to ``head`` was made elsewhere and is not shown yet."""
        with self._lock:
            return any(event not in self._own for event in range(self._seen + 1, head + 1))
