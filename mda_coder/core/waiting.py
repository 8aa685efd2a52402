"""How long to wait for another program that is writing the same project, and who is told about the wait.

SQLite lets one program write at a time. The workspace and the library wait a few seconds for
the other writer and then say the project is busy; the command line waits longer (a long import
in another window is worth waiting for) and says on stderr that it is waiting. The setting is
per process, chosen by whoever starts it (``mda-coder``'s command group), and read each time a
project is opened; it lives here, in the framework-free core, so setting it costs no import.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class WriterWait:
    seconds: float = 5.0
    """How long a write waits for another program's write to end before giving up."""
    notice: Callable[[str], None] | None = None
    """Told the project's location when a write has waited ``notice_after`` seconds; None: nobody is told."""
    notice_after: float = 1.0


WAIT = WriterWait()


def wait_for_writers(seconds: float, notice: Callable[[str], None] | None = None, notice_after: float = 1.0) -> None:
    """From now on, wait up to ``seconds`` for another writer, telling ``notice`` after ``notice_after`` seconds."""
    WAIT.seconds, WAIT.notice, WAIT.notice_after = seconds, notice, notice_after
