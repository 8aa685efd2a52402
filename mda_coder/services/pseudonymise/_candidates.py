"""The names a project holds: speakers' labels and names, capitalised words that look like names, a user's list.

``propose`` turns them into a key for the researcher to edit; ``names_left`` lists what a key leaves in the texts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from mda_coder.core.spans import Span
from mda_coder.nlp.names import (
    KINDS,
    OTHER,
    PERSON,
    Replacer,
    capitalised,
    kind_of,
    looks_like_name,
    ordinary,
    propose,
    role_label,
    sentence_starts,
)
from mda_coder.nlp.search import snippet
from mda_coder.services.pseudonymise._values import NameLeft, ProposedName
from mda_coder.store import settings
from mda_coder.store.models import Document, Person, SentenceRow, Speaker


@dataclass(frozen=True, slots=True)
class _Text:
    name: str
    text: str
    starts: list[int]


def texts(session: Session) -> list[_Text]:
    """Every document's name, text and where its sentences (and lines) begin."""
    starts: dict[int, list[int]] = {}
    for doc_id, start in session.execute(select(SentenceRow.document_id, SentenceRow.start_offset)):
        starts.setdefault(doc_id, []).append(start)
    return [
        _Text(name, text, sentence_starts(text, starts.get(doc_id, ())))
        for doc_id, name, text in session.execute(
            select(Document.id, Document.name, Document.text).order_by(Document.id)
        )
    ]


def language(session: Session) -> str:
    return settings.get(session, "language", "sv") or "sv"


_PART = re.compile(r"[^\W\d_][^\W_]*(?:-[^\W\d_][^\W_]*)*")


def _person_names(session: Session) -> list[str]:
    """Speakers' labels (not role labels such as ``R1``, ``Moderator``), display names and persons' names, and their parts."""
    whole: list[str] = []
    rows = session.execute(select(Speaker.label, Speaker.display_name).order_by(Speaker.document_id, Speaker.id))
    for label, display in rows:
        for name in (label, display):
            if name and name.strip() and not role_label(name):
                whole.append(name.strip())
    whole += [n.strip() for n in session.scalars(select(Person.name).order_by(Person.id)) if n and not role_label(n)]
    names: list[str] = []
    for name in whole:
        names.append(name)
        parts = [
            p for p in _PART.findall(name) if p[0].isupper() and not ordinary(p) and not any(c.isdigit() for c in p)
        ]
        if len(parts) > 1:
            names += parts
    return list(dict.fromkeys(names))


def _document_parts(session: Session) -> list[tuple[str, str]]:
    """Names in documents' and groups' names (``FG1_Norrvik``): parts whose form says name."""
    found: list[tuple[str, str]] = []
    for name, group in session.execute(select(Document.name, Document.group_name)):
        for part in _PART.findall(f"{name} {group or ''}"):
            kind = kind_of(part)
            if part[0].isupper() and not ordinary(part) and kind is not None and not any(c.isdigit() for c in part):
                found.append((part, kind))
    return found


def _in_texts(docs: Sequence[_Text]) -> list[tuple[str, str]]:
    """Capitalised words and runs in the texts that look like names, in order of first appearance."""
    found: list[tuple[str, str]] = []
    for doc in docs:
        for item in capitalised(doc.text, doc.starts):
            kind = looks_like_name(item)
            if kind is not None:
                found.append((item.text, kind))
    return found


def _without_genitives(names: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """``Lenas`` goes when ``Lena`` is there: the replacement keeps the genitive ``s`` of a name itself."""
    known = {n for n, _ in names}
    return [(n, k) for n, k in names if not (n.endswith("s") and n[:-1] in known)]


def counts(docs: Sequence[_Text], originals: Iterable[str]) -> dict[str, Counter[str]]:
    """How often each original is found in each document, as the replacement would find it (longest first)."""
    replacer = Replacer((o, o) for o in originals)
    found: dict[str, Counter[str]] = {}
    for doc in docs:
        for original, _ in replacer.find(doc.text):
            found.setdefault(original, Counter())[doc.name] += 1
    return found


def proposal(session: Session, listed: Sequence[str]) -> list[ProposedName]:
    """Every name the project seems to hold, each with a plain pseudonym unique for its kind."""
    docs = texts(session)
    names: dict[str, str] = {}
    for name in _person_names(session):
        names.setdefault(name, PERSON)
    for name in listed:
        names.setdefault(name, kind_of(name) or OTHER)
    for name, kind in [*_document_parts(session), *_in_texts(docs)]:
        names.setdefault(name, kind)
    ordered = _without_genitives(list(names.items()))
    ordered.sort(key=lambda nk: KINDS.index(nk[1]))  # stable: first seen first within a kind
    found = counts(docs, (n for n, _ in ordered))
    rows = []
    for original, pseudonym, kind in propose(ordered, language(session)):
        per_doc = found.get(original, Counter())
        where = ", ".join(f"{doc} {n}" for doc, n in per_doc.items())
        rows.append(ProposedName(original, pseudonym, kind, sum(per_doc.values()), where))
    return rows


def names_left(session: Session, covered: Sequence[str]) -> list[NameLeft]:
    """Capitalised words and runs that look like names and that none of ``covered`` (a key's both sides) covers."""
    replacer = Replacer((c, c) for c in covered)
    seen: dict[str, tuple[str, int, str, str]] = {}
    for doc in texts(session):
        taken = [Span(start, start + len(word)) for word, start in replacer.find(doc.text)]
        for item in capitalised(doc.text, doc.starts):
            kind = looks_like_name(item)
            if kind is None:
                continue
            span = Span(item.start, item.start + len(item.text))
            words = [Span(item.start + w.start(), item.start + w.end()) for w in re.finditer(r"\S+", item.text)]
            if all(any(t.start < w.end and w.start < t.end for t in taken) for w in words):
                continue
            if item.text in seen:
                text, n, where, example = seen[item.text]
                seen[item.text] = (text, n + 1, where, example)
            else:
                seen[item.text] = (kind, 1, doc.name, snippet(doc.text, span))
    return sorted(
        (NameLeft(text, kind, n, where, example) for text, (kind, n, where, example) in seen.items()),
        key=lambda n: (-n.count, n.text),
    )
