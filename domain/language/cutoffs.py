"""Reading official "lowest score for each level" tables, one column per ability."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from domain.language.model import ABILITIES, Ability

CLB_3_OR_LOWER = 3
"""Canadian tables stop at level 4; anything lower is "CLB/NCLC 3 or lower" and scores like 3."""

Cutoffs = Sequence[tuple[float, int]]
"""(lowest score, level) pairs from the highest level down."""


def level_from_cutoffs(cutoffs: Cutoffs, score: float, below: int = CLB_3_OR_LOWER) -> int:
    for lowest, level in cutoffs:
        if score >= lowest:
            return level
    return below


def cutoff_columns(rows: Sequence[tuple[int, float, float, float, float]]) -> Mapping[Ability, Cutoffs]:
    """Rows of (level, listening, reading, writing, speaking) as one cut-off list per ability."""
    return {ability: tuple((row[i + 1], row[0]) for row in rows) for i, ability in enumerate(ABILITIES)}
