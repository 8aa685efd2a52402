"""The search command: where a word or phrase (or another form of it) occurs, in every document or in one."""

from __future__ import annotations

import csv
import sys
from collections.abc import Sequence

import click

from mda_coder.cli.app import cli
from mda_coder.cli.options import WholeNumber, names
from mda_coder.cli.output import emit_json, table
from mda_coder.cli.project_cmds import JSON, PROJECT, opened
from mda_coder.core.errors import MdaError, NotFoundError
from mda_coder.i18n import CLI, MESSAGES, N_, said
from mda_coder.services import corpus_search
from mda_coder.services import search as search_service

_ = CLI.gettext

CONTEXT = 40
"""Characters of context either side of a hit on a keyword-in-context line."""
CSV_COLUMNS = (
    "document",
    "group",
    "turn",
    "speaker",
    "name",
    "role",
    "start",
    "end",
    "left",
    "hit",
    "right",
    "match",
    "score",
)


@cli.command("search")
@PROJECT
@click.argument("words", nargs=-1, required=True, metavar="[DOCUMENT] QUERY")
@click.option(
    "--mode",
    type=click.Choice(search_service.MODES),
    default="auto",
    show_default=True,
    help="exact: the words as written; lemma: also their other forms; fuzzy: also near spellings; "
    "auto: other forms where the language has them (in one DOCUMENT: the first that finds any).",
)
@click.option("--fuzzy", is_flag=True, help="Also near spellings (tiltro finds tilltro): the same as --mode fuzzy.")
@click.option("--compounds", is_flag=True, help="Also compounds whose head is the word (självtilltro for tilltro).")
@click.option(
    "--document", "-d", "documents", multiple=True, metavar="NAME", help="Only this document (repeat, or A,B)."
)
@click.option(
    "--speaker", "speakers", multiple=True, metavar="NAME", help="Only this speaker: label or name (repeat, or A,B)."
)
@click.option("--role", "roles", multiple=True, metavar="ROLE", help="Only speakers with this role (repeat, or A,B).")
@click.option(
    "--group", "groups", multiple=True, metavar="GROUP", help="Only documents of this group (repeat, or A,B)."
)
@click.option("--code", metavar="CODE", help="Only hits inside text coded with CODE (or a code under it).")
@click.option("--not-code", metavar="CODE", help="Only hits that no coding of CODE (or a code under it) touches.")
@click.option("--coder", metavar="NAME", help="With --code or --not-code: only this coder's codings.")
@click.option("--no-moderator", is_flag=True, help="Leave out what speakers with the role moderator say.")
@click.option(
    "--sort",
    type=click.Choice(corpus_search.SORTS),
    default="text",
    show_default=True,
    help="text: document and place; left: by the words just left of the hit (read leftwards); right: by those right of it.",
)
@click.option(
    "--limit", type=WholeNumber(min=1), metavar="N", help="Show at most N hits (the count says how many in all)."
)
@click.option("--csv", "as_csv", is_flag=True, help="Print CSV for a spreadsheet instead of lines.")
@JSON
def search(
    project: str,
    words: tuple[str, ...],
    mode: str,
    fuzzy: bool,
    compounds: bool,
    documents: tuple[str, ...],
    speakers: tuple[str, ...],
    roles: tuple[str, ...],
    groups: tuple[str, ...],
    code: str | None,
    not_code: str | None,
    coder: str | None,
    no_moderator: bool,
    sort: str,
    limit: int | None,
    as_csv: bool,
    as_json: bool,
) -> None:
    """Find QUERY in every document, as keyword-in-context lines: tilltro also finds tilltron, Tilltro, tilltrons.

    Several words are a phrase ("sociala rättigheter", in any of their forms). With a DOCUMENT before the
    query, only that document is searched, listed by turn, as before.
    """
    if as_json and as_csv:
        raise MdaError(_("give --json or --csv, not both"))
    if len(words) > 2:
        raise MdaError(_('give the query as one argument: quote a phrase ("sociala rättigheter")'))
    if fuzzy:
        mode = "fuzzy"
    if len(words) == 2:
        corpus_only = [
            flag
            for flag, on in (
                ("--compounds", compounds),
                ("--document", documents),
                ("--speaker", speakers),
                ("--role", roles),
                ("--group", groups),
                ("--code", code),
                ("--not-code", not_code),
                ("--coder", coder),
                ("--no-moderator", no_moderator),
                ("--sort", sort != "text"),
                ("--limit", limit),
                ("--csv", as_csv),
            )
            if on
        ]
        if corpus_only:
            raise MdaError(
                _("{flags}: only when searching every document (give the query alone, without a DOCUMENT)").format(
                    flags=", ".join(corpus_only)
                )
            )
        _one_document(project, words[0], words[1], mode, as_json)
        return
    if coder is not None and code is None and not_code is None:
        raise MdaError(_("--coder: give --code or --not-code too (whose codings to look at)"))
    request = corpus_search.SearchRequest(
        query=words[0],
        mode=mode,
        compounds=compounds,
        documents=names(documents),
        speakers=names(speakers),
        roles=names(roles),
        groups=names(groups),
        code=code,
        not_code=not_code,
        coder=coder,
        no_moderator=no_moderator,
        sort=sort,
        limit=limit,
        context=CONTEXT,
    )
    found = corpus_search.search_corpus(opened(project), request)
    if as_json:
        emit_json(
            {
                "query": found.query,
                "mode": found.mode,
                "word_forms": found.word_forms,
                "total": found.total,
                "shown": len(found.hits),
                "notes": [MESSAGES.text(n) for n in found.notes],
                "terms": list(found.terms),
                "hits": found.hits,
            }
        )
        return
    if as_csv:
        _csv(found.hits)
        return
    _kwic(found.hits)
    _count(found)


def _one_document(project: str, document: str, query: str, mode: str, as_json: bool) -> None:
    db = opened(project)
    try:
        hits = search_service.find_in_document(db, document, query, mode=mode)
    except NotFoundError as exc:  # ``search P sociala rättigheter``: a phrase without its quotes, most likely
        raise MdaError(
            _('{error}; to search every document for a phrase, quote it: "{phrase}"').format(
                error=said(exc), phrase=f"{document} {query}"
            )
        ) from exc
    note = search_service.word_forms_note(db)
    if as_json:
        emit_json({"document": document, "query": query, "word_forms": note is None, "hits": hits})
        return
    if hits:
        table(
            None,
            [N_("turn"), N_("start"), N_("end"), N_("match"), N_("text")],
            [[h.turn, h.span.start, h.span.end, h.match, h.snippet] for h in hits],
            justify_right=("turn", "start", "end"),
        )
    else:
        click.echo(_("'{query}' is not in {document}").format(query=query, document=document))
    if note:
        click.echo(MESSAGES.text(note))


def _who(hit: corpus_search.CorpusHit) -> str:
    if hit.speaker is None:
        return "-"
    return hit.speaker if not hit.name or hit.name == hit.speaker else f"{hit.speaker} ({hit.name})"


def _kwic(hits: Sequence[corpus_search.CorpusHit]) -> None:
    """One line per hit: where, who, the left context right-aligned, the hit, the right context; the hits line up."""
    if not hits:
        return
    places = [(h.document, "-" if h.turn is None else str(h.turn), _who(h), h.role or "-") for h in hits]
    widths = [max(len(p[i]) for p in places) for i in range(4)]
    hit_width = max(len(h.text) for h in hits)
    for hit, place in zip(hits, places, strict=True):
        where = "  ".join(
            value.rjust(width) if i == 1 else value.ljust(width)
            for i, (value, width) in enumerate(zip(place, widths, strict=True))
        )
        left = hit.left[-CONTEXT:].rjust(CONTEXT)
        shown = " ".join(hit.text.split())
        line = f"{where}  {left}  {shown.ljust(hit_width)}  {hit.right}"
        if hit.match != "exact":
            line += f"  ({hit.match}" + (f" {hit.score:g}" if hit.match == "fuzzy" else "") + ")"
        click.echo(line.rstrip())


def _count(found: corpus_search.CorpusSearch) -> None:
    documents = len({h.document for h in found.hits})
    if found.total == 0:
        click.echo(_("'{query}' is in no document").format(query=found.query))
    elif len(found.hits) < found.total:
        click.echo(
            _("{shown} of {n} hits shown ({mode})").format(shown=len(found.hits), n=found.total, mode=found.mode)
        )
    else:
        if found.total == 1:
            line = _("1 hit ({mode})")
        elif documents == 1:
            line = _("{n} hits in 1 document ({mode})")
        else:
            line = _("{n} hits in {documents} documents ({mode})")
        click.echo(line.format(n=found.total, documents=documents, mode=found.mode))
    if found.terms:
        click.echo(_("also searched for: {terms}").format(terms=", ".join(found.terms)))
    for note in found.notes:
        click.echo(MESSAGES.text(note))


def _csv(hits: Sequence[corpus_search.CorpusHit]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for h in hits:
        turn = "" if h.turn is None else h.turn
        place = [h.document, h.group or "", turn, h.speaker or "", h.name or "", h.role or ""]
        writer.writerow([*place, h.span.start, h.span.end, h.left, h.text, h.right, h.match, f"{h.score:g}"])
