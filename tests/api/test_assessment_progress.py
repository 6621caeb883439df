"""`assessmentProgress` over websockets: events reach the subscriber when the answer is sent to ANOTHER server
process (Redis pub/sub), and only the assessment's holder may subscribe."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from websockets.sync.client import ClientConnection, connect
from websockets.typing import Subprotocol

from migratio.settings import Settings
from tests.builders.accounts import Client, signed_up
from tests.builders.quiz import answer, start
from tests.server import LiveServer, start_server

PROGRESS = """subscription Progress($id: ID!, $token: String) {
  assessmentProgress(assessmentId: $id, resumeToken: $token) {
    assessmentId revision answeredCount totalCount percentDone nextQuestion { id }
  }
}"""


@pytest.fixture(scope="module")
def second_server(settings: Settings) -> Iterator[LiveServer]:
    """Another uvicorn instance with its own app, services and Redis connections: a second API process."""
    live = start_server(settings)
    yield live
    live.stop()


@contextmanager
def subscribe(server: LiveServer, variables: dict[str, Any], token: str | None = None) -> Iterator[ClientConnection]:
    """Subscribed to `assessmentProgress`; the bearer token, when given, goes in connection_init."""
    with connect(server.ws_url, subprotocols=[Subprotocol("graphql-transport-ws")], open_timeout=10) as ws:
        payload = {"authorization": f"Bearer {token}"} if token else {}
        ws.send(json.dumps({"type": "connection_init", "payload": payload}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": PROGRESS, "variables": variables}}))
        yield ws


def next_progress(ws: ClientConnection) -> dict[str, Any]:
    message = json.loads(ws.recv(timeout=10))
    assert message["type"] == "next", message
    assert "errors" not in message["payload"], message["payload"]
    progress: dict[str, Any] = message["payload"]["data"]["assessmentProgress"]
    return progress


def refusal(ws: ClientConnection) -> dict[str, Any]:
    message = json.loads(ws.recv(timeout=10))
    errors = message["payload"]["errors"] if message["type"] == "next" else message["payload"]
    extensions: dict[str, Any] = errors[0]["extensions"]
    return extensions


def test_an_answer_sent_to_another_server_reaches_the_owners_subscription(
    server: LiveServer, second_server: LiveServer, settings: Settings
) -> None:
    account = signed_up(server, settings, "watcher")
    assessment_id, _ = start(account.client)
    other_process = Client(second_server, token=account.client.token)
    with subscribe(server, {"id": assessment_id}, account.client.token) as ws:
        now = next_progress(ws)
        assert (now["revision"], now["answeredCount"], now["nextQuestion"]) == (0, 0, {"id": "destinations"})
        answer(other_process, assessment_id, "destinations", ["CA"])
        first = next_progress(ws)
        assert (first["assessmentId"], first["revision"], first["answeredCount"]) == (assessment_id, 1, 1)
        assert first["nextQuestion"] == {"id": "birth_date"}
        answer(other_process, assessment_id, "birth_date", "1990-04-01")
        second = next_progress(ws)
        assert (second["revision"], second["answeredCount"], second["nextQuestion"]) == (2, 2, {"id": "citizenships"})
        assert second["percentDone"] == round(100 * 2 / second["totalCount"])


def test_an_anonymous_subscriber_follows_with_the_resume_token(server: LiveServer, second_server: LiveServer) -> None:
    client = Client(second_server)
    assessment_id, token = start(client)
    with subscribe(server, {"id": assessment_id, "token": token}) as ws:
        assert next_progress(ws)["answeredCount"] == 0
        answer(client, assessment_id, "destinations", ["AU"], token)
        assert next_progress(ws)["nextQuestion"] == {"id": "birth_date"}


def test_someone_else_cannot_subscribe(server: LiveServer, settings: Settings) -> None:
    ann, bob = signed_up(server, settings, "ann-ws"), signed_up(server, settings, "bob-ws")
    assessment_id, _ = start(ann.client)
    with subscribe(server, {"id": assessment_id}, bob.client.token) as ws:
        assert refusal(ws)["code"] == "NOT_FOUND"
    with subscribe(server, {"id": assessment_id, "token": "a-guess"}) as ws:
        assert refusal(ws)["code"] == "NOT_FOUND"
    with subscribe(server, {"id": assessment_id}) as ws:
        assert refusal(ws)["code"] == "UNAUTHENTICATED"
