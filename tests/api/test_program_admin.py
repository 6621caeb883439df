"""Catalog writes: admins create, update, pause and archive programs; nobody else can, and a refusal changes
nothing."""

from typing import Any

import pytest

from migratio.settings import Settings
from migratio.wiring.services import Services
from tests.builders.accounts import Account, admin, error_code, mongo, signed_up
from tests.builders.quiz import anywhere_quiz, completed
from tests.server import LiveServer

CREATE = """mutation Create($input: CreateProgramInput!) {
  createProgram(input: $input) { slug version status country { name } eligibility { kind fact } }
}"""
UPDATE = """mutation Update($slug: String!, $v: Int!, $input: UpdateProgramInput!) {
  updateProgram(slug: $slug, expectedVersion: $v, input: $input) { name version }
}"""
PAUSE = "mutation($slug: String!, $v: Int!) { pauseProgram(slug: $slug, expectedVersion: $v) { status version } }"
ARCHIVE = "mutation($slug: String!, $v: Int!) { archiveProgram(slug: $slug, expectedVersion: $v) { status version } }"
SEARCH = "query($q: String!) { programs(search: $q, first: 5) { edges { node { slug } } } }"


def _input(slug: str, **overrides: Any) -> dict[str, Any]:
    return {
        "slug": slug,
        "country": "NZ",
        "name": "Test Residence Pathway",
        "category": "SKILLED_WORK",
        "summary": "A pathway created by the admin test suite.",
        "eligibility": {
            "leaf": {"id": "nz.test.age", "fact": "age", "op": "lte", "value": 55, "description": "55 or younger"}
        },
        "sources": [{"url": "https://www.immigration.govt.nz/", "title": "Immigration New Zealand"}],
        "asOf": "2026-11-01",
        **overrides,
    }


@pytest.fixture(scope="module")
def root(server: LiveServer, settings: Settings) -> Account:
    return admin(server, settings)


def test_an_admin_creates_a_program_that_search_finds_at_once(
    server: LiveServer, settings: Settings, seeded: Services, root: Account
) -> None:
    body = root.client.gql(CREATE, {"input": _input("nz-test-created", name="Kiwi Quokka Pathway")})
    assert "errors" not in body, body
    created = body["data"]["createProgram"]
    assert created == {
        "slug": "nz-test-created",
        "version": 1,
        "status": "ACTIVE",
        "country": {"name": "New Zealand"},
        "eligibility": {"kind": "LEAF", "fact": "age"},
    }
    found = server.gql(SEARCH, {"q": "kiwi quoka"})["data"]["programs"]["edges"]
    assert [e["node"]["slug"] for e in found] == ["nz-test-created"]


def test_update_pause_and_archive_each_keep_a_version(
    server: LiveServer, settings: Settings, seeded: Services, root: Account
) -> None:
    root.client.data(CREATE, {"input": _input("nz-test-versions")})
    renamed = root.client.data(UPDATE, {"slug": "nz-test-versions", "v": 1, "input": {"name": "Renamed"}})
    assert renamed["updateProgram"] == {"name": "Renamed", "version": 2}
    assert root.client.data(PAUSE, {"slug": "nz-test-versions", "v": 2})["pauseProgram"] == {
        "status": "PAUSED",
        "version": 3,
    }
    assert root.client.data(ARCHIVE, {"slug": "nz-test-versions", "v": 3})["archiveProgram"] == {
        "status": "CLOSED",
        "version": 4,
    }
    history = server.gql('{ program(slug: "nz-test-versions") { history { version program { name status } } } }')
    assert [(h["version"], h["program"]["status"]) for h in history["data"]["program"]["history"]] == [
        (4, "CLOSED"),
        (3, "PAUSED"),
        (2, "ACTIVE"),
        (1, "ACTIVE"),
    ]


def test_a_stale_version_is_refused_and_nothing_changes(
    server: LiveServer, settings: Settings, seeded: Services, root: Account
) -> None:
    root.client.data(CREATE, {"input": _input("nz-test-stale")})
    root.client.data(UPDATE, {"slug": "nz-test-stale", "v": 1, "input": {"name": "First edit"}})
    body = root.client.gql(UPDATE, {"slug": "nz-test-stale", "v": 1, "input": {"name": "Lost update"}})
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": "version"}
    stored = mongo(settings).programs.find_one({"_id": "nz-test-stale"})
    assert stored is not None and (stored["name"], stored["version"]) == ("First edit", 2)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"country": "XX"}, "country"),
        (
            {"eligibility": {"leaf": {"id": "x", "fact": "age", "op": "$where", "value": 1, "description": "x"}}},
            "input",
        ),
        (
            {"eligibility": {"leaf": {"id": "x", "fact": "age", "op": "gte", "value": {"$gt": 1}, "description": "x"}}},
            "input",
        ),
        ({"sources": [{"url": "http://insecure.example", "title": "x"}]}, "input"),
    ],
)
def test_invalid_programs_are_refused_and_not_stored(
    server: LiveServer, settings: Settings, seeded: Services, root: Account, overrides: dict[str, Any], field: str
) -> None:
    before = mongo(settings).programs.count_documents({})
    body = root.client.gql(CREATE, {"input": _input("nz-test-invalid", **overrides)})
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT", "field": field}
    assert mongo(settings).programs.count_documents({}) == before


def test_non_admins_cannot_write_the_catalog(server: LiveServer, settings: Settings, seeded: Services) -> None:
    before = mongo(settings).programs.find_one({"_id": "ca-express-entry-fsw"})
    user = signed_up(server, settings, "catalog-writer")
    attempts: list[tuple[str, dict[str, Any]]] = [
        (CREATE, {"input": _input("nz-test-sneaky")}),
        (UPDATE, {"slug": "ca-express-entry-fsw", "v": 1, "input": {"name": "Hijacked"}}),
        (PAUSE, {"slug": "ca-express-entry-fsw", "v": 1}),
        (ARCHIVE, {"slug": "ca-express-entry-fsw", "v": 1}),
    ]
    for query, variables in attempts:
        assert error_code(user.client.gql(query, variables)) == "FORBIDDEN"
        assert error_code(server.gql(query, variables)) == "UNAUTHENTICATED"
    assert mongo(settings).programs.find_one({"_id": "ca-express-entry-fsw"}) == before
    assert mongo(settings).programs.find_one({"_id": "nz-test-sneaky"}) is None


RANKED = "{ myRecommendations(first: 100) { totalCount edges { programSlug node { name } } } }"


def test_a_catalog_write_reaches_results_computed_before_it(
    server: LiveServer, settings: Settings, seeded: Services, root: Account
) -> None:
    person = signed_up(server, settings, "ranked")
    completed(person.client, anywhere_quiz())
    before = person.client.data(RANKED)["myRecommendations"]
    assert "nz-test-ranked" not in {e["programSlug"] for e in before["edges"]}

    root.client.data(CREATE, {"input": _input("nz-test-ranked")})
    added = person.client.data(RANKED)["myRecommendations"]
    root.client.data(UPDATE, {"slug": "nz-test-ranked", "v": 1, "input": {"name": "Ranked Then Renamed"}})
    renamed = person.client.data(RANKED)["myRecommendations"]

    assert added["totalCount"] == before["totalCount"] + 1
    assert {e["node"]["name"] for e in added["edges"] if e["programSlug"] == "nz-test-ranked"} == {
        "Test Residence Pathway"
    }
    assert {e["node"]["name"] for e in renamed["edges"] if e["programSlug"] == "nz-test-ranked"} == {
        "Ranked Then Renamed"
    }
