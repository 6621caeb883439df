"""Answers become the Profile the calculators read (and a Supplement of what Profile has no place for)."""

from datetime import date

from hypothesis import given, settings

from domain.assessment.profile_builder import build_profile, build_supplement
from domain.assessment.snapshot import profile_from_data, profile_to_data, supplement_from_data, to_data
from domain.language.model import Language, LanguageTest, LanguageTestResult
from domain.points import score
from domain.profile import (
    AuRecognition,
    Credential,
    EducationLevel,
    JobOffer,
    Lmia,
    MaritalStatus,
    Money,
    Nomination,
    NominationKind,
    PayPeriod,
    Profile,
    WorkEntry,
)
from tests.builders.answers import OMIT, reference_quiz, stored, values
from tests.builders.strategies import profiles

TODAY = date(2026, 11, 25)


def built(**overrides: object) -> Profile:
    return build_profile(values(stored(reference_quiz(TODAY, **overrides), TODAY)), TODAY)


def test_the_reference_quiz_becomes_a_complete_profile() -> None:
    profile = built()
    assert profile.as_of == TODAY
    assert profile.birth_date == date(1995, 11, 25) and profile.age_on(TODAY) == 31
    assert profile.citizenships == frozenset({"IN"})
    assert profile.marital_status is MaritalStatus.SINGLE and profile.partner is None
    assert profile.education == (
        Credential(
            EducationLevel.MASTER,
            "IN",
            eca=True,
            duration_years=2.0,
            full_time=True,
            state_recognised=True,
            completed_on=date(2019, 11, 25),
            au_recognition=AuRecognition.BACHELOR,
        ),
    )
    assert profile.language_tests == (
        LanguageTestResult(LanguageTest.IELTS_GT, 8, 7, 7, 7, test_date=date(2026, 9, 26)),
    )
    assert profile.work_history == (
        WorkEntry(
            "IN",
            date(2020, 11, 25),
            None,
            40,
            "21231",
            teer=1,
            paid=True,
            self_employed=False,
            authorised=True,
            relevant=True,
        ),
    )
    assert (profile.job_offers, profile.nominations, profile.relatives) == ((), (), ())
    assert profile.funds == Money(30000, "CAD")
    assert profile.canada.authorised_to_work is False and profile.australia.skills_assessment is True
    assert profile.canada.first_official_language is Language.ENGLISH


def test_the_reference_profile_scores_without_missing_facts_in_canada() -> None:
    assert score("crs", built(), TODAY).missing == ()
    assert score("fsw67", built(), TODAY).missing == ()


def test_an_accompanying_partner_brings_their_answers() -> None:
    profile = built(
        marital_status="married",
        partner_accompanying=True,
        partner_citizen_or_pr_of=["CA"],
        partner_birth_date="1993-04-05",
        partner_education=[],
        partner_language_test="celpip_g",
        partner_language_scores={"listening": 9, "reading": 8, "writing": 8, "speaking": 9, "test_date": "2026-01-10"},
        partner_work_history=[],
    )
    partner = profile.partner
    assert partner is not None
    assert (partner.accompanying, partner.citizen_or_pr("CA"), partner.birth_date) == (True, True, date(1993, 4, 5))
    assert partner.language_tests == (
        LanguageTestResult(LanguageTest.CELPIP_G, 9, 8, 8, 9, test_date=date(2026, 1, 10)),
    )
    assert (partner.education, partner.work_history) == ((), ())


def test_a_partner_who_stays_behind_is_not_described_further() -> None:
    partner = built(marital_status="married", partner_accompanying=False, partner_citizen_or_pr_of=[]).partner
    assert partner is not None and partner.accompanying is False
    assert (partner.education, partner.language_tests, partner.work_history) == (None, None, None)


def test_an_unanswered_question_leaves_its_fact_unknown() -> None:
    profile = build_profile({"destinations": ["CA"], "marital_status": "single"}, TODAY)
    assert (profile.education, profile.language_tests, profile.work_history, profile.job_offers, profile.funds) == (
        None,
        None,
        None,
        None,
        None,
    )


def test_no_language_test_is_an_empty_list_not_an_unknown() -> None:
    profile = built(language_test="none", language_scores=OMIT, second_language_test=OMIT)
    assert profile.language_tests == ()


def test_a_second_test_is_added_after_the_first() -> None:
    french = {"listening": 458, "reading": 453, "writing": 10, "speaking": 10, "test_date": "2026-03-01"}
    profile = built(second_language_test="tcf_canada", second_language_scores=french)
    assert profile.language_tests is not None
    assert [t.test for t in profile.language_tests] == [LanguageTest.IELTS_GT, LanguageTest.TCF_CANADA]


def test_a_canadian_job_offer_becomes_a_job_offer_and_its_length_a_supplement() -> None:
    offer = {
        "country": "CA",
        "salary": 38.5,
        "currency": "CAD",
        "salary_period": "hour",
        "hours_per_week": 37.5,
        "duration_months": 24,
        "non_seasonal": True,
        "lmia": "supported",
        "teer": "1",
    }
    answers = values(stored(reference_quiz(TODAY, has_job_offer=True, job_offer=offer), TODAY))
    profile = build_profile(answers, TODAY)
    assert profile.job_offers == (
        JobOffer(
            "CA",
            38.5,
            "CAD",
            PayPeriod.HOUR,
            37.5,
            full_time=True,
            non_seasonal=True,
            at_least_one_year=True,
            lmia=Lmia.SUPPORTED,
            teer=1,
        ),
    )
    supplement = build_supplement(answers)
    assert (supplement.job_offer_country, supplement.job_offer_duration_months) == ("CA", 24)


def test_nominations_and_destinations() -> None:
    answers = values(stored(reference_quiz(TODAY, nominations=["ca_provincial_express_entry", "au_state_190"]), TODAY))
    assert build_profile(answers, TODAY).nominations == (
        Nomination("CA", NominationKind.PROVINCIAL_EXPRESS_ENTRY),
        Nomination("AU", NominationKind.STATE_OR_TERRITORY, "190"),
    )
    assert build_supplement(answers).destinations == ("CA", "AU")
    assert build_supplement({"destinations": ["anywhere"]}).destinations == ()


def test_a_question_skipped_because_an_answer_settles_it_is_that_answer() -> None:
    answers = values(
        stored(
            reference_quiz(
                TODAY,
                destinations=["GB"],
                education=[{"level": "secondary", "country": "IN", "eca": False}],
                uk_majority_english_nationality=False,
                uk_new_entrant=False,
                uk_on_route_before_2025_07_22=False,
            ),
            TODAY,
            skip_inapplicable=True,
        )
    )
    uk = build_profile(answers, TODAY).uk
    assert (uk.degree_taught_in_english, uk.phd_relevant_to_job, uk.last_grant_required_b1) == (False, False, False)


def test_remote_work_for_a_foreign_employer_is_a_supplement() -> None:
    remote = {"employer_country": "US", "monthly_income_eur": 4200, "months": 18}
    answers = values(
        stored(
            reference_quiz(
                TODAY, destinations=["PT"], works_remotely=True, remote_work=remote, passive_income_monthly_eur=0
            ),
            TODAY,
            skip_inapplicable=True,
        )
    )
    supplement = build_supplement(answers)
    assert (
        supplement.remote_employer_country,
        supplement.remote_income_monthly_eur,
        supplement.remote_work_months,
    ) == ("US", 4200, 18)


def test_a_built_profile_survives_the_storage_codec() -> None:
    answers = values(stored(reference_quiz(TODAY), TODAY))
    profile, supplement = build_profile(answers, TODAY), build_supplement(answers)
    assert profile_from_data(profile_to_data(profile)) == profile
    assert supplement_from_data(to_data(supplement)) == supplement


@settings(max_examples=300, deadline=None)
@given(profile=profiles())
def test_any_profile_survives_the_storage_codec(profile: Profile) -> None:
    assert profile_from_data(profile_to_data(profile)) == profile
