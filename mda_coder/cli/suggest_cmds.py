"""Assisted coding from the command line: propose codings, evaluate the model, and review the proposals."""

from __future__ import annotations

import click

from mda_coder.cli.app import cli
from mda_coder.cli.options import WholeNumber
from mda_coder.cli.output import console, emit_json, say, table
from mda_coder.cli.project_cmds import JSON, PROJECT, opened
from mda_coder.cli.server_coder import acting_coder
from mda_coder.core.display import one_line
from mda_coder.i18n import CLI, MESSAGES, N_
from mda_coder.services import suggest as suggesting
from mda_coder.store.engine import Database

_ = CLI.gettext
ngettext = CLI.ngettext

CODER = click.option(
    "--coder", "-c", metavar="NAME", help="Whose codings to learn from and whose queue (on a team server: your own)."
)
UNIT = click.option(
    "--unit",
    type=click.Choice(["turn", "sentence"]),
    default="turn",
    show_default=True,
    help="Learn and propose whole turns or sentences.",
)


UNIT_WORDS = {"turn": N_("turns"), "sentence": N_("sentences")}


def _score(value: float) -> str:
    return f"{value:.2f}"


def _figure(value: float | None) -> str:
    return _("undefined") if value is None else f"{value:.2f}"


def _where(p: suggesting.Proposal) -> str:
    if p.unit == "sentence" and p.number is not None:
        return _("turn {turn}, sentence {sentence}").format(turn=p.turn, sentence=p.number)
    return str(p.turn) if p.turn is not None else f"{p.span.start}-{p.span.end}"


def _proposals_table(found: list[suggesting.Proposal]) -> None:
    table(
        None,
        [N_("id"), N_("score"), N_("document"), N_("turn"), N_("speaker"), N_("why"), N_("text")],
        [
            [
                p.id,
                _score(p.score),
                p.document,
                _where(p),
                p.speaker or "",
                MESSAGES.text(p.reason),
                one_line(p.text, 60),
            ]
            for p in found
        ],
        justify_right=("id", "score"),
    )


@cli.command("suggest")
@PROJECT
@CODER
@click.option("--code", metavar="CODE", help="The code to propose (with --evaluate: only this code).")
@UNIT
@click.option("--limit", type=WholeNumber(min=1), help="At most this many proposals (default: 20 from a model).")
@click.option("--teach", is_flag=True, help="Teach me: propose what the model is least sure of (score nearest 0.5).")
@click.option("--consensus", is_flag=True, help="Learn from the consensus codings instead of the coder's own.")
@click.option("--from-search", "from_search", metavar="QUERY", help="Propose every turn or sentence QUERY is found in.")
@click.option("--from-definition", is_flag=True, help="Propose the turns or sentences like the code's examples.")
@click.option("--evaluate", is_flag=True, help="Hold out part of the codings and say how well a model finds them.")
@click.option("--folds", type=WholeNumber(min=2), default=5, show_default=True, help="With --evaluate: how many parts.")
@JSON
def suggest_cmd(
    project: str,
    coder: str | None,
    code: str | None,
    unit: str,
    limit: int | None,
    teach: bool,
    consensus: bool,
    from_search: str | None,
    from_definition: bool,
    evaluate: bool,
    folds: int,
    as_json: bool,
) -> None:
    """Propose CODE for turns or sentences CODER has not coded, learned from CODER's codings; nothing is coded.

    Each proposal shows its score (0-1), the words that drove it and where it is. Review them with
    'mda-coder suggestions' or Q in the workspace: only what you accept becomes a coding.
    """
    db = opened(project)
    who = acting_coder(db, coder)
    if evaluate:
        _evaluate(db, who, code, unit, consensus, folds, as_json)
        return
    if code is None:
        raise click.UsageError(_("say which code to propose: --code CODE (or --evaluate for every code)"))
    done = suggesting.suggest(
        db,
        coder=who,
        code=code,
        unit=unit,
        limit=limit
        if limit is not None
        else (suggesting.DEFAULT_LIMIT if not (from_search or from_definition) else None),
        teach=teach,
        consensus=consensus,
        from_search=from_search,
        from_definition=from_definition,
    )
    if as_json:
        emit_json(done)
        return
    out = console()
    if done.proposals:
        _proposals_table(list(done.proposals))
    m = done.model
    if done.source == "model":
        say(
            out,
            _(
                "{n} proposals of {code} for {coder}, from a model trained on {codings} codings by {teacher} "
                "({positives} coded {units}, {negatives} not, {rejected} of them rejected proposals); "
                "{candidates} uncoded {units} looked at"
            ).format(
                n=len(done.proposals),
                code=done.code,
                coder=done.coder,
                codings=m.codings,
                teacher=m.trained_on,
                positives=m.positives,
                negatives=m.negatives,
                rejected=m.rejected,
                candidates=done.candidates,
                units=_(UNIT_WORDS[done.unit]),
            ),
        )
    else:
        say(
            out,
            _("{n} proposals of {code} for {coder}").format(n=len(done.proposals), code=done.code, coder=done.coder),
        )
    say(
        out,
        _(
            "Nothing is coded until you accept: mda-coder suggestions accept {project} ID… -c {coder} "
            "(or reject, skip; Q in the workspace)"
        ).format(project=project, coder=done.coder),
    )


def _evaluate(db: Database, who: str, code: str | None, unit: str, consensus: bool, folds: int, as_json: bool) -> None:
    result = suggesting.evaluate(db, coder=who, code=code, unit=unit, consensus=consensus, folds=folds)
    if as_json:
        emit_json(result)
        return
    table(
        None,
        [N_("code"), N_("coded"), N_("uncoded"), N_("folds"), N_("precision"), N_("recall"), N_("α"), N_("note")],
        [
            [
                f.code,
                f.positives,
                f.negatives,
                f.folds,
                _figure(f.precision),
                _figure(f.recall),
                _figure(f.alpha),
                MESSAGES.text(f.undefined) if f.undefined else "",
            ]
            for f in result.codes
        ],
        justify_right=("coded", "uncoded", "folds", "precision", "recall", "α"),
    )
    say(
        console(),
        _(
            "Held-out {units} of {teacher}'s codings ({folds}-fold, seed {seed}): precision is the share of the "
            "model's codings the coder made too, recall the share of the coder's the model found, α the agreement "
            "between model and coder. Few codings give wide uncertainty."
        ).format(units=_(UNIT_WORDS[unit]), teacher=result.trained_on, folds=folds, seed=result.seed),
    )


@cli.group("suggestions")
def suggestions() -> None:
    """Review proposed codings: list them, accept (they become your codings), reject or skip; undo takes each back."""


@suggestions.command("list")
@PROJECT
@CODER
@click.option("--code", metavar="CODE", help="Only proposals of this code.")
@click.option(
    "--status",
    type=click.Choice([*suggesting.STATUSES, "all"]),
    default="open",
    show_default=True,
    help="open includes the skipped ones, listed last.",
)
@click.option("--teach", is_flag=True, help="The most uncertain first (score nearest 0.5), not the highest.")
@click.option("--limit", type=WholeNumber(min=1), help="At most this many.")
@JSON
def list_cmd(
    project: str, coder: str | None, code: str | None, status: str, teach: bool, limit: int | None, as_json: bool
) -> None:
    """List CODER's proposals, highest score first."""
    db = opened(project)
    found = suggesting.proposals(
        db,
        coder=acting_coder(db, coder),
        code=code,
        status=None if status == "all" else status,
        order="teach" if teach else "score",
        limit=limit,
    )
    if as_json:
        emit_json(found)
        return
    if found:
        _proposals_table(found)
    console().print(ngettext("{n} proposal", "{n} proposals", len(found)).format(n=len(found)))


def _decide(project: str, coder: str | None, ids: tuple[int, ...], status: str) -> None:
    db = opened(project)
    decided = suggesting.decide(db, list(ids), status, coder=acting_coder(db, coder))
    said = {
        "accepted": _("accepted {id}: {code} on {document} {where} (coding {coding})"),
        "rejected": _("rejected {id}: {code} on {document} {where}"),
        "skipped": _("skipped {id}: {code} on {document} {where}"),
    }[status]
    for p in decided:
        click.echo(said.format(id=p.id, code=p.code, document=p.document, where=_where(p), coding=p.coding_id))


IDS = click.argument("ids", nargs=-1, required=True, type=WholeNumber(min=1), metavar="ID…")


@suggestions.command("accept")
@PROJECT
@IDS
@CODER
def accept_cmd(project: str, ids: tuple[int, ...], coder: str | None) -> None:
    """Accept proposals: each becomes CODER's coding, with the proposal as its provenance (undo takes it back)."""
    _decide(project, coder, ids, "accepted")


@suggestions.command("reject")
@PROJECT
@IDS
@CODER
def reject_cmd(project: str, ids: tuple[int, ...], coder: str | None) -> None:
    """Reject proposals: never proposed again, and a model learns from them as uncoded."""
    _decide(project, coder, ids, "rejected")


@suggestions.command("skip")
@PROJECT
@IDS
@CODER
def skip_cmd(project: str, ids: tuple[int, ...], coder: str | None) -> None:
    """Skip proposals: they go to the back of the queue, undecided."""
    _decide(project, coder, ids, "skipped")
