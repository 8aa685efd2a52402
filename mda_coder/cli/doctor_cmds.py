"""``mda-coder doctor``: check a project's database, repair what is safe, and say what is left."""

from __future__ import annotations

import click

from mda_coder.cli.app import cli
from mda_coder.cli.output import console, emit_json, say, table
from mda_coder.i18n import CLI, MESSAGES, N_
from mda_coder.services import doctor

_ = CLI.gettext
ngettext = CLI.ngettext
SHOWN = 3
"""How many problems of each check a person sees; ``--json`` gives each check's first twenty."""


@cli.command(name="doctor")
@click.argument("project", metavar="PROJECT")
@click.option(
    "--repair",
    is_flag=True,
    help="Fix what has one safe answer, in one transaction, naming every change; report the rest.",
)
@click.option(
    "--quick", is_flag=True, help="SQLite's quick check instead of the full integrity check (faster on a large file)."
)
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts instead of a table.")
@click.pass_context
def doctor_command(ctx: click.Context, project: str, repair: bool, quick: bool, as_json: bool) -> None:
    """Check PROJECT's database: the file, references, codings, turns, sentences, the journal, memos, the code tree.

    Exit status 0 when nothing is wrong (after --repair: nothing is left), 1 otherwise.
    """
    found = doctor.examine(project, repair=repair, quick=quick)
    if as_json:
        emit_json(
            {
                "project": found.location,
                "clean": found.problems == 0,
                "problems": found.problems,
                "checks": [
                    {
                        "check": c.name,
                        "title": str(c.title),
                        "checked": c.checked,
                        "problems": c.problems,
                        "examples": [str(e) for e in c.examples],
                        "repaired": [str(r) for r in c.repaired],
                        "note": None if c.note is None else str(c.note),
                        "skipped": c.skipped,
                    }
                    for c in found.checks
                ],
            }
        )
    else:
        _show(found)
    if found.problems:
        ctx.exit(1)


def _show(found: doctor.Diagnosis) -> None:
    out = console()
    columns = [N_("what is checked"), N_("checked"), N_("problems")] + ([N_("repaired")] if found.repaired else [])
    table(
        found.location,
        columns,
        [(c.title, c.checked, c.problems, *([len(c.repaired)] if found.repaired else [])) for c in found.checks],
        justify_right=[N_("checked"), N_("problems"), N_("repaired")],
    )
    for c in found.checks:
        if not (c.problems or c.repaired or c.skipped):
            continue
        say(out)
        say(out, f"{MESSAGES.text(c.title)}:")
        for example in c.examples[:SHOWN]:
            say(out, f"  {MESSAGES.text(example)}")
        if c.problems > SHOWN:
            more = c.problems - SHOWN
            say(out, "  " + ngettext("… and {n} more", "… and {n} more", more).format(n=more))
        for change in c.repaired:
            say(out, "  " + _("repaired: {change}").format(change=MESSAGES.text(change)))
        if c.note:
            say(out, f"  {MESSAGES.text(c.note)}")
    say(out)
    if found.problems == 0:
        say(
            out,
            _("No problems: the project is sound.")
            if not any(c.repaired for c in found.checks)
            else _("No problems left after the repair."),
        )
    else:
        say(out, ngettext("{n} problem found.", "{n} problems found.", found.problems).format(n=found.problems))
