"""The ``mda-coder`` command group, the error handling every command shares, and help in the interface's language."""

from __future__ import annotations

import copy
import importlib
import inspect
import os
import sys
from contextlib import AbstractContextManager
from dataclasses import replace
from typing import IO, Any, TypeVar

import click

from mda_coder import __version__, i18n
from mda_coder.core import waiting
from mda_coder.core.errors import MdaError
from mda_coder.i18n import CLI, CLICK, MESSAGES

_ = CLI.gettext


COMMANDS = {
    "init": "project_cmds",
    "copy": "project_cmds",
    "import": "project_cmds",
    "info": "project_cmds",
    "documents": "corpus_cmds",
    "speakers": "corpus_cmds",
    "turns": "project_cmds",
    "sentences": "project_cmds",
    "codebook": "project_cmds",
    "speaker": "describe_cmds",
    "document": "correction_cmds",
    "turn": "correction_cmds",
    "memos": "describe_cmds",
    "log": "describe_cmds",
    "codings": "coding_cmds",
    "agree": "agreement_cmds",
    "report": "report_cmds",
    "export": "export_cmds",
    "import-qdpx": "refi_cmds",
    "open": "workspace_cmds",
    "demo": "workspace_cmds",
    "undo": "history_cmds",
    "redo": "history_cmds",
    "search": "search_cmds",
    "suggest": "suggest_cmds",
    "suggestions": "suggest_cmds",
    "backups": "backup_cmds",
    "doctor": "doctor_cmds",
    "copy-for-coder": "team_cmds",
    "merge": "team_cmds",
    "server": "server_cmds",
}
"""Each command's module in ``mda_coder.cli``, imported only when the command runs (or help lists it).

``mda-coder open`` must not pay for SQLAlchemy before its first frame; ``tests/test_cli.py``
checks that this table names every command and where it lives.
"""


def help_message(text: str) -> str:
    """A command's help as click shows it (indentation cleaned, up to a form feed): the msgid of its translation."""
    return inspect.cleandoc(text).partition("\f")[0]


def _click_speaks() -> None:
    """click's own words (``Usage:``, ``Options``, ``No such option``, ``Missing argument``) in the interface's language.

    click asks the standard library's global gettext for them, which knows nothing of
    ``--ui-language``; its modules are given the ``click`` catalogue's functions instead. In
    English these return the message as it is, so nothing changes there; a message a newer click
    adds is said in English until it is translated (``tools/catalogues.py``).
    """
    import click.core
    import click.decorators
    import click.exceptions
    import click.formatting
    import click.parser
    import click.termui
    import click.types
    import click.utils

    for module in (
        click.core,
        click.decorators,
        click.exceptions,
        click.formatting,
        click.parser,
        click.termui,
        click.types,
        click.utils,
    ):
        if hasattr(module, "_"):
            module._ = CLICK.gettext  # type: ignore[attr-defined]  # not every module here has one: hasattr checked
        if hasattr(module, "ngettext"):
            module.ngettext = CLICK.ngettext  # type: ignore[attr-defined]  # not every module here has one: hasattr checked


_click_speaks()


def one_line(text: str) -> str:
    """``text`` with line breaks and other invisible controls written as escapes (``\\r``, ``\\u202e``).

    A message quotes what the user gave (a name, a file's first bytes), and that may hold a
    carriage return, a line separator or a right-to-left override: said raw, the one line of an
    error would become several, or read backwards.
    """
    if text.isprintable():
        return text
    return "".join(ch if ch.isprintable() or ch == " " else ch.encode("unicode_escape").decode("ascii") for ch in text)


class Refused(click.ClickException):
    """A user's mistake as one line on stderr, ``Error: …`` in the interface's language, exit status 1."""

    def show(self, file: IO[Any] | None = None) -> None:
        click.echo(
            _("Error: {message}").format(message=one_line(self.format_message())),
            file=file or sys.stderr,
            color=self.show_color,
        )


def _said(command: click.Command) -> click.Command:
    """A copy of ``command`` whose help is said in the interface's language (click reads the help when it formats)."""
    if i18n.language() == "en":
        return command
    said = copy.copy(command)
    said.help = _(help_message(command.help)) if command.help else command.help
    said.short_help = _(help_message(command.short_help)) if command.short_help else command.short_help
    return said


def _option_row(param: click.Option, ctx: click.Context) -> tuple[str, str] | None:
    """An option's line in the help, its help text said in the interface's language (click says the rest)."""
    if param.help and i18n.language() != "en":
        said = copy.copy(param)
        said.help = _(param.help)
        return said.get_help_record(ctx)
    return param.get_help_record(ctx)


def _format_options(command: click.Command, ctx: click.Context, formatter: click.HelpFormatter) -> None:
    rows = [row for p in command.get_params(ctx) if isinstance(p, click.Option) and (row := _option_row(p, ctx))]
    if rows:
        with formatter.section(CLICK.gettext("Options")):
            formatter.write_dl(rows)


PROJECT_KEY = "mda_coder.project"
"""Where a command leaves its PROJECT in the contexts' shared ``meta``, for an error that escapes it to name."""


class SaidCommand(click.Command):
    """A command whose help (its text, its one line in a list, each option's) is said in the interface's language.

    click reads ``help=`` and docstrings when the command is defined, before ``--ui-language`` is
    known, so the English stays there as the msgid and is translated when the help is formatted.
    """

    def invoke(self, ctx: click.Context) -> Any:
        ctx.meta[PROJECT_KEY] = ctx.params.get("project")
        return super().invoke(ctx)

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        click.Command.format_help_text(_said(self), ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        return click.Command.get_short_help_str(_said(self), limit)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _format_options(self, ctx, formatter)


class SaidGroup(click.Group):
    """A group of commands, its help and its subcommands' said as ``SaidCommand`` says them."""

    command_class = SaidCommand
    group_class: type[click.Group | type] | None = type  # a group's subgroups say their help the same way

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        click.Group.format_help_text(_said(self), ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        return click.Group.get_short_help_str(_said(self), limit)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        _format_options(self, ctx, formatter)
        self.format_commands(ctx, formatter)


class MdaGroup(SaidGroup):
    """A group that turns user mistakes into one line on stderr and exit status 1, and loads commands lazily."""

    group_class = SaidGroup

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(f"mda_coder.cli.{COMMANDS[cmd_name]}")  # it registers its commands on `cli`
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        before = replace(waiting.WAIT)
        waiting.wait_for_writers(_lock_wait(), _say_waiting)
        try:
            return super().invoke(ctx)
        except MdaError as exc:
            raise Refused(i18n.said(exc)) from None
        except OSError as exc:
            said = _environment(exc)
            if said is None:
                raise
            raise Refused(said) from None
        except Exception as exc:
            said = _database_environment(exc, ctx)
            if said is None:
                raise  # anything else is a bug, and its traceback is what a report of it needs
            raise Refused(said) from None
        finally:
            waiting.wait_for_writers(before.seconds, before.notice, before.notice_after)  # the library's again


LOCK_WAIT = 120.0
"""Seconds a command waits for another program writing the same project (``$MDA_CODER_LOCK_WAIT`` to change)."""


def _lock_wait() -> float:
    try:
        seconds = float(os.environ.get("MDA_CODER_LOCK_WAIT", LOCK_WAIT))
    except ValueError:
        return LOCK_WAIT
    return seconds if 0 <= seconds < 86_400 else LOCK_WAIT


def _say_waiting(location: str) -> None:
    click.echo(_("waiting for another program to finish writing {project}…").format(project=location), err=True)


def _environment(exc: OSError) -> str | None:
    """A full disk, a read-only disk or a missing permission met anywhere, as one line naming the file; None: a bug."""
    from mda_coder.core.files import os_reason

    reason = os_reason(exc, writing=False)
    if not isinstance(reason, i18n.Message):
        return None
    where = exc.filename if exc.filename is not None else ""
    return f"{where}: {MESSAGES.text(reason)}" if where else MESSAGES.text(reason)


def _database_environment(exc: Exception, ctx: click.Context) -> str | None:
    """A database error that escaped a command (a lock, a full disk, a read-only project) as one line; None: a bug."""
    if "sqlalchemy" not in sys.modules:
        return None
    from sqlalchemy.exc import DBAPIError

    from mda_coder.store.environment import environment_error

    if not isinstance(exc, DBAPIError):
        return None
    said = environment_error(exc, str(ctx.meta.get(PROJECT_KEY) or "PROJECT"))
    return None if said is None else i18n.said(said)


_Resource = TypeVar("_Resource", bound=AbstractContextManager[Any])


def for_the_command(resource: _Resource) -> _Resource:
    """``resource`` (an open project's ``Database``) closed when the running command ends, however it ends.

    click's context closes what it holds when the command returns or raises, before an error
    becomes its one line; so a command opens its project with this and needs no ``finally``.
    """
    click.get_current_context().with_resource(resource)
    return resource


class ListingGroup(SaidGroup):
    """A group whose ``list`` subcommand is also what the group does given a project.

    ``mda-coder documents studie.mda`` has always listed; ``mda-coder documents remove …`` joins it
    without breaking that: a first argument that is no subcommand's name means ``list``.
    """

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        if args and args[0] not in self.commands and not args[0].startswith("-"):
            args = ["list", *args]
        return super().resolve_command(ctx, args)


def _ui_language(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
    i18n.set_language(value)


def _warn(message: str) -> None:
    click.echo(_("warning: {warning}").format(warning=i18n.MESSAGES.text(message)), err=True)


def _backups(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    """Each command starts with snapshots on (or off, for ``--no-backup``) and nothing yet said."""
    from mda_coder.services import backups

    backups.start(enabled=not value, notify=_warn)


def no_backup_option(f: Any) -> Any:
    """``--no-backup`` after a command's name too: ``mda-coder import --no-backup …``."""

    def off(ctx: click.Context, param: click.Parameter, value: bool) -> None:
        if value:
            from mda_coder.services import backups

            backups.disable()

    return click.option(
        "--no-backup",
        is_flag=True,
        expose_value=False,
        callback=off,
        help="Take no snapshot of the project first (when the disk is full, say).",
    )(f)


@click.group(cls=MdaGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="mda-coder")
@click.option(
    "--ui-language",
    type=click.Choice(i18n.LANGUAGES, case_sensitive=False),
    is_eager=True,
    expose_value=False,
    callback=_ui_language,
    help="The interface's language (default: $MDA_CODER_LANG, else the locale, else en). "
    "Not the transcripts' language: that is init's --language.",
)
@click.option(
    "--no-backup",
    is_flag=True,
    expose_value=False,
    callback=_backups,
    help="Take no snapshot of the project before a risky operation (see 'mda-coder backups').",
)
def cli() -> None:
    """Code qualitative interview and focus-group transcripts.

    A project is one file (e.g. studie.mda). Start with 'mda-coder init', then
    'mda-coder import', then code in 'mda-coder open PROJECT --coder NAME'.
    'mda-coder demo' builds and opens the bundled sample project.
    """


def main() -> None:
    try:
        cli(prog_name="mda-coder")
    except KeyboardInterrupt:
        click.echo(_("interrupted"), err=True)
        sys.exit(130)
