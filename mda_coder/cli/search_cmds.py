"""The search command: where a word or phrase (or another form of it) occurs in a document."""

from __future__ import annotations

import click

from mda_coder.cli.app import cli
from mda_coder.cli.output import emit_json, table
from mda_coder.cli.project_cmds import JSON, PROJECT, opened
from mda_coder.i18n import CLI, MESSAGES, N_
from mda_coder.services import search as search_service

_ = CLI.gettext


@cli.command("search")
@PROJECT
@click.argument("document")
@click.argument("query")
@click.option(
    "--mode",
    type=click.Choice(search_service.MODES),
    default="auto",
    show_default=True,
    help="exact: the text itself; lemma: other forms of the words; fuzzy: near spellings; auto: the first that finds any.",
)
@JSON
def search(project: str, document: str, query: str, mode: str, as_json: bool) -> None:
    """Find QUERY in DOCUMENT: exactly, else other forms of the words (rättigheterna finds rättighet), else fuzzily."""
    db = opened(project)
    hits = search_service.find_in_document(db, document, query, mode=mode)
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
