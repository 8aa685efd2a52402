"""Write a codebook as YAML in the same format ``ingest.codebook_yaml`` reads."""

from __future__ import annotations

from typing import Any

import yaml

from mda_coder.core.codebook import PATH_SEPARATOR, Codebook, CodeDef, Texts


def _texts(texts: Texts) -> str | dict[str, str]:
    items = texts.as_dict()
    if set(items) == {""}:
        return items[""]
    return {lang or "und": text for lang, text in items.items()}


def _code(code: CodeDef, path: str, exclusive_parents: set[str]) -> dict[str, Any]:
    out: dict[str, Any] = {"name": code.name}
    if code.key:
        out["key"] = code.key
    if code.color:
        out["color"] = code.color
    for field in ("definition", "use_when", "dont_use_when", "example"):
        value: Texts = getattr(code, field)
        if value:
            out[field] = _texts(value)
    if path in exclusive_parents:
        out["exclusive"] = True
    if code.children:
        out["children"] = [
            _code(child, f"{path}{PATH_SEPARATOR}{child.name}", exclusive_parents) for child in code.children
        ]
    return out


def codebook_to_yaml(codebook: Codebook) -> str:
    """YAML text; a group that is exactly one code's children is written as ``exclusive: true`` on it."""
    children_of = {
        path: tuple(f"{path}{PATH_SEPARATOR}{c.name}" for c in code.children) for path, code in codebook.walk()
    }
    exclusive_parents = {g.name for g in codebook.exclusive_groups if children_of.get(g.name) == g.codes}
    doc: dict[str, Any] = {"name": codebook.name}
    if codebook.language:
        doc["language"] = codebook.language
    if codebook.description:
        doc["description"] = _texts(codebook.description)
    doc["codes"] = [_code(c, c.name, exclusive_parents) for c in codebook.codes]
    others = [g for g in codebook.exclusive_groups if g.name not in exclusive_parents]
    if others:
        doc["exclusive_groups"] = [
            {"name": g.name, **({"description": g.description} if g.description else {}), "codes": list(g.codes)}
            for g in others
        ]
    return yaml.safe_dump(doc, allow_unicode=True, sort_keys=False, width=100)
