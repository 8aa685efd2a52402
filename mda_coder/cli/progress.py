"""Progress of long commands: a Rich bar (steps done of all, words per second) or a status line on a terminal.

In a pipe or a file nothing is drawn (no bar, no spinner, no control characters): the services
report to ``SILENT`` and the command prints only its lines. On a terminal the lines a command
prints through the same console appear above the bar, which stays at its end (``keep``) or goes
(a report, whose table is what matters). Commands import this module when they run, so Rich's
progress code is not loaded at start-up. A stage's words come from the service (a ``Message``) and
are said in the interface's language.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from rich.console import Console, RenderableType
from rich.progress import (
    BarColumn,
    ProgressColumn,
    SpinnerColumn,
    Task,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.progress import Progress as RichProgress
from rich.text import Text

from mda_coder.core.progress import SILENT, Progress
from mda_coder.i18n import CLI, MESSAGES


class _Bar(ProgressColumn):
    """A bar for a stage with a count; nothing for a status, whose spinner says it is working."""

    def __init__(self, bar_width: int) -> None:
        super().__init__()
        self._bar = BarColumn(bar_width=bar_width)

    def render(self, task: Task) -> RenderableType:
        return self._bar.render(task) if task.total is not None else Text("")


class _Rates(RichProgress):
    """Rich's progress, with each task's count and words per second worked out as it is drawn."""

    def get_renderables(self) -> Iterable[RenderableType]:
        for task in self.tasks:
            seconds = task.finished_time or task.elapsed
            words = task.fields.get("words", 0)
            task.fields["count"] = "" if task.total is None else f"{task.completed:.0f}/{task.total:.0f}"
            task.fields["rate"] = (
                CLI.gettext("{rate} words/s").format(rate=f"{words / seconds:,.0f}") if words and seconds else ""
            )
        yield from super().get_renderables()


class _Shown:
    """One Rich task per stage: a bar when the stage has a count, a spinner and its words when it has none."""

    def __init__(self, bar: RichProgress) -> None:
        self.bar = bar
        self.task: TaskID | None = None
        self.counted = False
        self.words = 0

    def stage(self, what: str, total: int | None = None) -> None:
        self._close()
        self.task = self.bar.add_task(MESSAGES.text(what), total=total, words=0, count="", rate="")
        self.counted = total is not None
        self.words = 0

    def advance(self, steps: int = 1, words: int = 0) -> None:
        if self.task is not None:
            self.words += words
            self.bar.update(self.task, advance=steps, words=self.words)

    def _close(self) -> None:
        """A finished status line goes; a bar stays where it got to (all of it, when the stage is done)."""
        if self.task is not None and not self.counted:
            self.bar.remove_task(self.task)
        self.task = None

    def finish(self) -> None:
        self._close()


@contextmanager
def progress_shown(out: Console, *, keep: bool = True) -> Iterator[Progress]:
    """What a service reports, drawn on ``out`` when it is a terminal; ``SILENT`` otherwise."""
    if not out.is_terminal:
        yield SILENT
        return
    columns = (
        SpinnerColumn(finished_text="✓"),
        TextColumn("{task.description}"),
        _Bar(bar_width=30),
        TextColumn("{task.fields[count]}"),
        TextColumn("{task.fields[rate]}"),
        TimeElapsedColumn(),
    )
    # Four pictures a second keep the spinner alive at a cost the import does not notice (see bench_import.py).
    with _Rates(*columns, console=out, transient=not keep, refresh_per_second=4) as bar:
        shown = _Shown(bar)
        try:
            yield shown
        finally:
            shown.finish()
