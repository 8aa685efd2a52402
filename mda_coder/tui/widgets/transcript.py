"""The transcript: every turn of a document, drawn line by line on demand, with codings and a selection.

Only visible lines are rendered (Textual's Line API): a 2,000-turn focus group is
laid out by ``wrap_offsets`` in plain Python, and applying a code redraws one turn.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass

from rich.style import Style
from rich.text import Text
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from mda_coder.core.display import clock
from mda_coder.core.reading import DocumentView, Mark, TurnItem
from mda_coder.core.spans import Span
from mda_coder.i18n import N_
from mda_coder.tui.wrap import wrap_offsets

_WORD = re.compile(r"\w[\w'’-]*|[^\w\s]+")
_MAX_CODER_COLUMNS = 3
_CURSOR_BG = Style(bgcolor="#1d2b3a")
_SELECTION = Style(reverse=True)
_HEADER = Style(bold=True)
_DIM = Style(dim=True)


@dataclass
class _TurnLayout:
    y: int
    """First line of the turn in the virtual canvas (its header)."""
    starts: list[int]
    """Wrap offsets relative to the turn text."""

    @property
    def height(self) -> int:
        return len(self.starts) + 2  # header, text lines, blank separator


class TranscriptView(ScrollView, can_focus=True):
    """Turns with speaker, number, time and codes; a cursor turn; an optional selection inside it."""

    BINDINGS = [
        Binding("j,down", "next_turn", N_("Next turn"), show=False),
        Binding("k,up", "previous_turn", N_("Previous turn"), show=False),
        Binding("pagedown,space", "page_turns(1)", N_("Page down"), show=False),
        Binding("pageup", "page_turns(-1)", N_("Page up"), show=False),
        Binding("g,home", "first_turn", N_("First turn"), show=False),
        Binding("G,end", "last_turn", N_("Last turn"), show=False),
        Binding("s", "sentence(1)", N_("Select next sentence"), show=False),
        Binding("S", "sentence(-1)", N_("Select previous sentence"), show=False),
        Binding("l,right", "grow_word", N_("Selection: grow by a word"), show=False),
        Binding("h,left", "shrink_word", N_("Selection: shrink by a word"), show=False),
        Binding("L,shift+right", "move_start(1)", N_("Selection: start a word later"), show=False),
        Binding("H,shift+left", "move_start(-1)", N_("Selection: start a word earlier"), show=False),
        Binding(")", "grow_sentence", N_("Selection: grow by a sentence"), show=False),
        Binding("(", "shrink_sentence", N_("Selection: shrink by a sentence"), show=False),
        Binding("escape", "clear_selection", N_("Whole turn"), show=False),
    ]

    cursor: reactive[int] = reactive(0, always_update=True, repaint=False)
    """Index (0-based) of the current turn in ``turns``."""

    class TurnChanged(Message):
        """The current turn or the selection in it changed."""

        def __init__(self, index: int, selection: Span | None) -> None:
            super().__init__()
            self.index = index
            self.selection = selection

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, TranscriptView.TurnChanged)

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.document: DocumentView | None = None
        self.turns: tuple[TurnItem, ...] = ()
        """The turns shown: all of the document's, or those the filter keeps."""
        self.filter: Callable[[TurnItem, list[Mark]], bool] | None = None
        self._all_marks: list[Mark] = []
        self.selection: Span | None = None
        self.coders: list[str] = []
        """The coders whose codings are drawn, in gutter order."""
        self._marks_by_turn: list[list[Mark]] = []
        self._layout: list[_TurnLayout] = []
        self._line_y: list[int] = []
        self._wrap_width = 0
        self._cache: dict[tuple[int, int], Strip] = {}
        self.width_hint = 0
        """The width to lay out for before the first layout gives this widget a size."""

    # -- data ---------------------------------------------------------------------------

    def show(self, document: DocumentView, marks: list[Mark], coders: list[str], cursor: int = 0) -> None:
        self.document = document
        self.selection = None
        self.coders = coders[:_MAX_CODER_COLUMNS]
        self._all_marks = marks
        self.filter = None
        self.turns = document.turns
        self._index_marks(marks)
        self._relayout(force=True)
        self.cursor = min(max(cursor, 0), max(len(self.turns) - 1, 0))

    def set_marks(self, marks: list[Mark], coders: list[str] | None = None) -> None:
        if coders is not None:
            self.coders = coders[:_MAX_CODER_COLUMNS]
        self._all_marks = marks
        self._index_marks(marks)
        self._cache.clear()
        self.refresh()

    def add_mark(self, mark: Mark) -> None:
        """Draw one new coding at once (it is committed), redrawing only the turns it touches."""
        self._all_marks.append(mark)
        for i, turn in enumerate(self.turns):
            if turn.span.overlaps(mark.span):
                self._marks_by_turn[i].append(mark)
                self._invalidate(i)

    def set_filter(self, keep: Callable[[TurnItem, list[Mark]], bool] | None) -> int:
        """Show only the turns ``keep`` accepts (all with None); returns how many are shown.

        The cursor stays on the same turn when it is kept, else moves to the next kept one.
        """
        if self.document is None:
            return 0
        current = self.current.index if self.current else 1
        self.filter = keep
        self.turns = self.document.turns
        self._index_marks(self._all_marks)
        if keep is not None:
            marks = self._marks_by_turn
            kept = [i for i, turn in enumerate(self.turns) if keep(turn, marks[i])]
            self.turns = tuple(self.turns[i] for i in kept)
            self._index_marks(self._all_marks)
        self.selection = None
        self._relayout(force=True)
        numbers = [t.index for t in self.turns]
        self.cursor = min(bisect_right(numbers, current - 1), max(len(self.turns) - 1, 0))
        return len(self.turns)

    def marks_of(self, index: int) -> list[Mark]:
        return self._marks_by_turn[index] if 0 <= index < len(self._marks_by_turn) else []

    @property
    def current(self) -> TurnItem | None:
        return self.turns[self.cursor] if self.turns else None

    @property
    def target(self) -> Span | None:
        """What a code applies to now: the selection, or else the whole current turn."""
        if self.selection is not None:
            return self.selection
        return self.current.span if self.current else None

    def _index_marks(self, marks: list[Mark]) -> None:
        starts = [t.span.start for t in self.turns]
        by_turn: list[list[Mark]] = [[] for _ in self.turns]
        for mark in marks:
            i = max(bisect_right(starts, mark.span.start) - 1, 0)
            while i < len(self.turns) and self.turns[i].span.start < mark.span.end:
                if self.turns[i].span.overlaps(mark.span):
                    by_turn[i].append(mark)
                i += 1
        self._marks_by_turn = by_turn

    # -- layout -------------------------------------------------------------------------

    @property
    def _gutter(self) -> int:
        return 2 + max(len(self.coders), 1)

    def _relayout(self, force: bool = False) -> None:
        # The scrollbar's width is always reserved: laying out before it appears would
        # make every line two cells too wide once it does.
        available = self.size.width or self.width_hint
        if not available:  # not laid out yet: on_resize lays the turns out once, at the real width
            self._layout, self._line_y, self._wrap_width = [], [], 0
            return
        width = max(available - self.styles.scrollbar_size_vertical - self._gutter - 1, 10)
        if not force and width == self._wrap_width:
            return
        self._wrap_width = width
        text = self.document.text if self.document else ""
        y = 0
        layout = []
        for turn in self.turns:
            entry = _TurnLayout(y, wrap_offsets(text[turn.span.start : turn.span.end], width))
            layout.append(entry)
            y += entry.height
        self._layout = layout
        self._line_y = [entry.y for entry in layout]
        self._cache.clear()
        self.virtual_size = Size(max(available - self.styles.scrollbar_size_vertical, 1), y)
        self.refresh()

    def on_resize(self) -> None:
        self._relayout()
        self._scroll_to_cursor()

    # -- drawing ------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if not self._layout or line >= self.virtual_size.height:
            return Strip.blank(width)
        index = bisect_right(self._line_y, line) - 1
        row = line - self._layout[index].y
        key = (index, row)
        strip = self._cache.get(key)
        if strip is None:
            strip = self._render_turn_line(index, row, width)
            self._cache[key] = strip
        return strip

    def _render_turn_line(self, index: int, row: int, width: int) -> Strip:
        turn = self.turns[index]
        layout = self._layout[index]
        is_cursor = index == self.cursor
        gutter = Text("▎" if is_cursor else " ", style="bold #5fafff")
        if row == 0:
            text = gutter + Text(" " * (self._gutter - 1)) + self._header(turn, index)
            text.truncate(width, overflow="ellipsis")  # badges that do not fit end in …, not mid-word
        elif row <= len(layout.starts):
            text = gutter + self._bars(index, row) + Text(" ") + self._body_line(index, row - 1)
        else:
            text = Text("")
        if is_cursor and row <= len(layout.starts):
            text.stylize(_CURSOR_BG)
        segments = list(text.render(self.app.console, end=""))
        background = _CURSOR_BG if is_cursor and row <= len(layout.starts) else Style()
        return Strip(segments).crop_extend(0, width, background)

    def _header(self, turn: TurnItem, index: int) -> Text:
        header = Text(f"{turn.index:>4}  ", style=_DIM)
        header.append(turn.speaker or "–", style=_HEADER)
        if turn.role:
            header.append(f" ({turn.role})", style=_DIM)
        if turn.time is not None:
            header.append(f"  {clock(turn.time)}", style=_DIM)
        for coder in self.coders:
            codes = list(dict.fromkeys(m.code_path for m in self._marks_by_turn[index] if m.coder == coder))
            if not codes:
                continue
            header.append("   ")
            if len(self.coders) > 1:
                header.append(f"{coder}: ", style=_DIM)
            for n, path in enumerate(codes):
                color = next(m.color for m in self._marks_by_turn[index] if m.code_path == path)
                header.append(
                    ("" if n == 0 else " ") + f"[{path.rsplit('/', 1)[-1]}]",
                    style=Style(color=color or "#d0d0d0", bold=True),
                )
        return header

    def _line_span(self, turn: TurnItem, layout: _TurnLayout, line: int) -> Span | None:
        start = turn.span.start + layout.starts[line]
        end = turn.span.start + (layout.starts[line + 1] if line + 1 < len(layout.starts) else len(turn.span))
        return Span(start, end) if start < end else None

    def _bars(self, index: int, row: int) -> Text:
        turn = self.turns[index]
        span = self._line_span(turn, self._layout[index], row - 1)
        bars = Text()
        for coder in self.coders or [""]:
            color = None
            if span is not None:
                for mark in self._marks_by_turn[index]:
                    if mark.coder == coder and mark.span.overlaps(span):
                        color = mark.color or "#d0d0d0"
                        break
            bars.append("┃" if color else " ", style=Style(color=color) if color else None)
        return bars

    def _body_line(self, index: int, line: int) -> Text:
        assert self.document is not None
        span = self._line_span(self.turns[index], self._layout[index], line)
        if span is None:
            return Text("")
        text = Text(self.document.text[span.start : span.end].rstrip().replace("\n", " "))
        for mark in self._marks_by_turn[index]:
            if mark.coder not in self.coders:
                continue
            part = mark.span.intersection(span)
            if part is not None:
                text.stylize(Style(underline=True, color=mark.color), part.start - span.start, part.end - span.start)
        if self.selection is not None and index == self.cursor:
            part = self.selection.intersection(span)
            if part is not None:
                text.stylize(_SELECTION, part.start - span.start, part.end - span.start)
        return text

    # -- cursor -------------------------------------------------------------------------

    def watch_cursor(self, old: int, new: int) -> None:
        self._invalidate(old)
        self._invalidate(new)
        self._scroll_to_cursor()
        self.post_message(self.TurnChanged(new, self.selection))

    def _invalidate(self, index: int) -> None:
        if 0 <= index < len(self._layout):
            for row in range(self._layout[index].height):
                self._cache.pop((index, row), None)
        self.refresh()

    def _scroll_to_cursor(self) -> None:
        if not self._layout:
            return
        entry = self._layout[self.cursor]
        height = min(entry.height, max(self.scrollable_content_region.height, 1))
        self.scroll_to_region(Region(0, entry.y, 1, height), animate=False, force=True)

    def _move(self, index: int) -> None:
        if not self.turns:
            return
        index = min(max(index, 0), len(self.turns) - 1)
        self.selection = None
        self.cursor = index

    def go_to(self, index: int, selection: Span | None = None) -> None:
        """Make turn ``index`` (0-based) current, optionally with a selection inside it."""
        self._move(index)
        if selection is not None and self.current is not None and self.current.span.contains(selection):
            self._set_selection(selection)

    def cursor_to_top(self) -> None:
        """Scroll so that the current turn starts at the top (a jump, a reopened place), not merely in view."""
        if self._layout:
            self.scroll_to(y=self._layout[self.cursor].y, animate=False, force=True, immediate=True)

    def action_next_turn(self) -> None:
        self._move(self.cursor + 1)

    def action_previous_turn(self) -> None:
        self._move(self.cursor - 1)

    def action_first_turn(self) -> None:
        self._move(0)

    def action_last_turn(self) -> None:
        self._move(len(self.turns) - 1)

    def action_page_turns(self, direction: int) -> None:
        if not self._layout:
            return
        target_y = self._layout[self.cursor].y + direction * max(self.scrollable_content_region.height - 2, 1)
        self._move(bisect_right(self._line_y, max(target_y, 0)) - 1)

    # -- selection ----------------------------------------------------------------------

    def _set_selection(self, span: Span | None) -> None:
        self.selection = span
        self._invalidate(self.cursor)
        self.post_message(self.TurnChanged(self.cursor, span))

    def _words(self) -> list[Span]:
        turn = self.current
        if turn is None or self.document is None:
            return []
        return [Span(m.start(), m.end()) for m in _WORD.finditer(self.document.text, turn.span.start, turn.span.end)]

    def action_sentence(self, direction: int) -> None:
        turn = self.current
        if turn is None or not turn.sentences:
            return
        sentences = list(turn.sentences)
        if self.selection in sentences:
            i = (sentences.index(self.selection) + direction) % len(sentences)
        else:
            i = 0 if direction > 0 else len(sentences) - 1
        self._set_selection(sentences[i])

    def action_grow_word(self) -> None:
        words = self._words()
        if not words:
            return
        if self.selection is None:
            self._set_selection(words[0])
            return
        later = [w for w in words if w.end > self.selection.end]
        if later:
            self._set_selection(Span(self.selection.start, later[0].end))

    def action_shrink_word(self) -> None:
        if self.selection is None:
            return
        earlier = [w for w in self._words() if self.selection.start < w.end < self.selection.end]
        if earlier:
            self._set_selection(Span(self.selection.start, earlier[-1].end))

    def action_move_start(self, direction: int) -> None:
        if self.selection is None:
            return
        words = self._words()
        if direction > 0:
            later = [w for w in words if self.selection.start < w.start < self.selection.end]
            if later:
                self._set_selection(Span(later[0].start, self.selection.end))
        else:
            earlier = [w for w in words if w.start < self.selection.start]
            if earlier:
                self._set_selection(Span(earlier[-1].start, self.selection.end))

    def action_grow_sentence(self) -> None:
        turn = self.current
        if turn is None or not turn.sentences:
            return
        if self.selection is None:
            self._set_selection(turn.sentences[0])
            return
        later = [s for s in turn.sentences if s.end > self.selection.end]
        if later:
            self._set_selection(Span(self.selection.start, later[0].end))

    def action_shrink_sentence(self) -> None:
        turn = self.current
        if turn is None or self.selection is None:
            return
        earlier = [s for s in turn.sentences if self.selection.start < s.end < self.selection.end]
        if earlier:
            self._set_selection(Span(self.selection.start, earlier[-1].end))

    def action_clear_selection(self) -> None:
        if self.selection is not None:
            self._set_selection(None)
