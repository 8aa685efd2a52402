"""What the screens opened over the workspace share: the status line, failures, and writing files next to the project."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.text import Text
from textual import work
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, OptionList, Static

from mda_coder.core.errors import MdaError
from mda_coder.i18n import TUI, said
from mda_coder.store.engine import Database, is_url
from mda_coder.tui.dialogs.ask import Ask
from mda_coder.tui.messages import ActionFailed
from mda_coder.tui.screens.help import HelpScreen
from mda_coder.tui.widgets.agreement_panels import Place

_ = TUI.gettext


@dataclass
class FileWritten(Message, bubble=False):
    path: Path
    what: str
    replaced: bool


class ReportFilesScreen(Screen[Place | None]):
    """A table of figures over the workspace, with a list beneath it and files written next to the project.

    The agreement and the reports screens differ in what they compute and write; asking for a
    file name, refusing the project file, writing on a worker and saying so is the same for both.
    """

    db: Database
    STATUS: ClassVar[str]
    """The status line's selector."""
    HEADING: ClassVar[str]
    """The heading's selector, which says so when nothing could be computed."""
    NOTHING: ClassVar[str]
    """The heading when the computation failed (marked for translation, said here)."""
    PENDING: ClassVar[str]
    """What a write key says before there is anything to write (marked, said here)."""
    LIST: ClassVar[str]
    """The list beneath the table, that tab moves to."""
    SERVER_STEM: ClassVar[str]
    """The stem of the default file names when the project is on a server."""

    @property
    def computed(self) -> bool:
        """Whether there is anything to write yet."""
        raise NotImplementedError

    def note(self, text: str, style: str = "") -> None:
        """The status line; plain text, so a code or file name with brackets is not read as markup."""
        self.query_one(self.STATUS, Static).update(Text(text, style=style))

    def on_action_failed(self, message: ActionFailed) -> None:
        message.stop()
        self.note(message.message, "red")
        if not self.computed:
            self.query_one(self.HEADING, Static).update(Text(_(self.NOTHING), style="red"))

    def action_switch(self) -> None:
        table, options = self.query_one(DataTable), self.query_one(self.LIST, OptionList)
        if table.has_focus and options.option_count:
            options.focus()
        else:
            table.focus()

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self))

    # -- writing files --------------------------------------------------------------------------

    def next_to(self) -> tuple[Path, str] | None:
        """The folder files go to by default and the stem of their names (the project file's; the current
        folder for a server), or None, said on the status line, while there is nothing to write."""
        if not self.computed:
            self.note(_(self.PENDING))
            return None
        if is_url(self.db.location):
            return Path.cwd(), self.SERVER_STEM
        project = Path(self.db.location)
        return project.resolve().parent, project.stem

    def ask_file(
        self, prompt: str, default: str, folder: Path, refusal: Callable[[Path], str], then: Callable[[Path], None]
    ) -> None:
        """Ask for a file name (relative ones in `folder`); never the project file itself, whatever the spelling."""

        def answered(name: str | None) -> None:
            if name is None:
                return
            path = Path(name).expanduser()
            path = path if path.is_absolute() else folder / path
            if not is_url(self.db.location) and path.resolve() == Path(self.db.location).resolve():
                self.note(refusal(path), "red")
                return
            then(path)

        self.app.push_screen(Ask(prompt, default), answered)

    @work(thread=True, group="write", exit_on_error=False)
    def write_file(self, save: Callable[[Path], None], path: Path, what: str) -> None:
        """Write on a worker (a big report takes a while) and say on the status line what was written or why not."""
        existed = path.exists()
        try:
            save(path)
        except MdaError as exc:
            self.post_message(ActionFailed(said(exc)))
            return
        self.post_message(FileWritten(path, what, existed))

    def on_file_written(self, message: FileWritten) -> None:
        said = (
            _("wrote {what} to {path} (replacing the file there)") if message.replaced else _("wrote {what} to {path}")
        )
        self.note(said.format(what=message.what, path=message.path))
