"""Rule sets an official page announced before they took effect, marked so results scored under them say so.

The values of an announced rule set sit in its calculator's versions like any other, dated by `effective`;
an entry here only marks that version and cites the page that states it. Checked 2026-12-06: no announced
change whose point values an official page states was found (see the README's sources list), so none is held.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from domain.points.result import PointsResult, RuleSet


@dataclass(frozen=True, slots=True)
class Announcement:
    system: str  # a points-system id
    effective: date  # the `effective` date of the announced version in that calculator
    source_url: str  # the official page that states the values
    announced_on: date

    def __post_init__(self) -> None:
        if not self.source_url.startswith("https://"):
            raise ValueError(f"{self.system} {self.effective}: announcement source {self.source_url!r} is not https")
        if self.announced_on >= self.effective:
            raise ValueError(f"{self.system} {self.effective}: announced on or after it took effect")


ANNOUNCED: tuple[Announcement, ...] = ()


def marked(result: PointsResult, announcements: Iterable[Announcement] = ANNOUNCED) -> PointsResult:
    """Mark a result scored under an announced rule set, citing the announcement instead of the rules page."""
    for announcement in announcements:
        if (announcement.system, announcement.effective) == (result.system, result.version):
            return replace(result, rule_set=RuleSet.ANNOUNCED, source_url=announcement.source_url)
    return result
