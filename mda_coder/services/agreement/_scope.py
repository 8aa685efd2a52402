"""What both agreement use cases (on units and on characters) read first: the coders, the codes in scope, the groups."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mda_coder.core.codebook import PATH_SEPARATOR
from mda_coder.core.names import not_found
from mda_coder.i18n import Message
from mda_coder.store import codes as code_repo
from mda_coder.store.models import Coder, CodeRow, ExclusiveGroupRow


@dataclass(frozen=True, slots=True)
class Scope:
    """The coders and codes one comparison covers, read in its transaction."""

    coder_ids: dict[str, int]
    in_scope: dict[int, str]
    """Code id to path: the codes asked for and their sub-codes, or every code."""
    parents: dict[int, int | None]
    """Every code's parent, to credit a sub-code's codings to the codes above it."""
    groups: list[tuple[str, tuple[int, ...]]]
    """Each exclusive group's name and member code ids, by name; members in codebook order."""


def read_scope(s: Session, names: Sequence[str], codes: Sequence[str] | None) -> Scope:
    """The coders by name (an unknown one is an error naming the known ones) and the codes by path or name."""
    coder_ids = dict(s.execute(select(Coder.name, Coder.id).where(Coder.name.in_(names))).all())
    unknown = [n for n in names if n not in coder_ids]
    if unknown:
        raise not_found(
            Message("unknown coder '{name}'", name=unknown[0]),
            unknown[0],
            s.scalars(select(Coder.name).order_by(Coder.name)),
            Message("coders"),
        )
    all_paths = code_repo.paths(s)
    if codes:
        roots = [all_paths[code_repo.resolve(s, ref).id] for ref in codes]
        in_scope = {
            i: p for i, p in all_paths.items() if any(p == r or p.startswith(r + PATH_SEPARATOR) for r in roots)
        }
    else:
        in_scope = dict(all_paths)
    parents: dict[int, int | None] = dict(s.execute(select(CodeRow.id, CodeRow.parent_id)).all())
    members: dict[int, list[int]] = {}
    for code_id, group_id in s.execute(
        select(CodeRow.id, CodeRow.exclusive_group_id)
        .where(CodeRow.exclusive_group_id.is_not(None))
        .order_by(CodeRow.position, CodeRow.id)
    ):
        if group_id is not None:
            members.setdefault(group_id, []).append(code_id)
    groups = [
        (name, tuple(members.get(gid, ())))
        for gid, name in s.execute(
            select(ExclusiveGroupRow.id, ExclusiveGroupRow.name).order_by(ExclusiveGroupRow.name)
        )
    ]
    return Scope(coder_ids, in_scope, parents, groups)
