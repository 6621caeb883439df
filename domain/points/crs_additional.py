"""CRS part D, additional points (the caller caps them at 600): nomination, job offer, Canadian study,
French, sibling.

Source: https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/check-score/crs-criteria.html
— as of 2025-03-25 (job offer 0; the 200/50 values belong to the older version).
"""

from __future__ import annotations

from domain.language.model import Language
from domain.points import crs_tables as t
from domain.points.express_entry_counting import (
    LanguageResult,
    all_at_least,
    canadian_credential_level,
    has_express_entry_nomination,
    has_relative_in_canada,
    qualifying_job_offer,
)
from domain.points.labels import EDUCATION_LABELS
from domain.points.result import FactorScore
from domain.profile import Profile, Relationship

UNRESOLVED_FRENCH_BONUS = "unresolved:crs.french_bonus_with_mixed_english"
"""The criteria page does not say what French NCLC 7+ earns when English is CLB 5+ in some abilities only."""


def additional_factors(
    profile: Profile,
    rules: t.CrsRules,
    first: LanguageResult | None,
    second: LanguageResult | None,
    missing: list[str],
) -> list[FactorScore]:
    nominated, nomination_missing = has_express_entry_nomination(profile)
    missing += nomination_missing
    pnp = t.PROVINCIAL_NOMINATION if nominated else 0
    factors = [
        FactorScore(
            "provincial_nomination",
            "Provincial or territorial nomination",
            pnp,
            t.PROVINCIAL_NOMINATION,
            "An Express Entry–aligned provincial nomination: 600 points."
            if nominated
            else "No Express Entry–aligned provincial nomination: 0 points.",
        ),
        _arranged_employment(profile, rules, missing),
    ]

    study_level = canadian_credential_level(profile.education)
    study = t.canadian_study_points(study_level)
    if profile.education is None:
        missing.append("education")
    factors.append(
        FactorScore(
            "canadian_study",
            "Post-secondary education in Canada",
            study,
            t.CANADIAN_STUDY_LONG,
            f"Highest Canadian credential is {EDUCATION_LABELS[study_level]}: {study} points."
            if study
            else "No Canadian post-secondary credential: 0 points.",
        )
    )
    factors.append(_french_bonus(first, second, missing))

    sibling, sibling_missing = has_relative_in_canada(
        profile.relatives, frozenset({Relationship.SIBLING}), include_partner_side=True
    )
    missing += sibling_missing
    sibling_points = t.SIBLING_IN_CANADA if sibling else 0
    factors.append(
        FactorScore(
            "sibling_in_canada",
            "Brother or sister in Canada",
            sibling_points,
            t.SIBLING_IN_CANADA,
            "An adult brother or sister (yours or your spouse's) is a Canadian citizen or PR living in "
            f"Canada: {sibling_points} points."
            if sibling
            else "No adult citizen/PR brother or sister in Canada: 0 points.",
        )
    )
    return factors


def _arranged_employment(profile: Profile, rules: t.CrsRules, missing: list[str]) -> FactorScore:
    key, label = "arranged_employment", "Arranged employment"
    maximum = rules.job_offer_major_group_00
    if maximum == 0:
        return FactorScore(key, label, 0, 0, f"A job offer earns no CRS points since {rules.effective.isoformat()}.")
    offer, offer_missing = qualifying_job_offer(profile)
    missing += offer_missing
    if offer is None:
        return FactorScore(key, label, 0, maximum, "No qualifying Canadian job offer: 0 points.")
    code = offer.occupation_code
    if offer.teer == 0 and code is None:
        index = (profile.job_offers or ()).index(offer)
        missing.append(f"job_offers[{index}].occupation_code")  # major group 00 earns the higher value
    if code is not None and code.startswith("00"):
        points = rules.job_offer_major_group_00
        return FactorScore(key, label, points, maximum, f"A qualifying offer in NOC major group 00: {points} points.")
    points = rules.job_offer_other_teer_0_3
    return FactorScore(key, label, points, maximum, f"A qualifying offer in TEER {offer.teer}: {points} points.")


def _french_bonus(first: LanguageResult | None, second: LanguageResult | None, missing: list[str]) -> FactorScore:
    key, label, maximum = "french_bonus", "French-language skills", t.FRENCH_WITH_ENGLISH
    results = [r for r in (first, second) if r is not None]
    french = next((r for r in results if r.language is Language.FRENCH), None)
    english = next((r for r in results if r.language is Language.ENGLISH), None)
    if french is None or not all_at_least(french.levels, 7):
        return FactorScore(key, label, 0, maximum, "French is not NCLC 7 or higher in all four abilities: 0 points.")
    if english is None or max(english.levels.values()) <= 4:
        points = t.FRENCH_WITHOUT_ENGLISH
        return FactorScore(
            key,
            label,
            points,
            maximum,
            f"French NCLC 7+ in all four and English CLB 4 or lower or untested: {points} points.",
        )
    if all_at_least(english.levels, 5):
        points = t.FRENCH_WITH_ENGLISH
        return FactorScore(
            key, label, points, maximum, f"French NCLC 7+ in all four and English CLB 5+ in all four: {points} points."
        )
    missing.append(UNRESOLVED_FRENCH_BONUS)
    return FactorScore(
        key,
        label,
        0,
        maximum,
        "French is NCLC 7+ in all four but English is CLB 5+ in only some abilities, a case the criteria page "
        "does not settle (0, 25 or 50 points), so it is unresolved and counted as 0 until confirmed.",
    )
