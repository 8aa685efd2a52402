"""Open the reports screen from the workspace: choose a report and its filters, read the table, jump to an excerpt."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from mda_coder.services import queries, workspace
from mda_coder.tui.screens.base import WorkspaceState

if TYPE_CHECKING:
    from mda_coder.tui.dialogs.report_setup import ReportChoice
    from mda_coder.tui.widgets.agreement_panels import Place

def open_reports(screen: WorkspaceState) -> None:
    """Ask which report (default: frequencies of every coder's codings in every document), then show it.

    Enter on an excerpt closes the screen on it in the transcript, with the sentence or passage
    selected; another document is opened first.
    """
    # Imported here, as the agreement's are: the reports pull in numpy, which the workspace's start-up does not need.
    from mda_coder.tui.dialogs.report_setup import ReportSetup
    from mda_coder.tui.screens.reports import ReportsScreen

    def jumped(place: Place | None) -> None:
        if place is None:
            return
        if place.turn is None:
            screen.open_document(place.document)
            screen.update_status(f"that text of {place.document} lies outside every turn")
            return
        screen.show_turn(place.document, place.turn, place.selection)  # another document: selected once loaded
        screen.update_status(f"from the report: {place.document} turn {place.turn}  ·  P for another report")

    def chosen(choice: ReportChoice | None) -> None:
        if choice is not None:
            screen.app.push_screen(ReportsScreen(screen.db, choice), jumped)

    documents = [d.name for d in queries.documents(screen.db)]
    screen.app.push_screen(ReportSetup(workspace.coder_names(screen.db), documents), chosen)


class ReportsActions(WorkspaceState):
    BINDINGS = [Binding("P", "reports", "Reports: frequencies, co-occurrence, matrices, sequences; the excerpts behind a cell",
                        show=False)]

    def action_reports(self) -> None:
        open_reports(self)
