"""What every calculator returns: the total, each factor with its reason, and what we could not know."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum


@dataclass(frozen=True, slots=True)
class FactorScore:
    """One scored factor; `explanation` is one plain-language sentence a person can check."""

    key: str
    label: str
    points: int
    maximum: int
    explanation: str

    def __post_init__(self) -> None:
        if not 0 <= self.points <= self.maximum:
            raise ValueError(f"{self.key}: {self.points} points is outside 0–{self.maximum}")


@dataclass(frozen=True, slots=True)
class RequirementCheck:
    """A condition that is not scored but must hold; `met=None` when the answers cannot tell."""

    key: str
    label: str
    met: bool | None
    explanation: str


class RuleSet(StrEnum):
    """Whether the rule set used was in force, or only announced by an official page when we recorded it."""

    IN_FORCE = "in_force"
    ANNOUNCED = "announced"


@dataclass(frozen=True, slots=True)
class PointsResult:
    system: str
    version: date  # the date the rule set used took effect
    total: int
    maximum: int
    pass_mark: int | None
    passed: bool | None  # None: no pass mark, or the missing facts could change the outcome
    factors: tuple[FactorScore, ...]
    missing: tuple[str, ...]  # facts that were not answered (or rules that are unresolved), as paths
    requirements: tuple[RequirementCheck, ...] = ()
    source_url: str = ""
    rule_set: RuleSet = RuleSet.IN_FORCE


def unique(paths: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(paths))


def offer_paths(paths: Iterable[str], offers: Sequence[object] | None, offer: object | None) -> list[str]:
    """Point "job_offers.x" at the offer a calculator used: "job_offers[2].x"."""
    if offer is None or not offers:
        return list(paths)
    prefix = f"job_offers[{list(offers).index(offer)}]."
    return [prefix + p.removeprefix("job_offers.") if p.startswith("job_offers.") else p for p in paths]


def cap_factors(factors: list[FactorScore], cap: int, part: str) -> list[FactorScore]:
    """Trim factors in order so they add up to at most `cap`; a trimmed factor says why."""
    remaining = cap
    capped: list[FactorScore] = []
    for factor in factors:
        kept = min(factor.points, remaining)
        remaining -= kept
        if kept < factor.points:
            sentence = factor.explanation.rstrip(".")
            factor = replace(
                factor,
                points=kept,
                explanation=f"{sentence}, but only {kept} count because {part} is capped at {cap}.",
            )
        capped.append(factor)
    return capped


def decide(
    total: int, pass_mark: int | None, requirements: Iterable[RequirementCheck], missing: Iterable[str]
) -> bool | None:
    """Fail on any unmet requirement; pass only when the mark is reached and nothing is unknown.

    A ranking system without a pass mark (CRS) has no verdict: None.
    """
    if pass_mark is None:
        return None
    checks = list(requirements)
    if any(check.met is False for check in checks):
        return False
    if any(check.met is None for check in checks):
        return None
    if total >= pass_mark:
        return True
    return None if any(True for _ in missing) else False


def plural(count: float, noun: str) -> str:
    shown = f"{count:g}"
    return f"{shown} {noun}" if count == 1 else f"{shown} {noun}s"
