"""Federal Skilled Worker: the minimum requirements, then the six-factor grid with its 67-point pass mark.

Sources: https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/eligibility/federal-skilled-workers.html
and .../federal-skilled-workers/six-selection-factors-federal-skilled-workers.html — grid as of 2025
(unchanged for years); proof of funds as of 2025-07-07.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from domain.points.crs import per_ability_sentence
from domain.points.express_entry_counting import (
    CANADA,
    LanguageResult,
    SpouseStatus,
    all_at_least,
    canadian_work_criteria,
    counted_education,
    has_relative_in_canada,
    language_choices,
    look_back,
    qualifying_job_offer,
    spouse_status,
    usable_results,
    work_years,
)
from domain.points.labels import EDUCATION_LABELS
from domain.points.periods import Criterion, fte_years, in_window, qualifying_entries, skilled_work_criteria
from domain.points.result import FactorScore, PointsResult, RequirementCheck, decide, plural, unique
from domain.points.versions import in_force
from domain.profile import Credential, EducationLevel, Profile, Relationship, WorkEntry

SYSTEM = "fsw67"
SOURCE_URL = (
    "https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/"
    "eligibility/federal-skilled-workers/six-selection-factors-federal-skilled-workers.html"
)
PASS_MARK = 67
MAXIMUM = 100

FIRST_LANGUAGE: Mapping[int, int] = {7: 4, 8: 5, 9: 6, 10: 6}
"""Per ability; below CLB 7 earns nothing and fails the minimum."""
SECOND_LANGUAGE = 4  # only with CLB/NCLC 5+ in all four abilities

EDUCATION: Mapping[EducationLevel, int] = {
    EducationLevel.NONE: 0,
    EducationLevel.SECONDARY: 5,
    EducationLevel.ONE_YEAR: 15,
    EducationLevel.TWO_YEAR: 19,
    EducationLevel.BACHELOR: 21,
    EducationLevel.TWO_OR_MORE: 22,
    EducationLevel.MASTER: 23,
    EducationLevel.DOCTORAL: 25,
}

WORK: Mapping[int, int] = {0: 0, 1: 9, 2: 11, 3: 11, 4: 13, 5: 13, 6: 15}
"""Completed years of skilled work in the last 10 years; 6 or more is the top row."""

AGE: Mapping[int, int] = {
    **{age: 12 for age in range(18, 36)},
    36: 11,
    37: 10,
    38: 9,
    39: 8,
    40: 7,
    41: 6,
    42: 5,
    43: 4,
    44: 3,
    45: 2,
    46: 1,
}
"""Age on the day the application is received; under 18 and 47+ score 0."""

ARRANGED_EMPLOYMENT = 10
ADAPTABILITY_CAP = 10
ADAPTABILITY_RELATIVES = frozenset(
    {
        Relationship.PARENT,
        Relationship.GRANDPARENT,
        Relationship.CHILD,
        Relationship.GRANDCHILD,
        Relationship.SIBLING,
        Relationship.AUNT_UNCLE,
        Relationship.NIECE_NEPHEW,
    }
)


@dataclass(frozen=True, slots=True)
class FundsTable:
    effective: date
    by_family_size: tuple[int, ...]  # family of 1, 2, … 7
    each_extra: int

    def required(self, family_size: int) -> int:
        sizes = len(self.by_family_size)
        if family_size <= sizes:
            return self.by_family_size[max(family_size, 1) - 1]
        return self.by_family_size[-1] + (family_size - sizes) * self.each_extra


PROOF_OF_FUNDS = (FundsTable(date(2025, 7, 7), (15_263, 19_001, 23_360, 28_362, 32_168, 36_280, 40_392), 4_112),)
"""CAD; updated each summer (⚠ check for a 2026 table)."""


def age_points(age: int) -> int:
    return AGE.get(age, 0)


def education_points(level: EducationLevel) -> int:
    return EDUCATION[level]


def work_points(years: int) -> int:
    return WORK[min(years, 6)]


def first_language_points(clb: int) -> int:
    return FIRST_LANGUAGE.get(min(clb, 10), 0)


def fsw_score(profile: Profile, on: date) -> PointsResult:
    """The grid score and minimums on `on`; with no declared first language, the better choice wins."""
    funds_table = in_force(PROOF_OF_FUNDS, on)
    results = usable_results(profile.language_tests, on, "language_tests")
    choices = language_choices(results, profile.canada.first_official_language)
    scored = [_score(profile, on, funds_table, first, second, results.missing) for first, second in choices]
    # A declaration that meets the CLB 7 minimum beats a higher total that cannot qualify.
    return max(scored, key=lambda r: (_language_met(r), r.total))


def _language_met(result: PointsResult) -> bool:
    return any(check.key == "language" and check.met is True for check in result.requirements)


def _score(
    profile: Profile,
    on: date,
    funds_table: FundsTable,
    first: LanguageResult | None,
    second: LanguageResult | None,
    language_missing: tuple[str, ...],
) -> PointsResult:
    missing: list[str] = list(language_missing)
    since = look_back(on)
    spouse = spouse_status(profile)
    missing += spouse.missing
    level, education_missing = counted_education(profile.education, "education")
    missing += education_missing
    years, work_missing = work_years(
        profile.work_history,
        skilled_work_criteria(since, on, country=CANADA, inside=None),
        since=since,
        until=on,
        path="work_history",
    )
    missing += work_missing
    offer, offer_missing = qualifying_job_offer(profile)
    missing += offer_missing

    factors = [
        _first_language(first),
        _second_language(second),
        FactorScore(
            "education",
            "Education",
            education_points(level),
            25,
            f"Counted education is {EDUCATION_LABELS[level]}: {education_points(level)} points.",
        ),
        FactorScore(
            "work_experience",
            "Skilled work experience",
            work_points(years),
            15,
            f"{plural(years, 'year')} of skilled (TEER 0–3) paid work in the last 10 years: "
            f"{work_points(years)} points.",
        ),
        _age(profile, on, missing),
        FactorScore(
            "arranged_employment",
            "Arranged employment in Canada",
            ARRANGED_EMPLOYMENT if offer else 0,
            ARRANGED_EMPLOYMENT,
            "A valid full-time, non-seasonal Canadian job offer of at least 1 year: 10 points."
            if offer
            else "No qualifying Canadian job offer: 0 points.",
        ),
        _adaptability(profile, on, spouse, offer is not None, missing),
    ]
    total = sum(f.points for f in factors)
    requirements = (
        _skilled_work_minimum(profile.work_history, since, on, missing),
        RequirementCheck(
            "language",
            "CLB 7 in all four abilities of the first official language",
            all_at_least(first.levels if first else None, 7) if first or not language_missing else None,
            "Needs CLB/NCLC 7 or higher in listening, reading, writing and speaking.",
        ),
        _education_minimum(profile.education, level, education_missing),
        _funds_minimum(profile, funds_table, offer is not None, missing),
    )
    return PointsResult(
        system=SYSTEM,
        version=funds_table.effective,
        total=total,
        maximum=MAXIMUM,
        pass_mark=PASS_MARK,
        passed=decide(total, PASS_MARK, requirements, missing),
        factors=tuple(factors),
        missing=unique(missing),
        requirements=requirements,
        source_url=SOURCE_URL,
    )


def _first_language(first: LanguageResult | None) -> FactorScore:
    label = "First official language"
    if first is None:
        return FactorScore("first_language", label, 0, 24, "No usable first-language result: 0 points.")
    points = sum(first_language_points(level) for level in first.levels.values())
    sentence = per_ability_sentence(first, first_language_points, total=points)
    return FactorScore("first_language", label, points, 24, f"{sentence} points.")


def _second_language(second: LanguageResult | None) -> FactorScore:
    label = "Second official language"
    if second is None:
        return FactorScore("second_language", label, 0, 4, "No result in the other official language: 0 points.")
    if all_at_least(second.levels, 5):
        return FactorScore("second_language", label, 4, 4, f"{second.label} at level 5+ in all four: 4 points.")
    return FactorScore("second_language", label, 0, 4, f"{second.label} is below level 5 in some ability: 0 points.")


def _age(profile: Profile, on: date, missing: list[str]) -> FactorScore:
    age = profile.age_on(on)
    if age is None:
        missing.append("age")
        return FactorScore("age", "Age", 0, 12, "Age was not answered, so it scores 0 for now.")
    return FactorScore("age", "Age", age_points(age), 12, f"Age {age}: {age_points(age)} points.")


def _adaptability(profile: Profile, on: date, spouse: SpouseStatus, has_offer: bool, missing: list[str]) -> FactorScore:
    items: list[tuple[int, str]] = []
    since = look_back(on)
    partner = spouse.partner if spouse.scored else None
    if partner is not None:
        spouse_results = usable_results(partner.language_tests, on, "partner.language_tests")
        missing += spouse_results.missing
        if any(all_at_least(r.levels, 4) for group in spouse_results.by_language.values() for r in group):
            items.append((5, "spouse's language CLB 4+ in all four (5)"))
        if _studied_in_canada(partner.education):
            items.append((5, "spouse's 2+ years of full-time study in Canada (5)"))
        spouse_years, spouse_missing = work_years(
            partner.work_history,
            _any_canadian_full_time(since, on),
            since=since,
            until=on,
            path="partner.work_history",
        )
        missing += spouse_missing
        if spouse_years >= 1:
            items.append((5, "spouse's 1+ year of full-time work in Canada (5)"))
    if _studied_in_canada(profile.education):
        items.append((5, "your 2+ years of full-time study in Canada (5)"))
    canadian_years, canadian_missing = work_years(
        profile.work_history, canadian_work_criteria(since, on), since=since, until=on, path="work_history"
    )
    missing += canadian_missing
    if canadian_years >= 1:
        items.append((10, "your 1+ year of skilled work in Canada (10)"))
    if has_offer:
        items.append((5, "arranged employment (5)"))
    relative, relative_missing = has_relative_in_canada(
        profile.relatives, ADAPTABILITY_RELATIVES, include_partner_side=partner is not None
    )
    missing += relative_missing
    if relative:
        items.append((5, "an adult citizen/PR relative in Canada (5)"))
    raw = sum(points for points, _ in items)
    points = min(raw, ADAPTABILITY_CAP)
    if not items:
        return FactorScore(
            "adaptability", "Adaptability", 0, ADAPTABILITY_CAP, "No adaptability items apply: 0 points."
        )
    capped = f", capped at {ADAPTABILITY_CAP}" if raw > ADAPTABILITY_CAP else ""
    return FactorScore(
        "adaptability",
        "Adaptability",
        points,
        ADAPTABILITY_CAP,
        f"{'; '.join(text for _, text in items).capitalize()} = {raw}{capped}: {points} points.",
    )


def _studied_in_canada(credentials: tuple[Credential, ...] | None) -> bool:
    return any(
        c.canadian and c.full_time and (c.duration_years or 0) >= 2 and c.level >= EducationLevel.SECONDARY
        for c in credentials or ()
    )


def _any_canadian_full_time(since: date, until: date) -> list[Criterion]:
    return [
        in_window(since, until),
        ("country", lambda e: e.country == CANADA),
        ("paid", lambda e: e.paid),
        ("hours_per_week", lambda e: None if e.hours_per_week is None else e.hours_per_week >= 30),
    ]


def _skilled_work_minimum(
    entries: tuple[WorkEntry, ...] | None, since: date, on: date, missing: list[str]
) -> RequirementCheck:
    key, label = "skilled_work", "1 year of skilled work in one TEER 0–3 occupation in the last 10 years"
    if entries is None:
        return RequirementCheck(key, label, None, "Work history was not answered.")
    rules = [
        *skilled_work_criteria(since, on, country=CANADA, inside=None),
        ("occupation_code", lambda e: None if e.occupation_code is None else True),
    ]
    kept, unknown = qualifying_entries(entries, rules, "work_history")
    missing += unknown
    by_occupation: defaultdict[str | None, list[WorkEntry]] = defaultdict(list)
    for entry in kept:
        by_occupation[entry.occupation_code].append(entry)
    best = max((fte_years(group, since=since, until=on) for group in by_occupation.values()), default=0.0)
    met = True if best >= 1 else (None if unknown else False)
    return RequirementCheck(
        key,
        label,
        met,
        f"Your most full-time-equivalent skilled work in one occupation is {best:.1f} years; 1 year (1,560 h) "
        "is needed, and it must be continuous, which these answers do not show.",
    )


def _education_minimum(
    credentials: tuple[Credential, ...] | None, level: EducationLevel, education_missing: list[str]
) -> RequirementCheck:
    key, label = "education", "Canadian credential or foreign credential with an ECA"
    if level >= EducationLevel.SECONDARY:
        return RequirementCheck(key, label, True, f"Counted education is {EDUCATION_LABELS[level]}.")
    if credentials is None or education_missing:
        return RequirementCheck(key, label, None, "Education or its ECA status was not answered.")
    return RequirementCheck(key, label, False, "No Canadian credential and no foreign credential with an ECA.")


def _funds_minimum(profile: Profile, table: FundsTable, has_offer: bool, missing: list[str]) -> RequirementCheck:
    key, label = "proof_of_funds", "Proof of settlement funds"
    authorised = profile.canada.authorised_to_work
    if authorised and has_offer:
        return RequirementCheck(key, label, True, "Not needed: authorised to work in Canada with a valid job offer.")
    if authorised is None and has_offer:
        missing.append("canada.authorised_to_work")
    status = profile.marital_status
    if status is None:
        missing.append("marital_status")
    if profile.dependent_children is None:
        missing.append("dependent_children")
    size = 1 + (1 if status is not None and status.has_partner else 0) + (profile.dependent_children or 0)
    required = table.required(size)
    needed = f"a family of {size} needs CAD {required:,} (table of {table.effective.isoformat()})"
    funds = profile.funds
    if funds is None:
        missing.append("funds")
        return RequirementCheck(key, label, None, f"Funds were not answered; {needed}.")
    if funds.currency != "CAD":
        missing.append("funds.currency")
        return RequirementCheck(key, label, None, f"Funds are in {funds.currency}, not CAD; {needed}.")
    met = funds.amount >= required
    return RequirementCheck(key, label, met, f"CAD {funds.amount:,.0f} available; {needed}.")
