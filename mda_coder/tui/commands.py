"""The command palette's "go to turn": ``ctrl+p``, then ``:`` and a number, as in an editor."""

from __future__ import annotations

import re
from functools import partial

from textual.command import Hit, Hits, Provider

from mda_coder.i18n import TUI

_ = TUI.gettext

_TURN = re.compile(r"^\s*:\s*(\d+)\s*$|^\s*(\d+)\s*$")


class GoToTurnCommands(Provider):
    """Offers "Go to turn N" for ``:N`` (or a bare number) typed into the palette of the workspace."""

    async def search(self, query: str) -> Hits:
        match = _TURN.match(query)
        go = getattr(self.screen, "go_to_turn", None)
        if match is None or go is None:
            return
        number = int(match.group(1) or match.group(2))
        title = _("Go to turn {number}").format(number=number)
        yield Hit(1.0, title, partial(go, number), text=title, help=_("the turn number as the transcript shows it"))
