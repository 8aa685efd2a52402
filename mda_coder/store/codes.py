"""Codes and exclusive groups: resolve code paths, merge codebooks in, read them back out."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from mda_coder.core.codebook import PATH_SEPARATOR, Codebook, CodeDef, ExclusiveGroup, Texts, split_path
from mda_coder.core.coding import CodeInfo
from mda_coder.core.errors import MdaError, NotFoundError
from mda_coder.core.names import not_found
from mda_coder.i18n import Message
from mda_coder.store.models import CodeRow, CodingRow, ExclusiveGroupRow


def paths(session: Session) -> dict[int, str]:
    """Every code's full path by id (codebooks are small: one query, walked in memory)."""
    rows = session.execute(select(CodeRow.id, CodeRow.parent_id, CodeRow.name)).all()
    parent = {r.id: r.parent_id for r in rows}
    name = {r.id: r.name for r in rows}
    cache: dict[int, str] = {}

    def path(code_id: int) -> str:
        if code_id not in cache:
            p = parent[code_id]
            cache[code_id] = name[code_id] if p is None else f"{path(p)}{PATH_SEPARATOR}{name[code_id]}"
        return cache[code_id]

    return {code_id: path(code_id) for code_id in name}


def _by_path(session: Session, path: str) -> CodeRow | None:
    parent_id: int | None = None
    row: CodeRow | None = None
    for part in split_path(path):
        same_parent = CodeRow.parent_id.is_(None) if parent_id is None else CodeRow.parent_id == parent_id
        row = session.scalar(select(CodeRow).where(same_parent, CodeRow.name == part))
        if row is None:
            return None
        parent_id = row.id
    return row


def resolve(session: Session, ref: str) -> CodeRow:
    """The code a user means by ``ref``: a path (``jobbfokus/kandidatspråk``) or a unique name."""
    ref = ref.strip()
    if PATH_SEPARATOR in ref:
        row = _by_path(session, ref)
        if row is not None:
            return row
    else:
        rows = session.scalars(select(CodeRow).where(CodeRow.name == ref)).all()
        if not rows:
            rows = [r for r in session.scalars(select(CodeRow)) if r.name.casefold() == ref.casefold()]
        if len(rows) == 1:
            return rows[0]
        if len(rows) > 1:
            all_paths = paths(session)
            options = ", ".join(sorted(all_paths[r.id] for r in rows))
            raise MdaError(
                Message("code name '{ref}' is ambiguous ({options}): give its path", ref=ref, options=options)
            )
    raise unknown_code(session, ref)


def families(session: Session, refs: Iterable[str]) -> set[int]:
    """The ids of the codes ``refs`` name and of every code under them: what ``--codes`` means."""
    all_paths = paths(session)
    roots = [all_paths[resolve(session, ref).id] for ref in refs]
    return {i for i, p in all_paths.items() if any(p == r or p.startswith(r + PATH_SEPARATOR) for r in roots)}


def unknown_code(session: Session, ref: str, head: str | None = None) -> NotFoundError:
    """The error for a code nobody has: the closest codes by name or path, and where to see them all."""
    all_paths = sorted(paths(session).values())
    # A path is compared with paths; a name with the codes' own names, each suggested by its path.
    known = {p: p for p in all_paths} if PATH_SEPARATOR in ref else {}
    for p in all_paths:
        known.setdefault(split_path(p)[-1], p)
    hint = (
        Message("the project has no codes; import a codebook first")
        if not all_paths
        else Message("see 'mda-coder codebook list'")
    )
    return not_found(head or Message("unknown code '{ref}'", ref=ref), ref, known, Message("codes"), hint=hint)


def infos(session: Session, language: str | None) -> list[CodeInfo]:
    all_paths = paths(session)
    rows = session.scalars(select(CodeRow)).all()
    order = {r.id: (r.position, r.id) for r in rows}
    by_id = {r.id: r for r in rows}

    def sort_key(row: CodeRow) -> tuple[tuple[int, int], ...]:
        chain = []
        current: CodeRow | None = row
        while current is not None:
            chain.append(order[current.id])
            current = by_id.get(current.parent_id) if current.parent_id is not None else None
        return tuple(reversed(chain))

    return [
        CodeInfo(
            id=r.id,
            path=all_paths[r.id],
            name=r.name,
            parent_id=r.parent_id,
            color=r.color,
            key=r.shortcut,
            definition=Texts.of(r.definition).best(language),
        )
        for r in sorted(rows, key=sort_key)
    ]


def coding_counts(session: Session) -> dict[int, int]:
    return dict(session.execute(select(CodingRow.code_id, func.count()).group_by(CodingRow.code_id)).all())


@dataclass(frozen=True)
class MergeResult:
    created: tuple[str, ...]
    updated: tuple[str, ...]
    groups: tuple[str, ...]
    warnings: tuple[str, ...] = ()


def merge_codebook(session: Session, codebook: Codebook) -> MergeResult:
    """Add a codebook's codes to the project, updating codes that exist at the same path."""
    created: list[str] = []
    updated: list[str] = []
    warnings: list[str] = []
    ids: dict[str, int] = {}
    key_owner = {r.shortcut: r.id for r in session.scalars(select(CodeRow).where(CodeRow.shortcut.is_not(None)))}
    for position, (path, code) in enumerate(codebook.walk()):
        parts = split_path(path)
        parent_id = ids.get(PATH_SEPARATOR.join(parts[:-1])) if len(parts) > 1 else None
        row = _by_path(session, path)
        if row is None:
            row = CodeRow(parent_id=parent_id, name=code.name, position=position)
            session.add(row)
            created.append(path)
        else:
            updated.append(path)
        row.color = code.color or row.color
        row.definition = code.definition.as_dict() or row.definition
        row.use_when = code.use_when.as_dict() or row.use_when
        row.dont_use_when = code.dont_use_when.as_dict() or row.dont_use_when
        row.example = code.example.as_dict() or row.example
        session.flush()
        if code.key:
            owner = key_owner.get(code.key)
            if owner is not None and owner != row.id:
                # Codebooks made to be used alone often share digit keys; the project's keys win.
                other = paths(session)[owner]
                warnings.append(f"key '{code.key}' of '{path}' is already the key of '{other}': '{path}' has no key")
            else:
                row.shortcut = code.key
                key_owner[code.key] = row.id
        ids[path] = row.id
    groups = []
    for group in codebook.exclusive_groups:
        grow = session.scalar(select(ExclusiveGroupRow).where(ExclusiveGroupRow.name == group.name))
        if grow is None:
            grow = ExclusiveGroupRow(name=group.name, description=group.description)
            session.add(grow)
            session.flush()
        else:
            grow.description = group.description or grow.description
        for member in group.codes:
            member_row = _by_path(session, member)
            if member_row is None:
                raise unknown_code(
                    session,
                    member,
                    Message("exclusive group '{group}' names unknown code '{code}'", group=group.name, code=member),
                )
            member_row.exclusive_group_id = grow.id
        groups.append(group.name)
    session.flush()
    return MergeResult(tuple(created), tuple(updated), tuple(groups), tuple(warnings))


def export_codebook(session: Session, name: str, language: str | None) -> Codebook:
    """The project's code tree as a codebook value (children in their stored order)."""
    rows = session.scalars(select(CodeRow).order_by(CodeRow.position, CodeRow.id)).all()
    children: dict[int | None, list[CodeRow]] = {}
    for r in rows:
        children.setdefault(r.parent_id, []).append(r)

    def build(row: CodeRow) -> CodeDef:
        return CodeDef(
            name=row.name,
            definition=Texts.of(row.definition),
            use_when=Texts.of(row.use_when),
            dont_use_when=Texts.of(row.dont_use_when),
            example=Texts.of(row.example),
            color=row.color,
            key=row.shortcut,
            children=tuple(build(c) for c in children.get(row.id, [])),
        )

    all_paths = paths(session)
    groups = []
    for grow in session.scalars(select(ExclusiveGroupRow).order_by(ExclusiveGroupRow.id)):
        members = tuple(all_paths[r.id] for r in rows if r.exclusive_group_id == grow.id)
        groups.append(ExclusiveGroup(name=grow.name, codes=members, description=grow.description))
    return Codebook(
        name=name,
        codes=tuple(build(r) for r in children.get(None, [])),
        language=language,
        exclusive_groups=tuple(groups),
    )
