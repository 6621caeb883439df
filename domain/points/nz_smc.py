"""New Zealand Skilled Migrant Category: one skill category (3–6 points) plus NZ skilled work counted in windows
ending on the application date (1–3 points); at least 6 points, on top of the baseline job, age and English.

Sources: https://www.immigration.govt.nz/new-zealand-visas/visas/visa/skilled-migrant-category-resident-visa ;
INZ Operational Manual SR3.25 (https://immigration.govt.nz/opsmanual/80474.htm) and SR3.35
(https://immigration.govt.nz/opsmanual/81679.htm) — in force since 2023-10-09.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date

from domain.language.ielts import ielts_overall
from domain.language.model import Language
from domain.points.periods import add_months, merged_stretches, qualifying_entries
from domain.points.result import FactorScore, PointsResult, RequirementCheck, decide, offer_paths, unique
from domain.points.versions import in_force
from domain.profile import Credential, EducationLevel, JobOffer, NzQualificationType, Profile, WorkEntry

SYSTEM = "nz_smc"
SOURCE_URL = "https://www.immigration.govt.nz/new-zealand-visas/visas/visa/skilled-migrant-category-resident-visa"
NEW_ZEALAND = "NZ"
PASS_MARK = 6
SKILL_CATEGORY_MAXIMUM = 6
WORK_YEARS_MAXIMUM = 3
MAXIMUM_AGE = 55
FULL_TIME_HOURS = 30
ENGLISH_IELTS_OVERALL = 6.5
AUGUST_2026_CHANGES = date(2026, 8, 1)
"""Announced changes from August 2026 (day and details unconfirmed ⚠): flagged, not applied."""


@dataclass(frozen=True, slots=True)
class NzSmcRules:
    effective: date
    median_wage: float  # NZD an hour
    published_rates: tuple[tuple[float, float], ...]  # (multiple of the median, NZD an hour as INZ states it)


VERSIONS = (NzSmcRules(date(2023, 10, 9), median_wage=31.61, published_rates=((3, 94.83), (2, 63.22), (1.5, 47.41))),)
"""SR3.25.1 (https://immigration.govt.nz/opsmanual/80474.htm, read 2026-12-06) states the income rates "currently"
$94.83, $63.22 and $47.41 an hour: the median of NZD 31.61 they imply, and 1.5× stated as $47.41, not 47.415."""

REGISTRATION: Sequence[tuple[float, int]] = ((6, 6), (5, 5), (4, 4), (2, 3))
"""(years of training at least, points); one source says 3 years for the 3-point row ⚠."""
QUALIFICATION_TYPE: Mapping[int, int] = {10: 6, 9: 5, 8: 4, 7: 3}
"""NZQF level of a recognised qualification type: doctorate, master's, honours/PG diploma, bachelor's/PG cert."""
QUALIFICATION_BY_TYPE: Mapping[NzQualificationType, int] = {
    NzQualificationType.DOCTORAL: 6,
    NzQualificationType.MASTERS: 5,
    NzQualificationType.BACHELOR_HONOURS: 4,
    NzQualificationType.POSTGRADUATE_DIPLOMA: 4,
    NzQualificationType.POSTGRADUATE_CERTIFICATE: 3,
    NzQualificationType.BACHELORS: 3,
}
"""SR3.25.5(a): a level 8 postgraduate certificate scores with the level 7 bachelor's, not with honours."""
QUALIFICATION_LEVEL_ONLY: Mapping[int, int] = {10: 5, 9: 4, 8: 3}
"""An overseas qualification NZQA assessed only as a level."""
INCOME: Sequence[tuple[float, int]] = ((3, 6), (2, 4), (1.5, 3))
"""(multiple of the median wage at least, points)."""
WORK_WINDOWS: Sequence[tuple[int, int, int]] = ((36, 60, 3), (24, 48, 2), (12, 24, 1))
"""SR3.35 (effective 2023-10-09): (months of NZ skilled work at least, within the prior months, points); the
months need not be consecutive."""

NZ_AWARD_LEVEL: Mapping[EducationLevel, int] = {
    EducationLevel.DOCTORAL: 10,
    EducationLevel.MASTER: 9,
    EducationLevel.TWO_OR_MORE: 7,
    EducationLevel.BACHELOR: 7,
}


def registration_points(training_years: float) -> int:
    return next((points for minimum, points in REGISTRATION if training_years >= minimum), 0)


def qualification_points(nzqf_level: int, *, type_match: bool) -> int:
    table = QUALIFICATION_TYPE if type_match else QUALIFICATION_LEVEL_ONLY
    return table.get(min(nzqf_level, 10), 0)


def income_points(multiple: float) -> int:
    return next((points for minimum, points in INCOME if multiple >= minimum), 0)


def nz_smc_score(profile: Profile, on: date) -> PointsResult:
    rules = in_force(VERSIONS, on)
    missing: list[str] = []
    if on >= AUGUST_2026_CHANGES:
        missing.append("unresolved:nz.august_2026_changes")
    offer = profile.job_offer_in(NEW_ZEALAND)
    if profile.job_offers is None:
        missing.append("job_offers")
    multiple = _income_multiple(profile, offer, rules)
    options = [
        _registration(profile, missing),
        _qualification(profile.education, missing),
        _income(multiple, offer is None and profile.job_offers is not None, missing),
    ]
    work_options = [_nz_work(profile, on, missing, after_registration=i == 0) for i in range(len(options))]
    chosen = max(range(len(options)), key=lambda i: (options[i][0] + work_options[i][0], options[i][0]))
    best = options[chosen]
    if chosen == 0 and best[0] > 0 and profile.new_zealand.registered_on is None:
        missing.append("new_zealand.registered_on")
    others = "; ".join(text for i, (points, text) in enumerate(options) if i != chosen)
    skill = FactorScore(
        "skill_category",
        "Skill category (one only)",
        best[0],
        SKILL_CATEGORY_MAXIMUM,
        f"{best[1][0].upper()}{best[1][1:]}: {best[0]} points (only the best category counts; {others}).",
    )
    work_points, work_text = work_options[chosen]
    work = FactorScore(
        "nz_work_experience",
        "New Zealand skilled work experience",
        work_points,
        WORK_YEARS_MAXIMUM,
        f"{work_text}: {work_points} points (SR3.35: 12 months within the last 24 → 1, 24 within 48 → 2, "
        "36 within 60 → 3).",
    )
    factors = (skill, work)
    total = skill.points + work.points
    requirements = (
        _job_requirement(offer, multiple, missing),
        _age_requirement(profile, on, missing),
        _english_requirement(profile, missing),
    )
    return PointsResult(
        system=SYSTEM,
        version=rules.effective,
        total=total,
        maximum=SKILL_CATEGORY_MAXIMUM + WORK_YEARS_MAXIMUM,
        pass_mark=PASS_MARK,
        passed=decide(total, PASS_MARK, requirements, missing),
        factors=factors,
        missing=unique(offer_paths(missing, profile.job_offers, offer)),
        requirements=requirements,
        source_url=SOURCE_URL,
    )


def _income_multiple(profile: Profile, offer: JobOffer | None, rules: NzSmcRules) -> float | None:
    if profile.new_zealand.income_multiple is not None:
        return profile.new_zealand.income_multiple
    if offer is None or offer.currency not in (None, "NZD"):
        return None
    hourly = offer.hourly_rate()
    if hourly is None:
        return None
    # Pay at a rate INZ states meets that multiple, though the rate is rounded to the cent (47.41 < 1.5 × 31.61).
    reached = [multiple for multiple, rate in rules.published_rates if hourly >= rate]
    return max([hourly / rules.median_wage, *reached])


def _registration(profile: Profile, missing: list[str]) -> tuple[int, str]:
    facts = profile.new_zealand
    if facts.occupational_registration is None:
        missing.append("new_zealand.occupational_registration")
    if not facts.occupational_registration:
        return 0, "no occupational registration"
    years = facts.registration_training_years
    if years is None:
        missing.append("new_zealand.registration_training_years")
        return 0, "occupational registration with unknown training length"
    return registration_points(years), f"occupational registration needing {years:g} years of training"


def _credential_level(credential: Credential) -> tuple[int | None, bool | None]:
    if credential.nzqf_level is not None:
        return credential.nzqf_level, True if credential.new_zealand else credential.nzqf_type_match
    if credential.new_zealand:
        return NZ_AWARD_LEVEL.get(credential.level), True
    return None, None


def _type_points(credential: Credential, level: int, index: int, missing: list[str]) -> int:
    """A matched type scores its own row; level 8 alone cannot tell honours/PG diploma (4) from a PG certificate
    (3), so it scores 3 until the type is known."""
    kind = credential.nzqf_type
    if kind is not None and kind is not NzQualificationType.LEVEL_ONLY:
        return QUALIFICATION_BY_TYPE[kind]
    if level == 8:
        missing.append(f"education[{index}].nzqf_type")
        return QUALIFICATION_TYPE[7]
    return qualification_points(level, type_match=True)


def _qualification(credentials: Sequence[Credential] | None, missing: list[str]) -> tuple[int, str]:
    if credentials is None:
        missing.append("education")
        return 0, "education not answered"
    best, text = 0, "no qualification at NZQF level 7 or higher"
    for index, credential in enumerate(credentials):
        level, type_match = _credential_level(credential)
        if credential.nzqf_type is NzQualificationType.LEVEL_ONLY:
            type_match = False
        if level is None:
            if credential.level >= EducationLevel.BACHELOR:
                missing.append(f"education[{index}].nzqf_level")
            continue
        if type_match is None:
            missing.append(f"education[{index}].nzqf_type_match")
        points = (
            _type_points(credential, level, index, missing)
            if type_match
            else qualification_points(level, type_match=False)
        )
        if points > best:
            kind = "qualification type" if type_match else "level only"
            if credential.nzqf_type is not None and type_match:
                kind = credential.nzqf_type.value.replace("_", " ")
            best, text = points, f"a qualification recognised at NZQF level {level} ({kind})"
    return best, text


def _income(multiple: float | None, no_offer: bool, missing: list[str]) -> tuple[int, str]:
    if multiple is None and no_offer:
        return 0, "no NZ job or offer to earn income points"
    if multiple is None:
        missing.append("new_zealand.income_multiple")
        return 0, "income from the NZ job not known"
    return income_points(multiple), f"income of {multiple:.2f}× the median wage"


def _nz_work(profile: Profile, on: date, missing: list[str], *, after_registration: bool) -> tuple[int, str]:
    """Points for NZ skilled work at the required pay, full time, inside SR3.35's windows ending on `on`; when
    registration earns the skill points, only work after the registration counts."""
    if profile.work_history is None:
        if not after_registration:
            missing.append("work_history")
        return 0, "NZ work was not answered"
    rules = [
        ("country", lambda e: e.country == NEW_ZEALAND),
        ("paid_at_required_rate", lambda e: e.paid_at_required_rate),
        ("hours_per_week", lambda e: None if e.hours_per_week is None else e.hours_per_week >= FULL_TIME_HOURS),
    ]
    kept, unknown = qualifying_entries(profile.work_history, rules, "work_history")
    if not after_registration:
        missing += unknown
    suffix = ""
    if after_registration:
        registered = profile.new_zealand.registered_on
        if registered is None:
            return 0, "NZ work after the registration cannot be counted until its date is known"
        kept = [_from(e, registered) for e in kept if (e.end or on) > registered]
        suffix = f" after the registration of {registered.isoformat()}"
    for months, within, points in WORK_WINDOWS:
        if _months_covered(kept, on, within) >= months:
            return points, f"At least {months} months of NZ skilled work{suffix} within the last {within} months"
    done = _months_covered(kept, on, 24)
    return 0, f"{done} months of NZ skilled work{suffix} within the last 24 months (12 needed)"


def _from(entry: WorkEntry, day: date) -> WorkEntry:
    return entry if entry.start >= day else replace(entry, start=day)


def _months_covered(entries: Sequence[WorkEntry], on: date, within: int) -> int:
    """Months of work in the `within` months before `on` (overlapping jobs count once): whole calendar months of
    each stretch, plus the odd days of all stretches together at 365/12 days a month."""
    stretches = merged_stretches(((e.start, e.end or on) for e in entries), since=add_months(on, -within), until=on)
    months, days = 0, 0
    for start, end in stretches:
        whole = (end.year - start.year) * 12 + end.month - start.month - (end.day < start.day)
        months += whole
        days += (end - add_months(start, whole)).days
    return months + int(days / (365 / 12) + 1e-9)


def _job_requirement(offer: JobOffer | None, multiple: float | None, missing: list[str]) -> RequirementCheck:
    key, label = "job", "Full-time job or offer with an accredited employer at the required pay"
    if offer is None:
        return RequirementCheck(key, label, False, "No New Zealand job or job offer was given.")
    checks: list[tuple[str, bool | None]] = [
        ("sponsor_licensed", offer.sponsor_licensed),
        ("hours_per_week", None if offer.hours_per_week is None else offer.hours_per_week >= FULL_TIME_HOURS),
    ]
    level = offer.anzsco_skill_level
    if level is None or multiple is None:
        checks.append(("anzsco_skill_level" if level is None else "salary", None))
    else:
        checks.append(("salary", multiple >= (1.0 if level <= 3 else 1.5)))
    if any(value is False for _, value in checks):
        return RequirementCheck(
            key,
            label,
            False,
            "The NZ job does not meet the accredited employer, 30 h/week "
            "or pay condition (median wage for ANZSCO 1–3, 1.5× for 4–5).",
        )
    unknown = [name for name, value in checks if value is None]
    missing += [f"job_offers.{name}" for name in unknown]
    return RequirementCheck(
        key,
        label,
        None if unknown else True,
        "Accredited employer, 30+ h/week, paid at least the median wage (1.5× for ANZSCO 4–5).",
    )


def _age_requirement(profile: Profile, on: date, missing: list[str]) -> RequirementCheck:
    age = profile.age_on(on)
    if age is None:
        missing.append("age")
    return RequirementCheck(
        "age", "Aged 55 or under", None if age is None else age <= MAXIMUM_AGE, "Applicants must be 55 or under."
    )


def _english_requirement(profile: Profile, missing: list[str]) -> RequirementCheck:
    key, label = "english", "English: IELTS 6.5 overall or equivalent"
    if profile.language_tests is None:
        missing.append("language_tests")
        return RequirementCheck(key, label, None, "English tests were not answered.")
    overall = [band for band in map(ielts_overall, profile.language_tests) if band is not None]
    if any(band >= ENGLISH_IELTS_OVERALL for band in overall):
        return RequirementCheck(key, label, True, f"IELTS overall {max(overall):g} meets 6.5.")
    others = [r for r in profile.language_tests if r.test_language is Language.ENGLISH and ielts_overall(r) is None]
    if others:
        # Equivalent scores on other tests are not in our reference.
        missing.append("unresolved:nz.english_equivalents")
        return RequirementCheck(key, label, None, "Only IELTS equivalents are held; other tests are unresolved.")
    return RequirementCheck(key, label, False, "No IELTS result with 6.5 overall.")
