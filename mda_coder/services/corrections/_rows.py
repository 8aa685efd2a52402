"""A document's rows before and after a text change: what the journal keeps of them, and putting them back.

The journal entry of a correction must be in proportion to the change, not to the document: a row
that merely shifted with the text (its span moved through the edits untouched, nothing else changed)
is not written down, since moving it through the edits again (or through the inverse edits) puts it
exactly where it was. Only the rows that changed otherwise are kept, before and after. Turn and
sentence numbers are derived (text order) and renumbered, never stored for a row that merely shifted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, DateTime, Table, delete, insert, select, update
from sqlalchemy.orm import Session

from mda_coder.core.errors import MdaError
from mda_coder.core.reanchor import KEPT, Edit, reanchor
from mda_coder.core.spans import Span
from mda_coder.i18n import Message
from mda_coder.store.models import (
    AnchorFlag,
    CodingRow,
    ConsensusDecision,
    MemoRow,
    SentenceRow,
    Speaker,
    SuggestionRow,
    TurnRow,
)
from mda_coder.store.snapshots import stored_rows

Row = dict[str, Any]
Rows = dict[str, dict[int, Row]]

_T = {
    m.__tablename__: m.__table__
    for m in (Speaker, TurnRow, SentenceRow, CodingRow, ConsensusDecision, SuggestionRow, MemoRow, AnchorFlag)
}
OFFSETS: dict[str, tuple[str, str] | None] = {
    "speakers": None,
    "turns": ("start_offset", "end_offset"),
    "sentences": ("start_offset", "end_offset"),
    "codings": ("start_offset", "end_offset"),
    "consensus_decisions": ("start_offset", "end_offset"),
    "suggestions": ("start_offset", "end_offset"),
    "memos": None,
    "anchor_flags": ("new_start", "new_end"),
}
"""Each table a correction touches, with its span columns (None: it has none that move)."""
DERIVED = {"turns": "position", "sentences": "position"}
"""Columns that are the row's rank in text order: renumbered, never kept for a row that merely shifted."""


def _plain(value: object) -> object:
    return value.isoformat() if isinstance(value, datetime) else value


def _owned(table: Table, doc_id: int, turn_ids: Sequence[int]) -> ColumnElement[bool]:
    if table.name == "memos":
        return (MemoRow.target_kind == "turn") & MemoRow.target_id.in_(list(turn_ids))
    return table.c.document_id == doc_id


def turn_ids(session: Session, doc_id: int) -> list[int]:
    return list(session.scalars(select(TurnRow.id).where(TurnRow.document_id == doc_id)))


CAPTURED = tuple(name for name in _T if name != "codings")
"""The tables :func:`capture` reads whole. Codings are the many rows: the correction itself says which of them
did not merely shift (those ``core.reanchor`` did not keep), and :func:`rows_of` reads only those."""


def _as_dicts(table: Table, rows: Sequence[Any]) -> dict[int, Row]:
    cols = [c.name for c in table.columns]
    times = {c.name for c in table.columns if isinstance(c.type, DateTime)}
    return {r[0]: {c: (_plain(v) if c in times else v) for c, v in zip(cols, r, strict=True)} for r in rows}


def capture(session: Session, doc_id: int, turns: Sequence[int]) -> Rows:
    """Every row of the document in the tables of ``CAPTURED`` (memos: those on ``turns``), by id."""
    result: Rows = {}
    for name in CAPTURED:
        table = _T[name]
        rows = session.execute(select(*table.columns).where(_owned(table, doc_id, turns))).all()
        result[name] = _as_dicts(table, rows)
    return result


def rows_of(session: Session, name: str, ids: Sequence[int]) -> dict[int, Row]:
    """The rows of table ``name`` with these ids, as :func:`capture` gives them."""
    table = _T[name]
    found: dict[int, Row] = {}
    wanted = sorted(set(ids))
    for i in range(0, len(wanted), 500):
        rows = session.execute(select(*table.columns).where(table.c.id.in_(wanted[i : i + 500]))).all()
        found.update(_as_dicts(table, rows))
    return found


def recorded(name: str, before: dict[int, Row], after: dict[int, Row]) -> dict[str, dict[str, Any]]:
    """The journal's form of rows known not to have merely shifted (before and after a correction)."""
    if not before and not after:
        return {}
    return {
        name: {"before": _columnwise(name, list(before.values())), "after": _columnwise(name, list(after.values()))}
    }


def invert(edits: Sequence[Edit]) -> list[Edit]:
    return [Edit(e.new_start, e.new_end, e.old_start, e.old_end) for e in edits]


def _moved(rows: list[Row], cols: tuple[str, str], edits: Sequence[Edit]) -> list[Span | None]:
    """Each row's span moved through ``edits`` when untouched by them; None when touched (or it has none)."""
    spans = [Span(r[cols[0]], r[cols[1]]) if r[cols[0]] is not None and r[cols[1]] is not None else None for r in rows]
    present = [s for s in spans if s is not None]
    moved = iter(reanchor(present, edits))
    result: list[Span | None] = []
    for span in spans:
        if span is None:
            result.append(None)
            continue
        m = next(moved)
        result.append(m.new if m.status == KEPT else None)
    return result


def delta(before: Rows, after: Rows, edits: Sequence[Edit]) -> dict[str, dict[str, Any]]:
    """The rows that did not merely shift, per table: ``{"before": {columns, values}, "after": {...}}``."""
    result: dict[str, dict[str, Any]] = {}
    for name in CAPTURED:
        old, new = before[name], after[name]
        cols = OFFSETS[name]
        derived = DERIVED.get(name)
        common = sorted(old.keys() & new.keys())
        plain: set[int] = set()
        if cols is None:
            plain = {i for i in common if old[i] == new[i]}
        else:
            olds = [old[i] for i in common]
            news = [new[i] for i in common]
            # A span the edits kept (none touches it) is moved back exactly by the inverse edits: one way suffices.
            fwd = _moved(olds, cols, edits)
            for i, o, n, f in zip(common, olds, news, fwd, strict=True):
                if not _same_but(o, n, (*cols, derived)):
                    continue
                if (o[cols[0]] is None and n[cols[0]] is None) or (
                    f is not None and (f.start, f.end) == (n[cols[0]], n[cols[1]])
                ):
                    plain.add(i)
        kept_before = [old[i] for i in sorted(old.keys() - plain)]
        kept_after = [new[i] for i in sorted(new.keys() - plain)]
        if kept_before or kept_after:
            result[name] = {"before": _columnwise(name, kept_before), "after": _columnwise(name, kept_after)}
    return result


def _same_but(a: Row, b: Row, skip: tuple[str | None, ...]) -> bool:
    return all(a[k] == b[k] for k in a if k not in skip)


def _columnwise(name: str, rows: list[Row]) -> dict[str, Any]:
    cols = [c.name for c in _T[name].columns]
    return {"columns": cols, "values": [[r[c] for c in cols] for r in rows]}


def _rows_of(stored: dict[str, Any] | None, table: Table) -> list[Row]:
    return stored_rows(stored, table)


def apply_text_edits(text: str, edits: Sequence[Sequence[Any]], *, forward: bool) -> str:
    """The text on the other side of stored edits ``[old_start, old_end, new_start, new_end, old, new]``."""
    pieces = []
    at = 0
    for e in edits:
        start, end, fragment = (e[0], e[1], e[5]) if forward else (e[2], e[3], e[4])
        pieces.append(text[at:start])
        pieces.append(fragment)
        at = end
    pieces.append(text[at:])
    return "".join(pieces)


def stored_edits(edits: Sequence[Edit], old: str, new: str) -> list[list[Any]]:
    return [
        [e.old_start, e.old_end, e.new_start, e.new_end, old[e.old_start : e.old_end], new[e.new_start : e.new_end]]
        for e in edits
    ]


def edits_of(stored: Sequence[Sequence[Any]], *, forward: bool) -> list[Edit]:
    edits = [Edit(e[0], e[1], e[2], e[3]) for e in stored]
    return edits if forward else invert(edits)


def fingerprint(session: Session, doc_id: int, text: str) -> str:
    """A hash of the document's text and every coding on it (coder, code, span; not row ids, which undo renews)."""
    h = hashlib.sha256(text.encode("utf-8"))
    # The rows joined into one string by the database: row objects for 20,000 codings cost a quarter of a
    # second twice per correction (bench/bench_corrections.py); this is a twentieth of that.
    conn = session.connection()
    row = "coder_id || ',' || code_id || ',' || start_offset || ',' || end_offset"
    order = "coder_id, code_id, start_offset, end_offset"
    if conn.dialect.name == "sqlite":
        sql = (
            f"SELECT group_concat(r, ';') FROM (SELECT {row} AS r FROM codings WHERE document_id = ? ORDER BY {order})"
        )
    else:
        sql = f"SELECT string_agg({row}, ';' ORDER BY {order}) FROM codings WHERE document_id = %s"
    joined = conn.exec_driver_sql(sql, (doc_id,)).scalar()
    h.update((joined or "").encode())
    return h.hexdigest()


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def shift_rows(
    session: Session, name: str, doc_id: int, edits: Sequence[Edit], skip: set[int], turns: Sequence[int]
) -> None:
    """Move every row of the table not in ``skip`` through ``edits``; each must be untouched by them."""
    cols = OFFSETS[name]
    if cols is None or not edits:
        return
    table = _T[name]
    rows = session.execute(
        select(table.c.id, table.c[cols[0]], table.c[cols[1]]).where(_owned(table, doc_id, turns))
    ).all()
    rows = [r for r in rows if r[0] not in skip and r[1] is not None]
    moved = reanchor([Span(r[1], r[2]) for r in rows], edits)
    down: list[tuple[int, int, int, int]] = []
    up: list[tuple[int, int, int, int]] = []
    for r, m in zip(rows, moved, strict=True):
        if m.status != KEPT or m.new is None:
            raise MdaError(Message("the document was changed since in a way this step cannot follow"))
        if m.new.start != r[1]:
            (down if m.new.start < r[1] else up).append((r[1], m.new.start, m.new.end, r[0]))
    # Moving left in text order and right in reverse order: no row ever lands on another's span on the way.
    down.sort()
    up.sort(reverse=True)
    _update_spans(session, table, cols, [(s, e, i) for _, s, e, i in down + up])


def _update_spans(session: Session, table: Table, cols: tuple[str, str], rows: list[tuple[int, int, int]]) -> None:
    if not rows:
        return
    conn = session.connection()
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    conn.exec_driver_sql(f"UPDATE {table.name} SET {cols[0]} = {mark}, {cols[1]} = {mark} WHERE id = {mark}", rows)


def renumber(session: Session, name: str, doc_id: int) -> None:
    """Number the document's turns (or sentences) 1, 2, … in text order, touching only those out of place."""
    table = _T[name]
    rows = session.execute(
        select(table.c.id, table.c.position).where(table.c.document_id == doc_id).order_by(table.c.start_offset)
    ).all()
    wrong = [(rank, r[0]) for rank, r in enumerate(rows, start=1) if r[1] != rank]
    if not wrong:
        return
    conn = session.connection()
    mark = "?" if conn.dialect.paramstyle == "qmark" else "%s"
    sql = f"UPDATE {name} SET position = {mark} WHERE id = {mark}"
    conn.exec_driver_sql(sql, [(-rank, i) for rank, i in wrong])
    conn.exec_driver_sql(sql, wrong)


def restore(session: Session, doc_id: int, rows: dict[str, dict[str, Any]], edits: Sequence[Edit], *, to: str) -> None:
    """Put the document's rows on the ``to`` side (``before`` or ``after``) of a correction whose text is in place.

    Rows kept on the other side only are deleted, rows kept on this side put back (same ids), every
    other row moved through ``edits`` (the edits from the current text to the wanted one).
    """
    other = "after" if to == "before" else "before"

    def side(name: str, which: str) -> list[Row]:
        return _rows_of(rows.get(name, {}).get(which), _T[name])

    def ids(name: str, which: str) -> set[int]:
        return {r["id"] for r in side(name, which)}

    turns_now = turn_ids(session, doc_id)
    wanted_turns = ids("turns", to)
    # speakers first: the turns to come back may name one the correction removed
    for row in side("speakers", to):
        if session.get(Speaker, row["id"]) is None:
            session.execute(insert(_T["speakers"]), [row])
        else:
            session.execute(update(_T["speakers"]).where(_T["speakers"].c.id == row["id"]).values(**row))
    # turns: delete those only the other side has (their sentences with them), update or insert the wanted ones
    gone_turns = ids("turns", other) - wanted_turns
    if gone_turns:
        session.execute(delete(SentenceRow).where(SentenceRow.turn_id.in_(gone_turns)))
        session.execute(delete(TurnRow).where(TurnRow.id.in_(gone_turns)))
    shift_rows(session, "turns", doc_id, edits, ids("turns", other) | wanted_turns, turns_now)
    for row in side("turns", to):
        row = {**row, "position": -1_000_000 - row["id"]}  # numbered below
        if session.get(TurnRow, row["id"]) is None:
            session.execute(insert(_T["turns"]), [row])
        else:
            session.execute(update(_T["turns"]).where(_T["turns"].c.id == row["id"]).values(**row))
    session.expire_all()
    # the rows with no children: delete every kept one, move the rest, insert the wanted ones
    for name in ("sentences", "codings", "consensus_decisions", "suggestions", "anchor_flags"):
        table = _T[name]
        recorded = ids(name, other) | ids(name, to)
        if recorded:
            session.execute(delete(table).where(table.c.id.in_(recorded)))
        shift_rows(session, name, doc_id, edits, recorded, turns_now)
        wanted = side(name, to)
        if name == "sentences":
            wanted = [{**r, "position": -1_000_000 - r["id"]} for r in wanted]
        if wanted:
            session.execute(insert(table), wanted)
    renumber(session, "turns", doc_id)
    renumber(session, "sentences", doc_id)
    memos = _T["memos"]
    for row in side("memos", to):
        if session.get(MemoRow, row["id"]) is None:
            session.execute(insert(memos), [row])
        else:
            session.execute(update(memos).where(memos.c.id == row["id"]).values(**row))
    gone_memos = ids("memos", other) - ids("memos", to)
    if gone_memos:
        session.execute(delete(memos).where(memos.c.id.in_(gone_memos)))
    gone_speakers = ids("speakers", other) - ids("speakers", to)
    if gone_speakers:
        session.execute(delete(Speaker).where(Speaker.id.in_(gone_speakers)))
    session.expire_all()
