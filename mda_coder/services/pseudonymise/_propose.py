"""Propose a key from what the project holds, and list the names a key leaves in the texts."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from mda_coder.core import files
from mda_coder.core.errors import MdaError
from mda_coder.export.name_key import write_key
from mda_coder.i18n import Message
from mda_coder.ingest.name_key import read_key, read_names
from mda_coder.nlp.names import KINDS
from mda_coder.services.project import open_project
from mda_coder.services.pseudonymise._candidates import names_left, proposal
from mda_coder.services.pseudonymise._values import KeyProposal, NameLeft
from mda_coder.store.engine import is_url


def local(target: str | Path) -> None:
    """Refuse a project on a server: the journal's triggers there belong to the server's owner, and no VACUUM frees its pages."""
    if is_url(target):
        raise MdaError(
            Message(
                "{location}: pseudonymise works on project files, not on a server's database (the server keeps "
                "old rows in its own files and backups); pseudonymise a project file before it goes to a server",
                location=str(target).split("@")[-1],
            )
        )


def propose_key(target: str | Path, key: Path, *, names: Path | None = None) -> KeyProposal:
    """Write a proposed key to ``key`` (which must not exist): every name found, each with a plain pseudonym."""
    local(target)
    listed = read_names(names) if names is not None else ()
    db = open_project(target)
    try:
        with db.transaction() as s:
            found = proposal(s, listed)
    finally:
        db.close()
    files.write_text(key, lambda out: write_key(out, ((n.original, n.pseudonym, n.kind, n.where) for n in found)))
    kinds = Counter(n.kind for n in found)
    return KeyProposal(str(key), tuple(found), {k: kinds[k] for k in KINDS if kinds[k]})


def check_names(target: str | Path, *, key: Path | None = None) -> list[NameLeft]:
    """Capitalised words in the texts that look like names and that ``key`` (both its sides) does not cover."""
    rows = read_key(key) if key is not None else ()
    db = open_project(target)
    try:
        with db.transaction() as s:
            return names_left(s, [w for r in rows for w in (r.original, r.pseudonym)])
    finally:
        db.close()
