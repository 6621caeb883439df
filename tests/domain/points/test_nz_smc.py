"""New Zealand Skilled Migrant Category, 6-point system in force since 2023-10-09: every skill-category row, NZ
work and the baseline requirements:
https://www.immigration.govt.nz/new-zealand-visas/visas/visa/skilled-migrant-category-resident-visa
"""

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from domain.points import nz_smc
from domain.points.nz_smc import nz_smc_score
from domain.points.periods import add_months
from domain.profile import Credential, EducationLevel, JobOffer, NewZealandAnswers, PayPeriod, Profile
from domain.profile import NzQualificationType as NzType
from tests.builders.profiles import ON, credential, ielts, job, make_profile, offer, years_before
from tests.builders.results import factor, points, requirement

E = EducationLevel


def _nz_offer(hourly: float = 50.0, **facts: Any) -> JobOffer:
    base: dict[str, Any] = {
        "salary": hourly,
        "currency": "NZD",
        "salary_period": PayPeriod.HOUR,
        "hours_per_week": 40,
        "sponsor_licensed": True,
        "anzsco_skill_level": 1,
    }
    return offer("NZ", **{**base, **facts})


def _profile(**overrides: Any) -> Profile:
    base = make_profile(
        education=(credential(E.MASTER, "NZ"),),
        language_tests=(ielts(7, 6.5, 6.5, 6.5),),
        job_offers=(_nz_offer(),),
        work_history=(job("NZ", 1),),
    )
    return replace(base, **overrides)


@pytest.mark.parametrize(("years", "expected"), [(6, 6), (5, 5), (4, 4), (3, 3), (2, 3), (1.5, 0)])
def test_nz_registration_row(years: float, expected: int) -> None:
    assert nz_smc.registration_points(years) == expected


@pytest.mark.parametrize(
    ("level", "type_match", "expected"),
    [
        (10, True, 6),
        (9, True, 5),
        (8, True, 4),
        (7, True, 3),
        (10, False, 5),
        (9, False, 4),
        (8, False, 3),
        (7, False, 0),
        (6, True, 0),
    ],
)
def test_nz_qualification_rows(level: int, type_match: bool, expected: int) -> None:
    assert nz_smc.qualification_points(level, type_match=type_match) == expected


@pytest.mark.parametrize(("multiple", "expected"), [(3, 6), (2.99, 4), (2, 4), (1.99, 3), (1.5, 3), (1.49, 0)])
def test_nz_income_row(multiple: float, expected: int) -> None:
    assert nz_smc.income_points(multiple) == expected


def test_nz_master_plus_one_year_in_nz_reaches_6_and_passes() -> None:
    result = nz_smc_score(_profile(), ON)
    assert (points(result, "skill_category"), points(result, "nz_work_experience")) == (5, 1)
    assert (result.total, result.pass_mark, result.passed, result.missing) == (6, 6, True, ())
    assert (result.maximum, result.version) == (9, date(2023, 10, 9))


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (credential(E.DOCTORAL, "NZ"), 6),
        (credential(E.MASTER, "NZ"), 5),
        (credential(E.BACHELOR, "NZ"), 3),
        (credential(E.MASTER, "NZ", nzqf_level=8, nzqf_type=NzType.BACHELOR_HONOURS), 4),
        (credential(E.MASTER, "NZ", nzqf_level=8, nzqf_type=NzType.POSTGRADUATE_DIPLOMA), 4),
        (credential(E.MASTER, "NZ", nzqf_level=8, nzqf_type=NzType.POSTGRADUATE_CERTIFICATE), 3),
        (credential(E.MASTER, "IN", nzqf_level=8, nzqf_type_match=True, nzqf_type=NzType.POSTGRADUATE_CERTIFICATE), 3),
        (credential(E.MASTER, "IN", nzqf_level=8, nzqf_type_match=False, nzqf_type=NzType.LEVEL_ONLY), 3),
        (credential(E.MASTER, "IN", nzqf_level=9, nzqf_type_match=True), 5),
        (credential(E.MASTER, "IN", nzqf_level=9, nzqf_type_match=False), 4),
    ],
    ids=[
        "nz_doctorate",
        "nz_masters",
        "nz_bachelors",
        "nz_honours_level_8",
        "nz_postgraduate_diploma_level_8",
        "nz_postgraduate_certificate_level_8",
        "overseas_postgraduate_certificate_level_8",
        "overseas_level_8_only",
        "overseas_type_match",
        "overseas_level_only",
    ],
)
def test_nz_qualification_category_from_credentials(entry: Credential, expected: int) -> None:
    profile = _profile(education=(entry,), job_offers=(_nz_offer(hourly=32),))
    assert points(nz_smc_score(profile, ON), "skill_category") == expected


def test_nz_overseas_degree_without_an_nzqa_assessment_is_reported_missing() -> None:
    result = nz_smc_score(_profile(education=(credential(E.MASTER, "IN"),), job_offers=(_nz_offer(hourly=32),)), ON)
    assert "education[0].nzqf_level" in result.missing


@pytest.mark.parametrize(("hourly", "expected"), [(94.83, 6), (94.82, 4), (63.22, 4), (47.41, 3), (47.40, 0)])
def test_nz_income_category_uses_the_rates_sr3_25_1_states(hourly: float, expected: int) -> None:
    """SR3.25.1 (opsmanual 80474, read 2026-12-06): 1.5× the median is "$47.41 per hour", not 1.5 × 31.61 = 47.415."""
    profile = _profile(education=(), job_offers=(_nz_offer(hourly=hourly),))
    assert points(nz_smc_score(profile, ON), "skill_category") == expected


def test_nz_only_one_skill_category_counts() -> None:
    facts = NewZealandAnswers(occupational_registration=True, registration_training_years=6)
    result = nz_smc_score(_profile(new_zealand=facts, job_offers=(_nz_offer(hourly=100),)), ON)
    skill = factor(result, "skill_category")
    assert skill.points == 6
    assert "only the best category counts" in skill.explanation


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ((), 0),
        ((job("NZ", 1),), 1),
        ((job("NZ", 2.5),), 2),
        ((job("NZ", 3),), 3),
        ((job("NZ", 5),), 3),
        ((job("NZ", 2, paid_at_required_rate=False),), 0),
        ((job("NZ", 2, hours=29),), 0),
        ((job("AU", 3),), 0),
    ],
    ids=[
        "none",
        "one_year",
        "part_years_round_down",
        "three_years",
        "capped_at_3",
        "below_required_pay",
        "part_time",
        "not_in_nz",
    ],
)
def test_nz_skilled_work_in_the_windows_ending_today(entries: tuple[Any, ...], expected: int) -> None:
    assert points(nz_smc_score(_profile(work_history=entries), ON), "nz_work_experience") == expected


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ((job("NZ", 1, ending=years_before(1)),), 1),  # months 24–12 before: 12 of the last 24
        ((job("NZ", 1, ending=add_months(ON, -13)),), 0),  # months 25–13 before: 11 of the last 24
        ((job("NZ", 2, ending=years_before(1)),), 2),  # months 36–12 before: 24 of 48, 24 of 60
        ((job("NZ", 3, ending=years_before(2)),), 3),  # months 60–24 before: 36 of the last 60
        ((job("NZ", 3, ending=years_before(2.5)),), 0),  # months 66–30 before: 30 of 60, 18 of 48, 0 of 24
        ((job("NZ", 1, ending=years_before(3)), job("NZ", 2)), 3),  # not consecutive: 12 + 24 of the last 60
        ((job("NZ", 0.5), job("NZ", 0.5, ending=years_before(1))), 1),  # two halves within 24 months
        ((job("NZ", 0.5), job("NZ", 0.5, ending=years_before(2))), 0),  # the older half is outside the 24
    ],
    ids=[
        "12_months_ending_a_year_ago",
        "12_months_ending_13_months_ago",
        "24_months_ending_a_year_ago",
        "36_months_ending_two_years_ago",
        "36_old_months_score_nothing",
        "gap_between_periods",
        "two_halves_within_24",
        "halves_spread_over_30",
    ],
)
def test_nz_work_counts_only_inside_sr3_35_windows(entries: tuple[Any, ...], expected: int) -> None:
    assert points(nz_smc_score(_profile(work_history=entries), ON), "nz_work_experience") == expected


def test_with_registration_points_only_nz_work_after_the_registration_counts() -> None:
    registered = NewZealandAnswers(
        occupational_registration=True, registration_training_years=6, registered_on=years_before(1)
    )
    profile = _profile(
        new_zealand=registered, education=(), job_offers=(_nz_offer(hourly=32),), work_history=(job("NZ", 3),)
    )
    result = nz_smc_score(profile, ON)
    assert (points(result, "skill_category"), points(result, "nz_work_experience")) == (6, 1)
    assert "after the registration of" in factor(result, "nz_work_experience").explanation


def test_the_category_is_chosen_for_the_best_total_when_registration_would_cut_the_experience() -> None:
    registered = NewZealandAnswers(
        occupational_registration=True, registration_training_years=4, registered_on=years_before(0.5)
    )
    profile = _profile(
        new_zealand=registered,
        education=(credential(E.DOCTORAL, "NZ"),),
        job_offers=(_nz_offer(hourly=32),),
        work_history=(job("NZ", 3),),
    )
    result = nz_smc_score(profile, ON)
    assert (points(result, "skill_category"), points(result, "nz_work_experience"), result.total) == (6, 3, 9)


def test_registration_without_its_date_asks_for_it() -> None:
    facts = NewZealandAnswers(occupational_registration=True, registration_training_years=6)
    result = nz_smc_score(_profile(new_zealand=facts, education=(), job_offers=(_nz_offer(hourly=32),)), ON)
    assert "new_zealand.registered_on" in result.missing


def test_nz_over_55_fails_the_age_requirement() -> None:
    assert requirement(nz_smc_score(_profile(age=55), ON), "age").met is True
    assert nz_smc_score(_profile(age=56), ON).passed is False


def test_nz_english_needs_ielts_6_5_overall() -> None:
    assert requirement(nz_smc_score(_profile(language_tests=(ielts(6.5, 6.5, 6.0, 6.0),)), ON), "english").met is True
    weak = nz_smc_score(_profile(language_tests=(ielts(6.5, 6.0, 6.0, 6.0),)), ON)
    assert requirement(weak, "english").met is False


@pytest.mark.parametrize(
    ("job_offer", "met"),
    [
        (_nz_offer(hourly=31.61), True),
        (_nz_offer(hourly=31.60), False),
        (_nz_offer(hourly=47.41, anzsco_skill_level=4), True),
        (_nz_offer(hourly=40, anzsco_skill_level=4), False),
        (_nz_offer(sponsor_licensed=False), False),
        (_nz_offer(hours_per_week=29), False),
    ],
    ids=[
        "anzsco_1_at_median",
        "below_median",
        "anzsco_4_at_1_5x",
        "anzsco_4_below_1_5x",
        "not_accredited",
        "part_time",
    ],
)
def test_nz_job_requirement(job_offer: JobOffer, met: bool) -> None:
    assert requirement(nz_smc_score(_profile(job_offers=(job_offer,)), ON), "job").met is met


def test_nz_announced_august_2026_changes_are_flagged_not_applied() -> None:
    assert "unresolved:nz.august_2026_changes" not in nz_smc_score(_profile(), ON).missing
    later = nz_smc_score(_profile(), date(2026, 8, 1))
    assert "unresolved:nz.august_2026_changes" in later.missing
    assert later.passed is True  # a verdict on the rules held; the flag tells the client to check the change
