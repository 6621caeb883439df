"""UK Skilled Worker: the 50 mandatory points and the tradeable options A–F (salary rules as of 2025-07-22,
English as of 2026-01-08): https://www.gov.uk/skilled-worker-visa
"""

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from domain.language.model import CefrLevel, Language
from domain.points import NoRulesInForce
from domain.points.uk_skilled_worker import uk_skilled_worker_score
from domain.profile import EducationLevel, JobOffer, Profile, UkAnswers
from tests.builders.profiles import ON, cefr, credential, make_profile, offer
from tests.builders.results import by_key, factor, points


def _gb_offer(salary: float = 41_700, going_rate: float = 41_700, **facts: Any) -> JobOffer:
    base: dict[str, Any] = {
        "salary": salary,
        "currency": "GBP",
        "hours_per_week": 37.5,
        "sponsor_licensed": True,
        "rqf_level": 6,
        "going_rate": going_rate,
        "on_immigration_salary_list": False,
        "on_temporary_shortage_list": False,
    }
    return offer("GB", **{**base, **facts})


def _uk(**facts: Any) -> UkAnswers:
    answered: dict[str, Any] = {
        "phd_relevant_to_job": False,
        "new_entrant": False,
        "on_route_before_2025_07_22": False,
        "last_grant_required_b1": False,
        "degree_taught_in_english": False,
        "majority_english_speaking_nationality": False,
    }
    return UkAnswers(**{**answered, **facts})


def _profile(job_offer: JobOffer | None = None, **overrides: Any) -> Profile:
    base = make_profile(
        job_offers=(job_offer or _gb_offer(),), language_tests=(cefr(CefrLevel.B2, Language.ENGLISH),), uk=_uk()
    )
    return replace(base, **overrides)


def test_uk_sponsored_degree_level_job_at_41700_with_b2_scores_70_and_passes() -> None:
    result = uk_skilled_worker_score(_profile(), ON)
    assert by_key(result) == {"sponsor": 20, "skill_level": 20, "english": 10, "salary": 20}
    assert (result.total, result.maximum, result.pass_mark, result.passed, result.missing) == (70, 70, 70, True, ())
    assert result.version == date(2026, 1, 8)


def test_uk_unlicensed_sponsor_loses_the_mandatory_20_and_fails() -> None:
    result = uk_skilled_worker_score(_profile(_gb_offer(sponsor_licensed=False)), ON)
    assert (points(result, "sponsor"), result.total, result.passed) == (0, 50, False)


@pytest.mark.parametrize(
    ("facts", "on", "expected"),
    [
        ({"rqf_level": 6}, ON, 20),
        ({"rqf_level": 7}, ON, 20),
        ({"rqf_level": 4}, ON, 0),
        ({"rqf_level": 4, "on_immigration_salary_list": True}, ON, 20),
        ({"rqf_level": 3, "on_temporary_shortage_list": True}, ON, 20),
        ({"rqf_level": 3, "on_temporary_shortage_list": True}, date(2027, 1, 1), 0),
        ({"rqf_level": 2, "on_immigration_salary_list": True}, ON, 0),
    ],
    ids=["rqf6", "rqf7", "rqf4_unlisted", "rqf4_isl", "rqf3_tsl", "rqf3_tsl_after_2026", "rqf2"],
)
def test_uk_skill_level_row(facts: dict[str, Any], on: date, expected: int) -> None:
    assert points(uk_skilled_worker_score(_profile(_gb_offer(**facts)), on), "skill_level") == expected


def test_uk_rqf_3_to_5_counts_for_people_on_the_route_before_2025_07_22() -> None:
    profile = _profile(_gb_offer(rqf_level=5), uk=_uk(on_route_before_2025_07_22=True))
    assert points(uk_skilled_worker_score(profile, ON), "skill_level") == 20


@pytest.mark.parametrize(
    ("level", "on", "expected"),
    [
        (CefrLevel.B1, date(2026, 1, 7), 10),
        (CefrLevel.B1, date(2026, 1, 8), 0),
        (CefrLevel.B2, date(2026, 1, 8), 10),
        (CefrLevel.A2, date(2025, 8, 1), 0),
    ],
)
def test_uk_english_is_b1_until_2026_01_07_and_b2_from_2026_01_08(level: CefrLevel, on: date, expected: int) -> None:
    profile = _profile(language_tests=(cefr(level, Language.ENGLISH),))
    assert points(uk_skilled_worker_score(profile, on), "english") == expected


def test_uk_b1_still_counts_when_the_last_grant_required_b1() -> None:
    profile = _profile(language_tests=(cefr(CefrLevel.B1, Language.ENGLISH),), uk=_uk(last_grant_required_b1=True))
    assert points(uk_skilled_worker_score(profile, ON), "english") == 10


@pytest.mark.parametrize("fact", ["degree_taught_in_english", "majority_english_speaking_nationality"])
def test_uk_english_met_by_degree_or_nationality(fact: str) -> None:
    profile = _profile(language_tests=(), uk=_uk(**{fact: True}))
    assert points(uk_skilled_worker_score(profile, ON), "english") == 10


PHD = credential(EducationLevel.DOCTORAL, field_stem=False)
STEM_PHD = credential(EducationLevel.DOCTORAL, field_stem=True)


@pytest.mark.parametrize(
    ("salary", "going_rate", "overrides", "expected"),
    [
        (41_700, 41_700, {}, 20),
        (41_699, 41_000, {}, 0),
        (45_000, 45_001, {}, 0),
        (37_500, 41_666, {"education": (PHD,), "uk": _uk(phd_relevant_to_job=True)}, 20),
        (37_499, 41_000, {"education": (PHD,), "uk": _uk(phd_relevant_to_job=True)}, 0),
        (37_500, 41_700, {"education": (PHD,), "uk": _uk(phd_relevant_to_job=False)}, 0),
        (33_400, 41_750, {"education": (STEM_PHD,), "uk": _uk(phd_relevant_to_job=True)}, 20),
        (33_400, 41_751, {"education": (STEM_PHD,), "uk": _uk(phd_relevant_to_job=True)}, 0),
        (33_400, 41_750, {"education": (PHD,), "uk": _uk(phd_relevant_to_job=True)}, 0),
        (33_400, 47_714, {"uk": _uk(new_entrant=True)}, 20),
        (33_399, 40_000, {"uk": _uk(new_entrant=True)}, 0),
        (33_400, 47_800, {"uk": _uk(new_entrant=True)}, 0),
    ],
    ids=[
        "A_at_floor",
        "A_below_floor",
        "A_below_going_rate",
        "B_at_90pc",
        "B_below_floor",
        "B_phd_not_relevant",
        "C_at_80pc",
        "C_below_80pc",
        "C_needs_stem",
        "E_at_70pc",
        "E_below_floor",
        "E_below_70pc",
    ],
)
def test_uk_tradeable_salary_options(
    salary: float, going_rate: float, overrides: dict[str, Any], expected: int
) -> None:
    profile = _profile(_gb_offer(salary, going_rate), **overrides)
    assert points(uk_skilled_worker_score(profile, ON), "salary") == expected


def test_uk_option_d_immigration_salary_list_job_at_rqf6_needs_33400_and_the_full_going_rate() -> None:
    listed = _gb_offer(33_400, 33_400, on_immigration_salary_list=True)
    assert points(uk_skilled_worker_score(_profile(listed), ON), "salary") == 20
    short = _gb_offer(33_400, 33_401, on_immigration_salary_list=True)
    assert points(uk_skilled_worker_score(_profile(short), ON), "salary") == 0


def test_uk_option_d_floor_for_rqf_3_to_5_is_unresolved() -> None:
    job = _gb_offer(30_000, 30_000, rqf_level=4, on_immigration_salary_list=True)
    result = uk_skilled_worker_score(_profile(job), ON)
    assert points(result, "salary") == 0
    assert "unresolved:uk.isl_floor_rqf_3_5" in result.missing
    assert result.passed is None


@pytest.mark.parametrize(("salary", "expected"), [(25_000, 20), (24_999, 0)])
def test_uk_option_f_national_pay_scale_needs_the_scale_rate_and_25000(salary: float, expected: int) -> None:
    job = _gb_offer(salary, 40_000, national_pay_scale_rate=24_000)
    assert points(uk_skilled_worker_score(_profile(job), ON), "salary") == expected


def test_uk_hourly_floor_of_17_13_applies_to_the_salary_options() -> None:
    long_hours = _gb_offer(41_700, 41_700, hours_per_week=48)  # £16.71 an hour
    result = uk_skilled_worker_score(_profile(long_hours), ON)
    assert points(result, "salary") == 0
    assert "meets none" in factor(result, "salary").explanation


def test_uk_no_offer_scores_only_what_the_person_brings() -> None:
    result = uk_skilled_worker_score(_profile(job_offers=()), ON)
    assert (result.total, result.passed) == (10, False)


def test_uk_has_no_rules_before_2025_07_22() -> None:
    with pytest.raises(NoRulesInForce):
        uk_skilled_worker_score(_profile(), date(2025, 7, 21))


def test_uk_missing_offer_facts_point_at_the_offer_used() -> None:
    other = offer("AU", salary=1)
    profile = _profile(job_offers=(other, replace(_gb_offer(), going_rate=None)))
    result = uk_skilled_worker_score(profile, ON)
    assert "job_offers[1].going_rate" in result.missing
    assert result.passed is None


@pytest.mark.parametrize(
    ("salary", "hours", "going_rate", "facts", "expected"),
    [
        (42_666, 40, 40_000, {}, 0),  # going rate for 40 h: 40,000 × 40 ÷ 37.5 = 42,666.67
        (42_667, 40, 40_000, {}, 20),
        (33_599, 30, 60_000, {"new_entrant": True}, 0),  # option E: 70% of 60,000 × 30 ÷ 37.5 = 33,600
        (33_600, 30, 60_000, {"new_entrant": True}, 20),
        (41_700, 37.5, 41_700, {}, 20),  # the table's own 37.5-hour week: no change
    ],
    ids=["40h_below_pro_rated", "40h_at_pro_rated", "30h_new_entrant_below", "30h_new_entrant_at", "37_5h"],
)
def test_uk_going_rate_is_pro_rated_to_the_jobs_weekly_hours(
    salary: float, hours: float, going_rate: float, facts: dict[str, Any], expected: int
) -> None:
    job = _gb_offer(salary, going_rate, hours_per_week=hours)
    assert points(uk_skilled_worker_score(_profile(job, uk=_uk(**facts)), ON), "salary") == expected


def test_uk_going_rate_needs_the_jobs_hours() -> None:
    result = uk_skilled_worker_score(_profile(_gb_offer(hours_per_week=None)), ON)
    assert points(result, "salary") == 0
    assert "job_offers[0].hours_per_week" in result.missing
