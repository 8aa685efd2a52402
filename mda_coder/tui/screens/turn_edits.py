"""Correcting turns from the workspace: a turn's text, a split, a merge with the next turn, another speaker.

Each is one call of the corrections service in its own transaction, journalled and undoable with
``u``: every coder's codings, the consensus, the memos and the search index follow the words. The
writer then reads the document again (its turns and their numbers may have changed) and the screen
shows it at once, with the cursor on the turn concerned, and says how the codings moved; codings
the service flagged for review are listed in a dialog (in blind mode only the coder's own).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from textual.binding import Binding

from mda_coder.core.display import one_line
from mda_coder.core.reading import TurnItem
from mda_coder.core.spans import Span
from mda_coder.i18n import N_, TUI
from mda_coder.services import corrections, workspace
from mda_coder.tui.dialogs.confirm import Confirm
from mda_coder.tui.dialogs.correction_report import CorrectionSummary, flagged_count, shown_moves, summary
from mda_coder.tui.dialogs.speaker_picker import SpeakerPicker
from mda_coder.tui.dialogs.turn_text import SplitChoice, TurnSplitter, TurnTextEditor
from mda_coder.tui.messages import DocumentChanged, DocumentLoaded, TextCorrected
from mda_coder.tui.screens.base import WorkspaceState

if TYPE_CHECKING:
    from mda_coder.services.corrections import CorrectionReport

_ = TUI.gettext
_NUMBER = re.compile(r"(\d+)")

TEXT_ACTIONS = ("document.correct", "document.replace", "turn.")
"""Journal actions (or their prefixes) that change a document's text or turns: undoing or redoing one
shows the document anew, not only its codings."""


def natural_key(label: str) -> tuple[tuple[int, int | str], ...]:
    """Sorts labels as a reader counts: ``R2`` before ``R10``."""
    return tuple((0, int(part)) if part.isdigit() else (1, part.casefold()) for part in _NUMBER.split(label) if part)


def changes_text(action: str) -> bool:
    """Whether undoing or redoing journal action ``action`` changes a document's text, turns or speakers."""
    return action.startswith(TEXT_ACTIONS)


class TurnEdits(WorkspaceState):
    BINDINGS = [
        Binding(
            "T", "edit_turn", N_("Correct the turn's text (every coder's codings stay on their words)"), show=False
        ),
        Binding("B", "split_turn", N_("Split the turn in two where you put the cursor"), show=False),
        Binding("J", "merge_turns", N_("Merge the turn with the next one"), show=False),
        Binding("W", "turn_speaker", N_("Give the turn to another speaker"), show=False),
    ]

    document_heads: dict[str, int]
    """The journal entry as of which each document was last read for the screen (``note_document_read``)."""

    # Implemented by the screen.
    read_document: Callable[[str, list[str], int, Span | None], DocumentLoaded]
    on_document_loaded: Callable[[DocumentLoaded], None]

    def _turn_here(self) -> tuple[str, TurnItem] | None:
        """The document and the turn the cursor is on, when a turn can be corrected now."""
        view = self.transcript
        if self.document is None or view.current is None or view.document is None:
            return None
        if self.editing is not None:
            self.say(_("finish the span edit first (enter saves, esc cancels)"), "warning")
            return None
        return self.document, view.current

    def _speakers(self) -> list[tuple[str, str | None]]:
        """The document's speakers and their roles, by label (``R2`` before ``R10``)."""
        view = self.transcript
        turns = view.document.turns if view.document is not None else ()
        roles = {t.speaker: t.role for t in turns if t.speaker is not None}
        return sorted(roles.items(), key=lambda item: natural_key(item[0]))

    def _correct(self, what: str, turn: int, change: Callable[[], CorrectionReport]) -> None:
        """Run one correction on the writer, then read the document again with the cursor on turn ``turn``."""
        document, coders = self.document or "", list(self.shown_coders)

        def job() -> TextCorrected:
            report = change()
            return TextCorrected(self.read_document(document, coders, turn - 1, None), report, what)

        self.writer.submit(job)

    def on_text_corrected(self, message: TextCorrected) -> None:
        self.last_saved = datetime.now()
        if message.loaded.view.name == self.document:
            self._lift_filter_for(message.loaded.view.name)
            self.on_document_loaded(message.loaded)
        self.reload_codebook()
        report = message.report
        flagged = flagged_count(report)
        self.say(summary(message.what, report), "warning" if flagged else "info")
        if flagged:
            moves, hidden = shown_moves(report, self.coder, blind=self.blind)
            self.app.push_screen(CorrectionSummary(message.what, report, moves, hidden))

    def _lift_filter_for(self, document: str) -> None:
        """A document shown anew shows all its turns: a filter on it is lifted, and the coder told so."""
        if self.filter_note and document == self.document:
            self.say(
                _("filter lifted: {filter}; the document is shown anew with all its turns").format(
                    filter=self.filter_note
                ),
                "warning",
            )

    def note_document_read(self, name: str, head: int | None) -> None:
        """Document ``name`` was read as of journal entry ``head`` (on any thread: the writer's, a loader's, the UI's)."""
        if head is not None and head > self.document_heads.get(name, -1):
            self.document_heads[name] = head

    def check_document(self) -> None:
        """Read the document shown again if another window or coder corrected it since it was last read.

        Called when others' changes come in, before their codings are read: marks moved to the
        corrected text must not be drawn on the old one, nor a code applied to a turn by an old number.
        Since when is read on the writer thread, after the writes queued before: a correction made
        here has read the document again by then, and is not taken for one made elsewhere.
        """
        view = self.transcript
        if self.document is None or view.current is None:
            return
        document, coders, turn = self.document, list(self.shown_coders), view.current.index

        def job() -> DocumentChanged | None:
            after = self.document_heads.get(document)
            if after is None or not workspace.document_changed_since(self.db, document, after):
                return None
            return DocumentChanged(self.read_document(document, coders, turn - 1, None))

        self.writer.submit(job, journalled=False)  # a re-read: its head is noted with the document

    def on_document_changed(self, message: DocumentChanged) -> None:
        name = message.loaded.view.name
        if name != self.document:
            return
        self._lift_filter_for(name)
        self.on_document_loaded(message.loaded)
        self.say(
            _("{document} was corrected elsewhere (another window or coder): it is shown as it is now").format(
                document=name
            ),
            "warning",
        )

    def show_corrected(self, document: str, turn: int | None) -> None:
        """After undo or redo of a correction: read ``document`` again and show it at turn ``turn`` (None: where the cursor is)."""
        self._lift_filter_for(document)
        current = self.transcript.current
        if turn is None:
            turn = current.index if current is not None and document == self.document else 1
        self.open_document(document, max(turn - 1, 0))

    # -- the four corrections ------------------------------------------------------------

    def action_edit_turn(self) -> None:
        here = self._turn_here()
        if here is None:
            return
        document, turn = here
        db, coder, number = self.db, self.coder, turn.index

        def ask(read: tuple[str, str | None]) -> None:
            text, speaker = read

            def saved(new: str | None) -> None:
                if new is None:
                    self.say(_("turn {turn} not changed").format(turn=number))
                elif new == text:
                    self.say(_("turn {turn} not changed: the text is as it was").format(turn=number))
                else:
                    self._correct(
                        _("turn {turn} corrected").format(turn=number),
                        number,
                        lambda: corrections.edit_turn(db, document, number, new, actor=coder),
                    )

            title = _("Turn {turn} of {document} ({speaker})").format(
                turn=number, document=document, speaker=speaker or "–"
            )
            note = _("Every coder's codings stay on their words; one whose words change much is flagged for review.")
            self.app.push_screen(TurnTextEditor(title, text, note), saved)

        self.read_then_ask(lambda: corrections.turn_text(db, document, number), ask)

    def action_split_turn(self) -> None:
        here = self._turn_here()
        if here is None:
            return
        document, turn = here
        db, coder, number = self.db, self.coder, turn.index
        at = self._split_point(turn)
        speakers = self._speakers()

        def ask(read: tuple[str, str | None]) -> None:
            text, speaker = read

            def chosen(choice: SplitChoice | None) -> None:
                if choice is None:
                    self.say(_("turn {turn} not split").format(turn=number))
                    return
                self._correct(
                    _("turn {turn} split: the second part is turn {next}").format(turn=number, next=number + 1),
                    number,
                    lambda: corrections.split_turn(
                        db, document, number, choice.at, actor=coder, speaker=choice.speaker
                    ),
                )

            title = _("Split turn {turn} of {document}").format(turn=number, document=document)
            self.app.push_screen(TurnSplitter(title, text, at, speaker, speakers), chosen)

        self.read_then_ask(lambda: corrections.turn_text(db, document, number), ask)

    def _split_point(self, turn: TurnItem) -> int:
        """Where the split dialog puts the cursor: at a selection's start, else at the second sentence, else at the start."""
        selection = self.transcript.selection
        if selection is not None and turn.span.start < selection.start < turn.span.end:
            return selection.start - turn.span.start
        if len(turn.sentences) > 1:
            return turn.sentences[1].start - turn.span.start
        return 0

    def action_merge_turns(self) -> None:
        here = self._turn_here()
        if here is None:
            return
        document, turn = here
        db, coder, number = self.db, self.coder, turn.index
        view = self.transcript
        if view.document is not None and number >= len(view.document.turns):
            self.say(_("turn {turn} is the last turn: there is no next turn to merge it with").format(turn=number))
            return

        def ask(read: tuple[tuple[str, str | None], tuple[str, str | None]]) -> None:
            (_text, speaker), (next_text, next_speaker) = read

            def answered(yes: bool | None) -> None:
                if not yes:
                    self.say(_("turns {turn} and {next} not merged").format(turn=number, next=number + 1))
                    return
                self._correct(
                    _("turns {turn} and {next} merged into turn {turn}").format(turn=number, next=number + 1),
                    number,
                    lambda: corrections.merge_turns(db, document, number, actor=coder),
                )

            detail = _(
                "Turn {next} ({next_speaker}): “{text}” joins turn {turn}, with every coder's codings and the memos on it. "
                "The merged turn is {speaker}'s; the turns after it move up by one."
            ).format(
                next=number + 1,
                next_speaker=next_speaker or "–",
                text=one_line(next_text, 120),
                turn=number,
                speaker=speaker or "–",
            )
            self.app.push_screen(
                Confirm(
                    _("Merge turn {turn} with turn {next}?").format(turn=number, next=number + 1),
                    detail,
                    _("merge them"),
                    _("keep them apart"),
                ),
                answered,
            )

        self.read_then_ask(
            lambda: (corrections.turn_text(db, document, number), corrections.turn_text(db, document, number + 1)), ask
        )

    def action_turn_speaker(self) -> None:
        here = self._turn_here()
        if here is None:
            return
        document, turn = here
        db, coder, number = self.db, self.coder, turn.index
        speakers = self._speakers()

        def ask(read: tuple[str, str | None]) -> None:
            _text, speaker = read

            def chosen(label: str | None) -> None:
                if label is None or label == speaker:
                    self.say(_("turn {turn} is still {speaker}'s").format(turn=number, speaker=speaker or "–"))
                    return
                self._correct(
                    _("turn {turn} is now {speaker}'s").format(turn=number, speaker=label),
                    number,
                    lambda: corrections.set_speaker(db, document, number, label, actor=coder),
                )

            title = _("Who speaks turn {turn}? Now {speaker}").format(turn=number, speaker=speaker or "–")
            self.app.push_screen(SpeakerPicker(title, speaker, speakers), chosen)

        self.read_then_ask(lambda: corrections.turn_text(db, document, number), ask)
