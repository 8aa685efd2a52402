"""What the user's environment does to a project: another program writing, a full disk, a read-only disk, file or folder.

None of these is a fault of mda-coder or of the project, so each is told in one line that says
what it is (never "not an mda-coder project", never a traceback): ``environment_error`` reads
SQLite's error code, ``read_only_reason`` and ``disk_full`` look at the file and its disk, and
``tell_when_waiting`` lets the command line say that it is waiting for another writer.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import Connection, Engine, ExceptionContext, event

from mda_coder.core.errors import ProjectError
from mda_coder.i18n import Message

_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE", "CREATE", "DROP", "ALTER")


def tell_when_waiting(engine: Engine, path: Path, location: str, notice: Callable[[str], None], after: float) -> None:
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


def read_only_reason(path: Path) -> Message | None:
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


def disk_full(path: Path) -> bool:
    """Whether the disk holding ``path`` has (next to) no room left: less than 64 KiB for an ordinary user."""
    try:
        disk = os.statvfs(path.resolve().parent)
    except (AttributeError, OSError):  # no statvfs on Windows
        return False
    return disk.f_bavail * disk.f_frsize < 64 * 1024


_SQLITE_CODES = {
    "SQLITE_BUSY": "busy",
    "SQLITE_LOCKED": "busy",
    "SQLITE_FULL": "full",
    "SQLITE_READONLY": "read-only",
    "SQLITE_IOERR": "io",
    "SQLITE_CANTOPEN": "cannot-open",
    "SQLITE_NOTADB": "not-a-project",
    "SQLITE_CORRUPT": "damaged",
}
_SQLITE_TEXTS = (
    ("database is locked", "busy"),
    ("database table is locked", "busy"),
    ("database or disk is full", "full"),
    ("readonly database", "read-only"),
    ("disk i/o error", "io"),
    ("unable to open database file", "cannot-open"),
    ("file is not a database", "not-a-project"),
    ("database disk image is malformed", "damaged"),
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
    refused = server_error(exc, location)
    if refused is not None:
        return refused
    cause = _cause(exc)
    if cause in ("io", "cannot-open") and "://" not in location and disk_full(Path(location)):
        cause = "full"  # SQLite says "disk I/O error" when a full disk leaves no room for its -shm file
    if cause == "busy":
        return ProjectError(
            Message(
                "{location}: another program is writing to this project; try again when it is done", location=location
            )
        )
    if cause == "full":
        return ProjectError(
            Message(
                "{location}: the disk is full; free some space and try again (nothing was changed)", location=location
            )
        )
    if cause == "read-only":
        reason = read_only or (None if "://" in location else read_only_reason(Path(location)))
        return ProjectError(
            Message(
                "{location} is read-only: {reason}; it can be read but not changed",
                location=location,
                reason=reason or Message("the database refuses changes"),
            )
        )
    if cause == "cannot-open":
        return ProjectError(
            Message(
                "{location}: SQLite cannot open it here (unable to open database file); "
                "check the permissions of the file and its folder",
                location=location,
            )
        )
    if cause == "io":
        return ProjectError(
            Message(
                "{location}: the disk could not be read or written (disk I/O error); check the disk", location=location
            )
        )
    return None


def _own_rows(table: str, role: str) -> Message | None:
    """Why row-level security refused a change to ``table``: the rows there that ``role`` may change."""
    return {
        "codings": Message("{role} may change only their own codings", role=role),
        "memos": Message("{role} may change only their own memos", role=role),
        "events": Message("{role} may write the journal only in their own name", role=role),
        "coders": Message("{role} may change only their own coder", role=role),
        "open_windows": Message("{role} may change only their own windows", role=role),
        "coder_places": Message("{role} may change only their own place", role=role),
    }.get(table)


def server_error(exc: BaseException, location: str) -> ProjectError | None:
    """What a PostgreSQL server's refusal or a failed login means, in one line; None for anything else.

    SQLSTATE 42501 (insufficient privilege) is the server holding a team member to their rights
    (row-level security, or a table only the lead writes); 28xxx and the driver's own words are
    a login that did not work: no such role, a wrong or missing password, no database of that name.
    """
    orig = getattr(exc, "orig", exc)
    state = getattr(orig, "sqlstate", None)
    said = str(orig).strip()
    if state is None and "://" not in location:
        return None
    role = urlsplit(location).username or "you"
    where = without_password(location)
    if state == "42501":
        table = re.search(r'(?:for table|relation) "?([a-z_]+)"?', said)
        name = table.group(1) if table else ""
        reason = _own_rows(name, role)
        statement = str(getattr(exc, "statement", "") or "").lstrip().upper()
        if reason is None and statement.startswith(("SELECT", "WITH")):  # not even reading: not in the team
            reason = Message(
                "{role} may not read this project: not in its team (the lead adds coders with "
                "'mda-coder server add-coder')",
                role=role,
            )
        if reason is None and name:
            reason = Message("only the lead may change {table}", table=name)
        if reason is None:
            reason = Message("{role} may not do this", role=role)
        return ProjectError(Message("{location}: the server refused: {reason}", location=where, reason=reason))
    if state == "P0001" and "append-only" in said:
        return ProjectError(Message("{location}: the server refused: the journal is append-only", location=where))
    text = said.lower()
    login = (
        ("password authentication failed", Message("the password was wrong (check ~/.pgpass or PGPASSFILE)")),
        (
            "no password supplied",
            Message("a password is needed: put it in ~/.pgpass (or PGPASSFILE), never on the command line"),
        ),
        ("does not exist", None),
        ("connection refused", Message("no server answers there")),
        ("could not translate host name", Message("no such host")),
        ("is not permitted to log in", Message("the role may not log in")),
        ("no pg_hba.conf entry", Message("the server does not let this role in from here (pg_hba.conf)")),
    )
    for known, reason in login:
        if known in text:
            if reason is None:
                found = re.search(r'(role|database) "([^"]+)" does not exist', said)
                if found is None:
                    continue
                reason = (
                    Message("the server has no role {name}", name=found.group(2))
                    if found.group(1) == "role"
                    else Message("the server has no database {name} (createdb {name})", name=found.group(2))
                )
            return ProjectError(Message("{location}: cannot log in: {reason}", location=where, reason=reason))
    return None


def without_password(location: str) -> str:
    """The URL as it may be shown: a password in it (which server commands refuse) as ***."""
    parts = urlsplit(location)
    if parts.password is None:
        return location
    return location.replace(f":{parts.password}@", ":***@", 1)


def immutable(path: Path, reason: Message) -> bool:
    """Whether a read-only project must be read as immutable: SQLite cannot make its -shm file beside it.

    Where the folder can be written, SQLite reads a read-only file through a -shm it makes; where
    a -shm is there already (a copy on a read-only disk), through that one. Otherwise the file is
    read as it is, which is the whole project unless a -wal file holds changes not yet in it.
    """
    if os.access(path.resolve().parent, os.W_OK) or Path(f"{path}-shm").exists():
        return False
    wal = Path(f"{path}-wal")
    if wal.exists() and wal.stat().st_size > 0:
        raise ProjectError(
            Message(
                "{path} is read-only ({reason}) and its latest changes are in {wal}, which cannot be read here: "
                "copy the project with its -wal file to a folder you can write to",
                path=str(path),
                reason=reason,
                wal=str(wal),
            )
        )
    return True
