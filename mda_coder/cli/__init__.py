"""The command line: parse, call one service, print (rich tables for people, ``--json`` for scripts)."""

from mda_coder.cli.app import cli, main
from mda_coder.cli import agreement_cmds, coding_cmds, describe_cmds, project_cmds  # noqa: F401,E402  (each registers its commands)

__all__ = ["cli", "main"]
