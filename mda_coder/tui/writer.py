"""Run database writes one at a time, in the order the keys were pressed, off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from textual.message import Message
from textual.message_pump import MessagePump

from mda_coder.core.errors import MdaError
from mda_coder.tui.messages import ActionFailed


class Writer:
    """A single writer thread: each job is one service call (one transaction).

    A Textual worker per key press could commit two quick actions out of order;
    one thread keeps them in sequence. The job's message is posted only after
    its transaction committed, so the screen never shows unsaved work as saved.
    """

    def __init__(self, target: MessagePump, after: Callable[[], None] | None = None) -> None:
        self._target = target
        self._after = after
        """Run on the writer thread after every job, e.g. to note the journal head the screen has seen."""
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mda-writer")

    def submit(self, job: Callable[[], Message | None], target: MessagePump | None = None) -> Future[Any]:
        """Queue ``job``; its message goes to ``target`` (a screen opened over the workspace), else the writer's."""
        to = target or self._target

        def run() -> None:
            try:
                message = job()
            except MdaError as exc:
                message = ActionFailed(str(exc))
            except Exception as exc:  # noqa: BLE001 - an unexpected failure must reach the screen, not vanish
                message = ActionFailed(f"could not save: {exc}")
            if self._after is not None:
                self._after()
            if message is not None:
                to.post_message(message)

        return self._pool.submit(run)

    def drain(self) -> None:
        """Wait for every queued write to commit (on quit)."""
        self._pool.shutdown(wait=True)
