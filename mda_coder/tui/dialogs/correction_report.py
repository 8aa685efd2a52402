"""What a correction of a turn did to the codings on it: counts on the message line, the flagged ones in a dialog."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from mda_coder.core.display import one_line
from mda_coder.i18n import MESSAGES, N_, TUI
from mda_coder.tui.literal import literal, titled

if TYPE_CHECKING:  # the services load after the first paint
    from mda_coder.services.corrections import CorrectionReport, MovedSpan

_ = TUI.gettext
ngettext = TUI.ngettext

STATUSES = ("kept", "edited", "doubtful", "gone")
"""The re-anchoring statuses (``core.reanchor``), in the order the counts are told."""
FLAGGED = ("doubtful", "gone")
"""The statuses that put a coding on the list ``mda-coder document flags`` shows, to be reviewed."""
QUOTE = 60
"""How much of a coding's text is quoted, old and new."""


def shown_moves(report: CorrectionReport, coder: str, *, blind: bool) -> tuple[list[MovedSpan], int]:
    """The moved codings the coder may see, and how many others' were left out (blind mode shows only their own)."""
    if not blind:
        return list(report.moved), 0
    mine = [m for m in report.moved if m.kind == "coding" and m.coder == coder]
    return mine, len(report.moved) - len(mine)


def status_name(status: str, *, many: bool = False) -> str:
    """A re-anchoring status as the coder reads it: of one coding (a row), or of several (a count)."""
    if many:
        names = {
            "kept": TUI.pgettext("codings", "untouched"),
            "edited": TUI.pgettext("codings", "edited"),
            "doubtful": TUI.pgettext("codings", "to review"),
            "gone": TUI.pgettext("codings", "gone"),
        }
    else:
        names = {
            "kept": TUI.pgettext("a coding", "untouched"),
            "edited": TUI.pgettext("a coding", "edited"),
            "doubtful": TUI.pgettext("a coding", "to review"),
            "gone": TUI.pgettext("a coding", "gone"),
        }
    return names.get(status, status)


def counts_line(report: CorrectionReport) -> str:
    """Every coder's codings by what became of them: ``codings: 5 untouched, 1 edited, 1 to review``."""
    parts = [
        f"{report.counts.get(status, 0)} {status_name(status, many=True)}"
        for status in STATUSES
        if report.counts.get(status, 0) or status == "kept"
    ]
    return _("codings: {counts}").format(counts=", ".join(parts))


def flagged_count(report: CorrectionReport) -> int:
    return sum(report.counts.get(status, 0) for status in FLAGGED)


def summary(what: str, report: CorrectionReport) -> str:
    """The message line after a correction: what was done, the codings' counts, the notes, and where the flags are."""
    said = [f"{what}; {counts_line(report)}"]
    flagged = flagged_count(report)
    if flagged:
        said.append(
            ngettext(
                "{n} coding flagged for review (mda-coder document flags lists it)",
                "{n} codings flagged for review (mda-coder document flags lists them)",
                flagged,
            ).format(n=flagged)
        )
    said += [MESSAGES.text(note) for note in report.notes]
    said.append(_("u undoes it"))
    return ". ".join(said)


def moved_table(moves: Sequence[MovedSpan]) -> Table:
    """One row per coding that did not stay untouched: what became of it, whose, which code, old → new text."""
    table = Table(expand=True, show_edge=False, box=None, padding=(0, 1))
    for heading in (_("what"), _("coder"), _("code"), _("turn"), _("unchanged"), _("text before → after")):
        table.add_column(heading, overflow="fold")
    for move in moves:
        style = "bold #ff5f5f" if move.status == "gone" else "bold #ffaf00" if move.status == "doubtful" else ""
        kept = f"{move.kept:.0%}"
        before = one_line(move.old_text, QUOTE)
        text = literal(
            _("“{before}” → (gone)").format(before=before)
            if move.new_text is None
            else _("“{before}” → “{after}”").format(before=before, after=one_line(move.new_text, QUOTE))
        )
        table.add_row(
            Text(status_name(move.status), style=style),
            literal(move.coder if move.kind == "coding" else _("consensus")),
            literal(move.code),
            "" if move.turn is None else str(move.turn),
            kept,
            text,
        )
    return table


class CorrectionSummary(ModalScreen[None]):
    """After a correction that flagged codings: the counts, and each moved coding with its text before and after."""

    BINDINGS = [Binding("escape,enter,q", "dismiss", N_("Close"))]

    def __init__(self, title: str, report: CorrectionReport, moves: Sequence[MovedSpan], hidden: int) -> None:
        super().__init__()
        self.title_text = title
        self.report = report
        self.moves = list(moves)
        self.hidden = hidden
        """Other coders' moved codings left out of the list (blind mode)."""

    def compose(self) -> ComposeResult:
        lines = [counts_line(self.report)]
        flagged = flagged_count(self.report)
        if flagged:
            lines.append(
                ngettext(
                    "{n} coding is flagged for review: 'mda-coder document flags' lists it.",
                    "{n} codings are flagged for review: 'mda-coder document flags' lists them.",
                    flagged,
                ).format(n=flagged)
            )
        if self.hidden:
            lines.append(
                ngettext(
                    "{n} coding of another coder moved too (not listed in blind mode).",
                    "{n} codings of other coders moved too (not listed in blind mode).",
                    self.hidden,
                ).format(n=self.hidden)
            )
        lines += [MESSAGES.text(note) for note in self.report.notes]
        with Vertical(id="correction"):
            yield Static(titled(self.title_text, _("esc close")), id="correction-title")
            yield Static(literal("\n".join(lines)), id="correction-counts")
            with VerticalScroll(id="correction-moves"):
                yield Static(moved_table(self.moves))
