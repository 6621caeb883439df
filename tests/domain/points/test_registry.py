"""The registry maps every points-system id to its calculator."""

from datetime import date

import pytest

from domain.errors import ErrorCode
from domain.points import CALCULATORS, NoRulesInForce, UnknownPointsSystem, calculator_for, score
from tests.builders.profiles import ON, make_profile

IDS = [
    "crs",
    "fsw67",
    "au_skilled_189",
    "au_skilled_190",
    "au_skilled_491",
    "de_chancenkarte",
    "nz_smc",
    "uk_skilled_worker",
]


def test_registry_holds_exactly_the_eight_points_systems() -> None:
    assert sorted(CALCULATORS) == sorted(IDS)


@pytest.mark.parametrize("system", IDS)
def test_each_calculator_reports_its_own_id_version_and_source(system: str) -> None:
    result = score(system, make_profile(), ON)
    assert result.system == system
    assert result.version <= ON
    assert result.source_url.startswith("https://")
    assert calculator_for(system)(make_profile(), ON) == result


def test_unknown_points_system_is_not_found() -> None:
    with pytest.raises(UnknownPointsSystem) as raised:
        score("mars_colony", make_profile(), ON)
    assert raised.value.code is ErrorCode.NOT_FOUND


def test_a_day_before_every_rule_set_is_bad_user_input_on_the_date() -> None:
    with pytest.raises(NoRulesInForce) as raised:
        score("crs", make_profile(), date(2000, 1, 1))
    assert raised.value.code is ErrorCode.BAD_USER_INPUT
    assert raised.value.details == {"field": "on"}


@pytest.mark.parametrize(
    ("system", "on", "version"),
    [
        ("crs", date(2025, 3, 24), date(2022, 11, 16)),
        ("crs", date(2025, 3, 25), date(2025, 3, 25)),
        ("uk_skilled_worker", date(2026, 1, 7), date(2025, 7, 22)),
        ("uk_skilled_worker", date(2026, 1, 8), date(2026, 1, 8)),
        ("au_skilled_189", ON, date(2019, 11, 16)),
        ("nz_smc", ON, date(2023, 10, 9)),
        ("de_chancenkarte", ON, date(2024, 6, 1)),
    ],
)
def test_rule_set_in_force_is_chosen_by_date(system: str, on: date, version: date) -> None:
    assert score(system, make_profile(), on).version == version
