"""What the consensus review draws: a unit's text with one coder's spans marked, the progress and the figures."""

from __future__ import annotations

from collections.abc import Mapping

from rich.style import Style
from rich.text import Text

from mda_coder.core.coding import Coding
from mda_coder.core.display import one_line
from mda_coder.services.consensus import CoderCodings, Review, ReviewItem
from mda_coder.services.consensus_figures import Alpha, Figures

_NO_COLOUR = Style(reverse=True)


def _style(color: str | None) -> Style:
    return Style(color="black", bgcolor=color, bold=True) if color else _NO_COLOUR


def _marked(item: ReviewItem, codings: tuple[Coding, ...], colors: Mapping[str, str | None]) -> Text:
    """The unit's text with the codings' spans (document offsets) marked, each in its code's colour; parts
    outside the unit are left out."""
    text = Text(item.text)
    for coding in codings:
        inside = coding.span.intersection(item.span)
        if inside is not None:
            text.stylize(_style(colors.get(coding.code_path)), inside.start - item.span.start, inside.end - item.span.start)
    return text


def _codings(out: Text, codings: tuple[Coding, ...], item: ReviewItem) -> None:
    for coding in codings:
        out.append(f"\n● {coding.span.start}-{coding.span.end}", style="bold")
        if item.ref.family:
            out.append(f"  {coding.code_path}")
        if not item.span.contains(coding.span):
            out.append("  (runs past the unit)", style="dim")
        out.append(f"  “{one_line(coding.text, 60)}”", style="dim")
        if coding.memo:
            out.append(f"\n  memo: {coding.memo}", style="italic")


def _verdict(item: ReviewItem, coder: CoderCodings) -> tuple[str, str]:
    """What the coder did with the code (or the family) on the unit, and its colour.

    Never "did not apply tilltro" of a coder who applied a sub-code of it: in a family the coder's
    codes are named; reviewing the code alone, the sub-codes they applied instead are.
    """
    ref = item.ref
    if coder.value is None:
        return f"did not code {ref.document}", "yellow"
    if ref.family:
        if coder.value == 1:
            return f"applied {', '.join(coder.codes)}", "green"
        return f"applied none of {ref.code} and its sub-codes", "red"
    if coder.value == 1:
        return f"applied {ref.code}", "green"
    if coder.sub_codes:
        return f"applied its sub-code {', '.join(coder.sub_codes)}, not {ref.code} itself", "yellow"
    return f"did not apply {ref.code}", "red"


def render_coder(item: ReviewItem, index: int, colors: Mapping[str, str | None]) -> Text:
    """One coder's column: what they did on the unit, the text with their spans marked, their codings and memos."""
    coder = item.coders[index]
    keys = f"{chr(ord('a') + index)} / {index + 1}" if index < 4 else f"{index + 1}"
    out = Text.assemble((coder.coder, "bold"), (f"   take: {keys}\n", "dim"))
    verdict, style = _verdict(item, coder)
    out.append(f"{verdict}\n\n", style=style)
    out.append_text(_marked(item, coder.codings, colors))
    _codings(out, coder.codings, item)
    return out


def render_consensus(item: ReviewItem, colors: Mapping[str, str | None]) -> Text:
    """The consensus column: the decision and where its codings came from, or that it is still open."""
    out = Text("consensus\n", style="bold")
    settlement = item.settlement
    if settlement is None:
        out.append("not settled yet\n\n", style="yellow")
    else:
        out.append(f"settled: {settlement.label}", style="green")
        out.append(f"  by {settlement.reviewer}\n\n", style="dim")
    out.append_text(_marked(item, item.consensus, colors))
    _codings(out, item.consensus, item)
    if settlement is not None:
        for made in settlement.codings:
            sources = ", ".join(f"{s.coder} #{s.coding_id} ({s.span.start}-{s.span.end})" for s in made.sources)
            code = f" {made.code}" if item.ref.family and made.code else ""
            out.append(f"\n{made.span.start}-{made.span.end}{code} from {sources or 'the reviewer'}", style="dim")
    return out


def render_progress(review: Review, index: int) -> Text:
    """Where the review is: the unit, n of N, settled and remaining, and the agreed units in consensus."""
    out = Text()
    if not review.items:
        out.append("No disagreements: the coders agree on every unit.", style="bold")
    else:
        item = review.items[index]
        ref = item.ref
        where = f"{ref.document} {ref.unit} {ref.number}" + (f" (turn {item.turn})" if ref.unit == "sentence" else "")
        out.append(f"{ref.code}" + (" and its sub-codes" if ref.family else ""), style="bold")
        out.append(f"  ·  {where}  {item.speaker or ''}  ·  ")
        out.append(f"{index + 1} of {len(review.items)}", style="bold")
        out.append(f"  ·  settled {review.settled}  ·  remaining {review.remaining}")
    if review.agreed:
        out.append(f"  ·  agreed units in consensus {review.adopted}/{review.agreed}", style="dim")
        if review.adopted < review.agreed:
            out.append(" (A adopts them)", style="dim")
    return out


def _alpha(alpha: Alpha) -> Text:
    if alpha.value is None:
        return Text(f"undefined ({alpha.undefined})", style="yellow")
    return Text(f"{alpha.value:.3f}", style="bold")


def render_figures(figures: Figures | None) -> Text:
    """α for the unit's code between the coders, and each coder against the consensus so far."""
    if figures is None:
        return Text("α: computing …", style="dim")
    subs = " with its sub-codes" if figures.include_subcodes else ""
    out = Text.assemble(("α ", "dim"), (figures.code, "bold"), f"{subs}  {'–'.join(figures.coders)} ")
    out.append_text(_alpha(figures.between))
    for name, alpha in figures.versus:
        out.append(f"  ·  {name} vs consensus ")
        out.append_text(_alpha(alpha))
    return out
