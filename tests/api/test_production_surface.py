"""What production shows an outsider: no schema hints (suggestions, GraphiQL, introspection), metrics only to
the scraper, and metric labels callers cannot multiply."""

import uuid
from collections.abc import Iterator

import httpx
import pytest
from cryptography.fernet import Fernet
from pydantic import SecretStr

from migratio.settings import Settings
from tests.builders.accounts import Client, error_code
from tests.server import LiveServer, start_server

SCRAPER_TOKEN = "a-scraper-token-" + "0" * 24


def _production(settings: Settings, **extra: object) -> Settings:
    """The run's settings as production accepts them: its own keys, no development secrets."""
    return settings.model_copy(
        update={
            "environment": "production",
            "jwt_keys": {"p1": SecretStr("a-production-signing-key-of-at-least-32-bytes!")},
            "jwt_current_kid": "p1",
            "field_encryption_keys": [SecretStr(Fernet.generate_key().decode())],
            **extra,
        }
    )


@pytest.fixture(scope="module")
def production(settings: Settings) -> Iterator[LiveServer]:
    live = start_server(_production(settings, metrics_token=SecretStr(SCRAPER_TOKEN), expose_query_stats=False))
    yield live
    live.stop()


# Each one, in test settings, earns a "Did you mean" naming part of the schema.
MISTAKES = [
    ("{ programz { totalCount } }", None),  # field
    ("{ programs(frist: 3) { totalCount } }", None),  # argument
    ("{ programs(filter: {categories: [SKILLED_WORKS]}) { totalCount } }", None),  # enum value
    ('{ programs(filter: {countrie: ["CA"]}) { totalCount } }', None),  # input field
    ("query($f: ProgramFilter) { programs(filter: $f) { totalCount } }", {"f": {"categories": ["SKILLED_WORKS"]}}),
    ("query($f: ProgramFilter) { programs(filter: $f) { totalCount } }", {"f": {"countrie": ["CA"]}}),
    ('{ program(slug: "x") { ... on Programme { slug } } }', None),  # type
]


@pytest.mark.parametrize(("query", "variables"), MISTAKES)
def test_production_never_suggests_schema_names(
    server: LiveServer, production: LiveServer, query: str, variables: dict[str, object] | None
) -> None:
    assert "Did you mean" in str(Client(server).gql(query, variables))  # the mistake is one that hints
    body = Client(production).gql(query, variables)
    assert error_code(body) == "BAD_USER_INPUT"
    assert "Did you mean" not in str(body)


def test_production_serves_no_graphiql_and_no_introspection(production: LiveServer) -> None:
    page = httpx.get(production.graphql_url, headers={"accept": "text/html"}, timeout=30)
    assert page.status_code == 404 and "<html" not in page.text.lower()
    assert httpx.get(f"{production.url}/graphiql/graphiql@3.8.3/graphiql.min.js", timeout=30).status_code == 404
    introspection = Client(production).gql("{ __schema { types { name } } }")
    assert {e["extensions"]["code"] for e in introspection["errors"]} == {"BAD_USER_INPUT"}


def test_production_metrics_answer_only_the_scraper(production: LiveServer) -> None:
    metrics = f"{production.url}/metrics"
    assert httpx.get(metrics, timeout=30).status_code == 401
    assert httpx.get(metrics, headers={"authorization": "Bearer guess"}, timeout=30).status_code == 401
    scraped = httpx.get(metrics, headers={"authorization": f"Bearer {SCRAPER_TOKEN}"}, timeout=30)
    assert scraped.status_code == 200 and "graphql_operations_total" in scraped.text


@pytest.fixture(scope="module")
def production_without_token(settings: Settings) -> Iterator[LiveServer]:
    live = start_server(_production(settings))
    yield live
    live.stop()


def test_production_without_a_scraper_token_serves_no_metrics(production_without_token: LiveServer) -> None:
    assert httpx.get(f"{production_without_token.url}/metrics", timeout=30).status_code == 404


def test_made_up_operation_names_are_counted_as_other(server: LiveServer) -> None:
    client = Client(server)
    before = len(httpx.get(f"{server.url}/metrics", timeout=30).text)
    names = [f"Flood{uuid.uuid4().hex}{'x' * 1000}" for _ in range(50)]
    for name in names:
        client.gql(f"query {name} {{ __typename }}")
    client.gql("query Health { health { ok } }")  # one of the apps' own names
    exposition = httpx.get(f"{server.url}/metrics", timeout=30).text
    assert not any(name[:40] in exposition for name in names)
    assert 'operation_name="other"' in exposition
    assert 'operation_name="Health"' in exposition
    assert len(exposition) < before + 20_000
