"""What the agreement screen draws: a table row per code and split, the counts behind a row, the units it differs on.

Everything here turns report values into rich text and plain rows; the screen only places them.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from rich.text import Text

from mda_coder.analysis.agreement import AlphaInterval, Result, Table, verdict
from mda_coder.core.codebook import PATH_SEPARATOR
from mda_coder.core.coding import SentenceInfo, TurnInfo
from mda_coder.core.display import one_line
from mda_coder.core.spans import Span
from mda_coder.export.agreement_report import Figure, count
from mda_coder.export.agreement_statistics import number, statistic
from mda_coder.i18n import N_, REPORTS, TUI

MAX_PLACES = 500
"""Units listed per row; the Markdown report (key m) lists every one."""

_ = TUI.gettext
ngettext = TUI.ngettext

VERDICT_STYLES = {"reliable": "green", "tentative": "yellow", "unreliable": "red", "undefined": "dim"}
VERDICTS = {
    "reliable": N_("reliable"),
    "tentative": N_("tentative"),
    "unreliable": N_("unreliable"),
    "undefined": N_("undefined"),
}
"""Krippendorff's verdicts as the screen says them (the files keep the English words)."""

BINARY = {1: N_("applied"), 0: N_("not applied")}
"""How the values of a code's binary units read in the counts."""


def counted(n: int, noun: str) -> str:
    """``3 turns``, ``1 sentence``: a count of one of the things agreement is computed over."""
    if noun == "turn":
        return ngettext("{n} turn", "{n} turns", n).format(n=n)
    if noun == "sentence":
        return ngettext("{n} sentence", "{n} sentences", n).format(n=n)
    if noun == "character":
        return ngettext("{n} character", "{n} characters", n).format(n=n)
    if noun == "document":
        return ngettext("{n} document", "{n} documents", n).format(n=n)
    if noun == "code":
        return ngettext("{n} code", "{n} codes", n).format(n=n)
    if noun == "unit":
        return ngettext("{n} unit", "{n} units", n).format(n=n)
    return f"{n} {noun}"


def unit_number(unit: str, number: int | str) -> str:
    """``turn 12``, ``sentence 40``."""
    if unit == "sentence":
        return _("sentence {number}").format(number=number)
    if unit == "turn":
        return _("turn {number}").format(number=number)
    return f"{unit} {number}"


@dataclass(frozen=True, slots=True)
class Place:
    """A unit (or a segment) the coders differ on, and where the workspace shows it."""

    label: Text
    document: str
    turn: int | None
    """1-based turn number to jump to; None when the text lies in no turn."""
    selection: Span | None = None
    """The sentence or segment inside the turn, selected after the jump."""


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the table, with what the panels beneath show when it is highlighted."""

    key: str
    cells: tuple[Text | str, ...]
    detail: Text
    places: tuple[Place, ...] = ()
    n_places: int = 0
    """How many units differ (more than `places` holds when there are over MAX_PLACES)."""
    places_title: str = ""
    """What the list of places is, with the legend of its marks."""


@dataclass(frozen=True, slots=True)
class AgreementView:
    """A computed comparison, ready to draw: the heading, the table and each row's details."""

    heading: Text
    columns: tuple[str, ...]
    rows: tuple[Row, ...]


class Locator:
    """Where units lie: each document's turns (and sentences), to turn a unit number or an offset into a place."""

    def __init__(
        self, turns: dict[str, list[TurnInfo]], sentences: dict[str, list[SentenceInfo]] | None = None
    ) -> None:
        self.turns = {doc: sorted(rows, key=lambda t: t.span.start) for doc, rows in turns.items()}
        self._starts = {doc: [t.span.start for t in rows] for doc, rows in self.turns.items()}
        self._by_number = {doc: {t.index: t for t in rows} for doc, rows in turns.items()}
        self.sentences = {doc: {s.index: s for s in rows} for doc, rows in (sentences or {}).items()}

    def turn(self, document: str, number: int) -> TurnInfo | None:
        return self._by_number.get(document, {}).get(number)

    def sentence(self, document: str, number: int) -> SentenceInfo | None:
        return self.sentences.get(document, {}).get(number)

    def turn_over(self, document: str, span: Span) -> TurnInfo | None:
        """The first turn ``span`` overlaps (a segment may begin in the blank line before a turn); None if none."""
        rows = self.turns.get(document, [])
        i = max(bisect_right(self._starts.get(document, []), span.start) - 1, 0)
        return next((t for t in rows[i : i + 2] if t.span.overlaps(span)), None)


# -- cells -------------------------------------------------------------------------------------


def value_cell(result: Result | Figure | None, coefficient: str = "") -> Text:
    """A coefficient's value as the table shows it; "undefined" (the reason is in the detail panel)."""
    if result is None:
        return Text("")
    if result.value is None:
        return Text(_("undefined"), style="yellow")
    return Text(number(result.value, coefficient or result.coefficient), justify="right")


def figure_interval_cell(alpha: Figure) -> Text:
    """α's bootstrap 95% interval as ``0.512–0.771``; "undefined" when α is (the reason is in the detail panel)."""
    if alpha.ci_low is None or alpha.ci_high is None:
        return Text(_("undefined"), style="yellow")
    return Text(f"{alpha.ci_low:.3f}–{alpha.ci_high:.3f}", justify="right")


def interval_line(interval: AlphaInterval | None, width: int = 20) -> Text:
    """The interval beneath α's figure, with the chance of falling short of .800 and .667 (KALPHA's q)."""
    if interval is None:
        return Text("")
    out = Text("\n" + _("95% CI of α").ljust(width), style="bold")
    if interval.low is None or interval.high is None:
        out.append(_("undefined").rjust(9), style="yellow")
        out.append(f"  {REPORTS.text(interval.undefined) if interval.undefined else _('α is undefined')}")
        return out
    out.append(f"{interval.low:.3f}–{interval.high:.3f}")
    q = dict(interval.below)
    shortfall = "  ".join(f"P(α < {t:.3f}) {q[t]:.3f}".replace("0.", ".", 1) for t in (0.8, 0.667) if t in q)
    bootstrap = _("bootstrap, {samples} samples, seed {seed}").format(
        samples=f"{interval.samples:,}", seed=interval.seed
    )
    out.append(f"  {shortfall}  {bootstrap}", style="dim")
    return out


def verdict_cell(result: Result) -> Text:
    return verdict_text(verdict(result))


def verdict_text(word: str) -> Text:
    """Krippendorff's verdict in the interface's language, coloured."""
    return Text(_(VERDICTS.get(word, word)), style=VERDICT_STYLES.get(word, ""))


def code_cell(path: str) -> str:
    """A sub-code indented under its parent, by its own name, as the CLI prints it."""
    depth = path.count(PATH_SEPARATOR)
    return "  " * depth + path.rsplit(PATH_SEPARATOR, 1)[-1]


def coefficient_name(coefficient: str) -> str:
    return REPORTS.text(statistic(coefficient).name)


# -- details -----------------------------------------------------------------------------------


def figure_line(result: Result, width: int = 20) -> Text:
    """``α        0.664  tentative   D_o 0.0060  D_e 0.0180``: one coefficient, aligned."""
    out = Text(coefficient_name(result.coefficient).ljust(width), style="bold")
    if result.value is None:
        out.append(_("undefined").rjust(9), style="yellow")
    else:
        out.append(number(result.value, result.coefficient).rjust(9))
    out.append("  ")
    if statistic(result.coefficient).verdict:
        cell = verdict_cell(result)
        out.append_text(cell)
        out.append(" " * max(12 - len(cell), 1))
    else:
        out.append(" " * 12)
    # Krippendorff writes observed and expected disagreement D_o, D_e; the κ family agreement p_o, p_e.
    letter = "D" if result.basis == "disagreement" else "p"
    parts = []
    if result.observed is not None:
        parts.append(f"{letter}_o {result.observed:.4f}")
    if result.expected is not None:
        parts.append(f"{letter}_e {result.expected:.4f}")
    out.append("  ".join(parts), style="dim")
    return out


def undefined_lines(results: Sequence[Result]) -> Text:
    """Each undefined coefficient with its reason: never a silent blank."""
    out = Text()
    for r in results:
        if r.value is None:
            out.append("\n" + _("{name} is undefined: ").format(name=coefficient_name(r.coefficient)), style="yellow")
            out.append(REPORTS.text(r.undefined) if r.undefined else "")
    return out


def _label(value: object, binary: bool) -> str:
    if binary and value in BINARY:
        return _(BINARY[value])
    return str(value)


def counts_block(table: Table | None, coders: Sequence[str], binary: bool, things: str = "units") -> Text:
    """The table behind the figures, aligned: a contingency (rows the first coder) or Krippendorff's coincidences.

    ``things`` names what is counted: units, segments (segment matching) or characters (α_U).
    """
    if table is None:
        return Text("")
    labels = [_label(v, binary) for v in table.labels]
    if table.kind == "contingency" and len(coders) >= 2:
        said = {
            "units": _("Counts: units, {first}'s value (rows) against {second}'s (columns)"),
            "segments": _("Counts: segments, {first}'s value (rows) against {second}'s (columns)"),
            "characters": _("Counts: characters, {first}'s value (rows) against {second}'s (columns)"),
        }[things]
        title = said.format(first=coders[0], second=coders[1])
        rows = [f"{coders[0]}: {label}" for label in labels]
        columns = [f"{coders[1]}: {label}" for label in labels]
    else:
        if things == "characters":
            title = _("Counts: Krippendorff's coincidences, pairs of values coders gave the same character")
        else:
            title = _("Counts: Krippendorff's coincidences, pairs of values coders gave units (each unit weighs 1)")
        rows, columns = labels, labels
    cells = [[count(v) for v in row] for row in table.counts]
    first = max(len(r) for r in rows)
    widths = [max(len(c), *(len(row[j]) for row in cells)) for j, c in enumerate(columns)]
    out = Text(title, style="bold")
    out.append("\n" + " " * first + "  " + "  ".join(c.rjust(w) for c, w in zip(columns, widths)), style="dim")
    for name, row in zip(rows, cells):
        out.append("\n" + name.ljust(first), style="dim")
        out.append("  " + "  ".join(v.rjust(w) for v, w in zip(row, widths)))
    return out


def values_text(coders: Sequence[str], values: Sequence[object], binary: bool) -> Text:
    """Each coder's value on a unit: ✓ applied, ✗ not applied, – did not code the document (or the group's label)."""
    out = Text()
    for coder, value in zip(coders, values):
        if value is None:
            mark, style = "–", "dim"
        elif binary:
            mark, style = ("✓", "green") if value == 1 else ("✗", "red")
        else:
            mark, style = str(value), "bold"
        out.append(f"{coder} ")
        out.append(mark, style=style)
        out.append("  ")
    return out


def unit_place(locator: Locator, document: str, unit: str, number: int, values: Text) -> Place:
    """A turn or sentence the coders differ on: where it is, who gave what, and its first words."""
    turn = locator.turn(document, number) if unit == "turn" else None
    sentence = locator.sentence(document, number) if unit == "sentence" else None
    label = Text.assemble((document, "bold"), f"  {unit_number(unit, number)}")
    if sentence is not None:
        label.append(f" ({unit_number('turn', sentence.turn)})", style="dim")
        turn = locator.turn(document, sentence.turn)
    if turn is not None and turn.speaker:
        label.append(f"  {turn.speaker}", style="cyan")
    label.append("  ")
    label.append_text(values)
    text = sentence.text if sentence is not None else turn.text if turn is not None else ""
    if text:
        label.append(f"“{one_line(text, 70)}”", style="dim")
    if sentence is not None:
        return Place(label, document, sentence.turn, sentence.span)
    return Place(label, document, number if unit == "turn" else None)


def segment_place(locator: Locator, document: str, span: Span, who: str, overlap: float) -> Place:
    """A segment only one coder drew (at the overlap threshold): where, whose, and its first words."""
    turn = locator.turn_over(document, span)
    label = Text.assemble((document, "bold"), f"  {span.start}–{span.end}")
    selection = None
    if turn is not None:
        label.append(f"  {unit_number('turn', turn.index)}", style="dim")
        selection = span.intersection(turn.span)
        if turn.speaker:
            label.append(f"  {turn.speaker}", style="cyan")
    label.append("  " + _("{coder} only").format(coder=who), style="bold")
    label.append(" " + _("(best overlap {percent}%)").format(percent=f"{100 * overlap:.0f}") + "  ", style="dim")
    if turn is not None and selection is not None:
        start = selection.start - turn.span.start
        label.append(f"“{one_line(turn.text[start : start + len(selection)], 60)}”", style="dim")
    return Place(label, document, turn.index if turn is not None else None, selection)
