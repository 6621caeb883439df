"""Comprehensive Ranking System score (Express Entry), every factor explained.

Source: https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/check-score/crs-criteria.html
— as of 2025-03-25 (no arranged-employment points); the 200/50 job-offer version is kept for earlier dates.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from domain.language.model import Language
from domain.points import crs_tables as t
from domain.points.crs_additional import UNRESOLVED_FRENCH_BONUS, additional_factors
from domain.points.express_entry_counting import (
    CANADA,
    LanguageResult,
    SpouseStatus,
    UsableResults,
    best_result,
    canadian_work_criteria,
    counted_education,
    language_choices,
    look_back,
    spouse_status,
    usable_results,
    work_years,
)
from domain.points.labels import EDUCATION_LABELS
from domain.points.periods import skilled_work_criteria
from domain.points.result import FactorScore, PointsResult, cap_factors, plural, unique
from domain.points.versions import in_force
from domain.profile import EducationLevel, Profile

SYSTEM = "crs"


@dataclass(frozen=True, slots=True)
class _Counted:
    """What the profile counts for, read once: everything that does not depend on which language is declared first."""

    on: date
    rules: t.CrsRules
    spouse: SpouseStatus
    education: EducationLevel
    canadian_years: int
    foreign_years: int
    applicant_results: UsableResults
    missing: tuple[str, ...]


def crs_score(profile: Profile, on: date) -> PointsResult:
    """The CRS score on `on`; when the first official language is not declared, the better choice wins."""
    counted = _gather(profile, on)
    choices = language_choices(counted.applicant_results, profile.canada.first_official_language)
    scored = [_score(profile, counted, first, second) for first, second in choices]
    return max(scored, key=lambda result: result.total)


def _gather(profile: Profile, on: date) -> _Counted:
    since = look_back(on)
    education, education_missing = counted_education(profile.education, "education")
    canadian, canadian_missing = work_years(
        profile.work_history, canadian_work_criteria(since, on), since=since, until=on, path="work_history"
    )
    foreign, foreign_missing = work_years(
        profile.work_history,
        skilled_work_criteria(since, on, country=CANADA, inside=False),
        since=since,
        until=on,
        path="work_history",
    )
    results = usable_results(profile.language_tests, on, "language_tests")
    spouse = spouse_status(profile)
    return _Counted(
        on=on,
        rules=in_force(t.CRS_VERSIONS, on),
        spouse=spouse,
        education=education,
        canadian_years=canadian,
        foreign_years=foreign,
        applicant_results=results,
        missing=unique([*spouse.missing, *education_missing, *canadian_missing, *foreign_missing, *results.missing]),
    )


def _score(
    profile: Profile, counted: _Counted, first: LanguageResult | None, second: LanguageResult | None
) -> PointsResult:
    missing = list(counted.missing)
    with_spouse = counted.spouse.scored
    factors = [
        _age(profile, counted, missing),
        _education(counted),
        _first_language(first, counted, _declaration(profile, counted)),
        _second_language(second, with_spouse),
        _canadian_work(counted),
        *_spouse_factors(counted, missing),
        *cap_factors(
            _transferability(profile, counted, first, missing), t.TRANSFERABILITY_MAXIMUM, "skill transferability"
        ),
        *cap_factors(
            additional_factors(profile, counted.rules, first, second, missing),
            t.ADDITIONAL_MAXIMUM,
            "additional points",
        ),
    ]
    return PointsResult(
        system=SYSTEM,
        version=counted.rules.effective,
        total=sum(f.points for f in factors),
        maximum=t.MAXIMUM,
        pass_mark=None,
        passed=None,
        factors=tuple(factors),
        missing=unique(missing),
        source_url=t.SOURCE_URL,
    )


def _table_name(with_spouse: bool) -> str:
    return "with-spouse" if with_spouse else "without-spouse"


def _age(profile: Profile, counted: _Counted, missing: list[str]) -> FactorScore:
    with_spouse = counted.spouse.scored
    maximum = t.AGE[25][with_spouse]
    age = profile.age_on(counted.on)
    if age is None:
        missing.append("age")
        return FactorScore("age", "Age", 0, maximum, "Age was not answered, so it scores 0 for now.")
    points = t.age_points(age, with_spouse=with_spouse)
    return FactorScore(
        "age", "Age", points, maximum, f"Age {age} on the {_table_name(with_spouse)} table: {points} points."
    )


def _education(counted: _Counted) -> FactorScore:
    with_spouse = counted.spouse.scored
    points = t.education_points(counted.education, with_spouse=with_spouse)
    maximum = t.education_points(EducationLevel.DOCTORAL, with_spouse=with_spouse)
    label = EDUCATION_LABELS[counted.education]
    return FactorScore(
        "education",
        "Level of education",
        points,
        maximum,
        f"Counted education is {label} (Canadian, or foreign with an ECA): {points} points.",
    )


def _benchmark(language: Language) -> str:
    return "NCLC" if language is Language.FRENCH else "CLB"


def _level_text(prefix: str, level: int) -> str:
    return f"{prefix} {level}" if level >= 4 else f"{prefix} 3 or lower"


def per_ability_sentence(result: LanguageResult, points_of: Callable[[int], int], *, total: int) -> str:
    """ "CLB 9 in all four abilities: 4 × 31 = 124 points" or the four abilities one by one."""
    prefix = _benchmark(result.language)
    levels = result.levels.values()
    if len(set(levels)) == 1:
        each = points_of(levels[0])
        return f"{_level_text(prefix, levels[0])} in all four abilities ({result.label}): 4 × {each} = {total}"
    parts = [
        f"{ability.value} {_level_text(prefix, level)} ({points_of(level)})" for ability, level in result.levels.items()
    ]
    return f"{result.label}: {', '.join(parts)} = {total}"


def _declaration(profile: Profile, counted: _Counted) -> str:
    """Which order was scored, when results in both official languages make the order matter."""
    if len(counted.applicant_results.by_language) < 2:
        return ""
    declared = profile.canada.first_official_language
    if declared is None:
        return " (no first official language declared: both orders were scored and the higher is shown)"
    return f" ({declared.value.capitalize()} declared as first official language)"


def _first_language(first: LanguageResult | None, counted: _Counted, declaration: str = "") -> FactorScore:
    with_spouse = counted.spouse.scored
    maximum = 4 * t.first_language_points(10, with_spouse=with_spouse)
    label = "First official language"
    if first is None:
        why = "; ".join(counted.applicant_results.notes) or "no accepted test result was given"
        return FactorScore("first_language", label, 0, maximum, f"No usable first-language result ({why}): 0 points.")
    points = sum(t.first_language_points(level, with_spouse=with_spouse) for level in first.levels.values())
    sentence = per_ability_sentence(first, lambda c: t.first_language_points(c, with_spouse=with_spouse), total=points)
    return FactorScore("first_language", label, points, maximum, f"{sentence} points{declaration}.")


def _second_language(second: LanguageResult | None, with_spouse: bool) -> FactorScore:
    cap = t.SECOND_LANGUAGE_CAP[with_spouse]
    label = "Second official language"
    if second is None:
        return FactorScore("second_language", label, 0, cap, "No result in the other official language: 0 points.")
    raw = sum(t.second_language_points(level) for level in second.levels.values())
    points = min(raw, cap)
    sentence = per_ability_sentence(second, t.second_language_points, total=raw)
    if raw > cap:
        sentence += f", capped at {cap}"
    return FactorScore("second_language", label, points, cap, f"{sentence} points.")


def _canadian_work(counted: _Counted) -> FactorScore:
    with_spouse = counted.spouse.scored
    points = t.canadian_work_points(counted.canadian_years, with_spouse=with_spouse)
    maximum = t.canadian_work_points(5, with_spouse=with_spouse)
    years = plural(counted.canadian_years, "year")
    return FactorScore(
        "canadian_work",
        "Canadian work experience",
        points,
        maximum,
        f"{years} of skilled (TEER 0–3) Canadian work in the last 10 years: {points} points.",
    )


def _spouse_factors(counted: _Counted, missing: list[str]) -> list[FactorScore]:
    keys = (
        ("spouse_education", "Spouse's education", 10),
        ("spouse_language", "Spouse's first official language", 20),
        ("spouse_canadian_work", "Spouse's Canadian work experience", 10),
    )
    spouse = counted.spouse
    if not spouse.scored:
        why = f"Not scored because {spouse.reason}, so the without-spouse tables apply."
        return [FactorScore(key, label, 0, 0, why) for key, label, _ in keys]
    partner = spouse.partner
    if partner is None:
        why = "Your spouse's facts were not answered, so this scores 0 for now."
        return [FactorScore(key, label, 0, maximum, why) for key, label, maximum in keys]

    level, education_missing = counted_education(partner.education, "partner.education")
    education_points = t.spouse_education_points(level)
    results = usable_results(partner.language_tests, counted.on, "partner.language_tests")
    best = best_result(results, {clb: t.spouse_language_points(clb) for clb in range(0, 11)})
    since = look_back(counted.on)
    years, work_missing = work_years(
        partner.work_history,
        canadian_work_criteria(since, counted.on),
        since=since,
        until=counted.on,
        path="partner.work_history",
    )
    missing += [*education_missing, *results.missing, *work_missing]

    if best is None:
        language_points, language_text = 0, "No usable spouse language result: 0 points."
    else:
        language_points = sum(t.spouse_language_points(level) for level in best.levels.values())
        language_text = per_ability_sentence(best, t.spouse_language_points, total=language_points) + " points."
    work_points = t.spouse_canadian_work_points(years)
    return [
        FactorScore(
            keys[0][0],
            keys[0][1],
            education_points,
            10,
            f"Spouse's counted education is {EDUCATION_LABELS[level]}: {education_points} points.",
        ),
        FactorScore(keys[1][0], keys[1][1], language_points, 20, language_text),
        FactorScore(
            keys[2][0],
            keys[2][1],
            work_points,
            10,
            f"Spouse has {plural(years, 'year')} of skilled Canadian work: {work_points} points.",
        ),
    ]


def _transferability(
    profile: Profile, counted: _Counted, first: LanguageResult | None, missing: list[str]
) -> list[FactorScore]:
    levels = first.levels.values() if first is not None else None
    band = t.language_band(levels)
    bench = _benchmark(first.language) if first is not None else "CLB"
    band_text = (f"below {bench} 7 in some ability", f"band {bench} 7+", f"band {bench} 9+")[band]
    cap = t.TRANSFERABILITY_GROUP_MAXIMUM
    canadian = counted.canadian_years

    education_row = t.TRANSFER_EDUCATION[t.education_class(counted.education)]
    edu_language, edu_work = t.combination_points(education_row, band, canadian)
    education_points = min(edu_language + edu_work, cap)
    education = FactorScore(
        "transferability_education",
        "Skill transferability: education",
        education_points,
        cap,
        f"{EDUCATION_LABELS[counted.education].capitalize()} with language {band_text} gives {edu_language} and "
        f"with {plural(canadian, 'year')} of Canadian work {edu_work}: {education_points} points (max {cap}).",
    )

    work_row = t.TRANSFER_FOREIGN_WORK[t.foreign_work_class(counted.foreign_years)]
    work_language, work_canadian = t.combination_points(work_row, band, canadian)
    work_points = min(work_language + work_canadian, cap)
    foreign = FactorScore(
        "transferability_foreign_work",
        "Skill transferability: foreign work experience",
        work_points,
        cap,
        f"{plural(counted.foreign_years, 'year')} of skilled foreign work with language {band_text} gives "
        f"{work_language} and with {plural(canadian, 'year')} of Canadian work {work_canadian}: "
        f"{work_points} points (max {cap}).",
    )

    certificate = profile.canada.certificate_of_qualification
    if certificate is None:
        missing.append("canada.certificate_of_qualification")
    certificate_points = t.certificate_points(levels) if certificate else 0
    certificate_text = (
        f"Certificate of qualification with first-language levels {_levels_text(first)}: {certificate_points} points."
        if certificate
        else "No Canadian certificate of qualification: 0 points."
    )
    return [
        education,
        foreign,
        FactorScore(
            "transferability_certificate",
            "Skill transferability: certificate of qualification",
            certificate_points,
            cap,
            certificate_text,
        ),
    ]


def _levels_text(result: LanguageResult | None) -> str:
    if result is None:
        return "unknown"
    return "/".join(str(level) for level in result.levels.values())


__all__ = ["SYSTEM", "UNRESOLVED_FRENCH_BONUS", "crs_score", "per_ability_sentence"]
