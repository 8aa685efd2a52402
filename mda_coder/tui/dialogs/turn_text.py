"""Correct a turn's text, or choose where to split it: the turn in a text area, saved or confirmed with ctrl+s."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, OptionList, Static, TextArea
from textual.widgets.option_list import Option

from mda_coder.core.display import one_line
from mda_coder.i18n import N_, TUI
from mda_coder.tui.literal import literal, titled

_ = TUI.gettext


class TurnTextEditor(ModalScreen[str | None]):
    """Returns the turn's corrected text (as typed, the service refuses an empty one), or None when cancelled."""

    BINDINGS = [Binding("ctrl+s", "save", N_("Save the turn's text")), Binding("escape", "cancel", N_("Cancel"))]

    def __init__(self, title: str, text: str, note: str = "") -> None:
        super().__init__()
        self.title_text = title
        self.initial = text
        self.note = note
        """What the coder should know before saving (a correction moves every coder's codings)."""

    def compose(self) -> ComposeResult:
        with Vertical(id="turn-edit"):
            yield Static(titled(self.title_text, _("ctrl+s save · esc cancel")), id="turn-edit-title")
            yield TextArea(self.initial, id="turn-edit-text", soft_wrap=True)
            if self.note:
                yield Static(literal(self.note, "dim"), id="turn-edit-note")
            with Horizontal(id="turn-edit-buttons"):
                yield Button(_("Save"), variant="primary", id="turn-edit-save")
                yield Button(_("Cancel"), id="turn-edit-cancel")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        self.shown = area.text
        """The text as the text area holds it, before any key: its line breaks all of one kind."""
        area.focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "turn-edit-save":
            self.action_save()
        else:
            self.action_cancel()

    def action_save(self) -> None:
        text = self.query_one(TextArea).text
        # Untouched, it is the turn's own text: not one whose line breaks the text area made all alike.
        self.dismiss(self.initial if text == self.shown else text)

    def action_cancel(self) -> None:
        self.dismiss(None)


def speaker_option(label: str, role: str | None) -> Option:
    """A speaker in a list: the label (the option's id), and the role dimmed after it."""
    text = literal(label)
    if role:
        text.append(f"  {role}", style="dim")
    return Option(text, id=label)


@dataclass(frozen=True, slots=True)
class SplitChoice:
    """Where to split a turn and who speaks the second part."""

    at: int
    """A code-point offset into the turn's own text: the second part begins there."""
    speaker: str | None
    """Another speaker's label for the second part; None: the same speaker as the first."""


SAME = "\x00same"
"""The speaker list's first item: the second part keeps the turn's speaker."""


class TurnSplitter(ModalScreen[SplitChoice | None]):
    """The turn's text, read-only: the coder puts the cursor where the second part begins and confirms.

    Below the text, what the two turns will begin and end with, and who speaks the second part (the
    same speaker unless another of the document's speakers is chosen).
    """

    BINDINGS = [
        Binding("ctrl+s", "split", N_("Split the turn here")),
        Binding("escape", "cancel", N_("Cancel")),
    ]

    def __init__(
        self, title: str, text: str, at: int, speaker: str | None, speakers: Sequence[tuple[str, str | None]]
    ) -> None:
        super().__init__()
        self.title_text = title
        self.text = text
        self.at = at
        self.speaker = speaker
        self.speakers = [(label, role) for label, role in speakers if label != speaker]
        """The document's other speakers and their roles."""

    def compose(self) -> ComposeResult:
        with Vertical(id="turn-split"):
            yield Static(
                titled(self.title_text, _("the cursor where the next turn begins · ctrl+s split · esc cancel")),
                id="turn-split-title",
            )
            yield TextArea(self.text, id="turn-split-text", read_only=True, soft_wrap=True)
            yield Static("", id="turn-split-preview")
            if self.speakers:
                yield Static(_("Who speaks the second part (tab to choose):"), id="turn-split-who")
                same = _("the same speaker ({speaker})").format(speaker=self.speaker or "–")
                options = [Option(literal(same), id=SAME), *[speaker_option(s, r) for s, r in self.speakers]]
                yield OptionList(*options, id="turn-split-speakers")
            with Horizontal(id="turn-split-buttons"):
                yield Button(_("Split here"), variant="primary", id="turn-split-do")
                yield Button(_("Cancel"), id="turn-split-cancel")

    def on_mount(self) -> None:
        area = self.query_one(TextArea)
        area.cursor_location = location_of(self.text, self.at)
        area.focus()
        if self.speakers:
            self.query_one(OptionList).highlighted = 0
        self._preview()

    @property
    def split_at(self) -> int:
        """Where the cursor is, as a code-point offset into the turn's text."""
        return index_of(self.text, self.query_one(TextArea).cursor_location)

    def on_text_area_selection_changed(self, _event: TextArea.SelectionChanged) -> None:
        self._preview()

    def _preview(self) -> None:
        at = self.split_at
        preview = self.query_one("#turn-split-preview", Static)
        if not 0 < at < len(self.text):
            preview.update(literal(_("put the cursor inside the text: the new turn begins at the cursor"), "dim"))
            return
        first, second = self.text[:at], self.text[at:]
        preview.update(
            literal(
                _("this turn ends: “{end}”   the next begins: “{begin}”").format(
                    end=_tail(first, 40), begin=one_line(second, 40)
                )
            )
        )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "turn-split-do":
            self.action_split()
        else:
            self.action_cancel()

    def action_split(self) -> None:
        at = self.split_at
        if not 0 < at < len(self.text):
            self.notify(
                _("put the cursor inside the text: the new turn begins at the cursor"), severity="warning", markup=False
            )
            return
        speaker = None
        if self.speakers:
            highlighted = self.query_one(OptionList).highlighted_option
            if highlighted is not None and highlighted.id != SAME:
                speaker = highlighted.id
        self.dismiss(SplitChoice(at, speaker))

    def action_cancel(self) -> None:
        self.dismiss(None)


def _tail(text: str, limit: int) -> str:
    """The end of ``text`` on one line, cut at its start to ``limit`` characters with ``…``."""
    text = " ".join(text.split())
    return text if len(text) <= limit else "…" + text[-(limit - 1) :].lstrip()


def location_of(text: str, index: int) -> tuple[int, int]:
    """The (row, column) of a text area holding ``text`` at code point ``index`` (its lines are ``splitlines``')."""
    index = min(max(index, 0), len(text))
    row = 0
    for line in text.splitlines(keepends=True):
        bare = len(line.rstrip("\r\n\v\f\x1c\x1d\x1e\x85\u2028\u2029"))
        if index <= bare or index < len(line):
            return row, min(index, bare)
        index -= len(line)
        row += 1
    return row, index


def index_of(text: str, location: tuple[int, int]) -> int:
    """The code point of ``text`` at a text area's (row, column): the inverse of ``location_of``.

    Counted on ``text`` itself, whatever its line breaks (``\r\n`` is two code points, ``\u2028`` one),
    not on the text area's copy, whose line breaks are all of one kind.
    """
    row, column = location
    lines = text.splitlines(keepends=True)
    return sum(len(line) for line in lines[:row]) + column
