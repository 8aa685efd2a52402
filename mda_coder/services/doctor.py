"""Check a project's database and repair what has one safe answer: ``mda-coder doctor``.

SQLite's integrity check reads every page of the file and is most of the cost on a large
project; it runs on a connection of its own in a second thread (SQLite lets go of the GIL while
it works), while this thread runs the project's own checks, so the whole takes about as long as
the integrity check alone. A repair is one transaction: all of it or nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

from mda_coder.core.errors import ProjectError
from mda_coder.i18n import Message
from mda_coder.services import backups
from mda_coder.services.history import UNDOABLE
from mda_coder.services.project import open_project
from mda_coder.store import doctor
from mda_coder.store.doctor import Check
from mda_coder.store.engine import Database
from mda_coder.store.migrations import restore_journal_triggers


@dataclass(frozen=True)
class Diagnosis:
    """What the doctor found in one project, check by check."""

    location: str
    checks: tuple[Check, ...]
    repaired: bool
    """Whether ``--repair`` was asked for (each check lists what it changed)."""

    @property
    def problems(self) -> int:
        """Problems found and not repaired: 0 means the project is clean now."""
        return sum(c.problems - len(c.repaired) for c in self.checks)


def _guarded(name: str, run: Callable[[], Check]) -> Check:
    """A check's result, or, when a damaged page stops it, a problem saying so (never a traceback)."""
    try:
        return run()
    except DBAPIError as exc:
        return doctor.unreadable(name, exc)


def _integrity(db: Database, quick: bool) -> Check:
    def run() -> Check:
        with db.engine.connect() as conn:
            return doctor.integrity(conn, quick)

    return _guarded("integrity", run)


def examine(target: str | Path, *, repair: bool = False, quick: bool = False) -> Diagnosis:
    """Run every check on the project at ``target``; with ``repair``, fix what is safe in one transaction."""
    db = open_project(target)
    try:
        return examine_open(db, repair=repair, quick=quick)
    finally:
        db.close()


def examine_open(db: Database, *, repair: bool = False, quick: bool = False) -> Diagnosis:
    """As ``examine``, on a project already open."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        whole = pool.submit(_integrity, db, quick)
        if repair and whole.result().problems:
            # A broken page can make rows look orphaned (a lost page of codes orphans their codings):
            # repairing on top of the damage could delete what only looks lost. Check, change nothing.
            repair = False
            whole.result().note = Message(
                "--repair changed nothing: a damaged file is not repaired on top of its "
                "damage; restore a backup, or rebuild it with sqlite3's .recover first"
            )
        if repair:
            backups.before(db.location, "repair")  # what the repair changes can be had back: mda-coder backups restore
        with db.engine.connect() as conn, conn.begin() as transaction:
            if repair:
                # All or nothing: a repair that cannot read or write a row changes nothing at all.
                try:
                    checks = [run() for _, run in _plan(conn, doctor.document_lengths(conn), repair)]
                    transaction.commit()
                except DBAPIError as exc:
                    transaction.rollback()
                    raise ProjectError(
                        Message(
                            "{location}: not repaired, nothing was changed ({reason})",
                            location=db.location,
                            reason=str(exc.orig or exc).splitlines()[0],
                        )
                    ) from None
            else:
                try:
                    documents = doctor.document_lengths(conn)
                except DBAPIError:
                    documents = {}  # the text checks then read nothing; the integrity check says why
                checks = [_guarded(name, run) for name, run in _plan(conn, documents, repair)]
                transaction.rollback()
        return Diagnosis(db.location, (whole.result(), *checks), repair)


def _plan(
    conn: Connection, documents: dict[int, tuple[str, int]], repair: bool
) -> list[tuple[str, Callable[[], Check]]]:
    """Every check after the integrity check, in the order they run and are shown."""
    return [
        ("foreign_keys", lambda: doctor.foreign_keys(conn, repair)),
        ("codings", lambda: doctor.codings(conn, documents)),
        ("turns", lambda: doctor.turns(conn, documents)),
        ("sentences", lambda: doctor.sentences(conn, documents)),
        ("journal", lambda: doctor.journal(conn, repair, UNDOABLE, restore_journal_triggers)),
        ("memos", lambda: doctor.memos(conn)),
        ("flags", lambda: doctor.flags(conn, documents)),
        ("search_index", lambda: doctor.search_index(conn, repair)),
        ("code_tree", lambda: doctor.code_tree(conn)),
        ("identity", lambda: doctor.identity(conn, repair)),
    ]
