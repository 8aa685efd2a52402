"""Commands that describe speakers and documents, write memos, and show the journal."""

from __future__ import annotations

import click

from mda_coder.cli.app import SaidCommand, cli
from mda_coder.cli.options import WholeNumber
from mda_coder.cli.output import emit_json, table
from mda_coder.cli.project_cmds import JSON, PROJECT, opened
from mda_coder.i18n import CLI, MESSAGES, N_
from mda_coder.services import memos, metadata, server

_ = CLI.gettext

ATTR = click.option(
    "--attr", "attrs", multiple=True, metavar="KEY=VALUE", help="A free attribute; repeatable; KEY= removes it."
)


@cli.command()
@PROJECT
@click.argument("document")
@click.argument("label")
@click.option("--name", help="Display name, e.g. the pseudonym used in the article.")
@click.option("--role", help="Role, e.g. arbetskonsulent, handläggare, moderator.")
@click.option("--person", help="Link this label to a person who speaks in other documents too.")
@ATTR
@JSON
def speaker(
    project: str,
    document: str,
    label: str,
    name: str | None,
    role: str | None,
    person: str | None,
    attrs: tuple[str, ...],
    as_json: bool,
) -> None:
    """Describe speaker LABEL of DOCUMENT: display name, role, person, attributes ('' clears)."""
    row = metadata.describe_speaker(
        opened(project),
        document,
        label,
        name=name,
        role=role,
        person=person,
        attributes=metadata.parse_attributes(attrs),
    )
    if as_json:
        emit_json(row)
        return
    click.echo(
        _("{document} {label}: name {name}, role {role}, person {person}").format(
            document=row.document,
            label=row.label,
            name=row.display_name or "-",
            role=row.role or "-",
            person=row.person or "-",
        )
    )


@click.command("document", cls=SaidCommand)
@PROJECT
@click.argument("document")
@click.option("--group", help="The group or session (e.g. FG3); '' clears it.")
@ATTR
@JSON
def describe_document(project: str, document: str, group: str | None, attrs: tuple[str, ...], as_json: bool) -> None:
    """Describe DOCUMENT: its group and attributes such as kommun=Norrvik or datum=2024-03-14."""
    result = metadata.describe_document(
        opened(project), document, group=group, attributes=metadata.parse_attributes(attrs)
    )
    if as_json:
        emit_json(result)
        return
    attributes = ", ".join(f"{k}={v}" for k, v in result["attributes"].items()) or "-"
    click.echo(
        _("{document}: group {group}, attributes {attributes}").format(
            document=result["document"], group=result["group"] or "-", attributes=attributes
        )
    )


@cli.group("memos")
def memos_group() -> None:
    """Write memos on the project, documents, turns and codes; list them with the codings' memos."""


@memos_group.command("add")
@PROJECT
@click.argument("text")
@click.option("--document", "-d", help="On this document.")
@click.option("--turn", type=WholeNumber(), help="On this turn of --document.")
@click.option("--code", "code", help="On this code.")
@click.option("--coder", "-c", help="Who writes it (on a team server: your role's coder).")
def memos_add(
    project: str, text: str, document: str | None, turn: int | None, code: str | None, coder: str | None
) -> None:
    """Add a memo TEXT (on the project unless --document, --turn or --code says where)."""
    db = opened(project)
    memo = memos.add_memo(db, text, document=document, turn=turn, code=code, coder=server.acting_coder(db, coder))
    click.echo(_("memo {id} on {about}").format(id=memo.id, about=MESSAGES.text(memo.about)))


@memos_group.command("list")
@PROJECT
@JSON
def memos_list(project: str, as_json: bool) -> None:
    """List every memo with what it is on and who wrote it, the memos on codings too (code, document, turn)."""
    rows = memos.list_memos(opened(project))
    if as_json:
        emit_json(rows)
        return
    table(
        None,
        [N_("id"), N_("on"), N_("coder"), N_("text")],
        [[m.id, m.about, m.coder, m.text] for m in rows],
        justify_right=("id",),
    )


@cli.command()
@PROJECT
@click.option("--last", type=WholeNumber(), default=30, show_default=True, help="How many of the latest entries.")
@JSON
def log(project: str, last: int, as_json: bool) -> None:
    """Show the journal: who changed what, when (every import, codebook change and coding), in words; ids with --json."""
    rows = memos.journal_entries(opened(project), last)
    if as_json:
        emit_json(rows)
        return
    table(
        None,
        [N_("when"), N_("who"), N_("action"), N_("what")],
        [[e.at, e.actor, e.action, e.description] for e in rows],
    )
