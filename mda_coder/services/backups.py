"""Snapshots before risky operations, and listing, taking and restoring them; a warning for unsafe folders.

Every operation that changes much at once takes a snapshot of the project file first (see
``store.backups``): a schema migration, an import of more than one file, a codebook merged in,
a code merged into another, a document removed, a restore. A snapshot that cannot be taken (a
full disk, a folder that cannot be written) refuses the operation with one line and the project
unchanged, unless the command was given ``--no-backup``. A future pseudonymisation use case calls
``before(target, "pseudonymise")`` the same way before its transaction, and a repair of the
project ``before(target, "repair")``.

A PostgreSQL project has no file to copy: it is said once that no snapshot is taken (the
server's own ``pg_dump`` is the backup there), and the operation goes on. In-memory databases
(tests) are skipped silently.

The choices of one command (``--no-backup``, where its warnings go) are set with ``start`` by the
command line as each command begins, and reset by the next; the workspace keeps the defaults.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from mda_coder.core.errors import InputError, ProjectError
from mda_coder.i18n import Message, message_of
from mda_coder.store import backups as store
from mda_coder.store import places
from mda_coder.store.backups import BackupFailed, Snapshot

__all__ = ["Snapshot", "before", "list_snapshots", "restore", "start", "take", "warn_if_unsafe"]

OPERATIONS = {
    "migration": Message("the schema upgrade"),
    "import": Message("the import"),
    "import-qdpx": Message("the import"),
    "codebook-import": Message("the codebook import"),
    "merge": Message("the merge"),
    "remove": Message("the removal"),
    "pseudonymise": Message("the pseudonymisation"),
    "repair": Message("the repair"),
}
"""What a snapshot is taken before (the last word of its file name), and how a refusal names it."""


@dataclass
class _Command:
    """What the command now running chose, and what it has already said."""

    enabled: bool = True
    notify: Callable[[Message], None] | None = None
    said: set[str] = field(default_factory=set)


_now = _Command()


def start(*, enabled: bool = True, notify: Callable[[Message], None] | None = None) -> None:
    """A command begins: snapshots on or off (``--no-backup``), and where a warning goes (stderr in the CLI)."""
    global _now
    _now = _Command(enabled, notify)


def disable() -> None:
    """``--no-backup`` given to the command itself rather than before it."""
    _now.enabled = False


def _say_once(key: str, message: Message) -> None:
    if key not in _now.said:
        _now.said.add(key)
        if _now.notify is not None:
            _now.notify(message)


def _file(target: str | Path) -> Path | None:
    """The project's file; None for a server URL (said once) or an in-memory database."""
    text = str(target)
    if "://" in text:
        if text.split("://", 1)[0].startswith("postgresql"):
            _say_once(
                "server",
                Message(
                    "{location}: a PostgreSQL project is not copied to snapshots; back it up with the server's pg_dump",
                    location=text.split("@")[-1],
                ),
            )
        return None
    if text in ("", ":memory:") or text.startswith("file::memory:"):
        return None
    return Path(text)


def warn_if_unsafe(target: str | Path) -> None:
    """Warn (once per command) when a project file sits in a cloud-synced folder or on a network file system."""
    if "://" in str(target):
        return  # a server: no file to place (the note about snapshots is for commands that would take one)
    path = _file(target)
    if path is None:
        return
    place = places.place_of(path)
    if place is None:
        return
    if place.kind == "cloud":
        message = Message(
            "{path} is in a folder synced by {service} ({folder}); a sync client can corrupt an open "
            "project or bring back an old copy: work on a copy in a local folder and copy it back "
            "when done",
            path=str(path),
            service=place.name,
            folder=place.where,
        )
    else:
        message = Message(
            "{path} is on a network file system ({type} at {folder}), where SQLite's file locking "
            "is not reliable and work can be lost: work on a copy in a local folder and copy it back "
            "when done",
            path=str(path),
            type=place.name,
            folder=place.where,
        )
    _say_once("place", message)


def before(target: str | Path, operation: str) -> Snapshot | None:
    """A snapshot of the project before ``operation``, or None when none is taken (off, a server, in memory).

    Raises ``ProjectError`` when the snapshot fails, before anything is changed.
    """
    if not _now.enabled:
        return None
    path = _file(target)
    if path is None or not path.is_file():
        return None
    try:
        return store.take(path, operation)
    except BackupFailed as exc:
        raise ProjectError(
            Message(
                "{error}: {operation} is refused and the project is unchanged (free some space, "
                "or add --no-backup to go on without a snapshot)",
                error=message_of(exc),
                operation=OPERATIONS.get(operation, operation),
            )
        ) from exc


def _local(target: str) -> Path:
    path = _file(target)
    if path is None:
        raise ProjectError(
            Message(
                "{location}: a PostgreSQL project has no snapshots; back it up with the server's pg_dump",
                location=target.split("@")[-1],
            )
        )
    return path


def take(target: str, *, keep: int | None = None) -> Snapshot:
    """A snapshot now (``backups take``); with ``keep``, the project keeps that many from now on."""
    path = _local(target)
    if not path.is_file():
        raise ProjectError(Message("{path}: no such project", path=str(path)))
    if keep is not None:
        if keep < 1:
            raise InputError(Message("--keep must be 1 or more (got {keep})", keep=keep))
        store.remember_keep(path, keep)
    try:
        return store.take(path, "manual", keep=keep)
    except BackupFailed as exc:
        raise ProjectError(message_of(exc)) from exc


def list_snapshots(target: str) -> list[Snapshot]:
    """The project's snapshots, oldest first; the project file itself need not open (or exist)."""
    return store.snapshots(_local(target))


@dataclass(frozen=True)
class Restored:
    """What a restore did."""

    restored: Snapshot
    saved: Snapshot | None
    """The snapshot of the project as it was just before, which undoes the restore; None with ``--no-backup``."""


def restore(target: str, snapshot: str) -> Restored:
    """Put a snapshot back as the project, after taking a snapshot of the project as it is now."""
    path = _local(target)
    warn_if_unsafe(path)
    chosen = store.find(path, snapshot)
    saved = None
    if path.is_file() and _now.enabled:
        # Nothing is rotated away before the restore: the snapshot restored may be the oldest.
        no_rotation = len(store.snapshots(path)) + 2
        try:
            if store.readable(path):
                saved = store.take(path, "restore", keep=no_rotation)
            else:
                saved = store.keep_copy(path, "damaged", keep=no_rotation)
        except BackupFailed as exc:
            raise ProjectError(
                Message(
                    "{error}: the restore is refused and the project is unchanged (free some "
                    "space, or add --no-backup to restore without keeping the project as it is)",
                    error=message_of(exc),
                )
            ) from exc
    store.restore(path, chosen)
    if saved is not None:
        store.rotate(path, max(store.keep_of(path), 2))
    return Restored(chosen, saved)
