"""Requests refused for their shape or size, cheaply and before anything runs: fragment fan-outs, page sizes,
cursors, bodies, query texts, JSON nesting, websocket messages and persisted-query registrations."""

import base64
import hashlib
import json
import statistics
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest
from redis import Redis
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect
from websockets.typing import Subprotocol

from migratio.settings import Settings
from tests.builders.accounts import Client, error_code
from tests.server import LiveServer, start_server

TRANSPORT_WS = Subprotocol("graphql-transport-ws")


def fan_out(levels: int = 7, spreads: int = 10, leaf: str = "health { ok }") -> str:
    """Each fragment spreads the previous one `spreads` times: 10**6 paths in about 550 bytes."""
    lines = [f"query {{ ...F{levels - 1} }}", f"fragment F0 on Query {{ {leaf} }}"]
    lines += [f"fragment F{i} on Query {{ {' '.join([f'...F{i - 1}'] * spreads)} }}" for i in range(1, levels)]
    return "\n".join(lines)


def _timed(client: httpx.Client, query: str) -> tuple[float, dict[str, object]]:
    started = time.perf_counter()
    body = client.post("/graphql", json={"query": query}).json()
    return time.perf_counter() - started, body


@pytest.mark.alone  # a latency bound: run while no other test loads the machine (see tests/conftest.py)
def test_a_fragment_fan_out_is_refused_in_milliseconds_and_others_are_not_held_up(server: LiveServer) -> None:
    query = fan_out()
    assert len(query.encode()) < 600
    with (
        httpx.Client(base_url=server.url, timeout=60) as attacker,
        httpx.Client(base_url=server.url, timeout=60) as bystander,
    ):
        _timed(bystander, "{ __typename }")  # connections warm
        baseline = statistics.median(_timed(bystander, "{ __typename }")[0] for _ in range(10))
        with ThreadPoolExecutor(2) as pool:
            attacks = pool.submit(lambda: [_timed(attacker, query) for _ in range(5)])
            others = pool.submit(lambda: [_timed(bystander, "{ __typename }")[0] for _ in range(20)])
            refusals, latencies = attacks.result(), others.result()
    for elapsed, body in refusals:
        assert error_code(body) == "BAD_USER_INPUT"
        assert elapsed < 0.1, f"refused after {elapsed * 1000:.0f} ms"
    # Held up, every bystander request waited seconds (8–11 s before the shape limits); one slow one in twenty is
    # the machine (a collection, another process), not the attack.
    assert sorted(latencies)[-2] < max(0.1, 10 * baseline), (baseline, latencies)


def test_a_fan_out_of_free_fields_is_refused_for_the_fields_it_expands_to(server: LiveServer) -> None:
    body = Client(server).gql(fan_out(leaf="__typename"))
    assert error_code(body) == "BAD_USER_INPUT"
    assert body["errors"][0]["message"] == (
        "the operation selects 1000000 fields once its fragments are expanded; the limit is 2000"
    )


@pytest.mark.alone  # a latency bound: run while no other test loads the machine (see tests/conftest.py)
def test_a_fragment_fan_out_over_a_websocket_is_refused_at_once(server: LiveServer) -> None:
    subscription = fan_out(leaf="countdown(start: 1) { remaining }").replace("on Query", "on Subscription")
    subscription = subscription.replace("query {", "subscription {", 1)
    with connect(server.ws_url, subprotocols=[TRANSPORT_WS], open_timeout=10) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        started = time.perf_counter()
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": subscription}}))
        message = json.loads(ws.recv(timeout=30))
        elapsed = time.perf_counter() - started
    assert message["type"] == "error"
    assert message["payload"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert elapsed < 0.1


USER = (
    "{ id email name locale role createdAt dateOfBirth photoUrl mfaEnabled "
    "preferences { language currency notificationChannels ui } }"
)


def test_a_negative_page_cannot_buy_room_for_expensive_fields(server: LiveServer) -> None:
    """Before: the negative page made the cost negative and two 100-user pages ran beside it."""
    body = Client(server).gql(
        "{ programs(first: -100000000) { edges { node { slug steps { title } } } } "
        f"a: users(limit: 100) {USER} b: users(limit: 100) {USER} }}"
    )
    assert body.get("data") is None
    assert body["errors"] == [
        {
            "message": "first must be between 1 and 100",
            "locations": [{"line": 1, "column": 12}],
            "extensions": {"code": "BAD_USER_INPUT", "field": "first"},
        }
    ]


@pytest.mark.parametrize(("field", "value"), [("first", 0), ("first", 101), ("first", -1), ("first", 2**31 - 1)])
def test_page_sizes_outside_the_fields_bounds_are_refused_before_any_permission_check(
    server: LiveServer, field: str, value: int
) -> None:
    body = Client(server).gql("query($n: Int!) { myRecommendations(first: $n) { edges { cursor } } }", {"n": value})
    assert body.get("data") is None
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


def _cursor(offset: object) -> str:
    return base64.urlsafe_b64encode(f"offset:{offset}".encode()).decode()


@pytest.mark.parametrize("search", [None, "work visa"])
@pytest.mark.parametrize("offset", [-5, -1, 9_950, 10**20])
def test_cursors_outside_the_index_window_are_bad_user_input(
    server: LiveServer, offset: int, search: str | None
) -> None:
    body = Client(server).gql(
        "query($after: String, $search: String) { programs(first: 100, after: $after, search: $search) "
        "{ edges { cursor } } }",
        {"after": _cursor(offset), "search": search},
    )
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "after"}


def test_a_body_over_256_kib_is_413(server: LiveServer) -> None:
    padding = "x" * (256 * 1024)
    response = httpx.post(
        server.graphql_url, json={"query": "{ __typename }", "variables": {"pad": padding}}, timeout=30
    )
    assert response.status_code == 413
    assert response.text == "The request body is larger than 262144 bytes"


def test_a_body_announced_over_the_cap_is_refused_without_being_read(server: LiveServer) -> None:
    def endless() -> Iterator[bytes]:
        yield b'{"query": "{ __typename }", "pad": "'
        for _ in range(64):
            yield b"x" * 16384

    response = httpx.post(
        server.graphql_url, content=endless(), timeout=30, headers={"content-type": "application/json"}
    )
    assert response.status_code == 413


def test_a_query_text_over_64_kib_is_413_even_inside_the_body_cap(server: LiveServer) -> None:
    query = "# " + "c" * (65 * 1024) + "\n{ __typename }"
    response = httpx.post(server.graphql_url, json={"query": query}, timeout=30)
    assert response.status_code == 413
    assert response.text == "The query is longer than 65536 bytes"


def test_json_nested_1000_levels_is_400_not_500(server: LiveServer) -> None:
    nested = "[" * 1000 + "]" * 1000
    body = '{"query": "query($v: JSON) { __typename }", "variables": {"v": ' + nested + "}}"
    response = httpx.post(server.graphql_url, content=body, headers={"content-type": "application/json"}, timeout=30)
    assert response.status_code == 400
    assert response.text == "The request's JSON nested deeper than 32 levels"
    deep_get = httpx.get(server.graphql_url, params={"query": "{ __typename }", "variables": nested}, timeout=30)
    assert deep_get.status_code == 400


def test_a_websocket_message_over_64_kib_closes_the_socket_with_1009(server: LiveServer) -> None:
    with connect(server.ws_url, subprotocols=[TRANSPORT_WS], open_timeout=10) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {
                        "query": "# " + "c" * (65 * 1024) + "\nsubscription { countdown(start: 1) { remaining } }"
                    },
                }
            )
        )
        with pytest.raises(ConnectionClosed) as closed:
            ws.recv(timeout=10)
    assert closed.value.rcvd is not None and closed.value.rcvd.code == 1009


@pytest.fixture(scope="module")
def redis(settings: Settings) -> Iterator[Redis]:
    client = Redis.from_url(settings.redis_url, decode_responses=True)
    yield client
    client.close()


def _register(server: LiveServer, query: str, ip: str) -> httpx.Response:
    sha256 = hashlib.sha256(query.encode()).hexdigest()
    return httpx.post(
        server.graphql_url,
        timeout=30,
        headers={"x-forwarded-for": ip},
        json={"query": query, "extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256}}},
    )


def _stored(redis: Redis, settings: Settings, query: str) -> bool:
    return bool(redis.exists(f"{settings.redis_key_prefix}:apq:{hashlib.sha256(query.encode()).hexdigest()}"))


def test_a_persisted_query_over_16_kib_runs_but_is_not_stored(
    server: LiveServer, settings: Settings, redis: Redis
) -> None:
    query = f"# {uuid.uuid4().hex} " + "c" * (20 * 1024) + "\n{ __typename }"
    response = _register(server, query, Client(server).ip)
    assert response.json()["data"] == {"__typename": "Query"}
    assert not _stored(redis, settings, query)


@pytest.fixture(scope="module")
def three_registrations(settings: Settings) -> Iterator[LiveServer]:
    live = start_server(settings.model_copy(update={"persisted_query_registrations_per_ip": 3}))
    yield live
    live.stop()


def test_registrations_are_limited_per_address(
    three_registrations: LiveServer, settings: Settings, redis: Redis
) -> None:
    mallory, alice = Client(three_registrations).ip, Client(three_registrations).ip
    queries = [f"query Q{uuid.uuid4().hex} {{ __typename }}" for _ in range(5)]
    for query in queries:
        assert _register(three_registrations, query, mallory).json()["data"] == {"__typename": "Query"}
    assert [_stored(redis, settings, q) for q in queries] == [True, True, True, False, False]
    elsewhere = f"query Q{uuid.uuid4().hex} {{ __typename }}"
    _register(three_registrations, elsewhere, alice)
    assert _stored(redis, settings, elsewhere)


HEALTH = "query Health { health { ok } }"


@pytest.fixture(scope="module")
def allowlisted(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveServer]:
    path: Path = tmp_path_factory.mktemp("allowlist") / "allowlist.json"
    path.write_text(
        json.dumps([{"name": "Health", "sha256": hashlib.sha256(HEALTH.encode()).hexdigest(), "document": HEALTH}])
    )
    live = start_server(settings.model_copy(update={"graphql_allowlist_file": path}))
    yield live
    live.stop()


def test_with_an_allowlist_only_listed_documents_run_and_nothing_is_stored(
    allowlisted: LiveServer, settings: Settings, redis: Redis
) -> None:
    sha256 = hashlib.sha256(HEALTH.encode()).hexdigest()
    by_hash = httpx.post(
        allowlisted.graphql_url,
        timeout=30,
        json={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256}}},
    )
    assert by_hash.json()["data"]["health"]["ok"] in (True, False)
    assert "errors" not in Client(allowlisted).gql(HEALTH)
    other = f"query Other{uuid.uuid4().hex} {{ __typename }}"
    refused = Client(allowlisted).gql(other)
    assert refused["errors"] == [
        {"message": "only the apps' own operations run here", "extensions": {"code": "FORBIDDEN"}}
    ]
    assert _register(allowlisted, other, Client(allowlisted).ip).json()["errors"][0]["extensions"] == {
        "code": "FORBIDDEN"
    }
    assert not _stored(redis, settings, other)
    unknown = hashlib.sha256(other.encode()).hexdigest()
    hash_only = httpx.post(
        allowlisted.graphql_url,
        timeout=30,
        json={"extensions": {"persistedQuery": {"version": 1, "sha256Hash": unknown}}},
    )
    assert hash_only.json()["errors"][0]["extensions"] == {"code": "PERSISTED_QUERY_NOT_FOUND"}
    with connect(allowlisted.ws_url, subprotocols=[TRANSPORT_WS], open_timeout=10) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": "subscription { countdown(start: 1) { remaining } }"},
                }
            )
        )
        message = json.loads(ws.recv(timeout=10))
    assert message == {
        "id": "1",
        "type": "error",
        "payload": [{"message": "only the apps' own operations run here", "extensions": {"code": "FORBIDDEN"}}],
    }


def test_a_1_mb_persisted_query_is_refused_and_not_stored(server: LiveServer, settings: Settings, redis: Redis) -> None:
    query = f"# {uuid.uuid4().hex} " + "c" * 1024 * 1024 + "\n{ __typename }"
    assert _register(server, query, Client(server).ip).status_code == 413
    assert not _stored(redis, settings, query)
