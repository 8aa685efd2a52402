"""REFI-QDA code trees as mda-coder codebooks: names made legal, ATLAS.ti's ``Parent::Child`` unfolded.

Other programs allow what a codebook here does not: two codes of one name under one parent,
``/`` in a name (it separates a path here), empty names, categories that cannot be coded.
ATLAS.ti exports its flat codes named ``Parent::Child`` instead of a tree. Each is turned into
the nearest legal codebook and every change is said, so the user can find the code again.
A code's description is split back into definition and rules where it has the shape
mda-coder's own export gives it (``Use when: …`` paragraphs).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from mda_coder.core.codebook import (
    PATH_SEPARATOR,
    Codebook,
    CodeDef,
    ExclusiveGroup,
    Texts,
)
from mda_coder.ingest.refi_qde import QdeCode, QdeCodebook

ATLAS_SEPARATOR = "::"
MDA_ORIGIN = "mda-coder"
"""The ``origin`` mda-coder writes; only its sets of codes are exclusive groups."""
EXCLUSIVE_DEFAULT = "Mutually exclusive codes"
"""The description mda-coder's export gives a group without one of its own."""

# The words mda-coder's export puts before each rule (services/exporting/_refi.py, RULES); the round-trip test keeps them in step.
_RULE_WORDS = {
    "use_when": ("Use when", "Använd när"),
    "dont_use_when": ("Do not use when", "Använd inte när"),
    "example": ("Example", "Exempel"),
}
_COLOR = re.compile(r"^#?([0-9a-fA-F]{6})$")
_ARGB = re.compile(r"^#?[0-9a-fA-F]{2}([0-9a-fA-F]{6})$")


@dataclass
class _Node:
    name: str
    color: str | None = None
    texts: dict[str, str] = field(default_factory=dict)
    children: list[_Node] = field(default_factory=list)
    claimed: bool = False
    """A REFI code is this node (not only a ``Parent`` named in ``Parent::Child``)."""

    def child(self, name: str) -> _Node | None:
        return next((c for c in self.children if c.name == name), None)

    def freeze(self) -> CodeDef:
        return CodeDef(
            name=self.name,
            color=self.color,
            definition=Texts.of(self.texts.get("definition")),
            use_when=Texts.of(self.texts.get("use_when")),
            dont_use_when=Texts.of(self.texts.get("dont_use_when")),
            example=Texts.of(self.texts.get("example")),
            children=tuple(c.freeze() for c in self.children),
        )


@dataclass(frozen=True)
class ImportedCodebook:
    codebook: Codebook
    paths: dict[str, str]
    """Each REFI code GUID's path in the codebook."""
    warnings: tuple[str, ...] = ()


def counted(n: int, word: str, plural: str | None = None) -> str:
    """``1 code``, ``2 codes``."""
    return f"{n} {word if n == 1 else plural or word + 's'}"


def split_description(description: str) -> dict[str, str]:
    """``definition`` and, where paragraphs start ``Use when:`` and the like, the rules."""
    fields: dict[str, list[str]] = {}
    for paragraph in description.split("\n\n"):
        key = "definition"
        for name, words in _RULE_WORDS.items():
            prefix = next((w for w in words if paragraph.startswith(f"{w}: ")), None)
            if prefix is not None:
                key, paragraph = name, paragraph[len(prefix) + 2 :]
                break
        if paragraph.strip():
            fields.setdefault(key, []).append(paragraph)
    return {k: "\n\n".join(v) for k, v in fields.items()}


def _color(value: str | None, name: str, warnings: list[str]) -> str | None:
    if not value:
        return None
    match = _COLOR.match(value.strip()) or _ARGB.match(value.strip())
    if match is None:
        warnings.append(f"code '{name}': colour '{value}' is not #rrggbb, left out")
        return None
    return "#" + match.group(1).lower()


def convert_codebook(book: QdeCodebook) -> ImportedCodebook:
    """The codebook the REFI codes make, each GUID's path in it, and what had to change."""
    warnings: list[str] = []
    roots = _Node("")
    paths: dict[str, str] = {}
    categories = 0
    split = 0

    def legal(name: str) -> str:
        clean = " ".join(name.replace(PATH_SEPARATOR, "-").split())
        return clean or "(unnamed code)"

    def add(parent: _Node, parent_path: str, code: QdeCode) -> None:
        nonlocal categories, split
        parts = [code.name]
        if ATLAS_SEPARATOR in code.name:
            parts = code.name.split(ATLAS_SEPARATOR)
            split += 1
        node, path = parent, parent_path
        for i, raw in enumerate(parts):
            name = legal(raw)
            if name != raw.strip():
                warnings.append(f"code '{raw}' is called '{name}' here ('/' separates code paths; names are not empty)")
            last = i == len(parts) - 1
            existing = node.child(name)
            if last and existing is not None and existing.claimed:
                # Two codes of one name under one parent: they stay two codes.
                n = 2
                while node.child(f"{name} ({n})") is not None:
                    n += 1
                warnings.append(
                    f"two codes are called '{path + PATH_SEPARATOR if path else ''}{name}': the second is '{name} ({n})'"
                )
                name, existing = f"{name} ({n})", None
            if existing is None:
                existing = _Node(name)
                node.children.append(existing)
            node, path = existing, f"{path}{PATH_SEPARATOR}{name}" if path else name
        node.claimed = True
        node.color = _color(code.color, code.name, warnings) or node.color
        node.texts = split_description(code.description) or node.texts
        paths[code.guid] = path
        if not code.codable:
            categories += 1
        for child in code.children:
            add(node, path, child)

    for code in book.codes:
        add(roots, "", code)
    if split:
        warnings.append(f"{counted(split, 'code')} named 'Parent::Child' (ATLAS.ti) became sub-codes of their parents")
    if categories:
        warnings.append(f"{counted(categories, 'category', 'categories')} that could not be coded there became codes")
    groups = []
    for s in book.sets:
        members = tuple(paths[g] for g in s.codes if g in paths)
        if not book.origin.startswith(MDA_ORIGIN):
            warnings.append(
                f"set '{s.name}' of {counted(len(s.codes), 'code')} was not imported (mda-coder has no sets of codes)"
            )
        elif members:
            description = "" if s.description == EXCLUSIVE_DEFAULT else s.description
            groups.append(ExclusiveGroup(name=s.name or "(unnamed group)", codes=members, description=description))
    codebook = Codebook(name="", codes=tuple(c.freeze() for c in roots.children), exclusive_groups=tuple(groups))
    return ImportedCodebook(codebook, paths, tuple(warnings))
