"""TEF Canada (both tables, chosen by test date; the new one as of 2023-12-11) and TCF Canada to NCLC:
https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/documents/language-test.html
"""

from datetime import date

import pytest

from domain.language import tcf_canada_to_nclc, tef_canada_to_nclc
from domain.language.cutoffs import CLB_3_OR_LOWER
from domain.language.model import ABILITIES, Ability

TEF_FROM_2023_12_11 = {
    10: (546, 546, 558, 556),
    9: (503, 503, 512, 518),
    8: (462, 462, 472, 494),
    7: (434, 434, 428, 456),
    6: (393, 393, 379, 422),
    5: (352, 352, 330, 387),
    4: (306, 306, 268, 328),
}
TEF_2019_TO_2023 = {10: 566, 9: 533, 8: 500, 7: 450, 6: 400, 5: 350, 4: 300}
TCF = {
    10: (549, 549, 16, 16),
    9: (523, 524, 14, 14),
    8: (503, 499, 12, 12),
    7: (458, 453, 10, 10),
    6: (398, 406, 7, 7),
    5: (369, 375, 6, 6),
    4: (331, 342, 4, 4),
}
NEW, OLD = date(2023, 12, 11), date(2023, 12, 10)


def _rows(table: dict[int, tuple[int, int, int, int]]) -> list[tuple[Ability, int, int]]:
    return [(ability, level, row[i]) for level, row in table.items() for i, ability in enumerate(ABILITIES)]


@pytest.mark.parametrize(("ability", "level", "lowest"), _rows(TEF_FROM_2023_12_11))
def test_tef_from_2023_12_11_each_row_starts_at_its_lowest_score(ability: Ability, level: int, lowest: int) -> None:
    assert tef_canada_to_nclc(ability, lowest, NEW) == level
    assert tef_canada_to_nclc(ability, lowest - 1, NEW) == (level - 1 if level > 4 else CLB_3_OR_LOWER)


@pytest.mark.parametrize(("level", "lowest"), TEF_2019_TO_2023.items())
@pytest.mark.parametrize("ability", ABILITIES)
def test_tef_2019_10_01_to_2023_12_10_uses_one_cutoff_for_every_ability(
    ability: Ability, level: int, lowest: int
) -> None:
    assert tef_canada_to_nclc(ability, lowest, OLD) == level
    assert tef_canada_to_nclc(ability, lowest - 1, date(2019, 10, 1)) == (level - 1 if level > 4 else CLB_3_OR_LOWER)


def test_tef_table_switches_on_2023_12_11() -> None:
    # Writing 520 is NCLC 8 on the 2019 table (500 ≤ 520 < 533) and NCLC 9 on the new one (512).
    assert tef_canada_to_nclc(Ability.WRITING, 520, OLD) == 8
    assert tef_canada_to_nclc(Ability.WRITING, 520, NEW) == 9


def test_tef_before_2019_10_01_used_other_scales_and_has_no_conversion() -> None:
    assert tef_canada_to_nclc(Ability.LISTENING, 600, date(2019, 9, 30)) is None


@pytest.mark.parametrize(("ability", "level", "lowest"), _rows(TCF))
def test_tcf_each_row_starts_at_its_lowest_score(ability: Ability, level: int, lowest: int) -> None:
    assert tcf_canada_to_nclc(ability, lowest) == level
    assert tcf_canada_to_nclc(ability, lowest - 1) == (level - 1 if level > 4 else CLB_3_OR_LOWER)


def test_tcf_writing_and_speaking_are_on_a_0_to_20_scale() -> None:
    assert tcf_canada_to_nclc(Ability.WRITING, 20) == 10
    assert tcf_canada_to_nclc(Ability.SPEAKING, 8) == 6
