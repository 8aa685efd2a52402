"""Hostile and oversized input: refused in one line naming the file (and entry or line), exit 1, project unchanged.

Each file is built here, small: sizes come from :mod:`mda_coder.ingest.limits`, lowered for a test
where the real limit would take long to reach; the zip ratio is tested at its real limit.
"""

from __future__ import annotations

import io
import random
import zipfile
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from mda_coder.cli.app import COMMANDS
from mda_coder.cli.options import WholeNumber
from mda_coder.core.errors import InputError
from mda_coder.ingest import limits
from mda_coder.ingest.zip_guard import ZipRefused, read_entry
from mda_coder.store.engine import Database
from tests.support.docx_writer import write_docx
from tests.support.snapshot import dump

HUGE = "99999999999999999999"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def refused(*args: object, status: int = 1) -> str:
    """The one line a refused command says; it must not be a traceback."""
    result = CliRunner().invoke(cli, [str(a) for a in args])
    assert result.exit_code == status, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert len(lines) == 1, result.output
    if status == 1:
        assert result.output.strip() == lines[0]
    return lines[0]


def bomb_docx(path: Path, megabytes: int = 3) -> Path:
    """A .docx whose document part is megabytes of spaces: a 1000:1 compression ratio."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        body = b" " * (megabytes * 1024 * 1024)
        archive.writestr(
            "word/document.xml",
            b'<w:document xmlns:w="'
            + W.encode()
            + b'"><w:body><w:p><w:r><w:t>R1: '
            + body
            + b"</w:t></w:r></w:p></w:body></w:document>",
        )
    return path


# --- zips: one guard for .docx, .qdpx and a .docx inside a .qdpx ---


def test_a_zip_bomb_docx_is_refused_naming_the_file_and_the_entry(project: Database, tmp_path: Path) -> None:
    bomb = bomb_docx(tmp_path / "bomb.docx")
    assert bomb.stat().st_size < 10_000
    before = dump(Path(project.location))
    line = refused("import", project.location, bomb)
    assert line.startswith(f"Error: {bomb}: entry 'word/document.xml' is compressed ")
    assert line.endswith(":1, like a zip bomb: refused (the limit is 200:1)")
    assert dump(Path(project.location)) == before


def test_a_zip_bomb_docx_inside_a_qdpx_refuses_the_whole_archive(project: Database, tmp_path: Path) -> None:
    ns = "urn:QDA-XML:project:1.0"
    qde = (
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{ns}" name="P" origin="x"><Users/>'
        '<CodeBook><Codes/></CodeBook><Sources><TextSource guid="d1" name="D" richTextPath="internal://d1.docx"/>'
        "</Sources></Project>"
    )
    archive = tmp_path / "bomb.qdpx"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", qde)
        z.writestr("sources/d1.docx", bomb_docx(tmp_path / "inner.docx").read_bytes())
    before = dump(Path(project.location))
    line = refused("import-qdpx", project.location, archive)
    assert line.startswith(f"Error: {archive}: entry 'sources/d1.docx': entry 'word/document.xml' is compressed ")
    assert "like a zip bomb: refused" in line
    assert dump(Path(project.location)) == before


def _ratio_zip(ratio: float) -> tuple[zipfile.ZipFile, zipfile.ZipInfo]:
    """An entry of 2 MiB (past the floor) compressed about ``ratio`` times: random bytes, then zeros.

    Random bytes do not compress; the zeros' share of the compressed size is measured once and
    the random part sized to make up the rest.
    """
    size = 2 * 1024 * 1024

    def build(noise: int) -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("x.txt", random.Random(7).randbytes(noise) + bytes(size - noise))
        return buffer.getvalue()

    noise = int(size / ratio)
    archive = zipfile.ZipFile(io.BytesIO(build(noise)))
    rest = archive.getinfo("x.txt").compress_size - noise
    archive = zipfile.ZipFile(io.BytesIO(build(int(size / ratio) - rest)))
    return archive, archive.getinfo("x.txt")


def test_the_ratio_limit_is_where_it_is_documented() -> None:
    """Past MAX_ZIP_RATIO (200:1) an entry over a MiB is refused; just under it, it is read whole."""
    under, info = _ratio_zip(limits.MAX_ZIP_RATIO * 0.9)
    assert 175 < info.file_size / info.compress_size < limits.MAX_ZIP_RATIO
    assert len(read_entry(under, info, limit=limits.MAX_ZIP_ENTRY_BYTES)) == info.file_size
    over, info = _ratio_zip(limits.MAX_ZIP_RATIO * 1.1)
    ratio = info.file_size // info.compress_size
    assert limits.MAX_ZIP_RATIO < ratio < 230
    with pytest.raises(ZipRefused, match=rf"^entry 'x.txt' is compressed {ratio}:1, like a zip bomb: refused"):
        read_entry(over, info, limit=limits.MAX_ZIP_ENTRY_BYTES)


def test_an_entry_is_read_in_pieces_and_refused_at_its_size_limit() -> None:
    archive, info = _ratio_zip(2)
    with pytest.raises(
        ZipRefused, match=r"^entry 'x.txt' would unpack to 2,097,152 bytes: refused \(the limit is 1,000,000\)$"
    ):
        read_entry(archive, info, limit=1_000_000)
    info.file_size = 1000  # a directory that lies: what comes out is capped all the same
    with pytest.raises(InputError):
        read_entry(archive, info, limit=100_000)


def test_a_docx_with_too_many_entries_is_refused_before_its_directory_is_read(
    project: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_ZIP_ENTRIES", 10)
    path = write_docx(tmp_path / "många.docx", ["R1: Hej."])
    with zipfile.ZipFile(path, "a") as archive:
        for i in range(20):
            archive.writestr(f"media/{i}.bin", b"x")
    before = dump(Path(project.location))
    assert (
        refused("import", project.location, path)
        == f"Error: {path}: 23 entries in the archive: refused (the limit is 10)"
    )
    assert dump(Path(project.location)) == before


def test_a_docx_part_with_more_tags_than_the_limit_is_refused_before_it_is_parsed(
    project: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_XML_TAGS", 50)
    path = write_docx(tmp_path / "stycken.docx", ["R1: Hej."] + [""] * 40)
    before = dump(Path(project.location))
    line = refused("import", project.location, path)
    assert line == f"Error: {path}: entry 'word/document.xml' holds more than 50 XML tags: refused"
    assert dump(Path(project.location)) == before


# --- YAML codebooks ---

LAUGHS = """\
name: skratt
a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
codes: [*c, *c, *c, *c, *c, *c, *c, *c, *c]
"""


def test_a_billion_laughs_codebook_is_refused_at_its_first_alias(project: Database, tmp_path: Path) -> None:
    path = tmp_path / "skratt.yaml"
    path.write_text(LAUGHS, encoding="utf-8")
    before = dump(Path(project.location))
    assert refused("codebook", "import", project.location, path) == (
        f"Error: {path}:3: an alias (*a): refused; write the codebook out in full, without anchors and aliases"
    )
    assert dump(Path(project.location)) == before


def test_a_codebook_nested_past_the_limit_is_refused(project: Database, tmp_path: Path) -> None:
    path = tmp_path / "djup.yaml"
    path.write_text("name: djup\ncodes: " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    before = dump(Path(project.location))
    assert refused("codebook", "import", project.location, path) == (
        f"Error: {path}:2: nested more than {limits.MAX_YAML_DEPTH} levels deep: refused"
    )
    assert dump(Path(project.location)) == before


def test_a_code_tree_of_real_depth_is_read(project: Database, tmp_path: Path) -> None:
    path = tmp_path / "träd.yaml"
    tree = "x"
    for level in range(30):
        tree = f"{{name: n{level}, children: [{tree if level else '{name: löv}'}]}}"
    path.write_text(f"name: träd\ncodes: [{tree}]\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["codebook", "import", project.location, str(path)])
    assert result.exit_code == 0, result.output


# --- text: a line past the limit, scanned in pieces ---


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"], ids=["lf", "crlf", "cr"])
def test_a_line_past_the_limit_is_refused_with_its_number(
    project: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, newline: str
) -> None:
    monkeypatch.setattr(limits, "MAX_LINE_CHARS", 1000)
    monkeypatch.setattr("mda_coder.ingest.text_size.SCAN_PIECE", 64)  # many pieces, as in a file of megabytes
    path = tmp_path / "rad.txt"
    path.write_bytes(newline.join(["R1: Hej.", "R2: Hallå.", "R1: " + "ja " * 1500, "R2: Ja."]).encode())
    before = dump(Path(project.location))
    assert refused("import", project.location, path) == (
        f"Error: {path}: line 3 is longer than 1,000 characters: refused (is this a transcript?)"
    )
    assert dump(Path(project.location)) == before


def test_a_long_line_within_the_limit_is_imported(
    project: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_LINE_CHARS", 1000)
    monkeypatch.setattr("mda_coder.ingest.text_size.SCAN_PIECE", 64)
    path = tmp_path / "rader.txt"
    path.write_text("R1: " + "ja " * 330 + "\nR2: " + "nej " * 240 + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["import", project.location, str(path)])
    assert result.exit_code == 0, result.output


def test_a_word_paragraph_past_the_line_limit_is_refused(
    project: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(limits, "MAX_LINE_CHARS", 1000)
    path = write_docx(tmp_path / "stycke.docx", ["R1: Hej.", "R2: " + "ja " * 400])
    before = dump(Path(project.location))
    assert refused("import", project.location, path) == (
        f"Error: {path}: line 2 is longer than 1,000 characters: refused (is this a transcript?)"
    )
    assert dump(Path(project.location)) == before


def test_a_qdpx_source_past_the_line_limit_is_left_out_and_said(
    project: Database, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A source's text passes the same size checks as a file's; one too long is left out, the rest imported."""
    monkeypatch.setattr(limits, "MAX_LINE_CHARS", 1000)
    ns = "urn:QDA-XML:project:1.0"
    qde = (
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{ns}" name="P" origin="x"><Users/>'
        "<CodeBook><Codes/></CodeBook><Sources>"
        '<TextSource guid="d1" name="Lång" plainTextPath="internal://d1.txt"/>'
        '<TextSource guid="d2" name="Kort" plainTextPath="internal://d2.txt"/></Sources></Project>'
    )
    archive = tmp_path / "rad.qdpx"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("project.qde", qde)
        z.writestr("sources/d1.txt", "R1: " + "ja " * 400)
        z.writestr("sources/d2.txt", "R1: Ja.\nR2: Nej.\n")
    result = CliRunner().invoke(cli, ["import-qdpx", project.location, str(archive)])
    assert result.exit_code == 0, result.output
    assert "line 1 is longer than 1,000 characters: refused" in result.output
    assert "Kort" in CliRunner().invoke(cli, ["documents", project.location]).output


def test_a_file_past_the_size_limit_is_refused_without_being_read(project: Database, tmp_path: Path) -> None:
    path = tmp_path / "stor.txt"
    with path.open("wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: 200 MB that take no room and need no reading
    before = dump(Path(project.location))
    assert refused("import", project.location, path) == (
        f"Error: {path}: too large to import (200.0 MB; the limit is 128 MB)"
    )
    assert dump(Path(project.location)) == before


# --- CSV: long cells, unterminated quotes, numbers past 64 bits ---


def test_codings_export_then_import_round_trips_a_coding_longer_than_csvs_own_limit(tmp_path: Path) -> None:
    source = tmp_path / "lång.txt"
    source.write_text(
        "".join(f"R{i % 3 + 1}: " + "Vi måste tro på dem och det är viktigt. " * 40 + "\n" for i in range(100)),
        encoding="utf-8",
    )
    codebook = tmp_path / "k.yaml"
    codebook.write_text("name: k\ncodes:\n  - name: tilltro\n", encoding="utf-8")
    first, second, table = tmp_path / "a.mda", tmp_path / "b.mda", tmp_path / "kodningar.csv"
    for project in (first, second):
        for args in (["init", project], ["import", project, source], ["codebook", "import", project, codebook]):
            assert CliRunner().invoke(cli, [str(a) for a in args]).exit_code == 0
    span = "0-150000"
    assert (
        CliRunner()
        .invoke(cli, ["codings", "apply", str(first), "lång", "-c", "anna", "--code", "tilltro", "--span", span])
        .exit_code
        == 0
    )
    assert CliRunner().invoke(cli, ["codings", "export", str(first), str(table)]).exit_code == 0
    assert table.stat().st_size > 150_000
    result = CliRunner().invoke(cli, ["codings", "import", str(second), str(table)])
    assert result.exit_code == 0, result.output
    listed = CliRunner().invoke(cli, ["codings", "list", str(second), "--json"]).output
    assert '"start": 0' in listed and '"end": 150000' in listed


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (f"anna,FG9,tilltro,{HUGE}\n", f"2: 'turn' is too large (got '{HUGE}')"),
        (
            'anna,FG9,tilltro,2\nanna,FG9,tilltro,"3\nanna,FG9,tilltro,4\n',
            "3: a quote opened in this row is never closed (the cell runs to the end of the file)",
        ),
        ("anna,FG9,tilltro,tre\n", "2: 'turn' must be a whole number (got 'tre')"),
        ("anna,FG9,okänd,2\n", "2: unknown code 'okänd'"),
        (
            'anna,FG9,tilltro,2,"en\nlång\nmemo"\nanna,FG9,tilltro,tre,x\n',
            "5: 'turn' must be a whole number (got 'tre')",
        ),
        ('anna,FG9,tilltro,tre,"en\nlång\nmemo"\n', "2: 'turn' must be a whole number (got 'tre')"),
    ],
    ids=["huge-number", "open-quote", "not-a-number", "unknown-code", "after-a-long-memo", "row-with-a-long-memo"],
)
def test_every_codings_import_error_names_the_file_and_the_line(
    project: Database, transcript: Path, tmp_path: Path, rows: str, message: str
) -> None:
    assert CliRunner().invoke(cli, ["import", project.location, str(transcript)]).exit_code == 0
    table = tmp_path / "k.csv"
    table.write_text("coder,document,code,turn,memo\n" + rows, encoding="utf-8")
    before = dump(Path(project.location))
    assert refused("codings", "import", project.location, table).startswith(f"Error: {table}:{message}")
    assert dump(Path(project.location)) == before


def test_a_span_past_64_bits_in_a_codings_table_is_refused(project: Database, transcript: Path, tmp_path: Path) -> None:
    assert CliRunner().invoke(cli, ["import", project.location, str(transcript)]).exit_code == 0
    table = tmp_path / "k.csv"
    table.write_text(f"coder;document;code;start;end\nanna;FG9;tilltro;0;{HUGE}0\n", encoding="utf-8")
    assert (
        refused("codings", "import", project.location, table) == f"Error: {table}:2: 'end' is too large (got '{HUGE}0')"
    )


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            'unit,anna,erik\n1,1,"2\n2,2,2\n',
            "2: a quote opened in this row is never closed (the cell runs to the end of the file)",
        ),
        (
            f"unit,anna,erik\n1,1,2\n2,1e999,{HUGE}\n",
            "3: anna's value '1e999' is not a number (interval α needs numbers)",
        ),
    ],
    ids=["open-quote", "past-a-float"],
)
def test_a_hostile_ratings_table_is_one_line(tmp_path: Path, table: str, message: str) -> None:
    path = tmp_path / "betyg.csv"
    path.write_text(table, encoding="utf-8")
    assert refused("agree", "--matrix", path, "--level", "interval") == f"Error: {path}:{message}"


# --- numbers on the command line ---


def _commands(group: click.Group, ctx: click.Context) -> list[click.Command]:
    found: list[click.Command] = []
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        if isinstance(command, click.Group):
            found += _commands(command, ctx)
        elif command is not None:
            found.append(command)
    return found


def test_every_number_option_is_a_whole_number_the_project_can_store() -> None:
    """One parameter type for every number, so that no option can overflow SQLite (the pattern, not the instance)."""
    with click.Context(cli) as ctx:
        commands = _commands(cli, ctx)
    assert {c.name for c in commands} >= {"apply", "sentences", "log", "agree"} and len(COMMANDS) > 10
    numbers = [
        (c.name, p.name) for c in commands for p in c.params if isinstance(p.type, click.types._NumberParamTypeBase)
    ]
    assert numbers, "no number options found"
    plain = [
        (c.name, p.name)
        for c in commands
        for p in c.params
        if isinstance(p.type, click.types._NumberParamTypeBase)
        and not isinstance(p.type, (WholeNumber, click.FloatRange))
        and p.type is not click.FLOAT
    ]
    assert plain == []


@pytest.mark.parametrize(
    "args",
    [
        ["codings", "apply", "{p}", "FG9", "-c", "anna", "--code", "tilltro", "--turn", HUGE],
        ["codings", "apply", "{p}", "FG9", "-c", "anna", "--code", "tilltro", "--turn", "1", "--sentence", HUGE],
        ["codings", "remove", "{p}", "FG9", "-c", "anna", "--code", "tilltro", "--turn", HUGE],
        ["sentences", "{p}", "FG9", "--turn", HUGE],
        ["memos", "add", "{p}", "hej", "-d", "FG9", "--turn", HUGE],
        ["log", "{p}", "--last", HUGE],
        ["log", "{p}", "--last", "-" + HUGE],
        ["agree", "{p}", "-c", "a,b", "--bootstrap", HUGE],
        ["agree", "{p}", "-c", "a,b", "--seed", HUGE],
    ],
    ids=[
        "apply-turn",
        "apply-sentence",
        "remove-turn",
        "sentences",
        "memo",
        "log",
        "log-negative",
        "bootstrap",
        "seed",
    ],
)
def test_a_number_past_64_bits_is_one_error_line_and_changes_nothing(
    project: Database, transcript: Path, args: list[str]
) -> None:
    assert CliRunner().invoke(cli, ["import", project.location, str(transcript)]).exit_code == 0
    before = dump(Path(project.location))
    line = refused(*[a.replace("{p}", project.location) for a in args], status=2)
    assert line.endswith(
        (
            "is too large: the largest number is 9223372036854775807",
            "is too small: the smallest number is -9223372036854775808",
            f"{HUGE} is not in the range 0<=x<=100000.",
        )
    )
    assert dump(Path(project.location)) == before


@pytest.mark.parametrize(
    "args",
    [
        ["report", "{p}", "cooccurrence", "--within", "9223372036854775807"],
        ["export", "{p}", "markdown", "-", "--context", "9223372036854775807"],
        ["log", "{p}", "--last", "9223372036854775807"],
    ],
    ids=["within", "context", "last"],
)
def test_the_largest_number_an_option_takes_is_answered_at_once(
    project: Database, transcript: Path, args: list[str]
) -> None:
    """A window or a context of 2^63 turns is the whole document, not a loop of 2^63 steps or an overflow."""
    assert CliRunner().invoke(cli, ["import", project.location, str(transcript)]).exit_code == 0
    for target in ("--turn", "--span"):
        place = ["--turn", "2"] if target == "--turn" else ["--span", "0-30"]
        code = "tilltro" if target == "--turn" else "jobbfokus"
        result = CliRunner().invoke(
            cli, ["codings", "apply", project.location, "FG9", "-c", "anna", "--code", code, *place]
        )
        assert result.exit_code == 0, result.output
    result = CliRunner().invoke(cli, [a.replace("{p}", project.location) for a in args])
    assert result.exit_code == 0, result.output
    assert result.exception is None


def test_a_span_past_64_bits_on_the_command_line_is_refused(project: Database, transcript: Path) -> None:
    assert CliRunner().invoke(cli, ["import", project.location, str(transcript)]).exit_code == 0
    line = refused(
        "codings", "apply", project.location, "FG9", "-c", "anna", "--code", "tilltro", "--span", f"0-{HUGE}", status=2
    )
    assert line == f"Error: Invalid value for --span: '0-{HUGE}': an offset past 9223372036854775807"


def test_csvs_limit_is_only_ever_raised() -> None:
    """The csv module's limit is the process's: readers raise it and never lower it under another reader."""
    import csv

    from mda_coder.ingest.csv_table import allow_long_cells

    allow_long_cells()
    assert csv.field_size_limit() >= limits.MAX_CELL_CHARS
    csv.field_size_limit(10 * limits.MAX_CELL_CHARS)
    try:
        allow_long_cells()
        assert csv.field_size_limit() == 10 * limits.MAX_CELL_CHARS
    finally:
        csv.field_size_limit(limits.MAX_CELL_CHARS)
