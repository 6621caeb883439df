"""`health`, `/healthz`, `/readyz` and `/metrics` against the real stack."""

import asyncio
import time

import httpx

from tests.server import LiveServer

HEALTH = "query Health { health { ok dependencies { name up latencyMs error } } }"


def test_health_reports_every_dependency_up(server: LiveServer) -> None:
    body = server.gql(HEALTH)
    deps = {d["name"]: d for d in body["data"]["health"]["dependencies"]}
    assert set(deps) == {"mongodb", "redis", "opensearch", "s3", "smtp"}
    assert all(d["up"] and d["error"] is None and d["latencyMs"] >= 0 for d in deps.values())
    assert body["data"]["health"]["ok"] is True


def test_healthz_answers_alive(server: LiveServer) -> None:
    response = httpx.get(f"{server.url}/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "alive"}


def test_readyz_is_200_when_everything_answers(server: LiveServer) -> None:
    response = httpx.get(f"{server.url}/readyz", timeout=10)
    assert response.status_code == 200
    body = response.json()
    assert (body["ready"], body["status"], body["down"], body["degraded"]) == (True, "ok", [], [])
    assert {name: d["required"] for name, d in body["dependencies"].items()} == {
        "mongodb": True,
        "redis": True,
        "opensearch": False,
        "s3": False,
        "smtp": False,
    }


async def test_readyz_under_200_concurrent_requests_stays_200_answered_from_shared_probe_rounds(
    server: LiveServer,
) -> None:
    async with httpx.AsyncClient(base_url=server.url, timeout=30) as client:
        started = time.monotonic()
        answers = await asyncio.gather(*(client.get("/readyz") for _ in range(200)))
        took = time.monotonic() - started
    assert [a.status_code for a in answers] == [200] * 200
    rounds = {a.json()["dependencies"]["mongodb"]["latencyMs"] for a in answers}
    print(f"200 concurrent /readyz in {took:.1f}s from {len(rounds)} probe round(s)")
    assert len(rounds) <= 1 + took / 1.5 + 1  # one round per max age, not one per request


def _sample(text: str, metric: str, operation: str) -> float:
    line = next(
        line for line in text.splitlines() if line.startswith(metric + "{") and f'operation_name="{operation}"' in line
    )
    return float(line.rsplit(" ", 1)[1])


def test_metrics_count_operations_and_latency_by_name(server: LiveServer) -> None:
    before = httpx.get(f"{server.url}/metrics").text
    seen = _sample(before, "graphql_operations_total", "Health") if 'operation_name="Health"' in before else 0
    server.gql(HEALTH)
    server.gql(HEALTH)
    after = httpx.get(f"{server.url}/metrics").text
    assert _sample(after, "graphql_operations_total", "Health") == seen + 2
    assert _sample(after, "graphql_operation_duration_seconds_count", "Health") == seen + 2


def test_every_response_carries_a_request_id(server: LiveServer) -> None:
    given = httpx.post(server.graphql_url, json={"query": "{ __typename }"}, headers={"x-request-id": "abc123"})
    assert given.headers["x-request-id"] == "abc123"
    made = httpx.post(server.graphql_url, json={"query": "{ __typename }"})
    assert len(made.headers["x-request-id"]) == 32


def test_graphiql_is_served_to_browsers(server: LiveServer) -> None:
    response = httpx.get(server.graphql_url, headers={"accept": "text/html"})
    assert response.status_code == 200
    assert "graphiql" in response.text.lower()
