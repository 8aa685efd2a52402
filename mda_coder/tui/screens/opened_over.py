"""What the workspace's keys that open a screen over it share: enough coders to compare, the codes, the jump back."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from mda_coder.i18n import TUI
from mda_coder.tui.screens.base import WorkspaceState

if TYPE_CHECKING:
    from mda_coder.core.coding import CodeInfo
    from mda_coder.tui.dialogs.review_setup import ReviewChoice
    from mda_coder.tui.widgets.agreement_panels import Place

_ = TUI.gettext


def codes_to_compare(screen: WorkspaceState, coders: list[str], too_few: str) -> list[CodeInfo] | None:
    """The codebook's codes to offer, or None (said on the status line) when there are not two coders to compare."""
    if len(coders) < 2:
        screen.say(too_few)
        return None
    if not screen.codes:
        screen.reload_codebook()
    return [listing.code for listing in screen.codes]


def two_or_more(screen: WorkspaceState, choice: ReviewChoice | None) -> bool:
    """Whether the setup's answer names coders to compare; a single one is said on the status line."""
    if choice is None:
        return False
    if len(choice.coders) < 2:
        screen.say(_("choose two or more coders to compare (space ticks a coder)"))
        return False
    return True


def jump_back(screen: WorkspaceState, origin: str, again: str) -> Callable[[Place | None], None]:
    """What to do when a screen over the workspace closes on a place: show it in the transcript, say where from.

    ``origin`` ("from the agreement") and ``again`` (how to go back) are said as given, already translated.
    """

    def jumped(place: Place | None) -> None:
        if place is None:
            return
        if place.turn is None:
            screen.open_document(place.document)
            screen.say(_("that text of {document} lies outside every turn").format(document=place.document))
            return
        lifted = screen.show_turn(place.document, place.turn, place.selection)  # another document: selected once loaded
        note = _("{origin}: {document} turn {turn}").format(origin=origin, document=place.document, turn=place.turn)
        note += f"  ·  {again}"
        screen.say(note + (f"  ·  {lifted}" if lifted else ""), "warning" if lifted else "info")

    return jumped
