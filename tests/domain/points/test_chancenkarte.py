"""Germany's Opportunity Card, in force since 2024-06-01: route 1, route 2 prerequisites and every points row
of the Residence Act's Annex (§20a, §20b): https://www.gesetze-im-internet.de/aufenthg_2004/
"""

from dataclasses import replace
from datetime import date
from typing import Any

import pytest

from domain.language.model import CefrLevel, Language, LanguageTestResult
from domain.points import chancenkarte
from domain.points.chancenkarte import chancenkarte_score
from domain.profile import (
    EducationLevel,
    GermanRecognition,
    GermanyAnswers,
    MaritalStatus,
    Money,
    Profile,
    Stay,
    StayPurpose,
)
from tests.builders.profiles import ON, cefr, credential, ielts, job, make_profile, years_before
from tests.builders.results import by_key, points, requirement

ENGLISH_B2 = cefr(CefrLevel.B2, Language.ENGLISH)


def _germany(**facts: Any) -> GermanyAnswers:
    answered: dict[str, Any] = {
        "recognition": GermanRecognition.NONE,
        "shortage_occupation_qualification": False,
        "chamber_abroad_qualification": False,
        "stays": (),
        "partner_qualifies_and_applies": False,
        "living_costs_secured_otherwise": False,
        "english_native": False,
    }
    return GermanyAnswers(**{**answered, **facts})


def _profile(*tests: LanguageTestResult, **overrides: Any) -> Profile:
    base = make_profile(funds=Money(13_092, "EUR"), language_tests=tests or (ENGLISH_B2,), germany=_germany())
    return replace(base, **overrides)


def test_de_route_2_default_profile_scores_4_and_misses_the_6_point_minimum() -> None:
    result = chancenkarte_score(_profile(), ON)
    assert by_key(result) == {
        "partial_recognition": 0,
        "shortage_occupation": 0,
        "work_experience": 2,
        "german": 0,
        "english": 0,
        "age": 2,
        "stay_in_germany": 0,
        "partner": 0,
    }
    assert (result.total, result.pass_mark, result.passed, result.missing) == (4, 6, False, ())
    assert result.maximum == 16


def test_de_route_2_with_6_points_and_all_prerequisites_passes() -> None:
    profile = _profile(
        ENGLISH_B2, cefr(CefrLevel.A2, Language.GERMAN), germany=_germany(shortage_occupation_qualification=True)
    )
    result = chancenkarte_score(profile, ON)
    assert (result.total, result.passed) == (6, True)


def test_de_route_1_fully_recognised_qualification_needs_no_points_or_language() -> None:
    profile = _profile(cefr(CefrLevel.A1, Language.ENGLISH), germany=_germany(recognition=GermanRecognition.FULL))
    result = chancenkarte_score(profile, ON)
    assert (result.passed, result.pass_mark) == (True, None)
    assert requirement(result, "route_1_skilled_worker").met is True


def test_de_route_1_german_qualification_still_needs_secured_living_costs() -> None:
    profile = _profile(education=(credential(EducationLevel.TWO_YEAR, "DE"),), funds=Money(13_091, "EUR"))
    result = chancenkarte_score(profile, ON)
    assert requirement(result, "living_costs").met is False
    assert result.passed is False


def test_de_living_costs_are_1091_a_month_for_12_months() -> None:
    assert chancenkarte.LIVING_COSTS[0].per_month * chancenkarte.CARD_MONTHS == 13_092
    secured = _profile(funds=Money(0, "EUR"), germany=_germany(living_costs_secured_otherwise=True))
    assert requirement(chancenkarte_score(secured, ON), "living_costs").met is True


@pytest.mark.parametrize(
    ("tests", "met"),
    [
        ((cefr(CefrLevel.A1, Language.GERMAN),), True),
        ((cefr(CefrLevel.B2, Language.ENGLISH),), True),
        ((cefr(CefrLevel.B1, Language.ENGLISH),), False),
    ],
)
def test_de_route_2_needs_german_a1_or_english_b2(tests: tuple[LanguageTestResult, ...], met: bool) -> None:
    assert requirement(chancenkarte_score(_profile(*tests), ON), "language").met is met


@pytest.mark.parametrize(
    ("education", "met"),
    [
        ((credential(EducationLevel.BACHELOR),), True),
        ((credential(EducationLevel.TWO_YEAR, vocational=True, duration_years=2),), True),
        ((credential(EducationLevel.TWO_YEAR, vocational=True, duration_years=2, state_recognised=False),), False),
        ((credential(EducationLevel.ONE_YEAR, vocational=True, duration_years=1),), False),
        ((credential(EducationLevel.SECONDARY),), False),
    ],
    ids=["degree", "vocational_2_years", "not_state_recognised", "vocational_1_year", "secondary"],
)
def test_de_route_2_qualification_prerequisite(education: tuple[Any, ...], met: bool) -> None:
    assert requirement(chancenkarte_score(_profile(education=education), ON), "qualification").met is met


def test_de_partial_recognition_earns_4() -> None:
    profile = _profile(germany=_germany(recognition=GermanRecognition.PARTIAL))
    assert points(chancenkarte_score(profile, ON), "partial_recognition") == 4


def test_de_shortage_occupation_qualification_earns_1() -> None:
    profile = _profile(germany=_germany(shortage_occupation_qualification=True))
    assert points(chancenkarte_score(profile, ON), "shortage_occupation") == 1


@pytest.mark.parametrize(
    ("entries", "expected"),
    [
        ((job("IN", 5),), 3),
        ((job("IN", 5, ending=years_before(2)),), 3),
        ((job("IN", 4.9),), 2),
        ((job("IN", 2),), 2),
        ((job("IN", 1.9),), 0),
        ((job("IN", 3, ending=years_before(3.5)),), 0),
        ((job("IN", 6, relevant=False),), 0),
    ],
    ids=["5_of_last_7", "5_ending_2_years_ago", "under_5", "2_of_last_5", "under_2", "outside_last_5", "not_relevant"],
)
def test_de_work_experience_row(entries: tuple[Any, ...], expected: int) -> None:
    assert points(chancenkarte_score(_profile(work_history=entries), ON), "work_experience") == expected


@pytest.mark.parametrize(
    ("level", "expected"),
    [(CefrLevel.A1, 0), (CefrLevel.A2, 1), (CefrLevel.B1, 2), (CefrLevel.B2, 3), (CefrLevel.C1, 3), (CefrLevel.C2, 3)],
)
def test_de_german_row(level: CefrLevel, expected: int) -> None:
    assert chancenkarte.german_points(level) == expected
    assert points(chancenkarte_score(_profile(cefr(level, Language.GERMAN)), ON), "german") == expected


@pytest.mark.parametrize(("level", "expected"), [(CefrLevel.B2, 0), (CefrLevel.C1, 1), (CefrLevel.C2, 1)])
def test_de_english_row(level: CefrLevel, expected: int) -> None:
    assert points(chancenkarte_score(_profile(cefr(level, Language.ENGLISH)), ON), "english") == expected


def test_de_native_english_earns_the_english_point() -> None:
    profile = _profile(germany=_germany(english_native=True))
    assert points(chancenkarte_score(profile, ON), "english") == 1


@pytest.mark.parametrize(("age", "expected"), [(18, 2), (34, 2), (35, 1), (39, 1), (40, 0), (41, 0)])
def test_de_age_row_where_40_earns_nothing_per_the_statute(age: int, expected: int) -> None:
    assert chancenkarte.age_points(age) == expected
    assert points(chancenkarte_score(_profile(age=age), ON), "age") == expected


@pytest.mark.parametrize(
    ("stay", "expected"),
    [
        (Stay(date(2024, 1, 1), date(2024, 7, 1), StayPurpose.STUDY), 1),
        (Stay(date(2024, 1, 1), date(2024, 6, 30), StayPurpose.WORK), 0),
        (Stay(date(2024, 1, 1), date(2024, 9, 1), StayPurpose.TOURISM), 0),
        (Stay(date(2020, 1, 1), date(2021, 5, 1), StayPurpose.WORK), 0),
        (Stay(date(2020, 12, 1), date(2021, 12, 1), StayPurpose.WORK), 1),
    ],
    ids=["six_months_study", "under_six_months", "tourist", "before_last_5_years", "straddles_the_window"],
)
def test_de_earlier_stay_row(stay: Stay, expected: int) -> None:
    profile = _profile(germany=_germany(stays=(stay,)))
    assert points(chancenkarte_score(profile, ON), "stay_in_germany") == expected


def test_de_partner_who_qualifies_and_applies_earns_1() -> None:
    profile = _profile(marital_status=MaritalStatus.MARRIED, germany=_germany(partner_qualifies_and_applies=True))
    assert points(chancenkarte_score(profile, ON), "partner") == 1


def test_de_every_item_at_once_reaches_the_16_point_maximum() -> None:
    profile = _profile(
        cefr(CefrLevel.C1, Language.GERMAN),
        cefr(CefrLevel.C1, Language.ENGLISH),
        marital_status=MaritalStatus.MARRIED,
        work_history=(job("IN", 6),),
        germany=_germany(
            recognition=GermanRecognition.PARTIAL,
            shortage_occupation_qualification=True,
            stays=(Stay(date(2023, 1, 1), date(2024, 1, 1), StayPurpose.STUDY),),
            partner_qualifies_and_applies=True,
        ),
    )
    result = chancenkarte_score(profile, ON)
    assert result.total == result.maximum == 16


def test_de_language_without_a_stated_cefr_level_is_reported_missing() -> None:
    result = chancenkarte_score(_profile(ielts(8, 8, 8, 8)), ON)
    assert "language_tests[0].cefr_level" in result.missing
