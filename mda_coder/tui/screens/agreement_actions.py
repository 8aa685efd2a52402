"""Open the agreement screen from the workspace: choose coders, unit, split, options and code, then see every coefficient."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from mda_coder.i18n import N_, TUI
from mda_coder.services import workspace
from mda_coder.tui.screens.base import WorkspaceState
from mda_coder.tui.screens.opened_over import codes_to_compare, jump_back, two_or_more

if TYPE_CHECKING:
    from mda_coder.services.agreement import Split
    from mda_coder.tui.dialogs.review_setup import ChoiceUnit, ReviewChoice

_ = TUI.gettext

SPLITS: tuple[tuple[Split | None, str], ...] = (
    (None, N_("none")),
    ("document", N_("per document")),
    ("role", N_("per role")),
)
"""The splits the setup offers (labels marked here, said in the setup)."""
HEADING = N_("Agreement between coders")


def open_agreement(screen: WorkspaceState) -> None:
    """Ask what to compare (default: every coder with codings but consensus, turns, no split), then show it.

    Every coder is offered, the consensus too, since comparing a coder with the consensus is how
    a settled review is checked. Enter on a unit closes the screen on that unit in the transcript.
    """
    # Imported here, as the review's are: the agreement services pull in numpy, which the
    # workspace's start-up does not need.
    from mda_coder.services import consensus
    from mda_coder.services.agreement import UNIT as CHARACTER
    from mda_coder.tui.dialogs.review_setup import ReviewSetup
    from mda_coder.tui.screens.agreement import AgreementScreen

    everyone = workspace.coder_names(screen.db)
    codes = codes_to_compare(screen, everyone, _("agreement needs two or more coders with codings"))
    if codes is None:
        return
    # Characters: no units given, each coder's spans divide the text (α_U and segment matching).
    units: tuple[tuple[ChoiceUnit, str], ...] = (
        ("turn", N_("turns")),
        ("sentence", N_("sentences")),
        (CHARACTER, N_("characters")),
    )

    def chosen_what(choice: ReviewChoice | None) -> None:
        if choice is not None and two_or_more(screen, choice):
            screen.app.push_screen(
                AgreementScreen(screen.db, choice), jump_back(screen, _("from the agreement"), _("I compares again"))
            )

    setup = ReviewSetup(
        everyone,
        consensus.default_coders(screen.db),
        codes,
        heading=HEADING,
        units=units,
        splits=SPLITS,
        options=True,
        segment_unit=CHARACTER,
    )
    screen.app.push_screen(setup, chosen_what)


class AgreementActions(WorkspaceState):
    BINDINGS = [Binding("I", "agreement", N_("Agreement between coders: every coefficient, per code"), show=False)]

    def action_agreement(self) -> None:
        open_agreement(self)
