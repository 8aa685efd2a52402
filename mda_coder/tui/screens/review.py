"""Consensus review: step through every unit where the coders differ and settle it into `consensus` with one key."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from functools import partial
from typing import TypedDict, Unpack

from rich.text import Text
from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Static

from mda_coder.core.codebook import PATH_SEPARATOR
from mda_coder.core.errors import MdaError
from mda_coder.core.spans import Span
from mda_coder.i18n import MESSAGES, N_, TUI, Phrase, said
from mda_coder.services import consensus, history
from mda_coder.services.agreement import Unit
from mda_coder.services.consensus import CONSENSUS, Figures, Review, ReviewItem, UnitRef, figures
from mda_coder.store.engine import Database
from mda_coder.tui.dialogs.ask import Ask
from mda_coder.tui.literal import literal
from mda_coder.tui.messages import ActionFailed, HistoryStepped
from mda_coder.tui.screens.help import HelpScreen, binding_rows, describe
from mda_coder.tui.widgets.lines import KeyHints
from mda_coder.tui.widgets.review_panels import (
    render_coder,
    render_consensus,
    render_figures,
    render_progress,
)
from mda_coder.tui.writer import Writer

_ = TUI.gettext


def hints() -> list[tuple[str, str]]:
    """The review's keys at the bottom, most needed first."""
    return [
        ("?", _("all keys")),
        ("esc", _("back")),
        ("a b c…", _("take coder")),
        ("+", _("both")),
        ("0", _("neither")),
        ("e", _("edit span")),
        ("n p", _("next/previous open")),
        ("j k", _("every unit")),
        ("A", _("adopt agreed")),
        ("u U", _("undo/redo")),
    ]


@dataclass
class ReviewLoaded(Message, bubble=False):
    """The review was (re)read: show it, on the unit ``focus`` when given."""

    review: Review
    focus: UnitRef | None = None
    note: str | None = None


@dataclass
class UnitSettled(Message, bubble=False):
    """A settle action committed (``item`` is the unit as it is now) or was refused (``item`` None, ``note`` says why)."""

    ref: UnitRef
    item: ReviewItem | None
    note: str


@dataclass
class FiguresUpdated(Message, bubble=False):
    """α for the current code, recomputed off the UI thread after the review changed."""

    figures: Figures


ORDINALS = (
    Phrase("first"),
    Phrase("second"),
    Phrase("third"),
    Phrase("fourth"),
    Phrase("fifth"),
    Phrase("sixth"),
    Phrase("seventh"),
    Phrase("eighth"),
    Phrase("ninth"),
)


def _take_bindings() -> list[Binding]:
    return [
        Binding(
            f"{'abcd'[i]},{i + 1}" if i < 4 else str(i + 1),
            f"take({i})",
            Phrase("Take the {ordinal} coder's codings", ordinal=ORDINALS[i]),
            show=False,
        )
        for i in range(9)
    ]


class _How(TypedDict, total=False):
    """How a unit is settled, beyond the decision: as ``consensus.settle`` takes it."""

    take: str | None
    span: tuple[int, int] | None
    code: str | None


class ReviewCommands(Provider):
    """The review's actions in the command palette (ctrl+p), as the workspace lists its own."""

    def _commands(self) -> Iterator[tuple[str, Callable[[], object]]]:
        for _, keys, binding in binding_rows(self.screen):
            yield f"{describe(binding)} ({keys})", partial(self.screen.run_action, binding.action)

    async def discover(self) -> Hits:
        for title, run in self._commands():
            yield DiscoveryHit(title, run)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, run in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), run, text=title)


class ReviewScreen(Screen[None]):
    """Each unit the coders disagree on, their codings side by side, the consensus and the figures.

    Writes go through the workspace's writer thread, in key order, each in its own transaction.
    Settling moves on to the next open unit at once, so that a quick second key settles the
    next unit rather than settling this one again.
    """

    BINDINGS = [
        *_take_bindings(),
        Binding("plus", "both", N_("Both: every coder's codings here, joined")),
        Binding("0", "neither", N_("Neither: no coding here")),
        Binding("e", "edit_span", N_("Edit the span of the consensus coding")),
        Binding("n", "step(1)", N_("Next unit to settle")),
        Binding("p", "step(-1)", N_("Previous unit to settle")),
        Binding("j,down", "move(1)", N_("Next unit, settled ones too")),
        Binding("k,up", "move(-1)", N_("Previous unit, settled ones too")),
        Binding("A", "adopt", N_("Adopt every unit all coders agree on into consensus")),
        Binding("u", "undo", N_("Undo the last consensus step")),
        Binding("U,ctrl+r", "redo", N_("Redo a consensus step")),
        Binding("question_mark", "help", N_("Help")),
        Binding("escape", "back", N_("Back to the workspace")),
    ]
    HELP_GROUPS = (("review", BINDINGS),)
    COMMANDS = {ReviewCommands}

    def __init__(
        self,
        db: Database,
        reviewer: str,
        writer: Writer,
        coders: tuple[str, ...],
        unit: Unit,
        code: str | None,
        colors: dict[str, str | None] | None = None,
    ) -> None:
        super().__init__()
        self.db = db
        self.reviewer = reviewer
        """Who settles (recorded with each decision); the codings go to the consensus coder."""
        self.writer = writer
        self.coders = coders
        self.unit = unit
        self.code = code
        self.code_colors = colors or {}
        self.review: Review | None = None
        self.index = 0
        self.pending: set[UnitRef] = set()
        """Units whose settle is queued but not yet committed: moving on skips them."""
        self.figures: Figures | None = None

    def compose(self) -> ComposeResult:
        yield Static(_("Reading the disagreements …"), id="review-progress")
        yield Static("", id="review-figures")
        with Horizontal(id="review-columns"):
            for i in range(len(self.coders)):
                with VerticalScroll(classes="review-column"):
                    yield Static("", id=f"review-coder-{i}")
            with VerticalScroll(classes="review-column", id="review-consensus-column"):
                yield Static("", id="review-consensus")
        yield Static("", id="review-status")
        yield KeyHints(hints(), id="review-keys")

    def on_mount(self) -> None:
        coders, unit, code = self.coders, self.unit, self.code
        self._submit(lambda: ReviewLoaded(consensus.review(self.db, coders, unit, code)))

    def _submit(self, job: Callable[[], Message | None]) -> None:
        self.writer.submit(job, target=self)

    @property
    def current(self) -> ReviewItem | None:
        if self.review is None or not self.review.items:
            return None
        return self.review.items[self.index]

    # -- showing ------------------------------------------------------------------------------

    def on_review_loaded(self, message: ReviewLoaded) -> None:
        self.review = review = message.review
        items = review.items
        focus = next((i for i, item in enumerate(items) if item.ref == message.focus), None)
        if focus is None:
            focus = next(
                (i for i, item in enumerate(items) if not item.settled), min(self.index, max(len(items) - 1, 0))
            )
        self.index = focus
        self.show()
        self._refresh_figures()
        if message.note:
            self.note(message.note)

    def show(self) -> None:
        review, item = self.review, self.current
        if review is None:
            return
        self.query_one("#review-progress", Static).update(render_progress(review, self.index))
        if item is None:
            return
        for i in range(len(self.coders)):
            self.query_one(f"#review-coder-{i}", Static).update(render_coder(item, i, self.code_colors))
        self.query_one("#review-consensus", Static).update(render_consensus(item, self.code_colors))
        if not _figures_of(self.figures, item):
            self._refresh_figures()

    def note(self, text: str | Text, style: str = "") -> None:
        """The status line: names of codes, documents and coders in it print as written."""
        shown = text if isinstance(text, Text) else literal(text, style)
        self.query_one("#review-status", Static).update(shown)

    def _refresh_figures(self) -> None:
        item = self.current
        if item is not None and self.review is not None:
            self._figures(self.review.coders, item.ref.code, item.ref.family)

    @work(thread=True, exclusive=True, group="figures", exit_on_error=False)
    def _figures(self, coders: tuple[str, ...], code: str, family: bool) -> None:
        try:
            self.post_message(FiguresUpdated(figures(self.db, coders, self.unit, code, include_subcodes=family)))
        except MdaError as exc:
            self.post_message(ActionFailed(said(exc)))

    def on_figures_updated(self, message: FiguresUpdated) -> None:
        self.figures = message.figures
        item = self.current
        if item is not None and _figures_of(message.figures, item):
            self.query_one("#review-figures", Static).update(render_figures(message.figures))

    def on_action_failed(self, message: ActionFailed) -> None:
        self.note(message.message, "red")
        self.notify(message.message, severity="error", timeout=6, markup=False)

    # -- moving ---------------------------------------------------------------------------------

    def _open(self, i: int) -> bool:
        assert self.review is not None
        item = self.review.items[i]
        return not item.settled and item.ref not in self.pending

    def action_step(self, direction: int) -> None:
        """To the next (or previous) unit still to settle."""
        if self.review is None:
            return
        i = self.index + direction
        while 0 <= i < len(self.review.items):
            if self._open(i):
                self.index = i
                self.show()
                return
            i += direction
        self.note(_("no unit to settle after this one") if direction > 0 else _("no unit to settle before this one"))

    def action_move(self, direction: int) -> None:
        if self.review is not None and 0 <= self.index + direction < len(self.review.items):
            self.index += direction
            self.show()

    def _advance(self) -> None:
        """After settling: the next open unit, from the start again if there is none further on."""
        assert self.review is not None
        count = len(self.review.items)
        for k in range(1, count):
            i = (self.index + k) % count
            if self._open(i):
                self.index = i
                self.show()
                return

    # -- settling -------------------------------------------------------------------------------

    def _settle(self, decision: str, **how: Unpack[_How]) -> None:
        item = self.current
        if item is None:
            return
        reviewer, ref = self.reviewer, item.ref

        def job() -> UnitSettled:
            try:
                new = consensus.settle(self.db, item, decision, reviewer=reviewer, **how)
            except MdaError as exc:
                return UnitSettled(ref, None, f"{ref.describe()}: {exc}")
            assert new.settlement is not None
            return UnitSettled(
                ref, new, _("settled {unit}: {decision}").format(unit=ref.describe(), decision=new.settlement.label)
            )

        self.pending.add(ref)
        self._submit(job)
        self._advance()

    def on_unit_settled(self, message: UnitSettled) -> None:
        self.pending.discard(message.ref)
        if message.item is None:
            self.on_action_failed(ActionFailed(message.note))
            return
        assert self.review is not None
        items = tuple(message.item if item.ref == message.ref else item for item in self.review.items)
        self.review = replace(self.review, items=items)
        self.show()
        self._refresh_figures()
        self.note(message.note + ("" if self.review.remaining else "  ·  " + _("every unit is settled")))

    def action_take(self, index: int) -> None:
        item = self.current
        if item is None:
            return
        if index >= len(item.coders):
            self.note(
                TUI.ngettext(
                    "there is {n} coder in this review", "there are {n} coders in this review", len(item.coders)
                ).format(n=len(item.coders))
            )
            return
        self._settle("take", take=item.coders[index].coder)

    def action_both(self) -> None:
        self._settle("both")

    def action_neither(self) -> None:
        self._settle("neither")

    def action_edit_span(self) -> None:
        item = self.current
        if item is None:
            return
        overlaps = [c.span.intersection(item.span) for coder in item.coders for c in coder.codings]
        spans = [s for s in overlaps if s is not None]
        start = min((s.start for s in spans), default=item.span.start)
        end = max((s.end for s in spans), default=item.span.end)
        # A family review asks which of its codes the span gets too: the first code any coder used here.
        used = [code for coder in item.coders for code in coder.codes]
        code = used[0] if item.ref.family and used else None
        example = f"{code} {start}-{end}" if code else f"{start}-{end}"

        def answered(text: str | None) -> None:
            if text is None:
                return
            parsed = _parse_coded_span(text) if item.ref.family else (None, _parse_span(text))
            if parsed is None or parsed[1] is None:
                self.note(
                    _("'{text}' is not a span: write {form}, e.g. {example}").format(
                        text=text, form=form, example=example
                    ),
                    "red",
                )
                return
            if self.current is not item:  # the same unit must still be shown
                return
            self._settle("span", span=parsed[1], code=parsed[0])

        form = _("code start-end") if item.ref.family else _("start-end")
        where = (_("turn {number}") if item.ref.unit == "turn" else _("sentence {number}")).format(
            number=item.ref.number
        )
        title = _("Consensus span in {unit} ({start}-{end}): {form}").format(
            unit=where, start=item.span.start, end=item.span.end, form=form
        )
        self.app.push_screen(Ask(title, example), answered)

    def action_adopt(self) -> None:
        review = self.review
        if review is None:
            return
        reviewer = self.reviewer

        def job() -> ReviewLoaded:
            n = consensus.adopt_agreed(self.db, review.coders, review.unit, review.code, reviewer=reviewer)
            focus = self.current.ref if self.current is not None else None
            said = TUI.ngettext(
                "adopted {n} agreed unit into {consensus}", "adopted {n} agreed units into {consensus}", n
            )
            return ReviewLoaded(consensus.reload(self.db, review), focus, said.format(n=n, consensus=CONSENSUS))

        self._submit(job)

    # -- undo and redo ----------------------------------------------------------------------------

    def action_undo(self) -> None:
        self._submit(lambda: HistoryStepped(history.undo(self.db, CONSENSUS), "undo"))

    def action_redo(self) -> None:
        self._submit(lambda: HistoryStepped(history.redo(self.db, CONSENSUS), "redo"))

    def on_history_stepped(self, message: HistoryStepped) -> None:
        message.stop()
        step, review = message.step, self.review
        if step is None:
            self.note(_("nothing to undo") if message.direction == "undo" else _("nothing to redo"))
            return
        said = (_("undone: {step}") if step.direction == "undo" else _("redone: {step}")).format(
            step=MESSAGES.text(step.description)
        )
        if review is None:
            return
        focus = next(
            (
                item.ref
                for item in review.items
                if _concerns(item.ref, step.code) and item.ref.document == step.document and item.span == step.span
            ),
            None,
        )
        self._submit(lambda: ReviewLoaded(consensus.reload(self.db, review), focus, said))

    # -- leaving ----------------------------------------------------------------------------------

    def action_help(self) -> None:
        self.app.push_screen(HelpScreen(self))

    def action_back(self) -> None:
        self.dismiss()


def _figures_of(shown: Figures | None, item: ReviewItem) -> bool:
    """Whether ``shown`` are the figures for the unit's code (with its sub-codes, for a family)."""
    return shown is not None and shown.code == item.ref.code and shown.include_subcodes == item.ref.family


def _concerns(ref: UnitRef, code: str | None) -> bool:
    """Whether an undone or redone step on ``code`` is about this unit's code (or, for a family, one of its codes)."""
    return code is not None and (code == ref.code or (ref.family and code.startswith(ref.code + PATH_SEPARATOR)))


def _parse_coded_span(text: str) -> tuple[str | None, tuple[int, int] | None] | None:
    """``tilltro/tvivel 120-250`` → the code (None when only a span is given) and the span."""
    found = re.fullmatch(r"\s*(.*?)\s*(\d+)\s*-\s*(\d+)\s*", text)
    if found is None:
        return None
    return found.group(1) or None, _parse_span(f"{found.group(2)}-{found.group(3)}")


def _parse_span(text: str) -> tuple[int, int] | None:
    start, sep, end = text.replace(" ", "").partition("-")
    if not sep or not start.isdigit() or not end.isdigit():
        return None
    try:
        Span(int(start), int(end))
    except ValueError:
        return None
    return int(start), int(end)
