"""The command line, driven in-process: every command works, reports clearly, and fails in one line."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli import COMMANDS, cli, load_all
from tests.support.snapshot import dump

ROOT = Path(__file__).resolve().parents[1]


def run(*args: str, ok: bool = True) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    if ok:
        assert result.exit_code == 0, result.output
    else:
        assert result.exit_code != 0, result.output
    return result.output


@pytest.fixture
def proj(tmp_path: Path, mini_codebook: Path) -> Path:
    path = tmp_path / "studie.mda"
    run("init", path, "--language", "sv", "--codebook", mini_codebook)
    return path


def test_init_import_and_list(proj: Path, transcript: Path) -> None:
    out = run("import", proj, transcript, "--group", "FG9")
    assert re.search(r"FG9\.txt → FG9: 3 speakers, 5 turns, \d+ sentences", out)
    assert "imported 1 of 1 files" in out
    docs = json.loads(run("documents", proj, "--json"))
    assert [(d["name"], d["group"], d["turns"]) for d in docs] == [("FG9", "FG9", 5)]
    speakers = json.loads(run("speakers", proj, "FG9", "--json"))
    assert [(s["label"], s["turns"]) for s in speakers] == [("I", 2), ("R1", 2), ("R2", 1)]
    turns = json.loads(run("turns", proj, "FG9", "--speaker", "R1", "--json"))
    assert [t["index"] for t in turns] == [2, 5]
    assert turns[1]["text"] == "Vi pratar om arbete i varje möte."
    sentences = json.loads(run("sentences", proj, "FG9", "--turn", "2", "--json"))
    assert len(sentences) == 2
    assert "FG9" in run("documents", proj)
    assert "already imported as 'FG9', skipped" in run("import", proj, transcript)


def test_codings_apply_list_remove_export(proj: Path, transcript: Path, tmp_path: Path) -> None:
    run("import", proj, transcript)
    out = run("codings", "apply", proj, "FG9", "--coder", "anna", "--code", "tilltro", "--turn", "2")
    assert out.startswith("applied: tilltro by anna on FG9")
    run("codings", "apply", proj, "FG9", "-c", "anna", "--code", "jobbfokus", "--sentence", "6", "--memo", "jobb")
    run("codings", "apply", proj, "FG9", "-c", "erik", "--code", "tilltro/tvivel", "--span", "60-80")
    listed = json.loads(run("codings", "list", proj, "--coder", "anna", "--json"))
    assert [c["code_path"] for c in listed] == ["tilltro", "jobbfokus"]
    export = tmp_path / "codings.csv"
    assert "wrote 3 codings" in run("codings", "export", proj, export)
    assert (
        export.read_text(encoding="utf-8")
        .splitlines()[0]
        .startswith("coding_id,document,group,coder,code,start,end,turn")
    )
    rows = json.loads(run("codings", "export", proj, "--format", "json", "--coder", "erik"))
    assert [(r["code"], r["start"], r["end"]) for r in rows] == [("tilltro/tvivel", 60, 80)]
    out = run("codings", "remove", proj, "FG9", "-c", "anna", "--code", "tilltro", "--turn", "2")
    assert out.startswith("removed: tilltro by anna")
    assert "imported 1 codings (2 were already there)" in run("codings", "import", proj, export)


def test_codebook_commands(proj: Path, tmp_path: Path) -> None:
    out = run("codebook", "list", proj)
    assert "tilltro" in out and "  uttryckt" in out
    codes = json.loads(run("codebook", "list", proj, "--json"))
    assert codes[0]["code"]["path"] == "tilltro" and codes[0]["code"]["key"] == "1"
    exported = tmp_path / "out.yaml"
    run("codebook", "export", proj, exported)
    assert "name: tilltro" in exported.read_text(encoding="utf-8")
    out = run("codebook", "import", proj, ROOT / "codebooks" / "loka.yaml")
    assert re.match(r"22 codes added, 0 updated, 1 exclusive groups", out)
    # The mini codebook already uses keys 1 and 2: the project's keys win, with a warning.
    assert "warning: key '1' of 'Inflöde' is already the key of 'tilltro': 'Inflöde' has no key" in out
    keys = {c["code"]["path"]: c["code"]["key"] for c in json.loads(run("codebook", "list", proj, "--json"))}
    assert (keys["tilltro"], keys["Inflöde"], keys["Avslut"]) == ("1", None, "4")
    again = run("codebook", "import", proj, ROOT / "codebooks" / "loka.yaml")
    assert again.startswith("0 codes added, 22 updated")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["import", "{proj}", "{tmp}/nope.txt"], "nope.txt: no such file"),
        (["codings", "apply", "{proj}", "FG9", "-c", "anna", "--code", "nope", "--turn", "1"], "unknown code 'nope'"),
        (["codings", "apply", "{proj}", "FG9", "-c", "anna", "--code", "tilltro"], "say where to code"),
        (["codings", "apply", "{proj}", "FG9", "-c", "anna", "--code", "tilltro", "--span", "x"], "is not START-END"),
        (["turns", "{proj}", "FG1"], "no document called 'FG1'"),
        (["turns", "{proj}", "FG9", "--speaker", "R7"], "no speaker 'R7' in document 'FG9'"),
        (["info", "{tmp}/missing.mda"], "no such project"),
        (["init", "{proj}"], "already exists"),
        (["init", "{tmp}/new.mda", "--language", "klingon"], "unknown language 'klingon'"),
        (["import", "{proj}", "{tmp}/x", "--speaker-pattern", "(unclosed"], "--speaker-pattern"),
    ],
)
def test_user_mistakes_give_one_line_and_change_nothing(
    proj: Path, transcript: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    run("import", proj, transcript)
    (tmp_path / "x").mkdir(exist_ok=True)
    (tmp_path / "x" / "a.txt").write_text("R1: hej\n", encoding="utf-8")
    if "--speaker-pattern" in args:
        args = [a.replace("{tmp}/x", str(tmp_path / "x" / "a.txt")) for a in args]
    before = dump(proj)
    result = CliRunner().invoke(cli, [a.format(proj=proj, tmp=tmp_path) for a in args])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert message in result.output, result.output
    assert "Traceback" not in result.output
    assert lines[-1].startswith("Error:") or "Usage:" in result.output
    assert dump(proj) == before
    assert not (tmp_path / "new.mda").exists()


def test_bad_codebook_at_init_creates_no_project(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: X\ncodes:\n  - name: a\n    color: red\n", encoding="utf-8")
    out = run("init", tmp_path / "p.mda", "--codebook", bad, ok=False)
    assert "bad.yaml:4: color of 'a' must look like #1f77b4" in out
    assert not (tmp_path / "p.mda").exists()


def test_the_lazy_command_table_names_every_command_and_its_module() -> None:
    load_all()
    assert {name: command.callback.__module__ for name, command in cli.commands.items()} == {
        name: f"mda_coder.cli.{module}" for name, module in COMMANDS.items()
    }


def test_open_reaches_its_first_frame_without_sqlalchemy() -> None:
    # The workspace paints the first page before the services are imported (tui/app.py); the
    # command line must not import them first. What `mda-coder open` loads up to building the app:
    script = (
        "import sys, click; from mda_coder.cli import cli; "
        "command = cli.get_command(click.Context(cli), 'open'); "
        "import mda_coder.tui.app; print(command.name, 'sqlalchemy' in sys.modules, 'yaml' in sys.modules, "
        "'matplotlib' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["open", "False", "False", "False"]


def test_every_command_is_documented_in_the_readme() -> None:
    load_all()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    missing = []
    for name, command in cli.commands.items():
        subcommands = getattr(command, "commands", None)
        for full in [f"{name} {sub}" for sub in subcommands] if subcommands else [name]:
            if f"mda-coder {full}" not in readme:
                missing.append(full)
    assert missing == []


def test_describe_speakers_documents_memos_and_log(proj: Path, transcript: Path, tmp_path: Path) -> None:
    run("import", proj, transcript)
    second = tmp_path / "FG10.txt"
    second.write_text(
        "Moderator: Hur ser ni på krav?\nAnna Berg: Det beror på.\nAnna Berg: Mycket.\n", encoding="utf-8"
    )
    run("import", proj, second)
    run("speaker", proj, "FG9", "R1", "--name", "Anna", "--person", "Anna Berg", "--attr", "kommun=Norrvik")
    run("speaker", proj, "FG10", "Anna Berg", "--person", "Anna Berg", "--role", "handläggare")
    linked = [s for s in json.loads(run("speakers", proj, "--json")) if s["person"] == "Anna Berg"]
    assert [(s["document"], s["label"]) for s in linked] == [("FG9", "R1"), ("FG10", "Anna Berg")]
    assert linked[0]["attributes"] == {"kommun": "Norrvik"} and linked[0]["display_name"] == "Anna"
    run("speaker", proj, "FG9", "R1", "--attr", "kommun=", "--person", "")
    r1 = next(s for s in json.loads(run("speakers", proj, "FG9", "--json")) if s["label"] == "R1")
    assert (r1["attributes"], r1["person"]) == ({}, None)
    out = run("document", proj, "FG9", "--group", "FG 9", "--attr", "kommun=Norrvik")
    assert out.strip() == "FG9: group FG 9, attributes kommun=Norrvik"
    docs = {d["name"]: d for d in json.loads(run("documents", proj, "--json"))}
    assert docs["FG9"]["attributes"] == {"kommun": "Norrvik"} and docs["FG9"]["group"] == "FG 9"
    assert (
        run("memos", "add", proj, "Tät om tilltro", "-d", "FG9", "--turn", "2", "-c", "anna").strip()
        == "memo 1 on FG9 turn 2"
    )
    assert run("memos", "add", proj, "Gränsfall", "--code", "tilltro").strip() == "memo 2 on code tilltro"
    assert run("memos", "add", proj, "Projektanteckning").strip() == "memo 3 on project"
    memos = json.loads(run("memos", "list", proj, "--json"))
    assert [(m["about"], m["coder"]) for m in memos] == [
        ("FG9 turn 2", "anna"),
        ("code tilltro", None),
        ("project", None),
    ]
    actions = [e["action"] for e in json.loads(run("log", proj, "--last", "4", "--json"))]
    assert actions == ["document.describe", "memo.add", "memo.add", "memo.add"]
    assert "no turn 99" in run("memos", "add", proj, "x", "-d", "FG9", "--turn", "99", ok=False)
    assert "is not KEY=VALUE" in run("speaker", proj, "FG9", "R1", "--attr", "kommun", ok=False)
