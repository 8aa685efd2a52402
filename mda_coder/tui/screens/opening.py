"""The first frame: the opening of the first document, painted while the project opens behind it.

Importing SQLAlchemy, opening the project and loading a 2,000-turn document take about a
second on a 2-core machine; a coder should be reading by then. This screen has the
workspace's layout and draws the first page that ``store/first_page.py`` read with sqlite3
alone (from where the coder left off); ``MdaApp`` swaps in the real workspace, in the same place, once it is ready. This
module imports neither the services nor SQLAlchemy: that is what makes it fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Static

from mda_coder.core.reading import FirstPage
from mda_coder.i18n import TUI
from mda_coder.tui.messages import DocumentLoaded
from mda_coder.tui.screens.panel_layout import apply_panels, default_panels
from mda_coder.tui.widgets.lines import KeyHints, MessageLine
from mda_coder.tui.widgets.panels import StatusBar, status_line, workspace_hints
from mda_coder.tui.widgets.transcript import TranscriptView

if TYPE_CHECKING:
    from mda_coder.core.coding import DocumentInfo

_ = TUI.gettext


def code_detail_hint() -> Text:
    """What the code panel says before a code is chosen."""
    return Text(_("Move to a code (K, then arrows) to read its definition and rules."), style="dim")


@dataclass(frozen=True)
class Opened:
    """What the workspace needs to take over from the opening screen without a blank frame."""

    documents: list[DocumentInfo]
    loaded: DocumentLoaded
    journal_head: int
    memos: dict[int, list[str]]
    width: int
    """The transcript's width on the opening screen: the workspace lays out its turns for it at once."""


class OpeningScreen(Screen[None]):
    """The workspace's layout with the first page of the transcript; keys wait until the workspace takes over."""

    def __init__(self, page: FirstPage, coder: str) -> None:
        super().__init__()
        self.page = page
        self.coder = coder

    def compose(self) -> ComposeResult:
        # The same ids as the workspace, so the same CSS gives every pane the same place.
        with Horizontal(id="main"):
            yield Static(id="documents")
            yield TranscriptView(id="transcript")
            with Vertical(id="side"):
                yield Static(id="codebook")
                yield Static(code_detail_hint(), id="code-detail")
                yield Static("", id="turn-codings")
        page = self.page
        yield MessageLine(id="message")
        yield StatusBar(
            status_line(
                page.document.name,
                page.document.turns[0].index,
                page.total_turns,
                self.coder,
                coded=page.coded_turns,
                uncoded=page.total_turns - page.coded_turns,
                extra=[_("opening …")],
            ),
            id="status",
        )
        yield KeyHints(workspace_hints(), id="keys")

    def on_mount(self) -> None:
        # Widgets get their sizes after this; the panes are sized here as the workspace will size
        # them, so the transcript's turns are laid out once, in time for the first frame.
        view = self.query_one(TranscriptView)
        width = self.app.size.width
        view.width_hint = apply_panels(self, width, default_panels(width))
        view.show(self.page.document, list(self.page.marks), [self.coder])

    @property
    def transcript_width(self) -> int:
        return self.query_one(TranscriptView).size.width
