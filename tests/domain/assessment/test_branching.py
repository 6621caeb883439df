"""Adaptive branching: which questions apply, what a change makes irrelevant, and progress."""

from datetime import UTC, date, datetime
from types import MappingProxyType

import pytest

from domain.assessment import branching
from domain.assessment.model import Assessment, Status
from domain.assessment.questions import BANK, ORDER, QUESTIONS
from domain.assessment.spec import FieldKind
from domain.assessment.validation import InvalidAnswer
from tests.builders.answers import reference_quiz, stored, values

TODAY = date(2026, 11, 25)


def applicable_ids(state: dict) -> list[str]:
    return [q.id for q in branching.applicable(values(state))]


def partner_ids() -> set[str]:
    return {q.id for q in QUESTIONS if q.id.startswith("partner_")}


def test_every_condition_reads_only_earlier_questions() -> None:
    for question in QUESTIONS:
        for read in (*question.applies.reads, *question.depends_on):
            assert ORDER[read] < ORDER[question.id], (question.id, read)


def test_spouse_questions_are_asked_only_when_partnered() -> None:
    single = stored(
        {"destinations": ["CA"], "birth_date": "1990-01-01", "citizenships": ["IN"], "marital_status": "single"}, TODAY
    )
    assert not partner_ids() & set(applicable_ids(single))
    married = stored({"destinations": ["CA"], "marital_status": "married"}, TODAY)
    assert {"partner_accompanying", "partner_citizen_or_pr_of"} <= set(applicable_ids(married))
    assert "partner_education" not in applicable_ids(married)  # only once we know the partner comes along


def test_an_accompanying_partner_is_asked_about_education_language_and_work() -> None:
    state = stored({"destinations": ["CA"], "marital_status": "common_law", "partner_accompanying": True}, TODAY)
    assert {"partner_birth_date", "partner_education", "partner_language_test", "partner_work_history"} <= set(
        applicable_ids(state)
    )
    assert "partner_au_skills_assessment" not in applicable_ids(state)  # Australia was not chosen


def test_becoming_single_drops_every_partner_answer() -> None:
    state = stored(
        {
            "destinations": ["CA"],
            "marital_status": "married",
            "partner_accompanying": True,
            "partner_citizen_or_pr_of": [],
            "partner_language_test": "celpip_g",
            "partner_language_scores": {
                "listening": 9,
                "reading": 9,
                "writing": 9,
                "speaking": 9,
                "test_date": "2026-01-10",
            },
        },
        TODAY,
    )
    after, dropped = branching.answer(state, "marital_status", "divorced", TODAY)
    assert set(dropped) == {
        "partner_accompanying",
        "partner_citizen_or_pr_of",
        "partner_language_test",
        "partner_language_scores",
    }
    assert not partner_ids() & set(after)


def test_ielts_asks_four_half_band_scores_and_a_test_date() -> None:
    state = stored({"language_test": "ielts_gt"}, TODAY)
    fields = {f.name: f for f in BANK["language_scores"].fields_for(values(state))}
    assert list(fields) == ["listening", "reading", "writing", "speaking", "overall", "test_date"]
    assert (fields["reading"].minimum, fields["reading"].maximum, fields["reading"].step) == (0, 9, 0.5)
    assert fields["overall"].required is False


def test_tcf_canada_scores_writing_and_speaking_out_of_20() -> None:
    fields = {f.name: f for f in BANK["language_scores"].fields_for({"language_test": "tcf_canada"})}
    assert (fields["listening"].maximum, fields["writing"].maximum) == (699, 20)
    assert "overall" not in fields


@pytest.mark.parametrize(
    ("test", "names"), [("goethe", ["cefr_level", "test_date"]), ("telc", ["cefr_level", "language", "test_date"])]
)
def test_a_cefr_certificate_asks_its_level_and_the_language_only_when_the_test_has_several(
    test: str, names: list[str]
) -> None:
    fields = BANK["language_scores"].fields_for({"language_test": test})
    assert [f.name for f in fields] == names
    assert fields[0].kind is FieldKind.CHOICE and [o.value for o in fields[0].options][:2] == ["A1", "A2"]


def test_changing_the_test_drops_the_scores_given_for_the_old_one() -> None:
    state = stored(
        {
            "language_test": "ielts_gt",
            "language_scores": {"listening": 8, "reading": 7, "writing": 7, "speaking": 7, "test_date": "2026-05-01"},
        },
        TODAY,
    )
    after, dropped = branching.answer(state, "language_test", "celpip_g", TODAY)
    assert dropped == ("language_scores",)
    assert "language_scores" not in after
    assert branching.unanswered(after)[0].id == "destinations"


def test_choosing_the_same_test_again_keeps_the_scores() -> None:
    state = stored(
        {
            "language_test": "ielts_gt",
            "language_scores": {"listening": 8, "reading": 7, "writing": 7, "speaking": 7, "test_date": "2026-05-01"},
        },
        TODAY,
    )
    after, dropped = branching.answer(state, "language_test", "ielts_gt", TODAY)
    assert dropped == () and "language_scores" in after


def test_no_language_test_skips_the_scores_and_the_second_test() -> None:
    state = stored({"language_test": "none"}, TODAY)
    assert not {"language_scores", "second_language_test", "second_language_scores"} & set(applicable_ids(state))


def test_country_sections_appear_only_for_the_destinations_chosen() -> None:
    canada = set(applicable_ids(stored({"destinations": ["CA"]}, TODAY)))
    assert {"ca_authorised_to_work", "nominations"} <= canada
    assert not {q for q in canada if q.startswith(("au_", "de_", "uk_", "nz_"))}
    assert "works_remotely" not in canada


def test_anywhere_opens_every_country_section() -> None:
    everywhere = set(applicable_ids(stored({"destinations": ["anywhere"]}, TODAY)))
    assert {
        "ca_authorised_to_work",
        "au_skills_assessment",
        "de_recognition",
        "uk_new_entrant",
        "nz_occupational_registration",
        "works_remotely",
        "passive_income_monthly_eur",
    } <= everywhere


def test_the_uk_asks_whether_a_degree_was_taught_in_english_only_of_degree_holders() -> None:
    base = {"destinations": ["GB"]}
    secondary = stored({**base, "education": [{"level": "secondary", "country": "IN", "eca": False}]}, TODAY)
    degree = stored({**base, "education": [{"level": "bachelor", "country": "IN", "eca": False}]}, TODAY)
    assert "uk_degree_taught_in_english" not in applicable_ids(secondary)
    assert "uk_degree_taught_in_english" in applicable_ids(degree)


def test_dropping_a_destination_drops_its_country_answers() -> None:
    state = stored({"destinations": ["CA", "AU"], "au_skills_assessment": True, "ca_authorised_to_work": False}, TODAY)
    after, dropped = branching.answer(state, "destinations", ["CA"], TODAY)
    assert dropped == ("au_skills_assessment",)
    assert "ca_authorised_to_work" in after


def test_a_question_that_does_not_apply_is_refused_naming_the_question() -> None:
    state = stored({"marital_status": "single"}, TODAY)
    with pytest.raises(InvalidAnswer) as refused:
        branching.answer(state, "partner_accompanying", True, TODAY)
    assert refused.value.details == {"field": "questionId", "questionId": "partner_accompanying"}
    assert "marital_status is married or common_law" in refused.value.message


def test_an_unknown_question_is_refused() -> None:
    with pytest.raises(InvalidAnswer) as refused:
        branching.answer({}, "favourite_colour", "blue", TODAY)
    assert refused.value.details["field"] == "questionId"


def test_progress_counts_the_questions_that_apply_and_names_the_next() -> None:
    quiz = reference_quiz(TODAY)
    half = stored(quiz[:6], TODAY)
    now = datetime(2026, 11, 25, tzinfo=UTC)
    progress = branching.progress(Assessment("a1", None, 1, MappingProxyType(half), 6, Status.IN_PROGRESS, now, now))
    assert (progress.answered, progress.next_question.id if progress.next_question else None) == (6, quiz[6][0])
    # The score fields and the second test apply only once a test is chosen: 20 questions in all, 18 known now.
    assert (progress.total, len(quiz)) == (18, 20)
    assert progress.percent == 33


def test_the_reference_quiz_answers_every_question_that_applies() -> None:
    state = stored(reference_quiz(TODAY), TODAY)
    now = datetime(2026, 11, 25, tzinfo=UTC)
    progress = branching.progress(Assessment("a1", None, 1, MappingProxyType(state), 20, Status.IN_PROGRESS, now, now))
    assert branching.unanswered(state) == []
    assert (progress.answered, progress.total, progress.percent, progress.next_question) == (20, 20, 100, None)
