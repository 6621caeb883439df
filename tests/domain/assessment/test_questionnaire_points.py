"""The questionnaire path scores exactly as the calculators do when called directly with the same facts."""

from datetime import date

from domain.assessment.profile_builder import build_profile, build_supplement
from domain.language.model import LanguageTest, LanguageTestResult
from domain.points import score
from domain.profile import (
    AuRecognition,
    AustraliaAnswers,
    Credential,
    EducationLevel,
    MaritalStatus,
    Profile,
    WorkEntry,
)
from domain.programs.catalog import COUNTRY_BY_CODE, PROGRAM_BY_SLUG
from domain.recommendations.gaps import gap_report
from tests.builders.answers import reference_quiz, stored, values, years_ago
from tests.builders.results import factor

TODAY = date(2026, 11, 25)


def through_the_quiz(**overrides: object) -> Profile:
    quiz = reference_quiz(TODAY, destinations=["AU"], **overrides)
    return build_profile(values(stored(quiz, TODAY, skip_inapplicable=True)), TODAY)


def called_directly(recognition: AuRecognition) -> Profile:
    """The same person as the reference quiz, written as the calculator's input by hand."""
    return Profile(
        as_of=TODAY,
        birth_date=date(1995, 11, 25),
        citizenships=frozenset({"IN"}),
        marital_status=MaritalStatus.SINGLE,
        dependent_children=0,
        education=(Credential(EducationLevel.BACHELOR, "IN", au_recognition=recognition),),
        language_tests=(LanguageTestResult(LanguageTest.IELTS_GT, 8, 7, 7, 7, test_date=date(2026, 9, 26)),),
        work_history=(WorkEntry("IN", date(2020, 11, 25), None, 40, teer=1, paid=True, relevant=True),),
        job_offers=(),
        nominations=(),
        relatives=(),
        australia=AustraliaAnswers(skills_assessment=True, professional_year=False, naati_ccl=False),
    )


def bachelor(recognition: str) -> list[dict[str, object]]:
    return [
        {
            "level": "bachelor",
            "country": "IN",
            "au_recognition": recognition,
            "completed_on": years_ago(7, TODAY),
            "duration_years": 4,
            "full_time": True,
        }
    ]


def test_a_recognised_foreign_bachelors_scores_the_same_through_the_quiz_as_called_directly() -> None:
    quiz = score("au_skilled_189", through_the_quiz(education=bachelor("bachelor")), TODAY)
    direct = score("au_skilled_189", called_directly(AuRecognition.BACHELOR), TODAY)
    assert factor(quiz, "qualification").points == factor(direct, "qualification").points == 15
    assert quiz.total == direct.total == 75  # age 30, English 10, 6 years abroad 10, bachelor 15, single 10
    assert [(f.key, f.points) for f in quiz.factors] == [(f.key, f.points) for f in direct.factors]
    assert quiz.passed is direct.passed is True
    assert "education[0].au_recognition" not in quiz.missing


def test_a_qualification_not_assessed_yet_scores_0_now_and_says_what_recognition_would_add() -> None:
    profile = through_the_quiz(education=bachelor("not_assessed"))
    result = score("au_skilled_189", profile, TODAY)
    qualification = factor(result, "qualification")
    assert qualification.points == 0
    assert "conditional: 15 if the assessing authority recognises" in qualification.explanation
    assert result.total == 60 and result.passed is False
    program = PROGRAM_BY_SLUG["au-skilled-independent-189"]
    report = gap_report(profile, build_supplement({}), program, COUNTRY_BY_CODE["AU"], TODAY)
    assessed = next(s for s in report.suggestions if s.change.key == "au.qualification_recognised")
    assert (assessed.points_before, assessed.points_after) == (60, 75)
    assert "bachelor" in assessed.change.description.lower()


def test_only_an_applicant_considering_canada_must_answer_the_eca() -> None:
    profile = through_the_quiz(education=[{"level": "bachelor", "country": "AU", "duration_years": 3}])
    assert profile.education == (Credential(EducationLevel.BACHELOR, "AU", duration_years=3.0),)
    assert factor(score("au_skilled_189", profile, TODAY), "qualification").points == 15
