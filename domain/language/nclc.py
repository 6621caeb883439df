"""French test results (TEF Canada, TCF Canada) to Niveaux de compétence linguistique canadiens, per ability.

Source: https://www.canada.ca/en/immigration-refugees-citizenship/services/immigrate-canada/express-entry/documents/language-test.html
As of 2023-12-11 (new TEF Canada table). TEF tables are chosen by the test date; anything below NCLC 4 is
"NCLC 3 or lower", returned as `CLB_3_OR_LOWER`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from domain.language.cutoffs import CLB_3_OR_LOWER, Cutoffs, cutoff_columns, level_from_cutoffs
from domain.language.model import ABILITIES, Ability

TEF_NEW_TABLE_FROM = date(2023, 12, 11)
TEF_OLD_TABLE_FROM = date(2019, 10, 1)

# ⚠ three independent transcriptions agree; the official page was not seen directly.
TEF_CANADA_FROM_2023_12_11: Mapping[Ability, Cutoffs] = cutoff_columns(
    # NCLC, listening (CO), reading (CE), writing (EE), speaking (EO) — all on 0–699
    (
        (10, 546, 546, 558, 556),
        (9, 503, 503, 512, 518),
        (8, 462, 462, 472, 494),
        (7, 434, 434, 428, 456),
        (6, 393, 393, 379, 422),
        (5, 352, 352, 330, 387),
        (4, 306, 306, 268, 328),
    )
)
"""TEF Canada taken on or after 2023-12-11."""

# ⚠ same cut-offs for every ability; secondary transcriptions only.
_TEF_2019_CUTOFFS: Cutoffs = ((566, 10), (533, 9), (500, 8), (450, 7), (400, 6), (350, 5), (300, 4))
TEF_CANADA_2019_10_01_TO_2023_12_10: Mapping[Ability, Cutoffs] = {a: _TEF_2019_CUTOFFS for a in ABILITIES}
"""TEF Canada taken 2019-10-01 to 2023-12-10 (older sittings used other scales and have expired)."""

TCF_CANADA: Mapping[Ability, Cutoffs] = cutoff_columns(
    # NCLC, listening 0–699, reading 0–699, writing 0–20, speaking 0–20
    (
        (10, 549, 549, 16, 16),
        (9, 523, 524, 14, 14),
        (8, 503, 499, 12, 12),
        (7, 458, 453, 10, 10),
        (6, 398, 406, 7, 7),
        (5, 369, 375, 6, 6),
        (4, 331, 342, 4, 4),
    )
)
"""TCF Canada, as of 2023-12-11 (table unchanged by that update)."""


def tef_canada_table(test_date: date) -> Mapping[Ability, Cutoffs] | None:
    """The TEF table for a sitting on `test_date`; None before 2019-10-01 (old scales, now expired)."""
    if test_date >= TEF_NEW_TABLE_FROM:
        return TEF_CANADA_FROM_2023_12_11
    if test_date >= TEF_OLD_TABLE_FROM:
        return TEF_CANADA_2019_10_01_TO_2023_12_10
    return None


def tef_canada_to_nclc(ability: Ability, score: float, test_date: date) -> int | None:
    table = tef_canada_table(test_date)
    return None if table is None else level_from_cutoffs(table[ability], score, CLB_3_OR_LOWER)


def tcf_canada_to_nclc(ability: Ability, score: float) -> int:
    return level_from_cutoffs(TCF_CANADA[ability], score)
