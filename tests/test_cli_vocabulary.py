"""One vocabulary on the command line: --codes, --code, --coder, --document, --turn/--sentence mean the same everywhere."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from tests.conftest import CODEBOOK
from tests.support.tables import PIPE
from tests.support.tui import sample_copy

DANISH = """\
I: Velkommen. Hvad tænker I om tillid? Sig endelig til.
X: Jeg tror på borgeren. Men det tager tid. Meget tid.
Y: Enig.
"""


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project (two coders' codings of three focus groups); the tests here only read it."""
    return sample_copy(tmp_path_factory.mktemp("vocabulary"))


def run(*args: object, ok: bool = True) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], env=PIPE)
    assert (result.exit_code == 0) == ok, result.output
    return result.output


def coding_ids(output: str, fmt: str) -> set[int]:
    if fmt == "json":
        return {row.get("id", row.get("coding_id")) for row in json.loads(output)}
    return {int(row["coding_id"]) for row in csv.DictReader(io.StringIO(output))}


def test_codes_is_the_codes_with_their_sub_codes_in_every_command(sample: Path) -> None:
    listed = json.loads(run("codings", "list", sample, "--codes", "tilltro", "--json"))
    paths = {c["code_path"] for c in listed}
    assert "tilltro" in paths and any(p.startswith("tilltro/") for p in paths)
    assert all(p == "tilltro" or p.startswith("tilltro/") for p in paths)
    ids = {c["id"] for c in listed}
    assert coding_ids(run("codings", "export", sample, "--codes", "tilltro"), "csv") == ids
    assert coding_ids(run("export", sample, "csv", "-", "--codes", "tilltro"), "csv") == ids
    report = json.loads(run("report", sample, "frequencies", "--codes", "tilltro", "--json"))
    assert paths <= {r["code"] for r in report["rows"]}
    assert all(r["code"] == "tilltro" or r["code"].startswith("tilltro/") for r in report["rows"])
    assert sum(r["codings"] for r in report["rows"]) == len(ids)
    agree = json.loads(run("agree", sample, "--coder", "anna,erik", "--codes", "tilltro", "--json"))
    assert {c["code"] for c in agree["codes"]} <= {r["code"] for r in report["rows"]}
    assert any(c["code"].startswith("tilltro/") for c in agree["codes"])


def test_code_is_one_code_exactly_without_its_sub_codes(sample: Path) -> None:
    only = json.loads(run("codings", "list", sample, "--code", "tilltro", "--json"))
    family = json.loads(run("codings", "list", sample, "--codes", "tilltro", "--json"))
    assert only and {c["code_path"] for c in only} == {"tilltro"}
    assert len(only) < len(family)
    exported = coding_ids(run("codings", "export", sample, "--code", "tilltro", "--format", "json"), "json")
    assert exported == {c["id"] for c in only}


@pytest.mark.parametrize(
    ("command", "fmt"),
    [
        (["codings", "list", "{p}", "--json"], "json"),
        (["codings", "export", "{p}"], "csv"),
        (["export", "{p}", "csv", "-"], "csv"),
        (["report", "{p}", "frequencies", "--per-coder", "--json"], "report"),
        (["agree", "{p}", "--json"], "agree"),
    ],
)
def test_coder_and_document_take_a_repeat_or_a_list_everywhere(sample: Path, command: list[str], fmt: str) -> None:
    base = [a.format(p=sample) for a in command]
    by_list = run(*base, "--coder", "anna,erik", "--document", "FG1_Norrvik,FG3_Älvdala_zoom")
    by_repeat = run(*base, "-c", "anna", "-c", "erik", "-d", "FG1_Norrvik", "-d", "FG3_Älvdala_zoom")
    assert by_list == by_repeat
    if fmt in ("json", "csv"):
        rows = json.loads(by_list) if fmt == "json" else list(csv.DictReader(io.StringIO(by_list)))
        assert {r["document"] for r in rows} == {"FG1_Norrvik", "FG3_Älvdala_zoom"}
        assert {r["coder"] for r in rows} == {"anna", "erik"}
        anna = run(*base, "--coder", "anna", "--document", "FG1_Norrvik")
        anna_rows = json.loads(anna) if fmt == "json" else list(csv.DictReader(io.StringIO(anna)))
        assert anna_rows and {(r["coder"], r["document"]) for r in anna_rows} == {("anna", "FG1_Norrvik")}


def test_agree_takes_coder_and_still_the_old_coders_which_help_no_longer_shows(sample: Path) -> None:
    new = run("agree", sample, "--coder", "anna,erik", "--json")
    assert run("agree", sample, "--coders", "anna,erik", "--json") == new
    assert run("agree", sample, "--coder", "anna", "--coders", "erik", "--json") == new
    help_text = run("agree", "--help")
    assert "--coder" in help_text and "--coders" not in help_text
    assert "--coder anna,erik" in run("agree", sample, ok=False)


def test_speakers_import_and_turns_take_lists_too(sample: Path, tmp_path: Path) -> None:
    table = tmp_path / "talare.csv"
    table.write_text("etikett;roll\nR1;arbetskonsulent\n", encoding="utf-8")
    by_list = run("speakers", "import", sample, table, "-d", "FG1_Norrvik,FG2_Sjöstad", "--dry-run", "--json")
    assert by_list == run(
        "speakers", "import", sample, table, "-d", "FG1_Norrvik", "-d", "FG2_Sjöstad", "--dry-run", "--json"
    )
    turns = json.loads(run("turns", sample, "FG1_Norrvik", "--speaker", "R1,R2", "--json"))
    assert {t["speaker"] for t in turns} == {"R1", "R2"}
    # A display name or a person, as report --speaker reads it.
    named = json.loads(run("turns", sample, "FG2_Sjöstad", "--speaker", "Lena Berglund", "--json"))
    assert named and {t["speaker"] for t in named} == {"Lena Berglund"}


@pytest.fixture
def danish(tmp_path: Path) -> Path:
    (tmp_path / "tillid.txt").write_text(DANISH, encoding="utf-8")
    project = tmp_path / "studie.mda"
    run("init", project, "--language", "da", "--codebook", CODEBOOK)
    run("import", project, tmp_path / "tillid.txt")
    return project


def test_sentence_with_a_turn_is_numbered_within_that_turn(danish: Path, tmp_path: Path) -> None:
    sentences = json.loads(run("sentences", danish, "tillid", "--json"))
    by_text = {s["text"]: s for s in sentences}
    assert (by_text["Meget tid."]["turn"], by_text["Meget tid."]["in_turn"]) == (2, 3)
    out = run("codings", "apply", danish, "tillid", "-c", "anna", "--code", "tilltro", "--turn", "2", "--sentence", "3")
    assert "“Meget tid.”" in out
    # Alone, --sentence counts in the whole document: sentence 3 is the moderator's last.
    out = run("codings", "apply", danish, "tillid", "-c", "erik", "--code", "tilltro", "--sentence", "3")
    assert "“Sig endelig til.”" in out
    assert "turn 2 of 'tillid' has no sentence 4 (it has sentences 1-3)" in run(
        "codings",
        "apply",
        danish,
        "tillid",
        "-c",
        "anna",
        "--code",
        "tilltro",
        "--turn",
        "2",
        "--sentence",
        "4",
        ok=False,
    )
    # codings import reads a turn and a sentence the same way, and remove finds the same span.
    rows = tmp_path / "rows.csv"
    rows.write_text("coder,document,code,turn,sentence\nbo,tillid,jobbfokus,2,2\n", encoding="utf-8")
    run("codings", "import", danish, rows)
    [bo] = json.loads(run("codings", "list", danish, "--coder", "bo", "--json"))
    assert bo["text"] == "Men det tager tid."
    out = run(
        "codings", "remove", danish, "tillid", "-c", "anna", "--code", "tilltro", "--turn", "2", "--sentence", "3"
    )
    assert out.startswith("removed: tilltro by anna")
