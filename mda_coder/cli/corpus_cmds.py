"""Commands on a project's documents and speakers: list, doubts, remove, speaker tables.

A document that came in wrong is checked (its doubts) and removed here; many speakers are
described at once from a table.
"""

from __future__ import annotations

import dataclasses
import shlex
import sys
from collections import Counter
from pathlib import Path

import click
from rich.console import Console

from mda_coder.cli.app import ListingGroup, Refused, cli, no_backup_option
from mda_coder.cli.options import documents_option, names
from mda_coder.cli.output import console, emit_json, say, table
from mda_coder.cli.project_cmds import JSON, PROJECT, opened
from mda_coder.cli.server_coder import acting_person
from mda_coder.cli.tables import Word
from mda_coder.core.display import one_line
from mda_coder.i18n import CLI, MESSAGES, N_
from mda_coder.services import document_removal, metadata, queries

_ = CLI.gettext
ngettext = CLI.ngettext


@cli.group(cls=ListingGroup)
def documents() -> None:
    """List the documents ('mda-coder documents PROJECT' is 'documents list PROJECT')."""


@documents.command("list")
@PROJECT
@JSON
def documents_list(project: str, as_json: bool) -> None:
    """List the documents with their group, layout, counts and the lines to check."""
    rows = queries.documents(opened(project))
    if as_json:
        emit_json(rows)
        return
    table(
        None,
        [
            N_("document"),
            N_("group"),
            N_("format"),
            N_("layout"),
            N_("speakers"),
            N_("turns"),
            N_("sentences"),
            N_("words"),
            N_("check"),
        ],
        [
            [
                d.name,
                d.group,
                d.format,
                Word("{layout} (guessed)", layout=d.layout) if d.guessed else d.layout,
                d.speakers,
                d.turns,
                d.sentences,
                d.words,
                d.doubts or "",
            ]
            for d in rows
        ],
        justify_right=("speakers", "turns", "sentences", "words", "check"),
    )


@documents.command("doubts")
@PROJECT
@click.argument("document", required=False)
@JSON
def documents_doubts(project: str, document: str | None, as_json: bool) -> None:
    """List the lines the importer doubted, of every document or of DOCUMENT, to check them."""
    rows = queries.doubts(opened(project), document)
    if as_json:
        emit_json(rows)
        return
    if not rows:
        click.echo(_("nothing to check: the importer had no doubts"))
        return
    table(
        None,
        [N_("document"), N_("line"), N_("kind"), N_("text"), N_("reading")],
        [[r.document, r.line, r.kind, r.text, r.reading] for r in rows],
        justify_right=("line",),
    )


def _what_goes(r: document_removal.RemovedDocument) -> str:
    """``412 turns, 57 codings (anna 30, erik 20, consensus 7), 2 memos``."""
    codings = ngettext("{n} coding", "{n} codings", r.total_codings).format(n=r.total_codings)
    if r.codings:
        codings += " (" + ", ".join(f"{coder} {n}" for coder, n in r.codings.items()) + ")"
    parts = [
        ngettext("{n} turn", "{n} turns", r.turns).format(n=r.turns),
        codings,
        ngettext("{n} memo", "{n} memos", r.memos).format(n=r.memos),
    ]
    if r.decisions:
        parts.append(ngettext("{n} consensus decision", "{n} consensus decisions", r.decisions).format(n=r.decisions))
    return ", ".join(parts)


@documents.command("remove")
@PROJECT
@click.argument("document")
@click.option(
    "--as", "actor", metavar="NAME", help="Who removes it (default: you); 'mda-coder undo --as NAME' takes it back."
)
@click.option("--yes", "-y", is_flag=True, help="Do not ask, even when codings or memos go with it.")
@JSON
@no_backup_option
@click.pass_context
def documents_remove(
    ctx: click.Context, project: str, document: str, actor: str | None, yes: bool, as_json: bool
) -> None:
    """Remove DOCUMENT with its turns, codings and memos (undoable), e.g. to import its file again differently."""
    db = opened(project)
    who = acting_person(db, actor)
    goes = document_removal.preview_removal(db, document)
    if (goes.total_codings or goes.memos or goes.decisions) and not yes:
        if not sys.stdin.isatty():
            raise Refused(
                _("'{document}' has {what}: add --yes to remove it (there is no terminal to ask)").format(
                    document=document, what=_what_goes(goes)
                )
            )
        click.echo(
            _("Removing '{document}' takes away {what}.").format(document=document, what=_what_goes(goes)), err=True
        )
        if not click.confirm(_("Remove it?"), default=False, err=True):
            click.echo(_("'{document}' was not removed").format(document=document), err=True)
            ctx.exit(1)
    removed = document_removal.remove_document(db, document, actor=who)
    undo = f"mda-coder undo {shlex.quote(project)}" + (f" --as {shlex.quote(who)}" if actor else "")
    if as_json:
        emit_json({**dataclasses.asdict(removed), "actor": who, "undo": undo})
        return
    click.echo(_("removed {document}: {what}").format(document=removed.name, what=_what_goes(removed)))
    click.echo(_("to take it back: {command}").format(command=undo))


@cli.group(cls=ListingGroup)
def speakers() -> None:
    """List the speakers ('mda-coder speakers PROJECT' is 'speakers list PROJECT')."""


@speakers.command("list")
@PROJECT
@click.argument("document", required=False)
@JSON
def speakers_list(project: str, document: str | None, as_json: bool) -> None:
    """List the speakers of every document, or of DOCUMENT."""
    rows = queries.speakers(opened(project), document)
    if as_json:
        emit_json(rows)
        return
    table(
        None,
        [N_("document"), N_("label"), N_("name"), N_("role"), N_("person"), N_("turns")],
        [[r.document, r.label, r.display_name, r.role, r.person, r.turns] for r in rows],
        justify_right=("turns",),
    )


@speakers.command("import")
@PROJECT
@click.argument("file", type=click.Path(path_type=Path))
@documents_option("Only the speakers of this document (repeat, or A,B).")
@click.option(
    "--key", metavar="COL", help="The column of speaker labels (default: label, speaker, id, talare, taler, etikett)."
)
@click.option("--name", metavar="COL", help="The column of display names (default: name, namn, navn, speaker_name …).")
@click.option("--role", metavar="COL", help="The column of roles (default: role, roll, rolle, speaker_role).")
@click.option(
    "--person",
    metavar="COL",
    help="The column naming the person a label is across documents (default: person, person_id).",
)
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@JSON
def speakers_import(
    project: str,
    file: Path,
    documents: tuple[str, ...],
    key: str | None,
    name: str | None,
    role: str | None,
    person: str | None,
    dry_run: bool,
    as_json: bool,
) -> None:
    """Describe many speakers from a CSV/TSV table FILE: names, roles, persons, attributes, all or nothing."""
    result = metadata.import_speakers(
        opened(project),
        file,
        documents=names(documents) or None,
        key=key,
        name=name,
        role=role,
        person=person,
        dry_run=dry_run,
    )
    if as_json:
        emit_json(result)
        return
    _print_speaker_import(result)


_SHOWN = 20
"""Rows and speakers listed by name before the rest are only counted (``--json`` lists all)."""


def _print_speaker_import(r: metadata.SpeakerImport) -> None:
    out = console()
    c = r.columns
    parts = [_("labels in '{column}'").format(column=c.key)] + [
        part.format(column=column)
        for part, column in (
            (_("names in '{column}'"), c.name),
            (_("roles in '{column}'"), c.role),
            (_("persons in '{column}'"), c.person),
            (_("documents in '{column}'"), c.document),
        )
        if column
    ]
    if c.attributes:
        parts.append(_("attributes {names}").format(names=one_line(", ".join(c.attributes), 80)))
    say(out, f"{r.file}: {'; '.join(parts)}")
    hows = Counter(m.how for row in r.matched for m in row.speakers)
    counted = ", ".join(f"{n} {_(HOWS[how])}" for how in HOWS if (n := hows[how]))
    total = sum(hows.values())
    rows = ngettext("{n} row", "{n} rows", len(r.matched)).format(n=len(r.matched))
    say(
        out,
        ngettext("{rows} matched {n} speaker ({how})", "{rows} matched {n} speakers ({how})", total).format(
            rows=rows, n=total, how=counted
        ),
    )
    guessed = [(row, m) for row in r.matched for m in row.speakers if m.how != metadata.EXACT]
    for row, m in guessed[:_SHOWN]:
        say(
            out,
            "  "
            + _("line {line}: {key} → {document} {label} ({how})").format(
                line=row.line, key=row.key, document=m.document, label=m.label, how=_(HOWS.get(m.how, m.how))
            ),
        )
    _more(out, len(guessed))
    n = len(r.updated)
    say(
        out,
        (
            ngettext(
                "{n} speaker would be updated (dry run: nothing changed)",
                "{n} speakers would be updated (dry run: nothing changed)",
                n,
            )
            if r.dry_run
            else ngettext("{n} speaker updated", "{n} speakers updated", n)
        ).format(n=n),
    )
    if r.unmatched:
        n = len(r.unmatched)
        say(out, ngettext("{n} row matched no speaker:", "{n} rows matched no speaker:", n).format(n=n))
        for u in r.unmatched[:_SHOWN]:
            say(
                out,
                "  "
                + _("line {line}: {key} ({reason})").format(line=u.line, key=u.key, reason=MESSAGES.text(u.reason)),
            )
        _more(out, len(r.unmatched))
    if r.unmentioned:
        names = ", ".join(f"{s.document} {s.label}" for s in r.unmentioned[:_SHOWN])
        extra = _(" and {n} more").format(n=len(r.unmentioned) - _SHOWN) if len(r.unmentioned) > _SHOWN else ""
        n = len(r.unmentioned)
        say(
            out,
            ngettext("{n} speaker not in the table: {names}", "{n} speakers not in the table: {names}", n).format(
                n=n, names=names + extra
            ),
        )


HOWS = {
    metadata.EXACT: N_("exact"),
    metadata.IGNORING_CASE: N_("ignoring case"),
    metadata.ID_ENDING: N_("by id ending"),
}
"""How a row found its speaker, in the order the summary counts them."""


def _more(out: Console, count: int) -> None:
    if count > _SHOWN:
        say(out, "  " + _("… and {n} more (--json lists all)").format(n=count - _SHOWN))
