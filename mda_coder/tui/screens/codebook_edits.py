"""The codebook's changes from the workspace: add, rename, move, merge codes and edit definitions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar

from rich.text import Text
from textual.screen import Screen

from mda_coder.core.spans import Span
from mda_coder.i18n import TUI
from mda_coder.services import codebook as codebook_service
from mda_coder.store.engine import Database
from mda_coder.tui.dialogs.ask import Ask
from mda_coder.tui.dialogs.choose import Choose
from mda_coder.tui.dialogs.code_picker import CodePicker
from mda_coder.tui.dialogs.memo import MemoEditor
from mda_coder.tui.messages import CodingChanged
from mda_coder.tui.widgets.panels import CodeEdit
from mda_coder.tui.writer import Writer

_ = TUI.gettext

Push = Callable[[Screen[Any], Callable[[Any], None]], object]
"""``App.push_screen``: show a dialog, and call back with its answer."""
T = TypeVar("T")


class ReadThenAsk(Protocol):
    """``WorkspaceState.read_then_ask``: read on a worker what a dialog offers, then show it."""

    def __call__(self, read: Callable[[], T], ask: Callable[[T], object]) -> None: ...


class CodebookEditor:
    """Asks what a codebook change should be (a dialog each), then queues it on the writer.

    It holds only what it is given: the project, the coder, the writer, and ways to show a dialog.
    Each change is one service call in its own transaction, and its ``CodingChanged`` reaches the
    screen through the writer (every coding may look different afterwards), as a coding action's does.
    """

    def __init__(self, db: Database, coder: str, writer: Writer, push: Push, read_then_ask: ReadThenAsk) -> None:
        self.db = db
        self.coder = coder
        self.writer = writer
        self.push = push
        self.read_then_ask = read_then_ask

    def edit(self, kind: CodeEdit, path: str | None, codes: Sequence[codebook_service.CodeListing]) -> str | None:
        """Start the change ``kind`` at code ``path`` (None: no code is highlighted), ``codes`` being the codebook shown.

        Returns what the coder must be told instead, when there is no code to change.
        """
        if kind in (CodeEdit.ADD, CodeEdit.ADD_TOP):
            self._add(path if kind is CodeEdit.ADD else None)
            return None
        if path is None:
            return _("move to a code in the codebook first")
        if kind is CodeEdit.RENAME:
            self._rename(path)
        elif kind is CodeEdit.MOVE:
            self._move(path, codes)
        elif kind is CodeEdit.MERGE:
            self._merge(path, codes)
        elif kind is CodeEdit.DEFINE:
            self._define(path)
        return None

    def _submit(self, work: Callable[[], str]) -> None:
        """Run a codebook change on the writer; every coding may look different afterwards."""

        def job() -> CodingChanged:
            # The document is not known here, nor needed: CodingChanged without a coding reloads the marks.
            return CodingChanged("", Span(0, 1), work())

        self.writer.submit(job)

    def _add(self, parent: str | None) -> None:
        db, coder = self.db, self.coder
        title = _("New code under {code}").format(code=parent) if parent else _("New top-level code")

        def named(name: str | None) -> None:
            if name:
                self._submit(
                    lambda: _("added {code}").format(
                        code=codebook_service.add_code(db, name, parent=parent, coder=coder).path
                    )
                )

        self.push(Ask(title, placeholder=_("name")), named)

    def _rename(self, path: str) -> None:
        db, coder = self.db, self.coder

        def renamed(name: str | None) -> None:
            if name:
                self._submit(
                    lambda: _("renamed to {code}").format(
                        code=codebook_service.rename_code(db, path, name, coder=coder).path
                    )
                )

        self.push(Ask(_("Rename {code}").format(code=path), path.rsplit("/", 1)[-1]), renamed)

    def _move(self, path: str, codes: Sequence[codebook_service.CodeListing]) -> None:
        db, coder = self.db, self.coder
        others = [c.code for c in codes if c.code.path != path and not c.code.path.startswith(path + "/")]
        items: list[tuple[str, Text | str]] = [("", _("(top level)"))]
        items += [(c.path, c.path) for c in others]

        def moved(parent: str | None) -> None:
            if parent is not None:
                self._submit(
                    lambda: _("moved to {code}").format(
                        code=codebook_service.move_code(db, path, parent or None, coder=coder).path
                    )
                )

        self.push(Choose(_("Move {code} under …").format(code=path), items), moved)

    def _merge(self, path: str, codes: Sequence[codebook_service.CodeListing]) -> None:
        db, coder = self.db, self.coder
        others = [c.code for c in codes if c.code.path != path]

        def merge(target: str) -> str:
            codebook_service.merge_codes(db, path, target, coder=coder)
            return _("merged {code} into {target}").format(code=path, target=target)

        def merged(target: str | None) -> None:
            if target:
                self._submit(lambda: merge(target))

        self.push(CodePicker(others, [], _("Merge {code} into …").format(code=path)), merged)

    def _define(self, path: str) -> None:
        db, coder = self.db, self.coder

        def defined(text: str | None) -> None:
            if text is not None:
                self._submit(
                    lambda: _("definition of {code} saved").format(
                        code=codebook_service.edit_code(db, path, definition=text, coder=coder).path
                    )
                )

        self.read_then_ask(
            lambda: codebook_service.code_detail(db, path),
            lambda detail: self.push(
                MemoEditor(_("Definition of {code}").format(code=path), detail.definition), defined
            ),
        )
