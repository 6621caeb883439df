"""Tracing, with the SDK's in-memory exporter on the real API: one trace runs from the request's span (named
after the GraphQL operation) through the root field's span to the MongoDB and Redis commands, S3 calls (run in a
worker thread) and HTTP calls to Stripe it sent, and on to the span of the job it enqueued, run by a worker;
errors and log lines carry the trace id."""

import asyncio
import json
import logging
import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from opentelemetry import trace
from opentelemetry.instrumentation.botocore import BotocoreInstrumentor
from opentelemetry.instrumentation.httpx import HTTPXClientInstrumentor
from opentelemetry.instrumentation.pymongo import PymongoInstrumentor
from opentelemetry.instrumentation.redis import RedisInstrumentor
from opentelemetry.instrumentation.utils import suppress_http_instrumentation
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from saq import Worker

from migratio.entrypoints.worker import worker_options
from migratio.observability import JsonFormatter
from migratio.settings import Settings
from migratio.transport.tracing import configure_tracing
from migratio.wiring.services import Services
from tests.builders.accounts import Client, signed_up
from tests.builders.roadmaps import PDF_BYTES, applicant, create_roadmap, upload, wait_for_job
from tests.server import LiveServer, start_server


@pytest.fixture(scope="module")
def on(settings: Settings) -> Settings:
    """Tracing on, and a job queue of the module's own that only the test's in-process worker reads."""
    return settings.model_copy(update={"tracing_enabled": True, "job_queue": f"{settings.redis_key_prefix}-traced"})


@pytest.fixture(scope="module")
def traced(on: Settings) -> Iterator[tuple[LiveServer, InMemorySpanExporter]]:
    provider = configure_tracing(on)
    assert provider is not None
    exporter = InMemorySpanExporter()
    processor = SimpleSpanProcessor(exporter)
    provider.add_span_processor(processor)
    live = start_server(on)
    with suppress_http_instrumentation():  # the tests' own calls: a client in another process is not ours to trace
        yield live, exporter
    live.stop()
    for instrumentor in (PymongoInstrumentor(), RedisInstrumentor(), HTTPXClientInstrumentor(), BotocoreInstrumentor()):
        instrumentor.uninstrument()
    processor.shutdown()


REQUEST_TRACED = "mutation RequestTraced($id: ID!) { requestReport(roadmapId: $id) { job { id } } }"
CONFIRM_TRACED = "mutation ConfirmTraced($id: ID!) { confirmDocumentUpload(id: $id) { id status } }"
CHECKOUT_TRACED = (
    """mutation CheckoutTraced { startCheckout(planId: PLUS, interval: MONTH, currency: "eur") { url } }"""
)


def _trace_of(exporter: InMemorySpanExporter, operation: str) -> list[ReadableSpan]:
    deadline = time.monotonic() + 5
    while True:
        spans = exporter.get_finished_spans()
        roots = [s for s in spans if (s.attributes or {}).get("graphql.operation.name") == operation]
        if roots or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    [root] = roots
    assert root.context is not None
    return [s for s in spans if s.context is not None and s.context.trace_id == root.context.trace_id]


def _ancestors(span: ReadableSpan, by_id: dict[int, ReadableSpan]) -> list[str]:
    names = []
    while span.parent is not None and span.parent.span_id in by_id:
        span = by_id[span.parent.span_id]
        names.append(span.name)
    return names


def test_one_trace_spans_the_request_the_root_field_and_its_mongo_and_redis_commands(
    traced: tuple[LiveServer, InMemorySpanExporter],
) -> None:
    live, exporter = traced
    body = Client(live).gql("mutation StartTraced { startAssessment { assessment { id } } }")
    assert "errors" not in body, body

    spans = _trace_of(exporter, "StartTraced")
    by_id = {s.context.span_id: s for s in spans if s.context is not None}
    [root] = [s for s in spans if s.name == "mutation StartTraced"]
    assert root.parent is None
    assert (root.attributes or {})["graphql.operation.type"] == "mutation"
    [field] = [s for s in spans if s.name == "resolve Mutation.startAssessment"]
    assert _ancestors(field, by_id) == ["mutation StartTraced"]
    mongo = [s for s in spans if (s.attributes or {}).get("db.system") == "mongodb"]
    redis = [s for s in spans if (s.attributes or {}).get("db.system") == "redis"]
    assert mongo and redis
    for span in (*mongo, *redis):
        assert _ancestors(span, by_id)[-2:] == ["resolve Mutation.startAssessment", "mutation StartTraced"]
    assert any("insert" in s.name for s in mongo)
    text = json.dumps([dict(s.attributes or {}) for s in spans])
    assert "startAssessment {" not in text  # no query text in any attribute


def test_an_error_carries_the_trace_id_of_its_request(traced: tuple[LiveServer, InMemorySpanExporter]) -> None:
    live, exporter = traced
    body: dict[str, Any] = Client(live).gql('query ReadTraced { assessment(id: "nope") { id } }')
    [error] = body["errors"]
    assert error["extensions"]["code"] == "UNAUTHENTICATED"
    [root] = [s for s in _trace_of(exporter, "ReadTraced") if s.name == "query ReadTraced"]
    assert root.context is not None
    assert error["extensions"]["traceId"] == format(root.context.trace_id, "032x")


def test_a_log_line_written_inside_a_span_names_its_trace(traced: tuple[LiveServer, InMemorySpanExporter]) -> None:
    record = logging.LogRecord("migratio.test", logging.INFO, __file__, 1, "inside", None, None)
    assert "trace_id" not in json.loads(JsonFormatter().format(record))
    with trace.get_tracer("tests").start_as_current_span("work") as span:
        line = json.loads(JsonFormatter().format(record))
    assert line["trace_id"] == format(span.get_span_context().trace_id, "032x")


async def test_a_job_runs_in_a_span_of_its_own_under_the_trace_of_the_request_that_enqueued_it(
    traced: tuple[LiveServer, InMemorySpanExporter], on: Settings, seeded: Services
) -> None:
    live, exporter = traced
    worker: Worker[Any] = Worker(**worker_options(on))  # in this process, so its spans reach the exporter
    await worker.queue.connect()
    running = asyncio.create_task(worker.start())

    def request_a_report() -> dict[str, Any]:
        account = applicant(live, on, "traced")
        roadmap = create_roadmap(account, date.today())
        requested = account.client.data(REQUEST_TRACED, {"id": roadmap["id"]})["requestReport"]
        return wait_for_job(account, requested["job"]["id"])

    try:
        job = await asyncio.to_thread(request_a_report)
    finally:
        await worker.stop()
        running.cancel()
        await worker.queue.disconnect()

    assert job["status"] == "SUCCEEDED"
    spans = await asyncio.to_thread(_trace_of, exporter, "RequestTraced")
    by_id = {s.context.span_id: s for s in spans if s.context is not None}
    [run] = [s for s in spans if s.name == "job produce_report"]
    assert (run.attributes or {})["job.function"] == "produce_report"
    assert run.kind is trace.SpanKind.CONSUMER
    assert _ancestors(run, by_id)[-2:] == ["resolve Mutation.requestReport", "mutation RequestTraced"]
    mongo = [s for s in spans if (s.attributes or {}).get("db.system") == "mongodb"]
    assert [s for s in mongo if "job produce_report" in _ancestors(s, by_id)]  # the job's commands are its children
    s3 = [s for s in spans if (s.attributes or {}).get("rpc.service") == "S3"]
    assert [s.name for s in s3 if "job produce_report" in _ancestors(s, by_id)] == ["S3.PutObject"]  # the PDF


def test_the_s3_calls_a_request_makes_from_a_worker_thread_are_spans_under_its_root_field(
    traced: tuple[LiveServer, InMemorySpanExporter], on: Settings
) -> None:
    live, exporter = traced
    owner = signed_up(live, on, "traceddoc")
    sent = upload(owner, PDF_BYTES)
    assert sent.response.status_code == 204, sent.response.text
    confirmed = owner.client.data(CONFIRM_TRACED, {"id": sent.id})["confirmDocumentUpload"]
    assert confirmed == {"id": sent.id, "status": "UPLOADED"}

    spans = _trace_of(exporter, "ConfirmTraced")
    by_id = {s.context.span_id: s for s in spans if s.context is not None}
    s3 = [s for s in spans if (s.attributes or {}).get("rpc.service") == "S3"]
    # the upload is read (HEAD), copied to its version, the copy read back to hash it, the upload removed
    assert sorted(s.name for s in s3) == ["S3.CopyObject", "S3.DeleteObject", "S3.GetObject", "S3.HeadObject"]
    for span in s3:
        assert span.kind is trace.SpanKind.CLIENT
        assert _ancestors(span, by_id) == ["resolve Mutation.confirmDocumentUpload", "mutation ConfirmTraced"]


def test_the_stripe_calls_a_request_makes_over_httpx_are_spans_under_its_root_field(
    traced: tuple[LiveServer, InMemorySpanExporter], on: Settings
) -> None:
    live, exporter = traced
    buyer = signed_up(live, on, "tracedbuyer")
    url = buyer.client.data(CHECKOUT_TRACED)["startCheckout"]["url"]
    assert url.startswith("https://checkout.stripe.com/")

    spans = _trace_of(exporter, "CheckoutTraced")
    by_id = {s.context.span_id: s for s in spans if s.context is not None}
    http = [s for s in spans if s.kind is trace.SpanKind.CLIENT and s.name in ("GET", "POST")]
    for span in http:
        assert _ancestors(span, by_id) == ["resolve Mutation.startCheckout", "mutation CheckoutTraced"]
    stripe = on.stripe_api_base.rstrip("/")
    # the customer, the price by its lookup key (the query string dropped), the checkout session
    assert sorted((s.name, (s.attributes or {})["http.url"]) for s in http) == [
        ("GET", f"{stripe}/v1/prices"),
        ("POST", f"{stripe}/v1/checkout/sessions"),
        ("POST", f"{stripe}/v1/customers"),
    ]
