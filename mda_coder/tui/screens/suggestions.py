"""The review queue of suggested codings: one proposal at a time, in its context, with its score and words.

Training runs in a worker (never on the UI thread); every decision goes through the workspace's
writer, so it is one journalled, undoable transaction in the order the keys were pressed. A
proposal is never a coding until ``a`` accepts it.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from mda_coder.core.errors import MdaError
from mda_coder.i18n import MESSAGES, N_, TUI, said
from mda_coder.services import history
from mda_coder.services import suggest as suggesting
from mda_coder.store.engine import Database
from mda_coder.tui.literal import literal
from mda_coder.tui.messages import ActionFailed
from mda_coder.tui.screens.help import HelpScreen
from mda_coder.tui.widgets.agreement_panels import Place
from mda_coder.tui.widgets.lines import KeyHints
from mda_coder.tui.writer import Writer

_ = TUI.gettext


def hints() -> list[tuple[str, str]]:
    return [
        ("a", _("accept")),
        ("r", _("reject")),
        ("s", _("skip")),
        ("u", _("undo")),
        ("t", _("teach me order")),
        ("enter", _("show in the workspace")),
        ("esc", _("back")),
    ]


@dataclass
class QueueLoaded(Message, bubble=False):
    """The queue was (re)read; ``note`` says what happened (trained, decided, undone)."""

    proposals: list[suggesting.Proposal]
    passage: suggesting.Passage | None
    note: str = ""


class SuggestionsScreen(Screen[Place | None]):
    """Decide on ``coder``'s proposals of ``code``; closes on a place for the workspace to show, or None."""

    BINDINGS = [
        Binding("a", "decide('accepted')", N_("Accept: the proposal becomes your coding")),
        Binding("r", "decide('rejected')", N_("Reject: never proposed again, learned from as uncoded")),
        Binding("s", "decide('skipped')", N_("Skip: to the back of the queue")),
        Binding("u", "undo", N_("Undo the last decision")),
        Binding("t", "teach", N_("Teach me: the most uncertain first, or the highest score first")),
        Binding("enter", "show", N_("Show the proposal in the workspace")),
        Binding("question_mark", "help", N_("Help")),
        Binding("escape", "back", N_("Back to the workspace")),
    ]
    HELP_GROUPS = (("suggestions", BINDINGS),)

    def __init__(self, db: Database, coder: str, writer: Writer, code: str, unit: str) -> None:
        super().__init__()
        self.db = db
        self.coder = coder
        self.writer = writer
        self.code = code
        self.unit = unit
        self.teach = False
        self.proposals: list[suggesting.Proposal] = []
        self.passage: suggesting.Passage | None = None
        self.busy = True

    def compose(self) -> ComposeResult:
        yield Static(_("Learning from your codings of {code} …").format(code=self.code), id="suggest-head")
        with VerticalScroll(id="suggest-body"):
            yield Static("", id="suggest-passage")
        yield Static("", id="suggest-why")
        yield Static("", id="suggest-status")
        yield KeyHints(hints(), id="suggest-keys")

    def on_mount(self) -> None:
        self.train()

    # -- reading --------------------------------------------------------------------------------

    def _order(self) -> str:
        return "teach" if self.teach else "score"

    def _read(self, note: str) -> QueueLoaded:
        found = suggesting.proposals(self.db, coder=self.coder, code=self.code, order=self._order())
        passage = suggesting.context(self.db, found[0].id) if found else None
        return QueueLoaded(found, passage, note)

    @work(thread=True, exclusive=True, group="suggest", exit_on_error=False)
    def train(self) -> None:
        """Train and propose (seconds on a big project): off the UI thread."""
        try:
            done = suggesting.suggest(self.db, coder=self.coder, code=self.code, unit=self.unit)
            m = done.model
            note = _(
                "{n} proposals from a model trained on {codings} codings by {coder} ({positives} coded, {negatives} not)"
            ).format(
                n=len(done.proposals),
                codings=m.codings,
                coder=m.trained_on,
                positives=m.positives,
                negatives=m.negatives,
            )
            self.post_message(self._read(note))
        except MdaError as exc:
            self.post_message(ActionFailed(said(exc)))

    def on_queue_loaded(self, message: QueueLoaded) -> None:
        self.busy = False
        self.proposals, self.passage = message.proposals, message.passage
        self.show()
        if message.note:
            self.note(message.note)

    def on_action_failed(self, message: ActionFailed) -> None:
        self.busy = False
        self.note(message.message, "red")

    @property
    def current(self) -> suggesting.Proposal | None:
        return self.proposals[0] if self.proposals else None

    def show(self) -> None:
        head = self.query_one("#suggest-head", Static)
        passage = self.query_one("#suggest-passage", Static)
        why = self.query_one("#suggest-why", Static)
        p = self.current
        order = _("teach me: the most uncertain first") if self.teach else _("highest score first")
        if p is None:
            head.update(
                literal(
                    _("No open proposals of {code} for {coder} ({order})").format(
                        code=self.code, coder=self.coder, order=order
                    )
                )
            )
            passage.update("")
            why.update("")
            return
        where = _("{document} turn {turn}").format(document=p.document, turn=p.turn)
        head.update(
            literal(
                _("{code} · {where} · {speaker} · score {score:.2f} · {n} open · {order}").format(
                    code=p.code, where=where, speaker=p.speaker or "", score=p.score, n=len(self.proposals), order=order
                )
            )
        )
        shown = Text()
        if self.passage is not None:
            shown.append(self.passage.before, style="dim")
            shown.append(self.passage.text, style="reverse")
            shown.append(self.passage.after, style="dim")
        passage.update(shown)
        why.update(
            literal(_("Why: {reason}").format(reason=MESSAGES.text(p.reason)) + "\n" + MESSAGES.text(p.provenance))
        )

    def note(self, text: str, style: str = "") -> None:
        self.query_one("#suggest-status", Static).update(literal(text, style))

    # -- deciding -------------------------------------------------------------------------------

    def action_decide(self, status: str) -> None:
        p = self.current
        if p is None or self.busy:
            return
        self.busy = True
        said_now = {
            "accepted": _("accepted: {code} on {document} turn {turn}"),
            "rejected": _("rejected: {code} on {document} turn {turn}"),
            "skipped": _("skipped: {code} on {document} turn {turn}"),
        }[status].format(code=p.code, document=p.document, turn=p.turn)

        def job() -> Message:
            suggesting.decide(self.db, [p.id], status, coder=self.coder)
            return self._read(said_now)

        self.writer.submit(job, target=self)

    def action_undo(self) -> None:
        if self.busy:
            return
        self.busy = True

        def job() -> Message:
            step = history.undo(self.db, self.coder)
            if step is None:
                return self._read(_("nothing to undo"))
            return self._read(_("Undone: {step}").format(step=MESSAGES.text(step.description)))

        self.writer.submit(job, target=self)

    def action_teach(self) -> None:
        self.teach = not self.teach
        self.busy = True
        self.writer.submit(lambda: self._read(""), target=self, journalled=False)

    def action_show(self) -> None:
        p = self.current
        if p is None:
            return
        self.dismiss(Place(Text(p.document), p.document, p.turn, p.span if p.unit == "sentence" else None))

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self))

    def action_back(self) -> None:
        self.dismiss(None)
