"""What the consensus review draws: a unit's text with one coder's spans marked, the progress and the figures."""

from __future__ import annotations

from collections.abc import Mapping

from rich.style import Style
from rich.text import Text

from mda_coder.core.coding import Coding
from mda_coder.core.display import one_line
from mda_coder.i18n import REPORTS, TUI
from mda_coder.services.consensus import Alpha, CoderCodings, Figures, Review, ReviewItem

_ = TUI.gettext

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
            text.stylize(
                _style(colors.get(coding.code_path)), inside.start - item.span.start, inside.end - item.span.start
            )
    return text


def _codings(out: Text, codings: tuple[Coding, ...], item: ReviewItem) -> None:
    for coding in codings:
        out.append(f"\n● {coding.span.start}-{coding.span.end}", style="bold")
        if item.ref.family:
            out.append(f"  {coding.code_path}")
        if not item.span.contains(coding.span):
            out.append("  " + _("(runs past the unit)"), style="dim")
        out.append(f"  “{one_line(coding.text, 60)}”", style="dim")
        if coding.memo:
            out.append("\n  " + _("memo: {memo}").format(memo=coding.memo), style="italic")


def _verdict(item: ReviewItem, coder: CoderCodings) -> tuple[str, str]:
    """What the coder did with the code (or the family) on the unit, and its colour.

    Never "did not apply tilltro" of a coder who applied a sub-code of it: in a family the coder's
    codes are named; reviewing the code alone, the sub-codes they applied instead are.
    """
    ref = item.ref
    if coder.value is None:
        return _("did not code {document}").format(document=ref.document), "yellow"
    if ref.family:
        if coder.value == 1:
            return _("applied {code}").format(code=", ".join(coder.codes)), "green"
        return _("applied none of {code} and its sub-codes").format(code=ref.code), "red"
    if coder.value == 1:
        return _("applied {code}").format(code=ref.code), "green"
    if coder.sub_codes:
        return _("applied its sub-code {sub_codes}, not {code} itself").format(
            sub_codes=", ".join(coder.sub_codes), code=ref.code
        ), "yellow"
    return _("did not apply {code}").format(code=ref.code), "red"


def render_coder(item: ReviewItem, index: int, colors: Mapping[str, str | None]) -> Text:
    """One coder's column: what they did on the unit, the text with their spans marked, their codings and memos."""
    coder = item.coders[index]
    keys = f"{chr(ord('a') + index)} / {index + 1}" if index < 4 else f"{index + 1}"
    out = Text.assemble((coder.coder, "bold"), ("   " + _("take: {keys}").format(keys=keys) + "\n", "dim"))
    verdict, style = _verdict(item, coder)
    out.append(f"{verdict}\n\n", style=style)
    out.append_text(_marked(item, coder.codings, colors))
    _codings(out, coder.codings, item)
    return out


def render_consensus(item: ReviewItem, colors: Mapping[str, str | None]) -> Text:
    """The consensus column: the decision and where its codings came from, or that it is still open."""
    out = Text(_("consensus") + "\n", style="bold")
    settlement = item.settlement
    if settlement is None:
        out.append(_("not settled yet") + "\n\n", style="yellow")
    else:
        out.append(_("settled: {decision}").format(decision=settlement.label), style="green")
        out.append("  " + _("by {reviewer}").format(reviewer=settlement.reviewer) + "\n\n", style="dim")
    out.append_text(_marked(item, item.consensus, colors))
    _codings(out, item.consensus, item)
    if settlement is not None:
        for made in settlement.codings:
            sources = ", ".join(f"{s.coder} #{s.coding_id} ({s.span.start}-{s.span.end})" for s in made.sources)
            code = f" {made.code}" if item.ref.family and made.code else ""
            made_from = _("{span}{code} from {sources}").format(
                span=f"{made.span.start}-{made.span.end}", code=code, sources=sources or _("the reviewer")
            )
            out.append(f"\n{made_from}", style="dim")
    return out


def render_progress(review: Review, index: int) -> Text:
    """Where the review is: the unit, n of N, settled and remaining, and the agreed units in consensus."""
    out = Text()
    if not review.items:
        out.append(_("No disagreements: the coders agree on every unit."), style="bold")
    else:
        item = review.items[index]
        ref = item.ref
        if ref.unit == "sentence":
            where = _("{document} sentence {number} (turn {turn})").format(
                document=ref.document, number=ref.number, turn=item.turn
            )
        else:
            where = _("{document} turn {number}").format(document=ref.document, number=ref.number)
        out.append(_("{code} and its sub-codes").format(code=ref.code) if ref.family else ref.code, style="bold")
        out.append(f"  ·  {where}  {item.speaker or ''}  ·  ")
        out.append(_("{n} of {total}").format(n=index + 1, total=len(review.items)), style="bold")
        out.append(
            "  ·  "
            + _("settled {settled}  ·  remaining {remaining}").format(
                settled=review.settled, remaining=review.remaining
            )
        )
    if review.agreed:
        out.append(
            "  ·  "
            + _("agreed units in consensus {adopted}/{agreed}").format(adopted=review.adopted, agreed=review.agreed),
            style="dim",
        )
        if review.adopted < review.agreed:
            out.append(" " + _("(A adopts them)"), style="dim")
    return out


def _alpha(alpha: Alpha) -> Text:
    if alpha.value is None:
        return Text(_("undefined ({reason})").format(reason=REPORTS.text(alpha.undefined)), style="yellow")
    return Text(f"{alpha.value:.3f}", style="bold")


def render_figures(figures: Figures | None) -> Text:
    """α for the unit's code between the coders, and each coder against the consensus so far."""
    if figures is None:
        return Text(_("α: computing …"), style="dim")
    subs = " " + _("with its sub-codes") if figures.include_subcodes else ""
    out = Text.assemble(("α ", "dim"), (figures.code, "bold"), f"{subs}  {'–'.join(figures.coders)} ")
    out.append_text(_alpha(figures.between))
    for name, alpha in figures.versus:
        out.append("  ·  " + _("{coder} vs consensus").format(coder=name) + " ")
        out.append_text(_alpha(alpha))
    return out
