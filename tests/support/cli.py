"""The command line as a test drives it: in-process, with its exit status and what it printed."""

from __future__ import annotations

from click.testing import CliRunner

from mda_coder.cli.app import cli


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    return result.exit_code, result.output


def ok(*args: object) -> str:
    status, out = run(*args)
    assert status == 0, out
    return out


def one_line_error(*args: object) -> str:
    """The one ``Error:`` line a refused command prints (exit status 1, no traceback)."""
    status, out = run(*args)
    assert status == 1, out
    assert len(out.strip().splitlines()) == 1 and "Traceback" not in out, out
    return out.strip()
