"""The workspace's keys that open a screen over it: the review, the agreement, the reports, and what they share.

Each key asks what to show in a setup dialog, then pushes its screen; the screen closes on a place
the workspace jumps back to. Their modules are imported when the key is pressed: the agreement
figures and the reports pull in numpy, which the workspace's start-up does not need.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from mda_coder.core.codebook import PATH_SEPARATOR
from mda_coder.i18n import N_, TUI
from mda_coder.services import codebook, queries, workspace
from mda_coder.tui.screens.base import WorkspaceState

if TYPE_CHECKING:
    from mda_coder.core.coding import CodeInfo
    from mda_coder.services.agreement import Split
    from mda_coder.store.engine import Database
    from mda_coder.tui.dialogs.report_setup import ReportChoice, ReportNames
    from mda_coder.tui.dialogs.review_setup import ChoiceUnit, ReviewChoice
    from mda_coder.tui.widgets.agreement_panels import Place

_ = TUI.gettext


def codes_to_compare(screen: WorkspaceState, coders: list[str], too_few: str) -> list[CodeInfo] | None:
    """The codebook's codes to offer, or None (said on the status line) when there are not two coders to compare."""
    if len(coders) < 2:
        screen.say(too_few)
        return None
    screen.ensure_codes()
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


# -- R: the consensus review ------------------------------------------------------------------


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

    db = screen.db

    def read() -> tuple[list[str], list[str]]:
        return [c for c in workspace.coder_names(db) if c != CONSENSUS], consensus.default_coders(db)

    def ask(found: tuple[list[str], list[str]]) -> None:
        everyone, chosen = found
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
            review = ReviewScreen(db, screen.coder, screen.writer, choice.coders, choice.unit, choice.code, colors)
            screen.app.push_screen(review, closed)

        screen.app.push_screen(ReviewSetup(everyone, chosen, codes), chosen_what)

    screen.read_then_ask(read, ask)


def _ancestry(path: str) -> list[str]:
    """``a/b/c``, ``a/b``, ``a``: a code's path and its ancestors' paths, nearest first."""
    parts = path.split(PATH_SEPARATOR)
    return [PATH_SEPARATOR.join(parts[:n]) for n in range(len(parts), 0, -1)]


# -- I: agreement between coders -------------------------------------------------------------

SPLITS: tuple[tuple[Split | None, str], ...] = (
    (None, N_("none")),
    ("document", N_("per document")),
    ("role", N_("per role")),
)
"""The splits the setup offers (labels marked here, said in the setup)."""
HEADING = N_("Agreement between coders")


def open_agreement(screen: WorkspaceState) -> None:
    """Ask what to compare (default: every coder with codings but consensus, turns, no split), then show it.

    Every coder is offered, the consensus too, since comparing a coder with the consensus is how
    a settled review is checked. Enter on a unit closes the screen on that unit in the transcript.
    """
    # Imported here, as the review's are: the agreement services pull in numpy, which the
    # workspace's start-up does not need.
    from mda_coder.services import consensus
    from mda_coder.services.agreement import UNIT as CHARACTER
    from mda_coder.tui.dialogs.review_setup import ReviewSetup
    from mda_coder.tui.screens.agreement import AgreementScreen

    db = screen.db

    def read() -> tuple[list[str], list[str]]:
        return workspace.coder_names(db), consensus.default_coders(db)

    def ask(found: tuple[list[str], list[str]]) -> None:
        everyone, chosen = found
        codes = codes_to_compare(screen, everyone, _("agreement needs two or more coders with codings"))
        if codes is None:
            return
        # Characters: no units given, each coder's spans divide the text (α_U and segment matching).
        units: tuple[tuple[ChoiceUnit, str], ...] = (
            ("turn", N_("turns")),
            ("sentence", N_("sentences")),
            (CHARACTER, N_("characters")),
        )

        def chosen_what(choice: ReviewChoice | None) -> None:
            if choice is not None and two_or_more(screen, choice):
                screen.app.push_screen(
                    AgreementScreen(db, choice), jump_back(screen, _("from the agreement"), _("I compares again"))
                )

        setup = ReviewSetup(
            everyone,
            chosen,
            codes,
            heading=HEADING,
            units=units,
            splits=SPLITS,
            options=True,
            segment_unit=CHARACTER,
        )
        screen.app.push_screen(setup, chosen_what)

    screen.read_then_ask(read, ask)


# -- P: reports ------------------------------------------------------------------------------


def report_names(db: Database) -> ReportNames:
    """The names the setup lists: a speaker linked to a person is offered once, by the person's name."""
    from mda_coder.tui.dialogs.report_setup import ReportNames

    documents = queries.documents(db)
    speakers = queries.speakers(db)
    return ReportNames(
        coders=tuple(workspace.coder_names(db)),
        documents=tuple(d.name for d in documents),
        groups=tuple(sorted({d.group for d in documents if d.group})),
        speakers=tuple(sorted({s.person or s.label for s in speakers})),
        roles=tuple(sorted({s.role for s in speakers if s.role})),
        codes=tuple(c.code.path for c in codebook.list_codes(db)),
        attributes=tuple(sorted({str(k) for s in speakers for k in s.attributes})),
    )


def open_reports(screen: WorkspaceState) -> None:
    """Ask which report (default: frequencies of every coder's codings in every document), then show it.

    Enter on an excerpt closes the screen on it in the transcript, with the sentence or passage
    selected; another document is opened first.
    """
    # Imported here, as the agreement's are: the reports pull in numpy, which the workspace's start-up does not need.
    from mda_coder.tui.dialogs.report_setup import ReportSetup
    from mda_coder.tui.screens.reports import ReportsScreen

    def chosen(choice: ReportChoice | None) -> None:
        if choice is not None:
            screen.app.push_screen(
                ReportsScreen(screen.db, choice), jump_back(screen, _("from the report"), _("P for another report"))
            )

    db = screen.db
    screen.read_then_ask(lambda: report_names(db), lambda names: screen.app.push_screen(ReportSetup(names), chosen))


# -- Q: the review queue of suggested codings --------------------------------------------------


def open_suggestions(screen: WorkspaceState) -> None:
    """Ask for the code and unit, then train (in the queue's worker) and go through the proposals.

    Decisions go through the workspace's writer; when the queue closes the workspace redraws (an
    accepted proposal is now a coding) and, on enter, shows the proposal's turn.
    """
    from mda_coder.tui.dialogs.suggest_setup import SuggestChoice, SuggestSetup
    from mda_coder.tui.screens.suggestions import SuggestionsScreen

    screen.ensure_codes()
    codes = [listing.code for listing in screen.codes]
    jumped = jump_back(screen, _("from the suggestions"), _("Q opens them again"))

    def closed(place: Place | None) -> None:
        screen.reload_marks()
        jumped(place)

    def chosen(choice: SuggestChoice | None) -> None:
        if choice is None:
            return
        queue = SuggestionsScreen(screen.db, screen.coder, screen.writer, choice.code, choice.unit)
        screen.app.push_screen(queue, closed)

    screen.app.push_screen(SuggestSetup(codes), chosen)
