"""Run database writes one at a time, in the order the keys were pressed, off the UI thread."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from textual.message import Message
from textual.message_pump import MessagePump

from mda_coder.core.errors import MdaError
from mda_coder.i18n import TUI, said
from mda_coder.tui.messages import ActionFailed


class Writer:
    """A single writer thread: each job is one service call (one transaction).

    A Textual worker per key press could commit two quick actions out of order;
    one thread keeps them in sequence. The job's message is posted only after
    its transaction committed, so the screen never shows unsaved work as saved.
    """

    def __init__(self, target: MessagePump, around: Callable[[], Callable[[], None]] | None = None) -> None:
        self._target = target
        self._around = around
        """Run on the writer thread before every job; what it returns runs after the job, before its
        message is posted (the workspace notes which journal entries are its own)."""
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="mda-writer")
        self._closed = False

    def submit(
        self, job: Callable[[], Message | None], target: MessagePump | None = None, *, journalled: bool = True
    ) -> Future[Any]:
        """Queue ``job``; its message goes to ``target`` (a screen opened over the workspace), else the writer's.

        ``journalled=False`` for a job that adds nothing to the journal (a re-read kept in order with the
        writes, the place saved): ``around`` is not run for it, since the entries that appear meanwhile
        are another program's, and must not be taken for the job's own.
        """
        to = target or self._target

        def run() -> None:
            after = None
            try:
                after = self._around() if self._around is not None and journalled else None
                message = job()
            except MdaError as exc:
                message = ActionFailed(said(exc))
            except Exception as exc:  # noqa: BLE001 - an unexpected failure must reach the screen, not vanish
                message = ActionFailed(TUI.gettext("could not save: {error}").format(error=exc))
            if after is not None:
                try:
                    after()
                except Exception:  # noqa: BLE001 - bookkeeping must not keep the job's message from the screen
                    pass
            if message is not None:
                to.post_message(message)

        if self._closed:  # after quit: nothing may be written any more
            dropped: Future[Any] = Future()
            dropped.cancel()
            return dropped
        return self._pool.submit(run)

    def drain(self) -> None:
        """Wait for every queued write to commit (on quit); later jobs are dropped."""
        self._closed = True
        self._pool.shutdown(wait=True)
