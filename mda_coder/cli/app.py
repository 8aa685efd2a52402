"""The ``mda-coder`` command group and the error handling every command shares."""

from __future__ import annotations

import importlib
import sys
from typing import Any

import click

from mda_coder import __version__, i18n
from mda_coder.core.errors import MdaError


COMMANDS = {
    "init": "project_cmds", "import": "project_cmds", "info": "project_cmds", "documents": "corpus_cmds",
    "speakers": "corpus_cmds", "turns": "project_cmds", "sentences": "project_cmds", "codebook": "project_cmds",
    "speaker": "describe_cmds", "document": "describe_cmds", "memos": "describe_cmds", "log": "describe_cmds",
    "codings": "coding_cmds",
    "agree": "agreement_cmds",
    "report": "report_cmds",
    "export": "export_cmds",
    "import-qdpx": "refi_cmds",
    "open": "workspace_cmds", "demo": "workspace_cmds",
    "undo": "history_cmds", "redo": "history_cmds",
    "search": "search_cmds",
}
"""Each command's module in ``mda_coder.cli``, imported only when the command runs (or help lists it).

``mda-coder open`` must not pay for SQLAlchemy before its first frame; ``tests/test_cli.py``
checks that this table names every command and where it lives.
"""


class MdaGroup(click.Group):
    """A group that turns user mistakes into one line on stderr and exit status 1, and loads commands lazily."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            importlib.import_module(f"mda_coder.cli.{COMMANDS[cmd_name]}")  # it registers its commands on `cli`
        return super().get_command(ctx, cmd_name)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MdaError as exc:
            raise click.ClickException(str(exc)) from None


class ListingGroup(click.Group):
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


@click.group(cls=MdaGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="mda-coder")
@click.option("--ui-language", type=click.Choice(i18n.LANGUAGES, case_sensitive=False), is_eager=True, expose_value=False,
              callback=_ui_language, help="The interface's language (default: $MDA_CODER_LANG, else the locale, else en). "
              "Not the transcripts' language: that is init's --language.")
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
        click.echo("interrupted", err=True)
        sys.exit(130)
