"""Find the speakers each row of a speaker table describes: the same label, the same ignoring case, or the same id ending."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from mda_coder.core.coding import SpeakerRow
from mda_coder.core.errors import InputError
from mda_coder.ingest.speaker_table import SpeakerEntry, SpeakerTable

EXACT = "exact"
IGNORING_CASE = "ignoring case"
ID_ENDING = "by id ending"
"""How a row found its speaker, weakest last; a report shows every match that was not exact."""

_SEPARATORS = re.compile(r"[.:/#_-]")

Found = list[tuple[SpeakerRow, str]]
"""The speakers a row describes, each with how it was found."""


@dataclass(frozen=True, slots=True)
class UnmatchedRow:
    """A row that describes no speaker of the documents chosen, and why."""

    line: int
    key: str
    reason: str


def match_rows(
    table: SpeakerTable, speakers: Sequence[SpeakerRow], chosen: Sequence[str], every_document: Sequence[str]
) -> tuple[list[tuple[SpeakerEntry, Found]], list[UnmatchedRow]]:
    """Each row's speakers among ``speakers`` (those of the ``chosen`` documents), or why it has none.

    A row without a document applies in every chosen document where its label is found, so one
    row ``I`` describes the interviewer of every focus group. Within a document the exact label
    wins over one that differs only in case and surrounding spaces. Only when neither is found
    anywhere, and the label has no spaces, does an id ending count: the part after the last
    ``. : / # _ -``, when no other row and no other speaker has it, since corpus exports write the
    same id with different prefixes (``X.ana.u7`` in the table, ``X.u7`` in the transcript).
    """
    by_document: dict[str, list[SpeakerRow]] = {d: [] for d in chosen}
    for speaker in speakers:
        if speaker.document in by_document:
            by_document[speaker.document].append(speaker)
    table_endings = Counter((e.document, _ending(e.key)) for e in table.rows if _id_like(e.key))
    matched: list[tuple[SpeakerEntry, Found]] = []
    unmatched: list[UnmatchedRow] = []
    for entry in table.rows:
        documents = _documents(entry, chosen, every_document)
        if isinstance(documents, str):
            unmatched.append(UnmatchedRow(entry.line, entry.key, documents))
            continue
        found: Found = []
        for document in documents:
            found.extend(_in_document(table.path, entry, document, by_document[document]))
        ending = _ending(entry.key) if _id_like(entry.key) else ""
        if not found and ending and table_endings[(entry.document, ending)] == 1:
            same = [
                sp for d in documents for sp in by_document[d] if _id_like(sp.label) and _ending(sp.label) == ending
            ]
            if len(same) == 1:
                found.append((same[0], ID_ENDING))
        if found:
            matched.append((entry, found))
        else:
            where = f" in document '{documents[0]}'" if entry.document is not None and len(documents) == 1 else ""
            unmatched.append(UnmatchedRow(entry.line, entry.key, f"no speaker '{entry.key}'{where}"))
    return matched, unmatched


def _documents(entry: SpeakerEntry, chosen: Sequence[str], every: Sequence[str]) -> list[str] | str:
    """The documents a row applies to, or the reason it applies to none."""
    if entry.document is None:
        return list(chosen)
    named = [d for d in every if d == entry.document] or [d for d in every if _fold(d) == _fold(entry.document)]
    if len(named) != 1:
        return f"no document '{entry.document}' in the project"
    if named[0] not in chosen:
        return f"document '{named[0]}' is not among those chosen with --document"
    return named


def _in_document(path: str, entry: SpeakerEntry, document: str, speakers: Sequence[SpeakerRow]) -> Found:
    exact = [sp for sp in speakers if sp.label == entry.key]
    if exact:
        return [(exact[0], EXACT)]
    folded = [sp for sp in speakers if _fold(sp.label) == _fold(entry.key)]
    if len(folded) > 1:
        labels = " and ".join(f"'{sp.label}'" for sp in folded)
        raise InputError(
            f"{path}:{entry.line}: '{entry.key}' could be {labels} in document '{document}' (they differ only in case)"
        )
    return [(folded[0], IGNORING_CASE)] if folded else []


def _fold(label: str) -> str:
    return label.strip().casefold()


def _id_like(label: str) -> bool:
    return bool(label) and not any(c.isspace() for c in label)


def _ending(label: str) -> str:
    return _SEPARATORS.split(label)[-1]
