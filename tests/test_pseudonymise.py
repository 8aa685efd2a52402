"""mda-coder pseudonymise and check-names on the sample project: a key proposed, applied, to a copy, and back."""

from __future__ import annotations

import csv
import hashlib
import json
import shutil
import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from mda_coder.nlp.names import Replacer
from mda_coder.services.coding import Target, apply_code
from mda_coder.services.project import open_project
from tests.support.snapshot import dump
from tests.support.tables import PIPE
from tests.support.tui import sample_copy


def run(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], env=PIPE)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def annotated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project with names also outside the texts: a display name, a person, memos, an attribute."""
    folder = tmp_path_factory.mktemp("pseudonymise")
    project = sample_copy(folder)
    steps = [
        ("speaker", project, "FG1_Norrvik", "R1", "--name", "Karin Holmberg", "--person", "Karin Holmberg"),
        ("document", project, "FG1_Norrvik", "--attr", "kommun=Norrvik"),
        ("memos", "add", project, "Lena Berglund och Yusuf Demir är oeniga om kandidatspråket", "--coder", "anna"),
        ("memos", "add", project, "Sofie Lindgrens tur om Älvdala", "-d", "FG3_Älvdala_zoom", "--turn", "3"),
    ]
    for step in steps:
        assert run(*step)[0] == 0, step
    return project


@pytest.fixture
def project(annotated: Path, tmp_path: Path) -> Path:
    target = tmp_path / "studie.mda"
    shutil.copyfile(annotated, target)
    return target


def key_rows(key: Path) -> list[dict[str, str]]:
    with key.open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def proposed(project: Path) -> Path:
    key = project.with_name("nycklar.csv")
    code, out = run("pseudonymise", project, "--key", key, "--dry-run")
    assert code == 0, out
    return key


def texts(project: Path) -> dict[str, str]:
    con = sqlite3.connect(project)
    try:
        return dict(con.execute("SELECT name, text FROM documents ORDER BY id").fetchall())
    finally:
        con.close()


def coded(project: Path) -> dict[str, str]:
    """Every coding's text, by its uuid (it keeps it through the change)."""
    con = sqlite3.connect(project)
    try:
        rows = con.execute(
            "SELECT c.uuid, substr(d.text, c.start_offset + 1, c.end_offset - c.start_offset) "
            "FROM codings c JOIN documents d ON d.id = c.document_id"
        ).fetchall()
        return dict(rows)
    finally:
        con.close()


def column(project: Path, query: str) -> list[object]:
    con = sqlite3.connect(project)
    try:
        return [row[0] for row in con.execute(query)]
    finally:
        con.close()


def test_a_key_is_proposed_with_every_speaker_name_and_the_places(project: Path) -> None:
    before = dump(project)
    key = project.with_name("nycklar.csv")
    code, out = run("pseudonymise", project, "--key", key, "--dry-run")
    assert code == 0, out
    assert f"in {key}" in out and "person" in out and "place" in out
    assert key.read_text(encoding="utf-8").startswith("original,pseudonym,kind,where\n")
    rows = {r["original"]: r for r in key_rows(key)}
    assert rows["Lena Berglund"]["pseudonym"].startswith("Person ") and rows["Lena Berglund"]["kind"] == "person"
    assert rows["Lena"]["kind"] == "person" and rows["Karin Holmberg"]["kind"] == "person"
    assert rows["Norrvik"]["kind"] == "place" and rows["Norrvik"]["pseudonym"].startswith("Ort ")
    assert rows["Lena Berglund"]["where"] == "FG2_Sjöstad 22"
    assert not {"R1", "I", "Moderator", "Jag", "Försäkringskassan", "FG1"} & set(rows)
    pseudonyms = [r["pseudonym"] for r in rows.values()]
    assert len(set(pseudonyms)) == len(pseudonyms)
    assert dump(project) == before


def test_a_dry_run_with_a_key_shows_each_document_and_saves_nothing(project: Path) -> None:
    key = proposed(project)
    before = dump(project)
    code, out = run("pseudonymise", project, "--key", key, "--dry-run")
    assert code == 0, out
    assert "dry run: nothing saved" in out
    assert "FG2_Sjöstad" in out and "FG3_Älvdala_zoom" in out
    assert dump(project) == before


def originals(key: Path) -> list[str]:
    return [r["original"] for r in key_rows(key)]


def holds(data: bytes, name: str) -> bool:
    """The name in the bytes, as UTF-8 or as JSON writes it with non-ASCII letters escaped."""
    return name.encode() in data or json.dumps(name)[1:-1].encode() in data


def test_applied_the_key_leaves_no_original_anywhere_and_every_coding_on_its_words(project: Path) -> None:
    key = proposed(project)
    replace = Replacer((r["original"], r["pseudonym"]) for r in key_rows(key))
    texts_before, coded_before = texts(project), coded(project)
    code, out = run("pseudonymise", project, "--key", key)
    assert code == 0, out
    assert "to restore the names" in out and "--reverse" in out
    assert "snapshot taken before still holds the names" in out
    # every text is the key applied to it; every coding's text too
    assert list(texts(project).values()) == [replace(t) for t in texts_before.values()]
    coded_after = coded(project)
    assert set(coded_after) == set(coded_before)
    assert {u: replace(t) for u, t in coded_before.items()} == coded_after
    # names outside the texts
    assert "Person" in " ".join(map(str, column(project, "SELECT label FROM speakers WHERE document_id = 2")))
    assert column(project, "SELECT name FROM documents ORDER BY id")[0] == "FG1_" + replace("Norrvik")
    assert column(project, "SELECT name FROM persons") == [replace("Karin Holmberg")]
    memos = column(project, "SELECT text FROM memos ORDER BY id")
    assert memos[0] == f"{replace('Lena Berglund')} och {replace('Yusuf Demir')} är oeniga om kandidatspråket"
    assert memos[1].startswith(replace("Sofie Lindgren") + "s tur om ")
    entry = column(project, "SELECT data FROM events WHERE action = 'project.pseudonymise'")
    assert len(entry) == 1 and json.loads(str(entry[0]))["documents"] == 3
    # the raw file (after VACUUM and a checkpoint) and every export
    assert not Path(f"{project}-wal").exists() or Path(f"{project}-wal").stat().st_size == 0
    data = project.read_bytes()
    assert [n for n in originals(key) if holds(data, n)] == []
    folder = project.parent
    for fmt in ("markdown", "csv", "json", "qdpx"):
        assert run("export", project, fmt, folder / f"ut.{fmt}")[0] == 0, fmt
    exported = {fmt: (folder / f"ut.{fmt}").read_bytes() for fmt in ("markdown", "csv", "json")}
    with zipfile.ZipFile(folder / "ut.qdpx") as archive:
        exported["qdpx"] = b"".join(archive.read(n) for n in archive.namelist())
    assert replace("Lena Berglund").encode() in exported["markdown"]
    left = {fmt: [n for n in originals(key) if holds(b, n)] for fmt, b in exported.items()}
    assert left == {fmt: [] for fmt in exported}
    # check-names finds nothing the key names, nor the pseudonyms
    code, out = run("check-names", project, "--key", key, "--json")
    assert code == 0
    left = {n["text"] for n in json.loads(out)}
    assert not left & set(originals(key)) and not any(t.startswith("Person") for t in left)


def test_reverse_gives_every_text_name_and_coding_back(project: Path) -> None:
    key = proposed(project)
    before = {
        "texts": texts(project),
        "codings": column(project, "SELECT start_offset || '-' || end_offset FROM codings ORDER BY id"),
        "turns": column(project, "SELECT start_offset || '-' || end_offset FROM turns ORDER BY id"),
        "labels": column(project, "SELECT label FROM speakers ORDER BY id"),
        "memos": column(project, "SELECT text FROM memos ORDER BY id"),
    }
    assert run("pseudonymise", project, "--key", key)[0] == 0
    assert texts(project) != before["texts"]
    code, out = run("pseudonymise", project, "--key", key, "--reverse")
    assert code == 0, out
    assert "Names restored" in out
    after = {
        "texts": texts(project),
        "codings": column(project, "SELECT start_offset || '-' || end_offset FROM codings ORDER BY id"),
        "turns": column(project, "SELECT start_offset || '-' || end_offset FROM turns ORDER BY id"),
        "labels": column(project, "SELECT label FROM speakers ORDER BY id"),
        "memos": column(project, "SELECT text FROM memos ORDER BY id"),
    }
    assert after == before


def test_to_a_copy_leaves_the_project_byte_for_byte(project: Path) -> None:
    key = proposed(project)
    digest = hashlib.sha256(project.read_bytes()).hexdigest()
    copy = project.with_name("delning.mda")
    code, out = run("pseudonymise", project, "--key", key, "--to", copy)
    assert code == 0, out
    assert hashlib.sha256(project.read_bytes()).hexdigest() == digest
    assert not list(project.parent.glob("*.backups"))  # the project is not touched: no snapshot of it either
    assert not Path(f"{copy}-wal").exists()
    assert [n for n in originals(key) if holds(copy.read_bytes(), n)] == []
    assert run("pseudonymise", project, "--key", key, "--to", copy)[0] == 1  # an existing copy is not replaced


def refused(project: Path, *args: object) -> str:
    before = dump(project)
    result = CliRunner().invoke(cli, [str(a) for a in ("pseudonymise", project, *args)], env=PIPE)
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: ")
    assert dump(project) == before
    return lines[0]


def test_a_key_that_could_not_be_reversed_is_refused_and_nothing_changes(project: Path) -> None:
    key = project.with_name("nycklar.csv")
    key.write_text("original,pseudonym,kind,where\nLena,Mikael,person,\n", encoding="utf-8")
    said = refused(project, "--key", key)
    assert f"{key}:2: 'Mikael' already occurs in document FG2_Sjöstad" in said
    key.write_text("original,pseudonym,kind,where\nLena,Deltagaren,person,\nYusuf,Deltagaren,person,\n")
    assert f"{key}:3: pseudonym 'Deltagaren' is already given on line 2" in refused(project, "--key", key)
    # a pseudonym written only in a memo counts too: --reverse would turn it into the name
    assert run("memos", "add", project, "Samtal med Kollegan Q")[0] == 0
    key.write_text("original,pseudonym,kind,where\nLena,Kollegan Q,person,\n")
    assert "'Kollegan Q' already occurs in the project (events, memos)" in refused(project, "--key", key)


def test_no_key_a_server_and_an_empty_key_are_refused(project: Path) -> None:
    key = project.with_name("saknas.csv")
    assert f"{key}: no such key; propose one with" in refused(project, "--key", key)
    key.write_text("original,pseudonym,kind,where\n", encoding="utf-8")
    assert "the key has no names" in refused(project, "--key", key)
    missing = project.with_name("saknas.mda")
    code, out = run("pseudonymise", missing, "--key", proposed(project), "--to", project.with_name("kopia.mda"))
    assert code == 1 and f"{missing}: no such project" in out
    code, out = run("pseudonymise", "postgresql://nobody@127.0.0.1:1/x", "--key", key)
    assert code == 1 and "pseudonymise works on project files" in out


def test_check_names_lists_names_with_a_count_and_an_example(project: Path) -> None:
    code, out = run("check-names", project, "--json")
    assert code == 0, out
    found = {n["text"]: n for n in json.loads(out)}
    assert found["Lena Berglund"]["kind"] == "person" and found["Lena Berglund"]["count"] == 22
    assert found["Lena Berglund"]["document"] == "FG2_Sjöstad" and "Lena Berglund" in found["Lena Berglund"]["example"]
    assert "Norrvik" in found and "Försäkringskassan" not in found
    key = project.with_name("nycklar.csv")
    key.write_text("original,pseudonym,kind,where\nLena Berglund,Person 1,person,\n", encoding="utf-8")
    code, out = run("check-names", project, "--key", key, "--json")
    left = {n["text"] for n in json.loads(out)}
    assert code == 0 and "Lena Berglund" not in left and {"Lena", "Norrvik"} <= left
    code, out = run("check-names", project, "--key", key)
    assert code == 0 and out.splitlines()[0].split() == ["name", "kind", "count", "document", "example"]


def test_a_coding_of_just_a_name_is_reported_and_its_flag_keeps_no_original(project: Path) -> None:
    text = texts(project)["FG2_Sjöstad"]
    start = text.index("Yusuf, jobbcoach")
    db = open_project(project)
    try:
        apply_code(
            db,
            coder="anna",
            code="tilltro",
            document="FG2_Sjöstad",
            target=Target(span=(start, start + 5)),
            memo="Yusuf presenterar sig",
        )
    finally:
        db.close()
    key = project.with_name("nycklar.csv")
    key.write_text("original,pseudonym,kind,where\nYusuf,Deltagare med långt namn 5,person,\n", encoding="utf-8")
    code, out = run("pseudonymise", project, "--key", key)
    assert code == 0, out
    assert "FG2_Sjöstad: to review: anna, tilltro" in out and "'Yusuf' → 'Deltagare med långt namn 5'" in out
    flags = column(project, "SELECT old_text FROM anchor_flags")
    assert flags and not any("Yusuf" in str(f) for f in flags)
    memos = column(project, "SELECT memo FROM codings WHERE memo IS NOT NULL")
    assert "Deltagare med långt namn 5 presenterar sig" in memos
    assert not holds(project.read_bytes(), "Yusuf")


def test_names_of_ones_own_are_proposed_with_their_counts(project: Path) -> None:
    names = project.with_name("namn.txt")
    names.write_text("# our own\nArbetsmarknadsenheten\n", encoding="utf-8")
    key = project.with_name("nycklar.csv")
    assert run("pseudonymise", project, "--key", key, "--dry-run", "--names", names)[0] == 0
    rows = {r["original"]: r for r in key_rows(key)}
    assert rows["Arbetsmarknadsenheten"]["kind"] == "other"
    assert rows["Arbetsmarknadsenheten"]["pseudonym"].startswith("Namn ")
    assert "FG2_Sjöstad 1" in rows["Arbetsmarknadsenheten"]["where"]


def test_the_log_says_what_the_pseudonymisation_did_and_keeps_no_name(project: Path) -> None:
    key = project.with_name("nycklar.csv")
    key.write_text("original,pseudonym,kind,where\nLena Berglund,Person 1,person,\nNorrvik,Ort 1,place,\n")
    assert run("pseudonymise", project, "--key", key)[0] == 0
    entries = json.loads(run("log", project, "--json")[1])
    assert entries[-1]["description"] == "pseudonymise with a key of 2 names: 2 documents, 24 replacements"
    assert entries[-1]["data"]["names"] == 2 and "Lena" not in json.dumps(entries[-1], ensure_ascii=False)
    assert not any("Lena Berglund" in json.dumps(e, ensure_ascii=False) for e in entries)
    pseudonymised = texts(project)
    run("undo", project)  # not a step undo takes back: the names stay out
    assert texts(project) == pseudonymised
    assert run("pseudonymise", project, "--key", key, "--reverse")[0] == 0
    entries = json.loads(run("log", project, "--json")[1])
    assert entries[-1]["description"] == "restore the names with a key of 2 names: 2 documents, 24 replacements"
