"""Coding actions of the workspace: apply, repeat, remove, memos, span edits, undo and redo."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text

from mda_coder.core.display import one_line
from mda_coder.core.spans import Span
from mda_coder.i18n import MESSAGES, TUI
from mda_coder.services import history, memos, workspace
from mda_coder.services.coding import apply_code, change_coding_span, remove_coding, set_coding_memo
from mda_coder.tui.dialogs.choose import Choose
from mda_coder.tui.dialogs.code_picker import CodePicker
from mda_coder.tui.dialogs.confirm import Confirm
from mda_coder.tui.dialogs.memo import MemoEditor
from mda_coder.tui.messages import CodingChanged, HistoryHeld, HistoryStepped
from mda_coder.tui.screens.base import WorkspaceState
from mda_coder.tui.screens.turn_edits import changes_text
from mda_coder.tui.widgets.lines import MessageLine
from mda_coder.tui.widgets.panels import CodebookTree

_ = TUI.gettext


class CodingActions(WorkspaceState):
    def apply(self, code_path: str) -> None:
        target = self.target()
        if target is None:
            return
        document, where, span = target
        self.last_code = code_path
        coder = self.coder

        def job() -> CodingChanged:
            coding, created = apply_code(self.db, coder=coder, code=code_path, document=document, target=where)
            said = _("applied {code}") if created else _("already there: {code}")
            return CodingChanged(document, span, said.format(code=code_path), coding, added=created)

        self.writer.submit(job)

    def action_code(self) -> None:
        if self.editing is not None:
            self._save_span()
            return
        if self.target() is None:
            return
        self.ensure_codes()
        codes = [c.code for c in self.codes]

        def chosen(path: str | None) -> None:
            if path:
                self.apply(path)

        coder = self.coder
        self.read_then_ask(
            lambda: workspace.recent_codes(self.db, coder),
            lambda recent: self.app.push_screen(CodePicker(codes, recent), chosen),
        )

    def action_quick_code(self, key: str) -> None:
        self.ensure_codes()
        code = next((c.code for c in self.codes if c.code.key == key), None)
        if code is None:
            self.say(_("no code has key {key} (the codebook shows each code's key in brackets)").format(key=key))
        else:
            self.apply(code.path)

    def action_repeat_code(self) -> None:
        if self.last_code is None:
            self.say(_("no code to repeat yet: . applies the last code you applied"))
        else:
            self.apply(self.last_code)

    def _mine_here(self) -> list[workspace.Mark]:
        view = self.transcript
        target = self.target()
        if target is None:
            return []
        span = target[2]
        return [m for m in view.marks_of(view.cursor) if m.coder == self.coder and span.overlaps(m.span)]

    def _choose_mark(self, title: str, then: Callable[[workspace.Mark], None]) -> None:
        mine = self._mine_here()
        if not mine:
            self.say(_("none of your codings here"))
            return
        if len(mine) == 1:
            then(mine[0])
            return
        items = [(str(m.coding_id), Text.assemble(("● ", m.color or ""), m.code_path)) for m in mine]

        def chosen(choice: str | None) -> None:
            if choice is not None:
                then(next(m for m in mine if str(m.coding_id) == choice))

        self.app.push_screen(Choose(title, items), chosen)

    def action_remove_code(self) -> None:
        """Remove one of your codings here; one with a memo only after a ``y``, since the memo goes with it."""
        view = self.transcript
        document, coder = self.document or "", self.coder
        turn = view.current.index if view.current is not None else None
        text = view.document.text if view.document is not None else ""

        def remove(mark: workspace.Mark) -> None:
            quoted = one_line(mark.span.of(text), 60) if text else ""

            def job() -> CodingChanged:
                removed = remove_coding(self.db, mark.coding_id, coder=coder)
                said = (
                    _("removed {code} and its memo from {document} turn {turn}: “{text}” (u brings it back)")
                    if removed.memo
                    else _("removed {code} from {document} turn {turn}: “{text}” (u brings it back)")
                )
                return CodingChanged(
                    document, mark.span, said.format(code=removed.code_path, document=document, turn=turn, text=quoted)
                )

            self.writer.submit(job)

        def ask(mark: workspace.Mark) -> None:
            if not mark.memo:
                remove(mark)
                return

            def answered(yes: bool | None) -> None:
                if yes:
                    remove(mark)
                else:
                    self.say(_("kept {code} and its memo").format(code=mark.code_path))

            self.app.push_screen(
                Confirm(
                    _("Remove {code}? Its memo goes with it:").format(code=mark.code_path),
                    mark.memo,
                    _("remove both"),
                    _("keep them"),
                ),
                answered,
            )

        self._choose_mark(_("Remove which coding?"), ask)

    # -- span edits -------------------------------------------------------------------

    def action_edit_span(self) -> None:
        def start(mark: workspace.Mark) -> None:
            view = self.transcript
            if view.current is None or not view.current.span.contains(mark.span):
                self.say(_("this coding runs over several turns: change it with the 'codings' commands"), "warning")
                return
            self.editing = mark.coding_id
            view.go_to(view.cursor, mark.span)
            self.say(
                _(
                    "editing the span of {code}: l h grow or shrink its end by a word, L H move its start, "
                    ") ( by a sentence; enter saves, esc cancels"
                ).format(code=mark.code_path),
                sticky=True,
            )
            self.update_status()

        self._choose_mark(_("Edit the span of which coding?"), start)

    def _save_span(self) -> None:
        coding_id, self.editing = self.editing, None
        self.query_one(MessageLine).end_sticky()
        view = self.transcript
        span = view.selection
        if coding_id is None or span is None or self.document is None:
            return
        document, coder = self.document, self.coder
        # Read here, on the UI thread: the job runs on the writer's, which must not touch the widgets.
        redrawn = view.current.span if view.current else span

        def job() -> CodingChanged:
            coding = change_coding_span(self.db, coding_id, span.start, span.end, coder=coder)
            said = _("span of {code} changed").format(code=coding.code_path)
            return CodingChanged(document, redrawn, said, coding)

        self.writer.submit(job)

    # -- memos ---------------------------------------------------------------------------

    def action_memo(self) -> None:
        """A memo on one of your codings here, on this turn, on the document, or (in the codebook) on a code."""
        tree = self.query_one(CodebookTree)
        if tree.has_focus and tree.cursor_node is not None and tree.cursor_node.data:
            path = tree.cursor_node.data
            self._edit_memo(
                _("Memo on code {code}").format(code=path),
                "",
                lambda text: memos.add_memo(self.db, text, code=path, coder=self.coder),
            )
            return
        view = self.transcript
        target = self.target()
        if target is None or view.current is None:
            return
        document = target[0]
        turn = view.current.index
        mine = self._mine_here()
        items: list[tuple[str, Text | str]] = [
            (f"coding:{m.coding_id}", Text.assemble(_("on your coding") + " ", ("● ", m.color or ""), m.code_path))
            for m in mine
        ]
        items += [
            ("turn", _("on turn {turn}").format(turn=turn)),
            ("document", _("on the document {document}").format(document=document)),
        ]

        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            if choice.startswith("coding:"):
                mark = next(m for m in mine if f"coding:{m.coding_id}" == choice)
                self._edit_memo(
                    _("Memo on {code}").format(code=mark.code_path),
                    mark.memo or "",
                    lambda text: set_coding_memo(self.db, mark.coding_id, text or None, coder=self.coder),
                )
            elif choice == "turn":
                self._edit_memo(
                    _("Memo on turn {turn}").format(turn=turn),
                    "",
                    lambda text: memos.add_memo(self.db, text, document=document, turn=turn, coder=self.coder),
                )
            else:
                self._edit_memo(
                    _("Memo on {document}").format(document=document),
                    "",
                    lambda text: memos.add_memo(self.db, text, document=document, coder=self.coder),
                )

        if not mine:
            chosen("turn")
        else:
            self.app.push_screen(Choose(_("Memo on what?"), items), chosen)

    def _edit_memo(self, title: str, text: str, save: Callable[[str], object]) -> None:
        document = self.document or ""
        span = self.transcript.target or Span(0, 1)

        def saved(result: str | None) -> None:
            if result is None:
                return

            def job() -> CodingChanged:
                save(result)
                memos = workspace.turn_memos(self.db, document) if document else {}
                said = _("memo saved ({what})").format(what=title[:1].lower() + title[1:])
                return CodingChanged(document, span, said, memos=memos)

            self.writer.submit(job)

        self.app.push_screen(MemoEditor(title, text), saved)

    # -- undo and redo ----------------------------------------------------------------

    def action_undo(self) -> None:
        self._step("undo")

    def action_redo(self) -> None:
        self._step("redo")

    def _step(self, direction: str) -> None:
        """Undo or redo on the writer, only what this screen has shown (see ``WindowActions``)."""
        coder, step = self.coder, history.undo if direction == "undo" else history.redo
        shown = self.has_shown

        def job() -> HistoryStepped | HistoryHeld:
            try:
                return HistoryStepped(step(self.db, coder, shown=shown), direction)
            except history.NotShown as exc:
                return HistoryHeld(exc.step)

        self.writer.submit(job)

    def on_history_stepped(self, message: HistoryStepped) -> None:
        step = message.step
        if step is None:
            self.say(_("nothing to undo") if message.direction == "undo" else _("nothing to redo"))
            return
        self.reload_codebook()
        if step.document is not None and changes_text(step.action):
            self.show_corrected(step.document, step.turn)  # its turns and text changed, not only its codings
        else:
            self.reload_marks()
            if step.document is not None and step.turn is not None:
                self.show_turn(step.document, step.turn)
        said = (
            _("undone: {step} (U redoes it)") if step.direction == "undo" else _("redone: {step} (u undoes it again)")
        )
        self.say(said.format(step=MESSAGES.text(step.description)))
