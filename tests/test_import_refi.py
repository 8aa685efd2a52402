"""REFI-QDA import: what real tools write (NVivo, ATLAS.ti), hostile archives, and the round trip with our export.

The archives are written here, by hand, the way each program writes them: NVivo counts selection
positions in UTF-16 code units over the CRLF text of a UTF-16 file with a byte-order mark (it is
a .NET program: ``String.Length``); ATLAS.ti names sub-codes ``Parent::Child``; early files spell
the namespace ``urn:QDA-XML:project:1:0``. The standard: REFI-QDA Project Exchange 1.0 (2019).
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from mda_coder.core.coding import TurnInfo
from mda_coder.ingest.refi_text import READINGS, decode_source, place_selections
from mda_coder.services.codebook import export_codebook_yaml
from mda_coder.services.coding import Target, apply_code, list_codings
from mda_coder.services.history import undo
from mda_coder.services.importing import import_qdpx
from mda_coder.services.memos import add_memo, list_memos
from mda_coder.services.project import open_project
from mda_coder.services.sample import build_sample_project
from mda_coder.store import codes as code_repo
from mda_coder.store import documents as doc_repo
from mda_coder.store.engine import Database
from tests.support.docx_writer import write_docx
from tests.support.snapshot import dump

NS = "urn:QDA-XML:project:1.0"
USER = "0c8a7c2e-0000-4000-8000-000000000001"
CODE = "0c8a7c2e-0000-4000-8000-0000000000c1"


def run(*args: object, ok: bool = True) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert (result.exit_code == 0) == ok, result.output
    return result.output


def qde(sources: str, codes: str, ns: str = NS, origin: str = "NVivo 14", head: str = "") -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?>\n{head}'
        f'<Project xmlns="{ns}" name="Intervjuer" origin="{origin}">'
        f'<Users><User guid="{USER}" name="Kim"/></Users>'
        f"<CodeBook><Codes>{codes}</Codes></CodeBook><Sources>{sources}</Sources></Project>"
    ).encode()


def selection(guid: str, start: int, end: int, code: str = CODE, name: str = "") -> str:
    return (
        f'<PlainTextSelection guid="{guid}" name="{name}" startPosition="{start}" endPosition="{end}" creatingUser="{USER}">'
        f'<Coding guid="{guid[:-2]}cc" creatingUser="{USER}" creationDateTime="2023-03-01T10:00:00Z">'
        f'<CodeRef targetGUID="{code}"/></Coding></PlainTextSelection>'
    )


def qdpx(path: Path, entries: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return path


NVIVO_TEXT = "Intervju 😀 med Kim\r\nI: Hur går det?\r\nR1: Jag tror på dig.\r\n"


def units(text: str, part: str) -> tuple[int, int]:
    """``part``'s position in UTF-16 code units over ``text`` as it is (CRLF and all), as NVivo counts."""
    start = len(text[: text.index(part)].encode("utf-16-le")) // 2
    return start, start + len(part.encode("utf-16-le")) // 2


def test_nvivo_utf16_crlf_bom_offsets_upper_case_sources_and_another_project_file_name(
    project: Database, tmp_path: Path
) -> None:
    start, end = units(NVIVO_TEXT, "tror på dig")
    assert (start, end) != (NVIVO_TEXT.index("tror"), NVIVO_TEXT.index("tror") + 11)  # the emoji and CRLFs shift it
    archive = qdpx(
        tmp_path / "nvivo.qdpx",
        {
            "Intervjuer.qde": qde(
                f'<TextSource guid="a1" name="Kim.docx" plainTextPath="internal://a1.txt">{selection("s0000001", start, end)}</TextSource>',
                f'<Code guid="{CODE}" name="Tillit" isCodable="true" color="#FF8800"><Description>Tro på deltagaren.</Description></Code>',
            ),
            "Sources/a1.txt": b"\xff\xfe" + NVIVO_TEXT.encode("utf-16-le"),
        },
    )
    out = run("import-qdpx", project.location, archive)
    assert "Kim.docx → Kim: 2 turns, 1 coding · positions in UTF-16 units over CRLF" in out
    [coding] = list_codings(project, coder="Kim")
    assert (coding.code_path, coding.text) == ("Tillit", "tror på dig")
    with project.transaction() as s:
        assert doc_repo.get(s, "Kim").text == NVIVO_TEXT.replace("\r\n", "\n")  # stored once, line ends normalised
        assert code_repo.resolve(s, "Tillit").color == "#ff8800"
    assert [t.speaker for t in turns_of(project, "Kim")] == ["I", "R1"]


def turns_of(db: Database, document: str) -> list[TurnInfo]:
    with db.transaction() as s:
        return doc_repo.turns(s, document)


def test_atlas_parent_child_codes_old_namespace_docx_only_and_a_missing_source(
    project: Database, tmp_path: Path
) -> None:
    docx = write_docx(tmp_path / "b.docx", ["I: Vad tror du?", "R2: Att hon klarar det."])
    text = "I: Vad tror du?\nR2: Att hon klarar det."
    start = text.index("hon klarar")
    archive = qdpx(
        tmp_path / "atlas.qdpx",
        {
            "project.qde": qde(
                f'<TextSource guid="b1" name="Grupp B" richTextPath="internal://b1.docx">{selection("s0000002", start, start + 10)}</TextSource>'
                f'<TextSource guid="c1" name="Grupp C" plainTextPath="internal://c1.txt">{selection("s0000003", 0, 4)}</TextSource>',
                f'<Code guid="{CODE}" name="Tillit::Tvivel" isCodable="true"/>',
                ns="urn:QDA-XML:project:1:0",
                origin="ATLAS.ti 23",
            ),
            "sources/b1.docx": docx.read_bytes(),
        },
    )
    out = run("import-qdpx", project.location, archive)
    assert "Grupp B → Grupp B: 2 turns, 1 coding · positions in code points, text from the Word file" in out
    assert "Grupp C: left out: sources/c1.txt is not in the archive" in out
    assert "not imported: 1 codings on sources left out" in out
    assert "1 code named 'Parent::Child' (ATLAS.ti) became sub-codes of their parents" in out
    [coding] = list_codings(project, coder="Kim")
    assert (coding.code_path, coding.text, coding.document) == ("Tillit/Tvivel", "hon klarar", "Grupp B")


@pytest.mark.parametrize(
    ("text", "positions", "reading", "expected"),
    [
        ("Hej där.\nJa.", (4, 7), READINGS[0], "där"),  # every reading agrees: code points, as the standard says
        ("a😀 tror\nb", (3, 7), READINGS[0], "tror"),  # code points: the emoji is one
        ("a😀 tror\nb", (4, 8), READINGS[2], "tror"),  # UTF-16: the emoji is two units
        ("x\ny\nz tror dig", (8, 12), READINGS[1], "tror"),  # CRLF counted: two characters per line end
        ("x\ny😀\nz tror", (10, 14), READINGS[3], "tror"),  # NVivo: UTF-16 units over CRLF
    ],
)
def test_offset_readings(text: str, positions: tuple[int, int], reading: str, expected: str) -> None:
    placement = place_selections(decode_source(text.encode("utf-8")), [(*positions, expected)])
    [placed] = placement.spans
    assert (placement.reading, text[placed.start : placed.end]) == (reading, expected)


def test_selections_that_miss_the_text_are_left_out_and_said(project: Database, tmp_path: Path) -> None:
    archive = qdpx(
        tmp_path / "miss.qdpx",
        {
            "project.qde": qde(
                f'<TextSource guid="d1" name="D" plainTextPath="internal://d1.txt">{selection("s0000004", 0, 3)}{selection("s0000005", 5, 900)}</TextSource>',
                f'<Code guid="{CODE}" name="Tillit"/>',
            ),
            "sources/d1.txt": b"R1: Jag tror.\n",
        },
    )
    out = run("import-qdpx", project.location, archive)
    assert (
        "not imported: 1 selections whose positions do not fall on the text of 'D' (first: ends at 900, past the end"
        in out
    )
    assert len(list_codings(project, coder="Kim")) == 1


HOSTILE = [
    (
        "entity",
        {"project.qde": qde("", "", head='<!DOCTYPE p [<!ENTITY x "xxxxxxxxxx"><!ENTITY y "&x;&x;&x;&x;">]>\n')},
        "has a document type declaration (<!DOCTYPE …>): refused",
    ),
    ("external", {"project.qde": qde("", "", head='<!DOCTYPE p SYSTEM "file:///etc/passwd">\n')}, "refused"),
    (
        "zip-slip",
        {"project.qde": qde("", ""), "../../evil.txt": b"x"},
        "entry '../../evil.txt' points outside the archive: refused",
    ),
    ("absolute", {"project.qde": qde("", ""), "/etc/cron.d/x": b"x"}, "points outside the archive: refused"),
    (
        "bomb",
        {
            "project.qde": qde('<TextSource guid="e1" name="E" plainTextPath="internal://e1.txt"/>', ""),
            "sources/e1.txt": bytes(20 * 1024 * 1024),
        },
        "like a zip bomb: refused",
    ),
    ("no-qde", {"readme.txt": b"hello"}, "no project file (.qde) in the archive"),
    ("broken", {"project.qde": b"<Project><Users>"}, "broken XML"),
    (
        "encoding",
        {"project.qde": b'<?xml version="1.0" encoding="TF-8"?><Project/>'},
        "the XML declares a character encoding that cannot be read (unknown encoding: TF-8)",
    ),
    ("not-a-project", {"project.qde": b"<html/>"}, "not a REFI-QDA project (the document is <html>"),
]


@pytest.mark.parametrize(("kind", "entries", "message"), HOSTILE, ids=[h[0] for h in HOSTILE])
def test_hostile_or_broken_archives_are_refused_in_one_line_and_change_nothing(
    project: Database, tmp_path: Path, kind: str, entries: dict[str, bytes], message: str
) -> None:
    archive = qdpx(tmp_path / f"{kind}.qdpx", entries)
    before = dump(Path(project.location))
    out = run("import-qdpx", project.location, archive, ok=False)
    assert out.startswith(f"Error: {archive}") and message in out and len(out.strip().splitlines()) == 1
    assert "Traceback" not in out
    assert dump(Path(project.location)) == before


def test_not_a_zip_and_a_new_project_left_behind_by_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "x.qdpx"
    bad.write_text("not a zip", encoding="utf-8")
    out = run("import-qdpx", tmp_path / "new.mda", bad, ok=False)
    assert f"{bad}: not a REFI-QDA project (a .qdpx is a zip archive" in out
    assert not (tmp_path / "new.mda").exists()


@pytest.fixture(scope="module")
def sample_with_memos(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Database]:
    path = tmp_path_factory.mktemp("sample") / "sample.mda"
    db = build_sample_project(path)
    first = doc_repo_names(db)[0]
    add_memo(db, "Om hela studien.", coder="anna")
    add_memo(db, "Gruppen var tystlåten.", document=first, coder="erik")
    add_memo(db, "Vändpunkten.", document=first, turn=3)
    add_memo(db, "Koden behöver skärpas.", code="tilltro", coder="anna")
    apply_code(db, coder="erik", code="jobbfokus", document=first, target=Target(span=(10, 20)), memo="Kort och gott.")
    yield db
    db.close()


def doc_repo_names(db: Database) -> list[str]:
    with db.transaction() as s:
        return [i.name for i in doc_repo.infos(s)]


def _state(db: Database) -> dict[str, object]:
    with db.transaction() as s:
        texts = {i.name: doc_repo.get(s, i.name).text for i in doc_repo.infos(s)}
        groups = {i.name: i.group for i in doc_repo.infos(s)}
        codes = [(c.path, c.color, c.definition) for c in code_repo.infos(s, "sv")]
    codings = sorted(
        (
            c.coder,
            c.code_path,
            c.document,
            c.span.start,
            c.span.end,
            c.memo,
            c.created.replace(microsecond=0, tzinfo=None),
        )
        for c in list_codings(db)
    )
    memos = sorted((m.about, m.coder, m.text) for m in list_memos(db))
    return {"texts": texts, "groups": groups, "codes": codes, "codings": codings, "memos": memos}


def test_round_trip_export_then_import_reproduces_the_project(sample_with_memos: Database, tmp_path: Path) -> None:
    run("export", sample_with_memos.location, "qdpx", tmp_path / "s.qdpx")
    out = run("import-qdpx", tmp_path / "copy.mda", tmp_path / "s.qdpx")
    assert "not imported" not in out and "370 codings, 4 memos; coders: anna, erik" in out
    copy = open_project(tmp_path / "copy.mda")
    try:
        original, imported = _state(sample_with_memos), _state(copy)
        for part in ("texts", "groups", "codes", "codings", "memos"):
            assert imported[part] == original[part], part
        # importing it again is noticed: the same sources are skipped, nothing doubles
        again = run("import-qdpx", tmp_path / "copy.mda", tmp_path / "s.qdpx")
        assert "already in the project as 'FG1_Norrvik', skipped" in again
        assert len(list_codings(copy)) == 370
    finally:
        copy.close()


def test_yaml_to_qdc_to_codebook_round_trip(project: Database, tmp_path: Path) -> None:
    run("export", project.location, "qdc", tmp_path / "mini.qdc")
    run("init", tmp_path / "other.mda")
    out = run("codebook", "import", tmp_path / "other.mda", tmp_path / "mini.qdc")
    assert out.startswith("8 codes added, 0 updated, 1 exclusive groups")
    other = open_project(tmp_path / "other.mda")
    try:
        ours, theirs = export_codebook_yaml(project), export_codebook_yaml(other)
    finally:
        other.close()
    # What a .qdc carries: the tree, colours, the definition in the project's language, the groups.
    for line in (
        "- name: tilltro",
        "  color: '#4e79a7'",
        "  definition: Tro på deltagarens förmåga att nå arbete.",
        "  - name: tvivel",
        "- name: hållning\n  exclusive: true\n  children:\n  - name: positiv",
    ):
        assert line in theirs, line
    # What it does not: keys, and the English texts.
    assert "key:" in ours and "key:" not in theirs
    assert "Belief in the participant" in ours and "Belief in the participant" not in theirs


def test_hostile_qdc_is_refused(project: Database, tmp_path: Path) -> None:
    bad = tmp_path / "bad.qdc"
    bad.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE c [<!ENTITY e SYSTEM "file:///etc/passwd">]><CodeBook>&e;</CodeBook>'
    )
    before = dump(Path(project.location))
    out = run("codebook", "import", project.location, bad, ok=False)
    assert (
        out
        == f"Error: {bad}: has a document type declaration (<!DOCTYPE …>): refused (REFI-QDA files have none, and they can read files or exhaust memory)\n"
    )
    assert dump(Path(project.location)) == before


def test_a_qdc_in_an_unknown_encoding_is_refused_in_one_line(project: Database, tmp_path: Path) -> None:
    bad = tmp_path / "bad.qdc"
    bad.write_bytes(
        b'<?xml version="1.0" encoding="TF-8"?><CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes/></CodeBook>'
    )
    before = dump(Path(project.location))
    out = run("codebook", "import", project.location, bad, ok=False)
    assert out == f"Error: {bad}: the XML declares a character encoding that cannot be read (unknown encoding: TF-8)\n"
    assert dump(Path(project.location)) == before


def test_codings_of_one_source_keep_exclusive_groups_once_per_span_and_undo_one_by_one(
    project: Database, tmp_path: Path
) -> None:
    text = "I: Hur går det?\nR1: Jag tror på dig.\n"
    guids = {name: f"0c8a7c2e-0000-4000-8000-0000000000{n}0" for n, name in enumerate(("h", "p", "n", "j"), start=1)}
    codes = (
        f'<Code guid="{guids["h"]}" name="hållning" isCodable="true">'
        f'<Code guid="{guids["p"]}" name="positiv" isCodable="true"/><Code guid="{guids["n"]}" name="negativ" isCodable="true"/></Code>'
        f'<Code guid="{guids["j"]}" name="jobbfokus" isCodable="true"/>'
    )
    tror, du, hur = text.index("tror på dig"), text.index("på dig"), text.index("Hur går det")
    selections = "".join(
        (
            selection("s0000001", tror, tror + 11, guids["p"]),
            selection("s0000002", tror, tror + 11, guids["p"]),  # the same coding again: one coding
            selection("s0000003", du, du + 6, guids["n"]),  # overlaps positiv in the exclusive group hållning: left out
            selection("s0000004", hur, hur + 11, guids["j"]),
        )
    )
    archive = qdpx(
        tmp_path / "x.qdpx",
        {
            "project.qde": qde(
                f'<TextSource guid="a1" name="Kim.txt" plainTextPath="internal://a1.txt">{selections}</TextSource>',
                codes,
            ),
            "sources/a1.txt": text.encode(),
        },
    )
    report = import_qdpx(project, archive)
    assert report.codings == 2
    assert report.dropped == ["1 codings that break a mutually exclusive group of the project"]
    assert sorted((c.code_path, c.text) for c in list_codings(project, coder="Kim")) == [
        ("hållning/positiv", "tror på dig"),
        ("jobbfokus", "Hur går det"),
    ]
    # each coding is journalled as applied, in the archive's order, so undo takes them back one by one
    undo(project, "Kim")
    assert [(c.code_path, c.created.year) for c in list_codings(project, coder="Kim")] == [("hållning/positiv", 2023)]
    undo(project, "Kim")
    assert list_codings(project, coder="Kim") == []


def _identities(path: Path) -> dict[str, set[tuple[str, str]]]:
    """Each identified table's rows as (what a person sees, uuid)."""
    import sqlite3

    con = sqlite3.connect(path)
    try:
        return {
            "documents": set(con.execute("SELECT name, uuid FROM documents")),
            "codes": set(con.execute("SELECT name || '/' || coalesce(parent_id, ''), uuid FROM codes")),
            "coders": set(con.execute("SELECT name, uuid FROM coders")),
            "codings": set(
                con.execute(
                    "SELECT d.name || ':' || c.start_offset || '-' || c.end_offset || ':' || k.name || ':' || p.name,"
                    " c.uuid FROM codings c JOIN documents d ON d.id = c.document_id"
                    " JOIN coders k ON k.id = c.coder_id JOIN codes p ON p.id = c.code_id"
                )
            ),
            "memos": set(con.execute("SELECT text, uuid FROM memos")),
            "speakers": set(con.execute("SELECT label || '@' || document_id, uuid FROM speakers")),
        }
    finally:
        con.close()


def test_a_project_that_goes_out_and_comes_back_keeps_every_uuid(tmp_path: Path) -> None:
    """The GUIDs of an export are the rows' uuids, and an import takes them back: the same identities on return."""
    build_sample_project(tmp_path / "studie.mda").close()
    run("export", tmp_path / "studie.mda", "qdpx", tmp_path / "studie.qdpx")
    run("import-qdpx", tmp_path / "tillbaka.mda", tmp_path / "studie.qdpx")
    before, after = _identities(tmp_path / "studie.mda"), _identities(tmp_path / "tillbaka.mda")
    for table in ("documents", "coders", "codings", "speakers"):
        assert after[table] == before[table], table
    assert {u for _, u in after["codes"]} == {u for _, u in before["codes"]}
    assert {u for _, u in after["memos"]} == {u for _, u in before["memos"]}


def test_guids_a_project_already_has_are_not_taken_twice(tmp_path: Path) -> None:
    """Importing an export into the project it came from: the uuids stay unique, and doctor finds it sound."""
    build_sample_project(tmp_path / "studie.mda").close()
    run("export", tmp_path / "studie.mda", "qdpx", tmp_path / "studie.qdpx")
    run("init", tmp_path / "annan.mda")
    run("import-qdpx", tmp_path / "annan.mda", tmp_path / "studie.qdpx")
    run("import-qdpx", tmp_path / "annan.mda", tmp_path / "studie.qdpx")  # again: documents skipped, codes updated
    run("--no-backup", "import-qdpx", tmp_path / "studie.mda", tmp_path / "studie.qdpx")
    for project in ("annan.mda", "studie.mda"):
        ids = _identities(tmp_path / project)
        for table, rows in ids.items():
            uuids = [u for _, u in rows]
            assert len(uuids) == len(set(uuids)), (project, table)
        run("doctor", tmp_path / project)


def test_an_nvivo_guid_in_upper_case_or_braces_becomes_the_uuid(tmp_path: Path) -> None:
    """REFI-QDA GUIDs from other tools, in any case, are kept (lowercase canonical); a malformed one gets a new uuid."""
    text = "I: Hur gick det?\nR1: Bra, tror jag.\n"
    sources = (
        '<TextSource guid="{6D3A1C2B-4E5F-4A6B-8C7D-9E0F1A2B3C4D}" name="Intervju" plainTextPath="internal://a.txt">'
        + selection("0B1C2D3E-4F50-4617-8293-A4B5C6D7E8F9", 21, 36)
        + selection("s0000002", 4, 16)  # its coding's GUID, "s00000cc", is no UUID
        + "</TextSource>"
    )
    codes = f'<Code guid="{CODE.upper()}" name="Tillit" isCodable="true"/>'
    archive = qdpx(tmp_path / "n.qdpx", {"project.qde": qde(sources, codes), "sources/a.txt": text.encode()})
    run("import-qdpx", tmp_path / "n.mda", archive)
    ids = _identities(tmp_path / "n.mda")
    assert {u for _, u in ids["documents"]} == {"6d3a1c2b-4e5f-4a6b-8c7d-9e0f1a2b3c4d"}
    assert {u for _, u in ids["codes"]} == {CODE}
    assert {u for _, u in ids["coders"]} == {USER}
    kept, given = sorted(ids["codings"])  # "Intervju:21-…" sorts before "Intervju:4-…"
    assert kept[1] == "0b1c2d3e-4f50-4617-8293-a4b5c6d7e8cc"
    assert given[1] not in {kept[1], "s00000cc"} and len(given[1]) == 36
