"""OpenTelemetry tracing, off by default (TRACING_ENABLED): one trace per request from the ASGI server span
(named after the GraphQL operation) through a span per root field to the MongoDB and Redis commands, S3 calls
(botocore) and outgoing HTTP calls (httpx: Stripe, OpenID Connect) it makes; exported over OTLP/HTTP when
OTEL_EXPORTER_OTLP_ENDPOINT is set. Trace ids go into the JSON logs (migratio.observability) and into every
GraphQL error's `extensions.traceId`.

No span attribute holds a query text, variables, arguments or an outgoing URL's query string: they can carry
personal data.

The worker traces each job in a span of its own (`job <function>`), under the trace of the request that enqueued
it: the enqueuing side puts a W3C `traceparent` in the job's `meta` (saq stores it with the job; the job's
kwargs, which the function receives, stay as they are)."""

from collections.abc import Awaitable, Callable, Iterator
from typing import Any

from graphql import GraphQLError, GraphQLResolveInfo
from opentelemetry import context, propagate, trace
from opentelemetry.instrumentation.asgi import OpenTelemetryMiddleware
from opentelemetry.instrumentation.botocore import BotocoreInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.instrumentor import BaseInstrumentor  # type: ignore[attr-defined]
from opentelemetry.instrumentation.pymongo import PymongoInstrumentor
from opentelemetry.instrumentation.redis import RedisInstrumentor
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from saq import Job
from saq.types import Context
from strawberry.extensions import SchemaExtension

from migratio.settings import Settings

__all__ = [
    "GraphQLTracing",
    "OpenTelemetryMiddleware",
    "carry_trace",
    "configure_tracing",
    "end_job_span",
    "start_job_span",
    "trace_id",
]

_tracer = trace.get_tracer("migratio.graphql")
_job_tracer = trace.get_tracer("migratio.jobs")
_TRACE = "trace"  # the key of the propagated context in a job's meta
_SPAN = "trace_span"  # the key of the job's span and context token in the worker's per-job context
_exporting: set[str] = set()


def configure_tracing(settings: Settings) -> TracerProvider | None:
    """The process's tracer provider (made once) with the driver instrumentations; None when tracing is off."""
    if not settings.tracing_enabled:
        return None
    provider = trace.get_tracer_provider()
    if not isinstance(provider, TracerProvider):
        provider = TracerProvider(resource=Resource.create({"service.name": settings.otel_service_name}))
        trace.set_tracer_provider(provider)
    endpoint = settings.otel_exporter_otlp_endpoint
    if endpoint and endpoint not in _exporting:
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter(endpoint=endpoint)))
        _exporting.add(endpoint)
    httpx_hooks = {"request_hook": _without_query, "async_request_hook": _without_query_async}
    instrumentors: tuple[tuple[BaseInstrumentor, dict[str, Any]], ...] = (
        (PymongoInstrumentor(), {}),
        (RedisInstrumentor(), {}),
        (HTTPXClientInstrumentor(), httpx_hooks),  # Stripe, OpenID Connect providers
        (BotocoreInstrumentor(), {}),  # S3; its calls run in worker threads, which copy the caller's context
    )
    for instrumentor, options in instrumentors:
        if not instrumentor.is_instrumented_by_opentelemetry:
            instrumentor.instrument(tracer_provider=provider, **options)
    return provider


def _without_query(span: trace.Span, _request: object) -> None:
    """An outgoing call's URL ends at its path: a query string can carry an address (a search by e-mail)."""
    if isinstance(span, ReadableSpan):
        for key in ("http.url", "url.full"):
            url = (span.attributes or {}).get(key)
            if isinstance(url, str) and "?" in url:
                span.set_attribute(key, url.split("?", 1)[0])


async def _without_query_async(span: trace.Span, request: object) -> None:
    _without_query(span, request)


def trace_id() -> str | None:
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None


class GraphQLTracing(SchemaExtension):
    """Names the request's span after the operation, adds a span per root field, and the trace id to errors."""

    def on_execute(self) -> Iterator[None]:
        context = self.execution_context
        span = trace.get_current_span()
        try:
            kind = context.operation_type.value
        except Exception:  # no parsable document, or no such operation
            kind = "unknown"
        name = context.operation_name or "anonymous"
        span.set_attribute("graphql.operation.name", name)
        span.set_attribute("graphql.operation.type", kind)
        span.update_name(f"{kind} {name}")
        yield

    def on_operation(self) -> Iterator[None]:
        current = trace_id()
        yield
        if current is None:
            return
        result = self.execution_context.result
        for errors in (getattr(result, "errors", None), self.execution_context.pre_execution_errors):
            for error in errors or ():
                _with_trace_id(error, current)

    async def resolve(
        self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo, *args: Any, **kwargs: Any
    ) -> Any:
        if info.path.prev is not None:  # only root fields: nested ones are the loaders' work, not worth a span
            result = _next(root, info, *args, **kwargs)
            return await result if isinstance(result, Awaitable) else result
        with _tracer.start_as_current_span(f"resolve {info.parent_type.name}.{info.field_name}") as span:
            span.set_attribute("graphql.field.name", info.field_name)
            result = _next(root, info, *args, **kwargs)
            return await result if isinstance(result, Awaitable) else result


def _with_trace_id(error: GraphQLError, current: str) -> None:
    if error.extensions is None:
        error.extensions = {}
    error.extensions["traceId"] = current


async def carry_trace(job: Job) -> None:
    """saq's before-enqueue hook: the current trace's context in the job's meta (nothing outside a trace)."""
    carrier: dict[str, str] = {}
    propagate.inject(carrier)
    if carrier:
        job.meta[_TRACE] = carrier


async def start_job_span(ctx: Context) -> None:
    """saq's before-process hook: a span per job run, made current so the job's commands are its children (the
    job's task copies this context when saq creates it)."""
    job = ctx["job"]
    parent = propagate.extract(job.meta.get(_TRACE) or {})
    span = _job_tracer.start_span(
        f"job {job.function}",
        context=parent,
        kind=trace.SpanKind.CONSUMER,
        attributes={"job.function": job.function, "job.attempt": job.attempts, "messaging.system": "saq"},
    )
    ctx[_SPAN] = (span, context.attach(trace.set_span_in_context(span)))  # type: ignore[literal-required]


async def end_job_span(ctx: Context) -> None:
    """saq's after-process hook: ends the job's span, marked as an error when the job raised."""
    found = ctx.pop(_SPAN, None)  # type: ignore[misc]
    if found is None:
        return
    span, token = found
    error = ctx.get("exception")
    if error is not None:
        span.record_exception(error)
        span.set_status(trace.Status(trace.StatusCode.ERROR, type(error).__name__))
    span.end()
    context.detach(token)
