"""Australian points test: English levels a person reaches, and the partner row (one row only).

Source: https://immi.homeaffairs.gov.au/help-support/tools/points-calculator — table in force since
2019-11-16; English from tests on or after 2025-08-07 (LIN 25/016 ⚠).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from domain.language.australia import AustralianEnglish, australian_english_levels
from domain.language.labels import TEST_LABELS
from domain.language.model import LanguageTestResult
from domain.points.result import FactorScore
from domain.profile import Profile

AUSTRALIA = "AU"
MAXIMUM_AGE_EXCLUSIVE = 45
PARTNER_SINGLE_OR_CITIZEN, PARTNER_SKILLED, PARTNER_COMPETENT_ENGLISH = 10, 10, 5

DEEMED_COMPETENT_PASSPORTS = frozenset({"GB", "US", "CA", "NZ", "IE"})
"""Passport holders are deemed Competent (so eligible); points for English still need a test."""


def best_english(
    tests: Sequence[LanguageTestResult] | None, on: date, path: str, missing: list[str]
) -> tuple[AustralianEnglish, str]:
    """The highest level any result reaches in all four components, and a phrase saying which."""
    if tests is None:
        missing.append(path)
        return AustralianEnglish.BELOW_COMPETENT, "English tests were not answered"
    best, text = AustralianEnglish.BELOW_COMPETENT, "No test reaches Competent English in every component"
    for index, result in enumerate(tests):
        label = TEST_LABELS[result.test]
        if result.test_date is None:
            missing.append(f"{path}[{index}].test_date")
        levels = australian_english_levels(result, test_date=result.test_date or on)
        if levels is None:
            # CELPIP, LanguageCert, MET and pre-2025-08-07 TOEFL thresholds are not in our reference.
            missing.append(f"unresolved:au.english_thresholds.{result.test.value}")
            continue
        for ability, level in levels.items():
            if level is None:
                missing.append(f"{path}[{index}].{ability.value}")
        lowest = min(level or AustralianEnglish.BELOW_COMPETENT for level in levels.values())
        if lowest > best:
            best, text = lowest, f"{label} reaches {lowest.name.capitalize()} English in every component"
    return best, text


def partner_factor(profile: Profile, on: date, missing: list[str]) -> FactorScore:
    key, label, maximum = "partner", "Partner", PARTNER_SINGLE_OR_CITIZEN
    status = profile.marital_status
    if status is None:
        missing.append("marital_status")
        return FactorScore(key, label, 0, maximum, "Marital status was not answered, so this scores 0 for now.")
    if not status.has_partner:
        return FactorScore(key, label, PARTNER_SINGLE_OR_CITIZEN, maximum, "No spouse or de facto partner: 10 points.")
    partner = profile.partner
    if partner is None:
        missing.append("partner")
        return FactorScore(key, label, 0, maximum, "Partner's facts were not answered, so this scores 0 for now.")
    citizen = partner.citizen_or_pr(AUSTRALIA)
    if citizen:
        return FactorScore(key, label, 10, maximum, "Your partner is an Australian citizen or PR: 10 points.")
    if citizen is None:
        missing.append("partner.citizen_or_pr_of")
    english, _ = best_english(partner.language_tests, on, "partner.language_tests", missing)
    competent = english >= AustralianEnglish.COMPETENT
    age = partner.age_on(on)
    if age is None:
        missing.append("partner.age")
    if partner.au_skills_assessment is None:
        missing.append("partner.au_skills_assessment")
    if competent and partner.au_skills_assessment and age is not None and age < MAXIMUM_AGE_EXCLUSIVE:
        return FactorScore(
            key,
            label,
            10,
            maximum,
            "Skilled partner (under 45, Competent English, suitable skills assessment): 10 points.",
        )
    if competent:
        return FactorScore(key, label, 5, maximum, "Partner has Competent English only: 5 points.")
    return FactorScore(key, label, 0, maximum, "Partner is not skilled and has no Competent English result: 0 points.")
