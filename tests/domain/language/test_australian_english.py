"""Australian English levels from IELTS, PTE Academic and TOEFL iBT (instrument LIN 25/016, tests from
2025-08-07): https://immi.homeaffairs.gov.au/help-support/tools/points-calculator
"""

from datetime import date

import pytest

from domain.language import AustralianEnglish, australian_english_ability, australian_english_levels
from domain.language.model import ABILITIES, Ability, LanguageTest, LanguageTestResult

C, P, S_ = AustralianEnglish.COMPETENT, AustralianEnglish.PROFICIENT, AustralianEnglish.SUPERIOR
BELOW = AustralianEnglish.BELOW_COMPETENT
NEW, OLD = date(2025, 8, 7), date(2025, 8, 6)

TABLE = {  # level: {test: (listening, reading, writing, speaking)}
    C: {
        LanguageTest.IELTS_GT: (6, 6, 6, 6),
        LanguageTest.PTE_ACADEMIC: (47, 48, 51, 54),
        LanguageTest.TOEFL_IBT: (16, 16, 19, 19),
    },
    P: {
        LanguageTest.IELTS_GT: (7, 7, 7, 7),
        LanguageTest.PTE_ACADEMIC: (58, 59, 69, 76),
        LanguageTest.TOEFL_IBT: (22, 22, 26, 24),
    },
    S_: {
        LanguageTest.IELTS_GT: (8, 8, 8, 8),
        LanguageTest.PTE_ACADEMIC: (69, 70, 85, 88),
        LanguageTest.TOEFL_IBT: (26, 27, 30, 28),
    },
}
ROWS = [
    (test, ability, level, row[i])
    for level, tests in TABLE.items()
    for test, row in tests.items()
    for i, ability in enumerate(ABILITIES)
]
STEP = {LanguageTest.IELTS_GT: 0.5, LanguageTest.PTE_ACADEMIC: 1, LanguageTest.TOEFL_IBT: 1}


@pytest.mark.parametrize(("test", "ability", "level", "lowest"), ROWS)
def test_each_component_reaches_the_level_at_its_threshold_and_not_below(
    test: LanguageTest, ability: Ability, level: AustralianEnglish, lowest: float
) -> None:
    assert australian_english_ability(test, ability, lowest, NEW) is level
    assert australian_english_ability(test, ability, lowest - STEP[test], NEW) == level - 1


def test_ielts_academic_and_general_training_share_the_thresholds() -> None:
    for ability in ABILITIES:
        assert australian_english_ability(LanguageTest.IELTS_ACADEMIC, ability, 7, NEW) is P
        assert australian_english_ability(LanguageTest.IELTS_GT, ability, 5.5, OLD) is BELOW


@pytest.mark.parametrize(("score", "level"), [(50, C), (49, BELOW), (65, P), (64, C), (79, S_), (78, P)])
def test_pte_academic_before_2025_08_07_keeps_50_65_79_in_each(score: int, level: AustralianEnglish) -> None:
    for ability in ABILITIES:
        assert australian_english_ability(LanguageTest.PTE_ACADEMIC, ability, score, OLD) is level


def test_toefl_before_2025_08_07_is_unresolved_not_guessed() -> None:
    assert australian_english_ability(LanguageTest.TOEFL_IBT, Ability.LISTENING, 30, OLD) is None


def test_tests_without_a_held_table_have_no_level() -> None:
    assert australian_english_ability(LanguageTest.CELPIP_G, Ability.READING, 12, NEW) is None


def test_levels_are_per_ability_so_the_weakest_component_decides() -> None:
    result = LanguageTestResult(LanguageTest.PTE_ACADEMIC, 70, 70, 85, 76, test_date=NEW)
    levels = australian_english_levels(result, test_date=NEW)
    assert levels is not None
    assert levels.values() == (S_, S_, S_, P)
