"""Health is a use case too: probe every dependency at once, each bounded by a timeout, never raising."""

import asyncio
import time
from dataclasses import dataclass
from typing import Protocol


class DependencyProbe(Protocol):
    name: str

    async def ping(self) -> None:
        """Return when the dependency answers; raise when it does not."""


@dataclass(frozen=True, slots=True)
class DependencyHealth:
    name: str
    up: bool
    latency_ms: float
    error: str | None = None


@dataclass(frozen=True, slots=True)
class HealthReport:
    dependencies: tuple[DependencyHealth, ...]

    @property
    def ok(self) -> bool:
        return all(d.up for d in self.dependencies)


async def _probe(probe: DependencyProbe, timeout_s: float) -> DependencyHealth:
    started = time.perf_counter()
    try:
        await asyncio.wait_for(probe.ping(), timeout_s)
    except Exception as exc:  # a down dependency is a report, not a crash
        error = "timed out" if isinstance(exc, TimeoutError) else type(exc).__name__
        return DependencyHealth(probe.name, False, _elapsed_ms(started), error)
    return DependencyHealth(probe.name, True, _elapsed_ms(started))


def _elapsed_ms(started: float) -> float:
    return round((time.perf_counter() - started) * 1000, 2)


async def check_health(probes: list[DependencyProbe], timeout_s: float) -> HealthReport:
    results = await asyncio.gather(*(_probe(p, timeout_s) for p in probes))
    return HealthReport(tuple(results))
