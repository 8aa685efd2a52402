"""A real full disk for the tests that need one: a small tmpfs, mounted where the system lets us (as root)."""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest


@contextmanager
def full_disk(folder: Path, size: str = "64k", before: Callable[[Path], None] | None = None) -> Iterator[Path]:
    """``folder`` as a tmpfs of ``size``, filled to the last byte after ``before`` has put its files there.

    Skips the test where no file system can be mounted (not root): the tests that use it have a
    simulated full disk beside them (``PRAGMA max_page_count``, ``RLIMIT_FSIZE``) that always runs.
    """
    folder.mkdir(exist_ok=True)
    if subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True
    ).returncode:
        pytest.skip("cannot mount a small file system here (needs root)")
    try:
        if before is not None:
            before(folder)
        with open(folder / "filler", "wb", buffering=0) as filler:
            try:
                while True:
                    filler.write(b"x" * 4096)
            except OSError:
                pass
        yield folder
    finally:
        subprocess.run(["umount", "--lazy", str(folder)], check=True)  # lazy: the runner may still hold a connection


@contextmanager
def read_only_copy(project: Path, folder: Path) -> Iterator[Path]:
    """A copy of ``project`` on a tmpfs at ``folder`` remounted read-only (root only: anyone else is skipped)."""
    folder.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(folder)], capture_output=True).returncode:
        pytest.skip("cannot mount a file system here")
    (folder / project.name).write_bytes(project.read_bytes())
    subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    try:
        yield folder / project.name
    finally:
        subprocess.run(["umount", "--lazy", str(folder)], check=True)
