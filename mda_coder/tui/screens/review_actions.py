"""Open the consensus review from the workspace: choose coders, units and code, then review over the workspace."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from mda_coder.core.codebook import PATH_SEPARATOR
from mda_coder.i18n import N_, TUI
from mda_coder.services import workspace
from mda_coder.tui.screens.base import WorkspaceState
from mda_coder.tui.screens.opened_over import codes_to_compare, two_or_more

if TYPE_CHECKING:
    from mda_coder.tui.dialogs.review_setup import ReviewChoice

_ = TUI.gettext


def open_review(screen: WorkspaceState) -> None:
    """Ask what to review (default: every coder with codings but consensus, turns, every code), then show it.

    The review writes through the workspace's writer, so its writes and the workspace's stay in
    one sequence; when it closes, the workspace redraws (consensus codings may be shown there).
    """
    # Imported here: the agreement figures pull in numpy, which the workspace's start-up does not need.
    from mda_coder.services import consensus
    from mda_coder.services.consensus import CONSENSUS
    from mda_coder.tui.dialogs.review_setup import ReviewSetup
    from mda_coder.tui.screens.review import ReviewScreen

    everyone = [c for c in workspace.coder_names(screen.db) if c != CONSENSUS]
    chosen = consensus.default_coders(screen.db)
    codes = codes_to_compare(screen, everyone, _("reviewing needs two or more coders with codings"))
    if codes is None:
        return
    own = {code.path: code.color for code in codes}
    # A sub-code without a colour of its own is drawn in its nearest ancestor's.
    colors = {path: next((own.get(p) for p in _ancestry(path) if own.get(p)), None) for path in own}

    def closed(_: object = None) -> None:
        screen.reload_marks()
        screen.reload_codebook()

    def chosen_what(choice: ReviewChoice | None) -> None:
        if choice is None or not two_or_more(screen, choice):
            return
        assert choice.unit != "character"  # the review's setup offers turns and sentences
        review = ReviewScreen(screen.db, screen.coder, screen.writer, choice.coders, choice.unit, choice.code, colors)
        screen.app.push_screen(review, closed)

    screen.app.push_screen(ReviewSetup(everyone, chosen, codes), chosen_what)


def _ancestry(path: str) -> list[str]:
    """``a/b/c``, ``a/b``, ``a``: a code's path and its ancestors' paths, nearest first."""
    parts = path.split(PATH_SEPARATOR)
    return [PATH_SEPARATOR.join(parts[:n]) for n in range(len(parts), 0, -1)]


class ReviewActions(WorkspaceState):
    BINDINGS = [Binding("R", "review", N_("Review disagreements into consensus"), show=False)]

    def action_review(self) -> None:
        open_review(self)
