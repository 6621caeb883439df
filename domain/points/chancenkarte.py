"""Germany's Opportunity Card (Chancenkarte): route 1 for recognised skilled workers without points;
route 2 with three prerequisites and at least 6 points (Residence Act §20a, §20b and its Annex).

Sources: https://www.make-it-in-germany.com/en/visa-residence/types/job-search-opportunity-card ;
https://www.gesetze-im-internet.de/aufenthg_2004/ — in force since 2024-06-01.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from domain.language.cefr import lowest_cefr_level
from domain.language.model import CefrLevel, Language, LanguageTestResult
from domain.points.periods import add_months, add_years, calendar_years, in_window, merged_stretches, qualifying_entries
from domain.points.result import FactorScore, PointsResult, RequirementCheck, decide, unique
from domain.points.versions import NoRulesInForce, in_force
from domain.profile import Credential, EducationLevel, GermanRecognition, Profile, StayPurpose

SYSTEM = "de_chancenkarte"
SOURCE_URL = "https://www.make-it-in-germany.com/en/visa-residence/types/job-search-opportunity-card"
GERMANY = "DE"
PASS_MARK = 6
CARD_MONTHS = 12

PARTIAL_RECOGNITION = 4
SHORTAGE_OCCUPATION = 1
EXPERIENCE_5_OF_7, EXPERIENCE_2_OF_5 = 3, 2
GERMAN = {CefrLevel.B2: 3, CefrLevel.B1: 2, CefrLevel.A2: 1}  # B2 or higher is the top item
ENGLISH_C1 = 1
AGE_UNDER_35, AGE_UNDER_40 = 2, 1
STAY_IN_GERMANY = 1
PARTNER = 1
MAXIMUM = PARTIAL_RECOGNITION + SHORTAGE_OCCUPATION + EXPERIENCE_5_OF_7 + 3 + ENGLISH_C1 + AGE_UNDER_35
MAXIMUM += STAY_IN_GERMANY + PARTNER


@dataclass(frozen=True, slots=True)
class LivingCosts:
    effective: date
    per_month: int  # EUR


LIVING_COSTS = (LivingCosts(date(2025, 1, 1), 1_091),)
"""EUR 1,091/month in 2025, still quoted in mid-2026 ⚠ verify yearly; the 2024 figure is not in our reference."""


@dataclass(frozen=True, slots=True)
class ChancenkarteRules:
    effective: date


VERSIONS = (ChancenkarteRules(date(2024, 6, 1)),)


def age_points(age: int) -> int:
    """The statute says "has not completed the 35th / 40th year of life", so 40 itself earns 0."""
    if age < 35:
        return AGE_UNDER_35
    return AGE_UNDER_40 if age < 40 else 0


def german_points(level: CefrLevel | None) -> int:
    if level is None or level < CefrLevel.A2:
        return 0
    return GERMAN[min(level, CefrLevel.B2)]


def experience_points(years_in_last_7: float, years_in_last_5: float) -> int:
    if years_in_last_7 >= 5:
        return EXPERIENCE_5_OF_7
    return EXPERIENCE_2_OF_5 if years_in_last_5 >= 2 else 0


def chancenkarte_score(profile: Profile, on: date) -> PointsResult:
    rules = in_force(VERSIONS, on)
    missing: list[str] = []
    german, english = _best_levels(profile.language_tests, missing)
    factors = [
        _partial_recognition(profile, missing),
        _flag_factor(
            "shortage_occupation",
            "Qualification in a shortage occupation",
            profile.germany.shortage_occupation_qualification,
            SHORTAGE_OCCUPATION,
            "germany.shortage_occupation_qualification",
            missing,
        ),
        _experience(profile, on, missing),
        FactorScore(
            "german",
            "German language",
            german_points(german),
            3,
            f"German {german.name if german else 'below A2 or not shown'}: {german_points(german)} points.",
        ),
        _english(profile, english, missing),
        _age(profile, on, missing),
        _stay(profile, on, missing),
        _partner(profile, missing),
    ]
    total = sum(f.points for f in factors)
    funds = _funds(profile, on, missing)
    route_1 = _route_1(profile, missing)
    route_2 = (
        _qualification_prerequisite(profile.education, missing),
        _language_prerequisite(german, english, unknown=profile.language_tests is None),
        funds,
    )
    route_2_verdict = decide(total, PASS_MARK, route_2, missing)
    if route_1.met:
        requirements: tuple[RequirementCheck, ...] = (route_1, funds)
        passed, pass_mark = funds.met, None
    else:
        requirements = (route_1, *route_2)
        passed, pass_mark = route_2_verdict, PASS_MARK
        if route_1.met is None and route_2_verdict is False:
            passed = None
    return PointsResult(
        system=SYSTEM,
        version=rules.effective,
        total=total,
        maximum=MAXIMUM,
        pass_mark=pass_mark,
        passed=passed,
        factors=tuple(factors),
        missing=unique(missing),
        requirements=requirements,
        source_url=SOURCE_URL,
    )


def _best_levels(
    tests: Sequence[LanguageTestResult] | None, missing: list[str]
) -> tuple[CefrLevel | None, CefrLevel | None]:
    if tests is None:
        missing.append("language_tests")
        return None, None
    best: dict[Language, CefrLevel] = {}
    for index, result in enumerate(tests):
        level = lowest_cefr_level(result)
        language = result.test_language
        if language is None:
            missing.append(f"language_tests[{index}].language")
            continue
        if level is None:
            if language in (Language.GERMAN, Language.ENGLISH):
                missing.append(f"language_tests[{index}].cefr_level")
            continue
        best[language] = max(level, best.get(language, level))
    return best.get(Language.GERMAN), best.get(Language.ENGLISH)


def _flag_factor(key: str, label: str, value: bool | None, points: int, path: str, missing: list[str]) -> FactorScore:
    if value is None:
        missing.append(path)
    earned = points if value else 0
    state = "yes" if value else ("not answered" if value is None else "no")
    return FactorScore(key, label, earned, points, f"{label}: {state}, {earned} points.")


def _partial_recognition(profile: Profile, missing: list[str]) -> FactorScore:
    recognition = profile.germany.recognition
    key, label = "partial_recognition", "Partial recognition of the qualification"
    if recognition is None:
        missing.append("germany.recognition")
        return FactorScore(key, label, 0, PARTIAL_RECOGNITION, "Recognition status was not answered: 0 points.")
    points = PARTIAL_RECOGNITION if recognition is GermanRecognition.PARTIAL else 0
    text = {
        GermanRecognition.PARTIAL: "A German body found the qualification partly equivalent: 4 points.",
        GermanRecognition.FULL: "The qualification is fully recognised (route 1), so this item earns 0 points.",
        GermanRecognition.NONE: "No partial recognition notice: 0 points.",
    }[recognition]
    return FactorScore(key, label, points, PARTIAL_RECOGNITION, text)


def _experience(profile: Profile, on: date, missing: list[str]) -> FactorScore:
    key, label = "work_experience", "Relevant work experience"
    if profile.work_history is None:
        missing.append("work_history")
        return FactorScore(key, label, 0, EXPERIENCE_5_OF_7, "Work history was not answered: 0 points.")
    since_7, since_5 = add_years(on, -7), add_years(on, -5)
    rules = [in_window(since_7, on), ("relevant", lambda e: e.relevant), ("paid", lambda e: e.paid)]
    kept, unknown = qualifying_entries(profile.work_history, rules, "work_history")
    missing += unknown
    last_7 = calendar_years(kept, since=since_7, until=on)
    last_5 = calendar_years(kept, since=since_5, until=on)
    points = experience_points(last_7, last_5)
    return FactorScore(
        key,
        label,
        points,
        EXPERIENCE_5_OF_7,
        f"{last_7:.1f} years of relevant work in the last 7 years ({last_5:.1f} in the last 5): {points} points.",
    )


def _english(profile: Profile, english: CefrLevel | None, missing: list[str]) -> FactorScore:
    native = profile.germany.english_native
    if english is not None and english >= CefrLevel.C1:
        return FactorScore("english", "English language", 1, 1, f"English {english.name}: 1 point.")
    if native:
        return FactorScore("english", "English language", 1, 1, "English is a native language: 1 point.")
    if native is None:
        missing.append("germany.english_native")
    shown = english.name if english else "not shown"
    return FactorScore("english", "English language", 0, 1, f"English {shown}, below C1: 0 points.")


def _age(profile: Profile, on: date, missing: list[str]) -> FactorScore:
    age = profile.age_on(on)
    if age is None:
        missing.append("age")
        return FactorScore("age", "Age", 0, AGE_UNDER_35, "Age was not answered, so it scores 0 for now.")
    points = age_points(age)
    return FactorScore(
        "age", "Age", points, AGE_UNDER_35, f"Age {age} (under 35 earns 2, 35 to under 40 earns 1): {points} points."
    )


def _stay(profile: Profile, on: date, missing: list[str]) -> FactorScore:
    key, label = "stay_in_germany", "Earlier lawful stay in Germany"
    stays = profile.germany.stays
    if stays is None:
        missing.append("germany.stays")
        return FactorScore(key, label, 0, STAY_IN_GERMANY, "Earlier stays were not answered: 0 points.")
    spans = [(s.start, s.end) for s in stays if s.purpose is not StayPurpose.TOURISM]
    stretches = merged_stretches(spans, since=add_years(on, -5), until=on)
    long_enough = any(add_months(start, 6) <= end for start, end in stretches)
    points = STAY_IN_GERMANY if long_enough else 0
    return FactorScore(
        key,
        label,
        points,
        STAY_IN_GERMANY,
        "A non-tourist stay in Germany of 6+ continuous months in the last 5 years: 1 point."
        if long_enough
        else "No non-tourist stay of 6+ continuous months in the last 5 years: 0 points.",
    )


def _partner(profile: Profile, missing: list[str]) -> FactorScore:
    key, label = "partner", "Partner applies too"
    status = profile.marital_status
    if status is not None and not status.has_partner:
        return FactorScore(key, label, 0, PARTNER, "No spouse or partner: 0 points.")
    return _flag_factor(
        key,
        "Spouse/partner also qualifies and applies at the same time",
        profile.germany.partner_qualifies_and_applies,
        PARTNER,
        "germany.partner_qualifies_and_applies",
        missing,
    )


def _route_1(profile: Profile, missing: list[str]) -> RequirementCheck:
    key, label = "route_1_skilled_worker", "German qualification or fully recognised foreign qualification"
    german = any(c.country == GERMANY and c.level >= EducationLevel.TWO_YEAR for c in profile.education or ())
    recognition = profile.germany.recognition
    if german or recognition is GermanRecognition.FULL:
        return RequirementCheck(
            key, label, True, "Route 1 applies: a skilled worker gets the card without points or a language test."
        )
    met = None if recognition is None or profile.education is None else False
    return RequirementCheck(key, label, met, "Route 1 does not apply, so route 2 (points) is used.")


def _qualification_prerequisite(credentials: Sequence[Credential] | None, missing: list[str]) -> RequirementCheck:
    key, label = "qualification", "Foreign degree, or state-recognised vocational qualification of 2+ years"
    if credentials is None:
        return RequirementCheck(key, label, None, "Education was not answered.")
    unknown = False
    for index, c in enumerate(credentials):
        if c.country is None:
            missing.append(f"education[{index}].country")
            unknown = True
            continue
        if c.country == GERMANY:
            continue
        if c.level >= EducationLevel.BACHELOR:
            return RequirementCheck(key, label, True, "A foreign university degree meets it.")
        if c.vocational or c.level in (EducationLevel.ONE_YEAR, EducationLevel.TWO_YEAR):
            facts = {"state_recognised": c.state_recognised, "duration_years": c.duration_years}
            if c.state_recognised and (c.duration_years or 0) >= 2:
                return RequirementCheck(key, label, True, "A state-recognised vocational qualification of 2+ years.")
            for name, value in facts.items():
                if value is None:
                    missing.append(f"education[{index}].{name}")
                    unknown = True
    return RequirementCheck(key, label, None if unknown else False, "No qualifying foreign qualification shown.")


def _language_prerequisite(german: CefrLevel | None, english: CefrLevel | None, *, unknown: bool) -> RequirementCheck:
    shown = (german is not None and german >= CefrLevel.A1) or (english is not None and english >= CefrLevel.B2)
    met = True if shown else (None if unknown else False)
    return RequirementCheck(
        "language", "German A1 or English B2", met, "A German A1 or English B2 certificate is required for route 2."
    )


def _funds(profile: Profile, on: date, missing: list[str]) -> RequirementCheck:
    key, label = "living_costs", "Secured living costs"
    if profile.germany.living_costs_secured_otherwise:
        return RequirementCheck(key, label, True, "Secured by a declaration of commitment or a part-time contract.")
    try:
        figure = in_force(LIVING_COSTS, on)
    except NoRulesInForce:
        missing.append("unresolved:de.living_costs_figure")
        return RequirementCheck(key, label, None, "The living-costs figure for this date is not held.")
    needed = figure.per_month * CARD_MONTHS
    funds = profile.funds
    if funds is None or funds.currency != "EUR":
        missing.append("funds" if funds is None else "funds.currency")
        return RequirementCheck(key, label, None, f"EUR {needed:,} is needed for {CARD_MONTHS} months.")
    met = funds.amount >= needed
    return RequirementCheck(
        key, label, met, f"EUR {funds.amount:,.0f} available; EUR {needed:,} is needed for {CARD_MONTHS} months."
    )
