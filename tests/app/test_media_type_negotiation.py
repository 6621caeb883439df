"""Which JSON media type a response is written in, from the request's Accept header (GraphQL over HTTP)."""

import pytest

from migratio.transport.graphql_http import APPLICATION_JSON, GRAPHQL_RESPONSE_JSON, cache_control, negotiate


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        (None, APPLICATION_JSON),
        ("", APPLICATION_JSON),
        ("application/json", APPLICATION_JSON),
        ("application/graphql-response+json", GRAPHQL_RESPONSE_JSON),
        ("application/graphql-response+json, application/json;q=0.9", GRAPHQL_RESPONSE_JSON),  # Apollo Client 4
        ("application/graphql-response+json, application/json", GRAPHQL_RESPONSE_JSON),  # first of equals
        ("application/json, application/graphql-response+json", APPLICATION_JSON),
        ("application/json;q=0.5, application/graphql-response+json", GRAPHQL_RESPONSE_JSON),
        ("Application/GraphQL-Response+JSON; charset=utf-8", GRAPHQL_RESPONSE_JSON),
        ("*/*", APPLICATION_JSON),
        ("application/*", APPLICATION_JSON),
        ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", APPLICATION_JSON),  # a browser
        ("application/json, multipart/mixed", APPLICATION_JSON),  # GraphiQL's fetcher
        ("application/graphql-response+json, */*;q=0.1", GRAPHQL_RESPONSE_JSON),
    ],
)
def test_the_preferred_json_type_is_chosen_and_application_json_wins_ties(accept: str | None, chosen: str) -> None:
    assert negotiate(accept) == chosen


@pytest.mark.parametrize(
    "accept",
    [
        "text/html",
        "application/xml",
        "application/json;q=0, application/graphql-response+json;q=0",
        "*/*;q=0",
        "multipart/mixed",
        "application/json;q=oops",
    ],
)
def test_an_accept_that_allows_neither_json_type_chooses_none(accept: str) -> None:
    assert negotiate(accept) is None


def test_a_specific_range_outranks_a_wildcard_even_with_a_lower_quality() -> None:
    assert negotiate("application/json;q=0, */*") == GRAPHQL_RESPONSE_JSON


def test_a_get_with_credentials_is_private_and_an_anonymous_one_public() -> None:
    assert cache_control({"authorization": "Bearer x"}, 60) == "private, no-store"
    assert cache_control({"x-api-key": "k"}, 60) == "private, no-store"
    assert cache_control({}, 60) == "public, max-age=60"
