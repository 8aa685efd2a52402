"""``mda-coder report`` in-process on a project built with the services: tables, CSV, JSON, Markdown, mistakes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from tests.support.report_project import build
from tests.support.tables import plain_cell


def run(*args: object, ok: bool = True) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert (result.exit_code == 0) == ok, result.output
    return result.output


@pytest.fixture
def proj(tmp_path: Path, mini_codebook: Path, transcript: Path) -> Path:
    path = tmp_path / "studie.mda"
    build(path, mini_codebook, transcript).close()
    return path


def test_cooccurrence_table_of_one_measure(proj: Path) -> None:
    out = run("report", proj, "cooccurrence", "--unit", "turn", "--measure", "jaccard")
    assert "Code co-occurrence: jaccard" in out and "units: 5" in out
    assert plain_cell(out, "jobbfokus", "tilltro") == "0.500"  # with tilltro: 2 / (3 + 3 − 2)


def test_every_report_prints_a_table(proj: Path) -> None:
    assert "tilltro" in run("report", proj, "frequencies", "--per-coder")
    out = run("report", proj, "matrix", "--rows", "code", "--cols", "speaker-role", "--no-moderator")
    header = next(line for line in out.splitlines() if line.startswith("code  "))
    assert "(no role)" in header and "moderator" not in header
    assert "share" in run("report", proj, "sequences")
    out = run("report", proj, "cooccurrence", "--unit", "overlap", "--measure", "phi")
    assert "undefined [1]" in out and "[1] overlapping codings have no fixed number of units" in out


def test_json_for_scripts(proj: Path) -> None:
    data = json.loads(run("report", proj, "cooccurrence", "--within", "1", "--json"))
    assert data["report"] == "cooccurrence"
    assert "unit: within 1 turn (a turn and the 1 after it)" in data["facts"]
    first = data["rows"][0]
    assert (first["code_a"], first["code_b"], first["n_ab"]) == ("jobbfokus", "tilltro", 3)
    doc = json.loads(run("report", proj, "cooccurrence", "--unit", "document", "--json"))
    assert doc["rows"][0]["phi"] is None
    assert doc["undefined"][0]["column"] == "phi" and "φ needs" in doc["undefined"][0]["reason"]


def test_csv_and_markdown_files(proj: Path, tmp_path: Path) -> None:
    csv_path, md_path = tmp_path / "m.csv", tmp_path / "m.md"
    result = CliRunner().invoke(
        cli,
        [
            "report",
            str(proj),
            "matrix",
            "--cols",
            "speaker",
            "--values",
            "unit-share",
            "--csv",
            str(csv_path),
            "--md",
            str(md_path),
        ],
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(csv_path.read_text(encoding="utf-8"))))
    assert rows[0] == ["code", "I", "R1", "R2", "total"]
    assert rows[1] == ["jobbfokus", "0.0", "1.0", "1.0", "0.6"]
    assert rows[-1] == ["(turns)", "2", "2", "1", "5"]
    md = md_path.read_text(encoding="utf-8")
    assert "| jobbfokus | 0.0% | 100.0% | 100.0% | 60.0% |" in md
    assert md.startswith("# Codes × speaker\n")


def test_markdown_escapes_a_bar_in_a_code_name(proj: Path) -> None:
    run("codebook", "import", proj, _codebook(proj.parent, "a|b"))
    run("codings", "apply", proj, "FG9", "--coder", "anna", "--code", "a|b", "--turn", "2")
    md = run("report", proj, "cooccurrence", "--measure", "count", "--md", "-")
    assert "| a\\|b | 1 |" in md
    assert "| code | a\\|b | jobbfokus |" in md


def _codebook(folder: Path, name: str) -> Path:
    path = folder / "extra.yaml"
    path.write_text(f'name: extra\ncodes:\n  - name: "{name}"\n', encoding="utf-8")
    return path


def test_stdout_csv(proj: Path) -> None:
    out = run("report", proj, "sequences", "--csv", "-")
    assert out.splitlines()[0] == "from,to,transitions,speaker_changes,same_speaker,from_followed,share"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["frequencies", "--coder", "nobody"], "unknown coder 'nobody' (coders: anna, erik)"),
        (["cooccurrence", "--speaker", "R9"], "unknown speaker 'R9'"),
        (["matrix", "--role", "chef"], "unknown role 'chef'"),
        (["frequencies", "--document", "FG1"], "no document called 'FG1'"),
        (["sequences", "--codes", "okänd"], "okänd"),
        (["matrix", "--measure", "jaccard"], "--measure applies to cooccurrence reports, not to matrix"),
        (
            ["sequences", "--unit", "sentence"],
            "--unit applies to frequencies, cooccurrence and matrix reports, not to sequences",
        ),
        (["matrix", "--unit", "overlap"], "--unit overlap is for cooccurrence"),
        (["cooccurrence", "--unit", "sentence", "--within", "2"], "--within K counts turns"),
        (["matrix", "--cols", "kommun"], "cannot make columns of 'kommun'"),
        (["matrix", "--rows", "speaker", "--cols", "group"], "a matrix has codes on one side"),
        (["cooccurrence", "--json", "--md", "-"], "--json and --md - would all write to stdout"),
    ],
)
def test_mistakes_are_one_line_and_change_nothing(proj: Path, args: list[str], message: str) -> None:
    before = proj.read_bytes()
    result = CliRunner().invoke(cli, ["report", str(proj), *args])
    assert result.exit_code == 1
    assert message in result.output
    assert "Traceback" not in result.output and len(result.output.strip().splitlines()) == 1
    assert proj.read_bytes() == before


def test_refuses_to_write_over_the_project(proj: Path) -> None:
    out = run("report", proj, "frequencies", "--csv", proj, ok=False)
    assert "would write over the project" in out
