"""English test results to Canadian Language Benchmarks, per ability (lowest score for each level).

Source: https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/documents/language-test.html
As of 2024-01-30 (PTE Core added). Accepted for Express Entry: IELTS General Training, CELPIP-General,
PTE Core. Anything below the CLB 4 row is "CLB 3 or lower", returned as `CLB_3_OR_LOWER`.
"""

from __future__ import annotations

from collections.abc import Mapping

from domain.language.cutoffs import CLB_3_OR_LOWER, Cutoffs, cutoff_columns, level_from_cutoffs
from domain.language.model import Ability

IELTS_GT_TO_CLB: Mapping[Ability, Cutoffs] = cutoff_columns(
    # CLB, listening, reading, writing, speaking
    (
        (10, 8.5, 8.0, 7.5, 7.5),
        (9, 8.0, 7.0, 7.0, 7.0),
        (8, 7.5, 6.5, 6.5, 6.5),
        (7, 6.0, 6.0, 6.0, 6.0),
        (6, 5.5, 5.0, 5.5, 5.5),
        (5, 5.0, 4.0, 5.0, 5.0),
        (4, 4.5, 3.5, 4.0, 4.0),
    )
)
"""IELTS General Training bands, as of 2024-01-30 (table unchanged for years)."""

# ⚠ PTE Core: two independent secondary transcriptions agree; the official page was not seen directly.
PTE_CORE_TO_CLB: Mapping[Ability, Cutoffs] = cutoff_columns(
    (
        (10, 89, 88, 90, 89),
        (9, 82, 78, 88, 84),
        (8, 71, 69, 79, 76),
        (7, 60, 60, 69, 68),
        (6, 50, 51, 60, 59),
        (5, 39, 42, 51, 51),
        (4, 28, 33, 41, 42),
    )
)
"""PTE Core (10–90), accepted from 2024-01-30."""


def ielts_gt_to_clb(ability: Ability, band: float) -> int:
    return level_from_cutoffs(IELTS_GT_TO_CLB[ability], band)


def celpip_to_clb(ability: Ability, level: float) -> int:
    """CELPIP-General levels 4–9 are that CLB, 10–12 are CLB 10; M (0) and 1–3 are below CLB 4."""
    del ability  # the same for every ability
    if level >= 10:
        return 10
    return int(level) if level >= 4 else CLB_3_OR_LOWER


def pte_core_to_clb(ability: Ability, score: float) -> int:
    return level_from_cutoffs(PTE_CORE_TO_CLB[ability], score)
