"""Australian English levels (Competent / Proficient / Superior) from IELTS, PTE Academic and TOEFL iBT.

Source: https://immi.homeaffairs.gov.au/help-support/tools/points-calculator — English Language instrument
LIN 25/016, for tests taken on or after 2025-08-07. Every ability must reach the level.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import IntEnum

from domain.language.abilities import Abilities
from domain.language.cutoffs import Cutoffs, cutoff_columns, level_from_cutoffs
from domain.language.model import ABILITIES, Ability, LanguageTest, LanguageTestResult


class AustralianEnglish(IntEnum):
    BELOW_COMPETENT = 0
    COMPETENT = 1
    PROFICIENT = 2
    SUPERIOR = 3


NEW_THRESHOLDS_FROM = date(2025, 8, 7)

_COMPETENT, _PROFICIENT, _SUPERIOR = (
    AustralianEnglish.COMPETENT,
    AustralianEnglish.PROFICIENT,
    AustralianEnglish.SUPERIOR,
)


def _same_for_all(superior: float, proficient: float, competent: float) -> Mapping[Ability, Cutoffs]:
    return {a: ((superior, _SUPERIOR), (proficient, _PROFICIENT), (competent, _COMPETENT)) for a in ABILITIES}


IELTS: Mapping[Ability, Cutoffs] = _same_for_all(8, 7, 6)
"""IELTS Academic or General Training: 6 / 7 / 8 in each component (unchanged on 2025-08-07)."""

# ⚠ PTE Academic and TOEFL iBT rows: secondary sources (Mondaq, VisaVerge, toeflresources) only; verify
# against the Home Affairs page before relying on them.
PTE_ACADEMIC_FROM_2025_08_07: Mapping[Ability, Cutoffs] = cutoff_columns(
    # level, listening, reading, writing, speaking
    (
        (_SUPERIOR, 69, 70, 85, 88),
        (_PROFICIENT, 58, 59, 69, 76),
        (_COMPETENT, 47, 48, 51, 54),
    )
)
TOEFL_IBT_FROM_2025_08_07: Mapping[Ability, Cutoffs] = cutoff_columns(
    (
        (_SUPERIOR, 26, 27, 30, 28),
        (_PROFICIENT, 22, 22, 26, 24),
        (_COMPETENT, 16, 16, 19, 19),
    )
)
PTE_ACADEMIC_BEFORE_2025_08_07: Mapping[Ability, Cutoffs] = _same_for_all(79, 65, 50)
"""Sittings before 2025-08-07 keep the old PTE scores (50 / 65 / 79) for their validity period."""


def australian_english_table(test: LanguageTest, test_date: date) -> Mapping[Ability, Cutoffs] | None:
    """None where we hold no table: other tests, and TOEFL before 2025-08-07 (older table not in our
    reference — unresolved)."""
    if test in (LanguageTest.IELTS_ACADEMIC, LanguageTest.IELTS_GT):
        return IELTS
    new = test_date >= NEW_THRESHOLDS_FROM
    if test is LanguageTest.PTE_ACADEMIC:
        return PTE_ACADEMIC_FROM_2025_08_07 if new else PTE_ACADEMIC_BEFORE_2025_08_07
    if test is LanguageTest.TOEFL_IBT and new:
        return TOEFL_IBT_FROM_2025_08_07
    return None


def australian_english_ability(
    test: LanguageTest, ability: Ability, score: float, test_date: date
) -> AustralianEnglish | None:
    table = australian_english_table(test, test_date)
    if table is None:
        return None
    return AustralianEnglish(level_from_cutoffs(table[ability], score, AustralianEnglish.BELOW_COMPETENT))


def australian_english_levels(
    result: LanguageTestResult, *, test_date: date
) -> Abilities[AustralianEnglish | None] | None:
    """Level per ability (None where a score is missing), or None when we hold no table for the test."""
    if australian_english_table(result.test, test_date) is None:
        return None

    def convert(ability: Ability) -> AustralianEnglish | None:
        score = result.score(ability)
        return None if score is None else australian_english_ability(result.test, ability, score, test_date)

    return Abilities.build(convert)
