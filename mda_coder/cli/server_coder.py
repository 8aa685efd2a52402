"""Who a command acts as when the project is on a team server: the role's coder wins over ``--coder``."""

from __future__ import annotations

import click

from mda_coder.core.actor import system_actor
from mda_coder.services import server
from mda_coder.store.engine import Database


def acting_coder(db: Database, coder: str | None) -> str:
    """The coder a command that needs one acts as: on a team server the role's (another is refused), else ``--coder``.

    ``--coder`` may be left out on a team server; on a project file it is required, and its
    absence is said as click says a missing option.
    """
    who = server.acting_coder(db, coder)
    if who is None:
        ctx = click.get_current_context()
        param = next(p for p in ctx.command.params if p.name == "coder")
        raise click.MissingParameter(ctx=ctx, param=param)
    return who


def acting_person(db: Database, named: str | None = None) -> str:
    """Who an undoable project-level step (a merge, a document removed) is journalled as, so that undo finds it.

    ``--as NAME`` when given; on a team server the role's coder (``mda-coder undo`` there acts as
    it); else you, the computer's user.
    """
    named = (named or "").strip() or None
    return server.acting_coder(db, named) or named or system_actor()
