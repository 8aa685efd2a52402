"""Open and create project databases: one SQLite file by default, or a PostgreSQL URL."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import URL, Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from mda_coder.core.errors import ProjectError
from mda_coder.i18n import Message
from mda_coder.store import migrations


def is_url(target: str | Path) -> bool:
    return "://" in str(target)


def _sqlite_pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
    # Foreign keys are off by default in SQLite, per connection. WAL lets readers (a second
    # window, a report) run while a coder writes; FULL sync makes a commit survive power loss,
    # not just a killed process; the busy timeout turns a brief lock into a wait, not an error.
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=FULL")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def make_engine(target: str | Path) -> Engine:
    if is_url(target):
        url = str(target)
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return create_engine(url)
    # URL.create, not "sqlite:///" + path: a file name may hold '?' or '#', which a URL string would
    # take for its query ("0?" made a project called "0").
    engine = create_engine(URL.create("sqlite", database=str(Path(target))))
    event.listen(engine, "connect", _sqlite_pragmas)
    return engine


class Database:
    """A project's database: the engine and the one way to get a transaction."""

    def __init__(self, engine: Engine, location: str) -> None:
        self.engine = engine
        self.location = location
        self._sessions = sessionmaker(engine, expire_on_commit=False)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any exception."""
        with self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()

    @classmethod
    def create(cls, target: str | Path) -> Database:
        location = str(target)
        if not is_url(target):
            path = Path(target)
            if path.exists():
                raise ProjectError(Message("{path}: already exists; choose another name or open it", path=str(path)))
            if not path.parent.exists():
                raise ProjectError(Message("{path}: folder {folder} does not exist", path=str(path), folder=str(path.parent)))
        engine = make_engine(target)
        try:
            with engine.begin() as conn:
                if migrations.current_version(conn) != 0:
                    raise ProjectError(Message("{location}: already holds an mda-coder project", location=location))
                migrations.create_schema(conn)
        except OperationalError as exc:
            engine.dispose()
            raise ProjectError(Message("{location}: cannot create the project ({reason})", location=location,
                                       reason=_reason(exc))) from exc
        except ProjectError:
            engine.dispose()
            raise
        return cls(engine, location)

    @classmethod
    def open(cls, target: str | Path) -> Database:
        location = str(target)
        if not is_url(target):
            path = Path(target)
            if not path.exists():
                raise ProjectError(Message("{path}: no such project (create it with 'mda-coder init {path}')", path=str(path)))
            if path.is_dir():
                raise ProjectError(Message("{path}: is a folder, not a project file", path=str(path)))
        engine = make_engine(target)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
                version = migrations.current_version(conn)
            if version == 0:
                raise ProjectError(Message("{location}: not an mda-coder project", location=location))
            migrations.upgrade(engine.connect, location)
        except (DatabaseError, OperationalError) as exc:
            engine.dispose()
            raise ProjectError(Message("{location}: not an mda-coder project ({reason})", location=location,
                                       reason=_reason(exc))) from exc
        except ProjectError:
            engine.dispose()
            raise
        return cls(engine, location)


def remove_files(target: str | Path) -> None:
    """Delete a project file with its WAL and shared-memory files (nothing for a server URL)."""
    if is_url(target):
        return
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)


def _reason(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).splitlines()[0]
