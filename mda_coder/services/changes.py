"""What other coders change, as they commit it: the project's change feed, for the workspace to listen to.

Only a project on a PostgreSQL server has one (``LISTEN``/``NOTIFY``, set up by migration 8); the
workspace on a project file looks at the journal every second instead.
"""

from __future__ import annotations

from mda_coder.store.changes import Change, ChangeFeed, FeedLost
from mda_coder.store.engine import Database

__all__ = ["Change", "ChangeFeed", "FeedLost", "has_feed", "open_feed"]


def has_feed(db: Database) -> bool:
    """Whether ``db`` announces its changes (a project on a PostgreSQL server)."""
    return db.engine.dialect.name == "postgresql"


def open_feed(db: Database) -> ChangeFeed:
    """A change feed on ``db``'s server, not connected yet (``connect`` it on the thread that will wait on it)."""
    return ChangeFeed(db)
