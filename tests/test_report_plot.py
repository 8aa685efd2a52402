"""``mda-coder report --plot`` and ``--heat`` on a project built with the services: pictures, terminal heatmaps, mistakes."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from mda_coder.export.heatmap import DPI, figure_size
from mda_coder.export.report_grid import dark, grid
from mda_coder.services import reports
from mda_coder.services.coding import Target, apply_code
from mda_coder.services.project import open_project
from tests.support.report_project import build

SVG = "{http://www.w3.org/2000/svg}"
USED = ["hållning/negativ", "hållning/positiv", "jobbfokus", "tilltro", "tilltro/tvivel", "tilltro/uttryckt"]
"""The codes with codings in the project below, as the co-occurrence report orders them."""


def run(*args: object, ok: bool = True, env: dict[str, str] | None = None) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False, env=env)
    assert (result.exit_code == 0) == ok, result.output
    return result.output


@pytest.fixture
def proj(tmp_path: Path, mini_codebook: Path, transcript: Path) -> Path:
    """tests/support/report_project.py, plus two codes whose names have an å: hållning/positiv on turn 3 (with
    jobbfokus and tilltro/tvivel), hållning/negativ on turn 2 (with tilltro)."""
    path = tmp_path / "studie.mda"
    db = build(path, mini_codebook, transcript)
    apply_code(db, coder="anna", code="hållning/positiv", document="FG9", target=Target(turn=3))
    apply_code(db, coder="erik", code="hållning/negativ", document="FG9", target=Target(turn=2))
    db.close()
    return path


def _svg(path: Path) -> tuple[list[str], int, ET.Element]:
    """Every text of the picture, the number of cells drawn, and the root."""
    root = ET.parse(path).getroot()
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    cells = next(g for g in root.iter(f"{SVG}g") if g.get("id") == "cells")
    return texts, len(cells.findall(f"{SVG}path")), root


def _values(root: ET.Element) -> list[str]:
    """The numbers written in the cells (each in a group named value-ROW-COLUMN)."""
    return ["".join(g.itertext()).strip() for g in root.iter(f"{SVG}g") if (g.get("id") or "").startswith("value-")]


def test_cooccurrence_heatmap_as_svg(proj: Path, tmp_path: Path) -> None:
    picture = tmp_path / "heat.svg"
    out = run("report", proj, "cooccurrence", "--unit", "turn", "--measure", "jaccard", "--plot", picture)
    assert f"wrote the picture to {picture}" in out
    texts, cells, root = _svg(picture)
    assert all(texts.count(code) == 2 for code in USED)  # a row label and a column label, å kept as text
    assert cells == len(USED) ** 2
    assert "Code co-occurrence: jaccard" in texts
    # jobbfokus and tilltro share 2 of 5 turns, each is on 3: 2 / (3 + 3 − 2), worked out by hand.
    assert "0.50" in texts
    assert len(_values(root)) == len(USED) ** 2 - len(USED)  # every cell but a code with itself has its number
    assert "Jaccard (c-coefficient)" in texts  # the colour bar says what it measures
    assert "Blank: no value (a code with itself)" in texts


def test_the_same_report_writes_the_same_bytes(proj: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "a.svg", tmp_path / "b.svg"
    run("report", proj, "matrix", "--cols", "speaker", "--plot", first)
    run("report", proj, "matrix", "--cols", "speaker", "--plot", second)
    assert first.read_bytes() == second.read_bytes()
    assert b"<dc:date>" not in first.read_bytes()


def test_matrix_heatmap_as_png_leaves_out_the_margins(proj: Path, tmp_path: Path) -> None:
    picture = tmp_path / "m.png"
    run("report", proj, "matrix", "--rows", "code", "--cols", "speaker-role", "--plot", picture)
    data = picture.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    db = open_project(proj)
    try:
        table = reports.matrix(db, reports.Scope(), "role")
    finally:
        db.close()
    cells = grid(table)
    assert cells.columns == ("moderator", "(no role)") and "(turns)" not in cells.rows
    inches = figure_size(cells, table.facts)
    assert (width, height) == (round(inches[0] * DPI), round(inches[1] * DPI))
    assert height > width  # six codes down, two roles across


def test_undefined_cells_are_grey_and_explained_not_zero(proj: Path, tmp_path: Path) -> None:
    picture = tmp_path / "phi.svg"
    run("report", proj, "cooccurrence", "--unit", "overlap", "--measure", "phi", "--plot", picture)
    texts, cells, root = _svg(picture)
    assert cells == len(USED) ** 2
    assert _values(root) == []  # no number in any cell, no 0 standing in for "undefined"
    assert any(g.get("id") == "undefined" for g in root.iter(f"{SVG}g"))
    assert any(t.startswith("Grey, hatched: undefined (overlapping codings have no fixed number") for t in texts)


def test_skewed_pairs_keep_their_star(proj: Path, tmp_path: Path) -> None:
    # By sentence with sub-codes: tilltro is on 7 sentences, tilltro/tvivel and tilltro/uttryckt on 1 each
    # (sentences 5 and 9, both shared): more than 5 times as frequent, so both Jaccards 1/7 are marked.
    picture = tmp_path / "skew.svg"
    run(
        "report",
        proj,
        "cooccurrence",
        "--unit",
        "sentence",
        "--measure",
        "jaccard",
        "--include-subcodes",
        "--plot",
        picture,
    )
    texts, _, _ = _svg(picture)
    assert texts.count("0.14*") == 4  # both pairs, above and below the diagonal
    assert any(t.startswith("* one code of the pair is more than 5×") for t in texts)


def test_sequences_and_frequencies_pictures(proj: Path, tmp_path: Path) -> None:
    picture = tmp_path / "seq.svg"
    run("report", proj, "sequences", "--plot", picture)
    texts, cells, _ = _svg(picture)
    assert "transitions (row: from, column: to)" in texts
    codes = {"hållning/negativ", "hållning/positiv", "jobbfokus", "tilltro", "tilltro/tvivel"}
    assert cells == len(codes) ** 2 and codes <= set(texts)
    bars = tmp_path / "freq.pdf"
    run("report", proj, "frequencies", "--plot", bars)
    assert bars.read_bytes().startswith(b"%PDF")
    per_coder = tmp_path / "coders.svg"
    run("report", proj, "frequencies", "--per-coder", "--plot", per_coder)
    texts, cells, _ = _svg(per_coder)
    # hållning has no codings of its own but its sub-codes have: a row, as in the table (its + columns).
    assert {"anna", "erik", "hållning", "hållning/positiv"} <= set(texts) and cells == 2 * 7


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["cooccurrence", "--measure", "phi", "--plot", "{tmp}/x.gif"],
            "x.gif: cannot tell the picture format from '.gif'",
        ),
        (["matrix", "--plot", "{tmp}/x"], "x: cannot tell the picture format from no suffix"),
        (["cooccurrence", "--plot", "{tmp}/x.svg"], "no picture for the list of pairs: add --measure"),
        (["cooccurrence", "--heat"], "no picture for the list of pairs"),
        (["matrix", "--plot", "{proj}"], "would write over the project"),
        (["matrix", "--plot", "{tmp}/no/such/folder/m.svg"], "cannot write"),
        (["matrix", "--heat", "--json"], "--json and --heat would all write to stdout"),
    ],
)
def test_mistakes_are_one_line_and_write_nothing(proj: Path, tmp_path: Path, args: list[str], message: str) -> None:
    before = proj.read_bytes()
    filled = [a.format(tmp=tmp_path, proj=proj) for a in args]
    result = CliRunner().invoke(cli, ["report", str(proj), *filled, "--csv", str(tmp_path / "t.csv")])
    assert result.exit_code != 0
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    lines = result.output.strip().splitlines()
    assert lines[-1].startswith("Error:") and message in lines[-1], result.output
    assert "Traceback" not in result.output
    assert proj.read_bytes() == before
    assert not any(p.suffix in (".svg", ".gif", ".csv") or p.name.startswith(".") for p in tmp_path.iterdir())


def test_terminal_heatmap_shows_the_values_and_a_legend(proj: Path) -> None:
    out = run("report", proj, "cooccurrence", "--measure", "jaccard", "--heat")
    line = next(x for x in out.splitlines() if x.startswith("jobbfokus "))
    assert "0.500" in line  # 2 / (3 + 3 − 2), as in the table
    assert "scale: 0.000" in out and "1.000 — Jaccard (c-coefficient)" in out
    out = run("report", proj, "matrix", "--cols", "speaker", "--values", "unit-share", "--heat")
    assert "100.0%" in out and "(turns)" not in out and "total" not in out


def test_terminal_heatmap_shades_the_cells(proj: Path) -> None:
    colour = {"FORCE_COLOR": "1", "COLORTERM": "truecolor", "NO_COLOR": "", "COLUMNS": "200"}
    out = run("report", proj, "cooccurrence", "--measure", "jaccard", "--heat", env=colour)
    # hållning/positiv and tilltro/tvivel share their one turn: Jaccard 1, the darkest blue (#08306b) behind white.
    assert re.search(r"\x1b\[38;2;255;255;255;48;2;8;48;107m *1\.000", out)
    out = run("report", proj, "cooccurrence", "--unit", "overlap", "--measure", "phi", "--heat", env=colour)
    assert "48;2;189;189;189m" in out and "undefined [1]" in out  # grey, never a shade of the scale
    # Lift by sentence, sub-codes included: hållning/positiv (sentences 5-7) and tilltro/tvivel (sentence 5) give
    # 1·9/(3·1) = 3, the top of the scale; pairs never together give 0, its bottom: blue, not a negative lift.
    out = run(
        "report",
        proj,
        "cooccurrence",
        "--unit",
        "sentence",
        "--include-subcodes",
        "--measure",
        "lift",
        "--heat",
        env=colour,
    )
    assert re.search(r"48;2;178;24;43m *3\.000", out) and re.search(r"48;2;33;102;172m *0\.000", out)
    assert "3.000, white at 1.000 — lift (1: independent)" in re.sub(r"\x1b\[[0-9;]*m", "", out)


def test_text_on_a_cell_is_white_where_white_reads_better() -> None:
    # WCAG 2.1 relative luminance: #767676 is the lightest grey with 4.5:1 against white (WebAIM: 4.54:1), and
    # black on it reads slightly better still (4.6:1); one step darker, white wins.
    assert dark((0x76, 0x76, 0x76)) is False
    assert dark((0x75, 0x75, 0x75)) is True
    assert dark((0x08, 0x30, 0x6B)) is True and dark((0xF7, 0xFB, 0xFF)) is False
