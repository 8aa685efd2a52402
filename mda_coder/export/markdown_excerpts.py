"""Excerpts grouped by code as Markdown ready to quote, with citation labels and a codebook appendix."""

from __future__ import annotations

import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from typing import IO

from mda_coder.core.display import clock
from mda_coder.core.errors import MdaError

LABEL_FIELDS = ("group", "document", "speaker", "name", "role", "turn", "time", "coders")
"""The fields a citation label may use, e.g. ``({group}, {speaker}, tur {turn})``."""

WORDS: dict[str, dict[str, str]] = {
    "sv": {
        "turn": "tur",
        "title": "Utdrag",
        "codebook": "Kodbok",
        "definition": "Definition",
        "use_when": "Använd när",
        "dont_use_when": "Använd inte när",
        "example": "Exempel",
        "none": "Inga utdrag.",
        "coders": "Kodare",
        "memo": "Memo",
        "excerpts": "utdrag",
        "documents": "dokument",
        "document": "dokument",
        "all_coders": "alla",
    },
    "en": {
        "turn": "turn",
        "title": "Excerpts",
        "codebook": "Codebook",
        "definition": "Definition",
        "use_when": "Use when",
        "dont_use_when": "Do not use when",
        "example": "Example",
        "none": "No excerpts.",
        "coders": "Coders",
        "memo": "Memo",
        "excerpts": "excerpts",
        "documents": "documents",
        "document": "document",
        "all_coders": "all",
    },
}
"""The words of the document in each language it is written in."""


@dataclass(frozen=True)
class ContextTurn:
    """A whole turn shown before or after an excerpt, so the reader sees what it answers."""

    turn: int
    speaker: str | None
    text: str


@dataclass(frozen=True)
class Excerpt:
    """One coded passage, once per code even when several coders coded exactly this span."""

    document: str
    group: str | None
    start: int
    end: int
    text: str
    turn: int | None
    """The turn the passage begins in (``None`` when it lies outside every turn)."""
    last_turn: int | None
    """The turn it ends in; differs from ``turn`` when a passage runs over several turns."""
    speaker: str | None
    name: str | None
    """The speaker's display name, when one was given."""
    role: str | None
    time: float | None
    coders: tuple[str, ...]
    memos: tuple[tuple[str, str], ...] = ()
    """``(coder, memo)`` of the codings behind the excerpt."""
    before: tuple[ContextTurn, ...] = ()
    after: tuple[ContextTurn, ...] = ()


@dataclass(frozen=True)
class CodeEntry:
    """A code's heading, texts and excerpts; ``depth`` 0 is a top-level code."""

    path: str
    name: str
    depth: int
    definition: str
    use_when: str
    dont_use_when: str
    example: str
    excerpts: tuple[Excerpt, ...]
    memos: tuple[str, ...] = ()
    has_children: bool = False
    """True when sub-codes follow it in the report: then no "no excerpts" line is written."""


@dataclass(frozen=True)
class ExcerptReport:
    """Everything the Markdown is written from: no project access happens while writing."""

    project: str
    coders: tuple[str, ...]
    """The coders asked for; empty means every coder."""
    codes: tuple[CodeEntry, ...]


@dataclass(frozen=True)
class MarkdownStyle:
    """How the excerpts are written: language of the words, citation label, what to add."""

    language: str = "sv"
    label: str | None = None
    """A template such as ``({group}, {speaker}, tur {turn})``; ``None`` is the language's default."""
    show_coders: bool = False
    show_memos: bool = False
    codebook: bool = True

    def words(self) -> dict[str, str]:
        return WORDS[self.language]

    def template(self) -> str:
        return self.label if self.label is not None else "({group}, {speaker}, " + self.words()["turn"] + " {turn})"


def check_label(template: str) -> None:
    """Refuse a label template with an unknown field or broken braces, naming what is wrong."""
    try:
        fields = [name for _, name, spec, conv in string.Formatter().parse(template) if name is not None]
    except ValueError as exc:
        raise MdaError(f"--label '{template}': {exc} (write a literal brace as {{{{ or }}}})") from None
    for name in fields:
        if name not in LABEL_FIELDS:
            raise MdaError(f"--label '{template}': unknown field {{{name}}} (fields: {', '.join(LABEL_FIELDS)})")


def citation(excerpt: Excerpt, template: str) -> str:
    """The excerpt's label; an empty field is left out with its words and the ``, `` that joins it to the rest."""
    turn = ""
    if excerpt.turn is not None:
        last = excerpt.last_turn if excerpt.last_turn is not None else excerpt.turn
        turn = str(excerpt.turn) if last == excerpt.turn else f"{excerpt.turn}–{last}"
    values = {
        "group": excerpt.group or excerpt.document,
        "document": excerpt.document,
        "speaker": excerpt.speaker or "",
        "name": excerpt.name or excerpt.speaker or "",
        "role": excerpt.role or "",
        "turn": turn,
        "time": clock(excerpt.time),
        "coders": ", ".join(excerpt.coders),
    }
    out = ""
    drop_separator = False
    for literal, field, _spec, _conv in string.Formatter().parse(template):
        if drop_separator and literal.startswith(", "):
            literal = literal[2:]
        drop_separator = False
        out += literal
        if field is None:
            continue
        value = values[field]
        if value:
            out += value
            continue
        # Leave out the field's own words too ("tur " of "tur {turn}"), back to the last ", " or bracket.
        tail = _FIELD_WORDS.search(literal)
        out = out[: len(out) - len(tail.group())] if tail else out
        if out.rstrip(" ").endswith(","):
            out = out.rstrip(" ")[:-1]
        else:
            drop_separator = True
    return out


_FIELD_WORDS = re.compile(r"[^,(\[{]*$")


_ALWAYS = re.compile(r"([\\`*_\[\]<>#|~])")
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
_LINE_START = re.compile(r"^([-+=]|\d{1,9}(?=[.)]))")


def escape_line(line: str) -> str:
    """One line of text that Markdown shows as written: no heading, list, table, code or HTML can start in it."""
    line = _ALWAYS.sub(r"\\\1", line.strip())
    line = _ENTITY.sub("&amp;", line)
    match = _LINE_START.match(line)
    if match is None:
        return line
    if match.group(1)[0].isdigit():  # "12. ..." would start a numbered list: escape the dot or parenthesis
        n = len(match.group(1))
        return line[:n] + "\\" + line[n:]
    return "\\" + line


def escape_lines(text: str) -> list[str]:
    """``text`` as escaped lines, without blank lines at either end."""
    lines = [escape_line(line) for line in text.splitlines()]
    while lines and not lines[0]:
        lines.pop(0)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def inline(text: str) -> str:
    """``text`` folded onto one escaped line, for headings and list items."""
    return escape_line(" ".join(text.split()))


def _quote(paragraphs: Iterable[list[str]]) -> list[str]:
    out: list[str] = []
    for lines in paragraphs:
        if not lines:
            continue
        if out:
            out.append(">")
        out += [f"> {line}" if line else ">" for line in lines]
    return out


def _context(turn: ContextTurn, words: dict[str, str]) -> list[str]:
    who = f"{inline(turn.speaker)}, " if turn.speaker else ""
    lines = escape_lines(turn.text) or [""]
    lines[0] = f"*{who}{words['turn']} {turn.turn}:* {lines[0]}".rstrip()
    return lines


def excerpt_lines(excerpt: Excerpt, style: MarkdownStyle) -> list[str]:
    """One excerpt: the quote (with its context turns) ending in its label, then coders and memos."""
    words = style.words()
    own = escape_lines(excerpt.text) or [""]
    own[-1] = f"{own[-1]} {inline(citation(excerpt, style.template()))}".strip()
    paragraphs = [_context(t, words) for t in excerpt.before] + [own] + [_context(t, words) for t in excerpt.after]
    out = _quote(paragraphs)
    notes = []
    if style.show_coders:
        notes.append(f"- {words['coders']}: {inline(', '.join(excerpt.coders))}")
    if style.show_memos:
        notes += [f"- {words['memo']} ({inline(coder)}): {inline(memo)}" for coder, memo in excerpt.memos]
    if notes:
        out += ["", *notes]
    return out


def _heading(level: int, text: str) -> str:
    return f"{'#' * min(level, 6)} {inline(text)}"


def _texts(entry: CodeEntry, words: dict[str, str], keys: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for key in keys:
        lines = escape_lines(getattr(entry, key))
        if lines:
            lines[0] = f"**{words[key]}:** {lines[0]}"
            out += ["", *lines]
    return out


def write_excerpts(report: ExcerptReport, style: MarkdownStyle, stream: IO[str]) -> int:
    """Write the report as Markdown; returns how many excerpts were written."""
    words = style.words()
    excerpts = [e for entry in report.codes for e in entry.excerpts]
    documents = {e.document for e in excerpts}
    names = [entry.path for entry in report.codes if entry.depth == 0]
    lines = [_heading(1, f"{words['title']}: {', '.join(names)}" if names else words["title"]), ""]
    coders = ", ".join(report.coders) if report.coders else words["all_coders"]
    lines.append(
        f"{inline(report.project)} · {words['coders']}: {inline(coders)} · {len(excerpts)} {words['excerpts']}, "
        f"{len(documents)} {words['documents' if len(documents) != 1 else 'document']}"
    )
    for entry in report.codes:
        lines += ["", _heading(2 + entry.depth, entry.name)]
        lines += _texts(entry, words, ("definition",))
        if style.show_memos:
            for memo in entry.memos:
                memo_lines = escape_lines(memo)
                if memo_lines:
                    memo_lines[0] = f"**{words['memo']}:** {memo_lines[0]}"
                    lines += ["", *memo_lines]
        for excerpt in entry.excerpts:
            lines += ["", *excerpt_lines(excerpt, style)]
        if not entry.excerpts and not entry.has_children:
            lines += ["", f"*{words['none']}*"]
    if style.codebook and report.codes:
        lines += ["", _heading(2, words["codebook"])]
        for entry in report.codes:
            lines += ["", _heading(3 + entry.depth, entry.path)]
            lines += _texts(entry, words, ("definition", "use_when", "dont_use_when", "example"))
    stream.write("\n".join(lines) + "\n")
    return len(excerpts)
