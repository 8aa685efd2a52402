"""The Textual application and the one factory the CLI and the tests both use."""

from __future__ import annotations

from collections.abc import Callable, Coroutine, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual import events, work
from textual.app import App, SystemCommand
from textual.message import Message
from textual.screen import Screen
from textual.widget import Widget

from mda_coder.core.errors import MdaError
from mda_coder.core.reading import FirstPage
from mda_coder.i18n import N_, TUI, said
from mda_coder.store.first_page import read_first_page
from mda_coder.tui.messages import DocumentLoaded, WorkspaceReady
from mda_coder.tui.screens.opening import Opened, OpeningScreen

if TYPE_CHECKING:
    from mda_coder.core.coding import DocumentInfo
    from mda_coder.store.engine import Database


@dataclass
class ProjectOpened(Message):
    """The open worker's result: the project, and its first document read in full."""

    db: Database
    documents: list[DocumentInfo]
    loaded: DocumentLoaded
    memos: dict[int, list[str]]
    journal_head: int


_ = TUI.gettext

TEXTUAL_COMMANDS = (
    N_("Theme"),
    N_("Change the current theme"),
    N_("Quit"),
    N_("Quit the application as soon as possible"),
    N_("Keys"),
    N_("Show help for the focused widget and a summary of available keys"),
    N_("Hide the keys and widget help panel"),
    N_("Minimize"),
    N_("Minimize the widget and restore to normal size"),
    N_("Maximize"),
    N_("Maximize the focused widget"),
    N_("Screenshot"),
    N_("Save an SVG 'screenshot' of the current screen"),
)
"""What Textual's own palette commands say, so that the palette speaks one language (anything else stays as Textual says it)."""

PASS_THROUGH = frozenset({"ctrl+q", "ctrl+c"})
"""Keys that act at once while keys are held (quitting); every other key waits for the workspace, or for a dialog."""


class MdaApp(App[None]):
    """Opens on the first page of the transcript, then hands over to the workspace.

    With a ``first_page`` the app paints it at once and opens the project on a worker (this
    module and the opening screen import neither the services nor SQLAlchemy); keys pressed
    meanwhile are held and replayed, in order, once the workspace has its document. With a
    ``db`` (a server project, or one without documents) the workspace opens directly.
    """

    CSS_PATH = Path(__file__).with_name("mda.tcss")  # absolute: subclasses elsewhere find it too
    TITLE = "mda-coder"

    def __init__(
        self, project: str, coder: str, *, db: Database | None = None, first_page: FirstPage | None = None
    ) -> None:
        super().__init__()
        if (db is None) == (first_page is None):
            raise ValueError("give the app an open project or a first page, not both")
        self.project = project
        self.coder = coder
        self.db = db
        self.first_page = first_page
        self._held: list[events.Key] | None = []
        """Keys pressed before the workspace took over; None once they have been replayed."""

    def on_mount(self) -> None:
        if self.db is not None:
            from mda_coder.tui.screens.workspace import WorkspaceScreen

            self.push_screen(WorkspaceScreen(self.db, self.coder))
        else:
            assert self.first_page is not None
            self.push_screen(OpeningScreen(self.first_page, self.coder))
            # After the first frame: importing SQLAlchemy on a thread while the UI thread
            # draws would take the GIL from it and delay the very frame this screen is for.
            self.call_after_refresh(self._open)

    async def on_event(self, event: events.Event) -> None:
        if (
            self._held is not None
            and isinstance(event, events.Key)
            and not event.is_forwarded
            and event.key not in PASS_THROUGH
        ):
            self._held.append(event)
            return
        await super().on_event(event)

    @work(thread=True, exclusive=True, group="open", exit_on_error=True)
    def _open(self) -> None:
        self.open_project()

    def open_project(self) -> None:
        """Import the services, open the project and read the first document (on the open worker's thread)."""
        from mda_coder.services import queries, workspace
        from mda_coder.services.project import open_project
        from mda_coder.tui.screens import workspace as _screen  # noqa: F401 - its imports are the slow part

        assert self.first_page is not None
        name = self.first_page.document.name
        try:
            db = open_project(self.project)
            head = workspace.journal_head(db)  # before the marks: the screen shows at least this much
            documents = queries.documents(db)
            view = workspace.load_document(db, name)
            marks = workspace.load_marks(db, name, [self.coder])
            memos = workspace.turn_memos(db, name)
        except MdaError as exc:
            self.call_from_thread(self.exit, None, 1, Text(said(exc)))
            return
        # The page starts where the coder left off: the workspace's cursor goes to the same turn.
        first = self.first_page.document.turns[0].index
        cursor = next((i for i, turn in enumerate(view.turns) if turn.index == first), 0)
        # A message, not call_from_thread: the workspace is then made in the app's own task,
        # with its context (Textual's active app, a test's message hook), not the worker's.
        self.post_message(ProjectOpened(db, documents, DocumentLoaded(view, marks, cursor, head=head), memos, head))

    def on_project_opened(self, message: ProjectOpened) -> None:
        from mda_coder.tui.screens.workspace import WorkspaceScreen

        self.db = message.db
        width = self.screen.transcript_width if isinstance(self.screen, OpeningScreen) else 0
        opened = Opened(
            documents=message.documents,
            loaded=message.loaded,
            journal_head=message.journal_head,
            memos=message.memos,
            width=width,
        )
        self.switch_screen(WorkspaceScreen(message.db, self.coder, opened))

    def on_workspace_ready(self, message: WorkspaceReady) -> None:
        self.release_keys()

    def hold_keys(self) -> None:
        """Hold the keys pressed from now on, until ``release_keys``: a dialog is on its way (its choices being read)."""
        if self._held is None:
            self._held = []

    def release_keys(self) -> None:
        """Replay the held keys, in order, to whatever screen is shown now."""
        held, self._held = self._held, None
        for key in held or ():
            self.post_message(events.Key(key.key, key.character))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The command palette lists every workspace action, not just the app's own."""
        from mda_coder.tui.screens.help import binding_rows, describe, group_name
        from mda_coder.tui.screens.workspace import WorkspaceScreen

        for command in super().get_system_commands(screen):
            yield SystemCommand(_(command.title), _(command.help), command.callback, command.discover)
        if isinstance(screen, WorkspaceScreen):
            for where, keys, binding in binding_rows(screen):
                target = screen if where == "workspace" else screen.query_one(f"#{where}")
                yield SystemCommand(
                    f"{describe(binding)} ({keys})",
                    _("{where} action").format(where=group_name(where)),
                    _runner(target, binding.action),
                )

    def action_command_palette(self) -> None:
        """Textual's palette, its prompt in the interface language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]  # Textual asks for App[object]; App is invariant, and any App will do
            self.push_screen(CommandPalette(id="--command-palette", placeholder=_("Search for commands…")))

    def on_unmount(self) -> None:
        if self.db is not None:
            self.db.close()


def _runner(target: Widget, action: str) -> Callable[[], Coroutine[None, None, None]]:
    async def run() -> None:
        await target.run_action(action)

    return run


def build_app(project: str | Path, coder: str) -> MdaApp:
    """Make the app on ``project``; errors (no such project …) are MdaErrors, raised before the screen starts.

    A local project with documents opens on its first page, read with sqlite3 alone; anything
    else (a server URL, an empty or foreign file) is opened here the ordinary way, which is
    also where a missing or foreign file is reported.
    """
    page = read_first_page(project, coder)
    if page is not None:
        return MdaApp(str(project), coder, first_page=page)
    from mda_coder.services.project import open_project

    return MdaApp(str(project), coder, db=open_project(project))


def hold_keys(app: App[object]) -> None:
    """Hold the keys pressed from now on (for a dialog on its way); an app other than ``MdaApp`` holds none."""
    if isinstance(app, MdaApp):
        app.hold_keys()


def release_keys(app: App[object]) -> None:
    if isinstance(app, MdaApp):
        app.release_keys()
