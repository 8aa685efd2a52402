"""The coding workspace: documents, the transcript turn by turn, the codebook and this turn's codings."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from mda_coder.core.coding import DocumentInfo
from mda_coder.core.spans import Span
from mda_coder.i18n import N_, TUI, Phrase
from mda_coder.services import codebook as codebook_service
from mda_coder.services import queries, workspace
from mda_coder.store.engine import Database
from mda_coder.tui.commands import GoToTurnCommands
from mda_coder.tui.messages import (
    CodebookRead,
    CodeDetailRead,
    CodingChanged,
    DocumentLoaded,
    DocumentsListed,
    MarksReloaded,
    WorkspaceReady,
)
from mda_coder.tui.screens.browse_actions import BrowseActions
from mda_coder.tui.screens.codebook_edits import CodebookEditor
from mda_coder.tui.screens.coding_actions import CodingActions
from mda_coder.tui.screens.navigation_actions import NavigationActions
from mda_coder.tui.screens.opened_over import jump_back, open_agreement, open_reports, open_review, open_suggestions
from mda_coder.tui.screens.opening import Opened, code_detail_hint
from mda_coder.tui.screens.panel_layout import default_panels
from mda_coder.tui.screens.shown import ShownJournal
from mda_coder.tui.screens.turn_edits import TurnEdits
from mda_coder.tui.screens.window_actions import WindowActions
from mda_coder.tui.widgets.lines import KeyHints, MessageLine
from mda_coder.tui.widgets.panels import (
    CodebookTree,
    CodeEdit,
    StatusBar,
    render_detail,
    render_turn_codings,
    status_line,
    workspace_hints,
)
from mda_coder.tui.widgets.transcript import TranscriptView
from mda_coder.tui.writer import Writer

_ = TUI.gettext
ngettext = TUI.ngettext


class WorkspaceScreen(CodingActions, BrowseActions, NavigationActions, WindowActions, TurnEdits):
    """Where a coder reads a transcript and codes it by keyboard; every action commits at once."""

    COMMANDS = {GoToTurnCommands}

    BINDINGS = [
        Binding("c,enter", "code", N_("Code")),
        *[
            Binding(str(d), f"quick_code('{d}')", Phrase("Apply the code with key {key}", key=d), show=False)
            for d in range(1, 10)
        ],
        Binding("full_stop", "repeat_code", N_("Repeat code")),
        Binding("x", "remove_code", N_("Remove")),
        Binding("e", "edit_span", N_("Edit a coding's span"), show=False),
        Binding("m", "memo", N_("Memo")),
        Binding("u", "undo", N_("Undo")),
        Binding("U,ctrl+r", "redo", N_("Redo"), show=False),
        Binding("n", "uncoded(1)", N_("Next uncoded")),
        Binding("N", "uncoded(-1)", N_("Previous uncoded"), show=False),
        Binding("f", "filter", N_("Filter")),
        Binding("slash", "find", N_("Find")),
        Binding("F", "corpus_search", N_("Search every document: word forms, compounds, filters; code the hits")),
        Binding("E", "excerpts", N_("Excerpts of a code"), show=False),
        Binding("b", "toggle_blind", N_("Blind mode on/off"), show=False),
        Binding("o", "choose_coders", N_("Show another coder"), show=False),
        Binding("d", "focus('documents')", N_("Focus the documents"), show=False),
        Binding("t", "focus('transcript')", N_("Focus the transcript"), show=False),
        Binding("K", "focus('codebook')", N_("Focus the codebook"), show=False),
        Binding("question_mark", "help", N_("Help")),
        Binding("q", "quit", N_("Quit")),
        Binding("colon", "go_to_turn", N_("Go to turn N (or ctrl+p, then ':' and the number)")),
        Binding("z", "cycle_panels", N_("Side panels: all, the codebook only, none (the transcript alone)")),
        # The screens opened over the workspace (``opened_over``).
        Binding("R", "review", N_("Review disagreements into consensus"), show=False),
        Binding("I", "agreement", N_("Agreement between coders: every coefficient, per code"), show=False),
        Binding(
            "Q",
            "suggestions",
            N_("Suggested codings: a queue of proposals learned from your codings (accept, reject, skip)"),
            show=False,
        ),
        Binding(
            "P",
            "reports",
            N_("Reports: frequencies, co-occurrence, matrices, sequences; the excerpts behind a cell"),
            show=False,
        ),
    ]

    def __init__(self, db: Database, coder: str, opened: Opened | None = None) -> None:
        super().__init__()
        self.opened = opened
        """The first document, read before the screen was made (see ``MdaApp``); None: load it here."""
        self.db = db
        self.coder = coder
        self.blind = True
        """Blind coding: only the current coder's codings are shown."""
        self.shown_coders = [coder]
        self.document = None
        self.last_code = None
        self.last_saved = None
        self.codes = []
        self.memos = {}
        self.filter_note = None
        self.editing = None
        self.document_heads = {}
        self._pending_panels: list[DocumentInfo] | None = None
        self.journal_shown = ShownJournal()
        self.window = None
        self.place_saved = None
        self.place_now = None
        self._window_closed = False
        self.feed_live = False
        self.feed_lost = None
        self.panels = "side"
        self.panels_chosen = False
        self.panels_before_documents = None
        self.writer = Writer(self, around=self.around_write)
        self.codebook_editor = CodebookEditor(
            db, coder, self.writer, lambda dialog, then: self.app.push_screen(dialog, then), self.read_then_ask
        )

    def compose(self) -> ComposeResult:
        with Horizontal(id="main"):
            yield OptionList(id="documents")
            yield TranscriptView(id="transcript")
            with Vertical(id="side"):
                yield CodebookTree(id="codebook")
                yield Static(code_detail_hint(), id="code-detail")
                yield Static("", id="turn-codings")
        yield MessageLine(id="message")
        yield StatusBar("", id="status")
        yield KeyHints(workspace_hints(), id="keys")

    # -- loading ------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.panels = default_panels(self.app.size.width)
        self.lay_out_panels()
        self.transcript.focus()
        self.start_watching()
        if self.opened is not None:
            opened, self.opened = self.opened, None
            self._pending_panels, self.memos = opened.documents, opened.memos
            self.journal_shown.note(opened.journal_head)
            self.transcript.width_hint = opened.width
            self.on_document_loaded(opened.loaded)
            return
        self._open_first(self.coder, list(self.shown_coders))

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _open_first(self, coder: str, coders: list[str]) -> None:
        """The documents, and the one the coder left off in (else the first), read off the UI thread."""
        head = workspace.journal_head(self.db)
        documents = queries.documents(self.db)
        self.post_message(DocumentsListed(documents, head))
        if not documents:
            return
        place = workspace.last_place(self.db, coder)
        name, cursor = (place[0], place[1] - 1) if place is not None else (documents[0].name, 0)
        self._post_loaded(self.read_document(name, coders, cursor, None))

    def on_documents_listed(self, message: DocumentsListed) -> None:
        self.note_shown(message.head)
        if not message.documents:
            self.query_one(StatusBar).update(
                _("This project has no documents yet: import some with 'mda-coder import'.")
            )
            self.post_message(WorkspaceReady(None))
        # The side panels are filled once the transcript has painted: the document loads on a
        # worker, and the UI thread building them first kept it from running (bench_tui.py).
        self._pending_panels = message.documents

    def _fill_panels(self) -> None:
        documents, self._pending_panels = self._pending_panels, None
        if documents is None:
            return
        options = self.query_one("#documents", OptionList)
        for doc in documents:
            label = Text(doc.name)
            turns = ngettext("{n} turn", "{n} turns", doc.turns).format(n=doc.turns)
            label.append(f"\n{doc.group or ''} {turns}", style="dim")
            options.add_option(Option(label, id=doc.name))
        if self.document is not None:
            options.highlighted = options.get_option_index(self.document)
        self.reload_codebook()

    @on(OptionList.OptionSelected, "#documents")
    def _document_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and event.option.id != self.document:
            if self.filter_note:
                self.say(
                    _("filter lifted: {filter} was for {document}; {other} opens with all its turns").format(
                        filter=self.filter_note, document=self.document, other=event.option.id
                    ),
                    "warning",
                )
            self.open_document(event.option.id)
        self.documents_done()
        self.transcript.focus()

    def open_document(self, name: str, cursor: int = 0, selection: Span | None = None) -> None:
        """Load a document off the UI thread (a big transcript must not freeze the screen)."""
        self._load_document(name, list(self.shown_coders), cursor, selection)

    @work(thread=True, exclusive=True, group="load", exit_on_error=False)
    def _load_document(self, name: str, coders: list[str], cursor: int, selection: Span | None) -> None:
        self._post_loaded(self.read_document(name, coders, cursor, selection))

    def read_document(self, name: str, coders: list[str], cursor: int, selection: Span | None) -> DocumentLoaded:
        """On a worker's thread: read a document for the screen, touching no screen state."""
        head = workspace.journal_head(self.db)
        view = workspace.load_document(self.db, name)
        self.note_document_read(name, head)
        marks = workspace.load_marks(self.db, name, coders)
        memos = workspace.turn_memos(self.db, name)
        return DocumentLoaded(view, marks, cursor, selection, head, memos)

    def _post_loaded(self, loaded: DocumentLoaded) -> None:
        # A document asked for later cancelled this load: its document is the one to show, even if this one ends last.
        if not get_current_worker().is_cancelled:
            self.post_message(loaded)

    def on_document_loaded(self, message: DocumentLoaded) -> None:
        first = self.document is None
        self.document = message.view.name
        self.note_document_read(message.view.name, message.head)
        if message.memos is not None:
            self.memos = message.memos
        self.filter_note = None
        if self.editing is not None:
            self.editing = None
            self.query_one(MessageLine).end_sticky()
        self.note_shown(message.head)
        self.transcript.show(message.view, message.marks, self.shown_coders, message.cursor)
        if message.selection is not None:
            self.transcript.go_to(message.cursor, message.selection)
        self.note_place()
        if first:  # where the coder left off: at the top, as the opening screen drew it
            self.transcript.cursor_to_top()
            self.place_saved = self.place_now
        documents = self.query_one("#documents", OptionList)
        if documents.option_count:
            index = documents.get_option_index(message.view.name)
            if documents.highlighted != index:
                documents.highlighted = index
        self.update_status()
        if self._pending_panels is not None:
            self.post_message(WorkspaceReady(self.document))
        self.call_after_refresh(self._fill_panels)

    def reload_marks(self, *, memos: bool = False) -> None:
        """Read the current document's marks again (and its turns' memos, with ``memos``) on the writer thread."""
        if self.document is not None:
            document, coders = self.document, list(self.shown_coders)

            def job() -> MarksReloaded:
                head = workspace.journal_head(self.db)
                marks = workspace.load_marks(self.db, document, coders)
                return MarksReloaded(document, marks, head, workspace.turn_memos(self.db, document) if memos else None)

            self.writer.submit(job, journalled=False)  # a re-read: its head is noted with the marks

    def on_marks_reloaded(self, message: MarksReloaded) -> None:
        if message.document == self.document:
            self.note_shown(message.head)
            if message.memos is not None:
                self.memos = message.memos
            self.transcript.set_marks(message.marks, self.shown_coders)
            self._update_turn_panel()
            self.update_status()

    def reload_codebook(self) -> None:
        """Read the codebook and the coder's counts again, off the UI thread (after every coding action)."""
        self._read_codebook(self.coder)

    @work(thread=True, exclusive=True, group="codebook", exit_on_error=False)
    def _read_codebook(self, coder: str) -> None:
        read = CodebookRead(codebook_service.list_codes(self.db), codebook_service.coding_counts_of(self.db, coder))
        if not get_current_worker().is_cancelled:  # a later read was asked for: it has the newer counts
            self.post_message(read)

    def on_codebook_read(self, message: CodebookRead) -> None:
        self.codes = message.codes
        self.query_one(CodebookTree).show_codes(message.codes, message.mine)

    def codebook_now(self) -> None:
        """Read the codebook on the UI thread, for a key that needs the codes before the first read came back."""
        self.on_codebook_read(
            CodebookRead(codebook_service.list_codes(self.db), codebook_service.coding_counts_of(self.db, self.coder))
        )

    # -- the current turn ---------------------------------------------------------------

    def on_transcript_view_turn_changed(self, message: TranscriptView.TurnChanged) -> None:
        if self.editing is not None and message.selection is None:
            self.editing = None
            self.query_one(MessageLine).end_sticky()
            self.say(_("span edit cancelled: the coding keeps its span"))
        self.note_place()
        self._update_turn_panel()
        self.update_status()

    @on(CodebookTree.EditRequested)
    def _edit_codebook(self, event: CodebookTree.EditRequested) -> None:
        if event.kind is CodeEdit.EXCERPTS:
            if event.path:
                self.action_excerpts(event.path)
            return
        note = self.codebook_editor.edit(event.kind, event.path, self.codes)
        if note is not None:
            self.update_status(note)

    @on(CodebookTree.CodeFocused)
    def _code_focused(self, event: CodebookTree.CodeFocused) -> None:
        self._read_detail(event.path)

    @work(thread=True, exclusive=True, group="detail", exit_on_error=False)
    def _read_detail(self, path: str) -> None:
        detail = codebook_service.code_detail(self.db, path)
        if not get_current_worker().is_cancelled:  # the cursor moved on: the later code's detail is the one to show
            self.post_message(CodeDetailRead(detail))

    def on_code_detail_read(self, message: CodeDetailRead) -> None:
        self.query_one("#code-detail", Static).update(render_detail(message.detail))

    def _update_turn_panel(self) -> None:
        view = self.transcript
        if view.document is None or view.current is None:
            return
        panel = render_turn_codings(view.marks_of(view.cursor), view.document.text, self.shown_coders)
        for memo in self.memos.get(view.current.index, []):
            panel.append("\n" + _("turn memo: {memo}").format(memo=memo), style="italic")
        self.query_one("#turn-codings", Static).update(panel)

    def update_status(self, note: str | None = None) -> None:
        """Redraw the status bar (where the coder is); a ``note`` (what just happened) goes to the message line."""
        if note is not None:
            self.say(note)
        view = self.transcript
        if view.document is None:
            return
        coded = sum(1 for i in range(len(view.turns)) if any(m.coder == self.coder for m in view.marks_of(i)))
        extra = []
        if self.editing is not None:
            extra.append(_("editing a span"))
        if view.selection is not None:
            extra.append(_("selection {n} chars").format(n=len(view.selection)))
        if self.filter_note:
            extra.append(_("filter: {filter}").format(filter=self.filter_note))
        if self.feed_lost is not None:
            extra.append(_("not live: the server is out of reach, trying again"))
        if self.last_saved is not None:
            extra.append(_("saved {time}").format(time=f"{self.last_saved:%H:%M:%S}"))
        line = status_line(
            view.document.name,
            view.current.index if view.current else 0,
            len(view.document.turns),
            self.coder,
            blind=self.blind,
            others=self.shown_coders[1:],
            coded=coded,
            uncoded=len(view.turns) - coded,
            extra=extra,
        )
        self.query_one(StatusBar).update(line)

    def on_coding_changed(self, message: CodingChanged) -> None:
        self.last_saved = datetime.now()
        if message.memos is not None and message.document == self.document:
            self.memos = message.memos
        code = next((c.code for c in self.codes if message.coding and c.code.path == message.coding.code_path), None)
        if message.added and message.coding is not None and code is not None and message.document == self.document:
            coding = message.coding
            mark = workspace.Mark(
                coding.id, coding.coder, code.id, coding.code_path, code.color, coding.span, coding.memo
            )
            self.transcript.add_mark(mark)
            self._update_turn_panel()
        else:
            self.reload_marks()
        # After the next refresh: the coding's mark is painted first, not slowed by the read's thread.
        self.call_after_refresh(self.reload_codebook)
        self.update_status(message.description)

    def on_unmount(self) -> None:
        self.close_window()

    # -- the screens opened over it ---------------------------------------------------------

    def action_review(self) -> None:
        open_review(self)

    def action_agreement(self) -> None:
        open_agreement(self)

    def action_reports(self) -> None:
        open_reports(self)

    def action_corpus_search(self) -> None:
        """Search every document (``F``); enter on a hit closes the search on it here, a filter hiding it lifted."""
        from mda_coder.tui.screens.corpus_search import CorpusSearchScreen  # imported when asked for, not at start-up

        self.app.push_screen(CorpusSearchScreen(self), jump_back(self, _("from the search"), _("F to search again")))

    def action_suggestions(self) -> None:
        open_suggestions(self)
