"""Persisted GETs come from the response cache: anonymous catalog reads, and a person's results (for that person
only). No GraphQL runs for a repeat, an ETag answers If-None-Match with 304, a catalog write or a new completion
is seen at once, and nothing else personal is ever cached."""

import hashlib
import json
import re
from typing import Any

import httpx
import pytest
import redis

from migratio.settings import Settings
from migratio.wiring.services import Services
from tests.builders.accounts import Account, Client, admin, signed_up
from tests.builders.quiz import CLAIM, COMPLETE, anywhere_quiz, completed, start, take_quiz
from tests.server import LiveServer

CATALOG = 'query CatalogPage { programs(first: 5, filter: { countries: ["NZ"] }) { edges { node { slug name } } } }'
HEALTH = "query Health { health { ok } }"
RESULTS = """query Results {
  myRecommendations(first: 3) { snapshotId edges { programSlug node { name } points { total } } }
}"""
MIXED = "query Mixed { me { email } myRecommendations(first: 1) { snapshotId } }"
CREATE = "mutation Create($input: CreateProgramInput!) { createProgram(input: $input) { slug version } }"
UPDATE = """mutation Update($slug: String!, $v: Int!, $input: UpdateProgramInput!) {
  updateProgram(slug: $slug, expectedVersion: $v, input: $input) { version }
}"""


def _extensions(query: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}}


def _register(server: LiveServer, query: str, **headers: str) -> None:
    sent = {"query": query, "extensions": _extensions(query)}
    body = httpx.post(server.graphql_url, json=sent, headers=headers, timeout=30).json()
    assert "errors" not in body, body


def _get(server: LiveServer, query: str, **headers: str) -> httpx.Response:
    params = {"extensions": json.dumps(_extensions(query)), "variables": "{}"}
    return httpx.get(server.graphql_url, params=params, headers=headers, timeout=30)


def _executed(server: LiveServer) -> float:
    """GraphQL operations this server has executed (its own metrics)."""
    text = httpx.get(f"{server.url}/metrics", timeout=10).text
    return sum(float(v) for v in re.findall(r"^graphql_operations_total\{[^}]*\} ([0-9.e+]+)$", text, re.MULTILINE))


@pytest.fixture(scope="module")
def root(server: LiveServer, settings: Settings) -> Account:
    return admin(server, settings)


def _program(slug: str, name: str) -> dict[str, Any]:
    return {
        "slug": slug,
        "country": "NZ",
        "name": name,
        "category": "SKILLED_WORK",
        "summary": "A pathway created by the response cache test.",
        "eligibility": {"leaf": {"id": "nz.rc.age", "fact": "age", "op": "lte", "value": 55, "description": "≤ 55"}},
        "sources": [{"url": "https://www.immigration.govt.nz/", "title": "Immigration New Zealand"}],
        "asOf": "2026-11-01",
    }


def test_a_repeated_anonymous_catalog_get_runs_no_graphql_and_answers_304_to_its_etag(
    server: LiveServer, seeded: Services
) -> None:
    _register(server, CATALOG)
    first = _get(server, CATALOG)
    executed = _executed(server)
    again = _get(server, CATALOG)
    unchanged = _get(server, CATALOG, **{"if-none-match": first.headers["etag"]})

    assert first.status_code == again.status_code == 200
    assert again.content == first.content and "errors" not in first.json()
    assert again.headers["etag"] == first.headers["etag"]
    assert again.headers["cache-control"].startswith("public")
    assert _executed(server) == executed  # neither the repeat nor the 304 ran an operation
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert unchanged.headers["etag"] == first.headers["etag"]


def test_a_catalog_write_is_seen_by_the_next_cached_read(server: LiveServer, seeded: Services, root: Account) -> None:
    _register(server, CATALOG)
    before = _get(server, CATALOG)
    root.client.data(CREATE, {"input": _program("nz-rc-pathway", "Cache Test Pathway")})
    added = _get(server, CATALOG)
    root.client.data(UPDATE, {"slug": "nz-rc-pathway", "v": 1, "input": {"name": "Cache Test Renamed"}})
    renamed = _get(server, CATALOG, **{"if-none-match": added.headers["etag"]})

    def names(response: httpx.Response) -> set[str]:
        return {e["node"]["name"] for e in response.json()["data"]["programs"]["edges"]}

    assert "Cache Test Pathway" not in names(before)
    assert "Cache Test Pathway" in names(added) and added.headers["etag"] != before.headers["etag"]
    assert renamed.status_code == 200  # the old ETag no longer matches
    assert "Cache Test Renamed" in names(renamed) and "Cache Test Pathway" not in names(renamed)


def test_reads_with_credentials_or_of_anything_but_the_catalog_always_run(
    server: LiveServer, seeded: Services, root: Account
) -> None:
    _register(server, CATALOG)
    _register(server, HEALTH)
    _get(server, CATALOG)
    executed = _executed(server)
    signed_in = _get(server, CATALOG, authorization=f"Bearer {root.client.token}")
    _get(server, HEALTH)
    health = _get(server, HEALTH)

    assert signed_in.status_code == 200 and "etag" not in signed_in.headers
    assert signed_in.headers["cache-control"] == "private, no-store"
    assert health.status_code == 200 and "etag" not in health.headers
    assert _executed(server) == executed + 3


def _results(server: LiveServer, account: Account, **headers: str) -> httpx.Response:
    return _get(server, RESULTS, authorization=f"Bearer {account.client.token}", **headers)


def _as(account: Account) -> dict[str, str]:
    return {"authorization": f"Bearer {account.client.token}"}


@pytest.fixture(scope="module")
def planner(server: LiveServer, settings: Settings) -> Account:
    account = signed_up(server, settings, "results-cache")
    completed(account.client, anywhere_quiz())
    return account


def test_a_persons_repeated_results_get_runs_no_graphql_and_is_private(
    server: LiveServer, seeded: Services, planner: Account
) -> None:
    _register(server, RESULTS, **_as(planner))
    first = _results(server, planner)
    executed = _executed(server)
    again = _results(server, planner)
    unchanged = _results(server, planner, **{"if-none-match": first.headers["etag"]})

    assert first.status_code == 200 and "errors" not in first.json(), first.text
    assert first.json()["data"]["myRecommendations"]["edges"]
    assert again.content == first.content and again.headers["etag"] == first.headers["etag"]
    assert again.headers["cache-control"] == "private, no-cache"
    assert unchanged.status_code == 304 and unchanged.content == b""
    assert _executed(server) == executed


def test_cached_results_are_only_ever_their_owners(
    server: LiveServer, settings: Settings, seeded: Services, planner: Account
) -> None:
    _register(server, RESULTS, **_as(planner))
    _results(server, planner)
    newcomer = signed_up(server, settings, "results-cache-other")
    nothing_yet = _results(server, newcomer)
    completed(newcomer.client, anywhere_quiz())
    theirs = _results(server, newcomer)
    anonymous = _get(server, RESULTS)
    forged = _get(server, RESULTS, authorization="Bearer not-a-token")

    mine = _results(server, planner).json()["data"]["myRecommendations"]
    assert nothing_yet.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert theirs.json()["data"]["myRecommendations"]["snapshotId"] != mine["snapshotId"]
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    assert forged.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_a_new_completion_a_catalog_write_and_a_sign_out_are_seen_by_the_next_results_get(
    server: LiveServer, settings: Settings, seeded: Services, root: Account
) -> None:
    person = signed_up(server, settings, "results-cache-moves")
    completed(person.client, anywhere_quiz())
    _register(server, RESULTS, **_as(person))
    before = _results(server, person).json()["data"]["myRecommendations"]
    completed(person.client, anywhere_quiz())
    recompleted = _results(server, person).json()["data"]["myRecommendations"]
    slug = recompleted["edges"][0]["programSlug"]
    program = root.client.data("query P($s: String!) { program(slug: $s) { version } }", {"s": slug})["program"]
    root.client.data(UPDATE, {"slug": slug, "v": program["version"], "input": {"name": "Renamed For The Cache"}})
    executed = _executed(server)
    renamed = _results(server, person).json()["data"]["myRecommendations"]
    ran_after_write = _executed(server) - executed
    person.client.data("mutation { logout }")
    signed_out = _results(server, person).json()

    assert recompleted["snapshotId"] != before["snapshotId"]
    assert renamed["edges"][0]["node"]["name"] == "Renamed For The Cache" and ran_after_write == 1
    assert signed_out["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_results_beside_other_personal_fields_or_by_post_always_run(
    server: LiveServer, seeded: Services, planner: Account
) -> None:
    _register(server, MIXED, **_as(planner))
    _register(server, RESULTS, **_as(planner))
    _get(server, MIXED, authorization=f"Bearer {planner.client.token}")
    executed = _executed(server)
    mixed = _get(server, MIXED, authorization=f"Bearer {planner.client.token}")
    planner.client.data(RESULTS)
    planner.client.data(RESULTS)

    assert mixed.status_code == 200 and "errors" not in mixed.json() and "etag" not in mixed.headers
    assert mixed.headers["cache-control"] == "private, no-store"
    assert _executed(server) == executed + 3


def test_a_claimed_assessment_and_a_lost_version_are_seen_by_the_next_results_get(
    server: LiveServer, settings: Settings, seeded: Services
) -> None:
    person = signed_up(server, settings, "results-cache-claim")
    completed(person.client, anywhere_quiz())
    _register(server, RESULTS, **_as(person))
    own = _results(server, person).json()["data"]["myRecommendations"]["snapshotId"]
    visitor = Client(server)
    assessment_id, token = start(visitor)
    take_quiz(visitor, assessment_id, token, anywhere_quiz())
    visited = visitor.data(COMPLETE, {"id": assessment_id, "token": token})["completeAssessment"]["snapshot"]["id"]
    person.client.data(CLAIM, {"id": assessment_id, "token": token})
    claimed = _results(server, person)

    executed = _executed(server)
    with redis.Redis.from_url(settings.redis_url) as store:  # Redis lost the version (evicted, emptied)
        assert store.delete(f"{settings.mongodb_db}:results-version:{person.id}") == 1
    after_loss = _results(server, person)

    assert claimed.json()["data"]["myRecommendations"]["snapshotId"] == visited != own
    assert after_loss.content == claimed.content and _executed(server) == executed + 1  # computed again
