"""REFI-QDA exports: the .qdc and the .qdpx's project.qde validate against the standard's XSDs, GUIDs are stable.

``fixtures/refi/Project.xsd`` is the REFI-QDA Project.xsd (QDA-XML 1.0, 2019, MIT);
``fixtures/refi/Codebook.xsd`` the codebook schema of the same standard.
"""

from __future__ import annotations

import io
import uuid
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import pytest
import xmlschema
from click.testing import CliRunner

from mda_coder.cli import cli
from mda_coder.services import importing
from mda_coder.services.coding import Target, apply_code

# The GUID scheme is an internal step tested on purpose: GUIDs must stay the same from one export to the next.
from mda_coder.services.exporting._refi import NAMESPACE, Guids
from mda_coder.services.memos import add_memo
from mda_coder.services.metadata import describe_speaker
from mda_coder.services.sample import build_sample_project
from mda_coder.store.engine import Database
from tests.support.snapshot import dump

SCHEMAS = Path(__file__).parent / "fixtures" / "refi"
P = "{urn:QDA-XML:project:1.0}"
C = "{urn:QDA-XML:codebook:1.0}"


@pytest.fixture(scope="module")
def project_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(SCHEMAS / "Project.xsd")


@pytest.fixture(scope="module")
def codebook_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(SCHEMAS / "Codebook.xsd")


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sample") / "sample.mda"
    build_sample_project(path).close()
    return path


def run(*args: object, ok: bool = True) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert (result.exit_code == 0) == ok, result.output
    return result.output


def qde(qdpx: Path) -> bytes:
    with zipfile.ZipFile(qdpx) as archive:
        return archive.read("project.qde")


def test_sample_codebook_and_project_validate_against_the_xsds(
    sample: Path, tmp_path: Path, project_schema: xmlschema.XMLSchema, codebook_schema: xmlschema.XMLSchema
) -> None:
    assert run("export", sample, "qdc", tmp_path / "mda.qdc") == f"wrote 61 codes to {tmp_path / 'mda.qdc'}\n"
    codebook_schema.validate(io.BytesIO((tmp_path / "mda.qdc").read_bytes()))
    run("export", sample, "qdpx", tmp_path / "studie.qdpx")
    project_schema.validate(io.BytesIO(qde(tmp_path / "studie.qdpx")))
    root = ET.fromstring(qde(tmp_path / "studie.qdpx"))
    assert len(root.findall(f"{P}Sources/{P}TextSource")) == 3
    assert len(root.findall(f".//{P}Coding")) == 369  # every coding of the sample, each once
    assert {u.get("name") for u in root.findall(f"{P}Users/{P}User")} == {"anna", "erik"}


def test_a_broken_document_does_not_validate(
    sample: Path, tmp_path: Path, project_schema: xmlschema.XMLSchema, codebook_schema: xmlschema.XMLSchema
) -> None:
    run("export", sample, "qdc", tmp_path / "mda.qdc")
    run("export", sample, "qdpx", tmp_path / "studie.qdpx")
    codebook = (tmp_path / "mda.qdc").read_bytes()
    project = qde(tmp_path / "studie.qdpx")
    assert not codebook_schema.is_valid(io.BytesIO(codebook.replace(b' isCodable="true"', b"", 1)))
    assert not codebook_schema.is_valid(io.BytesIO(codebook.replace(b'color="#', b'color="red', 1)))
    assert not project_schema.is_valid(io.BytesIO(project.replace(b'startPosition="', b'startPosition="x', 1)))
    assert not project_schema.is_valid(io.BytesIO(project.replace(b"<Users>", b"<Cases />\n  <Users>", 1)))


def test_re_export_of_an_unchanged_project_is_byte_identical(sample: Path, tmp_path: Path) -> None:
    for fmt in ("qdc", "qdpx"):
        run("export", sample, fmt, tmp_path / f"a.{fmt}")
        run("export", sample, fmt, tmp_path / f"b.{fmt}")
        assert (tmp_path / f"a.{fmt}").read_bytes() == (tmp_path / f"b.{fmt}").read_bytes()
    with zipfile.ZipFile(tmp_path / "a.qdpx") as archive:
        names = archive.namelist()
        assert names[0] == "project.qde" and all(n.startswith("sources/") and n.endswith(".txt") for n in names[1:])
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


@pytest.fixture
def coded(project: Database, transcript: Path, tmp_path: Path) -> Database:
    """FG9 and a transcript with a character outside the BMP, coded by two coders, with memos."""
    emoji = tmp_path / "FG8.txt"
    emoji.write_text("I: Hur går det?\nR1: Bra 😀 tror jag på dig.\n", encoding="utf-8")
    importing.import_files(project, [transcript], group="FG 9")
    importing.import_files(project, [emoji], group="FG 8")
    apply_code(project, coder="anna", code="tilltro", document="FG9", target=Target(turn=2), memo="tron som hållning")
    apply_code(project, coder="erik", code="tilltro", document="FG9", target=Target(turn=2))
    apply_code(project, coder="anna", code="hållning/positiv", document="FG8", target=Target(span=(26, 40)))
    add_memo(project, "Koden behöver skärpas.", code="jobbfokus", coder="anna")
    add_memo(project, "Hela projektet.", coder="anna")
    add_memo(project, "Tur om tilltro.", document="FG9", turn=2)
    describe_speaker(project, "FG9", "R1", role="arbetskonsulent", attributes={"kommun": "Testby"})
    return project


def _export(db: Database, tmp_path: Path, name: str = "p.qdpx") -> tuple[ET.Element, zipfile.ZipFile]:
    path = tmp_path / name
    run("export", db.location, "qdpx", path)
    archive = zipfile.ZipFile(path)
    return ET.fromstring(archive.read("project.qde")), archive


def test_selections_count_code_points_into_the_utf8_source(coded: Database, tmp_path: Path) -> None:
    root, archive = _export(coded, tmp_path)
    source = next(s for s in root.iter(f"{P}TextSource") if s.get("name") == "FG8")
    text = archive.read("sources/" + source.get("plainTextPath").removeprefix("internal://")).decode("utf-8")
    coded_selection = next(s for s in source.iter(f"{P}PlainTextSelection") if s.find(f"{P}Coding") is not None)
    start, end = int(coded_selection.get("startPosition")), int(coded_selection.get("endPosition"))
    # 😀 is one code point (two UTF-16 units, four UTF-8 bytes): positions after it are still characters.
    assert (start, end) == (26, 40) and text[start:end] == "tror jag på di"


def test_codings_per_coder_memos_cases_and_sets(
    coded: Database, tmp_path: Path, project_schema: xmlschema.XMLSchema
) -> None:
    root, archive = _export(coded, tmp_path)
    project_schema.validate(io.BytesIO(archive.read("project.qde")))
    users = {u.get("name"): u.get("guid") for u in root.iter(f"{P}User")}
    codes = {c.get("name"): c for c in root.iter(f"{P}Code")}
    notes = {n.get("guid"): n.find(f"{P}PlainTextContent").text for n in root.iter(f"{P}Note")}
    turn2 = next(s for s in root.iter(f"{P}PlainTextSelection") if s.get("name") == "FG9 turn 2")
    codings = turn2.findall(f"{P}Coding")
    assert [(c.get("creatingUser"), c.find(f"{P}CodeRef").get("targetGUID")) for c in codings] == [
        (users["anna"], codes["tilltro"].get("guid")),
        (users["erik"], codes["tilltro"].get("guid")),
    ]
    assert [notes[r.get("targetGUID")] for r in codings[0].findall(f"{P}NoteRef")] == ["tron som hållning"]
    assert [notes[r.get("targetGUID")] for r in turn2.findall(f"{P}NoteRef")] == ["Tur om tilltro."]
    assert [notes[r.get("targetGUID")] for r in codes["jobbfokus"].findall(f"{P}NoteRef")] == ["Koden behöver skärpas."]
    assert [notes[r.get("targetGUID")] for r in root.findall(f"{P}NoteRef")] == ["Hela projektet."]
    assert codes["tilltro"].get("color") == "#4e79a7"
    assert codes["tilltro"].find(f"{P}Description").text == "Tro på deltagarens förmåga att nå arbete."
    variables = {v.get("guid"): v.get("name") for v in root.iter(f"{P}Variable")}
    case = next(c for c in root.iter(f"{P}Case") if c.get("name") == "R1 (FG9)")
    values = {
        variables[v.find(f"{P}VariableRef").get("targetGUID")]: v.find(f"{P}TextValue").text
        for v in case.findall(f"{P}VariableValue")
    }
    assert values == {"speaker": "R1", "role": "arbetskonsulent", "kommun": "Testby"}
    selections = {s.get("guid"): s.get("name") for s in root.iter(f"{P}PlainTextSelection")}
    assert [selections[r.get("targetGUID")] for r in case.findall(f"{P}SelectionRef")] == ["FG9 turn 2", "FG9 turn 5"]
    sets = {s.get("name"): s for s in root.iter(f"{P}Set")}
    assert len(sets["hållning"].findall(f"{P}MemberCode")) == 3
    sources = {s.get("guid"): s.get("name") for s in root.iter(f"{P}TextSource")}
    assert [sources[m.get("targetGUID")] for m in sets["FG 9"].findall(f"{P}MemberSource")] == ["FG9"]


def test_guids_stay_when_the_project_changes(coded: Database, tmp_path: Path) -> None:
    before, _ = _export(coded, tmp_path, "before.qdpx")
    apply_code(coded, coder="anna", code="jobbfokus", document="FG9", target=Target(turn=5))
    after, _ = _export(coded, tmp_path, "after.qdpx")

    def guids(root: ET.Element, tag: str) -> dict[str | None, str | None]:
        return {e.get("name"): e.get("guid") for e in root.iter(f"{P}{tag}")}

    for tag in ("Code", "TextSource", "User", "Case", "PlainTextSelection"):
        assert guids(before, tag).items() <= guids(after, tag).items()
    assert len(list(after.iter(f"{P}Coding"))) == len(list(before.iter(f"{P}Coding"))) + 1


def test_qdc_and_qdpx_mistakes_are_one_line_and_change_nothing(coded: Database, tmp_path: Path) -> None:
    project = Path(coded.location)
    run("export", project, "qdc", tmp_path / "first.qdc")  # the project id exists from here on
    before = dump(project)
    assert "--codes does not apply to qdc" in run(
        "export", project, "qdc", tmp_path / "x.qdc", "--codes", "tilltro", ok=False
    )
    assert "a qdpx export goes to a file" in run("export", project, "qdpx", "-", ok=False)
    assert "is the project file" in run("export", project, "qdpx", project, ok=False)
    assert "folder" in run("export", project, "qdpx", tmp_path / "nope" / "x.qdpx", ok=False)
    assert dump(project) == before and not (tmp_path / "x.qdc").exists()


def test_a_codebook_needs_codes(tmp_path: Path) -> None:
    run("init", tmp_path / "tom.mda")
    assert "the project has no codes" in run("export", tmp_path / "tom.mda", "qdc", tmp_path / "tom.qdc", ok=False)
    run("export", tmp_path / "tom.mda", "qdpx", tmp_path / "tom.qdpx")  # an empty project is still a valid project
    xmlschema.XMLSchema(SCHEMAS / "Project.xsd").validate(io.BytesIO(qde(tmp_path / "tom.qdpx")))


@pytest.mark.parametrize(("kind", "key"), [("code", 12), ("selection", "3:120:245"), ("group", "FG 9 – Älvdala")])
def test_guids_are_name_based_uuids(kind: str, key: object) -> None:
    project = "6f1c2a64-3f0e-4d43-9a57-1b2f6f0c8e11"
    assert Guids(project)(kind, key) == str(uuid.uuid5(NAMESPACE, f"{project}/{kind}/{key}"))
