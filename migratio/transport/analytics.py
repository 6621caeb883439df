"""HTTP side of analytics: the app's origin headers put in context for the request's events, each GraphQL
operation measured, and the event counters exposed to Prometheus."""

import time
from collections.abc import Iterator
from typing import Any

from prometheus_client.core import CounterMetricFamily
from prometheus_client.registry import Collector
from strawberry.extensions import SchemaExtension

from datasources.analytics import origin
from datasources.analytics.buffer import BufferedAnalytics
from migratio.transport.metrics import OTHER, operation_outcome

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


def operation_analytics(buffer: BufferedAnalytics, known_operations: frozenset[str]) -> type[SchemaExtension]:
    """Each GraphQL operation's name, type, duration and error codes, handed to the event buffer as it ends (a
    deque append: the request neither waits for nor fails on it). Listed before ErrorCodes, so it sees their codes.
    A name outside the apps' operations is stored as `other`, as the metrics do: callers cannot grow the report."""

    class OperationAnalytics(SchemaExtension):
        def on_operation(self) -> Iterator[None]:
            started = time.perf_counter()
            yield
            context = self.execution_context
            kind, codes = operation_outcome(context)
            name = context.operation_name
            known = name if name is None or name in known_operations else OTHER
            buffer.measure(known, kind, (time.perf_counter() - started) * 1000, codes)

    return OperationAnalytics


class AnalyticsCollector(Collector):
    """`analytics_events_total{outcome}`: sent, dropped_unavailable (store down or refused), dropped_full."""

    def __init__(self, buffer: BufferedAnalytics) -> None:
        self.buffer = buffer

    def collect(self) -> Iterator[CounterMetricFamily]:
        family = CounterMetricFamily("analytics_events", "Analytics events by outcome", labels=["outcome"])
        for outcome, count in sorted(self.buffer.counts.items()):
            family.add_metric([outcome], count)
        yield family
