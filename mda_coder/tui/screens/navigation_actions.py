"""Moving about the workspace: go to turn N, and which side panels are shown (``z``, or a key that needs one)."""

from __future__ import annotations

from textual import events

from mda_coder.i18n import TUI
from mda_coder.tui.dialogs.ask import Ask
from mda_coder.tui.screens.base import WorkspaceState
from mda_coder.tui.screens.panel_layout import LABELS, apply_panels, default_panels, next_panels

_ = TUI.gettext


class NavigationActions(WorkspaceState):
    """``:`` and ``z`` (bound by the screen, with its other keys)."""

    panels_before_documents: str | None
    """The panels to go back to once a document is chosen, when ``d`` showed the hidden documents panel."""

    # -- go to turn N -----------------------------------------------------------------------

    def action_go_to_turn(self) -> None:
        document = self.transcript.document
        if document is None or not document.turns:
            return
        first, last = document.turns[0].index, document.turns[-1].index

        def asked(answer: str | None) -> None:
            if answer is None:
                return
            number = answer.lstrip(":").strip()
            if not number.isdigit():
                self.say(
                    _("'{answer}' is not a turn number: type one from {first} to {last}").format(
                        answer=answer, first=first, last=last
                    ),
                    "error",
                )
                return
            self.go_to_turn(int(number))

        title = _("Go to turn ({first}–{last}) of {document}").format(first=first, last=last, document=document.name)
        self.app.push_screen(Ask(title, placeholder=_("turn number")), asked)

    def go_to_turn(self, number: int) -> None:
        """Make turn ``number`` current and show it at the top (lifting a filter that hides it, and saying so)."""
        document = self.transcript.document
        if document is None:
            return
        if all(turn.index != number for turn in document.turns):
            first, last = document.turns[0].index, document.turns[-1].index
            self.say(
                _("{document} has turns {first}–{last}: there is no turn {number}").format(
                    document=document.name, first=first, last=last, number=number
                ),
                "error",
            )
            return
        self.show_turn(document.name, number, top=True)
        self.transcript.focus()

    # -- the side panels --------------------------------------------------------------------

    def lay_out_panels(self) -> None:
        apply_panels(self, self.size.width or self.app.size.width, self.panels)

    def on_resize(self, event: events.Resize) -> None:
        if not self.panels_chosen and self.panels_before_documents is None:
            self.panels = default_panels(event.size.width)
        self.lay_out_panels()

    def action_cycle_panels(self) -> None:
        self.panels = next_panels(self.panels)
        self.panels_chosen = True
        self.panels_before_documents = None
        self.lay_out_panels()
        self.say(_("panels: {panels}").format(panels=_(LABELS[self.panels])))

    def reveal(self, widget_id: str) -> None:
        """Show the panel holding ``widget_id`` if it is hidden: ``d`` and ``K`` must reach their panel."""
        if widget_id == "documents" and self.panels != "all":
            self.panels_before_documents = self.panels
            self.panels = "all"
        elif widget_id == "codebook" and self.panels == "none":
            self.panels = "side"
            self.panels_chosen = True
        else:
            return
        self.lay_out_panels()

    def documents_done(self) -> None:
        """A document was chosen: the documents panel goes again if ``d`` only showed it for that."""
        if self.panels_before_documents is not None:
            self.panels, self.panels_before_documents = self.panels_before_documents, None
            self.lay_out_panels()
