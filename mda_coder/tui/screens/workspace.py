"""The coding workspace: documents, the transcript turn by turn, the codebook and this turn's codings."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from mda_coder.core.spans import Span
from mda_coder.services import codebook as codebook_service
from mda_coder.services import queries, workspace
from mda_coder.services.coding import Target, apply_code, remove_code
from mda_coder.store.engine import Database
from mda_coder.tui.dialogs.choose import Choose
from mda_coder.tui.dialogs.code_picker import CodePicker
from mda_coder.tui.messages import ActionFailed, CodingChanged, DocumentLoaded, MarksReloaded
from mda_coder.tui.widgets.panels import CodebookTree, StatusBar, render_detail, render_turn_codings
from mda_coder.tui.widgets.transcript import TranscriptView
from mda_coder.tui.writer import Writer


class WorkspaceScreen(Screen[None]):
    """Where a coder reads a transcript and codes it by keyboard; every action commits at once."""

    BINDINGS = [
        Binding("c,enter", "code", "Code"),
        *[Binding(str(d), f"quick_code('{d}')", f"Apply the code with key {d}", show=False) for d in range(1, 10)],
        Binding("full_stop", "repeat_code", "Repeat code"),
        Binding("x", "remove_code", "Remove"),
        Binding("n", "uncoded(1)", "Next uncoded"),
        Binding("N", "uncoded(-1)", "Previous uncoded", show=False),
        Binding("b", "toggle_blind", "Blind", show=False),
        Binding("o", "choose_coders", "Coders", show=False),
        Binding("d", "focus('documents')", "Documents", show=False),
        Binding("t", "focus('transcript')", "Transcript", show=False),
        Binding("K", "focus('codebook')", "Codebook", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    def __init__(self, db: Database, coder: str) -> None:
        super().__init__()
        self.db = db
        self.coder = coder
        self.blind = True
        """Blind coding: only the current coder's codings are shown."""
        self.shown_coders: list[str] = [coder]
        self.document: str | None = None
        self.last_code: str | None = None
        self.last_saved: datetime | None = None
        self.codes: list[codebook_service.CodeListing] = []
        self.writer = Writer(self)

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield OptionList(id="documents")
            yield TranscriptView(id="transcript")
            with Vertical(id="side"):
                yield CodebookTree(id="codebook")
                yield Static("[dim]Move to a code (K, then arrows) to read its definition and rules.[/dim]", id="code-detail")
                yield Static("", id="turn-codings")
        yield StatusBar("", id="status")
        yield Footer()

    # -- loading ------------------------------------------------------------------------

    def on_mount(self) -> None:
        documents = self.query_one("#documents", OptionList)
        for doc in queries.documents(self.db):
            label = Text(doc.name)
            label.append(f"\n{doc.group or ''} {doc.turns} turns", style="dim")
            documents.add_option(Option(label, id=doc.name))
        self._reload_codebook()
        self.query_one(TranscriptView).focus()
        if documents.option_count:
            documents.highlighted = 0
            self.open_document(documents.get_option_at_index(0).id or "")
        else:
            self._status("This project has no documents yet: import some with 'mda-coder import'.")

    @on(OptionList.OptionSelected, "#documents")
    def _document_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and event.option.id != self.document:
            self.open_document(event.option.id)
        self.query_one(TranscriptView).focus()

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def open_document(self, name: str, cursor: int = 0) -> None:
        """Load a document off the UI thread (a big transcript must not freeze the screen)."""
        view = workspace.load_document(self.db, name)
        marks = workspace.load_marks(self.db, name, self.shown_coders)
        self.post_message(DocumentLoaded(view, marks, cursor))

    def on_document_loaded(self, message: DocumentLoaded) -> None:
        self.document = message.view.name
        self.query_one(TranscriptView).show(message.view, message.marks, self.shown_coders, message.cursor)
        self._update_status()

    def _reload_marks(self) -> None:
        if self.document is not None:
            document = self.document
            self.writer.submit(lambda: MarksReloaded(document, workspace.load_marks(self.db, document, self.shown_coders)))

    def on_marks_reloaded(self, message: MarksReloaded) -> None:
        if message.document == self.document:
            self.query_one(TranscriptView).set_marks(message.marks, self.shown_coders)
            self._update_turn_panel()
            self._update_status()

    def _reload_codebook(self) -> None:
        self.codes = codebook_service.list_codes(self.db)
        from mda_coder.services.coding import list_codings

        mine: dict[str, int] = {}
        for coding in list_codings(self.db, coder=self.coder) if self.coder in workspace.coder_names(self.db) else []:
            mine[coding.code_path] = mine.get(coding.code_path, 0) + 1
        self.query_one(CodebookTree).show_codes(self.codes, mine)

    # -- the current turn ---------------------------------------------------------------

    def on_transcript_view_turn_changed(self, _: TranscriptView.TurnChanged) -> None:
        self._update_turn_panel()
        self._update_status()

    @on(CodebookTree.CodeFocused)
    def _code_focused(self, event: CodebookTree.CodeFocused) -> None:
        self.query_one("#code-detail", Static).update(render_detail(codebook_service.code_detail(self.db, event.path)))

    def _update_turn_panel(self) -> None:
        view = self.query_one(TranscriptView)
        if view.document is None:
            return
        marks = view.marks_of(view.cursor)
        self.query_one("#turn-codings", Static).update(render_turn_codings(marks, view.document.text, self.shown_coders))

    def _update_status(self, note: str | None = None) -> None:
        view = self.query_one(TranscriptView)
        if view.document is None:
            return
        coded = sum(1 for i in range(len(view.turns)) if any(m.coder == self.coder for m in view.marks_of(i)))
        parts = [
            f"[b]{view.document.name}[/b]",
            f"turn {view.cursor + 1}/{len(view.turns)}",
            f"coder [b]{self.coder}[/b]" + (" (blind)" if self.blind else f" + {', '.join(self.shown_coders[1:])}" if len(self.shown_coders) > 1 else ""),
            f"coded {coded} · uncoded {len(view.turns) - coded}",
        ]
        if view.selection is not None:
            parts.append(f"selection {len(view.selection)} chars")
        if self.last_saved is not None:
            parts.append(f"saved {self.last_saved:%H:%M:%S}")
        if note:
            parts.append(note)
        self.query_one(StatusBar).update("  ·  ".join(parts))

    def _status(self, text: str) -> None:
        self.query_one(StatusBar).update(text)

    # -- coding -------------------------------------------------------------------------

    def _target(self) -> tuple[str, Target, Span] | None:
        view = self.query_one(TranscriptView)
        span = view.target
        if self.document is None or span is None or view.current is None:
            return None
        if view.selection is None:
            return self.document, Target(turn=view.current.index), span
        return self.document, Target(span=(span.start, span.end)), span

    def _apply(self, code_path: str) -> None:
        target = self._target()
        if target is None:
            return
        document, where, span = target
        self.last_code = code_path
        coder = self.coder

        def job() -> CodingChanged:
            coding, created = apply_code(self.db, coder=coder, code=code_path, document=document, target=where)
            verb = "applied" if created else "already there:"
            return CodingChanged(document, span, f"{verb} {code_path}", coding)

        self.writer.submit(job)

    def action_code(self) -> None:
        if self._target() is None:
            return
        recent = workspace.recent_codes(self.db, self.coder)
        infos = [listing.code for listing in self.codes]

        def chosen(path: str | None) -> None:
            if path:
                self._apply(path)

        self.app.push_screen(CodePicker(infos, recent), chosen)

    def action_quick_code(self, key: str) -> None:
        code = next((c.code for c in self.codes if c.code.key == key), None)
        if code is None:
            self._update_status(f"no code has key {key}")
        else:
            self._apply(code.path)

    def action_repeat_code(self) -> None:
        if self.last_code is None:
            self._update_status("no code to repeat yet")
        else:
            self._apply(self.last_code)

    def action_remove_code(self) -> None:
        view = self.query_one(TranscriptView)
        target = self._target()
        if target is None:
            return
        document, _, span = target
        mine = [m for m in view.marks_of(view.cursor) if m.coder == self.coder and span.overlaps(m.span)]
        if not mine:
            self._update_status("none of your codings here to remove")
            return

        def remove(choice: str | None) -> None:
            if choice is None:
                return
            mark = next(m for m in mine if str(m.coding_id) == choice)
            coder = self.coder

            def job() -> CodingChanged:
                removed = remove_code(
                    self.db, coder=coder, code=mark.code_path, document=document,
                    target=Target(span=(mark.span.start, mark.span.end)),
                )
                return CodingChanged(document, mark.span, f"removed {removed[0].code_path}")

            self.writer.submit(job)

        if len(mine) == 1:
            remove(str(mine[0].coding_id))
        else:
            items = [(str(m.coding_id), Text.assemble(("● ", m.color or ""), m.code_path)) for m in mine]
            self.app.push_screen(Choose("Remove which coding?", items), remove)

    def on_coding_changed(self, message: CodingChanged) -> None:
        self.last_saved = datetime.now()
        self._reload_marks()
        self._reload_codebook()
        self._update_status(message.description)

    def on_action_failed(self, message: ActionFailed) -> None:
        self._update_status(f"[red]{message.message}[/red]")
        self.notify(message.message, severity="error", timeout=6)

    # -- navigation and views -----------------------------------------------------------

    def action_uncoded(self, direction: int) -> None:
        view = self.query_one(TranscriptView)
        i = view.cursor + direction
        while 0 <= i < len(view.turns):
            if not any(m.coder == self.coder for m in view.marks_of(i)):
                view.go_to(i)
                return
            i += direction
        self._update_status("no uncoded turn " + ("below" if direction > 0 else "above"))

    def action_toggle_blind(self) -> None:
        self.blind = not self.blind
        others = [c for c in workspace.coder_names(self.db) if c != self.coder]
        self.shown_coders = [self.coder] if self.blind else [self.coder, *others]
        self._reload_marks()

    def action_choose_coders(self) -> None:
        others = [c for c in workspace.coder_names(self.db) if c != self.coder]
        if not others:
            self._update_status("no other coders in this project")
            return

        def chosen(name: str | None) -> None:
            if name is None:
                return
            self.blind = name == "—"
            self.shown_coders = [self.coder] if self.blind else [self.coder, name]
            self._reload_marks()

        items = [("—", f"only {self.coder} (blind)")] + [(c, f"{self.coder} and {c} side by side") for c in others]
        self.app.push_screen(Choose("Show whose codings?", items), chosen)

    def action_focus(self, widget_id: str) -> None:
        self.query_one(f"#{widget_id}").focus()

    def action_help(self) -> None:
        from mda_coder.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))

    def action_quit(self) -> None:
        self.writer.drain()
        self.app.exit()
