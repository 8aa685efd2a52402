"""The Textual application and the one factory the CLI and the tests both use."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from textual.app import App, SystemCommand
from textual.screen import Screen

from mda_coder.services.project import open_project
from mda_coder.store.engine import Database
from mda_coder.tui.screens.help import binding_rows
from mda_coder.tui.screens.workspace import WorkspaceScreen


class MdaApp(App[None]):
    CSS_PATH = "mda.tcss"
    TITLE = "mda-coder"

    def __init__(self, db: Database, coder: str) -> None:
        super().__init__()
        self.db = db
        self.coder = coder

    def on_mount(self) -> None:
        self.push_screen(WorkspaceScreen(self.db, self.coder))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """The command palette lists every workspace action, not just the app's own."""
        yield from super().get_system_commands(screen)
        if isinstance(screen, WorkspaceScreen):
            for where, keys, binding in binding_rows(screen):
                target = screen if where == "workspace" else screen.query_one(f"#{where}")
                yield SystemCommand(f"{binding.description} ({keys})", f"{where} action", _runner(target, binding.action))

    def on_unmount(self) -> None:
        self.db.close()


def _runner(target: object, action: str):  # type: ignore[no-untyped-def]
    async def run() -> None:
        await target.run_action(action)  # type: ignore[attr-defined]

    return run


def build_app(project: str | Path, coder: str) -> MdaApp:
    """Open ``project`` and make the app; errors (no such project …) are MdaErrors for the CLI."""
    return MdaApp(open_project(project), coder)
