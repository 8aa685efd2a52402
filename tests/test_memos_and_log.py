"""Memos on codings listed with the others, and the log in words (code path, document, turn, coder) for every action."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from mda_coder.services import consensus, importing
from mda_coder.services.codebook import add_code, edit_code, merge_codes, move_code, rename_code
from mda_coder.services.coding import Target, apply_code, change_coding_span, list_codings, set_coding_memo
from mda_coder.services.memos import list_memos
from mda_coder.services.project import open_project
from mda_coder.services.queries import turns
from mda_coder.store.engine import Database

ROOT = Path(__file__).resolve().parents[1]

SECOND = "Moderator: Hur ser ni på krav?\nAnna Berg: Det beror på.\nAnna Berg: Mycket, faktiskt.\n"
PEOPLE = "label,role\nR1,arbetskonsulent\nR2,handläggare\n"


def run(*args: object) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def log(project: Path) -> list[dict[str, object]]:
    return json.loads(run("log", project, "--last", "1000", "--json"))


@pytest.fixture
def proj(tmp_path: Path, mini_codebook: Path, transcript: Path) -> Path:
    path = tmp_path / "studie.mda"
    run("init", path, "--language", "sv", "--codebook", mini_codebook)
    run("import", path, transcript, "--group", "FG9")
    return path


# -- memos ----------------------------------------------------------------------------------------


def test_memos_list_shows_the_memos_on_codings_with_code_document_turn_and_coder(proj: Path) -> None:
    run("memos", "add", proj, "Tät om tilltro", "-d", "FG9", "--turn", "2", "-c", "anna")
    run(
        "codings",
        "apply",
        proj,
        "FG9",
        "-c",
        "erik",
        "--code",
        "tilltro/tvivel",
        "--sentence",
        "3",
        "--memo",
        "tvekar [paus] lite",
    )
    run("codings", "apply", proj, "FG9", "-c", "anna", "--code", "jobbfokus", "--turn", "5")  # no memo: not listed
    listed = json.loads(run("memos", "list", proj, "--json"))
    assert [(m["kind"], m["about"], m["coder"], m["text"]) for m in listed] == [
        ("turn", "FG9 turn 2", "anna", "Tät om tilltro"),
        ("coding", "tilltro/tvivel on FG9 turn 2", "erik", "tvekar [paus] lite"),
    ]
    coding = listed[1]
    erik = list_codings_of(proj, "erik")[0]
    assert (coding["code"], coding["document"], coding["turn"], coding["coding_id"], coding["id"]) == (
        "tilltro/tvivel",
        "FG9",
        2,
        erik,
        None,
    )
    assert (listed[0]["document"], listed[0]["turn"], listed[0]["id"]) == ("FG9", 2, 1)
    shown = run("memos", "list", proj)
    row = next(line for line in shown.splitlines() if "tilltro/tvivel on FG9 turn 2" in line)
    assert "erik" in row and "tvekar [paus] lite" in row


def list_codings_of(project: Path, coder: str) -> list[int]:
    db = open_project(project)
    try:
        return [c.id for c in list_codings(db, coder=coder)]
    finally:
        db.close()


def test_a_coding_memo_follows_its_coding_to_a_new_path_and_a_new_turn(project: Database, transcript: Path) -> None:
    importing.import_files(project, [transcript], group="FG9")
    coding, _ = apply_code(project, coder="anna", code="tilltro/tvivel", document="FG9", target=Target(turn=2))
    set_coding_memo(project, coding.id, "tvekan", coder="anna")
    rename_code(project, "tilltro/tvivel", "tvekan", coder="anna")
    fourth = turns(project, "FG9")[3].span
    change_coding_span(project, coding.id, fourth.start, fourth.end, coder="anna")
    [memo] = list_memos(project)
    assert (memo.kind, memo.about, memo.code, memo.document, memo.turn, memo.coder) == (
        "coding",
        "tilltro/tvekan on FG9 turn 4",
        "tilltro/tvekan",
        "FG9",
        4,
        "anna",
    )
    set_coding_memo(project, coding.id, None, coder="anna")
    assert list_memos(project) == []


# -- the log ---------------------------------------------------------------------------------------


def busy(proj: Path, tmp_path: Path) -> int:
    """Do every kind of thing the journal records, from the CLI where it can; returns the offset of anna's coding."""
    second = tmp_path / "FG10.txt"
    second.write_text(SECOND, encoding="utf-8")
    people = tmp_path / "deltagare.csv"
    people.write_text(PEOPLE, encoding="utf-8")
    run("import", proj, second)
    run("speaker", proj, "FG9", "R1", "--name", "Lena", "--person", "Lena Berglund", "--attr", "kommun=Norrvik")
    run("document", proj, "FG9", "--group", "FG 9", "--attr", "datum=2024-03-14")
    run("speakers", "import", proj, people, "-d", "FG9")
    run("memos", "add", proj, "Tät om tilltro", "-d", "FG9", "--turn", "2", "-c", "anna")
    run("memos", "add", proj, "Skärp definitionen", "--code", "tilltro")
    run("codings", "apply", proj, "FG9", "-c", "anna", "--code", "tilltro", "--turn", "2")
    run("codings", "apply", proj, "FG9", "-c", "erik", "--code", "tilltro/tvivel", "--turn", "2")
    run("codings", "apply", proj, "FG10", "-c", "erik", "--code", "jobbfokus", "--turn", "2")
    db = open_project(proj)
    try:
        anna = list_codings(db, coder="anna")[0]
        set_coding_memo(db, anna.id, "tydlig", coder="anna")
        change_coding_span(db, anna.id, anna.span.start, anna.span.start + 10, coder="anna")
        add_code(db, "djup", parent="tilltro", coder="anna")
        rename_code(db, "tilltro/djup", "djupt", coder="anna")
        move_code(db, "tilltro/djupt", "jobbfokus", coder="anna")
        edit_code(db, "jobbfokus", definition="Arbete först.", coder="anna")
        merge_codes(db, "jobbfokus/djupt", "jobbfokus", coder="anna")
        first = consensus.review(db, ["anna", "erik"], "turn").items[0]
        consensus.settle(db, first, "neither", reviewer="lisa")
        apply_code(db, coder="anna", code="hållning/positiv", document="FG9", target=Target(turn=5))
        apply_code(db, coder="erik", code="hållning/positiv", document="FG9", target=Target(turn=5))
        consensus.adopt_agreed(db, ["anna", "erik"], "turn", "hållning", reviewer="lisa")
    finally:
        db.close()
    run("undo", proj, "--as", "anna")
    run("redo", proj, "--as", "anna")
    run("codings", "remove", proj, "FG10", "-c", "erik", "--code", "jobbfokus", "--turn", "2")
    run("documents", "remove", proj, "FG10", "--yes", "--as", "erik")
    # other words of the same length: the earlier entries' offsets still name turn 2 as it is
    run("turn", "edit", proj, "FG9", "2", "--text", "Nej, ingenting av det där stämmer, svarade hon nu!.")
    run("document", "flags", proj, "--resolve-all")
    return anna.span.start


def test_the_log_says_what_each_action_did_in_words(proj: Path, tmp_path: Path) -> None:
    start = busy(proj, tmp_path)
    entries = log(proj)
    words = [(e["actor"], e["action"], e["description"]) for e in entries]
    who = words[0][0]  # the OS user, who made the project
    second_turn = f"FG10 (removed) {SECOND.index('Det')}-{SECOND.index('.', SECOND.index('Det')) + 1}"
    assert words == [
        (who, "project.create", "create the project (language sv)"),
        (who, "codebook.import", "import codebook Mini from mini.yaml (8 new codes, 0 changed)"),
        (who, "document.import", "import FG9 from FG9.txt, group FG9"),
        (who, "document.import", "import FG10 from FG10.txt"),
        (who, "speaker.describe", "describe speaker R1 of FG9: name Lena, person Lena Berglund, kommun=Norrvik"),
        (who, "document.describe", "describe FG9: group FG 9, datum=2024-03-14"),
        (who, "speaker.describe", "describe speaker R1 of FG9: role arbetskonsulent (from deltagare.csv line 2)"),
        (who, "speaker.describe", "describe speaker R2 of FG9: role handläggare (from deltagare.csv line 3)"),
        (who, "speaker.import", "import speakers from deltagare.csv: 2 rows, 2 matched, 2 speakers changed"),
        ("anna", "memo.add", "memo on FG9 turn 2: “Tät om tilltro”"),
        (who, "memo.add", "memo on code tilltro: “Skärp definitionen”"),
        ("anna", "coding.apply", "apply tilltro to FG9 turn 2"),
        ("erik", "coding.apply", "apply tilltro/tvivel to FG9 turn 2"),
        ("erik", "coding.apply", f"apply jobbfokus to {second_turn}"),
        ("anna", "coding.memo", "edit the memo of tilltro on FG9 turn 2"),
        ("anna", "coding.span", f"change the span of tilltro on FG9 turn 2 ({start}-{start + 10})"),
        ("anna", "code.add", "add code tilltro/djup"),
        ("anna", "code.rename", "rename tilltro/djup to djupt"),
        ("anna", "code.move", "move tilltro/djupt to jobbfokus/djupt"),
        ("anna", "code.edit", "edit code jobbfokus"),
        ("anna", "code.merge", "merge jobbfokus/djupt into jobbfokus"),
        ("consensus", "consensus.settle", "settle tilltro on FG9 turn 2: neither (reviewed by lisa)"),
        ("anna", "coding.apply", "apply hållning/positiv to FG9 turn 5"),
        ("erik", "coding.apply", "apply hållning/positiv to FG9 turn 5"),
        ("consensus", "consensus.adopt", "adopt 1 agreed units into consensus (reviewed by lisa)"),
        ("anna", "history.undo", "undo: apply hållning/positiv to FG9 turn 5"),
        ("anna", "history.redo", "redo: apply hållning/positiv to FG9 turn 5"),
        ("erik", "coding.remove", f"remove jobbfokus from {second_turn}"),
        ("erik", "document.remove", "remove document FG10 (3 turns, 0 codings)"),
        (who, "turn.edit", "edit turn 2 of FG9"),
        (who, "flags.resolve", "mark 3 flagged codings reviewed"),
    ]
    # The ids stay in --json: the entry's own, the entity's, and the data undo works from.
    assert [e["id"] for e in entries] == list(range(1, len(entries) + 1))
    apply = entries[12]
    assert apply["entity"] == "coding" and isinstance(apply["entity_id"], int) and apply["data"]["start"] >= 0
    # The table says the same, on one line per entry.
    shown = run("log", proj, "--last", "7")
    assert re.search(r"erik\W+coding\.remove\W+remove jobbfokus from FG10 \(removed\)", shown)
    assert re.search(r"anna\W+history\.undo\W+undo: apply hållning/positiv to FG9 turn 5", shown)
    assert "project.create" not in shown  # only the last seven


def test_the_log_names_what_a_refi_import_did(proj: Path, tmp_path: Path) -> None:
    run("codings", "apply", proj, "FG9", "-c", "anna", "--code", "tilltro", "--turn", "2", "--memo", "tydlig")
    run("memos", "add", proj, "Om hela studien", "-c", "anna")
    run("export", proj, "qdpx", tmp_path / "studie.qdpx")
    other = tmp_path / "annan.mda"
    run("init", other, "--language", "sv")
    run("import-qdpx", other, tmp_path / "studie.qdpx")
    words = [(e["action"], e["description"]) for e in log(other)][1:]
    assert words == [
        ("codebook.import", "import a codebook from studie.qdpx (8 new codes, 0 changed)"),
        ("document.import", "import FG9 from studie.qdpx: FG9, group FG9"),
        ("coding.apply", "apply tilltro to FG9 turn 2"),
        ("memo.add", "memo on project: “Om hela studien”"),
    ]
    memos = json.loads(run("memos", "list", other, "--json"))
    assert [(m["about"], m["coder"], m["text"]) for m in memos] == [
        ("project", "anna", "Om hela studien"),
        ("tilltro on FG9 turn 2", "anna", "tydlig"),
    ]


def test_every_action_the_project_journals_is_described_in_words(proj: Path, tmp_path: Path) -> None:
    """An action added later without words would show as ``entity id``: the source says which actions there are."""
    recorded = set()
    for path in (ROOT / "mda_coder").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr == "record"
                and len(node.args) >= 3
                and isinstance(node.args[2], ast.Constant)
            ):
                recorded.add(node.args[2].value)
    assert {"coding.apply", "memo.add", "document.import", "speaker.import", "code.merge"} <= recorded
    busy(proj, tmp_path)
    entries = log(proj)
    assert recorded <= {e["action"] for e in entries}, recorded - {e["action"] for e in entries}
    for e in entries:
        assert e["description"] != f"{e['entity']} {e['entity_id'] or ''}".strip(), e
