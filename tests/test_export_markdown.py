"""Markdown excerpts and tidy CSV/JSON exports: golden files (the bytes are the contract) and the CLI.

Regenerate the golden files after an intended change with ``MDA_CODER_UPDATE_GOLDEN=1`` and review the diff
(``tests/support/golden.py``).
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from markdown_it import MarkdownIt

from mda_coder.cli import cli
from mda_coder.export.markdown_excerpts import Excerpt, citation
from mda_coder.services import importing
from mda_coder.services.coding import Target, apply_code
from mda_coder.services.memos import add_memo
from mda_coder.store.engine import Database
from tests.support.golden import check as golden
from tests.support.snapshot import dump

TRICKY = """\
Fokusgrupp 7

I: # Är det här en rubrik?
R1: Nej. ```python
print("kod")
``` var det.
R2: Kolumn | kolumn | kolumn
|---|---|---|
R1: - en lista?
1. Nummer
> citat
<b>fet</b> &amp; *stjärna* _under_ \\\\slut

---
I: Tack.
"""
"""Turns a transcriber could write that Markdown would read as a heading, code, a table, a list, HTML."""


@pytest.fixture
def coded(project: Database, transcript: Path, tmp_path: Path) -> Path:
    """The mini project with FG9 and FG7 coded by anna and erik, with memos; returns the project file."""
    tricky = tmp_path / "FG7.txt"
    tricky.write_text(TRICKY, encoding="utf-8")
    importing.import_files(project, [transcript], group="FG 9")
    importing.import_files(project, [tricky], group="FG 7")
    for coder, code, doc, target, memo in [
        ("anna", "tilltro", "FG9", Target(turn=2), "tron som hållning"),
        ("erik", "tilltro", "FG9", Target(turn=2), None),
        ("anna", "tilltro/tvivel", "FG9", Target(span=(131, 159)), None),
        ("anna", "jobbfokus", "FG9", Target(turn=5), None),
        ("anna", "jobbfokus", "FG7", Target(turn=1), None),
        ("anna", "jobbfokus", "FG7", Target(turn=2), None),
        ("anna", "jobbfokus", "FG7", Target(turn=3), None),
        ("anna", "jobbfokus", "FG7", Target(turn=4), "allt på en gång"),
        ("erik", "jobbfokus", "FG7", Target(span=(60, 100)), None),  # runs from turn 2 into turn 3
    ]:
        apply_code(project, coder=coder, code=code, document=doc, target=target, memo=memo)
    add_memo(project, "Koden behöver skärpas.", code="jobbfokus", coder="anna")
    return Path(project.location)


def run(*args: object, ok: bool = True) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert (result.exit_code == 0) == ok, result.output
    return result.output


def test_default_markdown_matches_the_golden_file(coded: Path, tmp_path: Path) -> None:
    out = tmp_path / "utdrag.md"
    assert (
        run("export", coded, "markdown", out, "--codes", "tilltro,jobbfokus", "--coder", "anna")
        == f"wrote 7 excerpts to {out}\n"
    )
    golden("excerpts_sv.md", out.read_bytes())
    text = out.read_text(encoding="utf-8")
    assert "> Att jag tror på deltagaren. Även när det går trögt. (FG 9, R1, tur 2)" in text


def test_english_with_context_coders_memos_and_own_label_matches_the_golden_file(coded: Path, tmp_path: Path) -> None:
    out = tmp_path / "excerpts.md"
    run(
        "export",
        coded,
        "markdown",
        out,
        "--language",
        "en",
        "--context",
        "1",
        "--show-coders",
        "--memos",
        "--label",
        "[{document} {turn}, {role}, {name}]",
        "--no-codebook",
    )
    golden("excerpts_en_context.md", out.read_bytes())
    text = out.read_text(encoding="utf-8")
    assert "- Coders: anna, erik" in text  # anna and erik coded the same turn: one excerpt
    assert "Codebook" not in text


def test_excerpt_text_never_breaks_the_document_structure(coded: Path, tmp_path: Path) -> None:
    out = tmp_path / "utdrag.md"
    run("export", coded, "markdown", out, "--codes", "jobbfokus", "--context", "1")
    tokens = MarkdownIt("commonmark").enable("table").enable("strikethrough").parse(out.read_text(encoding="utf-8"))
    kinds = {t.type for t in tokens}
    assert not kinds & {
        "fence",
        "code_block",
        "table_open",
        "bullet_list_open",
        "ordered_list_open",
        "hr",
        "html_block",
    }
    headings = [tokens[i + 1].content for i, t in enumerate(tokens) if t.type == "heading_open"]
    assert headings == ["Utdrag: jobbfokus", "jobbfokus", "Kodbok", "jobbfokus"]
    inline_html = [c for t in tokens if t.type == "inline" for c in t.children or [] if c.type == "html_inline"]
    assert inline_html == []
    # Every line of every excerpt is inside a blockquote: the paragraphs' depth in blockquotes is 1.
    depth, quoted = 0, []
    for t in tokens:
        depth += {"blockquote_open": 1, "blockquote_close": -1}.get(t.type, 0)
        if t.type == "inline" and ("rubrik" in t.content or "Nummer" in t.content or "kolumn" in t.content):
            quoted.append(depth)
    assert quoted and set(quoted) == {1}
    rendered = MarkdownIt("commonmark").render(out.read_text(encoding="utf-8"))
    assert "# Är det här en rubrik? (FG 7, I, tur 1)" in rendered
    assert (
        "Kolumn | kolumn | kolumn" in rendered
        and "&lt;b&gt;fet&lt;/b&gt; &amp;amp; *stjärna* _under_ \\\\slut" in rendered
    )


@pytest.mark.parametrize(
    ("template", "speaker", "turn", "last", "expected"),
    [
        ("({group}, {speaker}, tur {turn})", "R2", 37, 37, "(FG 4, R2, tur 37)"),
        ("({group}, {speaker}, tur {turn})", None, 3, 3, "(FG 4, tur 3)"),  # no speaker: no empty ", ,"
        ("({group}, {speaker}, tur {turn})", "R2", None, None, "(FG 4, R2)"),  # outside every turn: no "tur"
        ("{group} tur {turn}", None, None, None, "FG 4"),
        ("({group}, {speaker}, turn {turn})", "R2", 37, 38, "(FG 4, R2, turn 37–38)"),
        ("{speaker}, {role}: {document}", "R2", 1, 1, "R2: FG4_x"),
        ("{{{group}}}", "R2", 1, 1, "{FG 4}"),
    ],
)
def test_citation_labels(template: str, speaker: str | None, turn: int | None, last: int | None, expected: str) -> None:
    excerpt = Excerpt(
        document="FG4_x",
        group="FG 4",
        start=0,
        end=5,
        text="Hej.",
        turn=turn,
        last_turn=last,
        speaker=speaker,
        name=None,
        role=None,
        time=None,
        coders=("anna",),
    )
    assert citation(excerpt, template) == expected


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--label", "({grupp}, {turn})"), "unknown field {grupp}"),
        (("--label", "({group"), "--label '({group'"),
        (("--coder", "olle"), "unknown coder 'olle'"),
        (("--codes", "finns-inte"), "unknown code 'finns-inte'"),
        (("--document", "FG99"), "no document called 'FG99'"),
    ],
)
def test_mistakes_are_one_line_and_change_nothing(
    coded: Path, tmp_path: Path, args: tuple[str, ...], message: str
) -> None:
    out = tmp_path / "utdrag.md"
    out.write_text("older export\n", encoding="utf-8")
    before = dump(coded)
    result = CliRunner().invoke(cli, ["export", str(coded), "markdown", str(out), "--force", *args])
    assert result.exit_code == 1
    assert (
        message in result.output and len(result.output.strip().splitlines()) == 1 and "Traceback" not in result.output
    )
    assert out.read_text(encoding="utf-8") == "older export\n"
    assert dump(coded) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".part")] == []


def test_export_refuses_to_write_over_the_project(coded: Path) -> None:
    before = coded.read_bytes()
    for fmt in ("markdown", "csv", "json"):
        output = run("export", coded, fmt, coded, ok=False)
        assert "is the project file" in output
    assert coded.read_bytes() == before


def test_options_of_another_format_are_refused(coded: Path, tmp_path: Path) -> None:
    assert "--label applies to the markdown export, not csv" in run(
        "export", coded, "csv", tmp_path / "x.csv", "--label", "{turn}", ok=False
    )


def test_tidy_csv_and_json_are_one_row_per_coding_with_stable_columns(coded: Path, tmp_path: Path) -> None:
    out = tmp_path / "codings.csv"
    assert run("export", coded, "csv", out, "--codes", "tilltro") == f"wrote 3 codings to {out}\n"
    raw = out.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and b"\r\n" not in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8"))))
    assert list(rows[0]) == [
        "coding_id",
        "document",
        "group",
        "coder",
        "code",
        "start",
        "end",
        "turn",
        "speaker",
        "role",
        "text",
        "memo",
        "created",
        "modified",
    ]
    assert [(r["coder"], r["code"], r["document"], r["group"], r["turn"], r["speaker"]) for r in rows] == [
        ("anna", "tilltro", "FG9", "FG 9", "2", "R1"),
        ("erik", "tilltro", "FG9", "FG 9", "2", "R1"),
        ("anna", "tilltro/tvivel", "FG9", "FG 9", "3", "R2"),
    ]
    data = json.loads(run("export", coded, "json", "-", "--coder", "anna,erik", "--document", "FG7"))
    assert [(r["coder"], r["turn"], r["start"], r["end"]) for r in data][:2] == [
        ("anna", 1, 17, 40),
        ("anna", 2, 45, 85),
    ]
    assert data[-1]["text"].startswith("- en lista?\n1. Nummer")  # text as stored, newlines kept
