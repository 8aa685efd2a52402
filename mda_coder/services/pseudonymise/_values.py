"""The values pseudonymisation takes and returns: a proposed key, names left in the text, what applying a key changed."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class ProposedName:
    """One row of a proposed key: a name found in the project, its kind, a plain pseudonym and where it is."""

    original: str
    pseudonym: str
    kind: str
    """``person``, ``place``, ``organisation`` or ``other``."""
    count: int
    """How often the text has it (as a whole word, its genitive included); speaker labels not counted."""
    where: str
    """Documents and counts, as the key's ``where`` column has them: ``FG2_Sjöstad 14, FG3_Älvdala_zoom 2``."""


@dataclass(frozen=True, slots=True)
class KeyProposal:
    """A key written for the researcher to edit (``pseudonymise --dry-run`` when the key file does not exist)."""

    path: str
    names: tuple[ProposedName, ...]
    kinds: dict[str, int]
    """Names per kind, in the order of ``nlp.names.KINDS``."""


@dataclass(frozen=True, slots=True)
class NameLeft:
    """A capitalised word (or run of them) in the texts that looks like a name and that the key does not cover."""

    text: str
    kind: str
    count: int
    document: str
    """The document of the example."""
    example: str
    """The first place it occurs, with a few words either side."""


@dataclass(frozen=True, slots=True)
class DocumentChange:
    """What applying a key did (or would do) to one document's text."""

    document: str
    """Its name after the key (as before, on a dry run)."""
    replacements: int
    codings: dict[str, int]
    """``kept``: codings whose text is as it was; ``replaced``: whose text is the key applied to what it was;
    ``review``: the others (a coding that began or ended inside a name, one the corrections flagged)."""
    doubtful: tuple[str, ...] = ()
    """Each coding the corrections flagged for review: ``coder, code, turn N: 'old' → 'new'``."""


@dataclass(frozen=True, slots=True)
class Pseudonymised:
    """What applying a key changed in the project (or in the copy ``--to`` made), or would change on a dry run."""

    project: str
    """The project changed: the copy, with ``--to``."""
    key: str
    dry_run: bool
    reverse: bool
    documents: tuple[DocumentChange, ...]
    elsewhere: dict[str, int] = field(default_factory=dict)
    """Replacements outside the texts, per place: ``speakers``, ``memos``, ``journal`` …"""
    snapshot: str | None = None
    """The snapshot taken before (``mda-coder backups``): it still holds the names."""

    @property
    def replacements(self) -> int:
        return sum(d.replacements for d in self.documents) + sum(self.elsewhere.values())
