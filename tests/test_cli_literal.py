"""What you read is what is stored: every CLI output prints bracketed text as written, never as markup.

Transcribers write ``[skratt]`` and ``[paus]``; a code may be called ``[test]``, a coder ``[erik]``,
a memo may hold ``[/b]`` (which, read as markup, stops the command) or a lone ``[``. Each test puts
such text where a user would see it and checks it comes out as written, on a terminal and in a file.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from tests.support.tables import PIPE, shown, terminal

CODEBOOK = """\
name: Klammer
language: sv
codes:
  - name: "[test]"
    key: "1"
    color: "#4e79a7"
    definition: "Ett [/b] test [ med [skratt]"
    children:
      - name: "[paus]"
  - name: jobbfokus
    key: "2"
    definition: Arbete som mål.
"""

TRANSCRIPT = """\
I: Välkomna. Vad betyder tilltro för er? [paus]
R1: [skratt] Att jag tror på deltagaren. Även när [/b] det går trögt.
R2: Jeg tror [Anna] har ret. Det er [ svært.
R1. [skratt] Nej, inte alltid.
I: Hur märks det?
R1: Vi pratar om arbete i varje möte.
"""

MODES = {"file": PIPE, "terminal": terminal(120)}


@pytest.fixture(params=list(MODES), ids=list(MODES))
def mode(request: pytest.FixtureRequest) -> dict[str, str | None]:
    return MODES[request.param]


def invoke(env: dict[str, str | None], *args: object) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return shown(result.output)


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project where names, codes, coders, memos and the transcript all hold brackets."""
    here = tmp_path_factory.mktemp("klammer")
    (here / "k.yaml").write_text(CODEBOOK, encoding="utf-8")
    (here / "[samtal].txt").write_text(TRANSCRIPT, encoding="utf-8")
    path = here / "[studie].mda"
    steps = [
        ("init", path, "--codebook", here / "k.yaml"),
        ("import", path, here / "[samtal].txt", "--group", "[FG]"),
        ("speaker", path, "[samtal]", "I", "--role", "[ledare]", "--name", "[Inga]"),
        (
            "codings",
            "apply",
            path,
            "[samtal]",
            "--coder",
            "anna",
            "--code",
            "[test]",
            "--turn",
            "2",
            "--memo",
            "[paus] ok",
        ),
        ("codings", "apply", path, "[samtal]", "--coder", "[erik]", "--code", "[test]/[paus]", "--turn", "2"),
        ("codings", "apply", path, "[samtal]", "--coder", "[erik]", "--code", "[test]", "--turn", "3"),
        ("codings", "apply", path, "[samtal]", "--coder", "anna", "--code", "[test]", "--turn", "3"),
        ("codings", "apply", path, "[samtal]", "--coder", "[erik]", "--code", "jobbfokus", "--turn", "6"),
        ("memos", "add", path, "[paus] ok", "--code", "[test]", "--coder", "anna"),
    ]
    for step in steps:
        invoke(PIPE, *step)
    return path


def test_import_prints_the_transcript_and_its_names_as_written(project: Path, mode: dict[str, str | None]) -> None:
    source = project.parent / "[samtal].txt"
    out = invoke(mode, "import", project, source, "--preview")
    assert f"{source} would become [samtal]" in out
    assert "R1: [skratt] Att jag tror på deltagaren. Även när [/b] det går trögt." in out
    assert "R1. [skratt] Nej, inte alltid." in out  # the doubtful line, as written
    again = invoke(mode, "import", project, source)
    assert f"{source}: already imported as '[samtal]', skipped" in again


def test_turns(project: Path, mode: dict[str, str | None]) -> None:
    out = invoke(mode, "turns", project, "[samtal]")
    assert "[skratt] Att jag tror på deltagaren. Även när [/b] det går trögt." in out
    assert "Jeg tror [Anna] har ret. Det er [ svært." in out
    assert "tilltro för er? [paus]" in out


def test_sentences(project: Path, mode: dict[str, str | None]) -> None:
    out = invoke(mode, "sentences", project, "[samtal]", "--turn", "3")
    assert "[Anna]" in out and "[ svært." in out
    assert "[skratt]" in invoke(mode, "sentences", project, "[samtal]", "--turn", "2")


def test_codings_list(project: Path, mode: dict[str, str | None]) -> None:
    out = invoke(mode, "codings", "list", project)
    assert "[test]/[paus]" in out and "[erik]" in out and "[samtal]" in out
    assert "[skratt] Att jag tror på deltagaren." in out


def test_codebook_list(project: Path, mode: dict[str, str | None]) -> None:
    out = invoke(mode, "codebook", "list", project)
    assert "[test]" in out and "  [paus]" in out
    assert "Ett [/b] test [ med [skratt]" in out


def test_memos_list(project: Path, mode: dict[str, str | None]) -> None:
    out = invoke(mode, "memos", "list", project)
    assert "[paus] ok" in out and "[test]" in out


def test_log(project: Path, mode: dict[str, str | None]) -> None:
    assert "[erik]" in invoke(mode, "log", project)


def test_speakers_and_documents(project: Path, mode: dict[str, str | None]) -> None:
    speakers = invoke(mode, "speakers", project)
    assert "[Inga]" in speakers and "[ledare]" in speakers and "[samtal]" in speakers
    documents = invoke(mode, "documents", project)
    assert "[samtal]" in documents and "[FG]" in documents


def test_documents_doubts(project: Path, mode: dict[str, str | None]) -> None:
    out = invoke(mode, "documents", "doubts", project, "[samtal]")
    assert "R1. [skratt] Nej, inte alltid." in out


def test_info(project: Path, mode: dict[str, str | None]) -> None:
    out = invoke(mode, "info", project)
    assert out.startswith(f"[studie]  ({project}, language sv)")
    assert "coders: anna, [erik]" in out


def test_agree(project: Path, mode: dict[str, str | None]) -> None:
    out = invoke(mode, "agree", project, "--coders", "anna,[erik]")
    assert "Agreement between anna, [erik]" in out
    assert "[test]" in out and "[paus]" in out
    characters = invoke(mode, "agree", project, "--coders", "anna,[erik]", "--unit", "character")
    assert "[erik] only" in characters and "[test]" in characters


def test_agree_on_a_table_of_ratings(project: Path, mode: dict[str, str | None]) -> None:
    table = project.parent / "ratings.csv"
    table.write_text("unit,[anna],[/b]\nu1,[ja],[ja]\nu2,[nej],[ja]\nu3,[nej],[nej]\nu4,[ja],[ja]\n", encoding="utf-8")
    out = invoke(mode, "agree", "--matrix", table)
    assert "([anna], [/b])" in out
    assert "[ja]" in out and "[nej]" in out


@pytest.mark.parametrize("report", ["frequencies", "cooccurrence", "matrix", "sequences"])
def test_reports(project: Path, mode: dict[str, str | None], report: str) -> None:
    out = invoke(mode, "report", project, report)
    assert "[test]" in out
    if report == "matrix":
        assert "[samtal]" in out  # a document's name as a column heading
    if report == "frequencies":
        assert "[test]/[paus]" in out


def test_report_heat(project: Path) -> None:
    # Truecolour, as tests/test_report_plot.py asks: Rich keeps a style's escape codes for the process's first
    # colour system, so another system here would change the codes that test reads.
    colour = {"FORCE_COLOR": "1", "COLORTERM": "truecolor", "NO_COLOR": "", "COLUMNS": "120"}
    out = invoke(colour, "report", project, "matrix", "--heat")
    assert "[test]" in out and "[samtal]" in out


def test_speakers_import_report(project: Path, mode: dict[str, str | None]) -> None:
    table = project.parent / "talare.csv"
    table.write_text("label,name,role\nR1,[Lise],[konsulent]\n[R9],Ingen,okänd\n", encoding="utf-8")
    out = invoke(mode, "speakers", "import", project, table, "--dry-run")
    assert "line 3: [R9]" in out


def test_import_qdpx_report(project: Path, mode: dict[str, str | None], tmp_path: Path) -> None:
    exported = tmp_path / "klammer.qdpx"
    invoke(PIPE, "export", project, "qdpx", exported)
    out = invoke(mode, "import-qdpx", tmp_path / "ny.mda", exported)
    assert "→ [samtal]" in out and "coders: " in out and "[erik]" in out


def test_emoji_codes_stay_as_written(project: Path, mode: dict[str, str | None]) -> None:
    # Rich turns ":ok:" into an emoji unless told not to; a coder or a category may well be called so.
    table = project.parent / "emoji.csv"
    table.write_text("unit,:ok:,:smile:\nu1,ja,ja\nu2,nej,ja\nu3,nej,nej\n", encoding="utf-8")
    out = invoke(mode, "agree", "--matrix", table)
    assert "(:ok:, :smile:)" in out and "🆗" not in out
