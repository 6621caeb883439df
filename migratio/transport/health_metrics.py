"""Gauges read when `/metrics` is scraped, for the dashboard and alerts: readiness and each dependency (the same
probe round `/readyz` shares), and the job queue's depth. Every API process sees the same values."""

import asyncio
import logging
from collections.abc import Iterator
from typing import Any

from prometheus_client.core import GaugeMetricFamily
from saq import Queue
from saq.types import CountKind

from migratio.transport.readiness import Readiness

log = logging.getLogger(__name__)
QUEUE_STATES: tuple[CountKind, ...] = ("queued", "active")


class ReadinessReading:
    """`readiness_ready`, `dependency_up{dependency,required}`, `dependency_latency_seconds{dependency}`."""

    def __init__(self, readiness: Readiness) -> None:
        self.readiness = readiness
        self._ready = False
        self._dependencies: dict[str, Any] = {}

    async def refresh(self) -> None:
        self._ready, body = await self.readiness.check()
        self._dependencies = body["dependencies"]

    def collect(self) -> Iterator[GaugeMetricFamily]:
        yield GaugeMetricFamily("readiness_ready", "1 when /readyz would take traffic", value=int(self._ready))
        up = GaugeMetricFamily("dependency_up", "1 when its probe passed", labels=["dependency", "required"])
        latency = GaugeMetricFamily(
            "dependency_latency_seconds", "The dependency's last probe time", labels=["dependency"]
        )
        for name, health in sorted(self._dependencies.items()):
            up.add_metric([name, str(health["required"]).lower()], int(bool(health["up"])))
            latency.add_metric([name], health["latencyMs"] / 1000)
        yield up
        yield latency


class QueueDepthReading:
    """`job_queue_depth{state}`: jobs waiting and running on the worker's saq queue; absent while Redis is not
    answering (`dependency_up{dependency="redis"}` says why)."""

    def __init__(self, queue: Queue, timeout_s: float) -> None:
        self.queue = queue
        self.timeout_s = timeout_s
        self._depth: dict[str, int] = {}

    async def refresh(self) -> None:
        try:
            async with asyncio.timeout(self.timeout_s):
                self._depth = {state: await self.queue.count(state) for state in QUEUE_STATES}
        except Exception as error:  # a scrape never fails for a dependency; readiness reports it
            log.warning("job queue depth unreadable: %s: %s", type(error).__name__, error)
            self._depth = {}

    def collect(self) -> Iterator[GaugeMetricFamily]:
        family = GaugeMetricFamily("job_queue_depth", "Jobs on the worker's queue by state", labels=["state"])
        for state, depth in self._depth.items():
            family.add_metric([state], depth)
        yield family
