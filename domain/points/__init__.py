"""Points calculators by points-system id; each is `(profile, on) -> PointsResult`, pure and versioned by date."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from types import MappingProxyType

from domain.errors import NotFound
from domain.points.announcements import marked
from domain.points.australia import au_189_score, au_190_score, au_491_score
from domain.points.chancenkarte import chancenkarte_score
from domain.points.crs import crs_score
from domain.points.fsw67 import fsw_score
from domain.points.nz_smc import nz_smc_score
from domain.points.result import FactorScore, PointsResult, RequirementCheck, RuleSet
from domain.points.uk_skilled_worker import uk_skilled_worker_score
from domain.points.versions import NoRulesInForce
from domain.profile import Profile

Calculator = Callable[[Profile, date], PointsResult]


def _marking(calculator: Calculator) -> Calculator:
    """Every path to a calculator goes through here, so no result under an announced rule set goes unmarked."""

    def scored(profile: Profile, on: date) -> PointsResult:
        return marked(calculator(profile, on))

    return scored


CALCULATORS: Mapping[str, Calculator] = MappingProxyType(
    {
        system: _marking(calculator)
        for system, calculator in {
            "crs": crs_score,
            "fsw67": fsw_score,
            "au_skilled_189": au_189_score,
            "au_skilled_190": au_190_score,
            "au_skilled_491": au_491_score,
            "de_chancenkarte": chancenkarte_score,
            "nz_smc": nz_smc_score,
            "uk_skilled_worker": uk_skilled_worker_score,
        }.items()
    }
)


class UnknownPointsSystem(NotFound):
    """No calculator is registered under that id."""

    def __init__(self, system: str) -> None:
        super().__init__(f"no points system {system!r}", system=system)


def calculator_for(system: str) -> Calculator:
    try:
        return CALCULATORS[system]
    except KeyError:
        raise UnknownPointsSystem(system) from None


def score(system: str, profile: Profile, on: date) -> PointsResult:
    """Score `profile` under the rules of `system` in force on `on`."""
    return calculator_for(system)(profile, on)


__all__ = [
    "CALCULATORS",
    "Calculator",
    "FactorScore",
    "NoRulesInForce",
    "PointsResult",
    "RequirementCheck",
    "RuleSet",
    "UnknownPointsSystem",
    "calculator_for",
    "score",
]
