"""Drive the real workspace with Pilot: a copy of the sample project per test, and waiting for commits."""

from __future__ import annotations

import asyncio
import io
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from rich.console import Console
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen

from mda_coder.services.sample import build_sample_project
from mda_coder.tui.screens.workspace import WorkspaceScreen
from mda_coder.tui.widgets.transcript import TranscriptView

S = TypeVar("S", bound=Screen[Any])

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


async def wait_for(pilot: Pilot[object], condition: Callable[[], bool], timeout: float = 30.0) -> None:
    """Let the app run until ``condition()`` holds (a write committed, a document loaded).

    The timeout only ends a test that would otherwise hang: it is generous, because the suite runs
    on every core and a loaded machine may take seconds for a step that usually takes milliseconds.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not condition():
        if loop.time() > deadline:
            raise AssertionError("the app did not get there in time")
        await pilot.pause(0.02)


def workspace_ready(app: App[object]) -> bool:
    """The workspace shows its document (it may still be putting itself together before that)."""
    views = app.screen.query(TranscriptView) if isinstance(app.screen, WorkspaceScreen) else []
    return bool(views) and views.first().turns != ()


async def open_over(
    pilot: Pilot[object],
    opener: Callable[[WorkspaceScreen], None],
    setup: type[Screen[Any]],
    opened: type[S],
    ready: Callable[[S], bool],
    keys: tuple[str, ...],
) -> S:
    """From the workspace, open a screen over it through its setup dialog, answered with ``keys``, and wait until it is ready."""
    await wait_for(pilot, lambda: workspace_ready(pilot.app))
    opener(pilot.app.screen)  # type: ignore[arg-type]
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, setup))
    await pilot.press(*keys)
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, opened) and ready(pilot.app.screen))
    return pilot.app.screen  # type: ignore[return-value]


def text_of(screen: Screen[Any], selector: str) -> str:
    """What a widget shows, as plain text."""
    return str(screen.query_one(selector).render())


def screen_text(app: App[object]) -> str:
    """Everything on the screen as plain text, as the terminal shows it (the screens under a dialog too)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), record=True, legacy_windows=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text()


def said(screen: Screen[Any]) -> str:
    """What the message line shows now ("" while it is hidden)."""
    line = screen.query_one("#message")
    return str(line.render()) if line.display else ""


def screen_lines(app: App[object]) -> list[str]:
    """The whole screen as the user sees it, one string per row (dialogs and notifications included)."""
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]
