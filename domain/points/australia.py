"""Australian points test for the skilled visas 189, 190 and 491 (Migration Regulations Schedule 6D).

Source: https://immi.homeaffairs.gov.au/help-support/tools/points-calculator — table in force since
2019-11-16; pass mark 65; English levels from tests taken on or after 2025-08-07 (LIN 25/016 ⚠).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from domain.language.australia import AustralianEnglish
from domain.points.australia_partner import (
    AUSTRALIA,
    DEEMED_COMPETENT_PASSPORTS,
    MAXIMUM_AGE_EXCLUSIVE,
    PARTNER_SINGLE_OR_CITIZEN,
    best_english,
    partner_factor,
)
from domain.points.periods import Criterion, add_years, calendar_years, in_window, qualifying_entries
from domain.points.result import FactorScore, PointsResult, RequirementCheck, decide, plural, unique
from domain.points.versions import in_force
from domain.profile import (
    AuRecognition,
    Credential,
    EducationLevel,
    NominationKind,
    Profile,
    WorkEntry,
)

SOURCE_URL = "https://immi.homeaffairs.gov.au/help-support/tools/points-calculator"
PASS_MARK = 65
LOOK_BACK_YEARS = 10
PROFESSIONAL_YEAR_WITHIN_YEARS = 4
MIN_WEEKLY_HOURS = 20  # Schedule 6D: skilled employment means at least 20 hours a week


@dataclass(frozen=True, slots=True)
class AustraliaRules:
    effective: date
    nomination: Mapping[str, int]  # subclass → points


AU_VERSIONS = (AustraliaRules(date(2019, 11, 16), {"189": 0, "190": 5, "491": 15}),)

ENGLISH: Mapping[AustralianEnglish, int] = {
    AustralianEnglish.BELOW_COMPETENT: 0,
    AustralianEnglish.COMPETENT: 0,
    AustralianEnglish.PROFICIENT: 10,
    AustralianEnglish.SUPERIOR: 20,
}
OVERSEAS_EMPLOYMENT: Sequence[tuple[int, int]] = ((8, 15), (5, 10), (3, 5))
"""(at least this many years, points) in the last 10 years, outside Australia."""
AUSTRALIAN_EMPLOYMENT: Sequence[tuple[int, int]] = ((8, 20), (5, 15), (3, 10), (1, 5))
EMPLOYMENT_CAP = 20
DOCTORATE, BACHELOR_OR_MASTER, DIPLOMA_OR_TRADE, RECOGNISED_QUALIFICATION = 20, 15, 10, 10
SPECIALIST_EDUCATION = 10
AUSTRALIAN_STUDY = 5
PROFESSIONAL_YEAR = 5
COMMUNITY_LANGUAGE = 5
REGIONAL_STUDY = 5


def age_points(age: int) -> int:
    if 18 <= age <= 24:
        return 25
    if 25 <= age <= 32:
        return 30
    if 33 <= age <= 39:
        return 25
    return 15 if 40 <= age <= 44 else 0


def employment_points(years: float, *, in_australia: bool) -> int:
    table = AUSTRALIAN_EMPLOYMENT if in_australia else OVERSEAS_EMPLOYMENT
    return next((points for minimum, points in table if years >= minimum), 0)


RECOGNISED_POINTS: Mapping[AuRecognition, int] = {
    AuRecognition.DOCTORATE: DOCTORATE,
    AuRecognition.BACHELOR: BACHELOR_OR_MASTER,
    AuRecognition.OCCUPATION: RECOGNISED_QUALIFICATION,
}
"""A foreign qualification as the assessing authority recognised it (never above its own level)."""


def own_level_points(credential: Credential) -> int:
    """What the credential earns at its own level, as an Australian one would (a diploma or trade: 10)."""
    if credential.level is EducationLevel.DOCTORAL:
        return DOCTORATE
    if credential.level >= EducationLevel.BACHELOR:
        return BACHELOR_OR_MASTER
    return DIPLOMA_OR_TRADE if credential.level >= EducationLevel.ONE_YEAR else 0


def likely_recognition(credential: Credential) -> AuRecognition | None:
    """The recognition a credential could get at its own level; None below post-secondary."""
    if credential.level is EducationLevel.DOCTORAL:
        return AuRecognition.DOCTORATE
    if credential.level >= EducationLevel.BACHELOR:
        return AuRecognition.BACHELOR
    return AuRecognition.OCCUPATION if credential.post_secondary else None


def qualification_points(credential: Credential) -> int:
    """Points for one credential: Australian, or recognised by the assessing authority (else 0)."""
    if credential.australian:
        return own_level_points(credential)
    recognised = RECOGNISED_POINTS.get(credential.au_recognition) if credential.au_recognition else None
    return 0 if recognised is None else min(recognised, own_level_points(credential))


def au_189_score(profile: Profile, on: date) -> PointsResult:
    return australia_score(profile, on, "189")


def au_190_score(profile: Profile, on: date) -> PointsResult:
    return australia_score(profile, on, "190")


def au_491_score(profile: Profile, on: date) -> PointsResult:
    return australia_score(profile, on, "491")


def australia_score(profile: Profile, on: date, subclass: str) -> PointsResult:
    rules = in_force(AU_VERSIONS, on)
    missing: list[str] = []
    age = profile.age_on(on)
    if age is None:
        missing.append("age")
    english, english_text = best_english(profile.language_tests, on, "language_tests", missing)
    employment = _employment(profile.work_history, on, missing)
    factors = [
        FactorScore(
            "age",
            "Age at invitation",
            age_points(age) if age is not None else 0,
            30,
            f"Age {age}: {age_points(age)} points."
            if age is not None
            else "Age was not answered, so it scores 0 for now.",
        ),
        FactorScore(
            "english", "English language ability", ENGLISH[english], 20, f"{english_text}: {ENGLISH[english]} points."
        ),
        *employment,
        _qualification(profile.education, missing),
        *_study_factors(profile.education, missing),
        _professional_year(profile, on, missing),
        _community_language(profile, missing),
        partner_factor(profile, on, missing),
        _nomination(profile, subclass, rules.nomination[subclass], missing),
    ]
    total = sum(f.points for f in factors)
    requirements = [
        RequirementCheck(
            "age",
            "Under 45 at invitation",
            None if age is None else age < MAXIMUM_AGE_EXCLUSIVE,
            "Applicants must be under 45 when invited.",
        ),
        _competent_english(profile, english, any(m.startswith("unresolved:au.english") for m in missing)),
        RequirementCheck(
            "skills_assessment",
            "Suitable skills assessment",
            profile.australia.skills_assessment,
            "A suitable skills assessment in an occupation on the relevant list is required.",
        ),
    ]
    if profile.australia.skills_assessment is None:
        missing.append("australia.skills_assessment")
    if subclass != "189":
        nominated = next(f for f in factors if f.key == "nomination").points > 0
        requirements.append(
            RequirementCheck(
                "nomination",
                "Nomination or sponsorship",
                True if nominated else (None if profile.nominations is None else False),
                f"Subclass {subclass} needs a state/territory nomination"
                + (" or eligible relative sponsorship." if subclass == "491" else "."),
            )
        )
    return PointsResult(
        system=f"au_skilled_{subclass}",
        version=rules.effective,
        total=total,
        maximum=30
        + 20
        + EMPLOYMENT_CAP
        + DOCTORATE
        + SPECIALIST_EDUCATION
        + AUSTRALIAN_STUDY
        + PROFESSIONAL_YEAR
        + COMMUNITY_LANGUAGE
        + REGIONAL_STUDY
        + PARTNER_SINGLE_OR_CITIZEN
        + rules.nomination[subclass],
        pass_mark=PASS_MARK,
        passed=decide(total, PASS_MARK, requirements, missing),
        factors=tuple(factors),
        missing=unique(missing),
        requirements=tuple(requirements),
        source_url=SOURCE_URL,
    )


def _competent_english(profile: Profile, english: AustralianEnglish, unresolved: bool) -> RequirementCheck:
    key, label = "english", "At least Competent English"
    if english >= AustralianEnglish.COMPETENT:
        return RequirementCheck(key, label, True, "A test result reaches Competent English.")
    if profile.citizenships and profile.citizenships & DEEMED_COMPETENT_PASSPORTS:
        return RequirementCheck(key, label, True, "Your passport is deemed to show Competent English.")
    unknown = profile.language_tests is None or profile.citizenships is None or unresolved
    return RequirementCheck(key, label, None if unknown else False, "No test or passport shows Competent English.")


def _skilled(on: date) -> list[Criterion]:
    return [
        in_window(add_years(on, -LOOK_BACK_YEARS), on),
        ("relevant", lambda e: e.relevant),
        ("paid", lambda e: e.paid),
        ("hours_per_week", lambda e: None if e.hours_per_week is None else e.hours_per_week >= MIN_WEEKLY_HOURS),
    ]


def _employment(entries: Sequence[WorkEntry] | None, on: date, missing: list[str]) -> list[FactorScore]:
    if entries is None:
        missing.append("work_history")
        entries = ()
    kept, unknown = qualifying_entries(entries, _skilled(on), "work_history")
    missing += unknown
    since = add_years(on, -LOOK_BACK_YEARS)
    overseas = calendar_years([e for e in kept if e.country != AUSTRALIA], since=since, until=on)
    australian = calendar_years([e for e in kept if e.country == AUSTRALIA], since=since, until=on)
    overseas_points = employment_points(overseas, in_australia=False)
    australian_points = employment_points(australian, in_australia=True)
    kept_overseas = min(overseas_points, EMPLOYMENT_CAP - australian_points)
    capped = (
        f", but only {kept_overseas} count because both employment rows together are capped at {EMPLOYMENT_CAP}"
        if kept_overseas < overseas_points
        else ""
    )
    return [
        FactorScore(
            "australian_employment",
            "Skilled employment in Australia",
            australian_points,
            20,
            f"{australian:.1f} years of skilled employment in Australia in the last 10 years: "
            f"{australian_points} points.",
        ),
        FactorScore(
            "overseas_employment",
            "Skilled employment outside Australia",
            kept_overseas,
            15,
            f"{overseas:.1f} years of skilled employment outside Australia in the last 10 years: "
            f"{overseas_points} points{capped}.",
        ),
    ]


def _qualification(credentials: Sequence[Credential] | None, missing: list[str]) -> FactorScore:
    if credentials is None:
        missing.append("education")
        return FactorScore("qualification", "Qualification", 0, DOCTORATE, "Education was not answered: 0 points.")
    pending: list[Credential] = []
    for index, credential in enumerate(credentials):
        if credential.australian or not credential.post_secondary:
            continue
        if credential.au_recognition is None:
            missing.append(f"education[{index}].au_recognition")
        elif credential.au_recognition is AuRecognition.NOT_ASSESSED:
            pending.append(credential)
    points = max((qualification_points(c) for c in credentials), default=0)
    text = (
        f"Highest Australian or recognised qualification earns {points} points"
        if points
        else "No Australian or recognised post-secondary qualification: 0 points"
    )
    conditional = max((own_level_points(c) for c in pending), default=0)
    if conditional > points:
        text += (
            f"; conditional: {conditional} if the assessing authority recognises your not-yet-assessed "
            "qualification at its own level"
        )
    return FactorScore("qualification", "Qualification", points, DOCTORATE, text + ".")


def _study_factors(credentials: Sequence[Credential] | None, missing: list[str]) -> list[FactorScore]:
    australian = [(i, c) for i, c in enumerate(credentials or ()) if c.australian and c.post_secondary]
    for index, credential in australian:
        for name, value in (("duration_years", credential.duration_years), ("au_regional", credential.au_regional)):
            if value is None:
                missing.append(f"education[{index}].{name}")
    years = sum(c.duration_years or 0 for _, c in australian)
    regional_years = sum(c.duration_years or 0 for _, c in australian if c.au_regional)
    study = AUSTRALIAN_STUDY if years >= 2 else 0
    regional = REGIONAL_STUDY if regional_years >= 2 else 0

    specialist = 0
    for index, credential in australian:
        research = credential.level is EducationLevel.DOCTORAL or (
            credential.level is EducationLevel.MASTER and credential.by_research
        )
        if credential.level is EducationLevel.MASTER and credential.by_research is None:
            missing.append(f"education[{index}].by_research")
        if credential.level >= EducationLevel.MASTER and credential.field_stem is None:
            missing.append(f"education[{index}].field_stem")
        if research and credential.field_stem and (credential.duration_years or 0) >= 2:
            specialist = SPECIALIST_EDUCATION
    return [
        FactorScore(
            "specialist_education",
            "Specialist education qualification",
            specialist,
            SPECIALIST_EDUCATION,
            "An Australian master's by research or doctorate in a STEM field, 2+ academic years: 10 points."
            if specialist
            else "No Australian research master's or doctorate in a STEM field: 0 points.",
        ),
        FactorScore(
            "australian_study",
            "Australian study requirement",
            study,
            AUSTRALIAN_STUDY,
            f"{plural(years, 'academic year')} of study at Australian institutions (2 needed): {study} points.",
        ),
        FactorScore(
            "regional_study",
            "Study in regional Australia",
            regional,
            REGIONAL_STUDY,
            f"{plural(regional_years, 'academic year')} of Australian study in a designated regional "
            f"area (2 needed): {regional} points.",
        ),
    ]


def _professional_year(profile: Profile, on: date, missing: list[str]) -> FactorScore:
    facts = profile.australia
    key, label = "professional_year", "Professional Year in Australia"
    if facts.professional_year is None:
        missing.append("australia.professional_year")
    if not facts.professional_year:
        return FactorScore(key, label, 0, PROFESSIONAL_YEAR, "No Professional Year completed: 0 points.")
    completed = facts.professional_year_completed_on
    if completed is None:
        missing.append("australia.professional_year_completed_on")
        return FactorScore(
            key, label, 0, PROFESSIONAL_YEAR, "Professional Year completion date not answered, so it scores 0 for now."
        )
    recent = add_years(on, -PROFESSIONAL_YEAR_WITHIN_YEARS) <= completed <= on
    points = PROFESSIONAL_YEAR if recent else 0
    return FactorScore(
        key,
        label,
        points,
        PROFESSIONAL_YEAR,
        f"Professional Year completed {completed.isoformat()} "
        f"({'within' if recent else 'not within'} the last 4 years): {points} points.",
    )


def _community_language(profile: Profile, missing: list[str]) -> FactorScore:
    ccl = profile.australia.naati_ccl
    if ccl is None:
        missing.append("australia.naati_ccl")
    points = COMMUNITY_LANGUAGE if ccl else 0
    return FactorScore(
        "community_language",
        "Credentialled community language (NAATI CCL)",
        points,
        COMMUNITY_LANGUAGE,
        f"NAATI CCL {'held' if ccl else 'not held'}: {points} points.",
    )


def _nomination(profile: Profile, subclass: str, value: int, missing: list[str]) -> FactorScore:
    key, label = "nomination", "Nomination or sponsorship"
    if value == 0:
        return FactorScore(key, label, 0, 0, f"Subclass {subclass} has no nomination points.")
    if profile.nominations is None:
        missing.append("nominations")
        return FactorScore(key, label, 0, value, "Nomination was not answered, so it scores 0 for now.")
    for index, nomination in enumerate(profile.nominations):
        if nomination.country != AUSTRALIA:
            continue
        if nomination.kind is NominationKind.RELATIVE_SPONSORSHIP and subclass == "491":
            return FactorScore(key, label, value, value, f"Eligible relative sponsorship for 491: {value} points.")
        if nomination.kind is NominationKind.STATE_OR_TERRITORY:
            if nomination.subclass is None:
                missing.append(f"nominations[{index}].subclass")
            elif nomination.subclass == subclass:
                return FactorScore(
                    key, label, value, value, f"State or territory nomination for subclass {subclass}: {value} points."
                )
    return FactorScore(key, label, 0, value, f"No nomination for subclass {subclass}: 0 points.")
