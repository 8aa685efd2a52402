"""Speaker tables: names, roles, persons and attributes for many speakers at once, matched and reported, all or nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from mda_coder.core.errors import InputError
from mda_coder.ingest.speaker_table import MAX_BYTES, read_speaker_table
from tests.support.snapshot import dump

FG1 = """\
I: Välkomna hit. Berätta gärna hur ni arbetar.
R1: Vi träffar deltagarna varje vecka.
R2: Jag har mest telefonkontakt.
I: Hur ser det ut i er kommun?
R1: Det varierar mellan kontoren.
"""

FG2 = """\
I: Då börjar vi. Vad är viktigast i mötet?
R1: Att deltagaren känner sig sedd.
R3: Och att vi följer upp.
"""

SWEDISH_TABLE = """\
etikett;namn;roll;kommun
I;Moderatorn;moderator;-
R1;Lena;arbetskonsulent;Norrvik
r2 ;Per;handläggare;Sjöstad
R4;Okänd;;Ekby
"""


def run(*args: object, ok: bool = True) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert (result.exit_code == 0) == ok, result.output
    return result.output


def speakers(project: Path) -> dict[tuple[str, str], dict[str, object]]:
    return {(s["document"], s["label"]): s for s in json.loads(run("speakers", project, "--json"))}


@pytest.fixture
def study(tmp_path: Path) -> Path:
    """A project with two focus groups: FG1 (I, R1, R2) and FG2 (I, R1, R3)."""
    project = tmp_path / "studie.mda"
    run("init", project, "--language", "sv")
    for name, text in (("FG1", FG1), ("FG2", FG2)):
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
        run("import", project, tmp_path / f"{name}.txt")
    return project


def test_a_swedish_table_with_a_bom_and_semicolons_describes_every_focus_group(study: Path, tmp_path: Path) -> None:
    table = tmp_path / "talare.csv"
    table.write_bytes(SWEDISH_TABLE.encode("utf-8-sig"))
    out = run("speakers", "import", study, table)

    assert "talare.csv: labels in 'etikett'; names in 'namn'; roles in 'roll'; attributes kommun" in out
    assert "3 rows matched 5 speakers (4 exact, 1 ignoring case)" in out
    assert "line 4: r2 → FG1 R2 (ignoring case)" in out
    assert "5 speakers updated" in out
    assert "1 row matched no speaker:\n  line 5: R4 (no speaker 'R4')" in out
    assert "1 speaker not in the table: FG2 R3" in out

    found = speakers(study)
    for document in ("FG1", "FG2"):  # one row without a document describes the label in each
        assert (found[(document, "I")]["display_name"], found[(document, "I")]["role"]) == ("Moderatorn", "moderator")
        assert found[(document, "I")]["attributes"] == {}  # '-' is no value
        assert found[(document, "R1")]["attributes"] == {"kommun": "Norrvik"}
    assert (found[("FG1", "R2")]["display_name"], found[("FG1", "R2")]["role"]) == ("Per", "handläggare")
    assert found[("FG2", "R3")]["display_name"] is None
    log = json.loads(run("log", study, "--last", "1", "--json"))
    assert log[0]["action"] == "speaker.import"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16", "cp1252"])
def test_the_table_is_read_in_the_encodings_excel_writes(study: Path, tmp_path: Path, encoding: str) -> None:
    table = tmp_path / "talare.csv"
    table.write_bytes(SWEDISH_TABLE.replace("Sjöstad", "Sjöstad – väst").encode(encoding))
    run("speakers", "import", study, table)
    assert speakers(study)[("FG1", "R2")]["attributes"] == {"kommun": "Sjöstad – väst"}


def test_a_table_repeats_nothing_it_already_said_and_keeps_what_a_cell_leaves_empty(
    study: Path, tmp_path: Path
) -> None:
    run("speaker", study, "FG1", "R1", "--role", "coach", "--attr", "erfarenhet=6 år")
    table = tmp_path / "talare.csv"
    table.write_text("etikett;namn;roll\nR1;Lena;\n", encoding="utf-8")
    out = run("speakers", "import", study, table, "--document", "FG1")
    assert "1 speaker updated" in out
    r1 = speakers(study)[("FG1", "R1")]
    assert (r1["display_name"], r1["role"], r1["attributes"]) == ("Lena", "coach", {"erfarenhet": "6 år"})
    assert speakers(study)[("FG2", "R1")]["display_name"] is None  # --document FG1 only
    assert "0 speakers updated" in run("speakers", "import", study, table, "--document", "FG1")


def test_a_dry_run_reports_and_changes_nothing(study: Path, tmp_path: Path) -> None:
    table = tmp_path / "talare.csv"
    table.write_bytes(SWEDISH_TABLE.encode("utf-8-sig"))
    before = dump(study)
    out = run("speakers", "import", study, table, "--dry-run")
    assert "5 speakers would be updated (dry run: nothing changed)" in out
    assert dump(study) == before


PARLIAMENT_COLUMNS = [
    "Text_ID",
    "ID",
    "Title",
    "Date",
    "Body",
    "Term",
    "Session",
    "Meeting",
    "Sitting",
    "Agenda",
    "Subcorpus",
    "Lang",
    "Speaker_role",
    "Speaker_MP",
    "Speaker_minister",
    "Speaker_party",
    "Speaker_party_name",
    "Party_status",
    "Party_orientation",
    "Speaker_ID",
    "Speaker_name",
    "Speaker_gender",
    "Speaker_birth",
    "Topic",
]

DEBATE = """\
Korpus_2004-06-08-lower.u11: Thank you, Madam President. I have one question for the minister.
Korpus_2004-06-08-lower.u12: The ministry will answer in writing before the summer.
Korpus_2004-06-08-lower.u13: Then I look forward to that answer.
"""


def _parliament_row(utterance: str, role: str, party: str, person: str, name: str, gender: str) -> str:
    values = {
        "Text_ID": "Korpus_2004-06-08-lower",
        "ID": f"Korpus_2004-06-08-lower.ana.{utterance}",
        "Title": "Minutes of the sitting, 8 June 2004",
        "Date": "2004-06-08",
        "Body": "Lower house",
        "Term": "Term 2001-2005",
        "Session": "-",
        "Meeting": "-",
        "Sitting": "-",
        "Agenda": "-",
        "Subcorpus": "Reference",
        "Lang": "English",
        "Speaker_role": role,
        "Speaker_MP": "MP",
        "Speaker_minister": "notMinister",
        "Speaker_party": party,
        "Speaker_party_name": f"The {party} party",
        "Party_status": "-",
        "Party_orientation": "-",
        "Speaker_ID": person,
        "Speaker_name": name,
        "Speaker_gender": gender,
        "Speaker_birth": "-",
        "Topic": "Immigration",
    }
    return "\t".join(values[c] for c in PARLIAMENT_COLUMNS)


@pytest.fixture
def debate(tmp_path: Path) -> Path:
    project = tmp_path / "debatt.mda"
    run("init", project, "--language", "en")
    (tmp_path / "sitting.txt").write_text(DEBATE, encoding="utf-8")
    run("import", project, tmp_path / "sitting.txt", "--speaker-pattern", r"^(?P<speaker>\S+):\s")
    return project


def _parliament_table(tmp_path: Path, *extra: str) -> Path:
    rows = [
        "\t".join(PARLIAMENT_COLUMNS),
        _parliament_row("u11", "Regular", "Green", "person.AB", "Berg, Alma", "F"),
        _parliament_row("u12", "Regular", "Blue", "person.CD", "Dahl, Carl", "M"),
        _parliament_row("u13", "Regular", "Green", "person.AB", "Berg, Alma", "F"),
        *extra,
    ]
    path = tmp_path / "meta.tsv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def test_a_parliamentary_export_matches_utterance_ids_by_their_ending(debate: Path, tmp_path: Path) -> None:
    out = run("speakers", "import", debate, _parliament_table(tmp_path), "--person", "Speaker_ID")
    assert "labels in 'ID'; names in 'Speaker_name'; roles in 'Speaker_role'; persons in 'Speaker_ID'" in out
    assert "3 rows matched 3 speakers (3 by id ending)" in out
    assert "line 2: Korpus_2004-06-08-lower.ana.u11 → sitting Korpus_2004-06-08-lower.u11 (by id ending)" in out

    found = speakers(debate)
    first, second, third = (found[("sitting", f"Korpus_2004-06-08-lower.u1{n}")] for n in (1, 2, 3))
    assert (first["display_name"], first["role"], first["person"]) == ("Berg, Alma", "Regular", "person.AB")
    assert third["person"] == first["person"] and second["person"] == "person.CD"
    assert first["attributes"]["Speaker_party"] == "Green" and first["attributes"]["Speaker_gender"] == "F"
    assert sorted(first["attributes"]) == sorted(  # not the label, name, role and person columns, nor '-' cells
        "Text_ID Title Date Body Term Subcorpus Lang Speaker_MP Speaker_minister Speaker_party Speaker_party_name "
        "Speaker_gender Topic".split()
    )


def test_an_id_ending_counts_only_when_it_is_unique_on_both_sides(debate: Path, tmp_path: Path) -> None:
    # A second table row ending in u12: neither may claim the speaker whose label ends so.
    twin = _parliament_row("u12", "Chair", "Blue", "person.EF", "Ek, Eva", "F").replace(".ana.u12", ".other.u12")
    out = run("speakers", "import", debate, _parliament_table(tmp_path, twin))
    assert "2 rows matched 2 speakers (2 by id ending)" in out
    assert "line 3: Korpus_2004-06-08-lower.ana.u12 (no speaker 'Korpus_2004-06-08-lower.ana.u12')" in out
    assert "line 5: Korpus_2004-06-08-lower.other.u12 (no speaker" in out
    assert speakers(debate)[("sitting", "Korpus_2004-06-08-lower.u12")]["display_name"] is None


def test_a_label_with_spaces_is_never_matched_by_its_ending(study: Path, tmp_path: Path) -> None:
    table = tmp_path / "talare.csv"
    table.write_text("talare,namn\nintervju-R3,Ola\nsamtal med R2,Kim\nI,Moderatorn\n", encoding="utf-8")
    out = run("speakers", "import", study, table, "--document", "FG2")
    assert "line 2: intervju-R3 → FG2 R3 (by id ending)" in out
    assert "line 3: samtal med R2 (no speaker 'samtal med R2')" in out

    (tmp_path / "FG3.txt").write_text(
        "Moderator: Välkomna.\nAnna Berg-Ek: Tack.\nModerator: Börja du.\nAnna Berg-Ek: Ja.\n", encoding="utf-8"
    )
    run("import", study, tmp_path / "FG3.txt")
    table.write_text("talare,namn\nfg3.Ek,Anna\nModerator,Mona\n", encoding="utf-8")
    out = run("speakers", "import", study, table, "--document", "FG3")
    assert "line 2: fg3.Ek (no speaker 'fg3.Ek')" in out
    assert speakers(study)[("FG3", "Anna Berg-Ek")]["display_name"] is None


DANISH_TABLE = """\
dokument,taler,navn,rolle,person,alder
FG1,I,Mette,interviewer,Mette Holm,-
FG2,R1,Mette,deltager,Mette Holm,52
FG2,I,Søren,interviewer,,41
FG7,R1,Ida,,,
"""


def test_a_danish_table_with_a_document_column_describes_each_document_apart(study: Path, tmp_path: Path) -> None:
    table = tmp_path / "talere.csv"
    table.write_text(DANISH_TABLE, encoding="utf-8")
    out = run("speakers", "import", study, table)
    assert "labels in 'taler'; names in 'navn'; roles in 'rolle'; persons in 'person'; documents in 'dokument'" in out
    assert "3 rows matched 3 speakers (3 exact)" in out
    assert "line 5: R1 (no document 'FG7' in the project)" in out
    found = speakers(study)
    assert (found[("FG1", "I")]["display_name"], found[("FG2", "I")]["display_name"]) == ("Mette", "Søren")
    assert found[("FG1", "I")]["person"] == found[("FG2", "R1")]["person"] == "Mette Holm"  # one person, two documents
    assert found[("FG2", "I")]["attributes"] == {"alder": "41"} and found[("FG1", "I")]["attributes"] == {}
    assert found[("FG1", "R1")]["display_name"] is None  # the FG2 row leaves FG1's R1 alone


def test_the_json_report_names_each_row_and_how_it_matched(study: Path, tmp_path: Path) -> None:
    table = tmp_path / "talare.csv"
    table.write_bytes(SWEDISH_TABLE.encode("utf-8-sig"))
    report = json.loads(run("speakers", "import", study, table, "--json"))
    assert [
        (m["line"], m["key"], [(s["document"], s["label"], s["how"]) for s in m["speakers"]]) for m in report["matched"]
    ] == [
        (2, "I", [("FG1", "I", "exact"), ("FG2", "I", "exact")]),
        (3, "R1", [("FG1", "R1", "exact"), ("FG2", "R1", "exact")]),
        (4, "r2", [("FG1", "R2", "ignoring case")]),
    ]
    assert report["unmatched"] == [{"line": 5, "key": "R4", "reason": "no speaker 'R4'"}]
    assert report["unmentioned"] == [{"document": "FG2", "label": "R3"}]
    assert report["columns"]["attributes"] == ["kommun"] and report["dry_run"] is False


@pytest.mark.parametrize(
    ("table", "options", "message"),
    [
        (
            "etikett;namn\nR1;Lena\n",
            ["--key", "talare"],
            "talare.csv: no column 'talare' for --key (the columns are etikett, namn)",
        ),
        ("etikett;namn\nR1;Lena\nR2;Per\nR1;Lisa\n", [], "talare.csv:4: 'R1' is already on line 2"),
        ("etikett;namn;roll\nR1;Lena;coach\nR2;Per\n", [], "talare.csv:3: 2 cells, the header has 3"),
        (
            "etikett;namn\nR8;Lena\nR9;Per\n",
            [],
            "talare.csv: no row matches a speaker by its 'etikett' column (the project has labels such as I, R1, R2, R3)",
        ),
        (
            "etikett;namn\nR1;Lena\nr1;Lisa\n",
            [],
            "talare.csv:3: 'r1' describes FG1 R1, which line 2 ('R1') already describes",
        ),
        ('etikett;namn\nR1;"Lena\nR2;Per\n', [], "talare.csv:2: a quote in this row is never closed"),
        ('etikett;namn\nR1;"' + "x" * 140_000 + '"\n', [], "talare.csv:2: a cell longer than 131,072 characters"),
        ("namn;roll\nLena;coach\n", [], "talare.csv: no column of speaker labels"),
        ("label;id;namn\nR1;x;Lena\n", [], "columns label and id could both be the key; choose one with --key"),
        ("etikett;namn\n;Lena\n", [], "talare.csv:2: no speaker label in column 'etikett'"),
        ("etikett;namn\nR1;Lena\n", ["--document", "FG9"], "no document called 'FG9'"),
    ],
)
def test_a_bad_table_is_one_line_and_changes_nothing(
    study: Path, tmp_path: Path, table: str, options: list[str], message: str
) -> None:
    path = tmp_path / "talare.csv"
    path.write_text(table, encoding="utf-8")
    before = dump(study)
    out = run("speakers", "import", study, path, *options, ok=False)
    lines = [line for line in out.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error:"), out
    assert message in out
    assert dump(study) == before


def test_a_table_over_the_size_limit_is_refused_before_it_is_read(tmp_path: Path) -> None:
    path = tmp_path / "talare.csv"
    with path.open("wb") as f:
        f.write(b"etikett;namn\n")
        f.truncate(MAX_BYTES + 1)  # sparse: nothing is written, the size is what counts
    with pytest.raises(
        InputError, match=rf"talare\.csv: {MAX_BYTES + 1:,} bytes; a speaker table over {MAX_BYTES:,} bytes is refused"
    ):
        read_speaker_table(path)


def test_a_label_that_fits_two_speakers_ignoring_case_is_refused(tmp_path: Path) -> None:
    project = tmp_path / "p.mda"
    run("init", project)
    (tmp_path / "FG4.txt").write_text("Ab: Hej.\nAB: Hej hej.\nI: Välkomna.\n", encoding="utf-8")
    run("import", project, tmp_path / "FG4.txt", "--speaker-pattern", r"^(?P<speaker>\w+):\s")
    table = tmp_path / "talare.csv"
    table.write_text("etikett;namn\nI;Mona\nab;Alva\n", encoding="utf-8")
    before = dump(project)
    out = run("speakers", "import", project, table, ok=False)
    assert "talare.csv:3: 'ab' could be 'Ab' and 'AB' in document 'FG4' (they differ only in case)" in out
    assert dump(project) == before
