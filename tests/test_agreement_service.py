"""Agreement between coders on a project: the units × coders matrix per code, missing documents, and the `agree` command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from mda_coder.cli import cli
from mda_coder.core.errors import MdaError
from mda_coder.services import importing, queries
from mda_coder.services.agreement import AgreementReport, CodeAgreement, agreement
from mda_coder.services.coding import Target, apply_code
from mda_coder.services.metadata import describe_speaker
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

    status, out = invoke(
        "agree", sample, "--coders", "anna,erik", "--unit", "sentence", "--codes", "tilltro", "-d", "FG1_Norrvik"
    )
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


# --- every coefficient, its counts, splits, sub-codes, exclusive groups and the bootstrap ---------------


def test_every_coefficient_with_the_counts_behind_it(coded: Database) -> None:
    # The hand example above: units (anna, erik) = (0,0) (1,0) (1,1) (0,0) (0,1).
    # Scott's π: p_o = 3/5; pooled share of 1s (2 + 2)/10 = .4, p_e = .4² + .6² = .52, π = .08/.48 = 1/6.
    # Brennan–Prediger with q = 2: (p_o − 1/2)/(1 − 1/2) = .2. All agree: 3 of 5 units. Holsti (1969):
    # 2M/(N1 + N2) = 2·3/(5 + 5) = .6.
    job = code(agreement(coded, ["anna", "erik"], "turn"), "jobbfokus")
    assert job.scott_pi is not None and job.scott_pi.value == pytest.approx(1 / 6)
    assert job.brennan_prediger is not None and job.brennan_prediger.value == pytest.approx(0.2)
    assert job.percent_all is not None and job.percent_all.value == pytest.approx(0.6)
    assert job.holsti is not None and job.holsti.value == pytest.approx(0.6)
    assert job.percent_agreement.value == pytest.approx(0.6)
    # Coincidences: o_00 = 4, o_01 = o_10 = 2, o_11 = 2; contingency rows anna, columns erik.
    assert job.coincidence is not None and job.coincidence.counts == ((4.0, 2.0), (2.0, 2.0))
    assert job.contingency is not None and job.contingency.counts == ((2.0, 1.0), (1.0, 1.0))
    assert [r.coefficient for r in job.results] == [
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


def test_three_coders_get_no_two_coder_statistics(coded: Database) -> None:
    apply_code(coded, coder="lisa", code="jobbfokus", document="FG9", target=Target(turn=3))
    job = code(agreement(coded, ["anna", "erik", "lisa"], "turn"), "jobbfokus")
    assert job.cohen_kappa is None and job.scott_pi is None and job.holsti is None and job.contingency is None
    assert job.fleiss_kappa.value is not None and job.alpha.n_pairable == 5


def second_group(db: Database, tmp_path: Path) -> None:
    """FG10 (moderator, R1, R2): anna jobbfokus on turn 2, erik on turns 2 and 3."""
    path = tmp_path / "FG10.txt"
    path.write_text(SECOND, encoding="utf-8")
    importing.import_files(db, [path], group="FG10")
    for coder, turns in (("anna", (2,)), ("erik", (2, 3))):
        for turn in turns:
            apply_code(db, coder=coder, code="jobbfokus", document="FG10", target=Target(turn=turn))


def test_split_by_document_gives_each_documents_own_figures(coded: Database, tmp_path: Path) -> None:
    second_group(coded, tmp_path)
    report = agreement(coded, ["anna", "erik"], "turn", by="document")
    # FG10: (0,0) (1,1) (0,1): o_00 = 2, o_11 = 2, o_01 = o_10 = 1, n_0 = n_1 = 3, n = 6;
    # D_o = 2/6, D_e = 2·3·3/(6·5) = 3/5, α = 1 − (1/3)/(3/5) = 4/9.
    # Overall, 8 units: o_00 = 6, o_11 = 4, o_01 = o_10 = 3, n_0 = 9, n_1 = 7, n = 16;
    # D_o = 6/16, D_e = 2·9·7/(16·15) = 126/240, α = 1 − .375/.525 = 2/7.
    assert code(report, "jobbfokus").alpha.value == pytest.approx(2 / 7)
    assert [(s.by, s.value, s.n_units) for s in report.splits] == [("document", "FG10", 3), ("document", "FG9", 5)]
    fg10, fg9 = report.splits
    assert [c.code for c in fg10.codes] == ["jobbfokus"]
    assert fg10.codes[0].alpha.value == pytest.approx(4 / 9)
    assert fg9.codes[0].alpha.value == pytest.approx(0.25)
    assert [(d.document, d.unit) for d in fg10.codes[0].disagreements] == [("FG10", 3)]
    assert fg10.pooled_alpha.value == pytest.approx(4 / 9)


def test_split_by_role_follows_the_speaker_of_each_unit(coded: Database) -> None:
    describe_speaker(coded, "FG9", "R1", role="arbetskonsulent")
    report = agreement(coded, ["anna", "erik"], "turn", by="role")
    # FG9: turns 1 and 4 are I (moderator), 2 and 5 R1 (arbetskonsulent), 3 R2 (no role).
    assert [(s.value, s.n_units) for s in report.splits] == [("arbetskonsulent", 2), ("moderator", 2), ("(no role)", 1)]
    by_role = {s.value: s for s in report.splits}
    # R1's turns: (1,0) and (0,1): o_01 = o_10 = 2, n_0 = n_1 = 2; D_o = 1, D_e = 2·2·2/(4·3) = 2/3, α = −1/2.
    assert by_role["arbetskonsulent"].codes[0].alpha.value == pytest.approx(-0.5)
    # The moderator's turns nobody coded: no code to report, and the pooled α says why it has no value.
    assert by_role["moderator"].codes == ()
    assert by_role["moderator"].pooled_alpha.value is None
    assert "none of the coders used" in (by_role["moderator"].pooled_alpha.undefined or "")
    # R2's one turn both coded: one category only, α undefined rather than 1.
    lone = by_role["(no role)"].codes[0]
    assert lone.alpha.value is None and "one category" in (lone.alpha.undefined or "")


def test_sentences_take_the_role_of_their_turns_speaker(coded: Database) -> None:
    report = agreement(coded, ["anna", "erik"], "sentence", by="role")
    # Sentences 1, 2 and 8 are the moderator's (turns 1 and 4); the other six belong to R1 and R2.
    assert [(s.value, s.n_units) for s in report.splits] == [("moderator", 3), ("(no role)", 6)]


def test_sub_codes_count_for_their_parent_when_asked(project: Database, transcript: Path) -> None:
    importing.import_files(project, [transcript], group="FG9")
    apply_code(project, coder="anna", code="tilltro/tvivel", document="FG9", target=Target(turn=2))
    apply_code(project, coder="erik", code="tilltro", document="FG9", target=Target(turn=2))
    # Without: tilltro is (0,1) on turn 2 and (0,0) on four turns: o_00 = 8, o_01 = o_10 = 1, n_1 = 1;
    # D_o = 2/10, D_e = 2·9·1/(10·9) = 2/10, α = 0. With: (1,1) and four (0,0), α = 1.
    plain = agreement(project, ["anna", "erik"], "turn")
    assert code(plain, "tilltro").alpha.value == pytest.approx(0.0)
    merged = agreement(project, ["anna", "erik"], "turn", include_subcodes=True)
    assert merged.include_subcodes
    assert code(merged, "tilltro").alpha.value == pytest.approx(1.0)
    assert code(merged, "tilltro").disagreements == ()
    # The sub-code itself keeps its own codings only.
    assert code(merged, "tilltro/tvivel").contingency == code(plain, "tilltro/tvivel").contingency


def test_exclusive_group_is_one_nominal_variable(project: Database, transcript: Path) -> None:
    importing.import_files(project, [transcript], group="FG9")
    first, second = (s.index for s in queries.sentences(project, "FG9", turn=2))
    # anna gives turn 2 both positiv and negativ (one on each sentence); erik negativ. Both positiv on
    # turn 3; on turn 5 erik gives neutral and anna nothing.
    apply_code(project, coder="anna", code="positiv", document="FG9", target=Target(sentence=first))
    apply_code(project, coder="anna", code="negativ", document="FG9", target=Target(sentence=second))
    apply_code(project, coder="erik", code="negativ", document="FG9", target=Target(turn=2))
    for coder in ("anna", "erik"):
        apply_code(project, coder=coder, code="positiv", document="FG9", target=Target(turn=3))
    apply_code(project, coder="erik", code="neutral", document="FG9", target=Target(turn=5))

    report = agreement(project, ["anna", "erik"], "turn")
    (group,) = report.groups
    assert group.group == "hållning"
    assert group.codes == ("hållning/positiv", "hållning/neutral", "hållning/negativ")
    assert group.labels == ("none", "positiv", "neutral", "negativ", "positiv+negativ")
    # Units (anna, erik): (none,none) (positiv+negativ,negativ) (positiv,positiv) (none,none) (none,neutral).
    # Coincidences: none·none 4, positiv·positiv 2, (positiv+negativ)·negativ 1 each way, none·neutral
    # 1 each way; marginals none 5, positiv 2, neutral 1, negativ 1, positiv+negativ 1, n = 10.
    # D_o = 4/10; D_e = (10² − (25+4+1+1+1))/(10·9) = 68/90; α = 1 − .4/(68/90) = 8/17.
    assert group.alpha.value == pytest.approx(8 / 17)
    assert group.coincidence is not None and group.coincidence.cell("none", "neutral") == 1
    assert group.combined == {"anna": 1, "erik": 0}
    assert [(d.unit, d.values) for d in group.disagreements] == [
        (2, ("positiv+negativ", "negativ")),
        (5, ("none", "neutral")),
    ]
    # Brennan–Prediger counts every category a coder could give: none, three codes and the one combination.
    assert group.brennan_prediger is not None
    assert group.brennan_prediger.value == pytest.approx((0.6 - 1 / 5) / (1 - 1 / 5))


def test_a_group_is_left_out_when_one_of_its_codes_is_not_asked_about(coded: Database) -> None:
    apply_code(coded, coder="anna", code="positiv", document="FG9", target=Target(turn=2))
    assert [g.group for g in agreement(coded, ["anna", "erik"], "turn").groups] == ["hållning"]
    assert agreement(coded, ["anna", "erik"], "turn", codes=["hållning/positiv"]).groups == ()


def test_bootstrap_intervals_are_seeded(coded: Database) -> None:
    first = agreement(coded, ["anna", "erik"], "turn", samples=1000, seed=7)
    again = agreement(coded, ["anna", "erik"], "turn", samples=1000, seed=7)
    job, job_again = code(first, "jobbfokus"), code(again, "jobbfokus")
    assert job.alpha_interval is not None and job.alpha_interval == job_again.alpha_interval
    low, high = job.alpha_interval
    assert low is not None and high is not None and low <= 0.25 <= high
    assert first.pooled_interval is not None and first.samples == 1000 and first.seed == 7
    assert code(agreement(coded, ["anna", "erik"], "turn"), "jobbfokus").alpha_interval is None


def test_too_few_bootstrap_samples_is_a_user_error(coded: Database) -> None:
    with pytest.raises(MdaError, match="at least 40 samples"):
        agreement(coded, ["anna", "erik"], "turn", samples=10)
