"""The catalog over GraphQL: search (typo-tolerant, faceted, highlighted), browsing, reading, history."""

import asyncio
from collections import Counter
from dataclasses import replace

import httpx
import pytest

from domain.programs.catalog import CATALOG, PROGRAM_BY_SLUG
from domain.programs.model import Status
from migratio.wiring.services import Services
from tests.server import LiveServer

SEARCH = """
query Search($search: String, $first: Int!, $after: String, $filter: ProgramFilter) {
  programs(search: $search, first: $first, after: $after, filter: $filter) {
    totalCount
    edges { cursor highlights node { slug name country { code name } } }
    pageInfo { hasNextPage endCursor }
    facets { countries { value count } categories { value count } }
  }
}
"""


def _programs(server: LiveServer, **variables: object) -> dict:
    body = server.gql(SEARCH, {"first": 20, **variables})
    assert "errors" not in body, body
    return body


def test_expres_entri_finds_canadas_express_entry(server: LiveServer, seeded: Services) -> None:
    body = _programs(server, search="expres entri")
    slugs = [e["node"]["slug"] for e in body["data"]["programs"]["edges"]]
    assert slugs[:3] and all(s.startswith("ca-express-entry") for s in slugs[:3])
    assert body["extensions"]["search"] == {"backend": "opensearch", "degraded": False}
    assert any("<em>Express</em>" in h for h in body["data"]["programs"]["edges"][0]["highlights"])


def test_browse_facets_count_every_active_program(server: LiveServer, seeded: Services) -> None:
    active = [p for p in CATALOG if p.status is Status.ACTIVE]
    facets = _programs(server)["data"]["programs"]["facets"]
    assert {f["value"]: f["count"] for f in facets["countries"]} == Counter(p.country for p in active)
    assert {f["value"]: f["count"] for f in facets["categories"]} == Counter(p.category.name for p in active)


def test_every_facet_value_is_accepted_back_as_a_filter_and_finds_its_count(
    server: LiveServer, seeded: Services
) -> None:
    facets = _programs(server)["data"]["programs"]["facets"]
    for facet in facets["categories"]:
        found = _programs(server, filter={"categories": [facet["value"]]}, first=50)["data"]["programs"]
        assert found["totalCount"] == facet["count"], facet
    for facet in facets["countries"]:
        found = _programs(server, filter={"countries": [facet["value"]]}, first=50)["data"]["programs"]
        assert found["totalCount"] == facet["count"], facet


def test_search_facets_count_the_matching_programs(server: LiveServer, seeded: Services) -> None:
    body = _programs(server, search="digital nomad", first=50)["data"]["programs"]
    countries = {f["value"]: f["count"] for f in body["facets"]["countries"]}
    assert sum(countries.values()) == body["totalCount"] == len(body["edges"])
    assert Counter(e["node"]["country"]["code"] for e in body["edges"]) == countries


def test_filter_by_country_and_category(server: LiveServer, seeded: Services) -> None:
    body = _programs(server, filter={"countries": ["au"], "categories": ["POINTS_BASED_SKILLED"]})
    slugs = {e["node"]["slug"] for e in body["data"]["programs"]["edges"]}
    assert slugs == {"au-skilled-independent-189", "au-skilled-nominated-190", "au-skilled-work-regional-491"}


def test_cursors_walk_the_whole_catalog_once(server: LiveServer, seeded: Services) -> None:
    seen: list[str] = []
    after = None
    for _ in range(20):
        connection = _programs(server, first=7, after=after)["data"]["programs"]
        seen += [e["node"]["slug"] for e in connection["edges"]]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert sorted(seen) == sorted(p.slug for p in CATALOG if p.status is Status.ACTIVE)


def test_program_by_slug_returns_sourced_facts(server: LiveServer, seeded: Services) -> None:
    body = server.gql(
        """{ program(slug: "ca-express-entry-fsw") { name passMark pointsSystem asOf sources { url }
             country { name currency } eligibility { kind rules { kind } } steps { key dependsOn } version } }"""
    )
    program = body["data"]["program"]
    expected = PROGRAM_BY_SLUG["ca-express-entry-fsw"]
    assert program["name"] == expected.name
    assert program["passMark"] == 67 and program["pointsSystem"] == "FSW67"
    assert program["asOf"] == expected.as_of.isoformat()
    assert all(s["url"].startswith("https://") for s in program["sources"])
    assert program["country"] == {"name": "Canada", "currency": "CAD"}
    assert program["version"] >= 1


def test_unknown_program_is_not_found(server: LiveServer, seeded: Services) -> None:
    body = server.gql('{ program(slug: "atlantis-golden-visa") { name } }')
    assert body["errors"][0]["extensions"] == {"code": "NOT_FOUND", "slug": "atlantis-golden-visa"}


@pytest.mark.parametrize(
    ("variables", "field"),
    [({"first": 0}, "first"), ({"first": 101}, "first"), ({"first": 5, "after": "bm90LWEtY3Vyc29y"}, "after")],
)
def test_bad_paging_arguments_are_bad_user_input(
    server: LiveServer, seeded: Services, variables: dict, field: str
) -> None:
    body = server.gql(SEARCH, variables)
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": field}


def test_countries_lists_each_catalog_country(server: LiveServer, seeded: Services) -> None:
    codes = [c["code"] for c in server.gql("{ countries { code name flag } }")["data"]["countries"]]
    assert sorted(codes) == sorted({p.country for p in CATALOG})


async def test_listing_50_programs_costs_the_same_mongo_round_trips_as_5(server: LiveServer, seeded: Services) -> None:
    template = PROGRAM_BY_SLUG["de-opportunity-card"]
    for i in range(55):
        copy = replace(
            template, slug=f"synthetic-{i:02d}", name=f"Synthetic closed program {i:02d}", status=Status.CLOSED
        )
        await seeded.catalog.programs.insert(copy, template_time(), "test")
    closed = {"statuses": ["CLOSED"]}
    few = _programs(server, first=5, filter=closed)
    many = _programs(server, first=50, filter=closed)
    assert len(many["data"]["programs"]["edges"]) == 50
    # the page, its count, the facets, then the country loader: one `_id` lookup per distinct country of the
    # closed programs (DE and CA), whatever the page size
    assert many["extensions"]["mongoCommands"] == few["extensions"]["mongoCommands"] <= 5


def template_time():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime.now(UTC)


async def test_an_update_keeps_history_and_refreshes_cached_reads(server: LiveServer, seeded: Services) -> None:
    slug = "ee-digital-nomad"
    before = _programs(server, filter={"countries": ["EE"]})
    assert before["data"]["programs"]["edges"][0]["node"]["name"] == "Digital nomad visa"
    current = await seeded.catalog.get(slug)
    await seeded.catalog.update(slug, {"name": "Digital Nomad Visa (Estonia)"}, current.version, "admin-test")
    after = _programs(server, filter={"countries": ["EE"]})
    assert after["data"]["programs"]["edges"][0]["node"]["name"] == "Digital Nomad Visa (Estonia)"
    history = server.gql(f'{{ program(slug: "{slug}") {{ version history {{ version program {{ name }} }} }} }}')
    program = history["data"]["program"]
    assert program["version"] == current.version + 1
    assert [h["program"]["name"] for h in program["history"][:2]] == [
        "Digital Nomad Visa (Estonia)",
        "Digital nomad visa",
    ]
    found = _programs(server, search="Nomad Visa Estonia")["data"]["programs"]["edges"]
    assert found[0]["node"]["slug"] == slug


async def test_search_keeps_answering_during_reindex(server: LiveServer, seeded: Services) -> None:
    async def search(client: httpx.AsyncClient, first: int) -> list[str]:
        # A distinct page size per request keeps the Redis cache out of the way: every one reaches OpenSearch.
        response = await client.post(
            server.graphql_url, json={"query": SEARCH, "variables": {"search": "express entry", "first": first}}
        )
        body = response.json()
        assert "errors" not in body, body
        return [e["node"]["slug"] for e in body["data"]["programs"]["edges"]]

    async def reindex_three_times() -> None:
        for _ in range(3):
            await seeded.catalog.reindex()

    async with httpx.AsyncClient(timeout=30) as client:
        reindexing = asyncio.create_task(reindex_three_times())
        results = []
        first = 3
        while not reindexing.done():
            results.append(await search(client, first))
            first = first + 1 if first < 100 else 3
        await reindexing
    assert len(results) >= 3
    assert all(r and r[0].startswith("ca-express-entry") for r in results)
