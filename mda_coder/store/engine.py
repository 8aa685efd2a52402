"""Open and create project databases: one SQLite file by default, or a PostgreSQL URL."""

from __future__ import annotations

import glob
import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, Engine, ExceptionContext, create_engine, event, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import QueuePool

from mda_coder.core import waiting
from mda_coder.core.errors import ProjectError
from mda_coder.core.files import normal_mode, os_reason, sync_folder
from mda_coder.i18n import Message
from mda_coder.store import migrations

try:
    import fcntl
except ImportError:  # Windows
    fcntl = None  # type: ignore[assignment]


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


_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


def _tell_when_waiting(engine: Engine, path: Path, location: str, notice: Callable[[str], None], after: float) -> None:
    """Tell ``notice`` when a transaction's first write has waited ``after`` seconds for another program.

    SQLite's own busy handler cannot say anything. So before the one statement of a transaction
    that may wait (the first write: reads never wait in WAL mode, later writes hold the lock), a
    second connection asks for the write lock without waiting; only when another program holds
    it is a timer armed, so a write that is merely slow is never said to be waiting.
    """
    probe: list[sqlite3.Connection] = []
    probing = threading.Lock()

    def someone_writing() -> bool:
        with probing:
            if not probe:
                probe.append(sqlite3.connect(path, timeout=0, isolation_level=None, check_same_thread=False))
            try:
                probe[0].execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError:
                return True
            probe[0].execute("ROLLBACK")
            return False

    def before(conn: Connection, _cursor: object, statement: str, *_args: object) -> None:
        if conn.info.get("writing") or not statement.lstrip()[:7].upper().startswith(_WRITES):
            return
        conn.info["writing"] = True
        if someone_writing():
            timer = threading.Timer(after, notice, (location,))
            timer.daemon = True
            conn.info["timer"] = timer
            timer.start()

    def settled(conn: Connection, *_args: object) -> None:
        timer = conn.info.pop("timer", None)
        if timer is not None:
            timer.cancel()

    def failed(context: ExceptionContext) -> None:
        if context.connection is not None:
            settled(context.connection)

    def ended(conn: Connection) -> None:
        conn.info.pop("writing", None)

    def disposed(_engine: Engine) -> None:
        with probing:
            while probe:
                probe.pop().close()

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", settled)
    event.listen(engine, "handle_error", failed)
    event.listen(engine, "commit", ended)
    event.listen(engine, "rollback", ended)
    event.listen(engine, "engine_disposed", disposed)


def make_engine(target: str | Path, *, read_only: bool = False, immutable: bool = False,
                location: str | None = None) -> Engine:
    """An engine on ``target``; ``read_only`` opens the file so (``immutable`` too where no -shm can be made)."""
    if is_url(target):
        url = str(target)
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url[len("postgresql://") :]
        return create_engine(url)
    wait = waiting.WAIT
    if read_only:
        uri = f"file:{quote(str(Path(target).resolve()))}?mode=ro" + ("&immutable=1" if immutable else "")
        engine = create_engine("sqlite://", poolclass=QueuePool,
                               creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False))
    else:
        engine = create_engine(f"sqlite:///{Path(target)}")
    event.listen(engine, "connect", _sqlite_pragmas(int(wait.seconds * 1000)))
    if wait.notice is not None and not read_only:
        _tell_when_waiting(engine, Path(target), location or str(target), wait.notice, wait.notice_after)
    return engine


def _read_only_reason(path: Path) -> Message | None:
    """Why a project file cannot be changed here (read-only disk, file or folder), or None when it can."""
    folder = path.resolve().parent
    try:
        if os.statvfs(folder).f_flag & os.ST_RDONLY:
            return Message("it is on a read-only disk")
    except (AttributeError, OSError):  # no statvfs on Windows
        pass
    if not os.access(path, os.W_OK):
        return Message("the file is read-only")
    if not os.access(folder, os.W_OK):
        return Message("you cannot write in its folder {folder}", folder=str(folder))
    return None


def _disk_full(path: Path) -> bool:
    """Whether the disk holding ``path`` has (next to) no room left: less than 64 KiB for an ordinary user."""
    try:
        disk = os.statvfs(path.resolve().parent)
    except (AttributeError, OSError):  # no statvfs on Windows
        return False
    return disk.f_bavail * disk.f_frsize < 64 * 1024


_SQLITE_CODES = {
    "SQLITE_BUSY": "busy", "SQLITE_LOCKED": "busy", "SQLITE_FULL": "full", "SQLITE_READONLY": "read-only",
    "SQLITE_IOERR": "io", "SQLITE_CANTOPEN": "cannot-open", "SQLITE_NOTADB": "not-a-project", "SQLITE_CORRUPT": "damaged",
}
_SQLITE_TEXTS = (
    ("database is locked", "busy"), ("database table is locked", "busy"), ("database or disk is full", "full"),
    ("readonly database", "read-only"), ("disk i/o error", "io"), ("unable to open database file", "cannot-open"),
    ("file is not a database", "not-a-project"), ("database disk image is malformed", "damaged"),
)


def _cause(exc: BaseException) -> str | None:
    """What a database error is, from SQLite's error code (its text where the driver gives no code)."""
    orig = getattr(exc, "orig", exc)
    name = getattr(orig, "sqlite_errorname", None)
    if isinstance(name, str):
        for prefix, cause in _SQLITE_CODES.items():
            if name == prefix or name.startswith(prefix + "_"):
                return cause
    text = str(orig).lower()
    return next((cause for known, cause in _SQLITE_TEXTS if known in text), None)


def environment_error(exc: BaseException, location: str, read_only: Message | None = None) -> ProjectError | None:
    """The one line a database error means for the user, when its cause is theirs to fix; None for a bug.

    A full disk, a read-only project and another program's lock are the user's environment, not
    a fault of mda-coder, and each says what it is; anything else stays an exception (a bug).
    """
    cause = _cause(exc)
    if cause in ("io", "cannot-open") and not is_url(location) and _disk_full(Path(location)):
        cause = "full"  # SQLite says "disk I/O error" when a full disk leaves no room for its -shm file
    if cause == "busy":
        return ProjectError(Message("{location}: another program is writing to this project; try again when it is done",
                                    location=location))
    if cause == "full":
        return ProjectError(Message("{location}: the disk is full; free some space and try again (nothing was changed)",
                                    location=location))
    if cause == "read-only":
        reason = read_only or (None if is_url(location) else _read_only_reason(Path(location)))
        return ProjectError(Message("{location} is read-only: {reason}; it can be read but not changed", location=location,
                                    reason=reason or Message("the database refuses changes")))
    if cause == "cannot-open":
        return ProjectError(Message("{location}: SQLite cannot open it here (unable to open database file); "
                                    "check the permissions of the file and its folder", location=location))
    if cause == "io":
        return ProjectError(Message("{location}: the disk could not be read or written (disk I/O error); check the disk",
                                    location=location))
    return None


class Database:
    """A project's database: the engine and the one way to get a transaction."""

    def __init__(self, engine: Engine, location: str, read_only: Message | None = None) -> None:
        self.engine = engine
        self.location = location
        self.read_only = read_only
        """Why the project can only be read (a read-only disk, file or folder), or None when it can be changed."""
        self._sessions = sessionmaker(engine, expire_on_commit=False)

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
            raise ProjectError(Message("{path}: folder {folder} does not exist", path=str(path), folder=str(path.parent)))
        _remove_abandoned(path)
        try:
            handle, name = tempfile.mkstemp(prefix=f".{path.name}{PARTIAL}", dir=path.parent)
        except OSError as exc:
            raise ProjectError(Message("cannot create {path}: {reason}", path=str(path), reason=os_reason(exc))) from None
        partial = Path(name)
        try:
            _hold(handle)
            os.chmod(partial, normal_mode())
            db = cls._made(partial, location)
            try:
                yield db
                _settle(db)
            finally:
                db.close()
            _publish(partial, path)
        except BaseException:
            remove_files(partial)
            raise
        finally:
            os.close(handle)

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
            raise ProjectError(Message("{location}: cannot create the project ({reason})", location=location,
                                       reason=_reason(exc))) from exc
        except ProjectError:
            engine.dispose()
            raise
        return cls(engine, location)

    @classmethod
    def open(cls, target: str | Path) -> Database:
        location = str(target)
        read_only: Message | None = None
        immutable = False
        if not is_url(target):
            path = Path(target)
            if not path.exists():
                raise ProjectError(Message("{path}: no such project (create it with 'mda-coder init {path}')", path=str(path)))
            if path.is_dir():
                raise ProjectError(Message("{path}: is a folder, not a project file", path=str(path)))
            if not os.access(path, os.R_OK):
                raise ProjectError(Message("{path}: you have no permission to read it", path=str(path)))
            read_only = _read_only_reason(path)
            if read_only is not None:
                immutable = _immutable(path, read_only)
        engine = make_engine(target, read_only=read_only is not None, immutable=immutable)
        try:
            with engine.connect() as conn:
                conn.execute(text("SELECT 1"))
                version = migrations.current_version(conn)
            if version == 0:
                raise ProjectError(Message("{location}: not an mda-coder project", location=location))
            if read_only is not None and version < migrations.latest_version():
                raise ProjectError(Message(
                    "{location} is read-only ({reason}) and was made by an older mda-coder: copy it to a folder "
                    "you can write to, to upgrade it", location=location, reason=read_only))
            if read_only is None:
                migrations.upgrade(engine.connect, location)
        except DBAPIError as exc:
            engine.dispose()
            said = environment_error(exc, location, read_only)
            if said is not None:
                raise said from exc
            raise ProjectError(Message("{location}: not an mda-coder project ({reason})", location=location,
                                       reason=_reason(exc))) from exc
        except ProjectError:
            engine.dispose()
            raise
        return cls(engine, location, read_only)


PARTIAL = ".partial-"
"""What a project file being made is called until it is complete: ``.NAME.partial-XXXX`` beside NAME."""


def _immutable(path: Path, reason: Message) -> bool:
    """Whether a read-only project must be read as immutable: SQLite cannot make its -shm file beside it.

    Where the folder can be written, SQLite reads a read-only file through a -shm it makes; where
    a -shm is there already (a copy on a read-only disk), through that one. Otherwise the file is
    read as it is, which is the whole project unless a -wal file holds changes not yet in it.
    """
    if os.access(path.resolve().parent, os.W_OK) or Path(f"{path}-shm").exists():
        return False
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise ProjectError(Message(
            "{path} is read-only ({reason}) and its latest changes are in {wal}, which cannot be read here: "
            "copy the project with its -wal file to a folder you can write to", path=str(path), reason=reason,
            wal=str(wal)))
    return True


def _hold(handle: int) -> None:
    """Mark a project file being made as in use, so another attempt does not take it for an abandoned one."""
    if fcntl is not None:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            pass  # a file system without locks: an abandoned file is then left, never a live one removed


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
            raise ProjectError(Message("{path}: already exists; choose another name or open it", path=str(path))) from None
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
