"""What the workspace's action mixins may rely on: the screen's state and a few helpers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from textual.screen import Screen

from mda_coder.core.spans import Span
from mda_coder.services import codebook as codebook_service
from mda_coder.services.coding import Target
from mda_coder.store.engine import Database
from mda_coder.tui.widgets.transcript import TranscriptView
from mda_coder.tui.writer import Writer


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

    @property
    def transcript(self) -> TranscriptView:
        return self.query_one(TranscriptView)

    def target(self) -> tuple[str, Target, Span] | None:
        """Where a code goes now: the document, the service target, and the span."""
        view = self.transcript
        span = view.target
        if self.document is None or span is None or view.current is None:
            return None
        if view.selection is None:
            return self.document, Target(turn=view.current.index), span
        return self.document, Target(span=(span.start, span.end)), span

    def show_turn(self, document: str, turn: int | None, selection: Span | None = None) -> None:
        """Jump to turn number ``turn`` of ``document`` (opening it, or dropping a filter that hides it)."""
        if turn is None:
            return
        if document != self.document:
            self.open_document(document, turn - 1, selection)
            return
        view = self.transcript
        if all(t.index != turn for t in view.turns):
            view.set_filter(None)
            self.filter_note = None
        index = next(i for i, t in enumerate(view.turns) if t.index == turn)
        view.go_to(index, selection)

    # Implemented by the screen.
    open_document: Callable[..., object]
    update_status: Callable[..., None]
    reload_marks: Callable[[], None]
    reload_codebook: Callable[[], None]
