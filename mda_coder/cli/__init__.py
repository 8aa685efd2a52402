"""The command line: parse, call one service, print (rich tables for people, ``--json`` for scripts)."""

from mda_coder.cli.app import COMMANDS, cli, main

__all__ = ["COMMANDS", "cli", "load_all", "main"]


def load_all() -> None:
    """Import every command module, so that ``cli.commands`` holds every command (tests, docs)."""
    import importlib

    for module in sorted(set(COMMANDS.values())):
        importlib.import_module(f"mda_coder.cli.{module}")
