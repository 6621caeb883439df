"""CRS scored end to end from profiles, as of 2025-03-25:
https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/check-score/crs-criteria.html
"""

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from domain.language.model import Language, LanguageTest
from domain.points import NoRulesInForce
from domain.points.crs import UNRESOLVED_FRENCH_BONUS, crs_score
from domain.profile import (
    CanadaAnswers,
    EducationLevel,
    JobOffer,
    Lmia,
    MaritalStatus,
    Nomination,
    NominationKind,
    Partner,
    Profile,
    Relationship,
    Relative,
    WorkEntry,
)
from tests.builders.profiles import (
    ON,
    clb,
    credential,
    ielts,
    job,
    make_partner,
    make_profile,
    married,
    nclc,
    offer,
    scores,
    years_before,
)
from tests.builders.results import by_key, factor, points

TRANSFERABILITY = ("transferability_education", "transferability_foreign_work", "transferability_certificate")
ADDITIONAL = ("provincial_nomination", "arranged_employment", "canadian_study", "french_bonus", "sibling_in_canada")


def worked_example_profile() -> Profile:
    return make_profile(
        age=26,
        education=(credential(EducationLevel.TWO_YEAR),),
        language_tests=(ielts(7.5, 6.5, 6.5, 6.5),),
        work_history=(job("IN", 2),),
    )


def test_crs_single_26_two_year_diploma_clb8_two_years_foreign_scores_326() -> None:
    result = crs_score(worked_example_profile(), ON)
    assert result.total == 326
    assert by_key(result) == {
        "age": 110,
        "education": 98,
        "first_language": 92,
        "second_language": 0,
        "canadian_work": 0,
        "spouse_education": 0,
        "spouse_language": 0,
        "spouse_canadian_work": 0,
        "transferability_education": 13,
        "transferability_foreign_work": 13,
        "transferability_certificate": 0,
        "provincial_nomination": 0,
        "arranged_employment": 0,
        "canadian_study": 0,
        "french_bonus": 0,
        "sibling_in_canada": 0,
    }
    assert result.missing == ()
    assert (result.system, result.version, result.maximum, result.pass_mark, result.passed) == (
        "crs",
        date(2025, 3, 25),
        1200,
        None,
        None,
    )


def test_crs_explains_language_per_ability_in_one_sentence() -> None:
    result = crs_score(worked_example_profile(), ON)
    assert factor(result, "first_language").explanation == (
        "CLB 8 in all four abilities (IELTS General Training): 4 × 23 = 92 points."
    )
    mixed = crs_score(make_profile(language_tests=(ielts(8.5, 6.0, 7.0, 5.5),)), ON)
    assert factor(mixed, "first_language").explanation == (
        "IELTS General Training: listening CLB 10 (34), reading CLB 7 (17), writing CLB 9 (31), "
        "speaking CLB 6 (9) = 91 points."
    )


def test_crs_total_is_the_sum_of_its_factors() -> None:
    result = crs_score(make_profile(), ON)
    assert result.total == sum(f.points for f in result.factors) == 429


# --- with spouse / without spouse -------------------------------------------------------------------


def test_crs_accompanying_spouse_who_is_not_pr_switches_to_with_spouse_tables() -> None:
    result = crs_score(married(worked_example_profile()), ON)
    assert (points(result, "age"), points(result, "education"), points(result, "first_language")) == (100, 91, 88)
    assert result.total == 100 + 91 + 88 + 26


@pytest.mark.parametrize(
    "partner",
    [make_partner(accompanying=False), make_partner(citizen_or_pr_of=frozenset({"CA"}))],
    ids=["spouse_stays_behind", "spouse_already_canadian_pr"],
)
def test_crs_spouse_staying_behind_or_already_pr_scores_as_without_spouse(partner: Partner) -> None:
    profile = replace(worked_example_profile(), marital_status=MaritalStatus.MARRIED, partner=partner)
    result = crs_score(profile, ON)
    assert result.total == 326
    assert factor(result, "spouse_education").maximum == 0
    assert "without-spouse" in factor(result, "spouse_language").explanation


def test_crs_common_law_partner_counts_exactly_like_a_spouse() -> None:
    married_ = crs_score(married(worked_example_profile()), ON)
    common_law = crs_score(replace(married(worked_example_profile()), marital_status=MaritalStatus.COMMON_LAW), ON)
    assert common_law.total == married_.total


def test_crs_spouse_factors_score_education_first_language_and_canadian_work() -> None:
    profile = married(
        worked_example_profile(),
        education=(credential(EducationLevel.MASTER),),
        language_tests=(clb(9),),
        work_history=(job("CA", 5),),
    )
    result = crs_score(profile, ON)
    assert (
        points(result, "spouse_education"),
        points(result, "spouse_language"),
        points(result, "spouse_canadian_work"),
    ) == (10, 20, 10)


def test_crs_spouse_whose_accompanying_is_unknown_is_scored_with_spouse_and_reported_missing() -> None:
    result = crs_score(married(worked_example_profile(), accompanying=None), ON)
    assert points(result, "age") == 100
    assert "partner.accompanying" in result.missing


# --- caps -------------------------------------------------------------------------------------------


def _strong_profile() -> Profile:
    return make_profile(
        education=(credential(EducationLevel.MASTER),),
        language_tests=(clb(9),),
        work_history=(job("CA", 2), job("IN", 3, ending=years_before(2))),
        canada=CanadaAnswers(authorised_to_work=True, certificate_of_qualification=True),
    )


def test_crs_education_combinations_are_capped_at_50() -> None:
    result = crs_score(_strong_profile(), ON)
    assert points(result, "transferability_education") == 50
    assert factor(result, "transferability_education").explanation.endswith(
        "gives 50 and with 2 years of Canadian work 50: 50 points (max 50)."
    )


def test_crs_skill_transferability_is_capped_at_100() -> None:
    result = crs_score(_strong_profile(), ON)
    assert sum(points(result, key) for key in TRANSFERABILITY) == 100
    certificate = factor(result, "transferability_certificate")
    assert certificate.points == 0
    assert "capped at 100" in certificate.explanation
    assert result.total == 110 + 135 + 124 + 53 + 100


def test_crs_certificate_of_qualification_with_clb_5_band_earns_25() -> None:
    profile = make_profile(
        language_tests=(clb(5, 6, 6, 6),), work_history=(), canada=CanadaAnswers(certificate_of_qualification=True)
    )
    assert points(crs_score(profile, ON), "transferability_certificate") == 25


@pytest.mark.parametrize(("spouse", "cap"), [(False, 24), (True, 22)])
def test_crs_second_language_is_capped_at_24_or_22_with_spouse(spouse: bool, cap: int) -> None:
    profile = make_profile(
        language_tests=(clb(10), nclc(9)),
        canada=CanadaAnswers(first_official_language=Language.ENGLISH, certificate_of_qualification=False),
    )
    if spouse:
        profile = married(profile)
    second = factor(crs_score(profile, ON), "second_language")
    assert (second.points, second.maximum) == (cap, cap)


def test_crs_additional_points_are_capped_at_600() -> None:
    profile = make_profile(
        education=(credential(EducationLevel.MASTER, "CA"),),
        language_tests=(clb(9), nclc(9)),
        nominations=(Nomination("CA", NominationKind.PROVINCIAL_EXPRESS_ENTRY),),
        relatives=(Relative(Relationship.SIBLING, "CA", citizen_or_pr=True, adult=True),),
    )
    result = crs_score(profile, ON)
    assert [points(result, key) for key in ADDITIONAL] == [600, 0, 0, 0, 0]
    assert "capped at 600" in factor(result, "canadian_study").explanation


# --- additional points ------------------------------------------------------------------------------


def test_crs_base_pnp_nomination_earns_nothing() -> None:
    profile = make_profile(nominations=(Nomination("CA", NominationKind.PROVINCIAL_BASE),))
    assert points(crs_score(profile, ON), "provincial_nomination") == 0


@pytest.mark.parametrize(
    ("level", "study"),
    [
        (EducationLevel.ONE_YEAR, 15),
        (EducationLevel.TWO_YEAR, 15),
        (EducationLevel.BACHELOR, 30),
        (EducationLevel.MASTER, 30),
        (EducationLevel.DOCTORAL, 30),
    ],
)
def test_crs_canadian_post_secondary_study(level: EducationLevel, study: int) -> None:
    profile = make_profile(education=(credential(level, "CA", eca=None),))
    result = crs_score(profile, ON)
    assert points(result, "canadian_study") == study
    assert result.missing == ()


def test_crs_french_nclc7_without_english_earns_25() -> None:
    result = crs_score(make_profile(language_tests=(nclc(7),)), ON)
    assert points(result, "french_bonus") == 25


def test_crs_french_nclc7_with_english_clb4_or_lower_earns_25() -> None:
    result = crs_score(make_profile(language_tests=(nclc(7), clb(4))), ON)
    assert points(result, "french_bonus") == 25


def test_crs_french_nclc7_with_english_clb5_in_all_four_earns_50() -> None:
    result = crs_score(make_profile(language_tests=(nclc(7), clb(5))), ON)
    assert points(result, "french_bonus") == 50


def test_crs_french_nclc6_in_one_ability_earns_no_french_points() -> None:
    result = crs_score(make_profile(language_tests=(nclc(7, 7, 7, 6), clb(9))), ON)
    assert points(result, "french_bonus") == 0


def test_crs_french_bonus_with_mixed_english_is_unresolved_not_guessed() -> None:
    result = crs_score(make_profile(language_tests=(nclc(8), clb(6, 6, 6, 4))), ON)
    assert points(result, "french_bonus") == 0
    assert UNRESOLVED_FRENCH_BONUS in result.missing
    assert "unresolved" in factor(result, "french_bonus").explanation


@pytest.mark.parametrize(
    "relative",
    [
        Relative(Relationship.SIBLING, "CA", citizen_or_pr=True, adult=True),
        Relative(Relationship.SIBLING, "CA", citizen_or_pr=True, adult=True, of_partner=True),
    ],
    ids=["own_sibling", "spouse_sibling"],
)
def test_crs_adult_citizen_or_pr_sibling_in_canada_earns_15(relative: Relative) -> None:
    assert points(crs_score(make_profile(relatives=(relative,)), ON), "sibling_in_canada") == 15


@pytest.mark.parametrize(
    "relative",
    [
        Relative(Relationship.SIBLING, "CA", citizen_or_pr=True, adult=False),
        Relative(Relationship.SIBLING, "CA", citizen_or_pr=False, adult=True),
        Relative(Relationship.SIBLING, "US", citizen_or_pr=True, adult=True),
        Relative(Relationship.AUNT_UNCLE, "CA", citizen_or_pr=True, adult=True),
    ],
    ids=["minor", "not_pr", "lives_abroad", "not_a_sibling"],
)
def test_crs_other_relatives_earn_no_sibling_points(relative: Relative) -> None:
    assert points(crs_score(make_profile(relatives=(relative,)), ON), "sibling_in_canada") == 0


# --- versions: arranged employment ------------------------------------------------------------------


def _ca_offer(**facts: Any) -> JobOffer:
    base = {
        "full_time": True,
        "non_seasonal": True,
        "at_least_one_year": True,
        "lmia": Lmia.SUPPORTED,
        "teer": 1,
        "occupation_code": "21231",
    }
    return offer("CA", **{**base, **facts})


@pytest.mark.parametrize(
    ("job_offer", "on", "expected"),
    [
        (_ca_offer(), date(2025, 3, 24), 50),
        (_ca_offer(teer=0, occupation_code="00012"), date(2025, 3, 24), 200),
        (_ca_offer(lmia=Lmia.EXEMPT), date(2025, 3, 24), 50),
        (_ca_offer(lmia=Lmia.NONE), date(2025, 3, 24), 0),
        (_ca_offer(teer=0, occupation_code="00012"), date(2025, 3, 25), 0),
        (_ca_offer(), ON, 0),
    ],
    ids=[
        "teer1_before",
        "major_group_00_before",
        "lmia_exempt_before",
        "no_lmia_before",
        "00_from_2025_03_25",
        "teer1_now",
    ],
)
def test_crs_job_offer_points_follow_the_version_in_force(job_offer: JobOffer, on: date, expected: int) -> None:
    profile = make_profile(job_offers=(job_offer,))
    result = crs_score(profile, on)
    assert points(result, "arranged_employment") == expected
    assert result.version == (date(2025, 3, 25) if on >= date(2025, 3, 25) else date(2022, 11, 16))


def test_crs_has_no_rules_before_the_oldest_version_held() -> None:
    with pytest.raises(NoRulesInForce):
        crs_score(make_profile(), date(2022, 11, 15))


# --- work experience --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("entries", "years_points"),
    [
        ((job("CA", 1),), 40),
        ((job("CA", 2, hours=15),), 40),
        ((job("CA", 2, hours=60),), 53),
        ((job("CA", 1, hours=20), job("CA", 1, hours=20)), 40),
        ((job("CA", 3, self_employed=True),), 0),
        ((job("CA", 3, while_full_time_student=True),), 0),
        ((job("CA", 3, teer=4),), 0),
        ((job("CA", 3, authorised=False),), 0),
        ((job("CA", 6, ending=years_before(9)),), 40),
        ((job("CA", 0.9),), 0),
    ],
    ids=[
        "one_year",
        "part_time_two_years_is_one",
        "overtime_does_not_count_extra",
        "two_part_time_jobs_at_once",
        "self_employed",
        "while_student",
        "teer_4",
        "unauthorised",
        "only_last_10_years",
        "under_a_year",
    ],
)
def test_crs_canadian_work_counts_full_time_equivalent_skilled_years(
    entries: tuple[WorkEntry, ...], years_points: int
) -> None:
    assert points(crs_score(make_profile(work_history=entries), ON), "canadian_work") == years_points


def test_crs_exactly_1560_hours_is_one_year() -> None:
    entry = replace(job("CA", 1), start=date(2025, 6, 2), end=ON)  # 364 days at 30 h/week = 1,560 h
    assert points(crs_score(make_profile(work_history=(entry,)), ON), "canadian_work") == 40


# --- language results -------------------------------------------------------------------------------


def test_crs_result_older_than_two_years_is_not_used() -> None:
    expired = crs_score(make_profile(language_tests=(ielts(8, 7, 7, 7, test_date=date(2024, 6, 1)),)), ON)
    valid = crs_score(make_profile(language_tests=(ielts(8, 7, 7, 7, test_date=date(2024, 6, 2)),)), ON)
    assert points(expired, "first_language") == 0
    assert "expired" in factor(expired, "first_language").explanation
    assert points(valid, "first_language") == 124


def test_crs_ielts_academic_is_not_accepted() -> None:
    result = crs_score(make_profile(language_tests=(ielts(9, 9, 9, 9, academic=True),)), ON)
    assert points(result, "first_language") == 0
    assert "IELTS Academic is not accepted" in factor(result, "first_language").explanation


def test_crs_picks_the_better_first_language_when_none_is_declared() -> None:
    result = crs_score(make_profile(language_tests=(clb(5), nclc(10))), ON)
    assert points(result, "first_language") == 136
    assert points(result, "second_language") == 4
    assert points(result, "french_bonus") == 50


def test_crs_respects_a_declared_first_language() -> None:
    profile = make_profile(
        language_tests=(clb(5), nclc(10)),
        canada=CanadaAnswers(first_official_language=Language.ENGLISH, certificate_of_qualification=False),
    )
    result = crs_score(profile, ON)
    assert (points(result, "first_language"), points(result, "second_language")) == (24, 24)


def test_crs_tef_result_is_read_with_the_table_of_its_test_date() -> None:
    old = scores(LanguageTest.TEF_CANADA, 546, 546, 520, 556, test_date=date(2025, 3, 1))
    assert points(crs_score(make_profile(language_tests=(old,)), ON), "first_language") == 34 * 3 + 31


# --- education and missing facts --------------------------------------------------------------------


def test_crs_foreign_credential_without_eca_is_not_counted() -> None:
    result = crs_score(make_profile(education=(credential(eca=False),)), ON)
    assert points(result, "education") == 0


def test_crs_foreign_credential_with_unknown_eca_is_reported_missing() -> None:
    result = crs_score(make_profile(education=(credential(eca=None),)), ON)
    assert points(result, "education") == 0
    assert "education[0].eca" in result.missing


def test_crs_two_credentials_one_of_three_years_count_as_two_or_more() -> None:
    profile = make_profile(education=(credential(EducationLevel.BACHELOR), credential(EducationLevel.ONE_YEAR)))
    assert points(crs_score(profile, ON), "education") == 128


def test_crs_unanswered_facts_score_0_and_are_listed() -> None:
    profile = replace(
        make_profile(),
        age=None,
        education=None,
        language_tests=None,
        work_history=None,
        nominations=None,
        relatives=None,
        marital_status=None,
    )
    result = crs_score(profile, ON)
    assert result.total == 0
    assert set(result.missing) >= {
        "age",
        "education",
        "language_tests",
        "work_history",
        "nominations",
        "relatives",
        "marital_status",
    }


def test_crs_age_points_change_on_the_birthday() -> None:
    day_before = crs_score(replace(make_profile(), age=None, birth_date=date(1996, 6, 2)), ON)
    birthday = crs_score(replace(make_profile(), age=None, birth_date=date(1996, 6, 1)), ON)
    assert (points(day_before, "age"), points(birthday, "age")) == (110, 105)


def test_crs_teer_0_offer_without_its_noc_code_is_reported_missing_before_2025_03_25() -> None:
    profile = make_profile(job_offers=(_ca_offer(teer=0, occupation_code=None),))
    result = crs_score(profile, date(2025, 3, 24))
    assert points(result, "arranged_employment") == 50
    assert "job_offers[0].occupation_code" in result.missing
