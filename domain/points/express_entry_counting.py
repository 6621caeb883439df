"""What CRS and FSW count, counted the same way for both: usable language results, the education level
that counts, skilled work in the last 10 years, relatives, the job offer, and whether a spouse is scored.

Source: https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/check-score/crs-criteria.html
— as of 2025-03-25 (language results: the language-test page, as of 2024-01-30).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import product

from domain.language.abilities import Abilities
from domain.language.express_entry import EXPRESS_ENTRY_TESTS, clb_levels
from domain.language.labels import TEST_LABELS
from domain.language.model import Language, LanguageTestResult
from domain.points.periods import Criterion, add_years, fte_years, qualifying_entries, skilled_work_criteria
from domain.profile import (
    Credential,
    EducationLevel,
    JobOffer,
    Lmia,
    NominationKind,
    Partner,
    Profile,
    Relationship,
    Relative,
    WorkEntry,
    education_level,
)

CANADA = "CA"
RESULT_VALID_YEARS = 2
LOOK_BACK_YEARS = 10


@dataclass(frozen=True, slots=True)
class LanguageResult:
    """One usable result, converted to CLB/NCLC per ability (an unanswered ability counts as 0)."""

    language: Language
    levels: Abilities[int]
    label: str


@dataclass(frozen=True, slots=True)
class UsableResults:
    by_language: Mapping[Language, tuple[LanguageResult, ...]]
    missing: tuple[str, ...]
    notes: tuple[str, ...]  # why a result was left out, as sentence fragments


def usable_results(tests: Sequence[LanguageTestResult] | None, on: date, path: str) -> UsableResults:
    """Results Express Entry accepts and that are still valid on `on` (2 years from the test date)."""
    if tests is None:
        return UsableResults({}, (path,), ())
    found: dict[Language, list[LanguageResult]] = {}
    missing: list[str] = []
    notes: list[str] = []
    for index, result in enumerate(tests):
        label = TEST_LABELS[result.test]
        if result.test not in EXPRESS_ENTRY_TESTS:
            notes.append(f"{label} is not accepted for Express Entry")
            continue
        test_date = result.test_date
        if test_date is None:
            missing.append(f"{path}[{index}].test_date")
        elif on >= add_years(test_date, RESULT_VALID_YEARS):
            notes.append(f"the {label} result of {test_date.isoformat()} expired after 2 years")
            continue
        levels = clb_levels(result, test_date=test_date or on)
        language = result.test_language
        if levels is None or language is None:
            notes.append(f"the {label} result predates 2019-10-01 and has expired")
            continue
        for ability, level in levels.items():
            if level is None:
                missing.append(f"{path}[{index}].{ability.value}")
        counted = Abilities(*(level or 0 for level in levels.values()))
        found.setdefault(language, []).append(LanguageResult(language, counted, label))
    return UsableResults({k: tuple(v) for k, v in found.items()}, tuple(missing), tuple(notes))


LanguageChoice = tuple[LanguageResult | None, LanguageResult | None]
"""(first official language, second official language)."""


def language_choices(results: UsableResults, first: Language | None) -> list[LanguageChoice]:
    """Every way to declare first and second language from the results; the calculator keeps the best."""
    english: Sequence[LanguageResult | None] = results.by_language.get(Language.ENGLISH) or (None,)
    french: Sequence[LanguageResult | None] = results.by_language.get(Language.FRENCH) or (None,)
    choices: list[LanguageChoice] = []
    for en, fr in product(english, french):
        if first in (None, Language.ENGLISH):
            choices.append((en, fr))
        if first in (None, Language.FRENCH):
            choices.append((fr, en))
    return choices


def best_result(results: UsableResults, points: Mapping[int, int]) -> LanguageResult | None:
    """The result that earns most under a per-ability table (used for the spouse's language)."""
    candidates = [r for group in results.by_language.values() for r in group]
    if not candidates:
        return None
    return max(candidates, key=lambda r: sum(points[level] for level in r.levels.values()))


def all_at_least(levels: Abilities[int] | None, minimum: int) -> bool:
    return levels is not None and min(levels.values()) >= minimum


def counted_education(credentials: Sequence[Credential] | None, path: str) -> tuple[EducationLevel, list[str]]:
    """Highest Canadian credential or foreign one with an ECA; two post-secondary ones with a 3-year+
    program count as "two or more"."""
    if credentials is None:
        return EducationLevel.NONE, [path]
    eligible: list[Credential] = []
    missing: list[str] = []
    for index, credential in enumerate(credentials):
        if credential.country is None:
            missing.append(f"{path}[{index}].country")
        elif credential.canadian or credential.eca:
            eligible.append(credential)
        elif credential.eca is None and credential.level > EducationLevel.NONE:
            missing.append(f"{path}[{index}].eca")
    return education_level(eligible), missing


def canadian_credential_level(credentials: Sequence[Credential] | None) -> EducationLevel:
    return max((c.level for c in credentials or () if c.canadian), default=EducationLevel.NONE)


@dataclass(frozen=True, slots=True)
class SpouseStatus:
    scored: bool  # the with-spouse columns apply
    partner: Partner | None
    reason: str
    missing: tuple[str, ...]


def spouse_status(profile: Profile) -> SpouseStatus:
    """With-spouse columns only for a spouse/partner who comes to Canada and is not a citizen or PR."""
    status = profile.marital_status
    if status is None:
        return SpouseStatus(
            False, None, "marital status was not answered, so you are scored as single", ("marital_status",)
        )
    if not status.has_partner:
        return SpouseStatus(False, None, "you have no spouse or common-law partner", ())
    partner = profile.partner
    if partner is None:
        return SpouseStatus(True, None, "your spouse or partner is assumed to come with you", ("partner",))
    if profile.partner_comes_along is False:
        return SpouseStatus(False, partner, "your spouse or partner is not coming to Canada", ())
    if partner.citizen_or_pr(CANADA):
        return SpouseStatus(False, partner, "your spouse or partner is already a Canadian citizen or PR", ())
    missing = []
    if profile.partner_comes_along is None:
        missing.append("partner.accompanying")
    if partner.citizen_or_pr_of is None:
        missing.append("partner.citizen_or_pr_of")
    reason = "your spouse or partner comes with you and is not a Canadian citizen or PR"
    return SpouseStatus(True, partner, reason + (" (assumed)" if missing else ""), tuple(missing))


def canadian_work_criteria(since: date, until: date) -> list[Criterion]:
    """Skilled (TEER 0–3), paid, authorised Canadian work; self-employment and student work excluded."""
    return skilled_work_criteria(since, until, country=CANADA, inside=True)


def work_years(
    entries: Sequence[WorkEntry] | None, criteria: list[Criterion], *, since: date, until: date, path: str
) -> tuple[int, list[str]]:
    """Completed full-time-equivalent years (1,560 h each) of the entries meeting the criteria."""
    if entries is None:
        return 0, [path]
    kept, missing = qualifying_entries(entries, criteria, path)
    return int(fte_years(kept, since=since, until=until)), missing


def look_back(on: date) -> date:
    return add_years(on, -LOOK_BACK_YEARS)


def has_relative_in_canada(
    relatives: Sequence[Relative] | None, relationships: frozenset[Relationship], *, include_partner_side: bool
) -> tuple[bool, list[str]]:
    """An adult citizen/PR relative living in Canada, of the applicant (or of the partner if included)."""
    if relatives is None:
        return False, ["relatives"]
    missing: list[str] = []
    for index, relative in enumerate(relatives):
        if relative.relationship not in relationships or relative.country != CANADA:
            continue
        if relative.of_partner and not include_partner_side:
            continue
        unknown = [
            f"relatives[{index}].{name}"
            for name, value in (("citizen_or_pr", relative.citizen_or_pr), ("adult", relative.adult))
            if value is None
        ]
        if relative.citizen_or_pr is False or relative.adult is False:
            continue
        if not unknown:
            return True, []
        missing += unknown
    return False, missing


def has_express_entry_nomination(profile: Profile) -> tuple[bool, list[str]]:
    if profile.nominations is None:
        return False, ["nominations"]
    return any(
        n.country == CANADA and n.kind is NominationKind.PROVINCIAL_EXPRESS_ENTRY for n in profile.nominations
    ), []


def qualifying_job_offer(profile: Profile) -> tuple[JobOffer | None, list[str]]:
    """A valid Canadian offer: full-time, non-seasonal, 1 year+, LMIA-supported or exempt, TEER 0–3."""
    if profile.job_offers is None:
        return None, ["job_offers"]
    missing: list[str] = []
    for index, offer in enumerate(profile.job_offers):
        if offer.country != CANADA:
            continue
        checks: list[tuple[str, bool | None]] = [
            ("full_time", offer.full_time),
            ("non_seasonal", offer.non_seasonal),
            ("at_least_one_year", offer.at_least_one_year),
            ("lmia", None if offer.lmia is None else offer.lmia in (Lmia.SUPPORTED, Lmia.EXEMPT)),
            ("teer", offer.skilled),
        ]
        if any(value is False for _, value in checks):
            continue
        unknown = [f"job_offers[{index}].{name}" for name, value in checks if value is None]
        if not unknown:
            return offer, []
        missing += unknown
    return None, missing
