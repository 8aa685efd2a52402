"""Codebook actions of the workspace: add, rename, move, merge codes and edit definitions."""

from __future__ import annotations

from collections.abc import Callable

from textual import on

from mda_coder.core.spans import Span
from mda_coder.i18n import TUI
from mda_coder.services import codebook as codebook_service
from mda_coder.tui.dialogs.ask import Ask
from mda_coder.tui.dialogs.choose import Choose
from mda_coder.tui.dialogs.code_picker import CodePicker
from mda_coder.tui.dialogs.memo import MemoEditor
from mda_coder.tui.messages import CodingChanged
from mda_coder.tui.screens.base import WorkspaceState
from mda_coder.tui.widgets.panels import CodebookTree

_ = TUI.gettext


class CodebookActions(WorkspaceState):
    def _codebook_job(self, work: Callable[[], str]) -> None:
        """Run a codebook change on the writer; every coding may look different afterwards."""
        document = self.document or ""

        def job() -> CodingChanged:
            return CodingChanged(document, Span(0, 1), work())

        self.writer.submit(job)

    @on(CodebookTree.EditRequested)
    def _edit_codebook(self, event: CodebookTree.EditRequested) -> None:
        path, coder = event.path, self.coder
        if event.kind == "excerpts":
            if path:
                self.action_excerpts(path)  # type: ignore[attr-defined]  # BrowseActions, a sibling mixin of the workspace, has it
            return
        if event.kind in ("add", "add-top"):
            parent = path if event.kind == "add" else None
            title = _("New code under {code}").format(code=parent) if parent else _("New top-level code")

            def named(name: str | None) -> None:
                if name:
                    self._codebook_job(
                        lambda: _("added {code}").format(
                            code=codebook_service.add_code(self.db, name, parent=parent, coder=coder).path
                        )
                    )

            self.app.push_screen(Ask(title, placeholder=_("name")), named)
            return
        if path is None:
            self.update_status(_("move to a code in the codebook first"))
            return
        if event.kind == "rename":

            def renamed(name: str | None) -> None:
                if name:
                    self._codebook_job(
                        lambda: _("renamed to {code}").format(
                            code=codebook_service.rename_code(self.db, path, name, coder=coder).path
                        )
                    )

            self.app.push_screen(Ask(_("Rename {code}").format(code=path), path.rsplit("/", 1)[-1]), renamed)
        elif event.kind == "move":
            others = [c.code for c in self.codes if c.code.path != path and not c.code.path.startswith(path + "/")]
            items = [("", _("(top level)"))] + [(c.path, c.path) for c in others]

            def moved(parent: str | None) -> None:
                if parent is not None:
                    self._codebook_job(
                        lambda: _("moved to {code}").format(
                            code=codebook_service.move_code(self.db, path, parent or None, coder=coder).path
                        )
                    )

            self.app.push_screen(Choose(_("Move {code} under …").format(code=path), items), moved)
        elif event.kind == "merge":
            others = [c.code for c in self.codes if c.code.path != path]

            def merged(target: str | None) -> None:
                if target:
                    self._codebook_job(lambda: self._merge(path, target))

            self.app.push_screen(CodePicker(others, [], _("Merge {code} into …").format(code=path)), merged)
        elif event.kind == "define":
            detail = codebook_service.code_detail(self.db, path)

            def defined(text: str | None) -> None:
                if text is not None:
                    self._codebook_job(
                        lambda: _("definition of {code} saved").format(
                            code=codebook_service.edit_code(self.db, path, definition=text, coder=coder).path
                        )
                    )

            self.app.push_screen(MemoEditor(_("Definition of {code}").format(code=path), detail.definition), defined)

    def _merge(self, source: str, target: str) -> str:
        codebook_service.merge_codes(self.db, source, target, coder=self.coder)
        return _("merged {code} into {target}").format(code=source, target=target)
