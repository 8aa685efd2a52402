"""Drive the real workspace with Pilot: a copy of the sample project per test, and waiting for commits."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

from mda_coder.services.sample import build_sample_project

_TEMPLATE: dict[str, Path] = {}


def sample_copy(folder: Path) -> Path:
    """A fresh copy of the sample project (built once per test session)."""
    if "path" not in _TEMPLATE:
        template = Path(folder.parent / "sample-template.mda")
        if not template.exists():
            build_sample_project(template).close()
        _TEMPLATE["path"] = template
    target = folder / "studie.mda"
    shutil.copy(_TEMPLATE["path"], target)
    return target


async def wait_for(pilot: Pilot[object], condition: Callable[[], bool], timeout: float = 10.0) -> None:
    """Let the app run until ``condition()`` holds (a write committed, a document loaded)."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("the app did not get there in time")
        await pilot.pause(0.02)
