"""Read YAML codebooks, validating every field with errors that cite the line.

Parsing walks PyYAML's node tree rather than the plain objects so that each
message can say where in the file the problem is (``mda.yaml:42: …``). A codebook is written out
in full: an alias (``*name``) is refused, since a few aliases of aliases make a small file expand
without end ("billion laughs"), and so is nesting deeper than :data:`~limits.MAX_YAML_DEPTH`.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from mda_coder.core import code_rules
from mda_coder.core.codebook import PATH_SEPARATOR, Codebook, CodeDef, ExclusiveGroup, Texts
from mda_coder.core.errors import InputError
from mda_coder.i18n import Message
from mda_coder.ingest.limits import MAX_CODEBOOK_BYTES, MAX_YAML_DEPTH

_TEXT_FIELDS = ("definition", "use_when", "dont_use_when", "example")
_CODE_FIELDS = {"name", "key", "color", "exclusive", "children", *_TEXT_FIELDS}
_TOP_FIELDS = {"name", "language", "description", "codes", "exclusive_groups"}
_GROUP_FIELDS = {"name", "description", "codes"}


class _Refused(yaml.YAMLError):
    def __init__(self, mark: yaml.Mark, message: str) -> None:
        super().__init__(message)
        self.mark = mark
        self.message = message


class _Loader(yaml.SafeLoader):
    """PyYAML's safe loader, composing nodes without aliases and at most :data:`MAX_YAML_DEPTH` deep."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.depth = 0

    def compose_node(self, parent: Node | None, index: object) -> Node | None:
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()  # type: ignore[no-untyped-call]  # types-PyYAML leaves peek_event unannotated
            raise _Refused(
                event.start_mark,
                Message(
                    "an alias (*{name}): refused; write the codebook out in full, without anchors and aliases",
                    name=str(event.anchor),
                ),
            )
        self.depth += 1
        try:
            if self.depth > MAX_YAML_DEPTH:
                raise _Refused(
                    self.peek_event().start_mark,  # type: ignore[no-untyped-call]  # types-PyYAML leaves peek_event unannotated
                    Message("nested more than {limit} levels deep: refused", limit=MAX_YAML_DEPTH),
                )
            return super().compose_node(parent, index)  # type: ignore[arg-type]  # PyYAML passes None, an int or a key node; its stubs say int
        finally:
            self.depth -= 1


def _compose(text: str) -> Node | None:
    loader = _Loader(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


class _Reader:
    def __init__(self, source: str) -> None:
        self.source = source
        self.keys: dict[str, str] = {}

    def fail(self, node: Node | None, message: str) -> InputError:
        line = f":{node.start_mark.line + 1}" if node is not None else ""
        return InputError(f"{self.source}{line}: {message}")

    def mapping(self, node: Node, what: str, allowed: set[str]) -> dict[str, Node]:
        if not isinstance(node, MappingNode):
            raise self.fail(node, f"{what} must be a mapping of fields")
        fields: dict[str, Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value if isinstance(key_node, ScalarNode) else None
            if key not in allowed:
                raise self.fail(key_node, f"unknown field '{key}' in {what} (allowed: {', '.join(sorted(allowed))})")
            if key in fields:
                raise self.fail(key_node, f"field '{key}' appears twice in {what}")
            fields[key] = value_node
        return fields

    def string(self, node: Node, field: str, required: bool = True) -> str:
        if not isinstance(node, ScalarNode) or node.tag == "tag:yaml.org,2002:null":
            if not required:
                return ""
            raise self.fail(node, f"'{field}' must be text")
        value = str(node.value).strip()
        if required and not value:
            raise self.fail(node, f"'{field}' is empty")
        return value

    def texts(self, node: Node, field: str) -> Texts:
        if isinstance(node, ScalarNode):
            return Texts.of(self.string(node, field, required=False))
        if isinstance(node, MappingNode):
            items = []
            for key_node, value_node in node.value:
                lang = key_node.value if isinstance(key_node, ScalarNode) else ""
                if not re.fullmatch(r"[a-z]{2,3}", str(lang)):
                    raise self.fail(key_node, f"'{field}' languages must be codes like sv, da, en (got '{lang}')")
                items.append((str(lang), self.string(value_node, f"{field}.{lang}", required=False)))
            return Texts(tuple((lang, text) for lang, text in items if text))
        raise self.fail(node, f"'{field}' must be text or a mapping of language to text")

    def code(self, node: Node, parent: str, groups: list[ExclusiveGroup]) -> CodeDef:
        fields = self.mapping(node, "a code", _CODE_FIELDS)
        if "name" not in fields:
            raise self.fail(node, "a code has no 'name'")
        name = self.string(fields["name"], "name")
        if (problem := code_rules.name_problem(name)) is not None:
            raise self.fail(fields["name"], problem)
        path = f"{parent}{PATH_SEPARATOR}{name}" if parent else name
        key = None
        if "key" in fields:
            key = self.string(fields["key"], "key")
            if (problem := code_rules.key_problem(path, key)) is not None:
                raise self.fail(fields["key"], problem)
            if key in self.keys:
                raise self.fail(fields["key"], code_rules.key_taken(key, path, self.keys[key]))
            self.keys[key] = path
        color = None
        if "color" in fields:
            color = self.string(fields["color"], "color")
            if (problem := code_rules.color_problem(path, color)) is not None:
                raise self.fail(fields["color"], problem)
        children: list[CodeDef] = []
        if "children" in fields:
            children = self.code_list(fields["children"], path, groups)
        if "exclusive" in fields:
            flag = self.string(fields["exclusive"], "exclusive").lower()
            if flag not in ("true", "false", "yes", "no"):
                raise self.fail(fields["exclusive"], f"'exclusive' of '{path}' must be true or false")
            if flag in ("true", "yes"):
                if len(children) < 2:
                    raise self.fail(fields["exclusive"], f"'{path}' is exclusive but has fewer than two children")
                groups.append(ExclusiveGroup(path, tuple(f"{path}{PATH_SEPARATOR}{c.name}" for c in children)))
        texts = {f: self.texts(fields[f], f) if f in fields else Texts() for f in _TEXT_FIELDS}
        return CodeDef(name=name, color=color, key=key, children=tuple(children), **texts)

    def code_list(self, node: Node, parent: str, groups: list[ExclusiveGroup]) -> list[CodeDef]:
        if not isinstance(node, SequenceNode):
            raise self.fail(node, f"'{'children of ' + parent if parent else 'codes'}' must be a list")
        result: list[CodeDef] = []
        seen: dict[str, Node] = {}
        for item in node.value:
            code = self.code(item, parent, groups)
            if code.name in seen:
                raise self.fail(item, f"code '{code.name}' appears twice under '{parent or 'the top level'}'")
            seen[code.name] = item
            result.append(code)
        return result


def parse_codebook(text: str, source: str) -> Codebook:
    """A validated codebook from YAML text; ``source`` names the file in error messages."""
    reader = _Reader(source)
    try:
        root = _compose(text)
    except _Refused as exc:
        raise InputError(
            Message("{source}:{line}: {error}", source=source, line=exc.mark.line + 1, error=exc.message)
        ) from None
    except RecursionError:
        raise InputError(
            Message("{source}: nested more than {limit} levels deep: refused", source=source, limit=MAX_YAML_DEPTH)
        ) from None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark
        where = f":{mark.line + 1}" if mark is not None else ""
        raise InputError(f"{source}{where}: not valid YAML ({exc.problem})") from exc
    except yaml.reader.ReaderError as exc:  # a control character: YAML allows none but tab and line ends
        line = text.count("\n", 0, exc.position) + 1
        char = f"U+{exc.character:04X}" if isinstance(exc.character, int) else repr(exc.character)
        raise InputError(
            Message(
                "{source}:{line}: not valid YAML (the control character {char} is not allowed in YAML)",
                source=source,
                line=line,
                char=char,
            )
        ) from None
    except yaml.YAMLError as exc:
        raise InputError(f"{source}: not valid YAML ({exc})") from exc
    if root is None:
        raise InputError(f"{source}: is empty")
    fields = reader.mapping(root, "the codebook", _TOP_FIELDS)
    if "name" not in fields:
        raise reader.fail(root, "the codebook has no 'name'")
    if "codes" not in fields:
        raise reader.fail(root, "the codebook has no 'codes'")
    groups: list[ExclusiveGroup] = []
    codes = reader.code_list(fields["codes"], "", groups)
    if not codes:
        raise reader.fail(fields["codes"], "the codebook has no codes")
    all_paths = {path for path, _ in Codebook("", tuple(codes)).walk()}
    if "exclusive_groups" in fields:
        node = fields["exclusive_groups"]
        if not isinstance(node, SequenceNode):
            raise reader.fail(node, "'exclusive_groups' must be a list")
        for item in node.value:
            gfields = reader.mapping(item, "an exclusive group", _GROUP_FIELDS)
            if "name" not in gfields or "codes" not in gfields:
                raise reader.fail(item, "an exclusive group needs 'name' and 'codes'")
            gname = reader.string(gfields["name"], "name")
            members_node = gfields["codes"]
            if not isinstance(members_node, SequenceNode) or len(members_node.value) < 2:
                raise reader.fail(members_node, f"exclusive group '{gname}' needs a list of at least two codes")
            members = []
            for m in members_node.value:
                member = reader.string(m, "codes")
                if member not in all_paths:
                    raise reader.fail(m, f"exclusive group '{gname}' names unknown code '{member}' (use its full path)")
                members.append(member)
            group_description = (
                reader.string(gfields["description"], "description", False) if "description" in gfields else ""
            )
            groups.append(ExclusiveGroup(gname, tuple(members), group_description))
    group_names: set[str] = set()
    member_of: dict[str, str] = {}
    for group in groups:
        if group.name in group_names:
            raise InputError(f"{source}: exclusive group '{group.name}' is defined twice")
        group_names.add(group.name)
        for member in group.codes:
            if member in member_of:
                raise InputError(
                    f"{source}: code '{member}' is in two exclusive groups ('{member_of[member]}', '{group.name}')"
                )
            member_of[member] = group.name
    language = reader.string(fields["language"], "language") if "language" in fields else None
    description = reader.texts(fields["description"], "description") if "description" in fields else Texts()
    return Codebook(
        name=reader.string(fields["name"], "name"),
        codes=tuple(codes),
        description=description,
        language=language,
        exclusive_groups=tuple(groups),
    )


def read_codebook(path: Path) -> Codebook:
    """Read and validate a YAML codebook file."""
    path = Path(path)
    if not path.exists():
        raise InputError(f"{path}: no such file")
    if path.is_dir():
        raise InputError(f"{path}: is a directory")
    if path.suffix.lower() not in (".yaml", ".yml"):
        raise InputError(f"{path}: unsupported codebook format '{path.suffix}' (supported: .yaml, .yml)")
    try:
        size = path.stat().st_size
        if size > MAX_CODEBOOK_BYTES:
            raise InputError(
                Message(
                    "{path}: {size} bytes; a codebook over {limit} bytes is refused",
                    path=str(path),
                    size=format(size, ","),
                    limit=format(MAX_CODEBOOK_BYTES, ","),
                )
            )
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from exc
    return parse_codebook(text, str(path))
