"""HTTP side of analytics: the app's origin headers put in context for the request's events, and the event
counters exposed to Prometheus."""

from collections.abc import Iterator
from typing import Any

from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector

from datasources.analytics import origin
from datasources.analytics.buffer import BufferedAnalytics

HEADERS = origin.HEADERS


class OriginMiddleware:
    """Pure ASGI (bodies untouched): sets the origin for each HTTP request and websocket connection."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        raw = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope.get("headers", [])}
        token = origin.CURRENT.set(origin.from_headers(raw))
        try:
            await self.app(scope, receive, send)
        finally:
            origin.CURRENT.reset(token)


class AnalyticsCollector(Collector):
    """`analytics_events_total{outcome}`: sent, dropped_unavailable (store down or refused), dropped_full."""

    def __init__(self, buffer: BufferedAnalytics) -> None:
        self.buffer = buffer

    def collect(self) -> Iterator[CounterMetricFamily]:
        family = CounterMetricFamily("analytics_events", "Analytics events by outcome", labels=["outcome"])
        for outcome, count in sorted(self.buffer.counts.items()):
            family.add_metric([outcome], count)
        yield family
