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

from mda_coder.cli.app import ListingGroup, cli
from mda_coder.cli.options import documents_option, names
from mda_coder.cli.output import console, emit_json, say, table
from mda_coder.cli.project_cmds import JSON, PROJECT, opened
from mda_coder.core.display import one_line
from mda_coder.services import document_removal, queries, speaker_import, speaker_match
from mda_coder.services.project import system_actor


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
        ["document", "group", "format", "layout", "speakers", "turns", "sentences", "words", "check"],
        [
            [d.name, d.group, d.format, d.layout + (" (guessed)" if d.guessed else ""), d.speakers, d.turns,
             d.sentences, d.words, d.doubts or ""]
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
        click.echo("nothing to check: the importer had no doubts")
        return
    table(
        None,
        ["document", "line", "kind", "text", "reading"],
        [[r.document, r.line, r.kind, r.text, r.reading] for r in rows],
        justify_right=("line",),
    )


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"


def _what_goes(r: document_removal.RemovedDocument) -> str:
    """``412 turns, 57 codings (anna 30, erik 20, consensus 7), 2 memos``."""
    codings = _count(r.total_codings, "coding")
    if r.codings:
        codings += " (" + ", ".join(f"{coder} {n}" for coder, n in r.codings.items()) + ")"
    parts = [_count(r.turns, "turn"), codings, _count(r.memos, "memo")]
    if r.decisions:
        parts.append(_count(r.decisions, "consensus decision"))
    return ", ".join(parts)


@documents.command("remove")
@PROJECT
@click.argument("document")
@click.option("--as", "actor", metavar="NAME", help="Who removes it (default: you); 'mda-coder undo --as NAME' takes it back.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask, even when codings or memos go with it.")
@JSON
@click.pass_context
def documents_remove(ctx: click.Context, project: str, document: str, actor: str | None, yes: bool, as_json: bool) -> None:
    """Remove DOCUMENT with its turns, codings and memos (undoable), e.g. to import its file again differently."""
    db = opened(project)
    who = (actor or "").strip() or system_actor()
    goes = document_removal.preview_removal(db, document)
    if (goes.total_codings or goes.memos or goes.decisions) and not yes:
        if not sys.stdin.isatty():
            raise click.ClickException(
                f"'{document}' has {_what_goes(goes)}: add --yes to remove it (there is no terminal to ask)"
            )
        click.echo(f"Removing '{document}' takes away {_what_goes(goes)}.", err=True)
        if not click.confirm("Remove it?", default=False, err=True):
            click.echo(f"'{document}' was not removed", err=True)
            ctx.exit(1)
    removed = document_removal.remove_document(db, document, actor=who)
    undo = f"mda-coder undo {shlex.quote(project)}" + (f" --as {shlex.quote(who)}" if actor else "")
    if as_json:
        emit_json({**dataclasses.asdict(removed), "actor": who, "undo": undo})
        return
    click.echo(f"removed {removed.name}: {_what_goes(removed)}")
    click.echo(f"to take it back: {undo}")


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
        ["document", "label", "name", "role", "person", "turns"],
        [[r.document, r.label, r.display_name, r.role, r.person, r.turns] for r in rows],
        justify_right=("turns",),
    )


@speakers.command("import")
@PROJECT
@click.argument("file", type=click.Path(path_type=Path))
@documents_option("Only the speakers of this document (repeat, or A,B).")
@click.option("--key", metavar="COL", help="The column of speaker labels (default: label, speaker, id, talare, taler, etikett).")
@click.option("--name", metavar="COL", help="The column of display names (default: name, namn, navn, speaker_name …).")
@click.option("--role", metavar="COL", help="The column of roles (default: role, roll, rolle, speaker_role).")
@click.option("--person", metavar="COL", help="The column naming the person a label is across documents (default: person, person_id).")
@click.option("--dry-run", is_flag=True, help="Show what would change; change nothing.")
@JSON
def speakers_import(
    project: str, file: Path, documents: tuple[str, ...], key: str | None, name: str | None, role: str | None,
    person: str | None, dry_run: bool, as_json: bool,
) -> None:
    """Describe many speakers from a CSV/TSV table FILE: names, roles, persons, attributes, all or nothing."""
    result = speaker_import.import_speakers(
        opened(project), file, documents=names(documents) or None, key=key, name=name, role=role, person=person,
        dry_run=dry_run,
    )
    if as_json:
        emit_json(result)
        return
    _print_speaker_import(result)


_SHOWN = 20
"""Rows and speakers listed by name before the rest are only counted (``--json`` lists all)."""


def _print_speaker_import(r: speaker_import.SpeakerImport) -> None:
    out = console()
    c = r.columns
    parts = [f"labels in '{c.key}'"] + [
        f"{part} in '{column}'" for part, column in (("names", c.name), ("roles", c.role), ("persons", c.person), ("documents", c.document)) if column
    ]
    if c.attributes:
        parts.append(f"attributes {one_line(', '.join(c.attributes), 80)}")
    say(out, f"{r.file}: {'; '.join(parts)}")
    hows = Counter(m.how for row in r.matched for m in row.speakers)
    counted = ", ".join(f"{n} {how}" for how in (speaker_match.EXACT, speaker_match.IGNORING_CASE, speaker_match.ID_ENDING) if (n := hows[how]))
    total = sum(hows.values())
    say(out, f"{_count(len(r.matched), 'row')} matched {_count(total, 'speaker')} ({counted})")
    guessed = [(row, m) for row in r.matched for m in row.speakers if m.how != speaker_match.EXACT]
    for row, m in guessed[:_SHOWN]:
        say(out, f"  line {row.line}: {row.key} → {m.document} {m.label} ({m.how})")
    _more(out, len(guessed))
    verb = "would be updated (dry run: nothing changed)" if r.dry_run else "updated"
    say(out, f"{_count(len(r.updated), 'speaker')} {verb}")
    if r.unmatched:
        say(out, f"{_count(len(r.unmatched), 'row')} matched no speaker:")
        for u in r.unmatched[:_SHOWN]:
            say(out, f"  line {u.line}: {u.key} ({u.reason})")
        _more(out, len(r.unmatched))
    if r.unmentioned:
        names = ", ".join(f"{s.document} {s.label}" for s in r.unmentioned[:_SHOWN])
        extra = f" and {len(r.unmentioned) - _SHOWN} more" if len(r.unmentioned) > _SHOWN else ""
        say(out, f"{_count(len(r.unmentioned), 'speaker')} not in the table: {names}{extra}")


def _more(out: Console, count: int) -> None:
    if count > _SHOWN:
        say(out, f"  … and {count - _SHOWN} more (--json lists all)")
