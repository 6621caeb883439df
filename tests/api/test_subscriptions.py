"""Websocket subscriptions over both protocols Apollo and older clients speak."""

import json

import pytest
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect
from websockets.typing import Origin, Subprotocol

from tests.server import LiveServer

TRANSPORT_WS = Subprotocol("graphql-transport-ws")
LEGACY_WS = Subprotocol("graphql-ws")
COUNTDOWN = "subscription { countdown(start: 3, intervalMs: 10) { remaining } }"


def test_countdown_streams_over_graphql_transport_ws(server: LiveServer) -> None:
    with connect(server.ws_url, subprotocols=[TRANSPORT_WS], open_timeout=10) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": {"query": COUNTDOWN}}))
        received = []
        while (message := json.loads(ws.recv(timeout=10)))["type"] == "next":
            received.append(message["payload"]["data"]["countdown"]["remaining"])
        assert message == {"id": "1", "type": "complete"}
    assert received == [3, 2, 1, 0]


def test_countdown_streams_over_legacy_graphql_ws(server: LiveServer) -> None:
    with connect(server.ws_url, subprotocols=[LEGACY_WS], open_timeout=10) as ws:
        ws.send(json.dumps({"type": "connection_init", "payload": {}}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
        ws.send(json.dumps({"id": "7", "type": "start", "payload": {"query": COUNTDOWN}}))
        received = []
        while (message := json.loads(ws.recv(timeout=10)))["type"] != "complete":
            if message["type"] == "data":
                received.append(message["payload"]["data"]["countdown"]["remaining"])
        assert message["id"] == "7"
    assert received == [3, 2, 1, 0]


def test_bad_subscription_argument_is_a_coded_error(server: LiveServer) -> None:
    with connect(server.ws_url, subprotocols=[TRANSPORT_WS], open_timeout=10) as ws:
        ws.send(json.dumps({"type": "connection_init"}))
        ws.recv(timeout=10)
        ws.send(
            json.dumps(
                {
                    "id": "1",
                    "type": "subscribe",
                    "payload": {"query": "subscription { countdown(start: 1000) { remaining } }"},
                }
            )
        )
        message = json.loads(ws.recv(timeout=10))
    errors = message["payload"]["errors"] if message["type"] == "next" else message["payload"]
    assert errors[0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_web_apps_on_allowed_origins_open_sockets_and_other_pages_cannot(server: LiveServer) -> None:
    """Browsers send Origin on the handshake; a page elsewhere must not ride a signed-in person's socket."""
    with connect(
        server.ws_url, subprotocols=[TRANSPORT_WS], origin=Origin("http://localhost:3000"), open_timeout=10
    ) as ws:
        ws.send(json.dumps({"type": "connection_init"}))
        assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
    with pytest.raises(InvalidStatus) as refused:
        connect(server.ws_url, subprotocols=[TRANSPORT_WS], origin=Origin("https://evil.example"), open_timeout=10)
    assert refused.value.response.status_code == 403
