"""The next level up on a language test, as the destination reads it: the lowest score that reaches it.

Canada reads CLB/NCLC (IRCC's tables), Australia its Competent/Proficient/Superior levels, everyone
reads a CEFR certificate's stated level; elsewhere an IELTS band moves in half bands. The tables are the
ones in `domain.language`; nothing here restates a threshold.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from domain.language.australia import australian_english_table
from domain.language.clb import IELTS_GT_TO_CLB, PTE_CORE_TO_CLB, celpip_to_clb
from domain.language.cutoffs import Cutoffs, level_from_cutoffs
from domain.language.model import ABILITIES, CEFR_CERTIFICATES, Ability, CefrLevel, LanguageTest, LanguageTestResult
from domain.language.nclc import TCF_CANADA, tef_canada_table

_IELTS = frozenset({LanguageTest.IELTS_GT, LanguageTest.IELTS_ACADEMIC})
IELTS_TOP, IELTS_STEP = 9.0, 0.5
CELPIP_TOP_CLB = 10
_BELOW_ANY = -1


@dataclass(frozen=True, slots=True)
class Step:
    ability: Ability
    level: int  # the level now, on the destination's scale (CLB, AU level index, or half bands ×2)
    score: float  # the score now
    next_score: float  # the lowest score of the next level


def _canadian_table(test: LanguageTest, test_date: date) -> Mapping[Ability, Cutoffs] | None:
    if test is LanguageTest.IELTS_GT:
        return IELTS_GT_TO_CLB
    if test is LanguageTest.PTE_CORE:
        return PTE_CORE_TO_CLB
    if test is LanguageTest.TCF_CANADA:
        return TCF_CANADA
    if test is LanguageTest.TEF_CANADA:
        return tef_canada_table(test_date)
    return None


def _next_from(cutoffs: Cutoffs, score: float) -> tuple[int, float] | None:
    current = level_from_cutoffs(cutoffs, score, _BELOW_ANY)
    higher = [(level, lowest) for lowest, level in cutoffs if level > current]
    if not higher:
        return None
    _, lowest = min(higher)
    return current, lowest


def ability_step(result: LanguageTestResult, ability: Ability, destination: str, on: date) -> Step | None:
    score = result.score(ability)
    if score is None:
        return None
    test_date = result.test_date or on
    found: tuple[int, float] | None = None
    if destination == "CA" and result.test is LanguageTest.CELPIP_G:
        level = celpip_to_clb(ability, score)
        found = None if level >= CELPIP_TOP_CLB else (level, float(max(level + 1, 4)))
    elif destination == "CA" and (table := _canadian_table(result.test, test_date)) is not None:
        found = _next_from(table[ability], score)
    elif destination == "AU" and (au_table := australian_english_table(result.test, test_date)) is not None:
        found = _next_from(au_table[ability], score)
    elif result.test in _IELTS and score < IELTS_TOP:
        found = (int(score * 2), score + IELTS_STEP)
    return None if found is None else Step(ability, found[0], score, found[1])


def weakest_step(result: LanguageTestResult, destination: str, on: date) -> Step | None:
    """The lowest-level ability that can still go up (ties: listening, reading, writing, speaking)."""
    steps = [step for a in ABILITIES if (step := ability_step(result, a, destination, on)) is not None]
    return min(steps, key=lambda s: s.level) if steps else None


def all_steps(result: LanguageTestResult, destination: str, on: date) -> tuple[Step, ...]:
    return tuple(step for a in ABILITIES if (step := ability_step(result, a, destination, on)) is not None)


def next_cefr(result: LanguageTestResult) -> CefrLevel | None:
    if result.test not in CEFR_CERTIFICATES or result.cefr_level is None or result.cefr_level is CefrLevel.C2:
        return None
    return CefrLevel(result.cefr_level + 1)
