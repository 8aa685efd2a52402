"""Open the reports screen from the workspace: choose a report and its filters, read the table, jump to an excerpt."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from mda_coder.i18n import N_, TUI
from mda_coder.services import codebook, queries, workspace
from mda_coder.tui.screens.base import WorkspaceState
from mda_coder.tui.screens.opened_over import jump_back

if TYPE_CHECKING:
    from mda_coder.store.engine import Database
    from mda_coder.tui.dialogs.report_setup import ReportChoice, ReportNames

_ = TUI.gettext


def report_names(db: Database) -> ReportNames:
    """The names the setup lists: a speaker linked to a person is offered once, by the person's name."""
    from mda_coder.tui.dialogs.report_setup import ReportNames

    documents = queries.documents(db)
    speakers = queries.speakers(db)
    return ReportNames(
        coders=tuple(workspace.coder_names(db)),
        documents=tuple(d.name for d in documents),
        groups=tuple(sorted({d.group for d in documents if d.group})),
        speakers=tuple(sorted({s.person or s.label for s in speakers})),
        roles=tuple(sorted({s.role for s in speakers if s.role})),
        codes=tuple(c.code.path for c in codebook.list_codes(db)),
        attributes=tuple(sorted({str(k) for s in speakers for k in s.attributes})),
    )


def open_reports(screen: WorkspaceState) -> None:
    """Ask which report (default: frequencies of every coder's codings in every document), then show it.

    Enter on an excerpt closes the screen on it in the transcript, with the sentence or passage
    selected; another document is opened first.
    """
    # Imported here, as the agreement's are: the reports pull in numpy, which the workspace's start-up does not need.
    from mda_coder.tui.dialogs.report_setup import ReportSetup
    from mda_coder.tui.screens.reports import ReportsScreen

    def chosen(choice: ReportChoice | None) -> None:
        if choice is not None:
            screen.app.push_screen(
                ReportsScreen(screen.db, choice), jump_back(screen, _("from the report"), _("P for another report"))
            )

    screen.app.push_screen(ReportSetup(report_names(screen.db)), chosen)


class ReportsActions(WorkspaceState):
    BINDINGS = [
        Binding(
            "P",
            "reports",
            N_("Reports: frequencies, co-occurrence, matrices, sequences; the excerpts behind a cell"),
            show=False,
        )
    ]

    def action_reports(self) -> None:
        open_reports(self)
