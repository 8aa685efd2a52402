"""``import --preview`` and the import summary: what the importer found, and exactly what to check."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from mda_coder.services.project import open_project
from mda_coder.store import migrations
from tests.support.snapshot import dump

SLIPPED = """\
Interview 4
I1: Interviewer 1, I2: Interviewer 2; X: Informant

I1: Hvordan holder I varmen om vinteren?
X: Vi fyrer med brænde, mest.
[Alle griner]
I2: Og om sommeren?
X. Der slukker vi helt.
I: Hvor meget bruger I?
X: Det ved jeg ikke.
"""

CLEAN = """\
I: Hur ser ni på deltagarnas vilja att jobba?
R1: De flesta vill, tror jag.
R2: Ja, men kraven behövs.
I: Berätta mer.
R1: Det handlar om tillit.
"""


def run(*args: object, ok: bool = True) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert (result.exit_code == 0) is ok, result.output
    return result.output


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    slipped = tmp_path / "interview4.txt"
    slipped.write_text(SLIPPED, encoding="utf-8")
    clean = tmp_path / "FG1.txt"
    clean.write_text(CLEAN, encoding="utf-8")
    return slipped, clean


def test_preview_shows_speakers_turns_and_every_doubtful_line_and_writes_nothing(
    tmp_path: Path, files: tuple[Path, Path]
) -> None:
    project = tmp_path / "ny.mda"
    out = run("import", project, files[0], "--preview")
    assert not project.exists()  # nothing written, not even an empty project
    assert "would become interview4: 4 speakers, 6 turns" in out
    assert "speakers: I1 (moderator) 1 · I2 (moderator) 1 · X (Informant) 3 · I (moderator) 1" in out
    assert "note: line 2 read as a legend, not as turns" in out
    assert "first turns:" in out and "1  I1: Hvordan holder I varmen om vinteren?" in out
    assert "6  X: Det ved jeg ikke." in out
    assert "check 2 lines of 9:" in out
    assert "line 8  slip           X. Der slukker vi helt." in out
    assert "→ a slip for the label X: opens a turn of X" in out
    assert "line 9  not-in-legend  I: Hvor meget bruger I?" in out
    assert "X: Vi fyrer med brænde, mest. [Alle griner]" in out  # a stage note in X's turn,
    assert "line 6" not in out  # not a doubt
    assert "would import 1 of 1 files" in out
    # Two lines in nine is more than a small share: the whole file is marked.
    assert "1 to check: interview4 (2 lines, guessed)" in out


def test_preview_json_lists_every_doubt_for_scripts(tmp_path: Path, files: tuple[Path, Path]) -> None:
    [report] = json.loads(run("import", tmp_path / "ny.mda", files[0], "--preview", "--json"))
    assert report["status"] == "preview"
    assert [(d["kind"], d["line"]) for d in report["doubts"]] == [("slip", 8), ("not-in-legend", 9)]
    assert report["doubts"][0] == {
        "kind": "slip",
        "line": 8,
        "text": "X. Der slukker vi helt.",
        "reading": "a slip for the label X: opens a turn of X",
    }
    assert [(s["label"], s["role"], s["turns"]) for s in report["speaker_summary"]] == [
        ("I1", "moderator", 1),
        ("I2", "moderator", 1),
        ("X", "Informant", 3),
        ("I", "moderator", 1),
    ]
    assert report["last_turns"][-1]["text"] == "Det ved jeg ikke."


def test_preview_of_an_existing_project_changes_nothing(tmp_path: Path, files: tuple[Path, Path]) -> None:
    project = tmp_path / "studie.mda"
    run("init", project, "--language", "da")
    before = dump(project)
    run("import", project, *files, "--preview")
    assert dump(project) == before


def test_import_flags_exactly_the_files_that_need_a_look(tmp_path: Path, files: tuple[Path, Path]) -> None:
    project = tmp_path / "studie.mda"
    run("init", project, "--language", "sv")
    out = run("import", project, *files)
    assert "interview4.txt → interview4: 4 speakers, 6 turns" in out
    assert "check 2 lines of 9: 1 slip, 1 not-in-legend" in out
    assert "FG1.txt → FG1: 3 speakers, 5 turns" in out
    assert "imported 2 of 2 files" in out
    assert out.strip().endswith("1 to check: interview4 (2 lines, guessed)")
    fg1 = out[out.index("FG1.txt →") : out.index("imported 2 of 2")]
    assert "check" not in fg1 and "guessed" not in fg1

    listed = {d["name"]: d for d in json.loads(run("documents", project, "--json"))}
    assert (listed["interview4"]["doubts"], listed["interview4"]["guessed"]) == (2, True)
    assert (listed["FG1"]["doubts"], listed["FG1"]["guessed"]) == (0, False)
    doubts = json.loads(run("documents", "doubts", project, "interview4", "--json"))
    assert [(d["document"], d["line"], d["kind"]) for d in doubts] == [
        ("interview4", 8, "slip"),
        ("interview4", 9, "not-in-legend"),
    ]
    assert "nothing to check" in run("documents", "doubts", project, "FG1")


def test_a_file_mostly_in_doubt_is_marked_guessed(tmp_path: Path) -> None:
    messy = tmp_path / "anteckningar.txt"
    messy.write_text(
        "Möte om praktikplatser\n\n"
        "Kalle: Vi har tre platser.\nKalle: Och en till i vår.\n"
        "Ingrid: Bra.\nAnteckning: ring arbetsgivaren.\nIngrid: Jag gör det.\n"
        "Uppföljning: nästa vecka.\nKalle: Tack.\n",
        encoding="utf-8",
    )
    project = tmp_path / "studie.mda"
    run("init", project)
    out = run("import", project, messy)
    assert "(guessed: check it)" in out
    assert json.loads(run("documents", project, "--json"))[0]["guessed"] is True
    assert "label-colon (guessed)" in run("documents", project)


def test_long_doubt_lists_are_cut_after_import_but_not_in_preview(tmp_path: Path) -> None:
    lines = ["I: Välkomna."] + [f"R{n}: Hej.\nR{n}. Hej igen." for n in range(1, 13)]
    path = tmp_path / "många.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    project = tmp_path / "studie.mda"
    run("init", project)
    out = run("import", project, path)
    assert out.count("→ a slip for the label") == 10
    assert f"… and 2 more: mda-coder documents doubts {project} många" in out
    assert run("import", project, path, "--preview").count("→ a slip for the label") == 12


def test_bracketed_transcript_text_is_printed_literally(tmp_path: Path) -> None:
    path = tmp_path / "skratt.txt"
    path.write_text("I: Hur gick det?\nR1: [skratt] Bra.\nR1. [paus] Riktigt bra.\n", encoding="utf-8")
    out = run("import", tmp_path / "x.mda", path, "--preview")
    assert "R1: [skratt] Bra." in out
    assert "R1. [paus] Riktigt bra." in out


def test_a_project_from_before_doubts_were_kept_is_upgraded(tmp_path: Path, files: tuple[Path, Path]) -> None:
    project = tmp_path / "gammal.mda"
    run("init", project)
    run("import", project, files[1])
    with sqlite3.connect(project) as conn:
        conn.execute("ALTER TABLE documents DROP COLUMN guessed")
        conn.execute("ALTER TABLE documents DROP COLUMN doubts")
        conn.execute("DELETE FROM schema_migrations WHERE version >= 4")  # as before migration 4 (and later ones)
    db = open_project(str(project))
    db.close()
    with sqlite3.connect(project) as conn:
        columns = {row[1] for row in conn.execute("PRAGMA table_info(documents)")}
        version = conn.execute("SELECT max(version) FROM schema_migrations").fetchone()[0]
    assert {"guessed", "doubts"} <= columns
    assert version == migrations.latest_version()
    [doc] = json.loads(run("documents", project, "--json"))
    assert (doc["name"], doc["guessed"], doc["doubts"]) == ("FG1", False, 0)
