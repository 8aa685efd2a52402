"""How a long use case (an import, an export, a big report) tells its caller how far it has come.

The services call these two methods and know nothing of how progress is shown: the CLI draws a
Rich bar on a terminal and nothing in a pipe, a test can record the calls, and ``SILENT`` (the
default everywhere) ignores them. A service names each stage in words a user reads ("storing",
"counting co-occurrences"), so the caller never has to guess what is being computed.
"""

from __future__ import annotations

from typing import Protocol


class Progress(Protocol):
    """Stages of work, each with its steps (files, sources, documents) when it has a natural count."""

    def stage(self, what: str, total: int | None = None) -> None:
        """A new stage begins: what is done now, and how many steps it has (None: no count, a status only)."""

    def advance(self, steps: int = 1, words: int = 0) -> None:
        """``steps`` more of the current stage are done; ``words`` is the text they held (for words per second)."""


class _Silent:
    """Progress nobody watches."""

    def stage(self, what: str, total: int | None = None) -> None:
        pass

    def advance(self, steps: int = 1, words: int = 0) -> None:
        pass


SILENT: Progress = _Silent()
"""The progress of a use case called without a watcher (scripts, the TUI, tests)."""
