"""Applying, removing, listing, importing and exporting codings through the services."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from mda_coder.core.errors import MdaError, NotFoundError
from mda_coder.export.codings_table import write_csv
from mda_coder.services import importing
from mda_coder.services.coding import Target, apply_code, export_rows, import_codings, list_codings, remove_code
from mda_coder.services.project import create_project
from mda_coder.store.engine import Database
from mda_coder.store.journal import entries
from tests.support.snapshot import dump


@pytest.fixture
def coded(project: Database, transcript: Path) -> Database:
    importing.import_files(project, [transcript], group="FG9")
    return project


def test_apply_to_turn_sentence_and_span(coded: Database) -> None:
    c1, new1 = apply_code(coded, coder="anna", code="tilltro", document="FG9", target=Target(turn=2))
    assert new1 and c1.text == "Att jag tror på deltagaren. Även när det går trögt."
    c2, _ = apply_code(coded, coder="anna", code="jobbfokus", document="FG9", target=Target(sentence=6))
    assert c2.text == "Och att vi fokuserar på jobb..."
    c3, _ = apply_code(
        coded,
        coder="erik",
        code="tilltro/tvivel",
        document="FG9",
        target=Target(span=(c1.span.start, c1.span.start + 3)),
    )
    assert c3.text == "Att" and c3.code_path == "tilltro/tvivel"
    again, new = apply_code(coded, coder="anna", code="tilltro", document="FG9", target=Target(turn=2))
    assert not new and again.id == c1.id
    assert [(c.coder, c.code_path) for c in list_codings(coded, document="FG9")] == [
        ("erik", "tilltro/tvivel"),
        ("anna", "tilltro"),
        ("anna", "jobbfokus"),
    ]
    assert len(list_codings(coded, coder="anna")) == 2


def test_every_change_is_journalled(coded: Database) -> None:
    apply_code(coded, coder="anna", code="tilltro", document="FG9", target=Target(turn=2))
    remove_code(coded, coder="anna", code="tilltro", document="FG9", target=Target(turn=2))
    with coded.transaction() as s:
        actions = [(actor, action) for _, actor, action, *_ in entries(s)]
    assert actions[-2:] == [("anna", "coding.apply"), ("anna", "coding.remove")]
    assert ("test", "project.create") in actions
    assert "document.import" in [action for _, action in actions]


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"code": "trust", "target": Target(turn=1)}, NotFoundError, "unknown code 'trust'"),
        (
            {"code": "tilltro", "target": Target(turn=99)},
            NotFoundError,
            "document 'FG9' has no turn 99 (it has turns 1-5)",
        ),
        ({"code": "tilltro", "target": Target(sentence=0)}, NotFoundError, "has no sentence 0"),
        ({"code": "tilltro", "target": Target(span=(10, 5))}, MdaError, "span 10-5 is not inside the text"),
        ({"code": "tilltro", "target": Target(span=(0, 10**6))}, MdaError, "is not inside the text"),
        (
            {"code": "tilltro", "document": "FG1", "target": Target(turn=1)},
            NotFoundError,
            "no document called 'FG1' (documents: FG9)",
        ),
    ],
)
def test_bad_requests_fail_clearly_and_change_nothing(coded: Database, kwargs: dict, error: type, message: str) -> None:
    before = dump(Path(coded.location))
    args = {"coder": "anna", "document": "FG9", **kwargs}
    with pytest.raises(error, match=message.replace("(", r"\(").replace(")", r"\)")):
        apply_code(coded, **args)
    assert dump(Path(coded.location)) == before


def test_exclusive_codes_cannot_overlap_for_one_coder(coded: Database) -> None:
    apply_code(coded, coder="anna", code="hållning/positiv", document="FG9", target=Target(turn=2))
    with pytest.raises(MdaError, match="mutually exclusive"):
        apply_code(coded, coder="anna", code="hållning/negativ", document="FG9", target=Target(sentence=3))
    # Another coder may disagree: that is what agreement measures.
    apply_code(coded, coder="erik", code="hållning/negativ", document="FG9", target=Target(turn=2))


def test_remove_takes_only_codings_inside_the_target(coded: Database) -> None:
    apply_code(coded, coder="anna", code="tilltro", document="FG9", target=Target(sentence=3))
    apply_code(coded, coder="anna", code="tilltro", document="FG9", target=Target(sentence=4))
    removed = remove_code(coded, coder="anna", code="tilltro", document="FG9", target=Target(turn=2))
    assert [c.text for c in removed] == ["Att jag tror på deltagaren.", "Även när det går trögt."]
    with pytest.raises(NotFoundError, match="anna has not coded turn 2"):
        remove_code(coded, coder="anna", code="tilltro", document="FG9", target=Target(turn=2))
    apply_code(coded, coder="anna", code="tilltro", document="FG9", target=Target(turn=2))
    with pytest.raises(MdaError, match="overlaps it"):
        remove_code(coded, coder="anna", code="tilltro", document="FG9", target=Target(sentence=3))


def test_csv_import_is_all_or_nothing_with_the_line(coded: Database, tmp_path: Path) -> None:
    good = tmp_path / "codings.csv"
    good.write_text(
        "coder,document,code,turn,start,end,memo\nanna,FG9,tilltro,2,,,stark\nerik,FG9,jobbfokus,,50,60,\n",
        encoding="utf-8",
    )
    assert import_codings(coded, good) == (2, 0)
    assert import_codings(coded, good) == (0, 2)
    bad = tmp_path / "bad.csv"
    bad.write_text("coder,document,code,turn\nanna,FG9,jobbfokus,3\nanna,FG9,nope,4\n", encoding="utf-8")
    before = dump(Path(coded.location))
    with pytest.raises(MdaError, match=r"bad.csv:3: unknown code 'nope'"):
        import_codings(coded, bad)
    assert dump(Path(coded.location)) == before
    missing = tmp_path / "missing.csv"
    missing.write_text("who,document,code\nanna,FG9,tilltro\n", encoding="utf-8")
    with pytest.raises(MdaError, match="missing column"):
        import_codings(coded, missing)


def test_export_then_import_reproduces_codings(
    coded: Database, tmp_path: Path, mini_codebook: Path, transcript: Path
) -> None:
    apply_code(coded, coder="anna", code="tilltro", document="FG9", target=Target(turn=2), memo="tydlig tilltro")
    apply_code(coded, coder="erik", code="jobbfokus", document="FG9", target=Target(sentence=6))
    rows = export_rows(coded)
    assert [(r.turn, r.speaker, r.group) for r in rows] == [(2, "R1", "FG9"), (3, "R2", "FG9")]
    buffer = io.StringIO()
    write_csv(rows, buffer)
    parsed = list(csv.DictReader(io.StringIO(buffer.getvalue())))
    assert parsed[0]["text"] == "Att jag tror på deltagaren. Även när det går trögt."
    exported = tmp_path / "export.csv"
    exported.write_text(buffer.getvalue(), encoding="utf-8")
    other = create_project(tmp_path / "other.mda", "sv", mini_codebook)
    importing.import_files(other, [transcript], group="FG9")
    assert import_codings(other, exported) == (2, 0)
    key = lambda c: (c.coder, c.code_path, c.span, c.memo)  # noqa: E731
    assert sorted(map(key, list_codings(other))) == sorted(map(key, list_codings(coded)))
    other.close()
