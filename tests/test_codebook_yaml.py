"""Codebook YAML: the shipped codebooks load, bad ones fail with the line and field, and YAML round-trips."""

from __future__ import annotations

from pathlib import Path

import pytest

from mda_coder.core.errors import InputError
from mda_coder.export.codebook_yaml import codebook_to_yaml
from mda_coder.ingest.codebook_yaml import parse_codebook, read_codebook

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("name", ["mda.yaml", "loka.yaml"])
def test_shipped_codebooks_are_valid_and_bilingual(name: str) -> None:
    book = read_codebook(ROOT / "codebooks" / name)
    paths = [path for path, _ in book.walk()]
    assert len(paths) >= 8
    for path, code in book.walk():
        langs = {lang for lang, _ in code.definition.items}
        assert {"sv", "en"} <= langs, f"{path} lacks a Swedish and an English definition"
    assert book.exclusive_groups, "each shipped codebook has at least one exclusive group"


def test_mda_codebook_has_the_core_codes() -> None:
    book = read_codebook(ROOT / "codebooks" / "mda.yaml")
    names = {code.name for _, code in book.walk()}
    assert {"tilltro", "jobbfokus", "sociala rättigheter"} <= names


GOOD_HEAD = "name: X\ncodes:\n"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "mini.yaml: is empty"),
        ("name: X\ncodes: [\n", "mini.yaml:3: not valid YAML"),
        (
            GOOD_HEAD + "  - name: a\x01b\n",
            "mini.yaml:3: not valid YAML (the control character U+0001 is not allowed in YAML)",
        ),
        ("codes:\n  - name: a\n", "mini.yaml:1: the codebook has no 'name'"),
        ("name: X\n", "mini.yaml:1: the codebook has no 'codes'"),
        (GOOD_HEAD + "  - name: a\n    colour: red\n", "mini.yaml:4: unknown field 'colour' in a code"),
        (GOOD_HEAD + "  - name: a\n    color: red\n", "mini.yaml:4: color of 'a' must look like #1f77b4 (got 'red')"),
        (GOOD_HEAD + "  - name: a\n    key: '12'\n", "mini.yaml:4: key of 'a' must be one character"),
        (
            GOOD_HEAD + "  - name: a\n    key: '1'\n  - name: b\n    key: '1'\n",
            "mini.yaml:6: key '1' of 'b' is already the key of 'a'",
        ),
        (GOOD_HEAD + "  - name: a\n  - name: a\n", "mini.yaml:4: code 'a' appears twice under 'the top level'"),
        (GOOD_HEAD + "  - name: a/b\n", "mini.yaml:3: code name 'a/b' contains '/'"),
        (GOOD_HEAD + "  - definition: x\n", "mini.yaml:3: a code has no 'name'"),
        (
            GOOD_HEAD + "  - name: a\n    exclusive: true\n    children:\n      - name: b\n",
            "mini.yaml:4: 'a' is exclusive but has fewer than two children",
        ),
        (
            GOOD_HEAD + "  - name: a\nexclusive_groups:\n  - name: g\n    codes: [a, nope]\n",
            "mini.yaml:6: exclusive group 'g' names unknown code 'nope'",
        ),
        (
            GOOD_HEAD + "  - name: a\n    definition: {Svenska: x}\n",
            "mini.yaml:4: 'definition' languages must be codes like sv, da, en",
        ),
    ],
)
def test_invalid_codebooks_name_the_line_and_field(text: str, message: str) -> None:
    with pytest.raises(InputError) as err:
        parse_codebook(text, "mini.yaml")
    assert str(err.value).startswith(message)
    assert "\n" not in str(err.value)


def test_exclusive_flag_and_groups_become_groups() -> None:
    book = parse_codebook(
        GOOD_HEAD
        + "  - name: hållning\n    exclusive: true\n    children: [{name: tro}, {name: tvivel}]\n"
        + "  - name: x\n  - name: y\nexclusive_groups:\n  - {name: xy, codes: [x, y]}\n",
        "b.yaml",
    )
    assert [(g.name, g.codes) for g in book.exclusive_groups] == [
        ("hållning", ("hållning/tro", "hållning/tvivel")),
        ("xy", ("x", "y")),
    ]


@pytest.mark.parametrize("name", ["mda.yaml", "loka.yaml"])
def test_yaml_round_trip_is_lossless(name: str) -> None:
    book = read_codebook(ROOT / "codebooks" / name)
    again = parse_codebook(codebook_to_yaml(book), "again.yaml")
    assert again == book


def test_read_codebook_file_errors(tmp_path: Path) -> None:
    with pytest.raises(InputError, match=r"nope.yaml: no such file"):
        read_codebook(tmp_path / "nope.yaml")
    (tmp_path / "book.json").write_text("{}")
    with pytest.raises(InputError, match=r"unsupported codebook format '.json'"):
        read_codebook(tmp_path / "book.json")
