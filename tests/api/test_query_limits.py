"""Operations too deep, too long, too aliased or too costly are refused before they run."""

from collections.abc import Iterator

import pytest

from migratio.settings import Settings
from tests.builders.accounts import Client, error_code
from tests.server import LiveServer, start_server


@pytest.fixture(scope="module")
def shallow(settings: Settings) -> Iterator[LiveServer]:
    """The schema itself nests only a few levels, so the depth limit is shown with a limit of 1."""
    live = start_server(settings.model_copy(update={"graphql_max_depth": 1}))
    yield live
    live.stop()


def test_a_query_deeper_than_the_depth_limit_is_refused_before_it_runs(shallow: LiveServer) -> None:
    body = Client(shallow).gql("{ me { preferences { language } } }")
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}
    assert "exceeds maximum operation depth of 1" in body["errors"][0]["message"]
    assert "errors" not in Client(shallow).gql("{ health { ok } }")


def test_more_than_fifteen_aliases_are_refused(server: LiveServer) -> None:
    body = Client(server).gql("{ " + " ".join(f"a{i}: __typename" for i in range(16)) + " }")
    assert error_code(body) == "BAD_USER_INPUT"
    assert "aliases" in body["errors"][0]["message"]


def test_a_document_of_more_than_2000_tokens_is_refused(server: LiveServer) -> None:
    body = Client(server).gql("{ " + "__typename " * 2100 + "}")
    assert error_code(body) == "BAD_USER_INPUT"
    assert "token" in body["errors"][0]["message"].lower()


def test_a_query_costing_more_than_2000_is_refused_before_any_permission_check(server: LiveServer) -> None:
    user = (
        "{ id email name locale role createdAt dateOfBirth photoUrl mfaEnabled "
        "preferences { language currency notificationChannels ui } }"
    )
    body = Client(server).gql(f"{{ a: users(limit: 100) {user} b: users(limit: 50) {user} }}")
    assert body["errors"][0]["extensions"] == {"code": "BAD_USER_INPUT"}
    assert body["errors"][0]["message"] == "query cost 2102 exceeds the limit of 2000"


_USER = (
    "{ id email name locale role createdAt dateOfBirth photoUrl mfaEnabled "
    "preferences { language currency notificationChannels ui } }"
)
USERS_PAGE = f"query Users($limit: Int! = 100) {{ a: users(limit: $limit) {_USER} b: users(limit: $limit) {_USER} }}"
PROGRAMS_PAGE = (
    "query Programs($first: Int!) { programs(first: $first) { edges { cursor highlights node { "
    "slug name summary fees { label amount currency per } steps { key title typicalDays } } } } }"
)


def test_page_sizes_passed_as_variables_are_what_the_cost_counts(server: LiveServer) -> None:
    """Apps send page sizes as variables: a small page passes, a large one (or the large default) is refused."""
    client = Client(server)
    assert client.gql(USERS_PAGE, {"limit": 80})["errors"][0]["message"] == "query cost 2242 exceeds the limit of 2000"
    assert client.gql(USERS_PAGE)["errors"][0]["message"] == "query cost 2802 exceeds the limit of 2000"
    assert error_code(client.gql(USERS_PAGE, {"limit": 5})) == "UNAUTHENTICATED"  # past the cost, to permissions


def test_a_connections_page_size_bounds_its_edges(server: LiveServer) -> None:
    client = Client(server)
    small = client.gql(PROGRAMS_PAGE, {"first": 3})
    assert "errors" not in small, small["errors"]
    refused = client.gql(PROGRAMS_PAGE, {"first": 50})
    assert error_code(refused) == "BAD_USER_INPUT"
    assert refused["errors"][0]["message"].startswith("query cost ")


def test_a_reasonable_query_passes_every_limit(server: LiveServer) -> None:
    body = Client(server).gql("{ __typename }")
    assert "errors" not in body and body["data"] == {"__typename": "Query"}
