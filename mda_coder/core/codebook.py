"""Codebooks: hierarchical codes with definitions, rules, colours, keys and exclusive groups."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

PATH_SEPARATOR = "/"
"""Separates a code's ancestors' names in a path such as ``mda/tilltro``; not allowed in names."""


@dataclass(frozen=True, slots=True)
class Texts:
    """A text in one or more languages, e.g. a Swedish and an English definition."""

    items: tuple[tuple[str, str], ...] = ()
    """``(language, text)`` pairs; language ``""`` when the text has none."""

    @classmethod
    def of(cls, value: str | dict[str, str] | None) -> Texts:
        if value is None:
            return cls()
        if isinstance(value, str):
            return cls((("", value),)) if value.strip() else cls()
        return cls(tuple((lang, text) for lang, text in value.items() if text and text.strip()))

    def best(self, language: str | None = None) -> str:
        """The text in ``language`` if there is one, else the first, else ``""``."""
        for lang, text in self.items:
            if lang == language:
                return text
        return self.items[0][1] if self.items else ""

    def as_dict(self) -> dict[str, str]:
        return dict(self.items)

    def __bool__(self) -> bool:
        return bool(self.items)


@dataclass(frozen=True, slots=True)
class CodeDef:
    """One code in a codebook, with its children."""

    name: str
    definition: Texts = field(default_factory=Texts)
    use_when: Texts = field(default_factory=Texts)
    dont_use_when: Texts = field(default_factory=Texts)
    example: Texts = field(default_factory=Texts)
    color: str | None = None
    """``#rrggbb``."""
    key: str | None = None
    """A one-character shortcut in the coding screen."""
    children: tuple[CodeDef, ...] = ()


@dataclass(frozen=True, slots=True)
class ExclusiveGroup:
    """Codes of which a coder may apply at most one to a unit (a nominal variable)."""

    name: str
    codes: tuple[str, ...]
    """Code paths."""
    description: str = ""


@dataclass(frozen=True, slots=True)
class Codebook:
    name: str
    codes: tuple[CodeDef, ...]
    description: Texts = field(default_factory=Texts)
    language: str | None = None
    exclusive_groups: tuple[ExclusiveGroup, ...] = ()

    def walk(self) -> Iterator[tuple[str, CodeDef]]:
        """Every code with its path, parents before children, in codebook order."""

        def rec(prefix: str, defs: tuple[CodeDef, ...]) -> Iterator[tuple[str, CodeDef]]:
            for code in defs:
                path = f"{prefix}{PATH_SEPARATOR}{code.name}" if prefix else code.name
                yield path, code
                yield from rec(path, code.children)

        yield from rec("", self.codes)


def split_path(path: str) -> list[str]:
    return [part.strip() for part in path.split(PATH_SEPARATOR)]
