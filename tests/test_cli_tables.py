"""Every CLI table readable at 80 and 120 columns and in a file: numbers whole, nothing wider than the terminal."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner
from rich.text import Text

from mda_coder.cli import cli
from mda_coder.cli.tables import NAME, NUMBER, TEXT, Column, fit, wrap
from mda_coder.services import importing, memos
from mda_coder.services.project import open_project
from tests.support.tables import PIPE, shown, terminal, too_wide
from tests.support.tui import sample_copy

NUMBER_TOKEN = re.compile(r"(?<![\w.])-?\d+(?:[.:]\d+)*%?\*?")
BOX = re.compile("[│┃━┡╇┼─]")

DOUBTFUL = """\
I: Välkomna hit. Hur ser en vanlig vecka ut för er när det gäller deltagarna som står längst från arbetsmarknaden?
R1: Det beror på. [skratt] Vi träffar dem varje vecka, ibland oftare när det krisar hemma.
R1. Og så har vi dem der ikke kommer, dem ringer vi op bagefter og spørger hvordan det går.
Handläggare: Jag tar det sista ordet, vi har mycket att göra men det går framåt ändå tycker jag.
"""

# {p}: the project file; {f}: a folder for input files.
COMMANDS = {
    "documents": "documents {p}",
    "documents doubts": "documents doubts {p}",
    "speakers": "speakers {p}",
    "turns": "turns {p} FG1_Norrvik",
    "sentences": "sentences {p} FG2_Sjöstad --turn 3",
    "codings list": "codings list {p} --document FG3_Älvdala_zoom",
    "codebook list": "codebook list {p}",
    "memos list": "memos list {p}",
    "log": "log {p} --last 12",
    "info": "info {p}",
    "agree": "agree {p} --coders anna,erik --by document",
    "agree, characters": "agree {p} --coders anna,erik --unit character",
    "agree --matrix": "agree --matrix {f}/ratings.csv",
    "report frequencies": "report {p} frequencies --per-coder",
    "report cooccurrence": "report {p} cooccurrence",
    "report cooccurrence --measure": "report {p} cooccurrence --measure jaccard",
    "report matrix": "report {p} matrix --values row-share",
    "report matrix by role": "report {p} matrix --rows speaker-role --cols code",
    "report sequences": "report {p} sequences",
    "report --heat": "report {p} matrix --heat",
    "import --preview": "import {p} {f}/FG4_Sandby.txt --preview",
    "speakers import": "speakers import {p} {f}/talare.csv --dry-run",
    "search": "search {p} FG1_Norrvik tilltro",
}


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample project, with a document the importer doubted, long memos, and the input files of some commands."""
    here = tmp_path_factory.mktemp("tables")
    project = sample_copy(here)
    (here / "FG4_Sandby.txt").write_text(DOUBTFUL, encoding="utf-8")
    db = open_project(project)
    try:
        importing.import_files(db, [here / "FG4_Sandby.txt"], group="FG4")
        memos.add_memo(
            db,
            "Tilltro och tvivel går ihop i den här gruppen: jämför med FG2, där samma fråga gav "
            "helt andra svar. [paus] Se också vad R1 säger om hembesök.",
            code="tilltro",
            coder="anna",
        )
        memos.add_memo(db, "Kort memo.", document="FG1_Norrvik", turn=12, coder="erik")
    finally:
        db.close()
    (here / "ratings.csv").write_text(
        "unit,anna,erik,sara\n"
        + "".join(f"u{i},{i % 3},{(i + i // 4) % 3},{i % 3 if i % 5 else ''}\n" for i in range(1, 25)),
        encoding="utf-8",
    )
    (here / "talare.csv").write_text(
        "etikett,namn,roll,kommun,anställningsår,utbildning\nR1,Lise Holm,arbetskonsulent,Sandby,2011,socionom\n"
        "r2,Ole Berg,handläggare,Norrvik,2019,beteendevetare\nR9,Ingen,okänd,Sjöstad,2020,annan\n",
        encoding="utf-8",
    )
    return here


def run(folder: Path, name: str, env: dict[str, str | None]) -> str:
    args = COMMANDS[name].format(p=folder / "studie.mda", f=folder).split()
    result = CliRunner().invoke(cli, args, env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def numbers(output: str) -> Counter[str]:
    return Counter(NUMBER_TOKEN.findall(shown(output)))


@pytest.mark.parametrize("name", COMMANDS)
@pytest.mark.parametrize("width", [80, 120])
def test_on_a_terminal_every_line_fits_and_every_number_is_whole(folder: Path, name: str, width: int) -> None:
    piped = run(folder, name, PIPE)
    on_terminal = run(folder, name, terminal(width))
    assert too_wide(on_terminal, width) == []
    # Every figure the file holds is on the terminal, whole: a cut "0.2…" would be missing its "0.250".
    missing = numbers(piped) - numbers(on_terminal)
    assert not missing, f"cut or lost on a {width}-column terminal: {sorted(missing)}"
    assert shown(on_terminal).count("…") == piped.count("…")  # nothing shortened that the file shows whole


@pytest.mark.parametrize("name", [n for n in COMMANDS if n not in ("report --heat", "info")])
def test_in_a_file_a_row_is_one_line_of_whole_cells(folder: Path, name: str) -> None:
    out = run(folder, name, PIPE)
    assert not BOX.search(out), out
    assert "\x1b[" not in out


def test_a_file_holds_each_turn_whole_on_its_line(folder: Path) -> None:
    out = run(folder, "turns", PIPE)
    lines = out.splitlines()
    db = open_project(folder / "studie.mda")
    try:
        from mda_coder.services import queries

        turns = queries.turns(db, "FG1_Norrvik")
    finally:
        db.close()
    assert len(lines) == 1 + len(turns)
    for line, turn in zip(lines[1:], turns):
        assert line.endswith(re.sub(r"[ \t]*\n[ \t]*", " ", turn.text)), line
        assert re.match(rf"\s*{turn.index}  ", line)


def test_a_table_too_wide_for_the_terminal_comes_in_parts_with_the_codes_in_each(folder: Path) -> None:
    out = shown(run(folder, "report cooccurrence --measure", terminal(80)))
    parts = re.findall(r"^columns (\d+)–(\d+) of (\d+)$", out, re.M)
    assert len(parts) > 1
    assert int(parts[0][0]) == 2 and int(parts[-1][1]) == int(parts[-1][2])  # every column, in order
    assert all(int(b[0]) == int(a[1]) + 1 for a, b in itertools.pairwise(parts))
    assert out.count("\ncode ") == len(parts)  # the row names' heading again in each part
    wide = shown(run(folder, "report cooccurrence --measure", terminal(3000)))
    assert "columns " not in wide


def test_listings_and_reports_on_a_wide_terminal_are_one_line_a_row(folder: Path) -> None:
    out = shown(run(folder, "documents", terminal(200)))
    assert len(out.splitlines()) == 2 + 4  # heading, rule, four documents


# -- the layout itself --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "width", "slash", "lines"),
    [
        ("tilltro/tvivel och brist på tilltro", 16, True, ["tilltro/tvivel", "och brist på", "tilltro"]),
        (
            "individualisering av ansvar/ansvar hos individen",
            20,
            True,
            ["individualisering av", "ansvar/ansvar hos", "individen"],
        ),
        ("FG3_Älvdala_zoom", 10, True, ["FG3_", "Älvdala_", "zoom"]),
        ("FG3_Älvdala_zoom", 10, False, ["FG3_Älvdal", "a_zoom"]),
        ("  kritik av individualisering", 20, True, ["  kritik av", "  individualisering"]),
        ("arbetsmarknadsutbildningarna", 10, True, ["arbetsmark", "nadsutbild", "ningarna"]),
        ("[skratt] Ja.\nNej, [paus] inte alls.", 12, False, ["[skratt] Ja.", "Nej, [paus]", "inte alls."]),
        ("", 5, False, [""]),
    ],
)
def test_wrap_breaks_where_a_reader_expects(text: str, width: int, slash: bool, lines: list[str]) -> None:
    assert [line.plain for line in wrap(Text(text), width, slash)] == lines


def test_fit_narrows_text_then_names_and_never_a_number() -> None:
    columns = [Column("id", NUMBER), Column("code", NAME), Column("text", TEXT), Column("α", NUMBER)]
    cells = [[Text("1024"), Text("tilltro/tvivel och brist på tilltro"), Text("ord " * 40), Text("-0.105")]]
    widths = fit(columns, cells, 80)
    assert widths is not None and sum(widths) + 2 * 3 <= 80
    assert widths[0] == 4 and widths[3] == 6  # the figures keep their width
    assert widths[1] == len("tilltro/tvivel och brist på tilltro")  # the name is whole while text can wrap
    narrow = fit(columns, cells, 40)
    assert narrow is not None and narrow[0] == 4 and narrow[3] == 6 and min(narrow) > 0
    assert fit(columns, cells, 20) is None  # not even at the floors: the table is split or printed wider
