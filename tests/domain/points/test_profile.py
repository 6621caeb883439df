"""The Profile answer set: age from a birth date, and pay figures read from a job offer."""

from datetime import date

from domain.profile import JobOffer, MaritalStatus, PayPeriod, Profile


def test_age_from_birth_date_changes_on_the_birthday() -> None:
    profile = Profile(birth_date=date(1990, 6, 2))
    assert profile.age_on(date(2026, 6, 1)) == 35
    assert profile.age_on(date(2026, 6, 2)) == 36


def test_a_bare_age_is_taken_as_given_and_birth_date_wins() -> None:
    assert Profile(age=40).age_on(date(2030, 1, 1)) == 40
    assert Profile(age=40, birth_date=date(2000, 1, 1)).age_on(date(2030, 1, 1)) == 30


def test_unanswered_facts_are_none_not_zero() -> None:
    profile = Profile()
    assert (profile.age_on(date(2026, 1, 1)), profile.education, profile.work_history) == (None, None, None)


def test_job_offer_converts_between_hourly_and_annual_pay() -> None:
    hourly = JobOffer("NZ", salary=40, salary_period=PayPeriod.HOUR, hours_per_week=40, going_rate=30)
    assert (hourly.annual_salary(), hourly.annual_going_rate(), hourly.hourly_rate()) == (83_200, 62_400, 40)
    annual = JobOffer("GB", salary=39_000, hours_per_week=37.5)
    assert annual.hourly_rate() == 20


def test_common_law_counts_as_having_a_partner() -> None:
    assert MaritalStatus.COMMON_LAW.has_partner and MaritalStatus.MARRIED.has_partner
    assert not MaritalStatus.SEPARATED.has_partner
