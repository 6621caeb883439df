"""GraphQL over HTTP (https://graphql.github.io/graphql-over-http/draft/): media types, status codes, methods,
malformed requests and caching, against the running API."""

import json
import uuid
from typing import Any

import httpx
import pytest

from migratio.settings import Settings
from tests.builders.accounts import mongo, unique_email
from tests.server import LiveServer

GRAPHQL_RESPONSE = "application/graphql-response+json"
TYPENAME = "query Typename { __typename }"


def post(server: LiveServer, body: Any, accept: str | None = None, **headers: str) -> httpx.Response:
    sent = {"accept": accept} if accept else {}
    return httpx.post(
        server.graphql_url,
        content=json.dumps(body),
        timeout=30,
        headers={"content-type": "application/json", **sent, **headers},
    )


def get(
    server: LiveServer, params: dict[str, str], accept: str | None = "application/json", **headers: str
) -> httpx.Response:
    sent = {"accept": accept} if accept else {}
    return httpx.get(server.graphql_url, params=params, headers={**sent, **headers}, timeout=30)


# media types and status codes


def test_a_query_without_accept_is_answered_in_application_json_with_200(server: LiveServer) -> None:
    response = post(server, {"query": TYPENAME})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.json()["data"] == {"__typename": "Query"}


def test_accept_graphql_response_json_is_answered_in_that_type(server: LiveServer) -> None:
    response = post(server, {"query": TYPENAME}, accept=f"{GRAPHQL_RESPONSE}, application/json;q=0.9")
    assert response.status_code == 200
    assert response.headers["content-type"] == f"{GRAPHQL_RESPONSE}; charset=utf-8"
    assert response.json()["data"] == {"__typename": "Query"}


def test_a_syntax_error_is_400_without_data_under_graphql_response_json(server: LiveServer) -> None:
    response = post(server, {"query": "{ health { ok "}, accept=GRAPHQL_RESPONSE)
    assert response.status_code == 400
    body = response.json()
    assert "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_a_validation_error_is_400_without_data_under_graphql_response_json(server: LiveServer) -> None:
    response = post(server, {"query": "{ noSuchField }"}, accept=GRAPHQL_RESPONSE)
    assert response.status_code == 400
    assert "data" not in response.json()


def test_a_variable_that_does_not_coerce_is_400_under_graphql_response_json(server: LiveServer) -> None:
    response = post(
        server,
        {"query": "query($slug: String!) { program(slug: $slug) { name } }", "variables": {"slug": 42}},
        accept=GRAPHQL_RESPONSE,
    )
    assert response.status_code == 400
    assert "data" not in response.json()


def test_a_query_beyond_the_limits_is_400_under_graphql_response_json(server: LiveServer) -> None:
    aliased = "{ " + " ".join(f"a{i}: __typename" for i in range(16)) + " }"
    response = post(server, {"query": aliased}, accept=GRAPHQL_RESPONSE)
    assert response.status_code == 400
    assert "data" not in response.json()


def test_request_errors_stay_200_with_data_null_under_application_json(server: LiveServer) -> None:
    for query in ("{ health { ok ", "{ noSuchField }"):
        response = post(server, {"query": query}, accept="application/json")
        assert response.status_code == 200
        assert response.headers["content-type"] == "application/json"
        assert response.json()["data"] is None
        assert response.json()["errors"]


def test_a_field_error_once_execution_started_is_200_with_data_under_graphql_response_json(
    server: LiveServer,
) -> None:
    response = post(server, {"query": "{ me { email } }"}, accept=GRAPHQL_RESPONSE)
    assert response.status_code == 200
    body = response.json()
    assert body["data"] is None
    assert body["errors"][0]["path"] == ["me"]
    assert body["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


# malformed requests


def test_a_body_that_is_not_json_is_400(server: LiveServer) -> None:
    response = httpx.post(
        server.graphql_url, content=b"{ health { ok } }", headers={"content-type": "application/json"}
    )
    assert response.status_code == 400
    assert response.text == "Unable to parse request body as JSON"


@pytest.mark.parametrize("body", ['"{ health { ok } }"', "42", "null", "true"])
def test_a_json_body_that_is_not_an_object_is_400(server: LiveServer, body: str) -> None:
    response = httpx.post(server.graphql_url, content=body, headers={"content-type": "application/json"})
    assert response.status_code == 400
    assert response.text == "The request body must be a JSON object"


def test_a_request_without_a_query_is_400(server: LiveServer) -> None:
    assert post(server, {"variables": {}}).status_code == 400
    response = get(server, {"variables": "{}"})
    assert response.status_code == 400
    assert response.text == "No GraphQL query found in the request"


def test_a_query_that_is_not_a_string_is_400(server: LiveServer) -> None:
    assert post(server, {"query": ["{ __typename }"]}).status_code == 400


@pytest.mark.parametrize(
    "content_type", ["text/plain", "application/graphql", "application/x-www-form-urlencoded", None]
)
def test_a_body_in_another_media_type_is_415(server: LiveServer, content_type: str | None) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = httpx.post(server.graphql_url, content=b'{"query": "{ __typename }"}', headers=headers)
    assert response.status_code == 415
    assert response.text == "Send the GraphQL request as application/json"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_a_method_other_than_get_or_post_is_405_naming_the_allowed_ones(server: LiveServer, method: str) -> None:
    response = httpx.request(method, server.graphql_url, json={"query": TYPENAME})
    assert response.status_code == 405
    assert set(response.headers["allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_a_mutation_over_get_is_405_allowing_post_and_runs_nothing(server: LiveServer, settings: Settings) -> None:
    email = unique_email("get-mutation")
    mutation = 'mutation { register(input: {email: "%s", password: "tangerine-lantern-42", name: "G"}) { email } }'
    response = get(server, {"query": mutation % email})
    assert response.status_code == 405
    assert response.headers["allow"] == "POST"
    assert response.text == "mutations are not allowed when using GET"
    assert mongo(settings).users.count_documents({"email": email}) == 0


@pytest.mark.parametrize("accept", ["text/html", "application/xml", "application/json;q=0"])
def test_an_accept_that_allows_neither_json_type_is_406(server: LiveServer, accept: str) -> None:
    assert post(server, {"query": TYPENAME}, accept=accept).status_code == 406
    assert get(server, {"query": TYPENAME}, accept=accept).status_code == 406


# GET and caching


def test_an_anonymous_get_query_may_be_cached_publicly_for_a_minute(server: LiveServer) -> None:
    response = get(server, {"query": TYPENAME})
    assert response.status_code == 200
    assert response.json()["data"] == {"__typename": "Query"}
    assert response.headers["cache-control"] == "public, max-age=60"
    assert {"Accept", "Authorization", "X-Api-Key"} <= set(response.headers["vary"].split(", "))


def test_a_get_query_with_variables_and_operation_name_runs(server: LiveServer) -> None:
    params = {
        "query": "query A { a: __typename } query B($x: Boolean!) { b: __typename @include(if: $x) }",
        "operationName": "B",
        "variables": json.dumps({"x": True}),
    }
    assert get(server, params).json()["data"] == {"b": "Query"}


def test_a_get_query_sent_with_credentials_is_never_stored(server: LiveServer) -> None:
    response = get(server, {"query": TYPENAME}, authorization=f"Bearer not-a-token-{uuid.uuid4().hex}")
    assert response.headers["cache-control"] == "private, no-store"


def test_a_get_answer_with_errors_is_never_stored(server: LiveServer) -> None:
    response = get(server, {"query": "{ me { email } }"})
    assert response.json()["errors"]
    assert response.headers["cache-control"] == "no-store"


def test_post_answers_say_nothing_about_caching(server: LiveServer) -> None:
    assert "cache-control" not in post(server, {"query": TYPENAME}).headers
