"""Which side panels the workspace shows and how wide: chosen by the terminal's width, changed with ``z``.

At 160 columns the documents (22), the transcript and the codebook with the turn's codings (42)
all fit with the transcript at 60%. Below that the documents panel is hidden (``d`` shows it)
and the codebook panel takes about a third, never under 30 or over 44 columns: at 100 columns
the transcript keeps 66, at 120 it keeps 79. The opening screen lays out the same way, so the
first page is laid out once, for the width the workspace will have.
"""

from __future__ import annotations

from textual.widget import Widget

from mda_coder.i18n import N_

WIDE = 160
"""From this width the documents panel is shown too."""
PANELS = ("all", "side", "none")
"""What ``z`` cycles through: every panel, the codebook panel only, the transcript alone."""
LABELS = {
    "all": N_("documents, codebook and turn panels shown"),
    "side": N_("codebook and turn panels shown, documents hidden (d shows them)"),
    "none": N_("the transcript alone; z shows the panels again"),
}


def default_panels(width: int) -> str:
    return "all" if width >= WIDE else "side"


def next_panels(panels: str) -> str:
    return PANELS[(PANELS.index(panels) + 1) % len(PANELS)]


def panel_widths(width: int, panels: str) -> tuple[int, int]:
    """``(documents, side)`` in cells (0: hidden), borders included; the transcript has the rest."""
    if panels == "none":
        return 0, 0
    if width >= WIDE:
        documents, side = 22, 42
    else:
        documents, side = 20, min(max(round(width * 0.34), 30), 44)
    return (documents if panels == "all" else 0), side


def apply_panels(screen: Widget, width: int, panels: str) -> int:
    """Show and size the panes of ``screen`` (the workspace or the opening screen); returns the transcript's width."""
    documents, side = panel_widths(width, panels)
    for pane, cells in (("#documents", documents), ("#side", side)):
        widget = screen.query_one(pane)
        widget.display = cells > 0
        if cells:
            widget.styles.width = cells
    return max(width - documents - side, 0)
