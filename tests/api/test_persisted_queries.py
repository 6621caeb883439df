"""Automatic persisted queries, as Apollo Client's PersistedQueryLink speaks them, over POST and GET."""

import hashlib
import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from redis import Redis

from migratio.settings import Settings
from tests.server import LiveServer

GRAPHQL_RESPONSE = "application/graphql-response+json"
NOT_FOUND = {"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}


@pytest.fixture(scope="module")
def redis(settings: Settings) -> Iterator[Redis]:
    client = Redis.from_url(settings.redis_url, decode_responses=True)
    yield client
    for key in client.scan_iter(f"{settings.redis_key_prefix}:apq:*"):
        client.delete(key)
    client.close()


def fresh_query() -> tuple[str, str]:
    """A query no other test has registered, and its sha256."""
    query = f"query Fresh{uuid.uuid4().hex} {{ __typename }}"
    return query, hashlib.sha256(query.encode()).hexdigest()


def extensions(sha256: str, version: int = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": sha256}}


def post(server: LiveServer, body: dict[str, Any], accept: str = "application/json") -> httpx.Response:
    return httpx.post(server.graphql_url, json=body, headers={"accept": accept}, timeout=30)


def get_hashed(
    server: LiveServer, sha256: str, operation: str | None = None, accept: str = "application/json"
) -> httpx.Response:
    """The request Apollo sends with useGETForHashedQueries: no `query` parameter at all."""
    params = {"variables": "{}", "extensions": json.dumps(extensions(sha256))}
    if operation:
        params["operationName"] = operation.split()[1]
    return httpx.get(server.graphql_url, params=params, headers={"accept": accept}, timeout=30)


def test_an_unknown_hash_alone_is_persisted_query_not_found_with_200(server: LiveServer) -> None:
    _, sha256 = fresh_query()
    response = post(server, {"extensions": extensions(sha256)})
    assert response.status_code == 200
    assert response.json() == {"data": None, "errors": [NOT_FOUND]}


def test_an_unknown_hash_is_404_without_data_under_graphql_response_json(server: LiveServer) -> None:
    _, sha256 = fresh_query()
    response = post(server, {"extensions": extensions(sha256)}, accept=GRAPHQL_RESPONSE)
    assert response.status_code == 404
    assert response.json() == {"errors": [NOT_FOUND]}


def test_an_unknown_hash_over_get_is_not_found_and_never_cached(server: LiveServer) -> None:
    _, sha256 = fresh_query()
    response = get_hashed(server, sha256, accept="*/*")  # not mistaken for a browser asking for GraphiQL
    assert response.status_code == 200
    assert response.json()["errors"] == [NOT_FOUND]
    assert response.headers["cache-control"] == "no-store"


def test_a_query_sent_with_its_hash_runs_and_is_kept_thirty_days_under_the_prefix(
    server: LiveServer, settings: Settings, redis: Redis
) -> None:
    query, sha256 = fresh_query()
    response = post(server, {"query": query, "extensions": extensions(sha256)})
    assert response.json()["data"] == {"__typename": "Query"}
    key = f"{settings.redis_key_prefix}:apq:{sha256}"
    assert redis.get(key) == query
    assert 30 * 86400 - 60 < redis.ttl(key) <= 30 * 86400


def test_a_registered_hash_alone_runs_its_query_over_post_and_get(server: LiveServer, redis: Redis) -> None:
    query, sha256 = fresh_query()
    post(server, {"query": query, "extensions": extensions(sha256)})
    assert post(server, {"extensions": extensions(sha256)}).json()["data"] == {"__typename": "Query"}
    response = get_hashed(server, sha256, query)
    assert response.status_code == 200
    assert response.json()["data"] == {"__typename": "Query"}
    assert response.headers["cache-control"] == "public, max-age=60"


def test_a_hash_in_capitals_names_the_same_query(server: LiveServer, redis: Redis) -> None:
    query, sha256 = fresh_query()
    post(server, {"query": query, "extensions": extensions(sha256)})
    assert post(server, {"extensions": extensions(sha256.upper())}).json()["data"] == {"__typename": "Query"}


def test_a_hash_that_does_not_match_the_query_is_refused_and_nothing_is_stored(
    server: LiveServer, settings: Settings, redis: Redis
) -> None:
    query, _ = fresh_query()
    _, other = fresh_query()
    response = post(server, {"query": query, "extensions": extensions(other)})
    assert response.status_code == 200
    assert response.json() == {
        "data": None,
        "errors": [{"message": "provided sha does not match query", "extensions": {"code": "BAD_USER_INPUT"}}],
    }
    assert post(server, {"query": query, "extensions": extensions(other)}, accept=GRAPHQL_RESPONSE).status_code == 400
    assert redis.exists(f"{settings.redis_key_prefix}:apq:{other}") == 0


def test_a_query_that_does_not_validate_is_not_stored(server: LiveServer, settings: Settings, redis: Redis) -> None:
    query = f"query Broken{uuid.uuid4().hex} {{ noSuchField }}"
    sha256 = hashlib.sha256(query.encode()).hexdigest()
    assert post(server, {"query": query, "extensions": extensions(sha256)}).json()["errors"]
    assert redis.exists(f"{settings.redis_key_prefix}:apq:{sha256}") == 0
    assert post(server, {"extensions": extensions(sha256)}).json()["errors"] == [NOT_FOUND]


@pytest.mark.parametrize(
    "persisted",
    [
        {"version": 2, "sha256Hash": "0" * 64},
        {"sha256Hash": "0" * 64},
        {"version": 1, "sha256Hash": "not-a-hash"},
        {"version": 1},
        "v1",
    ],
)
def test_a_malformed_persisted_query_extension_is_400(server: LiveServer, persisted: object) -> None:
    response = post(server, {"query": "{ __typename }", "extensions": {"persistedQuery": persisted}})
    assert response.status_code == 400


def test_a_stored_mutation_cannot_be_run_over_get(server: LiveServer, redis: Redis) -> None:
    mutation = f'mutation Fresh{uuid.uuid4().hex} {{ resendVerificationEmail(email: "nobody@example.com") }}'
    sha256 = hashlib.sha256(mutation.encode()).hexdigest()
    assert post(server, {"query": mutation, "extensions": extensions(sha256)}).json()["data"] == {
        "resendVerificationEmail": True
    }
    response = get_hashed(server, sha256, mutation)
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
