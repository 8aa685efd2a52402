"""Open and create project databases: one SQLite file by default, or a PostgreSQL URL; a new file is made under a temporary name."""

from __future__ import annotations

import glob
import itertools
import os
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import URL, Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from mda_coder.core import waiting
from mda_coder.core.errors import ProjectError
from mda_coder.core.files import normal_mode, os_reason, sync_folder
from mda_coder.i18n import Message
from mda_coder.store import environment, migrations, server
from mda_coder.store.backups import copy_checked
from mda_coder.store.environment import environment_error, read_only_reason, tell_when_waiting

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]  # None stands for a platform without the module


def is_url(target: str | Path) -> bool:
    return "://" in str(target)


def _sqlite_pragmas(busy_ms: int) -> Callable[[sqlite3.Connection, object], None]:
    def pragmas(dbapi_conn: sqlite3.Connection, _record: object) -> None:
        # Foreign keys are off by default in SQLite, per connection. WAL lets readers (a second
        # window, a report) run while a coder writes; FULL sync makes a commit survive power loss,
        # not just a killed process; the busy timeout turns a lock into a wait, not an error. On a
        # project opened read-only and immutable, journal_mode answers "delete" and changes nothing.
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute(f"PRAGMA busy_timeout={busy_ms}")
        cur.close()

    return pragmas


def make_engine(
    target: str | Path, *, read_only: bool = False, immutable: bool = False, location: str | None = None
) -> Engine:
    """An engine on ``target``; ``read_only`` opens the file so (``immutable`` too where no -shm can be made)."""
    if is_url(target):
        url = str(target)
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        try:
            return create_engine(url)
        except ImportError as exc:  # the driver is the postgres extra, not the base install
            raise ProjectError(
                Message(
                    "{location}: a PostgreSQL project needs the PostgreSQL driver: pip install 'mda-coder[postgres]' "
                    "(in a checkout: pip install -e '.[postgres]')",
                    location=environment.without_password(location or str(target)),
                )
            ) from exc
    wait = waiting.WAIT
    if read_only:
        uri = f"file:{quote(str(Path(target).resolve()))}?mode=ro" + ("&immutable=1" if immutable else "")
        engine = create_engine(
            "sqlite://", poolclass=QueuePool, creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False)
        )
    else:
        # URL.create, not "sqlite:///" + path: a file name may hold '?' or '#', which a URL string would
        # take for its query ("0?" made a project called "0").
        engine = create_engine(URL.create("sqlite", database=str(Path(target))))
    event.listen(engine, "connect", _sqlite_pragmas(int(wait.seconds * 1000)))
    if wait.notice is not None and not read_only:
        tell_when_waiting(engine, Path(target), location or str(target), wait.notice, wait.notice_after)
    return engine


_SERIALS = itertools.count()
_OPEN: set[int] = set()
"""The serial numbers of the ``Database`` objects made and not yet closed (see ``open_count``).

Numbers, not the objects: a database dropped without being closed stays counted, and is not
kept alive by being counted.
"""


def open_count() -> int:
    """How many ``Database`` objects are open in this process: the tests check that every command closes its own."""
    return len(_OPEN)


class Database:
    """A project's database: the engine and the one way to get a transaction.

    Close it when done, or use it as a context manager (``with open_project(p) as db:``): a
    closed database releases its connections, and with them SQLite's file handles and locks.
    """

    def __init__(self, engine: Engine, location: str, read_only: Message | None = None) -> None:
        self.engine = engine
        self.location = location
        self.read_only = read_only
        """Why the project can only be read (a read-only disk, file or folder), or None when it can be changed."""
        self._sessions = sessionmaker(engine, expire_on_commit=False)
        self._serial = next(_SERIALS)
        _OPEN.add(self._serial)

    def __enter__(self) -> Database:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """One unit of work: commits on success, rolls back on any exception.

        A lock held too long by another program, a full disk or a read-only project become a
        ``ProjectError`` saying so; the transaction is rolled back either way.
        """
        try:
            with self._sessions.begin() as session:
                yield session
        except DBAPIError as exc:
            said = environment_error(exc, self.location, self.read_only)
            if said is None:
                raise
            raise said from exc

    def close(self) -> None:
        """Release the connections; closing again does nothing."""
        _OPEN.discard(self._serial)
        self.engine.dispose()

    @classmethod
    def create(cls, target: str | Path) -> Database:
        """A new, empty project at ``target``, open (made under a temporary name and renamed, like ``creating``)."""
        with cls.creating(target):
            pass
        return cls.open(target)

    @classmethod
    @contextmanager
    def creating(cls, target: str | Path) -> Iterator[Database]:
        """A new project, filled in the block; it takes the name ``target`` only when the block ends well.

        A project file is made under a temporary name beside ``target`` (``.NAME.partial-XXXX``)
        and renamed at the end, so a failed or killed ``init`` or ``import-qdpx`` never leaves a
        half-made project under the name the user gave: at most a hidden temporary file, which
        the next attempt removes. The database is closed after the block; open ``target`` to go on.
        """
        location = str(target)
        if is_url(target):
            db = cls._made(target, location)
            try:
                yield db
            finally:
                db.close()
            return
        path = Path(target)
        if path.exists():
            raise ProjectError(Message("{path}: already exists; choose another name or open it", path=str(path)))
        if not path.parent.exists():
            raise ProjectError(
                Message("{path}: folder {folder} does not exist", path=str(path), folder=str(path.parent))
            )
        with _made_beside(path) as partial:
            db = cls._made(partial, location)
            try:
                yield db
                _settle(db)
            finally:
                db.close()

    @classmethod
    def _made(cls, target: str | Path, location: str) -> Database:
        engine = make_engine(target, location=location)
        try:
            with engine.begin() as conn:
                if migrations.current_version(conn) != 0:
                    raise ProjectError(Message("{location}: already holds an mda-coder project", location=location))
                migrations.create_schema(conn)
        except DBAPIError as exc:
            engine.dispose()
            said = environment_error(exc, location)
            if said is not None:
                raise said from exc
            raise ProjectError(
                Message("{location}: cannot create the project ({reason})", location=location, reason=_reason(exc))
            ) from exc
        except ProjectError:
            engine.dispose()
            raise
        return cls(engine, location)

    @classmethod
    def open(cls, target: str | Path, before_upgrade: Callable[[], object] | None = None) -> Database:
        """An existing project, its schema brought up to date (``before_upgrade`` runs first, only if it must be)."""
        location = str(target)
        read_only: Message | None = None
        immutable = False
        if not is_url(target):
            path = Path(target)
            if not path.exists():
                raise ProjectError(
                    Message("{path}: no such project (create it with 'mda-coder init {path}')", path=str(path))
                )
            if path.is_dir():
                raise ProjectError(Message("{path}: is a folder, not a project file", path=str(path)))
            if not os.access(path, os.R_OK):
                raise ProjectError(Message("{path}: you have no permission to read it", path=str(path)))
            read_only = read_only_reason(path)
            if read_only is not None:
                immutable = environment.immutable(path, read_only)
        engine = make_engine(target, read_only=read_only is not None, immutable=immutable)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
                version = migrations.current_version(conn)
                if 0 < version < migrations.latest_version() and conn.dialect.name == "postgresql":
                    _only_the_lead_upgrades(conn, location, version)
            if version == 0:
                raise ProjectError(Message("{location}: not an mda-coder project", location=location))
            if read_only is not None and version < migrations.latest_version():
                raise ProjectError(
                    Message(
                        "{location} is read-only ({reason}) and was made by an older mda-coder: copy it to a folder "
                        "you can write to, to upgrade it",
                        location=location,
                        reason=read_only,
                    )
                )
            if read_only is None:
                if before_upgrade is not None and version < migrations.latest_version():
                    before_upgrade()
                migrations.upgrade(engine.connect, location)
        except DBAPIError as exc:
            engine.dispose()
            said = environment_error(exc, location, read_only)
            if said is not None:
                raise said from exc
            raise ProjectError(
                Message("{location}: not an mda-coder project ({reason})", location=location, reason=_reason(exc))
            ) from exc
        except ProjectError:
            engine.dispose()
            raise
        return cls(engine, location, read_only)


def _only_the_lead_upgrades(conn: Connection, location: str, version: int) -> None:
    """On a team server the lead brings the schema up to date (``server upgrade``): the lead owns the
    tables, and what a migration adds needs the coders' access set again. Anyone else is told so."""
    if not server.is_team_server(conn):
        return
    member = server.me(conn)
    if member is None or not member.is_lead:
        raise ProjectError(
            Message(
                "{location}: the project on the server has schema {have}, and this mda-coder needs {latest}: "
                "ask the lead to run 'mda-coder server upgrade' on it first",
                location=location,
                have=version,
                latest=migrations.latest_version(),
            )
        )


PARTIAL = ".partial-"
"""What a project file being made is called until it is complete: ``.NAME.partial-XXXX`` beside NAME."""


def _hold(handle: int) -> None:
    """Mark a project file being made as in use, so another attempt does not take it for an abandoned one."""
    if fcntl is not None:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            pass  # a file system without locks: an abandoned file is then left, never a live one removed


def copy_file(source: Path, target: Path, *, force: bool = False, then: Callable[[Path], None] | None = None) -> None:
    """Copy the project file ``source`` to ``target`` with SQLite's online backup: all of it, or no file.

    The copy is made under a temporary name beside ``target`` (as ``Database.creating`` does),
    checked (``PRAGMA quick_check``), synced and only then given its name; it is one file, with
    no ``-wal`` beside it, in the user's normal permissions. ``target`` is replaced only with
    ``force``. The source may be open in the workspace meanwhile: the copy holds what was committed.
    ``then`` changes the copy under its temporary name (a coder's copy): it too is done before
    the copy has its name, or there is no copy; it must leave the copy one file, without a ``-wal``.
    """
    if target.exists() and target.is_dir():
        raise ProjectError(Message("{path}: is a folder, not a project file", path=str(target)))
    if target.exists() and not force:
        raise ProjectError(Message("{path} exists; add --force to replace it", path=str(target)))
    if not target.parent.exists():
        raise ProjectError(
            Message("{path}: folder {folder} does not exist", path=str(target), folder=str(target.parent))
        )
    if target.exists() and target.resolve() == source.resolve():
        raise ProjectError(Message("{path}: a project cannot be copied onto itself", path=str(target)))
    try:
        with _made_beside(target, replace=force) as partial:
            origin = _read_for_copy(source)
            try:
                copy_checked(origin, partial)
            finally:
                origin.close()
            if then is not None:
                then(partial)
    except sqlite3.Error as exc:
        said = environment_error(exc, str(target))
        if said is not None:
            raise said from exc
        raise ProjectError(
            Message(
                "cannot copy {source} to {path} ({reason})", source=str(source), path=str(target), reason=_reason(exc)
            )
        ) from exc
    except OSError as exc:
        raise ProjectError(Message("cannot create {path}: {reason}", path=str(target), reason=os_reason(exc))) from None


@contextmanager
def _made_beside(path: Path, *, replace: bool = False) -> Iterator[Path]:
    """A hidden file beside ``path`` (``.NAME.partial-XXXX``) for the block to fill; named ``path`` only when it ends well.

    The file is held (locked) while it is made, so that another attempt does not take it for an
    abandoned one, synced before it is named, and removed if the block fails. It takes the name
    only if no file has it meanwhile, unless ``replace``. Abandoned files of killed attempts are
    removed first.
    """
    _remove_abandoned(path)
    try:
        handle, name = tempfile.mkstemp(prefix=f".{path.name}{PARTIAL}", dir=path.parent)
    except OSError as exc:
        raise ProjectError(Message("cannot create {path}: {reason}", path=str(path), reason=os_reason(exc))) from None
    partial, held = Path(name), [handle]
    try:
        _hold(handle)
        os.chmod(partial, normal_mode())
        yield partial
        os.fsync(handle)
        if fcntl is None:  # Windows renames and deletes no file that is still open
            os.close(held.pop())
        if replace:
            os.replace(partial, path)
            sync_folder(path.parent)
        else:
            _publish(partial, path)
    except BaseException:
        remove_files(partial)
        raise
    finally:
        for open_handle in held:
            os.close(open_handle)


def _read_for_copy(source: Path) -> sqlite3.Connection:
    """A plain connection to copy ``source`` from; read-only (and immutable where SQLite needs it) when it cannot be written."""
    reason = read_only_reason(source)
    if reason is None:
        return sqlite3.connect(source, timeout=5, isolation_level=None)
    uri = (
        "file:"
        + quote(str(source.resolve()))
        + "?mode=ro"
        + ("&immutable=1" if environment.immutable(source, reason) else "")
    )
    return sqlite3.connect(uri, uri=True, timeout=5, isolation_level=None)


def _remove_abandoned(path: Path) -> None:
    """Remove the temporary files of earlier attempts to make ``path`` that were killed (nobody holds them).

    Where files cannot be locked (Windows) they are left: they are hidden, and never opened.
    """
    if fcntl is None:
        return
    for partial in path.parent.glob(f".{glob.escape(path.name)}{PARTIAL}*"):
        if partial.name.endswith(("-wal", "-shm", "-journal")):
            continue
        try:
            handle = os.open(partial, os.O_RDONLY)
        except OSError:
            continue
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            continue  # another attempt is making it right now
        else:
            remove_files(partial)
        finally:
            os.close(handle)


def _settle(db: Database) -> None:
    """Move everything from the WAL into the project file, so that the one file holds the whole project."""
    with db.engine.connect() as conn:
        busy = conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)").first()
    if busy is not None and busy[0]:
        raise ProjectError(Message("{location}: cannot create the project (it is in use)", location=db.location))


def _publish(partial: Path, path: Path) -> None:
    """Give the finished project its name, unless a file of that name appeared meanwhile (a hard link never replaces)."""
    try:
        os.link(partial, path)
    except FileExistsError:
        raise ProjectError(Message("{path}: already exists; choose another name or open it", path=str(path))) from None
    except OSError:
        if path.exists():  # no hard links on this file system (FAT): the check before stands
            raise ProjectError(
                Message("{path}: already exists; choose another name or open it", path=str(path))
            ) from None
        os.replace(partial, path)
    remove_files(partial)
    sync_folder(path.parent)


def remove_files(target: str | Path) -> None:
    """Delete a project file with its WAL, shared-memory and rollback journal files (nothing for a server URL)."""
    if is_url(target):
        return
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)


def _reason(exc: Exception) -> str:
    orig = getattr(exc, "orig", None)
    return str(orig or exc).splitlines()[0]
