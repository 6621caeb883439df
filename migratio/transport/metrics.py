"""Prometheus metrics: GraphQL operation counts and latency by operation name, errors by `extensions.code`,
and readings taken at scrape time (readiness, dependencies, job queue depth).

Labels come from a bounded set only: an operation name the apps use (their operations, or the allowlist) or
`other`, an error code of `ErrorCode` or `OTHER`, so callers cannot grow the series. The endpoint answers only
the configured scraper when a token is set, and nobody in production without one.
"""

import hmac
import os
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Protocol

from graphql import GraphQLError, OperationDefinitionNode, parse
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, multiprocess
from prometheus_client.registry import Collector
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from strawberry.extensions import SchemaExtension
from strawberry.types import ExecutionContext

from domain.errors import ErrorCode

OTHER = "other"
_CODES = frozenset(code.value for code in ErrorCode)
MULTIPROCESS_DIR = "PROMETHEUS_MULTIPROC_DIR"  # set: every process writes its samples there, any one answers
_OPERATION_TYPES = frozenset({"query", "mutation", "subscription"})


class ScrapeReading(Collector, Protocol):
    """A collector of this process's view at scrape time (`refresh` runs first): exported in multi-process
    mode too, where counters come from the shared directory."""

    async def refresh(self) -> None: ...


def operation_names(directory: Path | None) -> frozenset[str]:
    """The named operations of the `.graphql` files in `directory` (the apps' own; none when it is missing)."""
    names: set[str] = set()
    for path in sorted(directory.glob("*.graphql")) if directory is not None and directory.is_dir() else ():
        try:
            document = parse(path.read_text())
        except GraphQLError:
            continue
        names.update(d.name.value for d in document.definitions if isinstance(d, OperationDefinitionNode) and d.name)
    return frozenset(names)


def operation_outcome(context: ExecutionContext) -> tuple[str, list[str]]:
    """An operation's type (`unknown` without a parsable document or such an operation) and the code of each of its
    errors, pre-execution ones included (`OTHER` for a code not of `ErrorCode`)."""
    try:
        kind = context.operation_type.value
    except Exception:  # no parsable document, or no such operation
        kind = "unknown"
    if kind not in _OPERATION_TYPES:
        kind = "unknown"
    errors = getattr(context.result, "errors", None) or context.pre_execution_errors or ()
    codes = [str((error.extensions or {}).get("code", "")) for error in errors]
    return kind, [code if code in _CODES else OTHER.upper() for code in codes]


class Metrics:
    """Own registry per app, so tests and several apps in one process never share counters."""

    def __init__(self, known_operations: Iterable[str] = (), token: str | None = None, public: bool = True) -> None:
        """`token`: the scraper's bearer token; without one the endpoint is open only when `public`."""
        self.known_operations = frozenset(known_operations)
        self.token = token
        self.public = public
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
        self.errors = Counter(
            "graphql_errors_total",
            "GraphQL errors by extensions.code",
            ["operation_type", "code"],
            registry=self.registry,
        )
        self.readings: list[ScrapeReading] = []

    def add_reading(self, reading: ScrapeReading) -> None:
        self.readings.append(reading)
        self.registry.register(reading)

    def extension(self) -> type[SchemaExtension]:
        metrics = self

        class GraphQLMetrics(SchemaExtension):
            def on_operation(self) -> Iterator[None]:
                started = time.perf_counter()
                yield
                context = self.execution_context
                name = context.operation_name if context.operation_name in metrics.known_operations else OTHER
                kind, codes = operation_outcome(context)
                metrics.operations.labels(name, kind, "error" if codes else "ok").inc()
                metrics.latency.labels(name, kind).observe(time.perf_counter() - started)
                for code in codes:
                    metrics.errors.labels(kind, code).inc()

        return GraphQLMetrics

    async def endpoint(self, request: Request) -> Response:
        if self.token is None and not self.public:
            return PlainTextResponse("Not Found", status_code=404)
        if self.token is not None:
            scheme, _, sent = request.headers.get("authorization", "").partition(" ")
            if scheme.lower() != "bearer" or not hmac.compare_digest(sent.strip().encode(), self.token.encode()):
                return PlainTextResponse("Unauthorized", status_code=401, headers={"WWW-Authenticate": "Bearer"})
        for reading in self.readings:
            await reading.refresh()
        registry = self.registry
        if os.environ.get(MULTIPROCESS_DIR):
            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            for reading in self.readings:
                registry.register(reading)
        return Response(generate_latest(registry), media_type="text/plain; version=0.0.4")
