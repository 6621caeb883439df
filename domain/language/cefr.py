"""CEFR levels as the certificate states them, per ability; used by Germany (Goethe, telc, ÖSD, TestDaF,
ECL, TOEFL for English) and the UK (SELT at B1/B2).

Source: https://www.make-it-in-germany.com/en/visa-residence/types/job-search-opportunity-card — as of
2024-06-01. No score-to-CEFR table is in our reference, so a numeric result counts only when its report
states a CEFR level; we do not derive one.
"""

from __future__ import annotations

from domain.language.abilities import Abilities
from domain.language.model import CefrLevel, LanguageTestResult


def cefr_levels(result: LanguageTestResult) -> Abilities[CefrLevel] | None:
    """The stated level for every ability, or None when the result states no CEFR level."""
    level = result.cefr_level
    if level is None:
        return None
    return Abilities(level, level, level, level)


def lowest_cefr_level(result: LanguageTestResult) -> CefrLevel | None:
    levels = cefr_levels(result)
    return None if levels is None else min(levels.values())
