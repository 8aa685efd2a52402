"""Editing the code tree: add, rename, move, merge and describe codes, with the codebook file's rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from mda_coder.core.errors import MdaError, NotFoundError
from mda_coder.services import importing
from mda_coder.services.codebook import (
    add_code,
    edit_code,
    export_codebook_yaml,
    list_codes,
    merge_codes,
    move_code,
    rename_code,
)
from mda_coder.services.coding import Target, apply_code, list_codings
from mda_coder.services.memos import add_memo, journal_entries, list_memos
from mda_coder.store.engine import Database
from tests.support.snapshot import dump


@pytest.fixture
def coded(project: Database, transcript: Path) -> Database:
    importing.import_files(project, [transcript], group="FG9")
    return project


def paths(db: Database) -> list[str]:
    return [row.code.path for row in list_codes(db)]


def test_add_code_goes_last_under_its_parent_with_its_details(project: Database) -> None:
    info = add_code(
        project, "kontroll", parent="tilltro", definition="Att följa upp.", color="#aabbcc", key="k", coder="anna"
    )
    assert (info.path, info.color, info.key, info.definition) == ("tilltro/kontroll", "#aabbcc", "k", "Att följa upp.")
    top = add_code(project, "samverkan", coder="anna")
    assert top.path == "samverkan" and top.parent_id is None
    assert paths(project)[:4] == ["tilltro", "tilltro/uttryckt", "tilltro/tvivel", "tilltro/kontroll"]
    assert paths(project)[-1] == "samverkan"
    assert "sv: Att följa upp." in export_codebook_yaml(project)  # in the project's language
    entry = journal_entries(project, limit=1)[0]
    assert (entry.actor, entry.action, entry.data["path"]) == ("anna", "code.add", "samverkan")


@pytest.mark.parametrize(
    ("name", "kwargs", "error", "message"),
    [
        ("a/b", {}, MdaError, "code name 'a/b' contains '/', which separates code paths"),
        ("  ", {}, MdaError, "a code needs a name"),
        ("tvivel", {"parent": "tilltro"}, MdaError, "code 'tvivel' already exists under 'tilltro'"),
        ("jobbfokus", {}, MdaError, "code 'jobbfokus' already exists under 'the top level'"),
        ("ny", {"color": "red"}, MdaError, r"color of 'ny' must look like #1f77b4 \(got 'red'\)"),
        ("ny", {"key": "ab"}, MdaError, r"key of 'ny' must be one character \(got 'ab'\)"),
        ("ny", {"key": "1"}, MdaError, "key '1' of 'ny' is already the key of 'tilltro'"),
        ("ny", {"parent": "okänd"}, NotFoundError, "unknown code 'okänd'"),
    ],
)
def test_add_code_follows_the_codebook_rules(
    project: Database, name: str, kwargs: dict, error: type, message: str
) -> None:
    before = dump(Path(project.location))
    with pytest.raises(error, match=message):
        add_code(project, name, coder="anna", **kwargs)
    assert dump(Path(project.location)) == before


def test_the_same_name_may_be_used_under_another_parent(project: Database) -> None:
    assert add_code(project, "tvivel", parent="jobbfokus", coder="anna").path == "jobbfokus/tvivel"


def test_a_code_added_to_an_exclusive_set_joins_it(coded: Database) -> None:
    add_code(coded, "ambivalent", parent="hållning", coder="anna")
    apply_code(coded, coder="anna", code="hållning/positiv", document="FG9", target=Target(turn=2))
    with pytest.raises(MdaError, match="mutually exclusive"):
        apply_code(coded, coder="anna", code="hållning/ambivalent", document="FG9", target=Target(turn=2))


def test_rename_keeps_codings_and_refuses_clashes(coded: Database) -> None:
    apply_code(coded, coder="anna", code="tilltro/tvivel", document="FG9", target=Target(turn=2))
    info = rename_code(coded, "tilltro/tvivel", "misstro", coder="anna")
    assert info.path == "tilltro/misstro"
    assert [c.code_path for c in list_codings(coded)] == ["tilltro/misstro"]
    with pytest.raises(MdaError, match="code 'uttryckt' already exists under 'tilltro'"):
        rename_code(coded, "tilltro/misstro", "uttryckt", coder="anna")
    with pytest.raises(MdaError, match="contains '/'"):
        rename_code(coded, "tilltro/misstro", "miss/tro", coder="anna")
    assert journal_entries(coded, limit=1)[0].data == {
        "id": info.id,
        "before": "tvivel",
        "after": "misstro",
        "path": "tilltro/tvivel",
    }


def test_move_takes_sub_codes_and_codings_along(coded: Database) -> None:
    apply_code(coded, coder="anna", code="tilltro/tvivel", document="FG9", target=Target(turn=2))
    info = move_code(coded, "tilltro", "jobbfokus", coder="anna")
    assert info.path == "jobbfokus/tilltro"
    assert "jobbfokus/tilltro/tvivel" in paths(coded)
    assert [c.code_path for c in list_codings(coded)] == ["jobbfokus/tilltro/tvivel"]
    assert move_code(coded, "jobbfokus/tilltro", None, coder="anna").path == "tilltro"
    assert paths(coded)[-3:] == ["tilltro", "tilltro/uttryckt", "tilltro/tvivel"]


def test_move_refuses_cycles_and_name_clashes(project: Database) -> None:
    before = dump(Path(project.location))
    with pytest.raises(MdaError, match="cannot put 'tilltro' under itself or its own sub-code 'tilltro/tvivel'"):
        move_code(project, "tilltro", "tilltro/tvivel", coder="anna")
    with pytest.raises(MdaError, match="under itself"):
        move_code(project, "tilltro", "tilltro", coder="anna")
    add_code(project, "tvivel", coder="anna")
    before = dump(Path(project.location))
    with pytest.raises(MdaError, match="code 'tvivel' already exists under 'the top level'"):
        move_code(project, "tilltro/tvivel", None, coder="anna")
    assert dump(Path(project.location)) == before


def test_merge_moves_codings_collapses_duplicates_and_joins_memos(coded: Database) -> None:
    apply_code(coded, coder="anna", code="tilltro/tvivel", document="FG9", target=Target(turn=2), memo="tvekan")
    apply_code(coded, coder="anna", code="tilltro/uttryckt", document="FG9", target=Target(turn=2), memo="tydlig")
    apply_code(coded, coder="anna", code="tilltro/tvivel", document="FG9", target=Target(turn=4))
    apply_code(coded, coder="erik", code="tilltro/tvivel", document="FG9", target=Target(turn=2))
    add_code(coded, "djup", parent="tilltro/tvivel", coder="anna")
    add_memo(coded, "Tvivel är sällsynt", code="tilltro/tvivel", coder="anna")
    result = merge_codes(coded, "tilltro/tvivel", "tilltro/uttryckt", coder="anna")
    assert (result.source, result.target.path) == ("tilltro/tvivel", "tilltro/uttryckt")
    assert (result.codings_moved, result.duplicates_collapsed, result.children_moved) == (2, 1, 1)
    assert "tilltro/tvivel" not in paths(coded) and "tilltro/uttryckt/djup" in paths(coded)
    codings = sorted((c.coder, c.code_path, c.text[:8], c.memo) for c in list_codings(coded))
    assert codings == [
        ("anna", "tilltro/uttryckt", "Att jag ", "tydlig\ntvekan"),
        ("anna", "tilltro/uttryckt", "Hur märk", None),
        ("erik", "tilltro/uttryckt", "Att jag ", None),
    ]
    assert [(m.about, m.text) for m in list_memos(coded)] == [
        ("code tilltro/uttryckt", "Tvivel är sällsynt"),
        ("tilltro/uttryckt on FG9 turn 2", "tydlig\ntvekan"),
    ]


def test_merge_refuses_what_would_break_the_tree(project: Database) -> None:
    before = dump(Path(project.location))
    with pytest.raises(MdaError, match="cannot merge 'tilltro' into itself"):
        merge_codes(project, "tilltro", "tilltro", coder="anna")
    with pytest.raises(MdaError, match="cannot merge 'tilltro' into its own sub-code 'tilltro/tvivel'"):
        merge_codes(project, "tilltro", "tilltro/tvivel", coder="anna")
    add_code(project, "tvivel", parent="jobbfokus", coder="anna")
    before = dump(Path(project.location))
    with pytest.raises(MdaError, match="'tilltro' and 'jobbfokus' both have a sub-code 'tvivel'"):
        merge_codes(project, "tilltro", "jobbfokus", coder="anna")
    assert dump(Path(project.location)) == before


def test_merge_refuses_an_exclusive_clash(coded: Database) -> None:
    apply_code(coded, coder="anna", code="hållning/negativ", document="FG9", target=Target(turn=2))
    apply_code(coded, coder="anna", code="jobbfokus", document="FG9", target=Target(turn=2))
    before = dump(Path(coded.location))
    with pytest.raises(MdaError, match="mutually exclusive"):
        merge_codes(coded, "jobbfokus", "hållning/positiv", coder="anna")
    assert dump(Path(coded.location)) == before


def test_edit_sets_texts_per_language_colour_and_key(project: Database) -> None:
    edit_code(project, "jobbfokus", definition="Work above all.", language="en", coder="anna")
    info = edit_code(
        project,
        "jobbfokus",
        definition="Arbete först.",
        use_when="När jobb nämns.",
        color="#112233",
        key="j",
        coder="anna",
    )
    assert (info.definition, info.color, info.key) == ("Arbete först.", "#112233", "j")
    yaml_text = export_codebook_yaml(project)
    assert "Work above all." in yaml_text and "Arbete först." in yaml_text and "När jobb nämns." in yaml_text
    assert "Arbete som överordnat mål." not in yaml_text  # the plain text was the project language's
    entry = journal_entries(project, limit=1)[0]
    assert entry.action == "code.edit" and set(entry.data["after"]) == {"definition", "use_when", "color", "key"}
    cleared = edit_code(project, "jobbfokus", color="", key="", coder="anna")
    assert (cleared.color, cleared.key) == (None, None)
    assert edit_code(project, "jobbfokus", definition="", coder="anna").definition == "Work above all."


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"color": "#12345"}, r"color of 'jobbfokus' must look like #1f77b4 \(got '#12345'\)"),
        ({"key": "1"}, "key '1' of 'jobbfokus' is already the key of 'tilltro'"),
        ({"key": " "}, "key of 'jobbfokus' must be one character"),
    ],
)
def test_edit_refuses_a_bad_colour_or_a_taken_key(project: Database, kwargs: dict, message: str) -> None:
    before = dump(Path(project.location))
    with pytest.raises(MdaError, match=message):
        edit_code(project, "jobbfokus", coder="anna", **kwargs)
    assert dump(Path(project.location)) == before


def test_an_edit_that_changes_nothing_is_not_journalled(project: Database) -> None:
    events = len(journal_entries(project))
    edit_code(project, "tilltro", key="1", color="#4e79a7", coder="anna")
    rename_code(project, "tilltro", "tilltro", coder="anna")
    move_code(project, "tilltro", None, coder="anna")
    assert len(journal_entries(project)) == events
