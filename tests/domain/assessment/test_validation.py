"""Each answer is checked against its question; a refusal is BAD_USER_INPUT naming the field inside the value."""

from datetime import date
from typing import Any

import pytest

from domain.assessment.questions import BANK
from domain.assessment.validation import InvalidAnswer, validate_answer
from domain.errors import ErrorCode

TODAY = date(2026, 11, 25)
IELTS = {"language_test": "ielts_gt"}
GOOD_SCORES = {"listening": 8, "reading": 7, "writing": 7, "speaking": 7, "test_date": "2026-05-01"}
JOB = {
    "country": "IN",
    "start": "2020-01-01",
    "hours_per_week": 40,
    "teer": "1",
    "paid": True,
    "self_employed": False,
    "authorised": True,
}


def refused(question_id: str, value: Any, answers: dict[str, Any] | None = None) -> InvalidAnswer:
    with pytest.raises(InvalidAnswer) as error:
        validate_answer(BANK[question_id], value, answers or {}, TODAY)
    assert error.value.code is ErrorCode.BAD_USER_INPUT
    assert error.value.details["questionId"] == question_id
    return error.value


def accepted(question_id: str, value: Any, answers: dict[str, Any] | None = None) -> Any:
    return validate_answer(BANK[question_id], value, answers or {}, TODAY)


def test_ielts_bands_move_in_half_bands() -> None:
    error = refused("language_scores", {**GOOD_SCORES, "listening": 7.3}, IELTS)
    assert error.details["field"] == "value.listening"
    assert error.message == "value.listening: 7.3 is not a multiple of 0.5"


def test_a_score_above_the_tests_scale_names_the_ability() -> None:
    error = refused("language_scores", {**GOOD_SCORES, "writing": 9.5}, IELTS)
    assert (error.details["field"], error.message) == ("value.writing", "value.writing: 9.5 is above the maximum of 9")


def test_a_missing_score_is_required() -> None:
    scores = {k: v for k, v in GOOD_SCORES.items() if k != "speaking"}
    assert refused("language_scores", scores, IELTS).details["field"] == "value.speaking"


def test_a_field_the_answer_does_not_have_is_refused_by_name() -> None:
    error = refused("language_scores", {**GOOD_SCORES, "cefr_level": "B2"}, IELTS)
    assert error.details["field"] == "value.cefr_level"


def test_a_test_date_in_the_future_is_refused() -> None:
    assert (
        refused("language_scores", {**GOOD_SCORES, "test_date": "2027-01-01"}, IELTS).details["field"]
        == "value.test_date"
    )


def test_each_entry_of_a_list_is_checked_with_its_index() -> None:
    error = refused("work_history", [JOB, {**JOB, "start": None}])
    assert (error.details["field"], error.message) == ("value[1].start", "value[1].start: Start date is required")


def test_a_job_cannot_end_before_it_starts() -> None:
    assert refused("work_history", [{**JOB, "end": "2019-01-01"}]).details["field"] == "value[0].end"


CANADA = {"destinations": ["CA"]}
AUSTRALIA = {"destinations": ["AU"]}


def test_an_eca_is_required_for_a_foreign_credential_and_dropped_for_a_canadian_one() -> None:
    assert refused("education", [{"level": "bachelor", "country": "IN"}], CANADA).details["field"] == "value[0].eca"
    canadian = accepted("education", [{"level": "bachelor", "country": "ca", "eca": False}], CANADA)
    assert canadian == [{"level": "bachelor", "country": "CA"}]


def test_an_australian_applicant_is_asked_the_assessing_authoritys_recognition_not_canadas_eca() -> None:
    error = refused("education", [{"level": "bachelor", "country": "IN"}], AUSTRALIA)
    assert error.details["field"] == "value[0].au_recognition"
    found = accepted(
        "education",
        [
            {"level": "bachelor", "country": "IN", "au_recognition": "not_assessed"},
            {"level": "bachelor", "country": "AU"},
        ],
        AUSTRALIA,
    )
    assert found == [
        {"level": "bachelor", "country": "IN", "au_recognition": "not_assessed"},
        {"level": "bachelor", "country": "AU"},
    ]


def test_a_secondary_diploma_or_an_australian_degree_needs_no_recognition() -> None:
    found = accepted("education", [{"level": "secondary", "country": "IN", "au_recognition": "bachelor"}], AUSTRALIA)
    assert found == [{"level": "secondary", "country": "IN"}]


def test_fields_of_another_country_are_dropped_not_stored() -> None:
    job = accepted("work_history", [{**JOB, "while_full_time_student": True, "paid_at_required_rate": True}])
    assert "while_full_time_student" not in job[0] and "paid_at_required_rate" not in job[0]


def test_a_birth_date_must_make_you_at_least_16() -> None:
    error = refused("birth_date", "2015-01-01")
    assert (error.details["field"], error.message) == ("value", "value: must be at least 16 years ago")


def test_a_date_must_be_iso_formatted() -> None:
    assert refused("birth_date", "01/02/1990").message == "value: '01/02/1990' is not a date as YYYY-MM-DD"


def test_children_are_a_whole_number() -> None:
    assert refused("dependent_children", 1.5).message == "value: expected a whole number"
    assert accepted("dependent_children", 2.0) == 2


def test_true_is_not_a_number() -> None:
    assert refused("dependent_children", True).message == "value: expected a number"


def test_anywhere_cannot_be_combined_with_countries() -> None:
    assert "cannot be combined" in refused("destinations", ["anywhere", "CA"]).message


def test_choices_are_kept_in_the_questions_order() -> None:
    assert accepted("destinations", ["AU", "CA"]) == ["CA", "AU"]


def test_country_codes_are_upper_cased_and_checked() -> None:
    assert accepted("citizenships", ["in", " gb"]) == ["GB", "IN"]
    assert refused("citizenships", ["India"]).details["field"] == "value[0]"


def test_an_unknown_choice_lists_the_allowed_ones() -> None:
    error = refused("marital_status", "engaged")
    assert error.message.startswith("value: 'engaged' is not one of single, married, common_law")


def test_null_is_not_an_answer() -> None:
    assert refused("has_job_offer", None).message == "value: an answer is required"


def test_a_job_offer_asks_lmia_only_in_canada() -> None:
    offer = {
        "country": "GB",
        "salary": 50000,
        "currency": "gbp",
        "salary_period": "year",
        "hours_per_week": 37.5,
        "duration_months": 36,
        "lmia": "supported",
    }
    assert accepted("job_offer", offer) == {
        "country": "GB",
        "salary": 50000,
        "currency": "GBP",
        "salary_period": "year",
        "hours_per_week": 37.5,
        "duration_months": 36,
    }
    canadian = {**offer, "country": "CA", "currency": "CAD"}
    assert refused("job_offer", canadian).details["field"] == "value.non_seasonal"
