"""IELTS GT, CELPIP-G and PTE Core (as of 2024-01-30) to CLB, restating the official tables row by row:
https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/documents/language-test.html
"""

from collections.abc import Mapping

import pytest

from domain.language import CLB_3_OR_LOWER, celpip_to_clb, ielts_gt_to_clb, pte_core_to_clb
from domain.language.model import ABILITIES, Ability

L, R, W, S = Ability.LISTENING, Ability.READING, Ability.WRITING, Ability.SPEAKING

IELTS_GT = {  # CLB: (listening, reading, writing, speaking), lowest band for the level
    10: (8.5, 8.0, 7.5, 7.5),
    9: (8.0, 7.0, 7.0, 7.0),
    8: (7.5, 6.5, 6.5, 6.5),
    7: (6.0, 6.0, 6.0, 6.0),
    6: (5.5, 5.0, 5.5, 5.5),
    5: (5.0, 4.0, 5.0, 5.0),
    4: (4.5, 3.5, 4.0, 4.0),
}
PTE_CORE = {
    10: (89, 88, 90, 89),
    9: (82, 78, 88, 84),
    8: (71, 69, 79, 76),
    7: (60, 60, 69, 68),
    6: (50, 51, 60, 59),
    5: (39, 42, 51, 51),
    4: (28, 33, 41, 42),
}


def _rows(table: Mapping[int, tuple[float, float, float, float]]) -> list[tuple[Ability, int, float]]:
    return [(ability, level, row[i]) for level, row in table.items() for i, ability in enumerate(ABILITIES)]


@pytest.mark.parametrize(("ability", "level", "lowest"), _rows(IELTS_GT))
def test_ielts_gt_lowest_band_of_each_row_reaches_that_clb(ability: Ability, level: int, lowest: float) -> None:
    assert ielts_gt_to_clb(ability, lowest) == level


@pytest.mark.parametrize(("ability", "level", "lowest"), _rows(IELTS_GT))
def test_ielts_gt_half_band_below_a_row_falls_to_the_row_beneath(ability: Ability, level: int, lowest: float) -> None:
    assert ielts_gt_to_clb(ability, lowest - 0.5) < level


@pytest.mark.parametrize(
    ("ability", "band", "level"),
    [
        (L, 6.0, 7),
        (L, 6.5, 7),
        (L, 7.0, 7),
        (R, 7.0, 9),
        (R, 7.5, 9),
        (L, 9.0, 10),
        (R, 3.0, CLB_3_OR_LOWER),
        (W, 3.5, CLB_3_OR_LOWER),
        (S, 0.0, CLB_3_OR_LOWER),
    ],
)
def test_ielts_gt_bands_between_rows_stay_in_the_lower_row(ability: Ability, band: float, level: int) -> None:
    assert ielts_gt_to_clb(ability, band) == level


@pytest.mark.parametrize(
    ("level", "expected"),
    [(0, 3), (1, 3), (2, 3), (3, 3), *[(n, n) for n in range(4, 10)], (10, 10), (11, 10), (12, 10)],
)
def test_celpip_level_is_the_clb_from_4_to_9_and_10_to_12_are_clb_10(level: int, expected: int) -> None:
    for ability in ABILITIES:
        assert celpip_to_clb(ability, level) == expected


@pytest.mark.parametrize(("ability", "level", "lowest"), _rows(PTE_CORE))
def test_pte_core_lowest_score_of_each_row_reaches_that_clb(ability: Ability, level: int, lowest: float) -> None:
    assert pte_core_to_clb(ability, lowest) == level
    assert pte_core_to_clb(ability, lowest - 1) == level - 1 if level > 4 else CLB_3_OR_LOWER


def test_pte_core_top_and_bottom_of_the_scale() -> None:
    assert [pte_core_to_clb(a, 90) for a in ABILITIES] == [10, 10, 10, 10]
    assert [pte_core_to_clb(a, 10) for a in ABILITIES] == [CLB_3_OR_LOWER] * 4
