"""Edit the code tree: add, rename, move, merge and describe codes; each change journalled and undoable.

The rules are those of YAML codebooks (``core.code_rules``): names unique under one parent and
without ``/``, colours ``#rrggbb``, one-character keys unique in the project.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from mda_coder.core.coding import CodeInfo
from mda_coder.services import backups
from mda_coder.services.codebook import _tree as code_tree
from mda_coder.services.codebook._merge import MergeSummary, merge_in, summary
from mda_coder.store import codes as code_repo
from mda_coder.store import codings as coding_repo
from mda_coder.store import journal
from mda_coder.store.engine import Database
from mda_coder.store.models import CodeRow
from mda_coder.store.snapshots import code_snapshot

__all__ = ["MergeSummary", "add_code", "edit_code", "merge_codes", "move_code", "rename_code"]


def _actor(session: Session, coder: str) -> str:
    return coding_repo.coder(session, coder).name


def _texts(current: dict[str, Any] | None, text: str, language: str, project_language: str) -> dict[str, Any]:
    """``current`` with ``language``'s text set (or removed, for blank text).

    A text without a language (a plain string in the YAML) is taken to be in the project language.
    """
    result = dict(current or {})
    if language == project_language and "" in result:
        del result[""]
    if text.strip():
        result[language] = text.strip()
    else:
        result.pop(language, None)
    return result


def add_code(
    db: Database,
    name: str,
    *,
    parent: str | None = None,
    definition: str | None = None,
    color: str | None = None,
    key: str | None = None,
    language: str | None = None,
    coder: str,
) -> CodeInfo:
    """A new code at the end of ``parent``'s sub-codes (or of the top level).

    Under a parent whose sub-codes are one mutually exclusive group, the new code joins that group.
    """
    with db.transaction() as s:
        actor = _actor(s, coder)
        parent_row = code_repo.resolve(s, parent) if parent is not None and parent.strip() else None
        parent_id = parent_row.id if parent_row is not None else None
        name = code_tree.check_name(s, name, parent_id)
        parent_path = code_tree.path_of(s, parent_id)
        path = f"{parent_path}/{name}" if parent_path else name
        color = color.strip() or None if color is not None else None
        key = key or None
        code_tree.check_color(color, path)
        code_tree.check_key(s, key, None, path)
        siblings: set[int | None] = set()
        if parent_id is not None:
            siblings = set(s.scalars(select(CodeRow.exclusive_group_id).where(CodeRow.parent_id == parent_id)))
        project_language = code_tree.project_language(s)
        row = CodeRow(
            parent_id=parent_id,
            name=name,
            position=code_tree.next_position(s, parent_id),
            color=color,
            shortcut=key,
            definition=_texts({}, definition or "", language or project_language, project_language),
            use_when={},
            dont_use_when={},
            example={},
            exclusive_group_id=siblings.pop() if len(siblings) == 1 else None,
        )
        s.add(row)
        s.flush()
        journal.record(s, actor, "code.add", "code", row.id, {"code": code_snapshot(row), "path": path})
        return code_tree.info(s, row.id)


def rename_code(db: Database, code: str, new_name: str, *, coder: str) -> CodeInfo:
    with db.transaction() as s:
        actor = _actor(s, coder)
        row = code_repo.resolve(s, code)
        before, path = row.name, code_tree.path_of(s, row.id)
        code_tree.set_name(s, row.id, new_name)
        if row.name != before:
            journal.record(
                s,
                actor,
                "code.rename",
                "code",
                row.id,
                {"id": row.id, "before": before, "after": row.name, "path": path},
            )
        return code_tree.info(s, row.id)


def move_code(db: Database, code: str, new_parent: str | None, *, coder: str) -> CodeInfo:
    """Put ``code`` (with its sub-codes and codings) under ``new_parent``, or at the top level for None."""
    with db.transaction() as s:
        actor = _actor(s, coder)
        row = code_repo.resolve(s, code)
        parent_id = code_repo.resolve(s, new_parent).id if new_parent is not None and new_parent.strip() else None
        if parent_id != row.parent_id:
            before = {"parent_id": row.parent_id, "position": row.position}
            path_before = code_tree.path_of(s, row.id)
            code_tree.set_parent(s, row.id, parent_id, code_tree.next_position(s, parent_id))
            journal.record(
                s,
                actor,
                "code.move",
                "code",
                row.id,
                {
                    "id": row.id,
                    "before": before,
                    "after": {"parent_id": parent_id, "position": row.position},
                    "path_before": path_before,
                    "path_after": code_tree.path_of(s, row.id),
                },
            )
        return code_tree.info(s, row.id)


def merge_codes(db: Database, source: str, target: str, *, coder: str) -> MergeSummary:
    """Merge ``source`` into ``target``: its codings become ``target``'s, its sub-codes move, it is deleted.

    A coding of ``source`` on text the same coder coded with ``target`` collapses into that
    coding, and the two memos are joined. Every coder's codings move: a merge is a codebook change.
    A snapshot of the project is taken first.
    """
    backups.before(db.location, "merge")
    with db.transaction() as s:
        actor = _actor(s, coder)
        data = merge_in(s, code_repo.resolve(s, source).id, code_repo.resolve(s, target).id)
        journal.record(s, actor, "code.merge", "code", data["source"]["id"], data)
        return summary(s, data)


def edit_code(
    db: Database,
    code: str,
    *,
    definition: str | None = None,
    use_when: str | None = None,
    dont_use_when: str | None = None,
    example: str | None = None,
    color: str | None = None,
    key: str | None = None,
    language: str | None = None,
    coder: str,
) -> CodeInfo:
    """Change a code's texts (in ``language``, the project's by default), colour or key.

    None leaves a field as it is; an empty string clears it.
    """
    with db.transaction() as s:
        actor = _actor(s, coder)
        row = code_repo.resolve(s, code)
        project_language = code_tree.project_language(s)
        before = code_tree.fields_of(row)
        after: dict[str, Any] = {}
        texts = {"definition": definition, "use_when": use_when, "dont_use_when": dont_use_when, "example": example}
        for field, text in texts.items():
            if text is not None:
                after[field] = _texts(before[field], text, language or project_language, project_language)
        if color is not None:
            after["color"] = color.strip() or None
        if key is not None:
            after["key"] = key or None
        after = {f: v for f, v in after.items() if v != before[f]}
        if after:
            code_tree.set_fields(s, row.id, after)
            journal.record(
                s,
                actor,
                "code.edit",
                "code",
                row.id,
                {
                    "id": row.id,
                    "path": code_tree.path_of(s, row.id),
                    "before": {f: before[f] for f in after},
                    "after": after,
                },
            )
        return code_tree.info(s, row.id)
