"""Snapshots of a project file with SQLite's online backup: taken, checked, kept N deep, listed and restored.

A project ``studie.mda`` keeps its snapshots in the folder ``studie.mda.backups/`` beside it, as
MAXQDA keeps a backup folder: a visible folder a user can find, copy or send, named after its
project so that two projects in one folder never mix theirs. Each snapshot is a complete project
file, named by the UTC time it was taken and the operation it was taken before
(``2026-12-03T07-30-12Z-merge.mda``), openable with any mda-coder command as it is.

A snapshot is written under a hidden temporary name (``.…mda.partial``), checked with
``PRAGMA quick_check``, synced to disk and only then renamed to its real name: a process killed
half-way leaves a ``.partial`` file that no listing shows and the next snapshot clears away,
never a file that looks complete and is not.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from mda_coder.core.errors import NotFoundError, ProjectError
from mda_coder.i18n import Message

KEEP = 10
"""Snapshots kept when the project says nothing else (its ``backups.keep`` setting)."""
KEEP_SETTING = "backups.keep"
FOLDER_SUFFIX = ".backups"
PARTIAL_SUFFIX = ".partial"
STALE_PARTIAL_SECONDS = 3600
"""A ``.partial`` file this old was left by a killed process (a snapshot takes seconds), and is removed."""
STEP_PAGES = 4096
"""Pages copied per step: between steps another process may write, so a snapshot never blocks coders long."""
BUSY_MS = 5000

_NAME = re.compile(r"^(?P<time>\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}Z)(?:-(?P<n>\d+))?-(?P<operation>[a-z][a-z-]*)\.mda$")
_TIME = "%Y-%m-%dT%H-%M-%SZ"


@dataclass(frozen=True)
class Snapshot:
    """One complete snapshot file."""

    path: Path
    taken: datetime
    """When it was taken, in UTC."""
    operation: str
    """What it was taken before: ``migration``, ``import``, ``merge``, ``restore``, ``manual`` …"""
    size: int
    """Bytes on disk."""
    schema: int | None
    """The project's schema version in the snapshot; None if it cannot be read."""

    @property
    def name(self) -> str:
        return self.path.name


class BackupFailed(ProjectError):
    """A snapshot could not be written or did not check out; the project itself is untouched."""


def folder_of(project: Path) -> Path:
    """``studie.mda`` → ``studie.mda.backups`` beside it."""
    return project.with_name(project.name + FOLDER_SUFFIX)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__


def _connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=BUSY_MS / 1000, isolation_level=None)
    conn.execute(f"PRAGMA busy_timeout={BUSY_MS}")
    return conn


def _read_only(path: Path) -> str:
    """A read-only URI for a snapshot (a rollback-journal file, so no ``-shm`` is needed)."""
    return "file:" + quote(str(path.resolve())) + "?mode=ro"


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:  # some file systems cannot sync a folder; the rename is still atomic
        pass
    finally:
        os.close(fd)


def _schema(conn: sqlite3.Connection) -> int | None:
    try:
        version: int | None = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
    except sqlite3.Error:
        return None
    return version


def keep_of(project: Path) -> int:
    """How many snapshots ``project`` keeps: its ``backups.keep`` setting, else ``KEEP``."""
    try:
        conn = _connect(project)
        try:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (KEEP_SETTING,)).fetchone()
        finally:
            conn.close()
        return max(1, int(row[0])) if row else KEEP
    except (sqlite3.Error, ValueError, TypeError):
        return KEEP


def _free_name(folder: Path, operation: str, now: datetime) -> str:
    """The next name in ``folder`` for ``now``: a second snapshot in the same second is numbered (``…Z-2-merge``)."""
    stamp = now.astimezone(UTC).strftime(_TIME)
    taken = [
        int(found["n"] or 1)
        for p in folder.iterdir()
        if (found := _NAME.match(p.name.removeprefix(".").removesuffix(PARTIAL_SUFFIX))) and found["time"] == stamp
    ]
    n = max(taken, default=0) + 1
    return f"{stamp}-{operation}.mda" if n == 1 else f"{stamp}-{n}-{operation}.mda"


def _clear_stale(folder: Path) -> None:
    limit = time.time() - STALE_PARTIAL_SECONDS
    for partial in folder.glob(f".*{PARTIAL_SUFFIX}*"):  # with its -journal or -wal, if a kill left one
        try:
            if partial.stat().st_mtime < limit:
                partial.unlink()
        except OSError:
            pass


def _room_for(project: Path, folder: Path) -> None:
    """Refuse at once, with the figures, when the snapshot cannot fit (SQLite would only say "disk is full" later)."""
    need = sum(p.stat().st_size for p in (project, Path(f"{project}-wal")) if p.exists())
    free = shutil.disk_usage(folder).free
    if free < need:
        raise BackupFailed(
            Message(
                "{path}: no room for a snapshot in {folder} ({need} MB needed, {free} MB free)",
                path=str(project),
                folder=str(folder),
                need=round(need / 1e6, 1),
                free=round(free / 1e6, 1),
            )
        )


def copy_checked(source: sqlite3.Connection, target: Path) -> None:
    """Copy the database ``source`` into a new file ``target`` with the online backup, then check the copy.

    The copy is a plain rollback-journal file (no ``-wal`` beside it), so it is one file that can be
    moved or mailed as it is.
    """
    copy = sqlite3.connect(target, isolation_level=None)
    try:
        source.backup(copy, pages=STEP_PAGES)
        copy.execute("PRAGMA journal_mode=DELETE")
        verdict = [row[0] for row in copy.execute("PRAGMA quick_check")]
        if verdict != ["ok"]:
            raise sqlite3.DatabaseError(f"the copy does not check out: {verdict[0]}")
    finally:
        copy.close()


def take(project: Path, operation: str, *, keep: int | None = None, now: datetime | None = None) -> Snapshot:
    """A checked snapshot of ``project`` before ``operation``; then the oldest beyond ``keep`` are removed.

    Raises ``BackupFailed`` (the project unchanged, no snapshot left) when the folder cannot be
    made, the disk is full, or the copy does not check out.
    """
    if not _NAME.match(f"2000-01-01T00-00-00Z-{operation}.mda"):
        raise ValueError(f"an operation name is lower-case letters and dashes: {operation!r}")
    folder = folder_of(project)
    partial: Path | None = None
    if folder.exists() and not folder.is_dir():
        raise BackupFailed(
            Message(
                "{path}: cannot take a snapshot: {folder} is a file, not a folder (move it away)",
                path=str(project),
                folder=str(folder),
            )
        )
    try:
        folder.mkdir(exist_ok=True)
        _clear_stale(folder)
        _room_for(project, folder)
        name = _free_name(folder, operation, now or datetime.now(UTC))
        partial = folder / f".{name}{PARTIAL_SUFFIX}"
        source = _connect(project)
        try:
            copy_checked(source, partial)
        finally:
            source.close()
        _fsync(partial)
        final = folder / name
        os.replace(partial, final)
        partial = None
        _fsync(folder)
    except (OSError, sqlite3.Error) as exc:
        if partial is not None:
            for suffix in ("", "-journal", "-wal", "-shm"):
                Path(f"{partial}{suffix}").unlink(missing_ok=True)
        raise BackupFailed(
            Message(
                "{path}: cannot take a snapshot in {folder} ({reason})",
                path=str(project),
                folder=str(folder),
                reason=_reason(exc),
            )
        ) from exc
    rotate(project, keep if keep is not None else keep_of(project))
    return describe(final)


def keep_copy(project: Path, operation: str, *, keep: int | None = None) -> Snapshot:
    """A byte-for-byte copy of a project file too damaged for the online backup, kept like a snapshot.

    A restore over a damaged project keeps it this way, so that even that restore can be undone
    (and the damaged file handed to someone who can rescue what is in it).
    """
    folder = folder_of(project)
    partial: Path | None = None
    try:
        folder.mkdir(exist_ok=True)
        name = _free_name(folder, operation, datetime.now(UTC))
        partial = folder / f".{name}{PARTIAL_SUFFIX}"
        with project.open("rb") as src, partial.open("wb") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        final = folder / name
        os.replace(partial, final)
        partial = None
        _fsync(folder)
    except OSError as exc:
        if partial is not None:
            partial.unlink(missing_ok=True)
        raise BackupFailed(
            Message(
                "{path}: cannot take a snapshot in {folder} ({reason})",
                path=str(project),
                folder=str(folder),
                reason=_reason(exc),
            )
        ) from exc
    rotate(project, keep if keep is not None else KEEP)
    return describe(final)


def describe(path: Path) -> Snapshot:
    """The snapshot in ``path``, its time and operation read from its name."""
    found = _NAME.match(path.name)
    if found is None:
        raise NotFoundError(
            Message("{path}: not a snapshot's name (like 2026-12-03T07-30-12Z-merge.mda)", path=str(path))
        )
    taken = datetime.strptime(found["time"], _TIME).replace(tzinfo=UTC)
    schema = None
    try:
        conn = sqlite3.connect(_read_only(path), uri=True)
        try:
            schema = _schema(conn)
        finally:
            conn.close()
    except sqlite3.Error:
        pass
    return Snapshot(path, taken, found["operation"], path.stat().st_size, schema)


def snapshots(project: Path) -> list[Snapshot]:
    """The project's complete snapshots, oldest first (a ``.partial`` one is never listed)."""
    folder = folder_of(project)
    if not folder.is_dir():
        return []
    found = [describe(p) for p in folder.iterdir() if _NAME.match(p.name) and p.is_file()]
    return sorted(found, key=_order)


def _order(snapshot: Snapshot) -> tuple[datetime, int]:
    found = _NAME.match(snapshot.name)
    return snapshot.taken, int(found["n"] or 1) if found else 1


def rotate(project: Path, keep: int) -> list[Path]:
    """Remove the oldest snapshots beyond the newest ``keep`` (at least one is always kept); returns those removed."""
    ordered = snapshots(project)
    gone = [s.path for s in ordered[: max(0, len(ordered) - max(1, keep))]]
    for path in gone:
        path.unlink(missing_ok=True)
    return gone


def find(project: Path, given: str) -> Snapshot:
    """The snapshot ``given`` names: a path to it, or its name (with or without ``.mda``) in the project's folder."""
    folder = folder_of(project)
    for candidate in (Path(given), folder / given, folder / f"{given}.mda"):
        if candidate.is_file() and _NAME.match(candidate.name):
            return describe(candidate)
    raise NotFoundError(
        Message(
            "{project}: no snapshot '{snapshot}' (see 'mda-coder backups list {project}')",
            project=str(project),
            snapshot=given,
        )
    )


def remember_keep(project: Path, keep: int) -> None:
    """Store how many snapshots ``project`` keeps from now on (its ``backups.keep`` setting)."""
    conn = _connect(project)
    try:
        conn.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (KEEP_SETTING, str(keep)),
        )
    except sqlite3.Error as exc:
        raise ProjectError(
            Message(
                "{path}: cannot store the number of snapshots to keep ({reason})",
                path=str(project),
                reason=_reason(exc),
            )
        ) from exc
    finally:
        conn.close()


def _check(snapshot: Snapshot, source: sqlite3.Connection) -> None:
    try:
        verdict = [row[0] for row in source.execute("PRAGMA quick_check")]
        schema = _schema(source)
    except sqlite3.DatabaseError:
        verdict, schema = ["not a database"], None
    if verdict != ["ok"] or schema is None:
        raise ProjectError(
            Message(
                "{path}: the snapshot is damaged or not an mda-coder project; nothing was restored",
                path=str(snapshot.path),
            )
        )


def readable(project: Path) -> bool:
    """Whether ``project`` opens as a database at all (a damaged header does not)."""
    try:
        conn = _connect(project)
        try:
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
        finally:
            conn.close()
        return True
    except sqlite3.DatabaseError:
        return False


def _replace_file(project: Path, snapshot: Snapshot) -> None:
    """Put a copy of ``snapshot`` in place of ``project`` by renaming: for a project file that is missing or unreadable."""
    partial = project.with_name(f".{project.name}{PARTIAL_SUFFIX}")
    try:
        with snapshot.path.open("rb") as src, partial.open("wb") as dst:
            while chunk := src.read(1 << 20):
                dst.write(chunk)
            dst.flush()
            os.fsync(dst.fileno())
        for suffix in ("-wal", "-shm"):  # they belong to the file being replaced
            Path(f"{project}{suffix}").unlink(missing_ok=True)
        os.replace(partial, project)
        _fsync(project.parent)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise ProjectError(
            Message(
                "{path}: cannot restore ({reason}); the project is unchanged", path=str(project), reason=_reason(exc)
            )
        ) from exc


def restore(project: Path, snapshot: Snapshot) -> None:
    """Put ``snapshot``'s content into ``project``: all of it, or nothing.

    The online backup runs from the snapshot into the project, in one transaction on the project
    file: a process reading it sees the old content or the new, never a mix, and nothing is renamed
    under another process's feet. If another process is writing, the project is left as it is
    and ``ProjectError`` says so. A project file that is missing, or too damaged to open, is
    replaced by a copy of the snapshot instead (a temporary file renamed into place).
    """
    try:
        source = sqlite3.connect(_read_only(snapshot.path), uri=True, isolation_level=None)
    except sqlite3.Error as exc:
        raise ProjectError(
            Message("{path}: cannot read the snapshot ({reason})", path=str(snapshot.path), reason=_reason(exc))
        ) from exc
    try:
        _check(snapshot, source)
        if not project.exists() or not readable(project):
            _replace_file(project, snapshot)
            return
        target = sqlite3.connect(project, timeout=0.5, isolation_level=None)
        try:
            # The online backup waits for as long as another connection writes; a writer is asked for first.
            target.execute("BEGIN IMMEDIATE")
            target.execute("ROLLBACK")
            # pages=-1: every page in one step, so the project changes in a single transaction.
            source.backup(target, pages=-1)
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise ProjectError(
                    Message(
                        "{path}: another program is writing to the project; close it and restore again",
                        path=str(project),
                    )
                ) from exc
            raise ProjectError(
                Message(
                    "{path}: cannot restore ({reason}); the project is unchanged",
                    path=str(project),
                    reason=_reason(exc),
                )
            ) from exc
        finally:
            target.close()
    finally:
        source.close()
