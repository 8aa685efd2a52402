"""Where a project file sits: cloud-synced folders and network file systems, where SQLite is not safe.

SQLite relies on the file system's locks and on its own ``-wal`` and ``-shm`` files staying beside
the project. A sync client (Dropbox, OneDrive, iCloud …) uploads and replaces those files one at a
time, behind SQLite's back, and can bring back a stale copy or make a "conflicted copy"; network
file systems (NFS, SMB/CIFS, sshfs) often do not honour the locks at all, and the shared memory
WAL needs does not work across machines. Both can lose or corrupt work. The remedy is simple:
work on a copy in a local folder and copy it back when done.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path, PurePath

CLOUD_FOLDERS = {
    "dropbox": "Dropbox",
    "onedrive": "OneDrive",
    "icloud drive": "iCloud Drive",
    "icloud": "iCloud Drive",
    "mobile documents": "iCloud Drive",
    "icloud~com~apple~clouddocs": "iCloud Drive",
    "google drive": "Google Drive",
    "googledrive": "Google Drive",
    "my drive": "Google Drive",
    "nextcloud": "Nextcloud",
    "owncloud": "ownCloud",
    "box": "Box",
    "box sync": "Box",
    "pcloud drive": "pCloud",
    "seafile": "Seafile",
    "cloudstorage": "a cloud drive",  # macOS ~/Library/CloudStorage holds every synced drive
}
"""A folder name (lower case) → the service it belongs to. ``OneDrive - Org`` counts as OneDrive."""

NETWORK_FILE_SYSTEMS = {
    "nfs",
    "nfs4",
    "cifs",
    "smb",
    "smb3",
    "smbfs",
    "fuse.sshfs",
    "sshfs",
    "9p",
    "afs",
    "ceph",
    "glusterfs",
    "fuse.glusterfs",
    "davfs",
    "fuse.davfs2",
    "fuse.rclone",
    "lustre",
    "gpfs",
    "beegfs",
}
"""File system types (as ``/proc/mounts`` names them) that reach over a network."""


@dataclass(frozen=True)
class Place:
    """Why a path is not a safe place for a project."""

    kind: str
    """``cloud`` or ``network``."""
    name: str
    """The service (``Dropbox``) or the file system type (``nfs4``)."""
    where: str
    """The folder or mount point it starts at."""


def _cloud(path: PurePath) -> Place | None:
    for i, part in enumerate(path.parts):
        folded = part.casefold()
        service = CLOUD_FOLDERS.get(folded)
        if service is None and folded.startswith(("onedrive -", "onedrive-")):
            service = "OneDrive"
        if service is None and folded.startswith("dropbox ("):  # "Dropbox (Company)"
            service = "Dropbox"
        if service is not None:
            return Place("cloud", service, str(PurePath(*path.parts[: i + 1])))
    return None


def _unescape(field: str) -> str:
    """``/proc/mounts`` writes a space as ``\\040`` (and tab, newline, backslash likewise)."""
    for code, char in (("\\040", " "), ("\\011", "\t"), ("\\012", "\n"), ("\\134", "\\")):
        field = field.replace(code, char)
    return field


def mounts_table(text: str) -> list[tuple[str, str]]:
    """``(mount point, file system type)`` for each line of a ``/proc/mounts`` text."""
    rows = []
    for line in text.splitlines():
        fields = line.split()
        if len(fields) >= 3:
            rows.append((_unescape(fields[1]), fields[2]))
    return rows


def _network(path: PurePath, mounts: list[tuple[str, str]]) -> Place | None:
    best: tuple[str, str] | None = None
    for point, fstype in mounts:
        mount = PurePath(point)
        if (path == mount or mount in path.parents) and (best is None or len(point) >= len(best[0])):
            best = (point, fstype)
    if best is not None and best[1].lower() in NETWORK_FILE_SYSTEMS:
        return Place("network", best[1], best[0])
    return None


def unsafe_place(path: PurePath, mounts: list[tuple[str, str]]) -> Place | None:
    """Whether ``path`` (absolute) is in a cloud-synced folder or on a network file system of ``mounts``."""
    return _cloud(path) or _network(path, mounts)


def system_mounts() -> list[tuple[str, str]]:
    """This machine's mounts (Linux); none where ``/proc/mounts`` does not exist."""
    try:
        return mounts_table(Path("/proc/mounts").read_text(encoding="utf-8", errors="replace"))
    except OSError:
        return []


def place_of(project: Path) -> Place | None:
    """Whether the project file ``project`` sits somewhere unsafe, on this machine."""
    try:
        resolved = project.resolve()
    except OSError:
        resolved = project.absolute()
    return unsafe_place(resolved, system_mounts())
