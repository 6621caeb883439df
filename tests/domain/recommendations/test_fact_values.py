"""Profile + program → facts: the vocabulary's types, scopes (destination-relative work, money, offers), the
program's own points, and unknown staying None."""

from dataclasses import replace

from hypothesis import HealthCheck, given, settings

from domain.assessment.snapshot import Supplement
from domain.points import score
from domain.profile import EducationLevel, JobOffer, Money, Profile
from domain.programs.catalog import CATALOG, COUNTRY_BY_CODE, PROGRAM_BY_SLUG
from domain.programs.vocabulary import VOCABULARY, fact_problems
from domain.recommendations.fact_values import FactValuesBuilder
from tests.builders.profiles import ON, credential, job, make_profile, married, years_before
from tests.builders.strategies import profiles

NONE = Supplement()


def facts(profile: Profile, slug: str, supplement: Supplement = NONE) -> dict[str, object]:
    program = PROGRAM_BY_SLUG[slug]
    return FactValuesBuilder(profile, supplement, ON).for_program(program, COUNTRY_BY_CODE[program.country])


def test_every_program_gets_only_vocabulary_facts_of_the_right_kind() -> None:
    builder = FactValuesBuilder(make_profile(), NONE, ON)
    for program in CATALOG:
        found = builder.for_program(program, COUNTRY_BY_CODE[program.country])
        assert fact_problems(found) == (), program.slug
        assert set(found) == set(VOCABULARY), program.slug


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(profile=profiles())
def test_any_profile_maps_to_well_typed_facts(profile: Profile) -> None:
    builder = FactValuesBuilder(profile, NONE, ON)
    for program in CATALOG:
        assert fact_problems(builder.for_program(program, COUNTRY_BY_CODE[program.country])) == ()


def test_the_reference_person_in_plain_facts() -> None:
    found = facts(make_profile(), "ca-express-entry-fsw")
    assert {
        k: found[k]
        for k in (
            "age",
            "citizenship",
            "has_partner",
            "family_size",
            "education_level",
            "education_rank",
            "ca_education_assessed",
            "first_language_clb_min",
            "english_ielts_min_band",
            "noc_teer",
        )
    } == {
        "age": 29,
        "citizenship": "IN",
        "has_partner": False,
        "family_size": 1,
        "education_level": "bachelor",
        "education_rank": 4,
        "ca_education_assessed": True,
        "first_language_clb_min": 9,
        "english_ielts_min_band": 7,
        "noc_teer": 1,
    }
    assert [found[f"first_language_clb_{a}"] for a in ("listening", "reading", "writing", "speaking")] == [9, 9, 9, 9]


def test_work_in_canada_is_in_country_for_canada_and_foreign_for_australia() -> None:
    # Full-time years as IRCC counts them: 30 h a week, 1,560 h a year, so two calendar years are 2.01.
    profile = make_profile(work_history=(job("CA", 2), job("IN", 3, ending=years_before(2))))
    canada, australia = facts(profile, "ca-express-entry-cec"), facts(profile, "au-skilled-independent-189")
    assert (canada["skilled_work_years_in_country"], canada["skilled_work_years_foreign"]) == (2.01, 3.01)
    assert (australia["skilled_work_years_in_country"], australia["skilled_work_years_foreign"]) == (0.0, 5.02)
    assert (canada["skilled_work_years_in_country_last_3y"], canada["skilled_work_years_total"]) == (2.01, 5.02)


def test_money_counts_only_in_the_destinations_currency() -> None:
    profile = make_profile(funds=Money(30_000, "CAD"))
    assert facts(profile, "ca-express-entry-fsw")["funds_available"] == 30_000
    assert facts(profile, "de-opportunity-card")["funds_available"] is None


def test_a_job_offer_is_a_fact_of_its_own_country_only() -> None:
    offer = JobOffer("GB", salary=45_000, currency="GBP", sponsor_licensed=True)
    profile = make_profile(job_offers=(offer,))
    uk, canada = facts(profile, "gb-skilled-worker"), facts(profile, "ca-express-entry-fsw")
    assert (uk["job_offer"], uk["job_offer_salary"], uk["sponsor_licensed"]) == (True, 45_000, True)
    assert (canada["job_offer"], canada["job_offer_salary"], canada["sponsor_licensed"]) == (False, None, None)


def test_a_salary_in_another_currency_is_unknown_not_converted() -> None:
    profile = make_profile(job_offers=(JobOffer("DE", salary=60_000, currency="USD"),))
    found = facts(profile, "de-eu-blue-card")
    assert (found["job_offer"], found["job_offer_salary"]) == (True, None)


def test_the_offers_length_comes_from_the_quiz_only_for_that_offers_country() -> None:
    profile = make_profile(job_offers=(JobOffer("IE", salary=70_000, currency="EUR"),))
    supplement = Supplement(job_offer_country="IE", job_offer_duration_months=24)
    assert facts(profile, "ie-critical-skills-employment-permit", supplement)["job_offer_duration_months"] == 24
    assert facts(profile, "de-eu-blue-card", supplement)["job_offer_duration_months"] is None


def test_points_score_comes_from_the_programs_own_calculator() -> None:
    profile = make_profile()
    assert facts(profile, "ca-express-entry-fsw")["points_score"] == score("fsw67", profile, ON).total == 68
    assert (
        facts(profile, "au-skilled-independent-189")["points_score"] == score("au_skilled_189", profile, ON).total == 70
    )
    assert facts(profile, "ca-pnp-express-entry")["points_fsw67"] == 68
    assert facts(profile, "us-h1b")["points_score"] is None


def test_a_short_total_with_facts_missing_is_unknown_not_a_fail() -> None:
    profile = replace(make_profile(), education=None)
    assert score("fsw67", profile, ON).total < 67
    assert facts(profile, "ca-express-entry-fsw")["points_score"] is None


def test_unknown_answers_stay_unknown() -> None:
    found = facts(Profile(as_of=ON), "ca-express-entry-fsw")
    for name in (
        "age",
        "citizenship",
        "has_partner",
        "family_size",
        "education_level",
        "first_language_clb_min",
        "skilled_work_years_foreign",
        "job_offer",
        "funds_available",
        "points_score",
    ):
        assert found[name] is None, name


def test_a_partner_who_is_a_citizen_of_the_destination_is_a_destination_fact() -> None:
    profile = married(make_profile(), citizen_or_pr_of=frozenset({"GB"}))
    assert facts(profile, "gb-family-partner")["partner_citizen_or_resident"] is True
    assert facts(profile, "ca-spousal-sponsorship")["partner_citizen_or_resident"] is False
    assert facts(make_profile(), "gb-family-partner")["partner_citizen_or_resident"] is False


def test_remote_work_counts_only_for_an_employer_outside_the_destination() -> None:
    supplement = Supplement(
        works_remotely=True, remote_employer_country="PT", remote_income_monthly_eur=5000, remote_work_months=12
    )
    assert facts(make_profile(), "pt-d8-remote-work", supplement)["remote_work_for_foreign_employer"] is False
    spain = facts(make_profile(), "es-digital-nomad", supplement)
    assert (spain["remote_work_for_foreign_employer"], spain["remote_income_monthly_eur"]) == (True, 5000)


def test_skilled_work_counts_hours_so_unknown_hours_are_unknown_years() -> None:
    # IRCC (FSW/CEC): full time is 30 h a week, part time counts when it adds up to the same hours; without
    # the hours the years cannot be counted, so they are unknown (before, such a job silently counted 0 years).
    unknown = make_profile(work_history=(replace(job("CA", 2), hours_per_week=None),))
    found = facts(unknown, "ca-express-entry-cec")
    assert (found["skilled_work_years_in_country"], found["skilled_work_years_total"]) == (None, None)
    assert found["skilled_work_years_foreign"] == 0.0
    part_time = facts(make_profile(work_history=(job("CA", 2, hours=15),)), "ca-express-entry-cec")
    assert part_time["skilled_work_years_in_country"] == 1.0


def test_the_partner_comes_along_only_when_the_marital_status_says_there_is_a_partner() -> None:
    assert facts(make_profile(), "ca-express-entry-fsw")["partner_accompanying"] is False
    assert facts(married(make_profile()), "ca-express-entry-fsw")["partner_accompanying"] is True
    assert facts(married(make_profile(), accompanying=None), "ca-express-entry-fsw")["partner_accompanying"] is None
    # A partner's answer with no marital status is unknown, as the ranking always treated it (was True here).
    unsure = replace(married(make_profile()), marital_status=None)
    assert facts(unsure, "ca-express-entry-fsw")["partner_accompanying"] is None


def test_two_post_secondary_credentials_one_of_three_years_count_as_two_or_more() -> None:
    two = (credential(EducationLevel.BACHELOR), credential(EducationLevel.ONE_YEAR))
    assert facts(make_profile(education=two), "ca-express-entry-fsw")["education_level"] == "two_or_more"
    short = (credential(EducationLevel.TWO_YEAR), credential(EducationLevel.ONE_YEAR))
    assert facts(make_profile(education=short), "ca-express-entry-fsw")["education_level"] == "two_year"
