"""Search every document from the workspace (``F``): keyword-in-context lines, jump to a hit, code it where it is.

``*`` queues every hit (at its sentence) for review as a code, in the queue ``Q`` opens.
The search runs in a worker; codings and undo go through the workspace's writer, in key order, each in
its own transaction and journalled, as in the workspace. A hit is coded at its sentence (the unit the
workspace codes when a sentence is selected); a hit outside every sentence, at its own words.
"""

from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Input, Static

from mda_coder.core.errors import MdaError
from mda_coder.i18n import MESSAGES, N_, TUI, Phrase, said
from mda_coder.services import corpus_search, history, workspace
from mda_coder.services.coding import Target, apply_code
from mda_coder.tui.dialogs.choose import Choose
from mda_coder.tui.dialogs.code_picker import CodePicker
from mda_coder.tui.literal import literal
from mda_coder.tui.messages import ActionFailed, CodingChanged, HistoryHeld, HistoryStepped
from mda_coder.tui.widgets.agreement_panels import Place
from mda_coder.tui.widgets.lines import KeyHints

if TYPE_CHECKING:
    from mda_coder.tui.screens.workspace import WorkspaceScreen

_ = TUI.gettext

CONTEXT = 50
"""Characters of context either side of a hit in the table."""
LIMIT = 2000
"""The most hits the table shows (the count says how many there are)."""
MODES = {"auto": N_("word forms"), "exact": N_("exact"), "lemma": N_("word forms"), "fuzzy": N_("near spellings too")}
SORTS = {"text": N_("in text order"), "left": N_("by left context"), "right": N_("by right context")}
MATCHES = {"exact": N_("exact"), "lemma": N_("form"), "compound": N_("compound"), "fuzzy": N_("near")}


class SearchDone(Message, bubble=False):
    """A search came back from its worker."""

    def __init__(self, result: corpus_search.CorpusSearch) -> None:
        super().__init__()
        self.result = result


class HitsQueued(Message, bubble=False):
    """The hits of the search were put in the review queue; ``said`` tells how many."""

    def __init__(self, said: str) -> None:
        super().__init__()
        self.said = said


def hints() -> list[tuple[str, str]]:
    return [
        ("enter", _("go to the hit")),
        ("c", TUI.pgettext("verb", "code")),
        ("1-9", _("code by key")),
        ("*", _("queue all for review")),
        ("u", _("undo")),
        ("/", _("new search")),
        ("m", _("mode")),
        ("k", _("compounds")),
        ("f", _("filter")),
        ("s", _("sort")),
        ("esc", _("back")),
    ]


class CorpusSearchScreen(Screen[Place | None]):
    """A query, how it is searched, and its hits in every document, one keyword-in-context line each."""

    BINDINGS = [
        Binding("c", "code", N_("Code the hit's sentence (pick a code)")),
        *[
            Binding(str(d), f"quick_code('{d}')", Phrase("Code the hit's sentence with key {key}", key=d), show=False)
            for d in range(1, 10)
        ],
        Binding(
            "asterisk", "queue_all", N_("Queue every hit for review as a code (pick one); Q in the workspace reviews")
        ),
        Binding("u", "undo", N_("Undo")),
        Binding("U,ctrl+r", "redo", N_("Redo")),
        Binding("slash", "query", N_("Type a new search")),
        Binding("m", "mode", N_("Mode: word forms, exact, near spellings too")),
        Binding("k", "compounds", N_("Compounds on/off (självtilltro for tilltro)")),
        Binding("f", "filter", N_("Only some documents, groups, speakers, roles, or text coded (or not) with a code")),
        Binding("s", "sort", N_("Order: text, left context, right context")),
        Binding("question_mark", "help", N_("Help")),
        Binding("escape", "back", N_("Back to the workspace")),
    ]
    HELP_GROUPS = (("search", BINDINGS),)

    def __init__(self, screen: WorkspaceScreen, query: str = "") -> None:
        super().__init__()
        self.workspace = screen
        self.request = corpus_search.SearchRequest(query, context=CONTEXT, limit=LIMIT)
        self.hits: tuple[corpus_search.CorpusHit, ...] = ()
        self.filters: list[str] = []
        """The filters chosen, as the filter dialog names them (``speaker:R1``), for the settings line."""

    def compose(self) -> ComposeResult:
        yield Input(self.request.query, placeholder=_("Search every document: a word, or a phrase"), id="search-query")
        yield Static("", id="search-settings")
        yield DataTable(id="search-hits", cursor_type="row", zebra_stripes=True)
        yield Static("", id="search-status")
        yield KeyHints(hints(), id="search-keys")

    def on_mount(self) -> None:
        table = self.query_one(DataTable)
        table.add_columns(_("document"), _("turn"), _("speaker"), _("role"), _("before"), _("hit"), _("after"), "")
        self._show_settings()
        if self.request.query.strip():
            self._search(self.request)
        else:
            self.query_one(Input).focus()

    # -- searching ---------------------------------------------------------------------------------

    @on(Input.Submitted, "#search-query")
    def _submitted(self, event: Input.Submitted) -> None:
        self.request = replace(self.request, query=event.value)
        if event.value.strip():
            self._search(self.request)

    def _search(self, request: corpus_search.SearchRequest) -> None:
        self.note(_("searching every document …"))
        self._run(request)

    @work(thread=True, exclusive=True, group="corpus-search", exit_on_error=False)
    def _run(self, request: corpus_search.SearchRequest) -> None:
        try:
            self.post_message(SearchDone(corpus_search.search_corpus(self.workspace.db, request)))
        except MdaError as exc:
            self.post_message(ActionFailed(said(exc)))

    def on_search_done(self, message: SearchDone) -> None:
        result = message.result
        if result.query != self.request.query:
            return  # another search was asked for meanwhile
        self.hits = result.hits
        table = self.query_one(DataTable)
        table.clear()
        for n, hit in enumerate(result.hits):
            how = _(MATCHES.get(hit.match, hit.match))
            if hit.match == "fuzzy":
                how += f" {hit.score:g}"
            table.add_row(
                literal(hit.document),
                literal("–" if hit.turn is None else str(hit.turn)),
                literal(hit.name or hit.speaker or "–"),
                literal(hit.role or ""),
                Text(hit.left[-CONTEXT:], justify="right", overflow="ellipsis", no_wrap=True),
                Text(" ".join(hit.text.split()), style="bold reverse"),
                literal(hit.right[:CONTEXT]),
                Text("" if hit.match == "exact" else how, style="dim italic"),
                key=str(n),
            )
        if result.total == 0:
            line = _("'{query}' is in no document").format(query=result.query)
        elif len(result.hits) < result.total:
            line = _("{shown} of {n} hits shown").format(shown=len(result.hits), n=result.total)
        else:
            line = TUI.ngettext("{n} hit", "{n} hits", result.total).format(n=result.total)
        extra = [MESSAGES.text(n) for n in result.notes]
        if result.terms:
            extra.append(_("also searched for: {terms}").format(terms=", ".join(result.terms[:12])))
        self.note("  ·  ".join([line, *extra]))
        if result.hits:
            table.move_cursor(row=0)
            table.focus()

    def on_action_failed(self, message: ActionFailed) -> None:
        message.stop()
        self.note(message.message, "bold red")

    # -- how to search ---------------------------------------------------------------------------------

    def action_query(self) -> None:
        self.query_one(Input).focus()

    def action_mode(self) -> None:
        order = ["auto", "exact", "fuzzy"]
        now = order.index(self.request.mode) if self.request.mode in order else 0
        self._again(replace(self.request, mode=order[(now + 1) % len(order)]))

    def action_compounds(self) -> None:
        self._again(replace(self.request, compounds=not self.request.compounds))

    def action_sort(self) -> None:
        order = list(SORTS)
        self._again(replace(self.request, sort=order[(order.index(self.request.sort) + 1) % len(order)]))

    def action_filter(self) -> None:
        screen = self.workspace
        screen.ensure_codes()
        codes = [c.code.path for c in screen.codes]
        db = screen.db
        screen.read_then_ask(lambda: corpus_search.facets(db), lambda found: self._choose_filter(found, codes))

    def _choose_filter(self, found: corpus_search.Facets, codes: list[str]) -> None:
        items: list[tuple[str, Text | str]] = [
            ("all", _("everything (no filter)")),
            ("nomod", _("all but the moderator")),
        ]
        items += [(f"document:{d}", _("document {document}").format(document=d)) for d in found.documents]
        items += [(f"group:{g}", _("group {group}").format(group=g)) for g in found.groups]
        items += [(f"speaker:{s}", _("speaker {speaker}").format(speaker=s)) for s in found.speakers]
        items += [(f"role:{r}", _("role {role}").format(role=r)) for r in found.roles]
        items += [(f"code:{c}", _("inside text coded {code}").format(code=c)) for c in codes]
        items += [(f"notcode:{c}", _("outside text coded {code}").format(code=c)) for c in codes]

        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            kind, _colon, value = choice.partition(":")
            r = self.request
            if kind == "all":
                r = replace(r, documents=(), groups=(), speakers=(), roles=(), code=None, not_code=None)
                r = replace(r, no_moderator=False)
                self.filters = []
            else:
                r = {
                    "nomod": lambda: replace(r, no_moderator=True),
                    "document": lambda: replace(r, documents=(*r.documents, value)),
                    "group": lambda: replace(r, groups=(*r.groups, value)),
                    "speaker": lambda: replace(r, speakers=(*r.speakers, value)),
                    "role": lambda: replace(r, roles=(*r.roles, value)),
                    "code": lambda: replace(r, code=value),
                    "notcode": lambda: replace(r, not_code=value),
                }[kind]()
                self.filters.append(next(str(label) for key, label in items if key == choice))
            self._again(r)

        self.app.push_screen(Choose(_("Search only where?"), items), chosen)

    def _again(self, request: corpus_search.SearchRequest) -> None:
        self.request = request
        self._show_settings()
        if request.query.strip():
            self._search(request)

    def _show_settings(self) -> None:
        r = self.request
        parts = [_(MODES[r.mode]), _("compounds too") if r.compounds else _("no compounds"), _(SORTS[r.sort])]
        parts.append(", ".join(self.filters) if self.filters else _("every document and speaker"))
        self.query_one("#search-settings", Static).update(literal("  ·  ".join(parts), "dim"))

    def note(self, text: str, style: str = "") -> None:
        self.query_one("#search-status", Static).update(literal(text, style))

    # -- going to a hit, coding it ----------------------------------------------------------------------

    @property
    def current(self) -> corpus_search.CorpusHit | None:
        table = self.query_one(DataTable)
        if not self.hits or table.cursor_row < 0 or table.cursor_row >= len(self.hits):
            return None
        return self.hits[table.cursor_row]

    @on(DataTable.RowSelected, "#search-hits")
    def _selected(self, event: DataTable.RowSelected) -> None:
        hit = self.current
        if hit is not None:
            self.dismiss(Place(Text(hit.text), hit.document, hit.turn, hit.span))

    def action_code(self) -> None:
        if self.current is None:
            return
        screen = self.workspace
        screen.ensure_codes()
        codes = [c.code for c in screen.codes]

        def chosen(path: str | None) -> None:
            if path:
                self._apply(path)

        coder, db = screen.coder, screen.db
        screen.read_then_ask(
            lambda: workspace.recent_codes(db, coder),
            lambda recent: self.app.push_screen(CodePicker(codes, recent), chosen),
        )

    def action_quick_code(self, key: str) -> None:
        self.workspace.ensure_codes()
        code = next((c.code for c in self.workspace.codes if c.code.key == key), None)
        if code is None:
            self.note(_("no code has key {key} (the codebook shows each code's key in brackets)").format(key=key))
        elif self.current is not None:
            self._apply(code.path)

    def _apply(self, code_path: str) -> None:
        hit = self.current
        if hit is None:
            return
        screen = self.workspace
        db, coder = screen.db, screen.coder
        screen.last_code = code_path

        def job() -> CodingChanged:
            sentence = corpus_search.sentence_at(db, hit.document, hit.span)
            where = Target(sentence=sentence) if sentence is not None else Target(span=(hit.span.start, hit.span.end))
            coding, created = apply_code(db, coder=coder, code=code_path, document=hit.document, target=where)
            said = _("applied {code}") if created else _("already there: {code}")
            described = (
                said.format(code=code_path)
                + " · "
                + _("{document} turn {turn}").format(
                    document=hit.document, turn=hit.turn if hit.turn is not None else "–"
                )
            )
            return CodingChanged(hit.document, coding.span, described, coding, added=created)

        screen.writer.submit(job, target=self)

    def action_queue_all(self) -> None:
        if not self.hits:
            self.note(_("no hits to queue"))
            return
        screen = self.workspace
        screen.ensure_codes()
        codes = [c.code for c in screen.codes]
        coder, db, request = screen.coder, screen.db, self.request

        def chosen(path: str | None) -> None:
            if path:
                self.note(_("queueing every hit for review …"))
                self._queue(request, path)

        screen.read_then_ask(
            lambda: workspace.recent_codes(db, coder),
            lambda recent: self.app.push_screen(CodePicker(codes, recent), chosen),
        )

    def _queue(self, request: corpus_search.SearchRequest, code_path: str) -> None:
        from mda_coder.services import suggest

        screen = self.workspace
        db, coder = screen.db, screen.coder

        def job() -> HitsQueued:
            done = suggest.queue_hits(db, coder=coder, code=code_path, request=request)
            line = _(
                "{queued} of {units} places queued for review as {code} ({hits} hits); Q in the workspace reviews them"
            )
            return HitsQueued(line.format(queued=done.queued, units=done.units, code=code_path, hits=done.hits))

        # In the writer, after the codings asked for before it; queueing adds nothing to the journal.
        screen.writer.submit(job, target=self, journalled=False)

    def on_hits_queued(self, message: HitsQueued) -> None:
        message.stop()
        self.note(message.said)

    def on_coding_changed(self, message: CodingChanged) -> None:
        message.stop()
        self.note(message.description)
        # the workspace draws the coding too, as if it had made it
        self.workspace.post_message(
            CodingChanged(message.document, message.span, message.description, message.coding, message.added)
        )

    def action_undo(self) -> None:
        self._step("undo")

    def action_redo(self) -> None:
        self._step("redo")

    def _step(self, direction: str) -> None:
        screen = self.workspace
        db, coder, shown = screen.db, screen.coder, screen.has_shown
        step = history.undo if direction == "undo" else history.redo

        def job() -> HistoryStepped | HistoryHeld:
            try:
                return HistoryStepped(step(db, coder, shown=shown), direction)
            except history.NotShown as exc:
                return HistoryHeld(exc.step)

        screen.writer.submit(job, target=self)

    def on_history_stepped(self, message: HistoryStepped) -> None:
        message.stop()
        step = message.step
        if step is None:
            self.note(_("nothing to undo") if message.direction == "undo" else _("nothing to redo"))
            return
        said = _("undone: {step}") if step.direction == "undo" else _("redone: {step}")
        self.note(said.format(step=MESSAGES.text(step.description)))
        self.workspace.reload_codebook()
        self.workspace.reload_marks()

    def on_history_held(self, message: HistoryHeld) -> None:
        message.stop()
        self.note(_("not undone: another window changed this since; see the workspace"), "bold red")

    # -- leaving ----------------------------------------------------------------------------------------

    def action_help(self) -> None:
        from mda_coder.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))

    def action_back(self) -> None:
        self.dismiss(None)
