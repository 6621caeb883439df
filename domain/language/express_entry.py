"""Which test results Express Entry accepts, converted to CLB (English) or NCLC (French) per ability.

Source: https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/documents/language-test.html
As of 2024-01-30. IELTS Academic, PTE Academic and CELPIP-General LS are not accepted.
"""

from __future__ import annotations

from datetime import date

from domain.language.abilities import Abilities
from domain.language.clb import celpip_to_clb, ielts_gt_to_clb, pte_core_to_clb
from domain.language.model import Ability, LanguageTest, LanguageTestResult
from domain.language.nclc import tcf_canada_to_nclc, tef_canada_table, tef_canada_to_nclc

EXPRESS_ENTRY_TESTS = frozenset(
    {
        LanguageTest.IELTS_GT,
        LanguageTest.CELPIP_G,
        LanguageTest.PTE_CORE,
        LanguageTest.TEF_CANADA,
        LanguageTest.TCF_CANADA,
    }
)


def clb_levels(result: LanguageTestResult, *, test_date: date) -> Abilities[int | None] | None:
    """CLB/NCLC per ability (None where a score is missing), or None when Express Entry cannot use the test.

    `test_date` picks the TEF table; pass the result's own date when it is known.
    """
    test = result.test
    if test not in EXPRESS_ENTRY_TESTS:
        return None
    if test is LanguageTest.TEF_CANADA and tef_canada_table(test_date) is None:
        return None

    def convert(ability: Ability) -> int | None:
        score = result.score(ability)
        if score is None:
            return None
        if test is LanguageTest.IELTS_GT:
            return ielts_gt_to_clb(ability, score)
        if test is LanguageTest.CELPIP_G:
            return celpip_to_clb(ability, score)
        if test is LanguageTest.PTE_CORE:
            return pte_core_to_clb(ability, score)
        if test is LanguageTest.TEF_CANADA:
            return tef_canada_to_nclc(ability, score, test_date)
        return tcf_canada_to_nclc(ability, score)

    return Abilities.build(convert)
