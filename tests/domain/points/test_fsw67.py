"""Federal Skilled Worker, as of 2025: the minimum requirements, every grid row and the 67-point pass mark:
https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/eligibility/federal-skilled-workers.html
https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/eligibility/federal-skilled-workers/six-selection-factors-federal-skilled-workers.html
"""

from dataclasses import replace
from datetime import date

import pytest

from domain.points import fsw67
from domain.points.fsw67 import fsw_score
from domain.profile import (
    CanadaAnswers,
    EducationLevel,
    JobOffer,
    Lmia,
    MaritalStatus,
    Money,
    Profile,
    Relationship,
    Relative,
)
from tests.builders.profiles import ON, clb, credential, job, make_partner, make_profile, married, nclc, offer
from tests.builders.results import by_key, factor, points, requirement

E = EducationLevel


@pytest.mark.parametrize(("clb_level", "per_ability"), [(4, 0), (6, 0), (7, 4), (8, 5), (9, 6), (10, 6), (12, 6)])
def test_fsw_first_language_row_per_ability(clb_level: int, per_ability: int) -> None:
    assert fsw67.first_language_points(clb_level) == per_ability


@pytest.mark.parametrize(
    ("level", "expected"),
    [
        (E.NONE, 0),
        (E.SECONDARY, 5),
        (E.ONE_YEAR, 15),
        (E.TWO_YEAR, 19),
        (E.BACHELOR, 21),
        (E.TWO_OR_MORE, 22),
        (E.MASTER, 23),
        (E.DOCTORAL, 25),
    ],
)
def test_fsw_education_row(level: E, expected: int) -> None:
    assert fsw67.education_points(level) == expected


@pytest.mark.parametrize(("years", "expected"), [(0, 0), (1, 9), (2, 11), (3, 11), (4, 13), (5, 13), (6, 15), (9, 15)])
def test_fsw_work_experience_row(years: int, expected: int) -> None:
    assert fsw67.work_points(years) == expected


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (17, 0),
        (18, 12),
        (30, 12),
        (35, 12),
        (36, 11),
        (37, 10),
        (38, 9),
        (39, 8),
        (40, 7),
        (41, 6),
        (42, 5),
        (43, 4),
        (44, 3),
        (45, 2),
        (46, 1),
        (47, 0),
        (60, 0),
    ],
)
def test_fsw_age_row(age: int, expected: int) -> None:
    assert fsw67.age_points(age) == expected


@pytest.mark.parametrize(
    ("size", "funds"),
    [
        (1, 15_263),
        (2, 19_001),
        (3, 23_360),
        (4, 28_362),
        (5, 32_168),
        (6, 36_280),
        (7, 40_392),
        (8, 44_504),
        (9, 48_616),
    ],
)
def test_fsw_proof_of_funds_2025_07_07_table(size: int, funds: int) -> None:
    assert fsw67.PROOF_OF_FUNDS[0].required(size) == funds


def test_fsw_single_29_bachelors_clb9_three_years_abroad_scores_68_and_passes() -> None:
    result = fsw_score(make_profile(), ON)
    assert by_key(result) == {
        "first_language": 24,
        "second_language": 0,
        "education": 21,
        "work_experience": 11,
        "age": 12,
        "arranged_employment": 0,
        "adaptability": 0,
    }
    assert (result.total, result.pass_mark, result.passed, result.missing) == (68, 67, True, ())
    assert result.total == sum(f.points for f in result.factors)


def test_fsw_65_points_fails_the_67_pass_mark() -> None:
    result = fsw_score(make_profile(age=38), ON)
    assert (result.total, result.passed) == (65, False)


def test_fsw_second_language_needs_level_5_in_all_four() -> None:
    assert points(fsw_score(make_profile(language_tests=(clb(9), nclc(5))), ON), "second_language") == 4
    assert points(fsw_score(make_profile(language_tests=(clb(9), nclc(5, 5, 5, 4))), ON), "second_language") == 0


def test_fsw_language_below_clb7_in_one_ability_fails_the_minimum() -> None:
    result = fsw_score(make_profile(language_tests=(clb(9, 9, 9, 6),)), ON)
    assert points(result, "first_language") == 18
    assert requirement(result, "language").met is False
    assert result.passed is False


def test_fsw_foreign_education_without_eca_fails_the_minimum() -> None:
    result = fsw_score(make_profile(education=(credential(eca=False),)), ON)
    assert requirement(result, "education").met is False
    assert result.passed is False


def test_fsw_under_one_year_of_skilled_work_fails_the_minimum() -> None:
    result = fsw_score(make_profile(work_history=(job("IN", 0.9),)), ON)
    assert requirement(result, "skilled_work").met is False


def test_fsw_skilled_work_minimum_needs_one_occupation() -> None:
    entries = (
        job("IN", 0.6, occupation_code="21231"),
        job("IN", 0.6, ending=date(2025, 8, 1), occupation_code="11100"),
    )
    result = fsw_score(make_profile(work_history=entries), ON)
    assert points(result, "work_experience") == 9  # 1.2 years in total counts for the grid
    assert requirement(result, "skilled_work").met is False


def test_fsw_funds_below_the_table_fail_and_family_size_counts_spouse_and_children() -> None:
    profile = married(make_profile(funds=Money(28_361, "CAD"), dependent_children=2))
    result = fsw_score(profile, ON)
    assert requirement(result, "proof_of_funds").met is False
    assert "family of 4 needs CAD 28,362" in requirement(result, "proof_of_funds").explanation
    enough = fsw_score(replace(profile, funds=Money(28_362, "CAD")), ON)
    assert requirement(enough, "proof_of_funds").met is True


def _qualifying_offer() -> JobOffer:
    return offer("CA", full_time=True, non_seasonal=True, at_least_one_year=True, lmia=Lmia.SUPPORTED, teer=1)


def test_fsw_funds_are_not_needed_when_authorised_to_work_with_a_job_offer() -> None:
    profile = make_profile(
        funds=Money(0, "CAD"),
        job_offers=(_qualifying_offer(),),
        canada=CanadaAnswers(authorised_to_work=True, certificate_of_qualification=False),
    )
    result = fsw_score(profile, ON)
    assert requirement(result, "proof_of_funds").met is True
    assert points(result, "arranged_employment") == 10


def test_fsw_funds_in_another_currency_are_unknown_not_failed() -> None:
    result = fsw_score(make_profile(funds=Money(50_000, "EUR")), ON)
    assert requirement(result, "proof_of_funds").met is None
    assert result.passed is None


def _adaptability(profile: Profile) -> int:
    return points(fsw_score(profile, ON), "adaptability")


def test_fsw_adaptability_items() -> None:
    base = make_profile()
    canadian_study = credential(E.BACHELOR, "CA", duration_years=2, full_time=True)
    assert _adaptability(married(base, language_tests=(clb(4),))) == 5
    assert _adaptability(married(base, education=(canadian_study,))) == 5
    assert _adaptability(married(base, work_history=(job("CA", 1, teer=5),))) == 5
    assert _adaptability(replace(base, education=(credential(), canadian_study))) == 5
    assert _adaptability(replace(base, work_history=(job("CA", 1),))) == 10
    assert _adaptability(replace(base, job_offers=(_qualifying_offer(),))) == 5
    uncle = Relative(Relationship.AUNT_UNCLE, "CA", citizen_or_pr=True, adult=True)
    assert _adaptability(replace(base, relatives=(uncle,))) == 5


def test_fsw_adaptability_is_capped_at_10() -> None:
    uncle = Relative(Relationship.AUNT_UNCLE, "CA", citizen_or_pr=True, adult=True)
    result = fsw_score(replace(make_profile(), work_history=(job("CA", 1), job("IN", 3)), relatives=(uncle,)), ON)
    assert points(result, "adaptability") == 10
    assert "= 15, capped at 10" in factor(result, "adaptability").explanation


def test_fsw_spouse_items_do_not_count_for_a_spouse_who_stays_behind() -> None:
    profile = replace(
        make_profile(),
        marital_status=MaritalStatus.MARRIED,
        partner=make_partner(accompanying=False, language_tests=(clb(9),)),
    )
    assert _adaptability(profile) == 0
