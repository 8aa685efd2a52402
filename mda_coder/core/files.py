"""The one way mda-coder writes a file: all or nothing, with the user's normal permissions, never over a file unasked.

Every export, report file and picture goes through ``write_file``: the bytes go into a temporary
file beside the target (same folder, so the rename cannot cross file systems), are flushed and
synced to disk, get the permissions any new file of the user's would get (``0666`` less the umask;
``mkstemp``'s ``0600`` would hide a report from co-authors), and only then take the target's name.
An interrupted or failed write leaves the old file as it was and no temporary file behind; a
crash between the sync and the rename leaves at most one hidden ``.NAME.*.part`` file.
"""

from __future__ import annotations

import errno
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO

from mda_coder.core.errors import MdaError
from mda_coder.i18n import Message

_REASONS = {
    errno.ENOSPC: Message("the disk is full"),
    getattr(errno, "EDQUOT", -1): Message("the disk quota is used up"),
    errno.EFBIG: Message("the file would be larger than the system allows"),
    errno.EROFS: Message("it is on a read-only disk"),
    errno.EACCES: Message("no permission to write there"),
    errno.EPERM: Message("no permission to write there"),
}
"""What an operating system error means for someone saving a file (in the words every message uses)."""


_DENIED = Message("permission denied")


def os_reason(exc: OSError, *, writing: bool = True) -> Message | str:
    """Why a write (or, not ``writing``, any use of a file) failed, said plainly for the causes a user meets.

    A full disk, a read-only disk, a file too large and a missing permission are a Message; any
    other error is the system's own words (a str), which the command line treats as a bug.
    """
    if not writing and exc.errno in (errno.EACCES, errno.EPERM):
        return _DENIED
    return _REASONS.get(exc.errno or 0) or exc.strerror or str(exc)


def normal_mode() -> int:
    """The permissions a new file gets here: ``0666`` less the umask (``0644`` under the usual ``022``)."""
    umask = os.umask(0o022)
    os.umask(umask)
    return 0o666 & ~umask


def sync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` survive a power cut, where the system allows syncing a folder (not Windows)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def check_writable(path: Path, *, force: bool) -> None:
    """Refuse a target that is a folder, in a folder that does not exist, or already there without ``force``."""
    if path.is_dir():
        raise MdaError(Message("{path} is a folder: give a file name", path=str(path)))
    if not path.parent.exists():
        raise MdaError(
            Message("cannot write {path}: folder {folder} does not exist", path=str(path), folder=str(path.parent))
        )
    if path.exists() and not force:
        raise MdaError(Message("{path} exists; add --force to replace it", path=str(path)))


def write_file(path: str | os.PathLike[str], write: Callable[[IO[bytes]], None], *, force: bool = False) -> None:
    """Write ``path`` through ``write`` all or nothing; without ``force`` an existing file is refused, not replaced.

    Nothing is written anywhere but ``path`` and its temporary file beside it, which is always
    removed on failure. The refusal is checked again at the rename, so a file that appears while
    the export is written is not replaced either.
    """
    target = Path(path)
    check_writable(target, force=force)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    except OSError as exc:
        raise MdaError(Message("cannot write {path}: {reason}", path=str(target), reason=os_reason(exc))) from None
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, normal_mode())
        if force:
            os.replace(temporary, target)
        else:
            _rename_new(Path(temporary), target)
    except OSError as exc:
        Path(temporary).unlink(missing_ok=True)
        raise MdaError(Message("cannot write {path}: {reason}", path=str(target), reason=os_reason(exc))) from None
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    sync_folder(target.parent)


def write_text(path: str | os.PathLike[str], render: Callable[[IO[str]], None], *, force: bool = False) -> None:
    """``write_file`` for text: UTF-8, line ends exactly as ``render`` writes them."""

    def write(stream: IO[bytes]) -> None:
        text = io.TextIOWrapper(stream, encoding="utf-8", newline="")
        render(text)
        text.flush()
        text.detach()

    write_file(path, write, force=force)


def _rename_new(temporary: Path, target: Path) -> None:
    """Give ``temporary`` the name ``target`` only if nothing has it yet (a hard link cannot replace a file)."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        temporary.unlink(missing_ok=True)
        raise MdaError(Message("{path} exists; add --force to replace it", path=str(target))) from None
    except OSError:
        # a file system without hard links (FAT on a USB stick): the check before writing stands
        if target.exists():
            temporary.unlink(missing_ok=True)
            raise MdaError(Message("{path} exists; add --force to replace it", path=str(target))) from None
        os.replace(temporary, target)
        return
    temporary.unlink()
