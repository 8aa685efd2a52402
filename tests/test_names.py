"""An unknown name — code, coder, document, speaker, group, role — is answered with the closest known ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from mda_coder.core.names import closest, not_found
from tests.support.tables import PIPE
from tests.support.tui import sample_copy


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return sample_copy(tmp_path_factory.mktemp("names"))


def fails(*args: object) -> str:
    result = CliRunner().invoke(cli, [str(a) for a in args], env=PIPE)
    assert result.exit_code == 1, result.output
    return result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["codings", "apply", "{p}", "FG1_Norrvik", "-c", "anna", "--code", "jobfokus", "--turn", "3"],
            "unknown code 'jobfokus': did you mean 'jobbfokus'?",
        ),
        (["export", "{p}", "csv", "-", "--codes", "tillit"], "unknown code 'tillit': did you mean 'tilltro'?"),
        (
            ["codings", "list", "{p}", "--code", "tvivel"],
            "unknown code 'tvivel': did you mean 'tilltro/tvivel och brist på tilltro'?",
        ),
        (["report", "{p}", "frequencies", "-c", "ana"], "unknown coder 'ana': did you mean 'anna'?"),
        (["agree", "{p}", "--coders", "anna,erk"], "unknown coder 'erk': did you mean 'erik'?"),
        (["codings", "list", "{p}", "-c", "Erik"], "unknown coder 'Erik': did you mean 'erik'?"),
        (["turns", "{p}", "FG1"], "no document called 'FG1': did you mean 'FG1_Norrvik'?"),
        (
            ["agree", "{p}", "--coders", "anna,erik", "-d", "fg2_sjostad"],
            "no document called 'fg2_sjostad': did you mean 'FG2_Sjöstad'?",
        ),
        (
            ["turns", "{p}", "FG1_Norrvik", "--speaker", "r1"],
            "no speaker 'r1' in document 'FG1_Norrvik': did you mean 'R1'?",
        ),
        (["report", "{p}", "matrix", "--speaker", "Lena"], "unknown speaker 'Lena': did you mean 'Lena Berglund'?"),
        (["report", "{p}", "sequences", "-g", "fg1"], "unknown group 'fg1': did you mean 'FG1'?"),
        (
            ["report", "{p}", "cooccurrence", "--role", "moderater"],
            "unknown role 'moderater': did you mean 'moderator'?",
        ),
    ],
)
def test_an_unknown_name_is_answered_with_the_closest_ones(sample: Path, args: list[str], message: str) -> None:
    result = CliRunner().invoke(cli, [a.format(p=sample) for a in args], env=PIPE)
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: {message}"), result.output
    assert len(result.output.splitlines()) == 1


def test_a_name_far_from_every_known_one_gets_the_list_only(sample: Path) -> None:
    out = fails("turns", sample, "FG7")
    assert out == "Error: no document called 'FG7' (documents: FG1_Norrvik, FG2_Sjöstad, FG3_Älvdala_zoom)\n"


@pytest.mark.parametrize(
    ("typed", "known", "expected"),
    [
        ("tillit", ["tilltro", "jobbfokus", "tilltro uttryckt"], ["tilltro"]),
        ("FG1", ["FG1_Norrvik", "FG2_Sjöstad"], ["FG1_Norrvik"]),
        ("fg2_sjostad", ["FG1_Norrvik", "FG2_Sjöstad"], ["FG2_Sjöstad"]),
        ("Mette", ["Mette Holm", "Søren Berg", "Mads"], ["Mette Holm"]),
        ("interviewr", ["interviewer", "participant"], ["interviewer"]),
        ("FG7", ["FG1", "FG2"], []),
        ("R7", ["R1", "R2"], []),
        ("anne", ["anna", "anders"], ["anna"]),
        ("", ["anna"], []),
    ],
)
def test_closest_names(typed: str, known: list[str], expected: list[str]) -> None:
    assert closest(typed, known) == expected


def test_not_found_reads_an_iterator_once_and_lists_at_most_eight() -> None:
    error = not_found("unknown coder 'ana'", "ana", iter(["anna", *(f"k{i}" for i in range(9))]), "coders")
    assert str(error) == "unknown coder 'ana': did you mean 'anna'? (coders: anna, k0, k1, k2, k3, k4, k5, k6, …)"
    assert str(not_found("unknown group 'x'", "x", [], "groups")) == "unknown group 'x' (groups: none yet)"
