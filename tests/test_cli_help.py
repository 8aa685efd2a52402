"""Every command explains itself: help on each command, group and option, and a mention in the README.

The whole click tree is walked (sub-groups too), as ``mda-coder --help`` would find it. A command
that takes its kind as a choice (``report frequencies``, ``export qdpx``) counts each choice as a
command of its own for the README: a reader looks for ``report sequences``, not for ``report``.
"""

from __future__ import annotations

import inspect
import re
from collections.abc import Iterator
from pathlib import Path

import click
import pytest

from mda_coder.cli import cli

README = Path(__file__).resolve().parents[1] / "README.md"

KIND_ARGUMENTS = {"report": "kind", "export": "fmt"}
"""Commands whose first choice argument names what they do; each choice needs its own README mention."""


def walk(
    group: click.Group, path: tuple[str, ...], ctx: click.Context
) -> Iterator[tuple[tuple[str, ...], click.Command]]:
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        assert command is not None, f"{' '.join((*path, name))} is listed but cannot be loaded"
        yield (*path, name), command
        if isinstance(command, click.Group):
            yield from walk(command, (*path, name), click.Context(command, info_name=name, parent=ctx))


COMMANDS = list(walk(cli, (), click.Context(cli, info_name="mda-coder")))


def full_names() -> list[str]:
    """Every command's full name, and ``command choice`` for the commands of ``KIND_ARGUMENTS``."""
    names = []
    for path, command in COMMANDS:
        if isinstance(command, click.Group):
            continue
        names.append(" ".join(path))
        kind = KIND_ARGUMENTS.get(" ".join(path))
        if kind:
            (argument,) = [p for p in command.params if p.name == kind]
            assert isinstance(argument.type, click.Choice)
            names.extend(f"{' '.join(path)} {choice}" for choice in argument.type.choices)
    return names


def readme_command_lines() -> list[list[str]]:
    """The README's code, as the words that follow each ``mda-coder`` (or that open a code span).

    Code is a line of a fenced block (up to its ``#`` comment, which is read as prose) or a code span.
    """
    lines, prose, fenced = [], [], False
    for line in README.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):  # a fence opens or closes (an inline "` ``` `" is not one)
            fenced = not fenced
        elif fenced:
            command, _, comment = line.partition(" #")
            lines.append(command)
            prose.append(comment)
        else:
            prose.append(line)
    spans = re.findall(r"`([^`]+)`", "\n".join(prose))
    words = []
    for snippet in [*lines, *spans]:
        for piece in re.split(r"\s(?:\||&&|;)\s", snippet):  # a pipe or the next command
            for part in piece.split("mda-coder ")[1:]:
                words.append(part.split())
            if "mda-coder" not in piece:
                words.append(piece.split())
    return words


def mentioned(name: str, lines: list[list[str]]) -> bool:
    """``report frequencies`` is in ``mda-coder report studie.mda frequencies`` or a span ``report frequencies``."""
    path = name.split()
    for words in lines:
        if words[: len(path)] == path:
            return True
        command = " ".join(path[:-1])
        if command in KIND_ARGUMENTS and words[: len(path) - 1] == path[:-1] and path[-1] in words[len(path) - 1 :]:
            return True
    return False


@pytest.mark.parametrize(
    ("path", "command"), [((), cli), *COMMANDS], ids=lambda v: " ".join(v) if isinstance(v, tuple) else ""
)
def test_every_command_and_group_has_help(path: tuple[str, ...], command: click.Command) -> None:
    name = " ".join(path) or "mda-coder"
    assert command.help and command.help.strip(), f"{name} has no help text"
    assert command.get_short_help_str(limit=80).strip(), f"{name} has no short help"
    if command.callback is not None:
        assert inspect.getdoc(command.callback), f"{name}: its function has no docstring"


@pytest.mark.parametrize(
    ("path", "command"), [((), cli), *COMMANDS], ids=lambda v: " ".join(v) if isinstance(v, tuple) else ""
)
def test_every_option_has_help(path: tuple[str, ...], command: click.Command) -> None:
    missing = [
        param.opts[0]
        for param in command.params
        if isinstance(param, click.Option) and not param.hidden and not (param.help and param.help.strip())
    ]
    assert missing == [], f"{' '.join(path) or 'mda-coder'}: options without help"


def test_every_command_is_mentioned_in_the_readme() -> None:
    lines = readme_command_lines()
    assert [name for name in full_names() if not mentioned(name, lines)] == []


def test_the_walk_reaches_sub_groups_and_choices() -> None:
    names = full_names()
    assert {"backups take", "codings apply", "report frequencies", "export qdpx", "memos add"} <= set(names)
    assert "backups" not in names  # a group is no command of its own
    lines = readme_command_lines()
    assert mentioned("report sequences", lines) and mentioned("speakers list", lines)
    assert not mentioned("report heatmap", lines) and not mentioned("backups prune", lines)
