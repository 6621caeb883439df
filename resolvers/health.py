"""Health and the websocket check: the two root fields every deployment needs before any feature."""

import asyncio
from collections.abc import AsyncGenerator

import strawberry

from domain.errors import BadUserInput
from domain.health import check_health
from schema.context import Context
from schema.health import Health, Tick


@strawberry.type
class HealthQuery:
    @strawberry.field(description="Each dependency's reachability and latency; never fails itself.")
    async def health(self, info: strawberry.Info[Context, None]) -> Health:
        services = info.context.services
        report = await check_health(list(services.probes), services.dependency_timeout_s)
        return Health.from_domain(report)


@strawberry.type
class HealthSubscription:
    @strawberry.subscription(description="Counts down to zero, one tick per interval: proves websockets work.")
    async def countdown(self, start: int = 3, interval_ms: int = 100) -> AsyncGenerator[Tick, None]:
        if not 0 <= start <= 100 or not 0 <= interval_ms <= 5000:
            raise BadUserInput("start must be 0..100 and intervalMs 0..5000", field="start")
        for remaining in range(start, -1, -1):
            yield Tick(remaining=remaining)
            if remaining:
                await asyncio.sleep(interval_ms / 1000)
