"""Shapes of the health report."""

import strawberry

from domain.health import DependencyHealth as DomainDependencyHealth
from domain.health import HealthReport


@strawberry.type(description="One backing service as seen from this API process.")
class DependencyHealth:
    name: str
    up: bool
    latency_ms: float
    error: str | None

    @classmethod
    def from_domain(cls, dep: DomainDependencyHealth) -> "DependencyHealth":
        return cls(name=dep.name, up=dep.up, latency_ms=dep.latency_ms, error=dep.error)


@strawberry.type(description="Whether every dependency answers, and how fast.")
class Health:
    ok: bool
    dependencies: list[DependencyHealth]

    @classmethod
    def from_domain(cls, report: HealthReport) -> "Health":
        return cls(ok=report.ok, dependencies=[DependencyHealth.from_domain(d) for d in report.dependencies])


@strawberry.type(description="One tick of the websocket check subscription.")
class Tick:
    remaining: int
