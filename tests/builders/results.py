"""Reading a PointsResult in tests."""

from __future__ import annotations

from domain.points.result import FactorScore, PointsResult, RequirementCheck


def factor(result: PointsResult, key: str) -> FactorScore:
    return next(f for f in result.factors if f.key == key)


def points(result: PointsResult, key: str) -> int:
    return factor(result, key).points


def requirement(result: PointsResult, key: str) -> RequirementCheck:
    return next(r for r in result.requirements if r.key == key)


def by_key(result: PointsResult) -> dict[str, int]:
    return {f.key: f.points for f in result.factors}
