"""The right-hand panels: the codebook tree with counts and rules, and the codings of the current turn."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static, Tree
from textual.widgets.tree import TreeNode

from mda_coder.core.codebook import PATH_SEPARATOR
from mda_coder.core.display import one_line
from mda_coder.core.reading import Mark
from mda_coder.i18n import N_, TUI
from mda_coder.tui.literal import literal

if TYPE_CHECKING:  # the services (and SQLAlchemy) load after the first paint
    from mda_coder.services.codebook import CodeDetail, CodeListing

_ = TUI.gettext


class CodeEdit(StrEnum):
    """What a codebook key asks for; the value is the argument its binding gives ``edit``."""

    ADD = "add"
    """A sub-code under the highlighted code."""
    ADD_TOP = "add-top"
    RENAME = "rename"
    MOVE = "move"
    MERGE = "merge"
    DEFINE = "define"
    EXCERPTS = "excerpts"
    """Not a change: the highlighted code's excerpts, listed."""


class CodebookTree(Tree[str]):
    """The code tree; each node's data is the code path. Highlighting a code asks for its rules."""

    BINDINGS = [
        Binding("a", "edit('add')", N_("Codebook: add a sub-code"), show=False),
        Binding("A", "edit('add-top')", N_("Codebook: add a top-level code"), show=False),
        Binding("r", "edit('rename')", N_("Codebook: rename the code"), show=False),
        Binding("v", "edit('move')", N_("Codebook: move the code"), show=False),
        Binding("g", "edit('merge')", N_("Codebook: merge the code into another"), show=False),
        Binding("e", "edit('define')", N_("Codebook: edit the definition"), show=False),
        Binding("E", "edit('excerpts')", N_("Codebook: list the code's excerpts"), show=False),
    ]

    @dataclass
    class EditRequested(Message):
        """The coder asked to change the codebook (or list a code's excerpts) at ``path``."""

        kind: CodeEdit
        path: str | None
        """The highlighted code; None when none is."""

    def action_edit(self, kind: str) -> None:
        node = self.cursor_node
        path = node.data if node is not None else None
        self.post_message(self.EditRequested(CodeEdit(kind), path))

    class CodeFocused(Message):
        def __init__(self, path: str) -> None:
            super().__init__()
            self.path = path

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, CodebookTree.CodeFocused)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("Codebook", id=id)
        self._shape: list[tuple[str, str, str | None, str | None, int | None]] = []
        """What the tree was built from, less the counts: when it is unchanged, labels are updated in place."""
        self.show_root = False
        self.guide_depth = 2

    @staticmethod
    def _label(listing: CodeListing, mine: dict[str, int]) -> Text:
        code = listing.code
        label = Text()
        label.append("● ", style=code.color or "#d0d0d0")
        label.append(code.name)
        own = mine.get(code.path, 0)
        label.append(f"  {own}" if own == listing.codings else f"  {own}/{listing.codings}", style="dim")
        if code.key:
            label.append(f"  [{code.key}]", style="dim")
        return label

    def show_codes(self, codes: list[CodeListing], mine: dict[str, int]) -> None:
        """Show the code tree, each code with the coder's count (and everyone's, when it differs).

        When only counts changed (every coding action) the labels are updated in place: rebuilding
        the tree re-lays out the whole screen and delayed the new code badge by ~100 ms.
        """
        shape = [(c.code.path, c.code.name, c.code.color, c.code.key, c.code.parent_id) for c in codes]
        if shape and shape == self._shape:
            shown = {node.data: node for node in self._all_nodes()}
            for listing in codes:
                shown[listing.code.path].set_label(self._label(listing, mine))
            return
        self._shape = shape
        expanded = {node.data for node in self._all_nodes() if node.is_expanded}
        focused = self.cursor_node.data if self.cursor_node is not None else None
        self.clear()
        nodes: dict[int | None, TreeNode[str]] = {}
        for listing in codes:
            code = listing.code
            parent = nodes.get(code.parent_id, self.root)
            node = parent.add(self._label(listing, mine), data=code.path, expand=code.path in expanded)
            nodes[code.id] = node
        for node in nodes.values():
            if not node.children:
                node.allow_expand = False
        again = next((node for node in nodes.values() if node.data == focused), None)
        if again is not None:
            self.move_cursor(again)

    def render_label(self, node: TreeNode[str], base_style: Style, style: Style) -> Text:
        """The label, its code name shortened with … when the panel is narrow: the counts and key stay in view."""
        text = super().render_label(node, base_style, style)
        depth, up = 0, node.parent
        while up is not None and up is not self.root:
            depth, up = depth + 1, up.parent
        over = text.cell_len - (self.scrollable_content_region.width - depth * self.guide_depth - 1)
        name = len(node.data.rsplit(PATH_SEPARATOR, 1)[-1]) if node.data else 0
        if over <= 0 or name - over < 4:
            return text
        start = len(text) - len(node.label) + 2  # after the toggle and the coloured dot
        end = start + name
        return Text.assemble(text[: end - over - 1], "…", text[end:])

    def _all_nodes(self) -> list[TreeNode[str]]:
        result = []
        stack = list(self.root.children)
        while stack:
            node = stack.pop()
            result.append(node)
            stack.extend(node.children)
        return result

    def on_tree_node_highlighted(self, event: Tree.NodeHighlighted[str]) -> None:
        if event.node.data:
            self.post_message(self.CodeFocused(event.node.data))


def render_detail(detail: CodeDetail) -> Text:
    text = Text()
    text.append(detail.path, style=f"bold {detail.color or ''}".strip())
    if detail.key:
        text.append("   " + _("key {key}").format(key=detail.key), style="dim")
    for heading, body in (
        ("", detail.definition),
        (_("Use when: "), detail.use_when),
        (_("Don't use when: "), detail.dont_use_when),
        (_("Example: "), detail.example),
    ):
        if body:
            text.append("\n\n")
            if heading:
                text.append(heading, style="bold")
            text.append(body)
    return text


def render_turn_codings(marks: list[Mark], text: str, coders: list[str]) -> Text:
    """The codings on the current turn, grouped by coder, each with its text and memo."""
    out = Text()
    if not marks:
        out.append(_("No codings on this turn."), style="dim")
        return out
    for coder in coders:
        own = [m for m in marks if m.coder == coder]
        if not own:
            continue
        out.append(f"{coder}\n", style="bold")
        for mark in own:
            out.append("● ", style=mark.color or "#d0d0d0")
            out.append(mark.code_path)
            out.append(f"  “{one_line(mark.span.of(text), 70)}”\n", style="dim")
            if mark.memo:
                out.append("   " + _("memo: {memo}").format(memo=mark.memo) + "\n", style="italic")
            if mark.suggested:
                out.append("   " + _("an accepted suggestion") + "\n", style="dim")
    return out


class StatusBar(Static):
    """Document · coder · coded/uncoded turns · last save: what a coder checks at a glance."""


def workspace_hints() -> list[tuple[str, str]]:
    """The keys the workspace's bottom line shows, most needed first: a narrow terminal shows those that fit."""
    return [
        ("?", _("all keys")),
        ("c", TUI.pgettext("verb", "code")),
        ("1-9", _("code by key")),
        ("s", _("sentence")),
        ("x", _("remove")),
        ("u", _("undo")),
        ("m", _("memo")),
        ("n", _("next uncoded")),
        ("/", _("find")),
        ("F", _("search all")),
        (":", _("go to turn")),
        ("f", _("filter")),
        ("z", _("panels")),
        (".", _("repeat")),
        ("q", _("quit")),
    ]


def status_line(
    document: str,
    turn: int,
    turns: int,
    coder: str,
    *,
    blind: bool = True,
    others: Sequence[str] = (),
    coded: int = 0,
    uncoded: int = 0,
    extra: Sequence[str | Text] = (),
) -> Text:
    """The status bar's text; the opening screen and the workspace draw the same line.

    Names and notes print as written: a document or a filter on speaker ``[Anna]`` keeps its brackets.
    """
    parts = [
        Text(document, style="bold"),
        Text(_("turn {turn}/{turns}").format(turn=turn, turns=turns)),
        Text.assemble(
            _("coder") + " ", (coder, "bold"), _(" (blind)") if blind else (f" + {', '.join(others)}" if others else "")
        ),
        Text(_("coded {coded} · uncoded {uncoded}").format(coded=coded, uncoded=uncoded)),
        *(literal(part) for part in extra),
    ]
    return Text("  ·  ").join(parts)
