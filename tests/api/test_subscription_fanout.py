"""200 subscribers on one API process share one Redis pub/sub connection, and every one gets the final state."""

import asyncio
import json
import time
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import redis
from websockets.asyncio.client import ClientConnection, connect
from websockets.sync.client import connect as sync_connect
from websockets.typing import Subprotocol

from migratio.settings import Settings
from migratio.wiring.services import Services
from tests.builders.accounts import Client
from tests.builders.quiz import ANSWER, start
from tests.builders.redis_server import start_redis, stop
from tests.server import LiveServer, free_port, start_server

ASSESSMENTS = 10
PER_ASSESSMENT = 20
ANSWERS = [
    ("destinations", ["CA"]),
    ("birth_date", "1990-04-01"),
    ("citizenships", ["IN"]),
    ("marital_status", "single"),
]
PROGRESS = """subscription Progress($id: ID!, $token: String) {
  assessmentProgress(assessmentId: $id, resumeToken: $token) { revision answeredCount }
}"""


@pytest.fixture
def fanout_server(settings: Settings, seeded: Services) -> Iterator[tuple[LiveServer, str]]:
    """A process of its own, with a Redis key prefix (and so client names) no other test shares."""
    prefix = f"fanout-{uuid.uuid4().hex[:8]}"
    live = start_server(settings.model_copy(update={"redis_key_prefix": prefix}))
    yield live, prefix
    live.stop()


def _connections(settings: Settings, prefix: str) -> dict[str, int]:
    """This process's Redis connections by client name (`<prefix>:api`, `<prefix>:pubsub`)."""
    admin = redis.Redis.from_url(settings.redis_url, decode_responses=True)
    try:
        clients: Any = admin.client_list()
    finally:
        admin.close()
    counts: dict[str, int] = {}
    for client in clients:
        if client["name"].startswith(f"{prefix}:"):
            counts[client["name"]] = counts.get(client["name"], 0) + 1
    return counts


async def _subscribe(live: LiveServer, assessment_id: str, token: str | None) -> ClientConnection:
    ws = await connect(live.ws_url, subprotocols=[Subprotocol("graphql-transport-ws")], open_timeout=30, max_queue=None)
    await ws.send(json.dumps({"type": "connection_init", "payload": {}}))
    assert json.loads(await asyncio.wait_for(ws.recv(), 30))["type"] == "connection_ack"
    await ws.send(
        json.dumps(
            {
                "id": "1",
                "type": "subscribe",
                "payload": {"query": PROGRESS, "variables": {"id": assessment_id, "token": token}},
            }
        )
    )
    first = json.loads(await asyncio.wait_for(ws.recv(), 60))
    assert first["type"] == "next" and "errors" not in first["payload"], first
    assert first["payload"]["data"]["assessmentProgress"]["revision"] == 0
    return ws


async def _last_revision(ws: ClientConnection, final: int) -> int:
    """Reads events until the final revision arrives (intermediate ones may coalesce)."""
    revision = -1
    while revision < final:
        message = json.loads(await asyncio.wait_for(ws.recv(), 60))
        assert message["type"] == "next" and "errors" not in message["payload"], message
        revision = message["payload"]["data"]["assessmentProgress"]["revision"]
    return revision


async def test_200_subscribers_on_one_process_share_one_pubsub_connection_and_all_get_the_final_state(
    settings: Settings, fanout_server: tuple[LiveServer, str]
) -> None:
    live, prefix = fanout_server
    started = [start(Client(live)) for _ in range(ASSESSMENTS)]
    assert _connections(settings, prefix).get(f"{prefix}:pubsub", 0) == 0  # connected on first use

    began = time.monotonic()
    sockets = await asyncio.gather(
        *(_subscribe(live, assessment_id, token) for assessment_id, token in started for _ in range(PER_ASSESSMENT))
    )
    subscribed_s = time.monotonic() - began
    during = _connections(settings, prefix)
    print(f"{len(sockets)} subscribed in {subscribed_s:.1f}s; this process's Redis connections: {during}")
    assert len(sockets) == ASSESSMENTS * PER_ASSESSMENT == 200
    assert during[f"{prefix}:pubsub"] == 1
    assert sum(during.values()) <= 10

    async with httpx.AsyncClient(base_url=live.url, timeout=30) as http:

        async def answer_all(assessment_id: str, token: str | None, n: int) -> None:
            for question_id, value in ANSWERS:  # back to back: events may coalesce, the last must arrive
                response = await http.post(
                    "/graphql",
                    headers={"x-forwarded-for": f"10.77.0.{n}"},
                    json={
                        "query": ANSWER,
                        "variables": {"id": assessment_id, "question": question_id, "value": value, "token": token},
                    },
                )
                assert "errors" not in response.json(), response.json()

        await asyncio.gather(*(answer_all(a, t, n) for n, (a, t) in enumerate(started)))
    finals = await asyncio.gather(*(_last_revision(ws, len(ANSWERS)) for ws in sockets))
    assert finals == [len(ANSWERS)] * 200
    after = _connections(settings, prefix)
    print(f"after the answers: {after}")
    assert after[f"{prefix}:pubsub"] == 1
    await asyncio.gather(*(ws.close() for ws in sockets))


def test_after_redis_restarts_a_subscriber_catches_up_with_a_change_saved_while_it_was_down(
    settings: Settings, seeded: Services
) -> None:
    port = free_port()
    redis_server = start_redis(port)
    live = start_server(
        settings.model_copy(
            update={"redis_url": f"redis://127.0.0.1:{port}/0", "redis_key_prefix": f"fanout-{uuid.uuid4().hex[:8]}"}
        )
    )
    try:
        client = Client(live)
        assessment_id, token = start(client)
        with sync_connect(live.ws_url, subprotocols=[Subprotocol("graphql-transport-ws")], open_timeout=10) as ws:
            ws.send(json.dumps({"type": "connection_init", "payload": {}}))
            assert json.loads(ws.recv(timeout=10))["type"] == "connection_ack"
            payload = {"query": PROGRESS, "variables": {"id": assessment_id, "token": token}}
            ws.send(json.dumps({"id": "1", "type": "subscribe", "payload": payload}))
            assert json.loads(ws.recv(timeout=10))["payload"]["data"]["assessmentProgress"]["revision"] == 0
            stop(redis_server)
            answered = client.data(
                ANSWER, {"id": assessment_id, "question": "destinations", "value": ["CA"], "token": token}
            )  # saved; its event is lost with Redis
            assert answered["answerQuestion"]["assessment"]["revision"] == 1
            redis_server = start_redis(port)
            message = json.loads(ws.recv(timeout=15))  # no new event: the re-read after resubscribing brings it
            assert message["type"] == "next", message
            assert message["payload"]["data"]["assessmentProgress"] == {"revision": 1, "answeredCount": 1}
    finally:
        live.stop()
        stop(redis_server)
