"""Which workspaces have the project open, so that a coder opening it twice is told.

Two windows open as one coder share that coder's undo history and write the same codings; each
should know of the other. A window writes a row (coder, host, process id) when it opens, renews
``seen_at`` every ``BEAT_SECONDS`` while it runs, and deletes the row when it closes.

A row in the project file, rather than a lock file beside it, because the project may be on a
PostgreSQL server or a network share, where a second window runs on another machine and file
locks are unreliable or absent. A window that crashes cannot delete its row, so a row counts
only while it is fresh: seen within ``STALE_SECONDS``, and, on the same host, while its process
still runs (so a crashed window stops counting at once, not a minute later).
"""

from __future__ import annotations

import os
import socket
import time
from dataclasses import dataclass
from typing import Any

from sqlalchemy import CursorResult, delete, select, update

from mda_coder.store.engine import Database
from mda_coder.store.models import WindowRow

BEAT_SECONDS = 20.0
"""How often an open workspace renews its row."""
STALE_SECONDS = 75.0
"""A row not renewed for this long belongs to a window that is gone (three missed beats and then some)."""


@dataclass(frozen=True, slots=True)
class OpenWindow:
    """Another workspace open on the project."""

    coder: str
    host: str
    pid: int
    opened_at: float
    """Seconds since the epoch."""
    seen_at: float
    """When it last renewed its row, in seconds since the epoch."""


def this_host() -> str:
    return socket.gethostname() or "this computer"


def _running(pid: int) -> bool:
    """Whether a process of this host runs with ``pid`` (POSIX; elsewhere assume it does)."""
    if os.name != "posix":
        return True  # os.kill(pid, 0) would end the process on Windows
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process: it runs
    return True


def _alive(row: WindowRow, now: float, host: str) -> bool:
    if now - row.seen_at > STALE_SECONDS:
        return False
    return row.host != host or _running(row.pid)


def arrive(
    db: Database, coder: str, *, host: str | None = None, pid: int | None = None, now: float | None = None
) -> tuple[int, list[OpenWindow]]:
    """Note a new workspace of ``coder``; returns its row id and ``coder``'s other workspaces still open.

    Stale rows (any coder's) are removed on the way: the table holds the windows open now.
    """
    host = host or this_host()
    pid = os.getpid() if pid is None else pid
    now = time.time() if now is None else now
    with db.transaction() as s:
        rows = list(s.scalars(select(WindowRow)))
        gone = [row.id for row in rows if not _alive(row, now, host)]
        if gone:
            s.execute(delete(WindowRow).where(WindowRow.id.in_(gone)))
        others = [
            OpenWindow(row.coder, row.host, row.pid, row.opened_at, row.seen_at)
            for row in rows
            if row.coder == coder and row.id not in gone
        ]
        mine = WindowRow(coder=coder, host=host, pid=pid, opened_at=now, seen_at=now)
        s.add(mine)
        s.flush()
        return mine.id, others


def _own(window: int, coder: str, host: str, pid: int) -> tuple[Any, ...]:
    # Not the id alone: SQLite may give a removed row's id to the next window.
    return (WindowRow.id == window, WindowRow.coder == coder, WindowRow.host == host, WindowRow.pid == pid)


def beat(
    db: Database, window: int, coder: str, *, host: str | None = None, pid: int | None = None, now: float | None = None
) -> int:
    """Renew the row of workspace ``window``; returns its id, a new one if the row was taken for stale.

    A window that was suspended (a laptop asleep) for longer than ``STALE_SECONDS`` may find its
    row removed by another's ``arrive``: it then writes a new one, without a warning of its own.
    """
    host = host or this_host()
    pid = os.getpid() if pid is None else pid
    now = time.time() if now is None else now
    with db.transaction() as s:
        done = s.execute(update(WindowRow).where(*_own(window, coder, host, pid)).values(seen_at=now))
        assert isinstance(done, CursorResult)  # an UPDATE's result is a cursor's
        if done.rowcount:
            return window
        row = WindowRow(coder=coder, host=host, pid=pid, opened_at=now, seen_at=now)
        s.add(row)
        s.flush()
        return row.id


def leave(db: Database, window: int, coder: str, *, host: str | None = None, pid: int | None = None) -> None:
    """The workspace closes: its row goes."""
    host = host or this_host()
    pid = os.getpid() if pid is None else pid
    with db.transaction() as s:
        s.execute(delete(WindowRow).where(*_own(window, coder, host, pid)))


def describe(window: OpenWindow, now: float | None = None) -> str:
    """``on host ws-12 (process 4242), seen 5 s ago``: enough to find the other window."""
    now = time.time() if now is None else now
    ago = max(int(now - window.seen_at), 0)
    where = "on this computer" if window.host == this_host() else f"on {window.host}"
    return f"{where} (process {window.pid}), seen {ago} s ago"
