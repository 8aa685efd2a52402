"""Exports and reports against golden files: the bytes are the contract.

The project is built through the command line, as a user would: FG9 (tests/conftest.py) in group
"FG 9", coded by anna and erik exactly as in ``tests/support/report_project.py`` (whose docstring
works the figures out by hand), with a memo on one coding. Dates and REFI-QDA GUIDs are replaced
by ``tests/support/golden.normalise``; nothing else is. ``MDA_CODER_UPDATE_GOLDEN=1`` rewrites the
files (review the diff).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from tests.conftest import MINI_CODEBOOK, TRANSCRIPT
from tests.support.golden import check, normalise

CODINGS = [
    ("anna", "tilltro", "--turn", "2", "Tron är grunden."),
    ("anna", "tilltro", "--span", "75-90", None),
    ("anna", "jobbfokus", "--sentence", "4", None),
    ("anna", "jobbfokus", "--turn", "3", None),
    ("anna", "tilltro", "--sentence", "6", None),
    ("anna", "tilltro/uttryckt", "--turn", "5", None),
    ("anna", "jobbfokus", "--span", "200-210", None),
    ("anna", "jobbfokus", "--span", "215-225", None),
    ("erik", "tilltro", "--turn", "1", None),
    ("erik", "tilltro/tvivel", "--sentence", "5", None),
]
"""``tests/support/report_project.CODINGS`` as command lines (coder, code, where, memo)."""

REPORTS = ["frequencies", "cooccurrence", "matrix", "sequences"]


def run(*args: object) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


@pytest.fixture(scope="module")
def studie(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("golden")
    codebook, transcript = folder / "mini.yaml", folder / "FG9.txt"
    codebook.write_text(MINI_CODEBOOK, encoding="utf-8")
    transcript.write_text(TRANSCRIPT, encoding="utf-8")
    project = folder / "studie.mda"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("MDA_CODER_LANG", "en")  # the autouse fixture is per test; this one is built once
        run("init", project, "--language", "sv", "--codebook", codebook)
        run("import", project, transcript, "--group", "FG 9")
        for coder, code, where, at, memo in CODINGS:
            run("codings", "apply", project, "FG9", "--coder", coder, "--code", code, where, at,
                *(["--memo", memo] if memo else []))  # fmt: skip
    return project


@pytest.mark.parametrize("report", REPORTS)
def test_report_table_markdown_and_csv(studie: Path, report: str, tmp_path: Path) -> None:
    check(f"report_{report}.txt", run("report", studie, report))
    md, csv = tmp_path / "r.md", tmp_path / "r.csv"
    run("report", studie, report, "--md", md, "--csv", csv)
    check(f"report_{report}.md", md.read_bytes())
    check(f"report_{report}.csv", csv.read_bytes())


def test_agreement_markdown_and_csv(studie: Path, tmp_path: Path) -> None:
    md, csv = tmp_path / "a.md", tmp_path / "a.csv"
    run("agree", studie, "--coder", "anna,erik", "--md", md, "--csv", csv)
    check("agreement.md", md.read_bytes())
    check("agreement.csv", csv.read_bytes())


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_codings_export(studie: Path, fmt: str, tmp_path: Path) -> None:
    out = tmp_path / f"codings.{fmt}"
    run("export", studie, fmt, out)
    check(f"codings.{fmt}", normalise(out.read_text(encoding="utf-8")))


def test_codebook_yaml_export(studie: Path, tmp_path: Path) -> None:
    out = tmp_path / "codebook.yaml"
    run("codebook", "export", studie, out)
    check("codebook.yaml", out.read_bytes())


def test_refi_codebook_export(studie: Path, tmp_path: Path) -> None:
    out = tmp_path / "codebook.qdc"
    run("export", studie, "qdc", out)
    check("codebook.qdc", normalise(out.read_text(encoding="utf-8")))


def test_refi_project_export(studie: Path, tmp_path: Path) -> None:
    out = tmp_path / "studie.qdpx"
    run("export", studie, "qdpx", out)
    with zipfile.ZipFile(io.BytesIO(out.read_bytes())) as archive:
        names = sorted(archive.namelist())
        check("project.qde", normalise(archive.read("project.qde").decode("utf-8")))
        sources = [n for n in names if n != "project.qde"]
        check("project_sources.txt", normalise("".join(f"{n}\n" for n in sources)))
        assert len(sources) == 1
        check("project_source_FG9.txt", archive.read(sources[0]))
