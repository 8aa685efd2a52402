"""Listen to a project's change feed on PostgreSQL: what other programs commit, as they commit it.

Migration 8 makes the server announce each statement that changes codings, memos, the codebook or
the consensus layer on the channel ``CHANGES_CHANNEL``, once its transaction commits. A
``ChangeFeed`` holds a connection of its own that listens there (``LISTEN``, no polling) and hands
out the changes made by *other* connections: those of the ``Database`` it was made for are known by
their server process ids, noted as each connection is checked out of the pool.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import event

from mda_coder.store.engine import Database
from mda_coder.store.migrations import CHANGES_CHANNEL

if TYPE_CHECKING:
    import psycopg


class FeedLost(Exception):
    """The connection to the server broke; ``ChangeFeed.connect`` again (the changes meanwhile are not known)."""


@dataclass(frozen=True, slots=True)
class Change:
    """One statement another connection committed (the ids only, never any text)."""

    table: str
    op: str
    """``insert``, ``update`` or ``delete``."""
    rows: int
    pid: int
    """The server process of the connection that made it."""
    documents: tuple[int, ...] | None
    """The ids of the documents whose rows changed; None when more than 20, or for a table without documents."""
    coders: tuple[int, ...] | None
    """The ids of the coders whose rows changed; None when more than 20, or for a table without coders."""


def _ids(value: object) -> tuple[int, ...] | None:
    if not isinstance(value, list):
        return None
    return tuple(int(v) for v in value if isinstance(v, int))


def parse(payload: str) -> Change | None:
    """A notification's payload as a ``Change``; None for one that is not ours (or garbled)."""
    try:
        data = json.loads(payload)
        return Change(
            table=str(data["table"]),
            op=str(data["op"]),
            rows=int(data["rows"]),
            pid=int(data["pid"]),
            documents=_ids(data.get("documents")),
            coders=_ids(data.get("coders")),
        )
    except (ValueError, KeyError, TypeError):
        return None


class ChangeFeed:
    """A listening connection to the server ``db`` is on; ``wait`` returns what other connections committed.

    Not thread-safe: one thread (the workspace's listening worker) calls ``connect``, ``wait`` and
    ``close``. Close it when done: it stops noting the database's own connections too.
    """

    COALESCE_SECONDS = 0.05
    """After a first change, how long to gather more: a burst (an import, a merge) is read once."""

    def __init__(self, db: Database) -> None:
        if db.engine.dialect.name != "postgresql":
            raise ValueError("a change feed needs a PostgreSQL project")
        self._engine = db.engine
        self._conn: psycopg.Connection[Any] | None = None
        self._own: set[int] = set()
        event.listen(self._engine, "checkout", self._note_own)

    def _note_own(self, dbapi_conn: Any, _record: object, _proxy: object) -> None:
        pid = getattr(getattr(dbapi_conn, "info", None), "backend_pid", None)
        if isinstance(pid, int):
            self._own.add(pid)

    @property
    def connected(self) -> bool:
        return self._conn is not None and not self._conn.closed

    def connect(self) -> None:
        """Open the listening connection (the project's own URL: the same login, the same ``.pgpass``).

        Raises ``FeedLost`` when the server cannot be reached.
        """
        self._drop()
        cargs, cparams = self._engine.dialect.create_connect_args(self._engine.url)
        try:
            conn = self._engine.dialect.loaded_dbapi.connect(*cargs, **cparams)
            conn.autocommit = True
            conn.execute(f"LISTEN {CHANGES_CHANNEL}")
        except Exception as exc:  # psycopg.OperationalError and its kin: the server is not there
            raise FeedLost(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc
        self._conn = conn

    def wait(self, timeout: float) -> list[Change]:
        """The changes others committed, waiting up to ``timeout`` seconds for the first; [] when none came.

        Once one came, more are gathered for ``COALESCE_SECONDS``: a burst comes back as one list.
        Raises ``FeedLost`` when the connection broke (the server went away or restarted).
        """
        if self._conn is None:
            raise FeedLost("not connected")
        found: list[Change] = []
        deadline = time.monotonic() + timeout
        try:
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    return found
                for notice in self._conn.notifies(timeout=left, stop_after=1):
                    change = parse(notice.payload)
                    if change is not None and change.pid not in self._own:
                        found.append(change)
                if found:
                    deadline = min(deadline, time.monotonic() + self.COALESCE_SECONDS)
        except Exception as exc:  # the connection broke: psycopg.OperationalError
            self._drop()
            raise FeedLost(str(exc).splitlines()[0] if str(exc) else type(exc).__name__) from exc

    def _drop(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # noqa: BLE001 - a broken connection may fail to close; it is gone either way
                pass

    def close(self) -> None:
        """Stop listening, and stop noting the database's connections."""
        self._drop()
        if event.contains(self._engine, "checkout", self._note_own):
            event.remove(self._engine, "checkout", self._note_own)
