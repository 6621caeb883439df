"""Anonymous catalog reads by persisted GET come from the response cache: no GraphQL runs for a repeat, an
ETag answers If-None-Match with 304, a catalog write is seen at once, and nothing personal is ever cached."""

import hashlib
import json
import re
from typing import Any

import httpx
import pytest

from migratio.settings import Settings
from migratio.wiring.services import Services
from tests.builders.accounts import Account, admin
from tests.server import LiveServer

CATALOG = 'query CatalogPage { programs(first: 5, filter: { countries: ["NZ"] }) { edges { node { slug name } } } }'
HEALTH = "query Health { health { ok } }"
CREATE = "mutation Create($input: CreateProgramInput!) { createProgram(input: $input) { slug version } }"
UPDATE = """mutation Update($slug: String!, $v: Int!, $input: UpdateProgramInput!) {
  updateProgram(slug: $slug, expectedVersion: $v, input: $input) { version }
}"""


def _extensions(query: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(query.encode()).hexdigest()}}


def _register(server: LiveServer, query: str) -> None:
    body = httpx.post(server.graphql_url, json={"query": query, "extensions": _extensions(query)}, timeout=30).json()
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
