"""Correct transcripts after coding: ``document replace``, ``document flags`` and ``turn edit|split|merge|speaker``.

``document`` stays the command that describes a document (``document P NAME --group G``): the group
falls back to it when the first word is not one of its subcommands.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from mda_coder.cli.app import SaidGroup, cli
from mda_coder.cli.describe_cmds import describe_document
from mda_coder.cli.options import WholeNumber
from mda_coder.cli.output import emit_json, table
from mda_coder.cli.project_cmds import JSON, PROJECT, opened
from mda_coder.cli.server_coder import acting_person
from mda_coder.core.display import one_line
from mda_coder.core.errors import InputError
from mda_coder.i18n import CLI, MESSAGES, N_
from mda_coder.services import corrections

_ = CLI.gettext

ACTOR = click.option(
    "--as", "actor", metavar="NAME", help="Who makes the change (default: you; on a team server, your role's coder)."
)
DRY_RUN = click.option("--dry-run", is_flag=True, help="Show what would move, and change nothing.")


class _DocumentGroup(SaidGroup):
    """``document`` with subcommands, and without one the description of a document as before."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if args and args[0] not in self.commands and args[0] not in ("--help", "-h"):
            args = ["describe", *args]
        return super().parse_args(ctx, args)


@cli.group("document", cls=_DocumentGroup)
def document_group() -> None:
    """Describe a document (document PROJECT NAME --group G --attr K=V), replace its text, review its flags."""


document_group.add_command(describe_document, "describe")


def _print(report: corrections.CorrectionReport, as_json: bool) -> None:
    if as_json:
        emit_json(report)
        return
    counts = report.counts
    click.echo(
        _("{document}: {regions} changed places; turns {before} → {after}").format(
            document=report.document, regions=report.regions, before=report.turns_before, after=report.turns_after
        )
    )
    click.echo(
        _("codings: {kept} untouched, {edited} edited, {doubtful} to review, {gone} gone").format(
            kept=counts.get("kept", 0),
            edited=counts.get("edited", 0),
            doubtful=counts.get("doubtful", 0),
            gone=counts.get("gone", 0),
        )
    )
    if report.moved:
        rows = [
            [
                m.coder or _("consensus"),
                m.code,
                m.turn if m.turn is not None else "-",
                _status(m.status),
                one_line(m.old_text, 40),
                one_line(m.new_text, 40) if m.new_text is not None else "-",
                m.flag_id if m.flag_id is not None else "",
            ]
            for m in report.moved
        ]
        table(None, [N_("coder"), N_("code"), N_("turn"), N_("status"), N_("was"), N_("is now"), N_("flag")], rows)
    for note in report.notes:
        click.echo(MESSAGES.text(note))
    if report.dry_run:
        click.echo(_("nothing changed (dry run)"))
    else:
        click.echo(_("saved; mda-coder undo reverses it"))


def _status(status: str) -> str:
    return {
        "edited": _("edited"),
        "doubtful": _("to review"),
        "gone": _("gone (kept in the flags)"),
    }.get(status, status)


@document_group.command("replace")
@PROJECT
@click.argument("document")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@DRY_RUN
@click.option("--speaker-pattern", metavar="RE", help="As for import: a regular expression for the speaker labels.")
@ACTOR
@JSON
def replace_cmd(
    project: str,
    document: str,
    file: Path,
    dry_run: bool,
    speaker_pattern: str | None,
    actor: str | None,
    as_json: bool,
) -> None:
    """Replace DOCUMENT's text with a corrected FILE; every coding follows its words, and the report says how."""
    db = opened(project)
    if not file.is_file():
        raise InputError(_("{path}: no such file").format(path=file))
    report = corrections.replace_document(
        db, document, file, actor=acting_person(db, actor), dry_run=dry_run, speaker_pattern=speaker_pattern
    )
    _print(report, as_json)


@document_group.command("flags")
@PROJECT
@click.argument("document", required=False)
@click.option("--resolve", "resolve", type=WholeNumber(), multiple=True, metavar="ID", help="Mark this flag reviewed.")
@click.option("--resolve-all", is_flag=True, help="Mark every flag listed reviewed.")
@ACTOR
@JSON
def flags_cmd(
    project: str, document: str | None, resolve: tuple[int, ...], resolve_all: bool, actor: str | None, as_json: bool
) -> None:
    """The codings a correction changed beyond doubt or took away, with their old and new text, to review."""
    db = opened(project)
    if resolve or resolve_all:
        done = corrections.resolve_flags(
            db, list(resolve) if resolve else None, actor=acting_person(db, actor), document=document
        )
        click.echo(_("{n} flags marked reviewed").format(n=done))
        return
    found = corrections.flags(db, document)
    if as_json:
        emit_json(found)
        return
    if not found:
        click.echo(_("no flags to review"))
        return
    rows: list[list[Any]] = [
        [
            f.id,
            f.document,
            f.coder or _("consensus"),
            f.code,
            f.turn if f.turn is not None else "-",
            _status(f.status),
            one_line(f.old_text, 40),
            one_line(f.new_text, 40) if f.new_text is not None else "-",
        ]
        for f in found
    ]
    table(
        None,
        [N_("flag"), N_("document"), N_("coder"), N_("code"), N_("turn"), N_("status"), N_("was"), N_("is now")],
        rows,
    )


@cli.group("turn")
def turn_group() -> None:
    """Edit a turn's words, split a turn, merge two turns, give a turn to another speaker."""


TURN = click.argument("turn", type=WholeNumber(min=1))


@turn_group.command("edit")
@PROJECT
@click.argument("document")
@TURN
@click.option("--text", "words", help="The turn's new words.")
@click.option("--file", "file", type=click.Path(dir_okay=False, path_type=Path), help="Read the new words from FILE.")
@ACTOR
@JSON
def edit_cmd(
    project: str, document: str, turn: int, words: str | None, file: Path | None, actor: str | None, as_json: bool
) -> None:
    """Replace the words of turn TURN of DOCUMENT (--text or --file)."""
    if (words is None) == (file is None):
        raise InputError(_("give the new words with --text or with --file (one of them)"))
    if file is not None:
        try:
            words = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            said = _("{path}: cannot be read as UTF-8 text ({reason})")
            raise InputError(said.format(path=file, reason=exc)) from None
    db = opened(project)
    assert words is not None
    _print(corrections.edit_turn(db, document, turn, words, actor=acting_person(db, actor)), as_json)


@turn_group.command("split")
@PROJECT
@click.argument("document")
@TURN
@click.option("--at", "at", required=True, help="The words the new turn starts with (found exactly once in the turn).")
@click.option("--speaker", help="Give the new turn to this speaker label (default: the same speaker).")
@ACTOR
@JSON
def split_cmd(
    project: str, document: str, turn: int, at: str, speaker: str | None, actor: str | None, as_json: bool
) -> None:
    """Split turn TURN of DOCUMENT where the words --at begin; the second part becomes the next turn."""
    db = opened(project)
    words, _label = corrections.turn_text(db, document, turn)
    found = words.count(at) if at.strip() else 0
    if found != 1:
        said = (
            _("{document} turn {turn}: '{at}' is not in the turn")
            if found == 0
            else _("{document} turn {turn}: '{at}' is in the turn {n} times; give more words")
        )
        raise InputError(said.format(document=document, turn=turn, at=at, n=found))
    report = corrections.split_turn(
        db, document, turn, words.index(at), actor=acting_person(db, actor), speaker=speaker
    )
    _print(report, as_json)


@turn_group.command("merge")
@PROJECT
@click.argument("document")
@TURN
@ACTOR
@JSON
def merge_cmd(project: str, document: str, turn: int, actor: str | None, as_json: bool) -> None:
    """Merge turn TURN of DOCUMENT with the next; the merged turn keeps TURN's speaker."""
    db = opened(project)
    _print(corrections.merge_turns(db, document, turn, actor=acting_person(db, actor)), as_json)


@turn_group.command("speaker")
@PROJECT
@click.argument("document")
@TURN
@click.argument("label")
@ACTOR
@JSON
def speaker_cmd(project: str, document: str, turn: int, label: str, actor: str | None, as_json: bool) -> None:
    """Give turn TURN of DOCUMENT to the speaker LABEL (added to the document when it has none by that label)."""
    db = opened(project)
    _print(corrections.set_speaker(db, document, turn, label, actor=acting_person(db, actor)), as_json)
