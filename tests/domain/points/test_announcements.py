"""Announced rule sets: a result scored under one says so and cites the announcement; others stay in force.

No announced change with official point values was found on 2026-12-06, so these use the CRS history (the
2025-03-25 rule set) as if it had been announced, through the same `marked` every calculator goes through.
"""

from datetime import date

import pytest

from domain.points import CALCULATORS, RuleSet, score
from domain.points.announcements import Announcement, marked
from domain.points.crs import crs_score
from tests.builders.profiles import ON, make_profile

MINISTERIAL_INSTRUCTIONS = (
    "https://www.canada.ca/en/immigration-refugees-citizenship/corporate/mandate/policies-operational-"
    "instructions-agreements/ministerial-instructions/express-entry-application-management-system.html"
)
CRS_2025 = Announcement("crs", date(2025, 3, 25), MINISTERIAL_INSTRUCTIONS, announced_on=date(2024, 12, 17))


def test_a_day_under_the_announced_rule_set_is_marked_announced_and_cites_the_announcement() -> None:
    result = marked(crs_score(make_profile(), date(2025, 3, 25)), (CRS_2025,))
    assert (result.version, result.rule_set, result.source_url) == (
        date(2025, 3, 25),
        RuleSet.ANNOUNCED,
        MINISTERIAL_INSTRUCTIONS,
    )


def test_the_day_before_it_takes_effect_is_scored_under_the_rules_in_force() -> None:
    unmarked = crs_score(make_profile(), date(2025, 3, 24))
    result = marked(unmarked, (CRS_2025,))
    assert (result.version, result.rule_set) == (date(2022, 11, 16), RuleSet.IN_FORCE)
    assert result == unmarked


def test_an_announcement_marks_only_its_own_points_system() -> None:
    other = Announcement("fsw67", date(2025, 3, 25), MINISTERIAL_INSTRUCTIONS, announced_on=date(2024, 12, 17))
    assert marked(crs_score(make_profile(), date(2025, 3, 25)), (other,)).rule_set is RuleSet.IN_FORCE


@pytest.mark.parametrize(
    ("url", "announced_on"),
    [("http://example.org/rules", date(2024, 12, 17)), (MINISTERIAL_INSTRUCTIONS, date(2025, 3, 25))],
)
def test_an_announcement_needs_an_https_source_and_a_date_before_it_takes_effect(url: str, announced_on: date) -> None:
    with pytest.raises(ValueError, match="crs 2025-03-25"):
        Announcement("crs", date(2025, 3, 25), url, announced_on)


@pytest.mark.parametrize("system", sorted(CALCULATORS))
def test_every_calculator_today_uses_rules_in_force_since_none_is_held_as_announced(system: str) -> None:
    assert score(system, make_profile(), ON).rule_set is RuleSet.IN_FORCE
