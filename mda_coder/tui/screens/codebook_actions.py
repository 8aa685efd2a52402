"""Codebook actions of the workspace: add, rename, move, merge codes and edit definitions."""

from __future__ import annotations

from collections.abc import Callable

from textual import on

from mda_coder.core.spans import Span
from mda_coder.services import codebook as codebook_service
from mda_coder.services import codebook_edit
from mda_coder.tui.dialogs.ask import Ask
from mda_coder.tui.dialogs.choose import Choose
from mda_coder.tui.dialogs.code_picker import CodePicker
from mda_coder.tui.dialogs.memo import MemoEditor
from mda_coder.tui.messages import CodingChanged
from mda_coder.tui.screens.base import WorkspaceState
from mda_coder.tui.widgets.panels import CodebookTree


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
                self.action_excerpts(path)  # type: ignore[attr-defined]
            return
        if event.kind in ("add", "add-top"):
            parent = path if event.kind == "add" else None
            title = f"New code under {parent}" if parent else "New top-level code"

            def named(name: str | None) -> None:
                if name:
                    self._codebook_job(lambda: f"added {codebook_edit.add_code(self.db, name, parent=parent, coder=coder).path}")

            self.app.push_screen(Ask(title, placeholder="name"), named)
            return
        if path is None:
            self.update_status("move to a code in the codebook first")
            return
        if event.kind == "rename":
            def renamed(name: str | None) -> None:
                if name:
                    self._codebook_job(lambda: f"renamed to {codebook_edit.rename_code(self.db, path, name, coder=coder).path}")

            self.app.push_screen(Ask(f"Rename {path}", path.rsplit("/", 1)[-1]), renamed)
        elif event.kind == "move":
            others = [c.code for c in self.codes if c.code.path != path and not c.code.path.startswith(path + "/")]
            items = [("", "(top level)")] + [(c.path, c.path) for c in others]

            def moved(parent: str | None) -> None:
                if parent is not None:
                    self._codebook_job(
                        lambda: f"moved to {codebook_edit.move_code(self.db, path, parent or None, coder=coder).path}"
                    )

            self.app.push_screen(Choose(f"Move {path} under …", items), moved)
        elif event.kind == "merge":
            others = [c.code for c in self.codes if c.code.path != path]

            def merged(target: str | None) -> None:
                if target:
                    self._codebook_job(lambda: self._merge(path, target))

            self.app.push_screen(CodePicker(others, [], f"Merge {path} into …"), merged)
        elif event.kind == "define":
            detail = codebook_service.code_detail(self.db, path)

            def defined(text: str | None) -> None:
                if text is not None:
                    self._codebook_job(
                        lambda: f"definition of {codebook_edit.edit_code(self.db, path, definition=text, coder=coder).path} saved"
                    )

            self.app.push_screen(MemoEditor(f"Definition of {path}", detail.definition), defined)

    def _merge(self, source: str, target: str) -> str:
        codebook_edit.merge_codes(self.db, source, target, coder=self.coder)
        return f"merged {source} into {target}"
