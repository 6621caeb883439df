"""UK Skilled Worker: 50 mandatory points (licensed sponsor, skill level, English) and 20 tradeable points
from any one salary option A–F; 70 needed.

Source: https://www.gov.uk/skilled-worker-visa (Immigration Rules Appendix Skilled Worker) — salary rules as
of 2025-07-22 (HC 997); English B2 for first applications as of 2026-01-08 (HC 1333).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from domain.language.cefr import lowest_cefr_level
from domain.language.model import CefrLevel, Language
from domain.points.result import FactorScore, PointsResult, decide, offer_paths, unique
from domain.points.versions import in_force
from domain.profile import EducationLevel, JobOffer, PayPeriod, Profile

SYSTEM = "uk_skilled_worker"
SOURCE_URL = "https://www.gov.uk/skilled-worker-visa"
UNITED_KINGDOM = "GB"
PASS_MARK = 70
SPONSOR, SKILL_LEVEL, ENGLISH, TRADEABLE = 20, 20, 10, 20
MAXIMUM = SPONSOR + SKILL_LEVEL + ENGLISH + TRADEABLE
DEGREE_LEVEL_RQF = 6
TEMPORARY_SHORTAGE_LIST_ENDS = date(2026, 12, 31)  # time-limited to the end of 2026
HOURLY_FLOOR = 17.13  # ⚠ "normally at least £17.13 an hour" — secondary sources only
PAY_SCALE_FLOOR = 25_000  # ⚠ option F: "at least ~£25,000"
GOING_RATE_WEEKLY_HOURS = 37.5
"""Going rates are for a 37.5-hour week, pro-rated to the job's weekly hours (Immigration Rules Appendix Skilled
Worker and the going-rates table, https://www.gov.uk/government/publications/skilled-worker-visa-going-rates-for-
eligible-occupations, as of 2025-07-22)."""


@dataclass(frozen=True, slots=True)
class UkRules:
    effective: date
    english_level: CefrLevel  # for a first Skilled Worker application


VERSIONS = (
    UkRules(date(2025, 7, 22), english_level=CefrLevel.B1),
    UkRules(date(2026, 1, 8), english_level=CefrLevel.B2),
)


@dataclass(frozen=True, slots=True)
class SalaryOption:
    code: str
    label: str
    floor: int  # GBP a year
    going_rate_share: float


OPTION_A = SalaryOption("A", "standard", 41_700, 1.0)
OPTION_B = SalaryOption("B", "PhD relevant to the job", 37_500, 0.9)
OPTION_C = SalaryOption("C", "STEM PhD relevant to the job", 33_400, 0.8)
OPTION_D = SalaryOption("D", "job on the Immigration Salary List (RQF 6+)", 33_400, 1.0)
OPTION_E = SalaryOption("E", "new entrant", 33_400, 0.7)
"""Options A–E for a CoS assigned on or after 2025-07-22; F (national pay scale) is a separate rule."""


def meets_salary_option(option: SalaryOption, salary: float, going_rate: float) -> bool:
    return salary >= option.floor and salary >= option.going_rate_share * going_rate


def uk_skilled_worker_score(profile: Profile, on: date) -> PointsResult:
    rules = in_force(VERSIONS, on)
    missing: list[str] = []
    offer = profile.job_offer_in(UNITED_KINGDOM)
    if profile.job_offers is None:
        missing.append("job_offers")
    factors = (
        _sponsor(offer, missing),
        _skill_level(profile, offer, on, missing),
        _english(profile, rules, missing),
        _tradeable(profile, offer, missing),
    )
    total = sum(f.points for f in factors)
    return PointsResult(
        system=SYSTEM,
        version=rules.effective,
        total=total,
        maximum=MAXIMUM,
        pass_mark=PASS_MARK,
        passed=decide(total, PASS_MARK, (), missing),
        factors=factors,
        missing=unique(offer_paths(missing, profile.job_offers, offer)),
        source_url=SOURCE_URL,
    )


def _sponsor(offer: JobOffer | None, missing: list[str]) -> FactorScore:
    key, label = "sponsor", "Job offer from a licensed sponsor"
    if offer is None:
        return FactorScore(key, label, 0, SPONSOR, "No UK job offer: 0 points.")
    if offer.sponsor_licensed is None:
        missing.append("job_offers.sponsor_licensed")
    points = SPONSOR if offer.sponsor_licensed else 0
    state = "is" if offer.sponsor_licensed else "is not known to be"
    return FactorScore(
        key, label, points, SPONSOR, f"The employer {state} a Home Office–licensed sponsor: {points} points."
    )


def _skill_level(profile: Profile, offer: JobOffer | None, on: date, missing: list[str]) -> FactorScore:
    key, label = "skill_level", "Job at the required skill level"
    if offer is None:
        return FactorScore(key, label, 0, SKILL_LEVEL, "No UK job offer: 0 points.")
    rqf = offer.rqf_level
    if rqf is None:
        missing.append("job_offers.rqf_level")
        return FactorScore(key, label, 0, SKILL_LEVEL, "The job's RQF level was not answered: 0 points.")
    if rqf >= DEGREE_LEVEL_RQF:
        return FactorScore(key, label, SKILL_LEVEL, SKILL_LEVEL, f"RQF {rqf} (degree level): 20 points.")
    if rqf < 3:
        return FactorScore(key, label, 0, SKILL_LEVEL, f"RQF {rqf} is below the eligible levels: 0 points.")
    routes: list[tuple[str, bool | None, str]] = [
        ("job_offers.on_immigration_salary_list", offer.on_immigration_salary_list, "on the Immigration Salary List"),
        (
            "job_offers.on_temporary_shortage_list",
            offer.on_temporary_shortage_list if on <= TEMPORARY_SHORTAGE_LIST_ENDS else False,
            "on the Temporary Shortage List",
        ),
        ("uk.on_route_before_2025_07_22", profile.uk.on_route_before_2025_07_22, "on the route before 2025-07-22"),
    ]
    for _, value, why in routes:
        if value:
            return FactorScore(
                key,
                label,
                SKILL_LEVEL,
                SKILL_LEVEL,
                f"RQF {rqf} counts because the job is {why}: 20 points."
                if "List" in why
                else f"RQF {rqf} counts because you were {why}: 20 points.",
            )
    missing += [path for path, value, _ in routes if value is None]
    return FactorScore(
        key,
        label,
        0,
        SKILL_LEVEL,
        f"RQF {rqf} needs the Immigration Salary List, the Temporary Shortage List or being on the "
        "route before 2025-07-22: 0 points.",
    )


def _english(profile: Profile, rules: UkRules, missing: list[str]) -> FactorScore:
    key, label = "english", "English language"
    required = rules.english_level
    if profile.uk.last_grant_required_b1:
        required = CefrLevel.B1
    elif profile.uk.last_grant_required_b1 is None and required > CefrLevel.B1:
        missing.append("uk.last_grant_required_b1")
    levels = [
        level
        for result in profile.language_tests or ()
        if result.test_language is Language.ENGLISH and (level := lowest_cefr_level(result)) is not None
    ]
    best = max(levels, default=None)
    if best is not None and best >= required:
        return FactorScore(key, label, ENGLISH, ENGLISH, f"English {best.name} meets {required.name}: 10 points.")
    if profile.uk.degree_taught_in_english:
        return FactorScore(key, label, ENGLISH, ENGLISH, "A degree taught in English meets the requirement: 10 points.")
    if profile.uk.majority_english_speaking_nationality:
        return FactorScore(key, label, ENGLISH, ENGLISH, "A majority-English-speaking nationality: 10 points.")
    for path, value in (
        ("language_tests", profile.language_tests),
        ("uk.degree_taught_in_english", profile.uk.degree_taught_in_english),
        ("uk.majority_english_speaking_nationality", profile.uk.majority_english_speaking_nationality),
    ):
        if value is None:
            missing.append(path)
    shown = f"English {best.name} is shown" if best else "No English CEFR level is shown"
    return FactorScore(key, label, 0, ENGLISH, f"{shown}, and {required.name} is required: 0 points.")


def _tradeable(profile: Profile, offer: JobOffer | None, missing: list[str]) -> FactorScore:
    key, label = "salary", "Salary (tradeable: any one option A–F)"
    if offer is None:
        return FactorScore(key, label, 0, TRADEABLE, "No UK job offer: 0 points.")
    salary, going_rate = offer.annual_salary(), pro_rated_going_rate(offer)
    if offer.currency not in (None, "GBP"):
        missing.append("job_offers.currency")
        return FactorScore(key, label, 0, TRADEABLE, f"Salary is in {offer.currency}, not GBP: 0 points.")
    if salary is None:
        missing.append("job_offers.salary")
        return FactorScore(key, label, 0, TRADEABLE, "Salary was not answered: 0 points.")
    met = _salary_option_met(profile, offer, salary, going_rate, missing)
    if met is None:
        met = _pay_scale_option_met(offer, salary)
    if met is None:
        return FactorScore(key, label, 0, TRADEABLE, f"£{salary:,.0f} meets none of the salary options A–F: 0 points.")
    return FactorScore(key, label, TRADEABLE, TRADEABLE, f"£{salary:,.0f} meets option {met}: 20 points.")


def pro_rated_going_rate(offer: JobOffer) -> float | None:
    """The occupation's annual going rate for this job's hours: a yearly rate × hours ÷ 37.5; an hourly rate
    already scales with the hours."""
    if offer.going_rate is None or offer.hours_per_week is None:
        return None
    if offer.salary_period is PayPeriod.HOUR:
        return offer.annual_going_rate()
    return offer.going_rate * offer.hours_per_week / GOING_RATE_WEEKLY_HOURS


def _salary_option_met(
    profile: Profile, offer: JobOffer, salary: float, going_rate: float | None, missing: list[str]
) -> str | None:
    """The first of options A–E met, as "A (standard)"; facts that could open an option go to `missing`.

    The £17.13 hourly floor is £33,400 over 37.5 hours a week, so it applies to A–E, not to option F.
    """
    rqf = offer.rqf_level or 0
    if offer.on_immigration_salary_list and 3 <= rqf < DEGREE_LEVEL_RQF:
        # The lower ISL/TSL floor for RQF 3–5 roles is not in our reference.
        missing.append("unresolved:uk.isl_floor_rqf_3_5")
    hourly = offer.hourly_rate()
    if hourly is None:
        missing.append("job_offers.hours_per_week")
        return None
    if round(hourly, 2) < HOURLY_FLOOR:  # pay is compared to the penny: £33,400 over 37.5 h is £17.13
        return None
    if going_rate is None:
        missing.append("job_offers.going_rate")
        return None
    doctorates = [c for c in profile.education or () if c.level is EducationLevel.DOCTORAL]
    for index, credential in enumerate(profile.education or ()):
        if credential.level is EducationLevel.DOCTORAL and credential.field_stem is None:
            missing.append(f"education[{index}].field_stem")
    relevant_phd = profile.uk.phd_relevant_to_job if doctorates else False
    conditions: list[tuple[SalaryOption, bool | None, str]] = [
        (OPTION_A, True, ""),
        (OPTION_B, relevant_phd, "uk.phd_relevant_to_job"),
        (OPTION_C, relevant_phd and any(c.field_stem for c in doctorates), "uk.phd_relevant_to_job"),
        (
            OPTION_D,
            offer.on_immigration_salary_list if rqf >= DEGREE_LEVEL_RQF else False,
            "job_offers.on_immigration_salary_list",
        ),
        (OPTION_E, profile.uk.new_entrant, "uk.new_entrant"),
    ]
    for option, applies, path in conditions:
        if applies is None:
            missing.append(path)
        if applies and meets_salary_option(option, salary, going_rate):
            return f"{option.code} ({option.label})"
    return None


def _pay_scale_option_met(offer: JobOffer, salary: float) -> str | None:
    pay_scale = offer.national_pay_scale_rate
    if pay_scale is not None and salary >= pay_scale and salary >= PAY_SCALE_FLOOR:
        return "F (listed health or education job on a national pay scale)"
    return None
