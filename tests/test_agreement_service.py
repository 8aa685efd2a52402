"""Agreement between coders on a project: the units × coders matrix per code, missing documents, and the `agree` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from mda_coder.services import importing
from mda_coder.services.agreement import AgreementReport, CodeAgreement, agreement
from mda_coder.services.coding import Target, apply_code
from mda_coder.store.engine import Database
from tests.support.tui import sample_copy

SECOND = "Moderator: Hur ser ni på krav?\nR1: Det beror på.\nR2: Mycket.\n"


def code(report: AgreementReport, path: str) -> CodeAgreement:
    return next(c for c in report.codes if c.code == path)


@pytest.fixture
def coded(project: Database, transcript: Path) -> Database:
    """FG9 (5 turns) coded by anna and erik with jobbfokus; anna alone also coded FG10 (3 turns)."""
    importing.import_files(project, [transcript], group="FG9")
    for coder, turns in (("anna", (2, 3)), ("erik", (3, 5))):
        for turn in turns:
            apply_code(project, coder=coder, code="jobbfokus", document="FG9", target=Target(turn=turn))
    return project


def test_alpha_for_one_code_matches_the_hand_computation(coded: Database) -> None:
    # jobbfokus, units = FG9's turns 1–5, values (anna, erik): (0,0) (1,0) (1,1) (0,0) (0,1).
    # Coincidences (each unit has m_u = 2, weight 1/(m_u−1) = 1): o_00 = 2+2 = 4, o_11 = 2,
    # o_01 = o_10 = 1+1 = 2; marginals n_0 = 6, n_1 = 4, n = 10.
    # D_o = (o_01 + o_10)/n = 4/10; D_e = 2·n_0·n_1/(n(n−1)) = 48/90; α = 1 − 0.4/0.5333… = 0.25.
    # Cohen's κ: p_o = 3/5, both coders used 1 on 2 of 5 units, p_e = .4² + .6² = .52, κ = .08/.48 = 1/6.
    report = agreement(coded, ["anna", "erik"], "turn")
    job = code(report, "jobbfokus")
    assert job.alpha.value == pytest.approx(0.25)
    assert job.alpha.n_pairable == 5
    assert job.cohen_kappa is not None and job.cohen_kappa.value == pytest.approx(1 / 6)
    assert job.verdict == "unreliable"
    assert [(d.document, d.unit, d.values) for d in job.disagreements] == [("FG9", 2, (1, 0)), ("FG9", 5, (0, 1))]
    # tilltro, its two sub-codes and hållning with its three were used by nobody.
    assert [c.code for c in report.codes] == ["jobbfokus"]
    assert report.skipped_unused == 7
    # One code reported: the pooled binary α is that code's α.
    assert report.pooled_alpha.value == pytest.approx(0.25)


def test_sentences_as_units_take_every_sentence_a_turn_coding_covers(coded: Database) -> None:
    report = agreement(coded, ["anna", "erik"], "sentence")
    job = code(report, "jobbfokus")
    assert report.unit == "sentence"
    assert job.alpha.n_pairable == report.n_units
    assert job.alpha.value is not None and job.disagreements


def test_a_document_a_coder_did_not_code_is_missing_not_absent(coded: Database, tmp_path: Path) -> None:
    second = tmp_path / "FG10.txt"
    second.write_text(SECOND, encoding="utf-8")
    importing.import_files(coded, [second], group="FG10")
    apply_code(coded, coder="anna", code="tilltro", document="FG10", target=Target(turn=2))

    report = agreement(coded, ["anna", "erik"], "turn")
    assert report.n_units == 8
    assert report.covered == {"anna": ("FG10", "FG9"), "erik": ("FG9",)}
    job = code(report, "jobbfokus")
    # Only FG9's 5 turns pair up; had erik's FG10 values been 0, all 8 would, and α would rise.
    assert job.alpha.n_pairable == 5
    assert job.alpha.value == pytest.approx(0.25)
    tilltro = code(report, "tilltro")
    assert tilltro.alpha.n_pairable == 5
    assert tilltro.alpha.value is None and "one category" in (tilltro.alpha.undefined or "")
    assert tilltro.disagreements == ()


def test_codes_and_documents_narrow_the_report(coded: Database) -> None:
    report = agreement(coded, ["anna", "erik"], "turn", codes=["tilltro"], documents=["FG9"])
    assert report.codes == ()
    assert report.skipped_unused == 3
    assert report.pooled_alpha.value is None


@pytest.fixture
def sample(tmp_path: Path) -> Path:
    return sample_copy(tmp_path)


def invoke(*args: object) -> tuple[int, str]:
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    return result.exit_code, result.output


def test_agree_command_on_the_sample_project(sample: Path) -> None:
    status, out = invoke("agree", sample, "--coders", "anna,erik")
    assert status == 0, out
    assert "pooled binary α" in out
    assert "anna coded: FG1_Norrvik, FG2_Sjöstad, FG3_Älvdala_zoom" in out

    status, out = invoke("agree", sample, "--coders", "anna,erik", "--json")
    assert status == 0, out
    data = json.loads(out)
    by_code = {c["code"]: c for c in data["codes"]}
    alpha = by_code["tilltro"]["alpha"]
    assert alpha["coefficient"] == "krippendorff_alpha"
    assert -1 <= alpha["value"] <= 1
    assert data["pooled_alpha"]["value"] is not None

    status, out = invoke("agree", sample, "--coders", "anna,erik", "--unit", "sentence", "--codes", "tilltro", "-d", "FG1_Norrvik")
    assert status == 0, out
    assert "sentences" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--coders", "anna,bob"), "unknown coder 'bob'"),
        (("--coders", "anna"), "at least two coders"),
        (("--coders", "anna,erik", "--codes", "nope"), "unknown code 'nope'"),
        (("--coders", "anna,erik", "--document", "FG99"), "no document called 'FG99'"),
    ],
)
def test_agree_command_errors_in_one_line(sample: Path, args: tuple[str, ...], message: str) -> None:
    status, out = invoke("agree", sample, *args)
    assert status == 1
    assert message in out
    assert len(out.strip().splitlines()) == 1
