"""Readiness decides on required dependencies only, shares one probe round between callers, and does not
flap on a single slow answer."""

import asyncio
from dataclasses import dataclass, field

from migratio.transport.readiness import Readiness


@dataclass
class Probe:
    name: str
    outcomes: list[str] = field(default_factory=list)  # "up", "slow", "refused"; the last one repeats
    calls: int = 0

    async def ping(self) -> None:
        outcome = self.outcomes[min(self.calls, len(self.outcomes) - 1)] if self.outcomes else "up"
        self.calls += 1
        if outcome == "slow":
            await asyncio.sleep(1)  # a slow answer: cut off at the probe timeout (0.05 s), never waited out
        elif outcome == "refused":
            raise ConnectionRefusedError


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _readiness(*probes: Probe, clock: Clock | None = None) -> Readiness:
    return Readiness(list(probes), timeout_s=0.05, max_age_s=1.5, clock=clock or Clock())


async def test_an_optional_dependency_down_is_reported_degraded_with_ready_true() -> None:
    ready, body = await _readiness(Probe("mongodb"), Probe("redis"), Probe("opensearch", ["refused"])).check()
    assert ready is True
    assert (body["status"], body["down"], body["degraded"]) == ("degraded", [], ["opensearch"])
    assert body["dependencies"]["opensearch"] == {
        "up": False,
        "required": False,
        "latencyMs": body["dependencies"]["opensearch"]["latencyMs"],
        "error": "ConnectionRefusedError",
    }
    assert body["dependencies"]["mongodb"]["required"] is True


async def test_a_required_dependency_refusing_connections_makes_it_not_ready_at_once() -> None:
    ready, body = await _readiness(Probe("mongodb"), Probe("redis", ["refused"])).check()
    assert (ready, body["status"], body["down"]) == (False, "unavailable", ["redis"])


async def test_one_timed_out_probe_under_load_does_not_flap_but_two_in_a_row_do() -> None:
    clock = Clock()
    mongo = Probe("mongodb", ["up", "slow", "slow", "up"])
    readiness = _readiness(mongo, Probe("redis"), clock=clock)
    assert (await readiness.check())[0] is True
    clock.now += 2
    ready, body = await readiness.check()
    assert (ready, body["dependencies"]["mongodb"]["error"]) == (True, "timed out")  # one slow answer: still ready
    clock.now += 2
    assert (await readiness.check())[0] is False  # timed out twice running: down
    clock.now += 2
    assert (await readiness.check())[0] is True


async def test_concurrent_callers_share_one_probe_round_and_its_result_for_the_max_age() -> None:
    clock = Clock()
    mongo, redis = Probe("mongodb"), Probe("redis")
    readiness = _readiness(mongo, redis, clock=clock)
    results = await asyncio.gather(*(readiness.check() for _ in range(100)))
    assert all(ready for ready, _ in results)
    assert (mongo.calls, redis.calls) == (1, 1)
    clock.now += 1.0
    await readiness.check()
    assert mongo.calls == 1  # still fresh
    clock.now += 1.0
    await readiness.check()
    assert mongo.calls == 2
