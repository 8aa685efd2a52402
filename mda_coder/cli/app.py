"""The ``mda-coder`` command group and the error handling every command shares."""

from __future__ import annotations

import sys
from typing import Any

import click

from mda_coder import __version__
from mda_coder.core.errors import MdaError


class MdaGroup(click.Group):
    """A group that turns user mistakes into one line on stderr and exit status 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except MdaError as exc:
            raise click.ClickException(str(exc)) from None


@click.group(cls=MdaGroup, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="mda-coder")
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
