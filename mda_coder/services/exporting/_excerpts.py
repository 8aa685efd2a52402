"""Gather excerpts by code for the Markdown export: which codes, which codings, their turns and context."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mda_coder.core.codebook import PATH_SEPARATOR
from mda_coder.export.markdown_excerpts import CodeEntry, ContextTurn, Excerpt, ExcerptReport
from mda_coder.store import codes as code_repo
from mda_coder.store import codings as coding_repo
from mda_coder.store import documents as doc_repo
from mda_coder.store import settings
from mda_coder.store.engine import Database
from mda_coder.store.models import Coder, CodingRow, Document, MemoRow, Speaker, TurnRow


@dataclass(frozen=True)
class Selection:
    """What to export: code subtrees (paths), coders and documents; empty means all of them."""

    roots: tuple[str, ...]
    coders: tuple[str, ...]
    documents: tuple[str, ...]

    def has_code(self, path: str) -> bool:
        return not self.roots or any(path == r or path.startswith(r + PATH_SEPARATOR) for r in self.roots)

    def has(self, code_path: str, coder: str, document: str) -> bool:
        return (
            self.has_code(code_path)
            and (not self.coders or coder in self.coders)
            and (not self.documents or document in self.documents)
        )


def selection(s: Session, codes: Sequence[str], coders: Sequence[str], documents: Sequence[str]) -> Selection:
    """Check every name the user gave (one clear error for the first unknown one) and resolve code paths."""
    paths = code_repo.paths(s)
    roots = tuple(dict.fromkeys(paths[code_repo.resolve(s, c).id] for c in codes))
    for name in coders:
        coding_repo.coder(s, name, create=False)
    for name in documents:
        doc_repo.get(s, name)
    return Selection(roots, tuple(dict.fromkeys(coders)), tuple(dict.fromkeys(documents)))


@dataclass(frozen=True)
class _Coding:
    coder: str
    code_path: str
    document: str
    start: int
    end: int
    memo: str | None


def _codings(s: Session, chosen: Selection) -> list[_Coding]:
    """The chosen codings, read with one Core query: 10,000 ORM objects would cost more than the export."""
    paths = code_repo.paths(s)
    query = (
        select(
            Coder.name, CodingRow.code_id, Document.name, CodingRow.start_offset, CodingRow.end_offset, CodingRow.memo
        )
        .join(Coder, CodingRow.coder_id == Coder.id)
        .join(Document, CodingRow.document_id == Document.id)
        .order_by(Document.id, CodingRow.start_offset, CodingRow.end_offset, CodingRow.id)
    )
    if chosen.coders:
        query = query.where(Coder.name.in_(chosen.coders))
    if chosen.documents:
        query = query.where(Document.name.in_(chosen.documents))
    rows = (
        _Coding(coder, paths[code_id], doc, start, end, memo)
        for coder, code_id, doc, start, end, memo in s.execute(query)
    )
    return [c for c in rows if chosen.has_code(c.code_path)]


@dataclass(frozen=True)
class _Turn:
    position: int
    start: int
    end: int
    speaker: str | None
    name: str | None
    role: str | None
    time: float | None


class _Turns:
    """A document's turns, to find the turns a span begins and ends in by bisection."""

    def __init__(self, turns: list[_Turn], text: str) -> None:
        self.turns = turns
        self.text = text
        self.starts = [t.start for t in turns]
        self.ends = [t.end for t in turns]

    def around(self, start: int, end: int) -> tuple[int, int] | None:
        """Indexes of the first and last turn the span ``[start, end)`` overlaps; ``None`` if it overlaps none."""
        first = bisect_right(self.ends, start)
        last = bisect_left(self.starts, end) - 1
        return (first, last) if first <= last else None

    def context(self, indexes: range) -> tuple[ContextTurn, ...]:
        """The turns at ``indexes`` that exist; a range past the document's ends (``--context`` of millions) is cut to it."""
        inside = range(max(indexes.start, 0), min(indexes.stop, len(self.turns)))
        return tuple(
            ContextTurn(t.position, t.speaker, self.text[t.start : t.end]) for t in (self.turns[i] for i in inside)
        )


def _turn_index(s: Session, names: set[str]) -> dict[str, _Turns]:
    docs = {d.name: d for d in s.scalars(select(Document).where(Document.name.in_(names)))} if names else {}
    result = {}
    for name, doc in docs.items():
        rows = s.execute(
            select(
                TurnRow.position,
                TurnRow.start_offset,
                TurnRow.end_offset,
                Speaker.label,
                Speaker.display_name,
                Speaker.role,
                TurnRow.time_start,
            )
            .outerjoin(Speaker, TurnRow.speaker_id == Speaker.id)
            .where(TurnRow.document_id == doc.id)
            .order_by(TurnRow.start_offset)
        ).all()
        result[name] = _Turns([_Turn(*r) for r in rows], doc.text)
    return result


def _excerpts(
    codings: list[_Coding], groups: dict[str, str | None], turns: dict[str, _Turns], context: int
) -> list[Excerpt]:
    merged: dict[tuple[str, int, int], list[_Coding]] = {}
    for c in codings:
        merged.setdefault((c.document, c.start, c.end), []).append(c)
    result = []
    for (document, start, end), same in merged.items():
        index = turns[document]
        found = index.around(start, end)
        first = index.turns[found[0]] if found else None
        last = index.turns[found[1]] if found else None
        result.append(
            Excerpt(
                document=document,
                group=groups.get(document),
                start=start,
                end=end,
                text=index.text[start:end],
                turn=first.position if first else None,
                last_turn=last.position if last else None,
                speaker=first.speaker if first else None,
                name=first.name if first else None,
                role=first.role if first else None,
                time=first.time if first else None,
                coders=tuple(sorted({c.coder for c in same})),
                memos=tuple((c.coder, c.memo) for c in sorted(same, key=lambda c: c.coder) if c.memo),
                before=index.context(range(found[0] - context, found[0])) if found and context else (),
                after=index.context(range(found[1] + 1, found[1] + 1 + context)) if found and context else (),
            )
        )
    return result


def excerpt_report(
    db: Database,
    *,
    codes: Sequence[str] = (),
    coders: Sequence[str] = (),
    documents: Sequence[str] = (),
    language: str | None = None,
    context: int = 0,
) -> ExcerptReport:
    """Excerpts of the chosen codes (with their sub-codes) by the chosen coders, in code-tree order.

    A code is listed when it has excerpts or was asked for by name, and so is every code above a
    listed one, so that the headings follow the code tree.
    """
    with db.transaction() as s:
        chosen = selection(s, codes, coders, documents)
        project = settings.get(s, "name", "") or ""
        language = language or settings.get(s, "language")
        book = code_repo.export_codebook(s, project, language)
        paths = {path: code_id for code_id, path in code_repo.paths(s).items()}
        codings = _codings(s, chosen)
        doc_order = {name: i for i, name in enumerate(s.scalars(select(Document.name).order_by(Document.id)))}
        groups = dict(s.execute(select(Document.name, Document.group_name)).all())
        turns = _turn_index(s, {c.document for c in codings})
        code_memos: dict[int | None, list[str]] = {}
        for target, text in s.execute(
            select(MemoRow.target_id, MemoRow.text).where(MemoRow.target_kind == "code").order_by(MemoRow.id)
        ):
            code_memos.setdefault(target, []).append(text)
    by_code: dict[str, list[_Coding]] = {}
    for c in codings:
        by_code.setdefault(c.code_path, []).append(c)
    listed = set(by_code) | set(chosen.roots)
    for path in list(listed):
        parts = path.split(PATH_SEPARATOR)
        listed |= {PATH_SEPARATOR.join(parts[:i]) for i in range(1, len(parts))}
    entries = []
    for path, code in book.walk():
        if path not in listed:
            continue
        excerpts = _excerpts(by_code.get(path, []), groups, turns, context)
        excerpts.sort(key=lambda e: (doc_order[e.document], e.start, e.end))
        entries.append(
            CodeEntry(
                path=path,
                name=code.name,
                depth=path.count(PATH_SEPARATOR),
                definition=code.definition.best(language),
                use_when=code.use_when.best(language),
                dont_use_when=code.dont_use_when.best(language),
                example=code.example.best(language),
                excerpts=tuple(excerpts),
                memos=tuple(code_memos.get(paths[path], ())),
                has_children=any(p.startswith(path + PATH_SEPARATOR) for p in listed),
            )
        )
    return ExcerptReport(project=project, coders=chosen.coders, codes=tuple(entries))
