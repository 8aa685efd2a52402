"""Browsing actions of the workspace: uncoded turns, coders shown, filters, find, excerpts, help."""

from __future__ import annotations

from collections.abc import Callable

from rich.text import Text
from textual import work

from mda_coder.core.display import one_line
from mda_coder.core.errors import MdaError
from mda_coder.core.reading import Mark, TurnItem
from mda_coder.core.search import Excerpt, Hit
from mda_coder.i18n import MESSAGES, N_, TUI, said
from mda_coder.services import search, workspace
from mda_coder.tui.dialogs.ask import Ask
from mda_coder.tui.dialogs.choose import Choose
from mda_coder.tui.dialogs.code_picker import CodePicker
from mda_coder.tui.messages import ActionFailed, OthersRead
from mda_coder.tui.screens.base import WorkspaceState

_ = TUI.gettext
ngettext = TUI.ngettext

MATCHES = {"exact": N_("exact"), "lemma": N_("lemma"), "fuzzy": N_("fuzzy")}
"""How a search hit matched, as the list of hits says it."""


class BrowseActions(WorkspaceState):
    def action_uncoded(self, direction: int) -> None:
        view = self.transcript
        i = view.cursor + direction
        while 0 <= i < len(view.turns):
            if not any(m.coder == self.coder for m in view.marks_of(i)):
                view.go_to(i)
                return
            i += direction
        self.say(_("no uncoded turn below") if direction > 0 else _("no uncoded turn above"))

    def action_toggle_blind(self) -> None:
        self.blind = not self.blind
        if self.blind:
            self.shown_coders = [self.coder]
            self.reload_marks()
        else:
            self._read_others(self.coder)

    @work(thread=True, exclusive=True, group="coders", exit_on_error=False)
    def _read_others(self, coder: str) -> None:
        """Who else codes in the project, read off the UI thread: blind mode off shows them all."""
        self.post_message(OthersRead([c for c in workspace.coder_names(self.db) if c != coder]))

    def on_others_read(self, message: OthersRead) -> None:
        if not self.blind:  # else b was pressed again meanwhile: blind it stays
            self.shown_coders = [self.coder, *message.others]
            self.reload_marks()

    def action_choose_coders(self) -> None:
        coder = self.coder
        self.read_then_ask(lambda: [c for c in workspace.coder_names(self.db) if c != coder], self._choose_coders)

    def _choose_coders(self, others: list[str]) -> None:
        if not others:
            self.update_status(_("no other coders in this project"))
            return

        def chosen(name: str | None) -> None:
            if name is None:
                return
            self.blind = name == "—"
            self.shown_coders = [self.coder] if self.blind else [self.coder, name]
            self.reload_marks()

        items: list[tuple[str, Text | str]] = [("—", _("only {coder} (blind)").format(coder=self.coder))]
        items += [(c, _("{coder} and {other} side by side").format(coder=self.coder, other=c)) for c in others]
        self.app.push_screen(Choose(_("Show whose codings?"), items), chosen)

    def action_filter(self) -> None:
        view = self.transcript
        if view.document is None:
            return
        speakers = list(dict.fromkeys(t.speaker for t in view.document.turns if t.speaker))
        roles = list(dict.fromkeys(t.role for t in view.document.turns if t.role))
        codes = sorted({m.code_path for i in range(len(view.turns)) for m in view.marks_of(i)})
        items: list[tuple[str, Text | str]] = [("all", _("all turns")), ("nomod", _("all but the moderator"))]
        items += [(f"speaker:{s}", _("speaker {speaker}").format(speaker=s)) for s in speakers]
        items += [(f"role:{r}", _("role {role}").format(role=r)) for r in roles if r not in speakers]
        items += [(f"code:{c}", _("turns coded {code}").format(code=c)) for c in codes]
        items += [("uncoded", _("turns you have not coded"))]

        def chosen(choice: str | None) -> None:
            if choice is None:
                return
            kind, _colon, value = choice.partition(":")
            me = self.coder
            keep: Callable[[TurnItem, list[Mark]], bool] | None = {
                "all": None,
                "nomod": lambda t, m: t.role != "moderator",
                "speaker": lambda t, m: t.speaker == value,
                "role": lambda t, m: t.role == value,
                "code": lambda t, m: any(x.code_path == value or x.code_path.startswith(value + "/") for x in m),
                "uncoded": lambda t, m: not any(x.coder == me for x in m),
            }[kind]
            shown = view.set_filter(keep)
            label = next(str(lbl) for key, lbl in items if key == choice)
            turns = ngettext("{n} turn", "{n} turns", shown).format(n=shown)
            self.filter_note = None if keep is None else f"{label} ({turns})"
            self.update_status()

        self.app.push_screen(Choose(_("Show which turns?"), items), chosen)

    # -- find -------------------------------------------------------------------------------

    def action_find(self) -> None:
        if self.document is None:
            return

        def asked(query: str | None) -> None:
            if query:
                self._find(self.document or "", query)

        self.app.push_screen(Ask(_("Find in this document (exact, then word forms, then fuzzy)")), asked)

    @work(thread=True, exclusive=True, group="find", exit_on_error=False)
    def _find(self, document: str, query: str) -> None:
        try:
            hits = search.find_in_document(self.db, document, query)
            note = search.word_forms_note(self.db)
            note = MESSAGES.text(note) if note else note
        except MdaError as exc:
            self.post_message(ActionFailed(said(exc)))
            return
        self.app.call_from_thread(self._show_hits, document, query, hits, note)

    def _show_hits(self, document: str, query: str, hits: list[Hit], note: str | None = None) -> None:
        if not hits:
            if note:
                said = _("'{query}' is not in {document}, not even as a near spelling · {note}")
            else:
                said = _("'{query}' is not in {document}, not even as another word form or a near spelling")
            self.say(said.format(query=query, document=document, note=note), "warning")
            return
        if note:
            self.update_status(note)
        items: list[tuple[str, Text | str]] = []
        for n, hit in enumerate(hits[:200]):
            label = Text(_("turn {turn}").format(turn=f"{hit.turn or '–':>4}") + "  ", style="dim")
            label.append(one_line(hit.snippet, 90))
            if hit.match != "exact":
                label.append(f"  ({_(MATCHES.get(hit.match, hit.match))})", style="dim italic")
            items.append((str(n), label))

        def chosen(choice: str | None) -> None:
            if choice is not None:
                hit = hits[int(choice)]
                self.show_turn(document, hit.turn, hit.span)

        title = ngettext("{n} place with '{query}'", "{n} places with '{query}'", len(hits)).format(
            n=len(hits), query=query
        )
        title += f" ({note})" if note else ""
        self.app.push_screen(Choose(title, items), chosen)

    # -- excerpts ----------------------------------------------------------------------------

    def action_excerpts(self, path: str | None = None) -> None:
        """Every excerpt of a code across documents (sub-codes included); pick one to jump to it."""
        if path is not None:
            self._excerpts(path)
            return

        def chosen(picked: str | None) -> None:
            if picked:
                self._excerpts(picked)

        self.ensure_codes()
        codes, coder = [c.code for c in self.codes], self.coder
        self.read_then_ask(
            lambda: workspace.recent_codes(self.db, coder),
            lambda recent: self.app.push_screen(CodePicker(codes, recent, _("Excerpts of which code?")), chosen),
        )

    @work(thread=True, exclusive=True, group="excerpts", exit_on_error=False)
    def _excerpts(self, path: str) -> None:
        coder = self.coder if self.blind else None
        try:
            excerpts = search.code_excerpts(self.db, path, coder=coder, include_children=True)
        except MdaError as exc:
            self.post_message(ActionFailed(said(exc)))
            return
        self.app.call_from_thread(self._show_excerpts, path, excerpts)

    def _show_excerpts(self, path: str, excerpts: list[Excerpt]) -> None:
        if not excerpts:
            self.update_status(_("no excerpts of {code} yet").format(code=path))
            return
        items: list[tuple[str, Text | str]] = []
        for n, ex in enumerate(excerpts):
            label = Text(f"{ex.document} t{ex.turn or '–'} {ex.speaker or ''} ", style="dim")
            label.append(f"[{ex.coder}] ", style="dim")
            label.append(one_line(ex.text, 80))
            items.append((str(n), label))

        def chosen(choice: str | None) -> None:
            if choice is not None:
                ex = excerpts[int(choice)]
                self.show_turn(ex.document, ex.turn, ex.span)
                self.transcript.focus()

        title = ngettext("{n} excerpt of {code}", "{n} excerpts of {code}", len(excerpts)).format(
            n=len(excerpts), code=path
        )
        self.app.push_screen(Choose(title, items), chosen)

    def on_action_failed(self, message: ActionFailed) -> None:
        self.say(message.message, "error")
        self.notify(message.message, severity="error", timeout=8, markup=False)

    async def action_focus(self, widget_id: str) -> None:
        self.reveal(widget_id)
        self.query_one(f"#{widget_id}").focus()

    def action_help(self) -> None:
        from mda_coder.tui.screens.help import HelpScreen

        self.app.push_screen(HelpScreen(self))

    def action_quit(self) -> None:
        self.close_window()
        self.app.exit()
