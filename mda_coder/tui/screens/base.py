"""What the workspace's action mixins may rely on: the screen's state and a few helpers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TypeVar

from textual.screen import Screen

from mda_coder.core.errors import MdaError
from mda_coder.core.spans import Span
from mda_coder.i18n import TUI, said
from mda_coder.services import codebook as codebook_service
from mda_coder.services.coding import Target
from mda_coder.store.engine import Database
from mda_coder.tui.app import hold_keys, release_keys
from mda_coder.tui.messages import ActionFailed
from mda_coder.tui.screens.shown import ShownJournal
from mda_coder.tui.widgets.lines import MessageLine
from mda_coder.tui.widgets.transcript import TranscriptView
from mda_coder.tui.writer import Writer

_ = TUI.gettext
T = TypeVar("T")


class WorkspaceState(Screen[None]):
    """The workspace's state, shared by its action mixins (which add no state of their own)."""

    db: Database
    coder: str
    writer: Writer
    document: str | None
    blind: bool
    shown_coders: list[str]
    last_code: str | None
    last_saved: datetime | None
    codes: list[codebook_service.CodeListing]
    memos: dict[int, list[str]]
    filter_note: str | None
    editing: int | None
    """The coding whose span is being edited, if any."""
    panels: str
    """Which side panels are shown: ``all``, ``side`` or ``none`` (see ``panel_layout``)."""
    panels_chosen: bool
    """The coder chose the panels with ``z``: a resize keeps them."""
    journal_shown: ShownJournal
    """Which journal entries the screen reflects (see ``WindowActions``); noted from the writer thread too."""

    @property
    def transcript(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    def say(self, message: str, kind: str = "info", *, sticky: bool = False) -> None:
        """Tell the coder what happened, on the message line (it wraps, and clears itself)."""
        self.query_one(MessageLine).say(message, kind, sticky=sticky)

    def target(self) -> tuple[str, Target, Span] | None:
        """Where a code goes now: the document, the service target, and the span."""
        view = self.transcript
        span = view.target
        if self.document is None or span is None or view.current is None:
            return None
        if view.selection is None:
            return self.document, Target(turn=view.current.index), span
        return self.document, Target(span=(span.start, span.end)), span

    def show_turn(
        self, document: str, turn: int | None, selection: Span | None = None, *, top: bool = False
    ) -> str | None:
        """Jump to turn number ``turn`` of ``document`` (opening it, or lifting a filter that hides it).

        A filter that hid the turn is lifted, never kept: the turn jumped to must be on the screen.
        Returns what the coder must be told about the filter, also said on the message line.
        """
        if turn is None:
            return None
        lifted = None
        hidden_by = self.filter_note or _("a filter")
        if document != self.document:
            if self.filter_note:
                lifted = _("filter lifted: {filter} was for {document}; {other} opens with all its turns").format(
                    filter=hidden_by, document=self.document, other=document
                )
            self.open_document(document, turn - 1, selection)
        else:
            view = self.transcript
            if all(t.index != turn for t in view.turns):
                lifted = _("filter lifted: {filter} hid turn {turn}; all turns are shown").format(
                    filter=hidden_by, turn=turn
                )
                view.set_filter(None)
                self.filter_note = None
                self.update_status()
            index = next(i for i, t in enumerate(view.turns) if t.index == turn)
            view.go_to(index, selection)
            if top:
                view.cursor_to_top()
        if lifted:
            self.say(lifted, "warning")
        return lifted

    def ensure_codes(self) -> None:
        """Make sure ``codes`` holds the codebook: a key pressed before its first read came back reads it now."""
        if not self.codes:
            self.codebook_now()

    def read_then_ask(self, read: Callable[[], T], ask: Callable[[T], object]) -> None:
        """Read what a dialog offers on a worker, then show it with ``ask`` (on the UI thread).

        On a server each read is a round trip: the screen must not freeze for it. The keys typed
        meanwhile are held and go to the dialog once it shows, as they did when the read held the UI
        thread; a failed read lets them go and says why.
        """
        app = self.app
        hold_keys(app)

        def shown(value: T) -> None:
            ask(value)
            self.call_after_refresh(release_keys, app)

        def failed(exc: Exception) -> None:
            release_keys(app)
            self.post_message(ActionFailed(said(exc) if isinstance(exc, MdaError) else str(exc)))

        def work() -> None:
            try:
                value = read()
            except Exception as exc:  # noqa: BLE001 - the held keys must be let go whatever happened
                app.call_from_thread(failed, exc)
                return
            app.call_from_thread(shown, value)

        self.run_worker(work, thread=True, group="dialog", exit_on_error=False)

    # Implemented by the screen.
    open_document: Callable[..., object]
    update_status: Callable[..., None]
    reload_marks: Callable[..., None]
    reload_codebook: Callable[[], None]
    codebook_now: Callable[[], None]
    reveal: Callable[[str], None]
    has_shown: Callable[[int], bool]
    close_window: Callable[[], None]
    show_corrected: Callable[[str, int | None], None]
    check_document: Callable[[], None]
