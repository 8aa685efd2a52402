"""What the workspace benchmark measures inside one process: frames as a terminal gets them, first paint, coding latency, peak RSS.

``bench_tui.py`` runs each of these in a fresh child process and prints the report;
``tests/test_bench_tui.py`` runs them on the sample project to prove that they still
drive the app (the messages, frames and status-bar text they wait for still come).
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import pty
import re
import select
import sqlite3
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

SIZE = (160, 48)
CODE_KEY, CODE_PATH = "1", "tilltro"
"""The digit pressed and the code ``codebooks/mda.yaml`` gives that key."""
FLOOR_TEXT = "floor: one Static in an empty app"
FLOOR_PROGRAM = f"""
from textual.app import App
from textual.widgets import Static

class Floor(App[None]):
    def compose(self):
        yield Static({FLOOR_TEXT!r})

Floor().run()
"""
"""The floor of the launch measurement: an empty Textual app with one Static, run as a program."""
_ESCAPES = re.compile(rb"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)|[()][0-9A-Za-z]|[=>78])")


class Frames:
    """Timestamps the frames of a headless app as a terminal would receive them.

    Textual's headless driver drops each compositor update before turning it into escape
    codes; this hook does that step (the cost is counted, as on a real terminal) and
    checks the frame against the predicates armed for it.
    """

    def __init__(self, app: Any) -> None:
        from textual._compositor import CompositorUpdate

        self.times: dict[str, float] = {}
        self._woken = asyncio.Event()
        self._armed: dict[str, Callable[[str], bool]] = {}
        original = app._display
        console = app.console

        def display(screen: Any, renderable: Any) -> None:
            original(screen, renderable)
            if isinstance(renderable, CompositorUpdate):
                data = renderable.render_segments(console)
                now = time.monotonic()
                for name, check in list(self._armed.items()):
                    if check(data):
                        self.times[name] = now
                        del self._armed[name]
                self._woken.set()

        app._display = display

    def arm(self, name: str, check: Callable[[str], bool] = lambda _: True) -> None:
        self._armed[name] = check

    def poke(self) -> None:
        """Something a waiter may be waiting for happened (a message hook calls this)."""
        self._woken.set()

    async def until(self, condition: Callable[[], bool], what: str, timeout: float = 60.0) -> None:
        # Woken by frames and hooks, not by polling: a polling loop would take the GIL from
        # the writer thread every millisecond and slow down what is being measured.
        deadline = time.monotonic() + timeout
        while not condition():
            self._woken.clear()
            try:
                await asyncio.wait_for(self._woken.wait(), max(deadline - time.monotonic(), 0))
            except TimeoutError:
                raise TimeoutError(what) from None

    async def wait(self, name: str) -> float:
        await self.until(lambda: name in self.times, f"no frame '{name}'")
        return self.times[name]


async def paint_floor() -> dict[str, Any]:
    """The floor: an empty app with one ``Static``, from construction to the frame showing it."""
    started = time.monotonic()
    from textual.app import App, ComposeResult
    from textual.widgets import Static

    imported = time.monotonic()

    class Floor(App[None]):
        def compose(self) -> ComposeResult:
            yield Static(FLOOR_TEXT)

    app = Floor()
    frames = Frames(app)
    frames.arm("paint", lambda data: FLOOR_TEXT in data)
    async with app.run_test(size=SIZE):
        painted = await frames.wait("paint")
    return {"import": imported - started, "paint": painted - imported, "at": painted, "rss": rss_mb()}


async def paint_app(project: str) -> dict[str, Any]:
    """The workspace on ``project``: from ``build_app`` to the frame showing the first turn's words.

    Also timed: the first frame of any kind, and ``WorkspaceReady`` (the whole document is
    loaded and keys act; until then they are held).
    """
    started = time.monotonic()
    from mda_coder.tui.app import build_app
    from mda_coder.tui.messages import WorkspaceReady

    imported = time.monotonic()
    first = _first_words(project)
    ready: list[float] = []

    def hook(message: object) -> None:
        if isinstance(message, WorkspaceReady) and not ready:  # it bubbles: the hook sees it twice
            ready.append(time.monotonic())
            frames.poke()

    app = build_app(project, "bench")
    frames = Frames(app)
    frames.arm("frame")
    frames.arm("document", lambda data: first in data)
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        painted = await frames.wait("document")
        await frames.until(lambda: bool(ready), "the workspace did not take over")
        await pilot.pause()
        from mda_coder.tui.widgets.transcript import TranscriptView

        view = app.screen.query_one(TranscriptView)
        assert view.document is not None
        shown = time.monotonic()
        view.show(view.document, view._all_marks, [app.coder], 0)
        shown = time.monotonic() - shown
        turns = len(view.turns)
        name = view.document.name
    # The service calls the open worker makes, alone (the file is in the OS cache now).
    from mda_coder.services import workspace
    from mda_coder.services.project import open_project

    service = time.monotonic()
    db = open_project(project)
    workspace.load_document(db, name)
    workspace.load_marks(db, name, ["bench"])
    service = time.monotonic() - service
    db.close()
    return {
        "import": imported - started,
        "frame": frames.times["frame"] - imported,
        "loaded": ready[0] - imported,
        "paint": painted - imported,
        "at": painted,
        "show": shown,
        "service": service,
        "turns": turns,
        "rss": rss_mb(),
    }


def _first_words(project: str) -> str:
    """The first three words of the first turn, as the transcript draws them (untimed)."""
    conn = sqlite3.connect(project)
    try:
        start, end = conn.execute(
            "SELECT start_offset, end_offset FROM turns ORDER BY document_id, position LIMIT 1"
        ).fetchone()
        (text,) = conn.execute(
            "SELECT substr(text, ?, ?) FROM documents ORDER BY id LIMIT 1", (start + 1, end - start)
        ).fetchone()
    finally:
        conn.close()
    return " ".join(text.split()[:3])


def launch(argv: list[str], text: str, timeout: float = 30.0, then: str | None = None) -> float | tuple[float, float]:
    """Seconds from starting ``argv`` in a real terminal (a pty of ``SIZE``) to ``text`` appearing on it.

    With ``then``, also the seconds until that text appears after it, as a pair.

    What a user waits for after pressing Enter: the interpreter, every import, the app's start
    and its first frame through Textual's real terminal driver. The program is then asked to
    quit with ctrl+q (and killed if it does not).
    """
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", SIZE[1], SIZE[0], 0, 0))
    env = {**os.environ, "TERM": "xterm-256color", "COLUMNS": str(SIZE[0]), "LINES": str(SIZE[1])}
    started = time.monotonic()
    process = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    wanted = text.encode()
    seen = b""
    first: float | None = None
    try:
        while True:
            left = started + timeout - time.monotonic()
            if left <= 0 or process.poll() is not None:
                tail = _ESCAPES.sub(b"", seen)[-500:].decode(errors="replace")
                raise TimeoutError(f"{text!r} did not appear on the terminal of {argv}: …{tail}")
            ready, _, _ = select.select([master], [], [], left)
            if not ready:
                continue
            try:
                seen += os.read(master, 65536)
            except OSError:  # the program closed the terminal
                continue
            plain = _ESCAPES.sub(b"", seen)
            if first is None and wanted in plain:
                first = time.monotonic() - started
                if then is None:
                    return first
                seen = plain[plain.index(wanted) :]  # what comes later must come after it
                wanted = then.encode()
            elif first is not None and wanted in plain:
                return first, time.monotonic() - started
    finally:
        try:
            os.write(master, b"\x11")  # ctrl+q
            process.wait(timeout=10)
        except (OSError, subprocess.TimeoutExpired):
            process.kill()
            process.wait()
        os.close(master)


def launch_floor() -> float:
    return launch([sys.executable, "-c", FLOOR_PROGRAM], FLOOR_TEXT)  # type: ignore[return-value]


def launch_app(project: str) -> tuple[float, float]:
    """``mda-coder open PROJECT`` as a user runs it: seconds to the first words of the first turn,
    and to the document list (the last thing the workspace fills, after its keys act)."""
    command = [sys.executable, "-c", "from mda_coder.cli import main; main()", "open", project, "--coder", "bench"]
    conn = sqlite3.connect(project)
    try:
        (turns,) = conn.execute(
            "SELECT count(*) FROM turns WHERE document_id = (SELECT min(id) FROM documents)"
        ).fetchone()
    finally:
        conn.close()
    return launch(command, _first_words(project), then=f" {turns} turns")  # type: ignore[return-value]


def apply_sqlite(path: Path, actions: int, synchronous: str = "FULL") -> list[float]:
    """The floor: one row inserted and committed per action, with the project's durability settings."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute(f"PRAGMA synchronous={synchronous}")
    conn.execute(
        "CREATE TABLE codings (id INTEGER PRIMARY KEY, coder_id INTEGER, code_id INTEGER, "
        "document_id INTEGER, start_offset INTEGER, end_offset INTEGER, memo TEXT, created_at TEXT)"
    )
    conn.commit()
    samples = []
    for i in range(actions):
        started = time.perf_counter()
        conn.execute(
            "INSERT INTO codings (coder_id, code_id, document_id, start_offset, end_offset, created_at) "
            "VALUES (1, 1, 1, ?, ?, datetime('now'))",
            (i * 100, i * 100 + 80),
        )
        conn.commit()
        samples.append(time.perf_counter() - started)
    conn.close()
    return samples


def apply_service(project: Path, actions: int) -> list[float]:
    """``apply_code`` as the writer thread calls it, without the UI: one turn after another."""
    from mda_coder.services import queries
    from mda_coder.services.coding import Target, apply_code
    from mda_coder.services.project import open_project

    db = open_project(project)
    document = queries.documents(db)[0].name
    samples = []
    for turn in range(2, actions + 2):
        started = time.perf_counter()
        _, created = apply_code(db, coder="bench", code=CODE_PATH, document=document, target=Target(turn=turn))
        samples.append(time.perf_counter() - started)
        assert created, f"turn {turn} was coded already"
    db.close()
    return samples


async def apply_ui(project: Path, actions: int) -> dict[str, Any]:
    """``j`` then the digit key, ``actions`` times; each action on a new turn, the app settled in between."""
    from mda_coder.services.coding import list_codings
    from mda_coder.services.project import open_project
    from mda_coder.tui.app import build_app
    from mda_coder.tui.messages import (
        ActionFailed,
        CodingChanged,
        MarksReloaded,
        WorkspaceReady,
    )
    from mda_coder.tui.widgets.transcript import TranscriptView

    seen: dict[str, list[tuple[float, Any]]] = {"changed": [], "reloaded": [], "failed": [], "loaded": []}
    hooked: set[int] = set()
    waiting: dict[int, int] = {}
    """Action number -> id of its coding, until marks holding that coding reach the screen."""

    def hook(message: object) -> None:
        now = time.monotonic()
        for name, kind in (
            ("changed", CodingChanged),
            ("reloaded", MarksReloaded),
            ("failed", ActionFailed),
            ("loaded", WorkspaceReady),
        ):
            # The hook sees a message at every pump it reaches: the screen, then the app it bubbles to.
            # (``seen`` keeps the messages alive, so their ids are not reused.)
            if not isinstance(message, kind) or id(message) in hooked:
                continue
            hooked.add(id(message))
            seen[name].append((now, message))
            frames.poke()
            if isinstance(message, CodingChanged) and message.coding is not None:
                if message.added:
                    # A new coding is drawn from the message itself, without a reload of the marks.
                    frames.arm(f"badge{len(seen['changed'])}", lambda data: f"[{CODE_PATH}]" in data)
                else:
                    waiting[len(seen["changed"])] = message.coding.id
            elif isinstance(message, MarksReloaded):
                # Marks also reload for other reasons (the screen's watch for other writers):
                # the badge counts from the first reload that holds the new coding.
                for action, coding_id in list(waiting.items()):
                    if any(m.coding_id == coding_id for m in message.marks):
                        frames.arm(f"badge{action}", lambda data: f"[{CODE_PATH}]" in data)
                        del waiting[action]

    app = build_app(project, "bench")
    frames = Frames(app)
    out: dict[str, list[float]] = {"move": [], "committed": [], "handled": [], "painted": []}
    async with app.run_test(size=SIZE, message_hook=hook) as pilot:
        await frames.until(lambda: bool(seen["loaded"]), "the document did not load")
        await pilot.pause()
        view = app.screen.query_one(TranscriptView)
        total = len(view.turns)
        assert total > actions, f"{total} turns: too few for {actions} actions"
        for i in range(1, actions + 1):
            # The status bar names the turn once the move is handled: "turn 3/2098".
            frames.arm(f"move{i}", lambda data, i=i: f"turn {i + 1}/{total}" in data)
            pressed = time.monotonic()
            await pilot.press("j")
            out["move"].append(await frames.wait(f"move{i}") - pressed)
            await pilot.pause()
            pressed = time.monotonic()
            await pilot.press(CODE_KEY)
            await frames.until(lambda i=i: len(seen["changed"]) + len(seen["failed"]) >= i, "no CodingChanged")
            if seen["failed"]:
                raise SystemExit(f"action {i} failed: {seen['failed'][0][1].message}")
            handled, message = seen["changed"][i - 1]
            assert message.description.startswith("applied"), message.description
            out["committed"].append(message.time - pressed)  # Message.time: made in the writer thread, after commit
            out["handled"].append(handled - pressed)
            out["painted"].append(await frames.wait(f"badge{i}") - pressed)
            await pilot.pause()
        reloads = len(seen["reloaded"])
    db = open_project(project)
    stored = len(list_codings(db, coder="bench"))
    db.close()
    assert stored == actions, f"{stored} codings stored after {actions} actions"
    return {**out, "reloads": reloads}


async def rss_app(project: str) -> dict[str, Any]:
    """Peak RSS with ``project`` open, after paging from the first to the last turn of its first document."""
    from mda_coder.tui.app import build_app
    from mda_coder.tui.messages import WorkspaceReady
    from mda_coder.tui.widgets.transcript import TranscriptView

    imported = rss_mb()
    loaded: list[WorkspaceReady] = []
    app = build_app(project, "bench")
    pages = 0
    async with app.run_test(
        size=SIZE, message_hook=lambda m: loaded.append(m) if isinstance(m, WorkspaceReady) else None
    ) as pilot:
        deadline = time.monotonic() + 60
        while not loaded:  # untimed: polling is fine here
            if time.monotonic() > deadline:
                raise TimeoutError("the document did not load")
            await asyncio.sleep(0.01)
        await pilot.pause()
        view = app.screen.query_one(TranscriptView)
        while view.cursor < len(view.turns) - 1 and pages < 10_000:
            await pilot.press("pagedown")
            pages += 1
        documents = app.screen.query_one("#documents").option_count
        turns = len(view.turns)
    return {"rss": rss_mb(), "imported": imported, "pages": pages, "turns": turns, "documents": documents}


def rss_mb() -> float:
    """Peak resident set size of this process so far (``VmHWM``), in MB."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
