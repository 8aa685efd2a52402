"""The command line in Swedish: help, click's own words, errors, tables, summaries and the journal.

English stays what the code says (every other test reads it); ``--json`` and ``--csv`` are the same
bytes in every language, for scripts.
"""

from __future__ import annotations

from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from mda_coder.cli import cli, load_all
from tests.conftest import CODEBOOK
from tests.support.tables import PIPE, plain_cell, shown, terminal, too_wide
from tests.support.tui import sample_copy

LEGEND_AND_STRANGER = """\
Deltagare: I = intervjuare, A = Anna

I: Hej och välkommen hit.
A: Tack. [skratt]
B: Vem är jag här?
"""


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_copy(tmp_path_factory.mktemp("svenska"))


def run(*args: object, ok: bool = True, env: dict[str, str | None] | None = None, language: str = "sv") -> str:
    result = CliRunner().invoke(
        cli, ["--ui-language", language, *(str(a) for a in args)], env=env or PIPE, prog_name="mda-coder"
    )
    assert (result.exit_code == 0) == ok, result.output
    return result.output


def every_command() -> list[tuple[str, ...]]:
    """Every command and subcommand, as the words a user types before ``--help``."""
    load_all()
    found: list[tuple[str, ...]] = []

    def walk(command: click.Command, words: tuple[str, ...], ctx: click.Context) -> None:
        found.append(words)
        if isinstance(command, click.Group):
            for name in command.list_commands(ctx):
                sub = command.get_command(ctx, name)
                if sub is not None and not sub.hidden:
                    walk(sub, (*words, name), click.Context(sub, parent=ctx, info_name=name))

    walk(cli, (), click.Context(cli, info_name="mda-coder"))
    return found


@pytest.mark.parametrize("words", every_command(), ids=lambda w: " ".join(w) or "mda-coder")
def test_every_commands_help_is_swedish(words: tuple[str, ...]) -> None:
    english = run(*words, "--help", language="en")
    swedish = run(*words, "--help")
    assert swedish.startswith("Användning: mda-coder") and "Flaggor:" in swedish
    assert "Show this message and exit" not in swedish and "Visa det här meddelandet och avsluta." in swedish
    # The command's own first line of help is said in Swedish, not left in English.
    first = english.split("\n\n", 2)[1].strip().splitlines()[0]
    assert first not in swedish, first
    if "Commands:" in english:
        assert "Kommandon:" in swedish


def test_clicks_own_errors_are_swedish_and_english_is_unchanged() -> None:
    swedish = run("undo", "studie.mda", "--kodare", "erik", ok=False)
    assert "Prova 'mda-coder undo --help' för hjälp." in swedish and "Fel: Ingen sådan flagga '--kodare'." in swedish
    assert "Fel: Argument saknas 'DOCUMENT'." in run("turns", "studie.mda", ok=False)
    assert "Fel: Inget sådant kommando 'importera'." in run("importera", ok=False)
    english = run("importera", ok=False, language="en")
    assert "Try 'mda-coder --help' for help." in english and "Error: No such command 'importera'." in english


def test_a_users_mistake_is_one_swedish_line(sample: Path, tmp_path: Path) -> None:
    said = run(
        "codings", "apply", sample, "FG1_Norrvik", "--coder", "anna", "--code", "tiltro", "--turn", "2", ok=False
    )
    assert said.strip() == "Fel: okänd kod 'tiltro': menade du 'tilltro'? (se 'mda-coder codebook list')"
    missing = tmp_path / "saknas.mda"
    assert run("info", missing, ok=False).strip() == (
        f"Fel: {missing}: projektet finns inte (skapa det med 'mda-coder init {missing}')"
    )


def test_a_report_is_swedish_on_a_terminal_and_in_a_file_and_fits_80_columns(sample: Path) -> None:
    in_file = run("agree", sample, "--coder", "anna,erik", "--codes", "tilltro")
    assert in_file.startswith("Överensstämmelse mellan anna, erik")
    verdict = plain_cell(in_file, "tilltro", "bedömning", first="kod")
    assert verdict in {"tillförlitlig", "preliminär", "otillförlitlig", "odefinierad"}
    on_terminal = run("agree", sample, "--coder", "anna,erik", "--codes", "tilltro", env=terminal(80))
    assert "bedömning" in shown(on_terminal) and too_wide(on_terminal, 80) == []
    frequencies = run("report", sample, "frequencies", env=terminal(80))
    assert "Kodfrekvenser\nenhet: tur\n" in shown(frequencies) and too_wide(frequencies, 80) == []


def test_json_is_the_same_bytes_in_every_language(sample: Path) -> None:
    for args in (
        ("agree", sample, "--coder", "anna,erik", "--json"),
        ("report", sample, "frequencies", "--json"),
        ("log", sample, "--json"),
        ("documents", "doubts", sample, "--json"),
    ):
        assert run(*args) == run(*args, language="en"), args


def test_import_summary_doubts_and_the_journal_are_swedish(tmp_path: Path) -> None:
    project = tmp_path / "studie.mda"
    run("init", project, "--language", "sv", "--codebook", CODEBOOK)
    source = tmp_path / "intervju.txt"
    source.write_text(LEGEND_AND_STRANGER, encoding="utf-8")
    summary = run("import", project, source)
    assert "obs: rad 1 läst som en förteckning över talare, inte som turer" in summary
    assert "talaren B finns inte i förteckningen över talare (1 tur)" in summary
    assert "importerade 1 av 1 filer" in summary
    # The doubt's reading was stored in English and is said again, in Swedish, whenever it is listed.
    doubts = run("documents", "doubts", project)
    assert (
        plain_cell(doubts, "intervju", "tolkning", first="dokument")
        == "talaren B finns inte i förteckningen över talare (1 tur)"
    )
    assert "speaker B is not in the legend (1 turn)" in run("documents", "doubts", project, language="en")
    assert "kodat: tilltro av anna" in run(
        "codings", "apply", project, "intervju", "--coder", "anna", "--code", "tilltro", "--turn", "2"
    )
    assert run("undo", project, "--coder", "anna").strip() == "Ångrat: koda intervju tur 2 med tilltro"
    log = run("log", project)
    assert "ångra: koda intervju tur 2 med tilltro" in log and log.startswith("när")
    assert "undo: apply tilltro to intervju turn 2" in run("log", project, language="en")


def test_every_heading_of_a_report_is_swedish_and_its_csv_stays_english(sample: Path) -> None:
    """The sequence report's speaker columns were once left in English among Swedish headings."""
    table = run("report", sample, "sequences")
    heading = next(line for line in table.splitlines() if line.startswith("från"))
    assert heading.split() == ["från", "till", "övergångar", "talarbyten", "samma_talare", "följda", "andel"]
    assert "andel = övergångar / följda" in table
    csv_heading = run("report", sample, "sequences", "--csv", "-").splitlines()[0]
    assert csv_heading == "from,to,transitions,speaker_changes,same_speaker,from_followed,share"
    assert csv_heading == run("report", sample, "sequences", "--csv", "-", language="en").splitlines()[0]
