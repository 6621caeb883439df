"""Language test results converted per ability: CLB/NCLC (Canada), CEFR, Australian English levels."""

from domain.language.abilities import Abilities
from domain.language.australia import (
    AustralianEnglish,
    australian_english_ability,
    australian_english_levels,
)
from domain.language.cefr import cefr_levels, lowest_cefr_level
from domain.language.clb import celpip_to_clb, ielts_gt_to_clb, pte_core_to_clb
from domain.language.cutoffs import CLB_3_OR_LOWER
from domain.language.express_entry import EXPRESS_ENTRY_TESTS, clb_levels
from domain.language.nclc import tcf_canada_to_nclc, tef_canada_to_nclc

__all__ = [
    "CLB_3_OR_LOWER",
    "EXPRESS_ENTRY_TESTS",
    "Abilities",
    "AustralianEnglish",
    "australian_english_ability",
    "australian_english_levels",
    "cefr_levels",
    "celpip_to_clb",
    "clb_levels",
    "ielts_gt_to_clb",
    "lowest_cefr_level",
    "pte_core_to_clb",
    "tcf_canada_to_nclc",
    "tef_canada_to_nclc",
]
