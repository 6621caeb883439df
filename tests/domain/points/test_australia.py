"""Australian points test for 189/190/491: every row of Schedule 6D as the reference gives it (§6)."""

from dataclasses import replace
from datetime import date

import pytest

from domain.language.model import LanguageTest
from domain.points import australia
from domain.points.australia import au_189_score, au_190_score, au_491_score, australia_score
from domain.profile import (
    AuRecognition,
    AustraliaAnswers,
    Credential,
    EducationLevel,
    Nomination,
    NominationKind,
    Profile,
    WorkEntry,
)
from tests.builders.profiles import ON, credential, ielts, job, make_profile, married, scores, years_before
from tests.builders.results import by_key, factor, points, requirement

E = EducationLevel


def _score(profile: Profile, subclass: str = "189") -> int:
    return australia_score(profile, ON, subclass).total


@pytest.mark.parametrize(
    ("age", "expected"),
    [(17, 0), (18, 25), (24, 25), (25, 30), (32, 30), (33, 25), (39, 25), (40, 15), (44, 15), (45, 0)],
)
def test_au_age_row(age: int, expected: int) -> None:
    assert australia.age_points(age) == expected


def test_au_45_or_older_at_invitation_is_not_eligible() -> None:
    result = au_189_score(make_profile(age=45), ON)
    assert requirement(result, "age").met is False
    assert result.passed is False


@pytest.mark.parametrize(("band", "expected"), [(6.0, 0), (6.5, 0), (7.0, 10), (7.5, 10), (8.0, 20), (9.0, 20)])
def test_au_english_row_from_ielts(band: float, expected: int) -> None:
    result = au_189_score(make_profile(language_tests=(ielts(band, band, band, band),)), ON)
    assert points(result, "english") == expected
    assert requirement(result, "english").met is True


def test_au_english_below_competent_fails_unless_the_passport_deems_it() -> None:
    weak = make_profile(language_tests=(ielts(5.5, 7, 7, 7),))
    assert requirement(au_189_score(weak, ON), "english").met is False
    deemed = replace(weak, citizenships=frozenset({"IE"}))
    result = au_189_score(deemed, ON)
    assert requirement(result, "english").met is True
    assert points(result, "english") == 0


@pytest.mark.parametrize(
    ("years", "expected"), [(2.9, 0), (3, 5), (4.9, 5), (5, 10), (7.9, 10), (8, 15), (10, 15), (12, 15)]
)
def test_au_overseas_employment_row(years: float, expected: int) -> None:
    assert points(au_189_score(make_profile(work_history=(job("IN", years),)), ON), "overseas_employment") == expected


@pytest.mark.parametrize(
    ("years", "expected"), [(0.9, 0), (1, 5), (2.9, 5), (3, 10), (5, 15), (7.9, 15), (8, 20), (10, 20)]
)
def test_au_australian_employment_row(years: float, expected: int) -> None:
    result = au_189_score(make_profile(work_history=(job("AU", years),)), ON)
    assert points(result, "australian_employment") == expected


def test_au_both_employment_rows_together_are_capped_at_20() -> None:
    entries = (job("AU", 5), job("IN", 5, ending=years_before(5)))
    result = au_189_score(make_profile(work_history=entries), ON)
    assert (points(result, "australian_employment"), points(result, "overseas_employment")) == (15, 5)
    assert "capped at 20" in factor(result, "overseas_employment").explanation


@pytest.mark.parametrize(
    "entry",
    [
        job("IN", 5, hours=19),
        job("IN", 5, relevant=False),
        job("IN", 5, paid=False),
        job("IN", 5, ending=years_before(6)),
    ],
    ids=["under_20_hours", "not_relevant", "unpaid", "outside_last_10_years"],
)
def test_au_employment_that_is_not_skilled_does_not_count(entry: WorkEntry) -> None:
    assert points(au_189_score(make_profile(work_history=(entry,)), ON), "overseas_employment") < 10


@pytest.mark.parametrize(
    ("credentials", "expected"),
    [
        ((credential(E.DOCTORAL),), 20),
        ((credential(E.DOCTORAL, "AU"),), 20),
        ((credential(E.MASTER),), 15),
        ((credential(E.BACHELOR, "AU"),), 15),
        ((credential(E.TWO_YEAR, "AU"),), 10),
        ((credential(E.ONE_YEAR),), 10),
        ((credential(E.BACHELOR, au_recognition=AuRecognition.NOT_RECOGNISED),), 0),
        ((credential(E.SECONDARY, "AU"),), 0),
        ((credential(E.TWO_YEAR, "AU"), credential(E.DOCTORAL)), 20),
    ],
    ids=[
        "doctorate_recognised",
        "doctorate_australian",
        "masters",
        "bachelors_australian",
        "diploma_australian",
        "recognised_qualification",
        "not_recognised",
        "secondary",
        "highest_only",
    ],
)
def test_au_qualification_row(credentials: tuple[Credential, ...], expected: int) -> None:
    assert points(au_189_score(make_profile(education=credentials), ON), "qualification") == expected


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        (credential(E.MASTER, "AU", by_research=True, duration_years=2), 10),
        (credential(E.DOCTORAL, "AU", duration_years=3), 10),
        (credential(E.MASTER, "AU", by_research=False, duration_years=2), 0),
        (credential(E.MASTER, "AU", by_research=True, field_stem=False, duration_years=2), 0),
        (credential(E.MASTER, "AU", by_research=True, duration_years=1.5), 0),
        (credential(E.DOCTORAL, "DE", duration_years=3), 0),
    ],
    ids=["research_masters", "doctorate", "coursework_masters", "not_stem", "under_2_years", "not_australian"],
)
def test_au_specialist_education_row(entry: Credential, expected: int) -> None:
    assert points(au_189_score(make_profile(education=(entry,)), ON), "specialist_education") == expected


def test_au_study_requirement_needs_two_academic_years_in_australia() -> None:
    assert (
        points(
            au_189_score(make_profile(education=(credential(E.BACHELOR, "AU", duration_years=3),)), ON),
            "australian_study",
        )
        == 5
    )
    one = credential(E.ONE_YEAR, "AU", duration_years=1)
    assert points(au_189_score(make_profile(education=(one,)), ON), "australian_study") == 0
    assert points(au_189_score(make_profile(education=(one, one)), ON), "australian_study") == 5


def test_au_regional_study_needs_the_study_requirement_met_in_a_regional_area() -> None:
    regional = credential(E.BACHELOR, "AU", duration_years=3, au_regional=True)
    result = au_189_score(make_profile(education=(regional,)), ON)
    assert (points(result, "australian_study"), points(result, "regional_study")) == (5, 5)


@pytest.mark.parametrize(
    ("completed", "expected"), [(date(2023, 6, 1), 5), (date(2022, 6, 1), 5), (date(2022, 5, 31), 0)]
)
def test_au_professional_year_counts_within_the_last_4_years(completed: date, expected: int) -> None:
    facts = AustraliaAnswers(
        skills_assessment=True, professional_year=True, professional_year_completed_on=completed, naati_ccl=False
    )
    assert points(au_189_score(make_profile(australia=facts), ON), "professional_year") == expected


def test_au_naati_ccl_earns_5() -> None:
    facts = AustraliaAnswers(skills_assessment=True, professional_year=False, naati_ccl=True)
    assert points(au_189_score(make_profile(australia=facts), ON), "community_language") == 5


@pytest.mark.parametrize(
    ("partner", "expected"),
    [
        ({"citizen_or_pr_of": frozenset({"AU"})}, 10),
        ({"language_tests": (ielts(6, 6, 6, 6),), "au_skills_assessment": True}, 10),
        ({"language_tests": (ielts(6, 6, 6, 6),), "au_skills_assessment": False}, 5),
        ({"language_tests": (ielts(6, 6, 6, 6),), "au_skills_assessment": True, "age": 45}, 5),
        ({"language_tests": (ielts(5.5, 6, 6, 6),), "au_skills_assessment": True}, 0),
        ({}, 0),
    ],
    ids=["citizen_or_pr", "skilled", "competent_english_only", "skilled_but_45", "below_competent", "nothing"],
)
def test_au_partner_row(partner: dict[str, object], expected: int) -> None:
    result = au_189_score(married(make_profile(), **partner), ON)
    assert points(result, "partner") == expected


def test_au_single_applicant_gets_the_10_partner_points() -> None:
    assert points(au_189_score(make_profile(), ON), "partner") == 10


STATE_190 = Nomination("AU", NominationKind.STATE_OR_TERRITORY, "190")
STATE_491 = Nomination("AU", NominationKind.STATE_OR_TERRITORY, "491")
RELATIVE = Nomination("AU", NominationKind.RELATIVE_SPONSORSHIP)


@pytest.mark.parametrize(
    ("subclass", "nominations", "expected", "maximum"),
    [
        ("189", (STATE_190,), 0, 0),
        ("190", (STATE_190,), 5, 5),
        ("190", (STATE_491,), 0, 5),
        ("190", (RELATIVE,), 0, 5),
        ("491", (STATE_491,), 15, 15),
        ("491", (RELATIVE,), 15, 15),
        ("491", (), 0, 15),
    ],
)
def test_au_nomination_row_per_subclass(
    subclass: str, nominations: tuple[Nomination, ...], expected: int, maximum: int
) -> None:
    result = australia_score(make_profile(nominations=nominations), ON, subclass)
    nomination = factor(result, "nomination")
    assert (nomination.points, nomination.maximum) == (expected, maximum)


def test_au_189_default_profile_scores_70_and_passes_65() -> None:
    result = au_189_score(make_profile(), ON)
    assert by_key(result) == {
        "age": 30,
        "english": 10,
        "australian_employment": 0,
        "overseas_employment": 5,
        "qualification": 15,
        "specialist_education": 0,
        "australian_study": 0,
        "regional_study": 0,
        "professional_year": 0,
        "community_language": 0,
        "partner": 10,
        "nomination": 0,
    }
    assert (result.total, result.pass_mark, result.passed, result.version) == (70, 65, True, date(2019, 11, 16))


def test_au_55_points_fails_the_65_pass_mark() -> None:
    result = au_189_score(make_profile(age=40), ON)
    assert (result.total, result.passed) == (55, False)


def test_au_190_and_491_need_their_nomination_to_pass() -> None:
    assert au_190_score(make_profile(), ON).passed is False
    assert au_190_score(make_profile(nominations=(STATE_190,)), ON).passed is True
    assert au_491_score(make_profile(nominations=(RELATIVE,)), ON).total == 85


def test_au_maxima_per_subclass() -> None:
    profile = make_profile()
    assert [australia_score(profile, ON, s).maximum for s in ("189", "190", "491")] == [130, 135, 145]


def test_au_toefl_taken_before_2025_08_07_is_unresolved() -> None:
    old = scores(LanguageTest.TOEFL_IBT, 30, 30, 30, 30, test_date=date(2025, 1, 10))
    result = au_189_score(make_profile(language_tests=(old,)), ON)
    assert points(result, "english") == 0
    assert "unresolved:au.english_thresholds.toefl_ibt" in result.missing
    assert requirement(result, "english").met is None
    assert result.passed is None
