"""The ``agree`` command end to end: tables of ratings from elsewhere, splits, and the CSV and Markdown reports."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from fractions import Fraction
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from mda_coder.cli import cli
from mda_coder.export.agreement_report import COLUMNS
from mda_coder.services import importing
from mda_coder.services.coding import Target, apply_code
from mda_coder.services.project import create_project, open_project
from tests.support.tui import sample_copy
from tests.test_unitizing_service import LENGTH, two_segments_alpha

# Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. Annenberg School for
# Communication, University of Pennsylvania, example C: four observers, twelve units, values 1–5,
# blanks missing, one row per unit as a researcher's spreadsheet has it. The same table is in
# tests/test_reliability.py; α nominal .743 and interval .849 are printed in the paper, ordinal .815
# and ratio .797 are the values commonly cited for it.
KRIPPENDORFF_C = """\
unit,A,B,C,D
1,1,1,,1
2,2,2,3,2
3,3,3,3,3
4,3,3,3,3
5,2,2,2,2
6,1,2,3,4
7,4,4,4,4
8,1,1,2,1
9,2,2,2,2
10,,5,5,5
11,,,1,1
12,,3,,
"""


def invoke(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.output


def ok(*args: object) -> str:
    status, out = invoke(*args)
    assert status == 0, out
    return out


def fails(*args: object) -> str:
    status, out = invoke(*args)
    assert status == 1, out
    assert len(out.strip().splitlines()) == 1, out
    assert "Traceback" not in out
    return out.strip()


@pytest.fixture
def ratings(tmp_path: Path) -> Path:
    path = tmp_path / "ratings.csv"
    path.write_text(KRIPPENDORFF_C, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("level", "alpha"), [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)]
)
def test_matrix_gives_krippendorffs_published_alpha(ratings: Path, level: str, alpha: float) -> None:
    out = ok("agree", "--matrix", ratings, "--level", level)
    assert f"α ({level})" in out and f"{alpha:.3f}" in out
    assert "12 units, 4 coders (A, B, C, D), 11 units coded by two or more" in out
    data = json.loads(ok("agree", "--matrix", ratings, "--level", level, "--json"))
    assert data["alpha"]["value"] == pytest.approx(alpha, abs=5e-4)
    assert data["alpha"]["level"] == level
    # Units 2, 6 and 8 are where the observers differ (unit 12 has one value and is not pairable).
    assert [d["unit"] for d in data["disagreements"]] == ["2", "6", "8"]


def test_matrix_at_nominal_level_adds_the_kappa_family(ratings: Path) -> None:
    data = json.loads(ok("agree", "--matrix", ratings, "--json"))
    assert data["level"] == "nominal"
    assert data["fleiss_kappa"]["value"] is not None and data["gwet_ac1"]["value"] is not None
    assert data["cohen_kappa"] is None  # four coders
    # Pairwise agreement is Fleiss' P̄ over the 11 pairable units; 8 of them all agree.
    assert data["percent_all"]["value"] == pytest.approx(8 / 11)
    out = ok("agree", "--matrix", ratings, "--level", "interval")
    assert "Fleiss" not in out


def test_matrix_two_coders_picked_by_name(ratings: Path) -> None:
    data = json.loads(ok("agree", "--matrix", ratings, "--coders", "A,B", "--json"))
    assert data["coders"] == ["A", "B"]
    # A rated units 1–9, B units 1–10 and 12; on the 9 both rated they differ only on unit 6.
    contingency = data["contingency"]
    assert sum(contingency["counts"][i][i] for i in range(len(contingency["labels"]))) == 8
    # Holsti (1969): 2M / (N1 + N2) counts what only one coder rated against agreement: 2·8/(9 + 11).
    assert data["holsti"]["value"] == pytest.approx(0.8)


def test_semicolons_bom_and_decimal_commas_as_swedish_excel_writes_them(tmp_path: Path, ratings: Path) -> None:
    excel = tmp_path / "excel.csv"
    body = KRIPPENDORFF_C.replace(",", ";").replace(";3;", ";3,0;")
    excel.write_bytes(b"\xef\xbb\xbf" + body.replace("\n", "\r\n").encode("utf-8"))
    for level in ("nominal", "interval"):
        plain = json.loads(ok("agree", "--matrix", ratings, "--level", level, "--json"))
        swedish = json.loads(ok("agree", "--matrix", excel, "--level", level, "--json"))
        assert swedish["alpha"]["value"] == pytest.approx(plain["alpha"]["value"])
        assert swedish["coders"] == ["A", "B", "C", "D"]


def test_matrix_without_unit_column_numbers_the_rows(tmp_path: Path) -> None:
    path = tmp_path / "plain.csv"
    path.write_text("anna,erik\nja,ja\nja,nej\nnej,nej\n,nej\n", encoding="utf-8")
    data = json.loads(ok("agree", "--matrix", path, "--json"))
    assert data["labels"] == ["ja", "nej"]
    assert data["n_units"] == 4
    assert [(d["unit"], d["line"], d["values"]) for d in data["disagreements"]] == [("2", 3, ["ja", "nej"])]


def test_ordinal_text_labels_need_their_order(tmp_path: Path) -> None:
    path = tmp_path / "scale.csv"
    path.write_text("unit,a,b\nx,låg,låg\ny,hög,medel\nz,medel,medel\nw,hög,hög\n", encoding="utf-8")
    assert fails("agree", "--matrix", path, "--level", "ordinal") == (
        f"Error: {path}:2: a's value 'låg' is not a number: give the order of text categories with --categories"
    )
    data = json.loads(ok("agree", "--matrix", path, "--level", "ordinal", "--categories", "låg,medel,hög", "--json"))
    assert data["labels"] == ["låg", "medel", "hög"]
    assert data["alpha"]["value"] is not None


@pytest.mark.parametrize(
    ("content", "args", "message"),
    [
        ("unit,a,b,c\n1,1,2,3\n2,1,2\n", (), "data.csv:3: 3 values, but the header has 4 columns"),
        ("unit,a,b\n1,1,2,3\n", (), "data.csv:2: 4 values, but the header has 3 columns"),
        ("unit,anna\n1,1\n2,2\n", (), "data.csv: needs a header with at least two coder columns (found 1: anna)"),
        (
            "a,b\n1,2\n3,hög\n",
            ("--level", "interval"),
            "data.csv:3: b's value 'hög' is not a number (interval α needs numbers)",
        ),
        (
            "a,b\n1,-2\n",
            ("--level", "ratio"),
            "data.csv:2: b's value '-2' is below 0 (ratio α needs values of 0 or more)",
        ),
        ("unit,a,b\nu1,1,2\nu1,2,2\n", (), "data.csv:3: unit 'u1' is already on line 2"),
        ("a,b\n", (), "data.csv: has a header but no units"),
        ("", (), "data.csv: is empty"),
        ("a,a\n1,2\n", (), "data.csv:1: coder 'a' names two columns"),
        ("a,b\n1,2\n", ("--coders", "a,x"), "data.csv: no coder column 'x' (columns: a, b)"),
        ("a,b\n1,2\n", ("--categories", "1,3"), "data.csv:2: b's value '2' is not one of the categories given (1, 3)"),
        ("a,b\n1,2\n", ("--bootstrap", "10"), "--bootstrap 10: a 95% interval needs at least 40 samples"),
    ],
)
def test_matrix_mistakes_are_one_line_naming_file_and_line(
    tmp_path: Path, content: str, args: tuple[str, ...], message: str
) -> None:
    path = tmp_path / "data.csv"
    path.write_text(content, encoding="utf-8")
    assert message in fails("agree", "--matrix", path, *args)


def test_missing_table_and_wrong_option_combinations(tmp_path: Path, ratings: Path) -> None:
    assert f"{tmp_path / 'nope.csv'}: no such file" in fails("agree", "--matrix", tmp_path / "nope.csv")
    assert "give a PROJECT" in fails("agree")
    assert "not both" in fails("agree", tmp_path / "p.mda", "--matrix", ratings)
    assert "--unit applies to a project" in fails("agree", "--matrix", ratings, "--unit", "sentence")
    assert "--by applies to a project" in fails("agree", "--matrix", ratings, "--by", "role")
    assert "would both write to stdout" in fails("agree", "--matrix", ratings, "--json", "--csv", "-")


def test_bootstrap_interval_is_printed_and_reproducible(ratings: Path) -> None:
    first = ok("agree", "--matrix", ratings, "--bootstrap", "1000", "--seed", "3")
    assert "95% CI" in first and "1000 samples, seed 3" in first
    assert ok("agree", "--matrix", ratings, "--bootstrap", "1000", "--seed", "3") == first
    data = json.loads(ok("agree", "--matrix", ratings, "--bootstrap", "1000", "--seed", "3", "--json"))
    interval = data["alpha_interval"]
    assert interval["low"] <= data["alpha"]["value"] <= interval["high"]
    assert interval["samples"] == 1000 and interval["seed"] == 3


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return sample_copy(tmp_path)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_tidy_csv_of_the_sample_project(sample: Path, tmp_path: Path) -> None:
    before = digest(sample)
    out_path = tmp_path / "agree.csv"
    out = ok("agree", sample, "--coders", "anna,erik", "--by", "document", "--bootstrap", "200", "--csv", out_path)
    assert "pooled binary α" in out
    with out_path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert tuple(rows[0]) == COLUMNS
    assert {r["split"] for r in rows} == {"all", "document"}
    assert {r["split_value"] for r in rows if r["split"] == "document"} == {
        "FG1_Norrvik",
        "FG2_Sjöstad",
        "FG3_Älvdala_zoom",
    }
    tilltro = [r for r in rows if r["split"] == "all" and r["kind"] == "code" and r["subject"] == "tilltro"]
    assert [r["coefficient"] for r in tilltro] == [
        "krippendorff_alpha",
        "cohen_kappa",
        "scott_pi",
        "fleiss_kappa",
        "brennan_prediger",
        "gwet_ac1",
        "percent_agreement_pairwise",
        "percent_agreement_all",
        "percent_agreement_holsti",
    ]
    alpha = tilltro[0]
    assert alpha["verdict"] in ("reliable", "tentative", "unreliable")
    assert float(alpha["ci_low"]) <= float(alpha["value"]) <= float(alpha["ci_high"])
    # Every row has a value or the reason it has none, never both and never neither.
    assert all((r["value"] == "") != (r["undefined"] == "") for r in rows)
    assert {r["kind"] for r in rows} == {"code", "group", "pooled"}
    assert digest(sample) == before


def markdown_tables(text: str) -> list[list[list[str]]]:
    """Every table of a Markdown text as rows of cell texts, parsed as GitHub renders it."""
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    tables: list[list[list[str]]] = []
    row: list[str] = []
    for i, token in enumerate(tokens):
        if token.type == "table_open":
            tables.append([])
        elif token.type == "tr_open":
            row = []
        elif token.type in ("th_open", "td_open"):
            inline = tokens[i + 1]
            row.append("".join(child.content for child in inline.children or [] if child.type == "text"))
        elif token.type == "tr_close":
            tables[-1].append(row)
    return tables


def test_markdown_report_stays_valid_whatever_a_code_is_called(tmp_path: Path, transcript: Path) -> None:
    book = tmp_path / "odd.yaml"
    book.write_text(
        'name: Odd\ncodes:\n  - name: "ja | nej"\n  - name: "*fet* _kursiv_ \\\\ [länk](x)"\n', encoding="utf-8"
    )
    db = create_project(tmp_path / "odd.mda", "sv", book, actor="test")
    importing.import_files(db, [transcript], group="FG9")
    for coder, turns in (("anna", (2, 3)), ("erik", (3,))):
        for turn in turns:
            apply_code(db, coder=coder, code="ja | nej", document="FG9", target=Target(turn=turn))
            apply_code(db, coder=coder, code="*fet* _kursiv_ \\ [länk](x)", document="FG9", target=Target(turn=turn))
    db.close()
    report = tmp_path / "report.md"
    ok("agree", tmp_path / "odd.mda", "--coders", "anna,erik", "--md", report)
    tables = markdown_tables(report.read_text(encoding="utf-8"))
    codes = tables[0]
    assert all(len(r) == len(codes[0]) for r in codes)
    assert [r[0] for r in codes[1:]] == ["*fet* _kursiv_ \\ [länk](x)", "ja | nej"]
    assert codes[0][:5] == ["code", "pairable units", "α (nominal)", "verdict", "Cohen's κ"]
    # The text output prints the names as written too (no markup swallowing "[länk]").
    assert "*fet* _kursiv_ \\ [länk](x) differs at turn FG9:2" in ok(
        "agree", tmp_path / "odd.mda", "--coders", "anna,erik"
    )


def test_markdown_to_stdout_with_splits_by_role(sample: Path) -> None:
    out = ok("agree", sample, "--coders", "anna,erik", "--by", "role", "--md", "-")
    assert out.startswith("# Agreement between anna, erik\n")
    assert "## Role moderator" in out and "## Where the coders differ" in out
    assert "Agreement between anna, erik on" not in out  # the report replaces the table on stdout


def test_text_output_shows_more_coefficients_groups_and_splits(sample: Path) -> None:
    out = ok("agree", sample, "--coders", "anna,erik", "--by", "document", "--include-subcodes")
    assert "More coefficients, and the counts behind them" in out
    assert "π Scott" in out and "Holsti" in out
    assert "Mutually exclusive groups" in out and "talarens bedömning av deltagaren" in out
    assert "Document FG2_Sjöstad:" in out
    assert "a sub-code's codings count as codings of the codes above it too" in out


def test_report_files_never_overwrite_the_project(sample: Path) -> None:
    before = digest(sample)
    assert "would write over" in fails("agree", sample, "--coders", "anna,erik", "--csv", sample)
    assert digest(sample) == before


def test_unwritable_report_file_is_one_line(sample: Path, tmp_path: Path) -> None:
    message = fails("agree", sample, "--coders", "anna,erik", "--md", tmp_path / "no" / "such" / "dir.md")
    assert message.startswith(f"Error: cannot write {tmp_path / 'no' / 'such' / 'dir.md'}")


def test_project_options_are_checked(sample: Path) -> None:
    assert "--level applies to --matrix" in fails("agree", sample, "--coders", "anna,erik", "--level", "ordinal")
    assert "--coder anna,erik" in fails("agree", sample)


def test_csv_to_stdout_is_the_tidy_table(sample: Path) -> None:
    out = ok("agree", sample, "--coders", "anna,erik", "--codes", "tilltro", "--csv", "-")
    rows = list(csv.reader(io.StringIO(out)))
    assert tuple(rows[0]) == COLUMNS
    assert len({tuple(r) for r in rows[1:]}) == len(rows) - 1


def test_matrix_reports_as_csv_and_markdown(ratings: Path, tmp_path: Path) -> None:
    out_path = tmp_path / "ratings-agree.csv"
    ok("agree", "--matrix", ratings, "--level", "interval", "--csv", out_path)
    with out_path.open(encoding="utf-8", newline="") as stream:
        (row,) = list(csv.DictReader(stream))
    assert (row["split"], row["kind"], row["subject"], row["coefficient"], row["level"]) == (
        "all",
        "matrix",
        "ratings.csv",
        "krippendorff_alpha",
        "interval",
    )
    assert float(row["value"]) == pytest.approx(0.849, abs=5e-4)
    report = ok("agree", "--matrix", ratings, "--md", "-")
    (table,) = markdown_tables(report)
    assert table[0][:4] == ["table", "pairable units", "α (nominal)", "verdict"]
    assert table[1][:4] == ["ratings.csv", "11", "0.743", "tentative"]
    assert "- **ratings.csv**: 2 (2, 2, 3, 2), 6 (1, 2, 3, 4), 8 (1, 1, 2, 1)" in report
    assert "would write over" in fails("agree", "--matrix", ratings, "--md", ratings)


# --unit character: α_U on the characters and segment matching, on projects built with the services.

JOB_ALPHA = two_segments_alpha(LENGTH, (30, 80), (35, 80))
"""FG9 is 231 characters; anna marks jobbfokus at 30–80, erik at 35–80 (derived in tests/test_unitizing_service.py)."""


@pytest.fixture
def spans(tmp_path: Path, mini_codebook: Path, transcript: Path) -> Path:
    """FG9 with jobbfokus drawn nearly alike (45 of 50 characters shared) and tilltro on disjoint spans."""
    path = tmp_path / "spans.mda"
    db = create_project(path, "sv", mini_codebook, actor="test")
    importing.import_files(db, [transcript], group="FG9")
    for coder, code, start, end in (
        ("anna", "jobbfokus", 30, 80),
        ("erik", "jobbfokus", 35, 80),
        ("anna", "tilltro", 100, 140),
        ("erik", "tilltro", 150, 190),
    ):
        apply_code(db, coder=coder, code=code, document="FG9", target=Target(span=(start, end)))
    db.close()
    return path


def test_character_unit_prints_alpha_u_and_segment_matching_apart(spans: Path) -> None:
    out = ok("agree", spans, "--coders", "anna,erik", "--unit", "character")
    assert "α_U on 231 characters in 1 document (1 coded by two or more of them)" in out
    # D_o: the 5 characters only anna coded, counted from both coders' side, over l.. = 2 · 231 pairable values.
    d_o = 10 / (2 * LENGTH)
    assert re.search(
        rf"jobbfokus\s\s+{JOB_ALPHA:.3f}\s\s+reliable\s\s+{d_o:.3f}\s\s+{d_o / (1 - JOB_ALPHA):.3f}"
        r"\s\s+1\s\s+1",
        out,
    )
    assert "Segment matching, MAXQDA-style, overlap ≥ 90% (a different statistic from α_U)" in out
    # 45 / 50 characters is an overlap of exactly 90%: both segments match; tilltro's do not touch.
    assert re.search(r"jobbfokus\s\s+2\s\s+2\s\s+0\s\s+0\s\s+100\.0", out)
    assert re.search(r"tilltro\s\s+2\s\s+0\s\s+1\s\s+1\s\s+0\.0", out)
    # MAXQDA's κ: p_o = 2 / 4 segments, chance 1/q = 1/2 for two codes.
    assert "segment κ over all 2 codes (Brennan–Prediger, chance 1/q with q = 2): 0.000" in out
    assert "% agree is not chance-corrected, only the segment κ is" in out
    assert "anna coded: FG9" in out and "erik coded: FG9" in out
    assert "tilltro: unmatched segments FG9:100–140 (anna, no overlap), FG9:150–190 (erik, no overlap)" in out


def test_character_unit_json_and_threshold(spans: Path) -> None:
    data = json.loads(ok("agree", spans, "--coders", "anna,erik", "--unit", "character", "--json"))
    assert data["unit"] == "character" and data["threshold"] == 0.9 and data["characters"] == LENGTH
    job = next(c for c in data["codes"] if c["code"] == "jobbfokus")
    assert job["alpha"]["coefficient"] == "unitizing_alpha"
    assert job["alpha"]["value"] == pytest.approx(JOB_ALPHA)
    assert job["alpha"]["table"]["counts"] == [[362.0, 5.0], [5.0, 90.0]]
    assert (job["segments"]["agreements"], job["segments"]["first_only"], job["segments"]["second_only"]) == (2, 0, 0)
    assert data["segment_kappa"]["value"] == pytest.approx(0.0)
    # At 95% (written as a percentage or, Swedish style, with a decimal comma) the 90% overlap no longer matches.
    for threshold in ("95%", "0,95"):
        strict = ok("agree", spans, "--coders", "anna,erik", "--unit", "character", "--threshold", threshold)
        assert "overlap ≥ 95%" in strict
        assert re.search(r"jobbfokus\s\s+2\s\s+0\s\s+1\s\s+1\s\s+0\.0", strict)
        assert "FG9:30–80 (anna, best overlap 90%), FG9:35–80 (erik, best overlap 90%)" in strict
        assert f"{JOB_ALPHA:.3f}" in strict  # α_U has no threshold


def test_character_unit_gives_krippendorffs_published_alpha(tmp_path: Path) -> None:
    # Krippendorff (2011), Computing Krippendorff's Alpha-Reliability, example A: two observers, ten
    # binary units, α = 0.095 with D_o = 8/20 = .400 and D_e = 2·14·6/(20·19) = .442. With one-character
    # codings uα is nominal α on the characters (see tests/test_unitizing.py); touching codings stay apart.
    # Example B (values a–e, no gaps, α = 0.692) is the same through a mutually exclusive group of five codes.
    book = tmp_path / "ab.yaml"
    book.write_text(
        "name: AB\ncodes:\n  - name: kod\n  - name: värde\n    exclusive: true\n"
        "    children: [{name: a}, {name: b}, {name: c}, {name: d}, {name: e}]\n",
        encoding="utf-8",
    )
    (tmp_path / "tio.txt").write_text("abcdefghij", encoding="utf-8")
    (tmp_path / "tolv.txt").write_text("abcdefghijkl", encoding="utf-8")
    db = create_project(tmp_path / "ab.mda", "sv", book, actor="test")
    importing.import_files(db, [tmp_path / "tio.txt", tmp_path / "tolv.txt"])
    example_a = {"anna": [0, 1, 0, 0, 0, 0, 0, 0, 1, 0], "erik": [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]}
    example_b = {"anna": "aabbdcccedda", "erik": "babbbccceddd"}
    for coder in ("anna", "erik"):
        for i, v in enumerate(example_a[coder]):
            if v:
                apply_code(db, coder=coder, code="kod", document="tio", target=Target(span=(i, i + 1)))
        for i, v in enumerate(example_b[coder]):
            apply_code(db, coder=coder, code=f"värde/{v}", document="tolv", target=Target(span=(i, i + 1)))
    db.close()
    out = ok("agree", tmp_path / "ab.mda", "--coders", "anna,erik", "--unit", "character", "--document", "tio")
    assert re.search(r"kod\s\s+0\.095\s\s+unreliable\s\s+0\.400\s\s+0\.442\s\s+2\s\s+4", out)
    data = json.loads(
        ok("agree", tmp_path / "ab.mda", "--coders", "anna,erik", "--unit", "character", "--document", "tolv", "--json")
    )
    (group,) = data["groups"]
    assert group["group"] == "värde" and group["labels"] == ["gap", "a", "b", "c", "d", "e"]
    assert round(group["alpha"]["value"], 3) == 0.692
    assert group["codings"] == {"anna": 12, "erik": 12}
    out = ok("agree", tmp_path / "ab.mda", "--coders", "anna,erik", "--unit", "character", "--document", "tolv")
    assert "Mutually exclusive groups (α_U over which of the group's codes each character got)" in out
    assert re.search(r"värde\s\s+0\.692\s\s+tentative", out)


def test_character_unit_csv_and_markdown(spans: Path, tmp_path: Path) -> None:
    csv_path, md_path = tmp_path / "u.csv", tmp_path / "u.md"
    ok("agree", spans, "--coders", "anna,erik", "--unit", "character", "--csv", csv_path, "--md", md_path)
    with csv_path.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert tuple(rows[0]) == COLUMNS and COLUMNS[-4:] == ("threshold", "agreements", "first_only", "second_only")
    by_key = {(r["kind"], r["subject"], r["coefficient"]): r for r in rows}
    alpha = by_key["code", "jobbfokus", "unitizing_alpha"]
    assert float(alpha["value"]) == pytest.approx(JOB_ALPHA) and alpha["verdict"] == "reliable"
    assert (alpha["n_units"], alpha["n_pairable"], alpha["n_values"]) == ("1", "1", "462")
    assert float(alpha["observed"]) == pytest.approx(10 / 462) and alpha["threshold"] == alpha["agreements"] == ""
    segments = by_key["code", "tilltro", "segment_agreement"]
    assert (
        segments["value"],
        segments["threshold"],
        segments["agreements"],
        segments["first_only"],
        segments["second_only"],
        segments["verdict"],
    ) == ("0.0", "0.9", "0", "1", "1", "")
    kappa = next(r for r in rows if r["coefficient"] == "segment_kappa")
    assert (kappa["kind"], kappa["value"], kappa["observed"], kappa["expected"]) == ("pooled", "0.0", "0.5", "0.5")
    assert all((r["value"] == "") != (r["undefined"] == "") for r in rows)
    assert {r["split"] for r in rows} == {"all"}

    report = md_path.read_text(encoding="utf-8")
    assert report.startswith("# Unitizing agreement between anna, erik\n")
    alpha_table, segment_table = markdown_tables(report)
    assert alpha_table[0] == [
        "code",
        "documents compared",
        "α_U",
        "verdict",
        "D_o",
        "D_e",
        "codings anna",
        "codings erik",
        "counts",
    ]
    d_o = 10 / 462
    assert alpha_table[1][:8] == [
        "jobbfokus",
        "1",
        f"{JOB_ALPHA:.3f}",
        "reliable",
        f"{d_o:.3f}",
        f"{d_o / (1 - JOB_ALPHA):.3f}",
        "1",
        "1",
    ]
    assert alpha_table[1][8] == "gap·gap: 362, gap·coded: 5, coded·gap: 5, coded·coded: 90"
    assert segment_table == [
        ["code", "segments", "% segments matched", "agreements", "anna only", "erik only"],
        ["jobbfokus", "2", "100.0", "2", "0", "0"],
        ["tilltro", "2", "0.0", "0", "1", "1"],
    ]
    assert "## Segment matching, MAXQDA-style, overlap ≥ 90% (a different statistic from α\\_U)\n" in report
    assert "segment κ over all 2 codes (Brennan–Prediger, chance 1/q with q = 2): 0.000\n" in report
    assert "- **tilltro**: FG9:100–140 (anna, no overlap), FG9:150–190 (erik, no overlap)\n" in report
    assert "jobbfokus**" not in report  # its segments all matched


def test_character_unit_three_coders_and_a_document_one_coder_left(spans: Path, tmp_path: Path) -> None:
    second = tmp_path / "FG10.txt"
    second.write_text("Moderator: Hur ser ni på krav?\nR1: Det beror på.\n", encoding="utf-8")
    db = open_project(spans)
    importing.import_files(db, [second], group="FG10")
    apply_code(db, coder="sara", code="jobbfokus", document="FG9", target=Target(span=(30, 80)))
    apply_code(db, coder="anna", code="jobbfokus", document="FG10", target=Target(span=(4, 30)))
    db.close()
    out = ok("agree", spans, "--coders", "anna,erik,sara", "--unit", "character")
    assert "in 2 documents (1 coded by two or more of them)" in out
    assert "anna coded: FG10, FG9" in out and "sara coded: FG9" in out
    assert "Segment matching" not in out and "segment matching compares two coders: left out for 3" in out
    rows = list(
        csv.DictReader(
            io.StringIO(ok("agree", spans, "--coders", "anna,erik,sara", "--unit", "character", "--csv", "-"))
        )
    )
    assert {r["coefficient"] for r in rows} == {"unitizing_alpha"}


def test_character_unit_with_subcodes(spans: Path) -> None:
    db = open_project(spans)
    apply_code(db, coder="erik", code="tilltro/tvivel", document="FG9", target=Target(span=(100, 140)))
    db.close()
    plain = json.loads(
        ok("agree", spans, "--coders", "anna,erik", "--unit", "character", "--codes", "tilltro", "--json")
    )
    assert [c["code"] for c in plain["codes"]] == ["tilltro", "tilltro/tvivel"]
    data = json.loads(
        ok(
            "agree",
            spans,
            "--coders",
            "anna,erik",
            "--unit",
            "character",
            "--codes",
            "tilltro",
            "--include-subcodes",
            "--json",
        )
    )
    tilltro = data["codes"][0]
    assert data["include_subcodes"] and tilltro["codings"] == {"anna": 1, "erik": 2}
    # erik's tilltro is now 100–140 and 150–190, anna's 100–140: 40 characters both, 40 only erik, 151 neither.
    # l_11 = 80, l_01 = l_10 = 40, l_00 = 302, l.. = 462; l_1. = 120, l_0. = 342. Self-pairings: units 3 · 40²,
    # gaps 191 + 151. Σ_{c≠k} e = 462 · 2 · 342 · 120 / (462² − 4800 − 342); uα = 1 − 80 / that.
    expected = 1 - Fraction(80) / Fraction(462 * 2 * 342 * 120, 462**2 - 4800 - 342)
    assert tilltro["alpha"]["value"] == pytest.approx(float(expected))
    assert (tilltro["segments"]["agreements"], tilltro["segments"]["second_only"]) == (2, 1)


def test_character_unit_mistakes_are_one_line_and_change_nothing(spans: Path) -> None:
    before = digest(spans)
    base = ("agree", spans, "--coders", "anna,erik")
    character = (*base, "--unit", "character")
    assert fails(*character, "--by", "document") == (
        "Error: --by does not apply to --unit character: ask for one document at a time with --document NAME"
    )
    assert "--bootstrap does not apply to --unit character" in fails(*character, "--bootstrap", "1000")
    assert "--seed does not apply to --unit character" in fails(*character, "--seed", "2")
    assert fails(*character, "--threshold", "90") == (
        "Error: --threshold 90: the least overlap must be more than 0 and at most 1 (100%), e.g. 0.9 or 90%"
    )
    assert "give the least overlap as a share or a percentage" in fails(*character, "--threshold", "hög")
    assert "at most 1" in fails(*character, "--threshold", "0")
    assert "--threshold applies to --unit character" in fails(*base, "--threshold", "0.8")
    assert "unknown coder 'bob' (coders: anna, erik)" in fails(
        "agree", spans, "--coders", "anna,bob", "--unit", "character"
    )
    assert "unknown code 'nope'" in fails(*character, "--codes", "nope")
    assert "would write over" in fails(*character, "--md", spans)
    assert digest(spans) == before
