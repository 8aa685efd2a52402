"""Apply a key to a project, or to a copy of it, in one transaction; propose a key; list names a key leaves.

Every document's text goes through the corrections (``services.corrections.apply_text``), so every
coding, turn, sentence and memo anchor stays on its words; every other string of the project (labels,
names, memos, code definitions, import doubts, flags, suggestions, consensus rows, the journal's entries)
goes through the same replacement (``_walk``). Then the search index is built again and, on SQLite,
the file is vacuumed, so that no freed page keeps an original.

It is not undoable with ``undo``: the undo data would have to hold the names. ``--reverse`` with the
key is the way back; the snapshot taken before still holds the names.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from mda_coder.core.errors import InputError, ProjectError
from mda_coder.core.reanchor import Edit
from mda_coder.i18n import Message
from mda_coder.ingest.name_key import KeyRow, read_key
from mda_coder.nlp.names import Replacer
from mda_coder.services import backups
from mda_coder.services.corrections import MovedSpan, apply_text
from mda_coder.services.project import open_project
from mda_coder.services.pseudonymise._propose import local
from mda_coder.services.pseudonymise._values import DocumentChange, Pseudonymised
from mda_coder.services.pseudonymise._walk import walk
from mda_coder.store import journal, migrations, search_index
from mda_coder.store.engine import Database, copy_file
from mda_coder.store.models import CodingRow, Document

TEXT_ACTION = "document.pseudonymise"


def _pairs(rows: Sequence[KeyRow], reverse: bool) -> list[tuple[KeyRow, str, str]]:
    return [(r, r.pseudonym, r.original) if reverse else (r, r.original, r.pseudonym) for r in rows]


def _refuse_clashes(session: Session, key: Path, pairs: Sequence[tuple[KeyRow, str, str]]) -> None:
    """A replacement that already occurs as a word in the project: after the change no one could tell them apart."""
    row_of = {new: row for row, _, new in pairs}
    row_of.update({new.upper(): row for row, _, new in pairs if new.upper() not in row_of})
    finder = Replacer((new, new) for _, _, new in pairs)
    for name, doc_text in session.execute(select(Document.name, Document.text).order_by(Document.id)):
        found = finder.find(doc_text)
        if found:
            word = found[0][0]
            raise InputError(
                Message(
                    "{path}:{line}: '{word}' already occurs in document {document}; after the change it could not "
                    "be told apart from the names it replaces (choose another)",
                    path=str(key),
                    line=row_of[word].line,
                    word=word,
                    document=name,
                )
            )
    seen: list[str] = []

    def look(value: str) -> str:
        found = finder.find(value)
        if found and not seen:
            seen.append(found[0][0])
        return value + "\0" if found else value  # "changed": the walk counts the table it is in

    where = walk(session, look, write=False)
    if seen:
        raise InputError(
            Message(
                "{path}:{line}: '{word}' already occurs in the project ({place}); after the change it could not "
                "be told apart from the names it replaces (choose another)",
                path=str(key),
                line=row_of[seen[0]].line,
                word=seen[0],
                place=", ".join(sorted(where)),
            )
        )


def _coded(session: Session, doc_id: int, text: str) -> dict[int, str]:
    """Each coding's text in the document, by the coding's id."""
    rows = session.execute(
        select(CodingRow.id, CodingRow.start_offset, CodingRow.end_offset).where(CodingRow.document_id == doc_id)
    )
    return {i: text[start:end] for i, start, end in rows}


def _replaced(text: str, replacer: Replacer) -> tuple[str, list[Edit]]:
    """The text with the key applied, and exactly the edits that did it (a name's letters, never its genitive).

    Given to the corrections as they are, not guessed by a diff: a diff reads two names side by side
    (a speaker's label and the turn's first word, ``Petra Sandberg: Petra``) as one changed region,
    where a turn's start or a coding's end would grow over the other name.
    """
    if replacer.pattern is None:
        return text, []
    pieces: list[str] = []
    edits: list[Edit] = []
    at = shift = 0
    for m in replacer.pattern.finditer(text):
        start, end = m.span(1)
        pseudonym = replacer.table[m.group(1)]
        pieces += [text[at:start], pseudonym]
        edits.append(Edit(start, end, start + shift, start + shift + len(pseudonym)))
        shift += len(pseudonym) - (end - start)
        at = end
    pieces.append(text[at:])
    return "".join(pieces), edits


def _to_review(moved: Sequence[MovedSpan]) -> list[str]:
    return [
        f"{m.coder or m.kind}, {m.code}, turn {m.turn}: '{m.old_text}' → '{m.new_text or ''}'"
        for m in moved
        if m.status in ("doubtful", "gone")
    ]


def _document(
    session: Session, doc_id: int, name: str, old_text: str, replacer: Replacer, actor: str
) -> DocumentChange | None:
    """The key applied to one document's text through the corrections; what became of its codings."""
    new_text, edits = _replaced(old_text, replacer)
    n = len(edits)
    if n == 0:
        return None
    before = _coded(session, doc_id, old_text)
    report = apply_text(session, doc_id, new_text, actor=actor, action=TEXT_ACTION, record=False, edits=edits)
    review = _to_review(report.moved)
    after = _coded(session, doc_id, new_text)
    kept = sum(1 for i, t in before.items() if after.get(i) == t)
    replaced = sum(1 for i, t in before.items() if after.get(i) != t and after.get(i) == replacer(t))
    codings = {"kept": kept, "replaced": replaced, "review": len(before) - kept - replaced}
    return DocumentChange(replacer(name), n, codings, tuple(dict.fromkeys(review)))


def apply_in(
    session: Session, key: Path, rows: Sequence[KeyRow], *, actor: str, reverse: bool, dry_run: bool
) -> tuple[list[DocumentChange], Counter[str]]:
    """The key applied in the caller's transaction: texts through the corrections, then every other string.

    A dry run does all of it too; its caller rolls the transaction back.
    """
    migrations.whole(session.connection())  # the journal's triggers are dropped and made again inside it
    pairs = _pairs(rows, reverse)
    _refuse_clashes(session, key, pairs)
    replacer = Replacer((old, new) for _, old, new in pairs)
    changes: list[DocumentChange] = []
    documents = session.execute(select(Document.id, Document.name, Document.text).order_by(Document.id)).all()
    for doc_id, name, old_text in documents:
        change = _document(session, doc_id, name, old_text, replacer, actor)
        if change is not None:
            changes.append(replace(change, document=name) if dry_run else change)
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        session.execute(text("DROP TRIGGER IF EXISTS events_no_update"))
    counted = walk(session, replacer, write=True)
    migrations.restore_journal_triggers(connection)
    if search_index.present(connection):
        search_index.rebuild(connection)
        if connection.dialect.name == "sqlite":
            connection.exec_driver_sql(f"INSERT INTO {search_index.TABLE}({search_index.TABLE}) VALUES ('optimize')")
    data = {
        "reverse": reverse,
        "names": len(rows),
        "documents": len(changes),
        "replacements": sum(c.replacements for c in changes),
        "elsewhere": dict(counted),
    }
    journal.record(session, actor, "project.pseudonymise", "project", None, data)
    return changes, counted


def _vacuum(db: Database) -> None:
    """No freed page and no journal file keeps an original: the file is rewritten and its WAL emptied."""
    with db.engine.connect() as conn:
        conn.exec_driver_sql("VACUUM")
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


class _DryRun(Exception):
    """Ends a dry run's transaction by rolling it back, with what it found."""

    def __init__(self, found: tuple[list[DocumentChange], Counter[str]]) -> None:
        super().__init__("dry run")
        self.found = found


def _run(db: Database, key: Path, rows: Sequence[KeyRow], *, actor: str, reverse: bool, dry_run: bool) -> Pseudonymised:
    try:
        with db.transaction() as s:
            found = apply_in(s, key, rows, actor=actor, reverse=reverse, dry_run=dry_run)
            if dry_run:
                raise _DryRun(found)
    except _DryRun as ended:
        found = ended.found
    if not dry_run:
        _vacuum(db)
    changes, elsewhere = found
    return Pseudonymised(db.location, str(key), dry_run, reverse, tuple(changes), dict(elsewhere))


def pseudonymise(
    target: str | Path,
    key: Path,
    *,
    actor: str,
    reverse: bool = False,
    dry_run: bool = False,
    to: Path | None = None,
) -> Pseudonymised:
    """Apply ``key`` to the project (or, with ``to``, to a new copy of it, leaving the project as it is).

    Refused before anything is written: a key that cannot be read or is inconsistent, a
    pseudonym that already occurs in the project as a word, a project on a server.
    """
    local(target)
    if to is not None:
        local(to)
    if not key.exists():
        raise InputError(
            Message(
                "{path}: no such key; propose one with: mda-coder pseudonymise {project} --key {path} --dry-run",
                path=str(key),
                project=str(target),
            )
        )
    rows = read_key(key)
    if not rows:
        raise InputError(Message("{path}: the key has no names", path=str(key)))
    if to is not None and not dry_run:
        if not Path(target).is_file():
            raise ProjectError(
                Message("{path}: no such project (create it with 'mda-coder init {path}')", path=str(target))
            )
        made: list[Pseudonymised] = []

        def change_copy(partial: Path) -> None:
            copy = Database.open(partial)
            try:
                made.append(_run(copy, key, rows, actor=actor, reverse=reverse, dry_run=False))
            finally:
                copy.close()
            for suffix in ("-wal", "-shm"):
                Path(f"{partial}{suffix}").unlink(missing_ok=True)

        copy_file(Path(target), to, then=change_copy)
        [done] = made
        return Pseudonymised(str(to), done.key, False, reverse, done.documents, done.elsewhere)
    snapshot = None if dry_run else backups.before(target, "pseudonymise")
    db = open_project(target)
    try:
        result = _run(db, key, rows, actor=actor, reverse=reverse, dry_run=dry_run)
    finally:
        db.close()
    return Pseudonymised(
        str(target),
        result.key,
        dry_run,
        reverse,
        result.documents,
        result.elsewhere,
        None if snapshot is None else str(snapshot.path),
    )
