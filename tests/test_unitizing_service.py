"""Unitizing agreement on a real project: free spans per code, missing documents, segment matching, user errors."""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import pytest

from mda_coder.analysis.agreement import result as reasons
from mda_coder.analysis.agreement import unitizing as unitizing_reasons
from mda_coder.core.errors import MdaError, NotFoundError
from mda_coder.services import importing
from mda_coder.services.agreement import (
    CodeUnitizing,
    UnitizingReport,
    unitizing_agreement,
)
from mda_coder.services.coding import Target, apply_code
from mda_coder.services.project import create_project
from mda_coder.store.engine import Database
from tests.conftest import TRANSCRIPT

SECOND = "Moderator: Hur ser ni på krav?\nR1: Det beror på.\nR2: Mycket.\n"
LENGTH = len(TRANSCRIPT)  # FG9's stored text is the file's text: 231 characters


def code(report: UnitizingReport, path: str) -> CodeUnitizing:
    return next(c for c in report.codes if c.code == path)


def span(db: Database, coder: str, name: str, start: int, end: int, document: str = "FG9") -> None:
    apply_code(db, coder=coder, code=name, document=document, target=Target(span=(start, end)))


def two_segments_alpha(length: int, first: tuple[int, int], second: tuple[int, int]) -> float:
    """uα (Krippendorff et al. 2016) for two coders with one segment each on one text, in exact arithmetic.

    Characters both coded count twice on the diagonal, those only one coded twice off it (l_01 + l_10);
    e_01 + e_10 = l.. · 2 l_0. l_1. / (l..² − Σ unit lengths² − gap length), with l.. = 2L.
    """
    both = max(0, min(first[1], second[1]) - max(first[0], second[0]))
    la, lb = first[1] - first[0], second[1] - second[0]
    total, coded = 2 * length, la + lb
    gap = total - coded
    off_expected = Fraction(total * 2 * gap * coded, total**2 - (la**2 + lb**2 + gap))
    return float(1 - 2 * (la + lb - 2 * both) / off_expected)


@pytest.fixture
def coded(project: Database, transcript: Path) -> Database:
    """FG9 (231 characters): anna marks jobbfokus at 30–80, erik at 35–80 (45 of 50 characters shared)."""
    importing.import_files(project, [transcript], group="FG9")
    span(project, "anna", "jobbfokus", 30, 80)
    span(project, "erik", "jobbfokus", 35, 80)
    return project


def test_alpha_per_code_on_the_characters(coded: Database) -> None:
    report = unitizing_agreement(coded, ["anna", "erik"])
    job = code(report, "jobbfokus")
    # L = 231, l.. = 462: 45 characters both (l_11 = 90), 5 only anna (l_01 = l_10 = 5), 181 neither.
    # Units 50² + 45² = 4525, gaps 181 + 186 = 367; Σ_{c≠k} e = 462 · 2 · 367 · 95 / (462² − 4892).
    assert job.alpha.value == pytest.approx(two_segments_alpha(LENGTH, (30, 80), (35, 80)))
    assert job.alpha.value == pytest.approx(1 - 10 / (462 * 2 * 367 * 95 / (462**2 - 4892)))
    assert job.alpha.table is not None and job.alpha.table.counts == ((362.0, 5.0), (5.0, 90.0))
    assert (job.alpha.n_units, job.alpha.n_pairable, job.alpha.n_values) == (1, 1, 2 * LENGTH)
    assert job.verdict == "reliable"
    assert job.codings == {"anna": 1, "erik": 1}
    assert (report.documents, report.characters) == (("FG9",), LENGTH)
    assert report.covered == {"anna": ("FG9",), "erik": ("FG9",)}
    # tilltro (and its two sub-codes) and hållning (and its three) were used by nobody.
    assert [c.code for c in report.codes] == ["jobbfokus"]
    assert report.skipped_unused == 7


def test_segment_matching_at_the_threshold(coded: Database) -> None:
    # 45 of 50 characters: an overlap (intersection / union) of 90%, MAXQDA's default, so it matches.
    job = code(unitizing_agreement(coded, ["anna", "erik"]), "jobbfokus")
    assert job.segments is not None
    assert (job.segments.agreements, job.segments.first_only, job.segments.second_only) == (2, 0, 0)
    assert job.segments.result.value == 1.0
    # Asking for 95% turns the same pair into one disagreement on each side.
    strict = code(unitizing_agreement(coded, ["anna", "erik"], threshold=0.95), "jobbfokus")
    assert strict.segments is not None and strict.segments.result.value == 0.0
    assert [(u.coder, u.start, u.end, u.best_overlap) for u in strict.segments.unmatched] == [
        (0, 30, 80, 0.9),
        (1, 35, 80, 0.9),
    ]
    assert strict.alpha.value == job.alpha.value  # uα has no threshold


def test_kappa_over_the_codes_compared(coded: Database) -> None:
    span(coded, "anna", "tilltro", 100, 140)
    span(coded, "erik", "tilltro", 150, 190)
    report = unitizing_agreement(coded, ["anna", "erik"])
    # jobbfokus: 2 agreements; tilltro: 1 anna-only, 1 erik-only. p_o = 2/4; q = 2 codes, p_c = 1/2.
    assert report.segment_kappa is not None
    assert report.segment_kappa.value == pytest.approx(0.0)
    assert report.segment_kappa.table is not None and report.segment_kappa.table.counts == ((2.0, 1.0), (1.0, 0.0))
    tilltro = code(report, "tilltro")
    assert tilltro.alpha.value is not None and tilltro.alpha.value < 0  # disjoint spans: worse than chance


def test_a_document_a_coder_did_not_code_is_missing_not_gap(coded: Database, tmp_path: Path) -> None:
    second = tmp_path / "FG10.txt"
    second.write_text(SECOND, encoding="utf-8")
    importing.import_files(coded, [second], group="FG10")
    span(coded, "anna", "jobbfokus", 4, 30, document="FG10")

    report = unitizing_agreement(coded, ["anna", "erik"])
    assert report.covered == {"anna": ("FG10", "FG9"), "erik": ("FG9",)}
    job = code(report, "jobbfokus")
    # Only FG9 has two coders: α as before, not lowered by erik "leaving FG10 all gap".
    assert (job.alpha.n_units, job.alpha.n_pairable) == (2, 1)
    assert job.alpha.value == pytest.approx(two_segments_alpha(LENGTH, (30, 80), (35, 80)))
    assert job.codings == {"anna": 2, "erik": 1}
    assert job.segments is not None and job.segments.segments == 2  # anna's FG10 span is not compared


def test_codes_and_documents_narrow_the_report(coded: Database) -> None:
    report = unitizing_agreement(coded, ["anna", "erik"], codes=["tilltro"], documents=["FG9"])
    assert report.codes == () and report.skipped_unused == 3
    assert report.segment_kappa is not None and report.segment_kappa.undefined is not None


def test_one_code_used_by_one_coder_only(coded: Database) -> None:
    span(coded, "anna", "hållning/positiv", 100, 120)
    positiv = code(unitizing_agreement(coded, ["anna", "erik"]), "hållning/positiv")
    # erik covered FG9 and left 100–120 a gap: that is a disagreement, and α is defined.
    assert positiv.alpha.value is not None and positiv.alpha.value < 0
    assert positiv.segments is not None and (positiv.segments.first_only, positiv.segments.second_only) == (1, 0)


def test_three_coders_have_alpha_but_no_segment_matching(coded: Database) -> None:
    span(coded, "sara", "jobbfokus", 30, 80)
    report = unitizing_agreement(coded, ["anna", "erik", "sara"])
    job = code(report, "jobbfokus")
    assert job.alpha.value is not None and job.alpha.n_values == 3 * LENGTH
    assert job.segments is None and report.segment_kappa is None


def test_coders_who_share_no_document(project: Database, transcript: Path, tmp_path: Path) -> None:
    importing.import_files(project, [transcript], group="FG9")
    second = tmp_path / "FG10.txt"
    second.write_text(SECOND, encoding="utf-8")
    importing.import_files(project, [second], group="FG10")
    span(project, "anna", "jobbfokus", 30, 80)
    span(project, "erik", "jobbfokus", 4, 30, document="FG10")
    job = code(unitizing_agreement(project, ["anna", "erik"]), "jobbfokus")
    assert job.alpha.value is None and job.alpha.undefined == unitizing_reasons.NO_SHARED_CONTINUUM
    assert job.segments is not None and job.segments.result.value is None


def test_everyone_coding_everything_is_undefined(project: Database, transcript: Path) -> None:
    importing.import_files(project, [transcript], group="FG9")
    for coder in ("anna", "erik"):
        span(project, coder, "jobbfokus", 0, LENGTH)
    job = code(unitizing_agreement(project, ["anna", "erik"]), "jobbfokus")
    assert job.alpha.value is None and job.alpha.undefined == reasons.ONE_CATEGORY
    assert job.verdict == "undefined"


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"coders": ["anna", "bob"]}, NotFoundError, "unknown coder 'bob' (coders: anna, erik)"),
        ({"coders": ["anna", " anna "]}, MdaError, "at least two coders"),
        ({"codes": ["nope"]}, NotFoundError, "unknown code 'nope'"),
        ({"documents": ["FG99"]}, NotFoundError, "no document called 'FG99'"),
        ({"threshold": 90}, MdaError, "at most 1, e.g. 0.9 for 90% (got 90)"),
        ({"threshold": 0}, MdaError, "more than 0"),
    ],
)
def test_user_mistakes_are_one_line_errors(coded: Database, kwargs: dict, error: type, message: str) -> None:
    args = {"coders": ["anna", "erik"], **kwargs}
    with pytest.raises(error) as caught:
        unitizing_agreement(coded, **args)
    assert message in str(caught.value) and "\n" not in str(caught.value)


GROUP_BOOK = """\
name: Grupp
codes:
  - name: individ
    children: [{name: krav}]
  - name: struktur
exclusive_groups:
  - name: ansvar
    codes: [individ, struktur]
"""


@pytest.fixture
def grouped(tmp_path: Path, transcript: Path) -> Database:
    book = tmp_path / "grupp.yaml"
    book.write_text(GROUP_BOOK, encoding="utf-8")
    db = create_project(tmp_path / "grupp.mda", "sv", book, actor="test")
    importing.import_files(db, [transcript], group="FG9")
    yield db
    db.close()


def test_exclusive_group_is_one_division_of_the_text(grouped: Database) -> None:
    # Both coders mark 30–80 and 100–140; anna calls the first individ and the second struktur, erik
    # the other way round. Every coded character is disagreed on, every gap agreed on: with the values
    # individ and struktur, l_is = l_si = 50 + 40 (both orders), gaps l_00 = 2 · 141.
    for coder, first, second in (("anna", "individ", "struktur"), ("erik", "struktur", "individ")):
        span(grouped, coder, first, 30, 80)
        span(grouped, coder, second, 100, 140)
    report = unitizing_agreement(grouped, ["anna", "erik"])
    (group,) = report.groups
    assert (group.group, group.labels, group.codings) == (
        "ansvar",
        ("gap", "individ", "struktur"),
        {"anna": 2, "erik": 2},
    )
    # l.. = 462, l_0. = 282, l_i. = l_s. = 90. Self-pairings: individ 50² + 40², struktur 40² + 50², gaps 282.
    # Σ_{c≠k} e = 462 · (282 · 180 + 90 · 372 + 90 · 372) / (462² − 8200 − 282); Σ_{c≠k} l = 180.
    expected_off = Fraction(462 * (282 * 180 + 2 * 90 * 372), 462**2 - 8200 - 282)
    assert group.alpha.value == pytest.approx(float(1 - 180 / expected_off))  # .322
    # Positive although every coded character got different codes: the coders agree on where the
    # segments are, and α_U counts the gaps as a value too.
    assert 0 < group.alpha.value < 0.667 and group.verdict == "unreliable"
    assert group.alpha.table is not None and group.alpha.table.cell("individ", "struktur") == 90.0
    # Each code on its own sits on disjoint spans for the two coders: worse than chance.
    assert [c.code for c in report.codes] == ["individ", "struktur"]
    assert all(c.alpha.value is not None and c.alpha.value < 0 for c in report.codes)
    # A group is reported only when all its codes are asked about.
    assert unitizing_agreement(grouped, ["anna", "erik"], codes=["individ"]).groups == ()


def test_overlapping_codes_of_a_group_leave_its_alpha_undefined(grouped: Database) -> None:
    # krav is not in the group, so anna may put it beside struktur; counted as individ it overlaps.
    span(grouped, "anna", "individ/krav", 30, 80)
    span(grouped, "anna", "struktur", 60, 100)
    span(grouped, "erik", "individ", 30, 80)
    assert unitizing_agreement(grouped, ["anna", "erik"]).groups[0].alpha.value is not None
    report = unitizing_agreement(grouped, ["anna", "erik"], include_subcodes=True)
    (group,) = report.groups
    assert group.alpha.value is None and group.verdict == "undefined"
    assert group.alpha.undefined == (
        "anna gave two of the group's codes (individ, struktur) to the same text in FG9 (from character 60): "
        "α_U needs a coder's codes of a group not to overlap"
    )
    individ = code(report, "individ")
    assert individ.codings == {"anna": 1, "erik": 1} and individ.alpha.value == 1.0
