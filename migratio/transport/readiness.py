"""Readiness a load balancer can act on: "can this process serve requests?", not "is everything up?".

Required dependencies are those no request can do without: MongoDB (every record) and Redis (the token
denylist every signed-in request checks, rate limits, subscriptions). The others degrade features, never the
process: search falls back to MongoDB without OpenSearch, S3 only serves files and reports, SMTP only sends
mail — so they are reported in the body with a 200.

Under load a probe can be slow without anything being down, so answers are not allowed to flap: one probe
round runs at a time and its result is shared for `max_age_s`, and a required dependency that merely timed out
counts as down only when the previous round timed out too. A refused or broken connection counts at once.
"""

import asyncio
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from domain.health import DependencyHealth, DependencyProbe, HealthReport, check_health

REQUIRED = frozenset({"mongodb", "redis"})
TIMED_OUT = "timed out"


@dataclass
class Readiness:
    probes: list[DependencyProbe]
    timeout_s: float
    required: frozenset[str] = REQUIRED
    max_age_s: float = 1.5
    clock: Callable[[], float] = time.monotonic
    _checked_at: float = field(default=float("-inf"), init=False)
    _report: HealthReport | None = field(default=None, init=False)
    _previous: HealthReport | None = field(default=None, init=False)
    _round: "asyncio.Task[HealthReport] | None" = field(default=None, init=False)

    async def check(self) -> tuple[bool, dict[str, Any]]:
        """Whether to take traffic, and the body that explains it."""
        report = await self._latest()
        down = [d.name for d in report.dependencies if d.name in self.required and not self._counts_up(d)]
        degraded = [d.name for d in report.dependencies if d.name not in self.required and not d.up]
        ready = not down
        body = {
            "ready": ready,
            "status": "unavailable" if down else "degraded" if degraded else "ok",
            "down": down,
            "degraded": degraded,
            "dependencies": {
                d.name: {"up": d.up, "required": d.name in self.required, "latencyMs": d.latency_ms, "error": d.error}
                for d in report.dependencies
            },
            "ageMs": round((self.clock() - self._checked_at) * 1000, 1),
        }
        return ready, body

    def _counts_up(self, health: DependencyHealth) -> bool:
        if health.up:
            return True
        if health.error != TIMED_OUT or self._previous is None:
            return False
        before = next((d for d in self._previous.dependencies if d.name == health.name), None)
        return before is None or before.up or before.error != TIMED_OUT

    async def _latest(self) -> HealthReport:
        if self._report is not None and self.clock() - self._checked_at < self.max_age_s:
            return self._report
        if self._round is None or self._round.done():
            self._round = asyncio.ensure_future(self._probe())
        return await asyncio.shield(self._round)

    async def _probe(self) -> HealthReport:
        report = await check_health(self.probes, self.timeout_s)
        self._previous, self._report, self._checked_at = self._report, report, self.clock()
        return report
